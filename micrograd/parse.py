"""Build a graph from an arithmetic expression written as text, safely.

`build("tanh(a*b + c)", {'a': 2, 'b': -3, 'c': 10})` parses with Python's `ast` and
walks the tree itself: only numbers, the given variables, `+ - * / **`, unary minus and
the engine's functions (`exp log sqrt tanh sigmoid relu sin cos abs`, called as
`tanh(x)` or `x.tanh()`) are accepted. Nothing is ever passed to `eval`, so text such as
`__import__('os')` is an error, not a program.

Nothing here recurses, so depth is no limit; size is (`MAX_LENGTH`), since this parser
also serves the web playground. Python's own parser gives up a few thousand levels deep
(a sum of 10,000 terms is that deep), so such text is read by `_parse_deep` instead,
which builds the very same tree without recursion.
"""

import ast
import io
import keyword
import operator
import re
import tokenize
import unicodedata
from itertools import accumulate

from .engine import Value

FUNCTIONS = ('exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'sin', 'cos', 'abs')

_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
           ast.Pow: lambda a, b: a ** b}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}
_CALLS = {name: abs if name == 'abs' else operator.methodcaller(name) for name in FUNCTIONS}

#: intermediate values are labelled with their own text when it is at most this long
LABEL_WIDTH = 16

#: the longest expression read, in characters (surrounding spaces not counted)
MAX_LENGTH = 50_000
_TOO_LARGE = "the expression is too large to compute"


class ExpressionError(ValueError):
    """A problem with the text of an expression; `column` (1-based) points at it."""

    def __init__(self, message, text, column=None):
        self.text, self.column = text, column
        where = f" at column {column}" if column else ""
        shown = text if len(text) <= 80 else text[:77] + '...'
        super().__init__(f"{message}{where}: {shown}")


def normalize_name(name):
    """`name` as Python reads an identifier (NFKC): `normalize_name('𝐱') == 'x'`."""
    return unicodedata.normalize('NFKC', name)


def assignment(text):
    """One variable's value as the command line and the playground take it: 'a=2' ->
    ('a', 2.0); anything else is a ValueError that quotes it."""
    name, sep, number = text.partition('=')
    try:
        if not sep:
            raise ValueError
        return name.strip(), float(number)
    except ValueError:
        raise ValueError(f"expected name=number, such as a=2, got {text!r}") from None


def assignments(text):
    """'a=2 b=-3' (spaces or commas between; spaces around '=' allowed) as a list of
    (name, number) pairs, for `variables`."""
    text = re.sub(r'\s*=\s*', '=', text.strip())
    return [assignment(part) for part in re.split(r'[\s,;]+', text) if part]


def variables(pairs, expression):
    """{name: number} from (name, number) pairs, for `build(expression, ...)`; a name
    given twice in any spelling Python reads as one is an ExpressionError."""
    spellings = {}  # each name as Python reads it (NFKC): the spellings given for it
    for name, _ in pairs:
        spellings.setdefault(normalize_name(name), []).append(name)
    twice = [names[0] if len(set(names)) == 1 else f"{key} (as {', '.join(names)})"
             for key, names in sorted(spellings.items()) if len(names) > 1]
    if twice:
        raise ExpressionError(f"{', '.join(twice)} given more than once", expression)
    return dict(pairs)


def build(text, variables):
    """The Value computed by `text` from `variables` ({name: number}), and those leaves.

    Returns `(root, leaves)`, `leaves` mapping each variable name to its labelled Value.
    Names are read as Python reads identifiers, NFKC-normalised ('𝐱' is 'x'): each leaf
    is labelled with its normalised name, while `leaves` keeps the names as given.

    >>> root, leaves = build("a*b + tanh(a)", {'a': 2, 'b': -3})
    >>> round(root.data, 4), leaves['a'].label
    (-5.036, 'a')
    """
    source = _Source(text)
    if len(source.source) > MAX_LENGTH:
        raise ExpressionError(f"the expression has {len(source.source):,} characters, "
                              f"more than MAX_LENGTH={MAX_LENGTH:,}", text)
    try:
        tree = ast.parse(source.source, mode='eval').body
    except SyntaxError as e:
        raise ExpressionError(f"syntax error ({e.msg})", text, e.offset) from None
    except (RecursionError, MemoryError):  # too deep for Python's parser, not for ours
        try:
            tree = _parse_deep(source)
        except MemoryError:
            raise ExpressionError(_TOO_LARGE, text) from None
    leaves, named, given = {}, {}, {}
    for name, number in variables.items():
        key = normalize_name(name)
        if not key.isidentifier() or keyword.iskeyword(key) or key in FUNCTIONS:
            raise ExpressionError(f"{name!r} cannot be a variable name", text)
        if key in named:
            raise ExpressionError(f"{key} (as {given[key]}, {name}) given more than once",
                                  text)
        leaves[name] = named[key] = Value(number, label=key)
        given[key] = name
    try:
        root = _evaluate(tree, named, source)
    except ExpressionError:
        raise
    except (ValueError, ZeroDivisionError, OverflowError) as e:
        raise ExpressionError(str(e), text) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(_TOO_LARGE, text) from None
    if not root.label:
        root.label = 'out'
    return root, leaves


