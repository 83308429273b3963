"""The expression parser: long and deep text, Unicode names, and the size limit."""

import ast

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from micrograd import parse
from micrograd.parse import ExpressionError, build


@pytest.mark.parametrize("terms", [1000, 10_000])
@pytest.mark.parametrize("plus", ["+", " + "])
def test_a_long_sum_has_the_right_value_and_gradient(terms, plus):
    root, leaves = build(plus.join(["a"] * terms), {"a": 1.5})
    root.backward()
    assert root.data == 1.5 * terms
    assert leaves["a"].grad == terms
    assert root.label == "out"  # too long to be its own label


def _tower(height):
    value = 0.5
    for _ in range(height - 1):
        value = 0.5 ** value
    return value


@pytest.mark.parametrize("text, value", [
    ("-" * 20_000 + "a", 0.5),                 # too deep for Python's parser
    ("a" + "**a" * 10_000, _tower(10_001)),    # a**(a**(...)), as Python groups it
    ("a" + ".relu()" * 5000, 0.5),
    ("(" * 200 + "a" + ")" * 200, 0.5),        # as many parentheses as Python reads
])
def test_deep_expressions_are_read(text, value):
    root, _ = build(text, {"a": 0.5})
    assert root.data == pytest.approx(value)
    root.backward()


@pytest.mark.parametrize("text, message", [
    ("(" * 1000 + "a" + ")" * 1000, "syntax error (too many nested parentheses) at column 201"),
    ("-" * 20_000 + "(" * 201 + "a" + ")" * 201,
     "too many nested parentheses) at column 20201"),
    ("a+" * 5000 + "q", "unknown name 'q' (variables: a) at column 10001"),
    ("a+" * 5000 + "b.cosh()", "unknown function 'cosh'"),
    ("a+" * 5000 + "[a]", "cannot read '['"),
    ("a+" * 5000 + "log(a-1)", "log() is defined for positive numbers only"),
    ("a+" * 5000 + "(a", "'(' was never closed"),
    ("a+" * 5000 + "a)", "unmatched ')'"),
    ("a+" * 5000, "syntax error"),
])
def test_deep_expressions_fail_with_an_expression_error(text, message):
    with pytest.raises(ExpressionError) as info:
        build(text, {"a": 1})
    assert message in str(info.value)


def test_the_length_limit_is_named_and_exact():
    def spaced(length):  # "a    +a", `length` characters long
        return "a" + " " * (length - 3) + "+a"
    assert build(f"  {spaced(parse.MAX_LENGTH)}  ", {"a": 1})[0].data == 2  # ends stripped
    with pytest.raises(ExpressionError, match=f"has {parse.MAX_LENGTH + 1:,} characters, "
                       f"more than MAX_LENGTH={parse.MAX_LENGTH:,}"):
        build(spaced(parse.MAX_LENGTH + 1), {"a": 1})
    with pytest.raises(ExpressionError, match="MAX_LENGTH"):
        build("a+" * parse.MAX_LENGTH + "a", {"a": 1})


def test_names_are_read_as_python_reads_them():
    root, leaves = build("𝐱*2", {"𝐱": 3})  # MATHEMATICAL BOLD SMALL X
    root.backward()
    assert root.data == 6 and leaves["𝐱"].grad == 2
    assert leaves["𝐱"].label == "x" and root.label == "𝐱*2"  # its text, as written
    assert build("x*2", {"𝐱": 3})[0].data == 6
    assert build("𝐱*2", {"x": 3})[0].data == 6
    with pytest.raises(ExpressionError, match="x \\(as 𝐱, x\\) given more than once"):
        build("x", {"𝐱": 1, "x": 2})
    with pytest.raises(ExpressionError, match="'ｔａｎｈ' cannot be a variable name"):
        build("1", {"ｔａｎｈ": 1})  # fullwidth letters: 'tanh'


def test_columns_count_characters_not_bytes():
    with pytest.raises(ExpressionError) as info:
        build("𝐱 + é + q", {"𝐱": 1, "é": 2})
    assert info.value.column == 9
    assert "unknown name 'q' (variables: x, é)" in str(info.value)


def test_labels_keep_their_text_without_spaces():
    root, _ = build("(a  +  b) * c", {"a": 1, "b": 2, "c": 3})
    assert root.label == "(a+b)*c"
    assert root._prev and {v.label for v in root._prev} == {"a+b", "c"}


# Text for the deep parser to read as Python does: every operator, unary minus, calls,
# methods, parentheses, newlines inside them, odd spacing and non-ASCII names.
_ATOMS = st.sampled_from(["a", "b2", "é", "𝐱", "ｂ", "2", "0.5", "1e3", "1_000", "0x1f", "3j"])
_GAP = st.sampled_from(["", " ", "  ", "\t"])


def _bigger(inner):
    return st.one_of(
        st.tuples(inner, _GAP, st.sampled_from(["+", "-", "*", "/", "**", "//", "%", "@"]),
                  _GAP, inner).map("".join),
        st.tuples(st.sampled_from(["-", "+", "~"]), _GAP, inner).map("".join),
        inner.map("({})".format),
        inner.map("(\n{}\n)".format),
        inner.map("({}).exp()".format),
        st.tuples(st.sampled_from(["tanh", "f"]), st.lists(inner, max_size=2)).map(
            lambda call: f"{call[0]}({', '.join(call[1])})"),
    )


@given(st.recursive(_ATOMS, _bigger, max_leaves=25))
def test_the_deep_parser_builds_the_tree_python_does(text):
    try:
        expected = ast.parse(text, mode="eval").body
    except SyntaxError:
        assume(False)
    got = parse._parse_deep(parse._Source(text))
    assert ast.dump(got, include_attributes=True) == ast.dump(expected, include_attributes=True)


@pytest.mark.parametrize("text", [
    "-a**b", "a**-b*c", "2**-a**b", "a-b-c", "a**b**c", "-a*b", "(a).exp()", "(f)(x)",
    "a.b", "f()", "f(a,)", "f(a)(b)", "a.exp().log()", "(a # note\n + b)", "(a+\r\nb)",
    "(a+\rb)", "a+\\\n  b", "(((a)))", "x.tanh() ** 2 / -y",
])
def test_the_deep_parser_on_tricky_cases(text):
    expected = ast.dump(ast.parse(text, mode="eval").body, include_attributes=True)
    assert ast.dump(parse._parse_deep(parse._Source(text)), include_attributes=True) == expected