def _evaluate(tree, named, src):
    """The Value of `tree`, walked in post-order with an explicit stack, not recursion."""
    done = []                 # the Values of the subtrees finished so far, left to right
    todo = [(tree, None, 0)]  # (node, None, 0): visit it; (node, rule, n): apply rule to n

    def fail(message, node):
        raise ExpressionError(message, src.text, src.column(node))

    while todo:
        node, rule, arity = todo.pop()
        if rule is not None:  # its inputs are the last `arity` values done
            value = rule(*done[-arity:])
            del done[-arity:]
            if not value.label:
                value.label = src.label(node)
            done.append(value)
        elif isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                fail(f"{node.value!r} is not a number", node)
            done.append(Value(node.value, label=repr(node.value)))
        elif isinstance(node, ast.Name):
            if node.id not in named:
                known = ', '.join(named) or 'none given'
                fail(f"unknown name {node.id!r} (variables: {known})", node)
            done.append(named[node.id])
        elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            todo += [(node, _BINARY[type(node.op)], 2), (node.right, None, 0),
                     (node.left, None, 0)]
        elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            todo += [(node, _UNARY[type(node.op)], 1), (node.operand, None, 0)]
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):  # tanh(x)
                name, args = node.func.id, node.args
            elif isinstance(node.func, ast.Attribute):  # x.tanh()
                name, args = node.func.attr, [node.func.value, *node.args]
            else:
                fail("only the engine's functions can be called", node)
            if name not in FUNCTIONS:
                fail(f"unknown function {name!r} (functions: {', '.join(FUNCTIONS)})", node)
            if len(args) != 1 or node.keywords:
                fail(f"{name}() takes exactly one argument", node)
            todo += [(node, _CALLS[name], 1), (args[0], None, 0)]
        else:
            fail(f"{type(node).__name__} is not allowed (only numbers, variables, "
                 f"+ - * / ** and {', '.join(FUNCTIONS)})", node)
    return done[0]


class _Source:
    """The text, stripped, and its positions as `ast` counts them: lines end at \\n, \\r\\n
    or \\r, and columns count UTF-8 bytes."""

    def __init__(self, text):
        self.text, self.source = text, text.strip()
        self.lines = re.split(r'(?<=\n)|(?<=\r)(?!\n)', self.source)
        self.encoded = self.source.encode()
        self.starts = list(accumulate((len(line.encode()) for line in self.lines), initial=0))
        self.nonspace = list(accumulate((byte != 32 for byte in self.encoded), initial=0))
        self.widths = {}  # line number: bytes before each character, for _parse_deep

    def label(self, node):
        """`node`'s text without spaces when at most LABEL_WIDTH characters long, else ''."""
        start = self.starts[node.lineno - 1] + node.col_offset
        end = self.starts[node.end_lineno - 1] + node.end_col_offset
        if self.nonspace[end] - self.nonspace[start] > 4 * LABEL_WIDTH:  # 4 bytes a character
            return ''  # too long, known without slicing: a long sum has many long parts
        text = self.encoded[start:end].decode().replace(' ', '')
        return text if len(text) <= LABEL_WIDTH else ''

    def column(self, node):
        """The 1-based column of `node` in the text as given, in characters."""
        before = self.lines[node.lineno - 1].encode()[:node.col_offset].decode()
        return len(before) + 1 + self.text.find(self.source)

    def position(self, row, col):
        """`tokenize`'s (line, character) as `ast`'s (line, byte)."""
        if row not in self.widths:
            line = self.lines[row - 1]
            self.widths[row] = None if line.isascii() else list(
                accumulate((len(c.encode()) for c in line), initial=0))
        widths = self.widths[row]
        return row, col if widths is None else widths[col]


_PREFIX = {'-': ast.USub, '+': ast.UAdd, '~': ast.Invert}
#: binary operators, by how tightly they bind; ** groups to the right, the rest to the left
_INFIX = {'+': (1, ast.Add), '-': (1, ast.Sub), '*': (2, ast.Mult), '/': (2, ast.Div),
          '//': (2, ast.FloorDiv), '%': (2, ast.Mod), '@': (2, ast.MatMult),
          '**': (4, ast.Pow)}
_PREFIX_LEVEL, _POWER_LEVEL = 3, 4  # -a*b is (-a)*b but -a**b is -(a**b)
#: Python's tokenizer refuses more open parentheses than this
_MAX_PARENTHESES = 200
_SKIPPED = (tokenize.NL, tokenize.COMMENT, tokenize.DEDENT, tokenize.ENDMARKER)


def _parse_deep(src):
    """`ast.parse(src.source, mode='eval').body`, positions and all, built with explicit
    stacks (operator precedence) for text too deep for Python's parser. It reads numbers,
    names, operators, calls, `x.f` and parentheses, and refuses anything else."""
    operands = []  # (node, start, end), where start and end take in its parentheses
    pending = []   # ('op', level, node class, start or None if binary), or
    #                ('(', start, None, None) for a group, ('(', start, function, args)
    expect_operand, ended, depth = True, False, 0
    offset = src.text.find(src.source)

    def refuse(tok, why=None):
        if why is None and tok.type in (tokenize.NUMBER, tokenize.NAME, tokenize.OP) and (
                tok.string in (*_INFIX, '(', ')', '.', ',') or tok.string.isidentifier()):
            why = "syntax error (invalid syntax)"  # out of place
        why = why or (f"cannot read {tok.string!r} here: an expression this deeply nested "
                      "may use only numbers, variables, + - * / **, unary minus and calls")
        raise ExpressionError(why, src.text, tok.start[1] + 1 + offset)

    def placed(node, start, end):
        node.lineno, node.col_offset = start
        node.end_lineno, node.end_col_offset = end
        return node, start, end

    def reduce(level):
        """Apply the pending operators that bind at least as tightly as `level`."""
        while pending and pending[-1][0] == 'op':
            _, bound, op, start = pending[-1]
            if bound < level or bound == level == _POWER_LEVEL:
                return
            pending.pop()
            right, _, end = operands.pop()
            if start is None:
                left, start, _ = operands.pop()
                operands.append(placed(ast.BinOp(left, op(), right), start, end))
            else:
                operands.append(placed(ast.UnaryOp(op(), right), start, end))

    tokens = tokenize.generate_tokens(io.StringIO(src.source, newline=None).readline)
    try:
        for tok in tokens:
            kind, string = tok.type, tok.string
            if kind in _SKIPPED:
                continue
            if ended:  # one expression is one logical line
                refuse(tok, "syntax error (invalid syntax)")
            if kind == tokenize.NEWLINE:
                ended = True
                continue
            start, end = src.position(*tok.start), src.position(*tok.end)
            if string == '(':
                depth += 1
                if depth > _MAX_PARENTHESES:
                    refuse(tok, "syntax error (too many nested parentheses)")
            if expect_operand:
                if kind == tokenize.NUMBER:
                    try:
                        number = ast.literal_eval(string)
                    except (ValueError, SyntaxError):
                        refuse(tok, "syntax error (invalid number)")
                    operands.append(placed(ast.Constant(number, kind=None), start, end))
                elif kind == tokenize.NAME and not keyword.iskeyword(string):
                    name = normalize_name(string)
                    if not name.isidentifier():
                        refuse(tok)
                    operands.append(placed(ast.Name(name, ast.Load()), start, end))
                elif string in _PREFIX:
                    pending.append(('op', _PREFIX_LEVEL, _PREFIX[string], start))
                    continue
                elif string == '(':
                    pending.append(('(', start, None, None))
                    continue
                elif string == ')' and pending and pending[-1][0] == '(' and pending[-1][2]:
                    depth -= 1  # f() or f(x,): the call ends with no new argument
                    _, _, function, args = pending.pop()
                    call = ast.Call(function[0], args, [])
                    operands.append(placed(call, function[1], end))
                else:
                    refuse(tok)
                expect_operand = False
            elif string in _INFIX:
                level, op = _INFIX[string]
                reduce(level)
                pending.append(('op', level, op, None))
                expect_operand = True
            elif string == '(':  # a call of what comes just before
                function = operands.pop()
                pending.append(('(', function[1], function, []))
                expect_operand = True
            elif string == '.':
                name = next(tokens)
                if name.type != tokenize.NAME or keyword.iskeyword(name.string):
                    refuse(name)
                value, first, _ = operands.pop()
                attribute = ast.Attribute(value, normalize_name(name.string), ast.Load())
                operands.append(placed(attribute, first, src.position(*name.end)))
            elif string in (')', ','):
                reduce(0)
                if not pending:
                    refuse(tok, f"syntax error (unmatched {string!r})")
                _, first, function, args = pending[-1]
                if function is None:  # a group
                    if string == ',':
                        refuse(tok)
                    depth -= 1
                    pending.pop()
                    operands.append((operands.pop()[0], first, end))
                else:
                    args.append(operands.pop()[0])
                    expect_operand = string == ','
                    if string == ')':
                        depth -= 1
                        pending.pop()
                        operands.append(placed(ast.Call(function[0], args, []), first, end))
            else:
                refuse(tok)
    except (tokenize.TokenError, SyntaxError) as e:  # such as a '(' never closed
        message = "'(' was never closed" if depth else e.args[0] if e.args else 'invalid syntax'
        raise ExpressionError(f"syntax error ({message})", src.text) from None
    if expect_operand:
        raise ExpressionError("syntax error (invalid syntax)", src.text)
    reduce(0)
    return operands[0][0]
