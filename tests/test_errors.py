"""Bad input fails at the point of the mistake, with a clear error, and loses nothing."""

import math
import operator
import re
from decimal import Decimal
from fractions import Fraction

import pytest

import micrograd
from micrograd import Value, no_grad

from conftest import require_module


def names(message, word):
    """`word` appears in `message` as a word of its own, besides the subject "Value data"."""
    return re.search(rf"\b{re.escape(word)}\b", message.replace("Value data", "")) is not None


# -- what a Value may hold -----------------------------------------------------------------

@pytest.mark.parametrize(("bad", "typename"), [
    ("a", "str"),
    (None, "NoneType"),
    (1j, "complex"),
    ([1], "list"),
    (Value(1), "Value"),
    (Decimal("1"), "Decimal"),
], ids=["str", "None", "complex", "list", "Value", "Decimal"])
def test_value_rejects_non_real_data(bad, typename):
    with pytest.raises(TypeError) as info:
        Value(bad)
    assert names(str(info.value), typename), str(info.value)


@pytest.mark.parametrize(("good", "expected"), [
    (3, 3.0),
    (-2.5, -2.5),
    (True, 1.0),
    (False, 0.0),
    (Fraction(1, 4), 0.25),
    (2**60, float(2**60)),
], ids=["int", "float", "True", "False", "Fraction", "big-int"])
def test_value_accepts_real_numbers_as_python_float(good, expected):
    v = Value(good)
    assert type(v.data) is float
    assert v.data == expected
    assert v.grad == 0.0


@pytest.mark.parametrize("kind", ["float64", "float32", "int64"])
def test_value_accepts_numpy_scalars_as_python_float(kind):
    np = require_module("numpy")
    scalar = getattr(np, kind)(1.5 if kind.startswith("float") else 7)
    v = Value(scalar)
    assert type(v.data) is float
    assert v.data == float(scalar)
    (v * v).backward()
    assert type(v.grad) is float
    assert v.grad == 2 * float(scalar)


@pytest.mark.parametrize("side", ["left", "right"])
def test_numpy_scalar_operand_keeps_the_graph(side):
    np = require_module("numpy")
    v = Value(3.0)
    y = np.float64(2.0) * v if side == "left" else v * np.float64(2.0)
    assert isinstance(y, Value)  # not a numpy scalar that silently dropped the history
    assert type(y.data) is float
    y.backward()
    assert v.grad == 2.0


def test_children_must_be_values():
    with pytest.raises(TypeError) as info:
        Value(1, _children=(1,))
    assert names(str(info.value), "int")
    with pytest.raises(TypeError):
        Value(1, _children=(Value(2), "a"))
    ok = Value(1, _children=[Value(2)])  # any iterable of Values is fine
    assert len(ok._prev) == 1


# -- operands ------------------------------------------------------------------------------

OPERAND_CASES = [
    pytest.param(lambda v: v + "a", "str", id="v+'a'"),
    pytest.param(lambda v: "a" * v, "str", id="'a'*v"),
    pytest.param(lambda v: v ** "x", "str", id="v**'x'"),
    pytest.param(lambda v: v - None, "NoneType", id="v-None"),
    pytest.param(lambda v: v / [1], "list", id="v/[1]"),
    pytest.param(lambda v: v + 1j, "complex", id="v+1j"),
    pytest.param(lambda v: 1j * v, "complex", id="1j*v"),
    pytest.param(lambda v: None - v, "NoneType", id="None-v"),
    pytest.param(lambda v: "a" + v, "str", id="'a'+v"),
    pytest.param(lambda v: v * Decimal("2"), "Decimal", id="v*Decimal"),
    pytest.param(lambda v: 1j ** v, "complex", id="1j**v"),
]


@pytest.mark.parametrize(("expr", "typename"), OPERAND_CASES)
def test_bad_operand_is_a_type_error_naming_its_type(expr, typename):
    v = Value(2.0)
    v.grad = 0.5
    with pytest.raises(TypeError) as info:
        expr(v)
    assert v.data == 2.0 and v.grad == 0.5 and v._prev == ()
    assert names(str(info.value), typename), str(info.value)


# -- domain errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("x", [0, -1, -0.0, -1e-300])
def test_log_of_non_positive(x):
    with pytest.raises(ValueError) as info:
        Value(x).log()
    message = str(info.value)
    assert "log" in message
    assert repr(float(x)) in message, message


@pytest.mark.parametrize("x", [-1, -1e-300])
def test_sqrt_of_negative(x):
    with pytest.raises(ValueError) as info:
        Value(x).sqrt()
    message = str(info.value)
    assert "sqrt" in message
    assert repr(float(x)) in message, message


def test_sqrt_of_zero_is_fine():
    assert Value(0.0).sqrt().data == 0.0
    assert Value(-0.0).sqrt().data == 0.0


@pytest.mark.parametrize("expr", [
    pytest.param(lambda: Value(-8) ** 0.5, id="Value(-8)**0.5"),
    pytest.param(lambda: Value(-8) ** Value(1 / 3), id="Value(-8)**Value(1/3)"),
    pytest.param(lambda: (-8) ** Value(0.5), id="(-8)**Value(0.5)"),
    pytest.param(lambda: Value(-1e-3) ** -2.5, id="Value(-1e-3)**-2.5"),
    pytest.param(lambda: Value(-8) ** Fraction(1, 3), id="Value(-8)**Fraction(1,3)"),
])
def test_negative_base_non_integer_power(expr):
    with pytest.raises(ValueError, match="pow"):
        result = expr()
        assert not isinstance(result.data, complex)  # reached only if no error is raised


def test_negative_base_integer_power_works():
    x = Value(-8)
    y = x ** 3
    assert type(y.data) is float and y.data == -512.0
    y.backward()
    assert x.grad == 192.0
    assert (Value(-8.0) ** -1).data == -0.125
    assert (Value(-3.0) ** 2.0).data == 9.0


def test_negative_base_value_integer_exponent_works():
    x, y = Value(-2), Value(3.0)
    z = x ** y
    assert type(z.data) is float and z.data == -8.0
    z.backward()
    assert x.grad == 12.0
    assert math.isnan(y.grad)  # d/dy = x**y log(x) has no real value, as PyTorch


@pytest.mark.parametrize("expr", [
    pytest.param(lambda: 1 / Value(0), id="1/Value(0)"),
    pytest.param(lambda: Value(1) / 0, id="Value(1)/0"),
    pytest.param(lambda: Value(0) / Value(0), id="Value(0)/Value(0)"),
    pytest.param(lambda: Value(0) ** -1, id="Value(0)**-1"),
    pytest.param(lambda: Value(0) ** -0.5, id="Value(0)**-0.5"),
    pytest.param(lambda: Value(0) ** Value(-2), id="Value(0)**Value(-2)"),
    pytest.param(lambda: 0 ** Value(-1), id="0**Value(-1)"),
])
def test_division_by_zero(expr):
    with pytest.raises(ZeroDivisionError):
        expr()


def test_exp_overflow_names_exp():
    with pytest.raises(OverflowError, match="exp"):
        Value(1000).exp()
    assert Value(709).exp().data == math.exp(709)  # the largest that fits still works


@pytest.mark.parametrize("expr", [
    pytest.param(lambda: Value(10) ** 400, id="Value(10)**400"),
    pytest.param(lambda: 2 ** Value(2000), id="2**Value(2000)"),
    pytest.param(lambda: Value(10) ** Value(400), id="Value(10)**Value(400)"),
])
def test_pow_overflow_names_pow(expr):
    with pytest.raises(OverflowError, match="pow"):
        expr()


# -- after an error nothing is lost --------------------------------------------------------

MISTAKES = [
    pytest.param(lambda a, b, c: c.log(), ValueError, id="log-negative"),
    pytest.param(lambda a, b, c: b.sqrt(), ValueError, id="sqrt-negative"),
    pytest.param(lambda a, b, c: b ** 0.5, ValueError, id="pow-negative-base"),
    pytest.param(lambda a, b, c: c ** Value(0.5), ValueError, id="pow-value-negative-base"),
    pytest.param(lambda a, b, c: a / (b - b), ZeroDivisionError, id="div-zero"),
    pytest.param(lambda a, b, c: (a * 0) ** -1, ZeroDivisionError, id="zero-pow-negative"),
    pytest.param(lambda a, b, c: (a * 500).exp(), OverflowError, id="exp-overflow"),
    pytest.param(lambda a, b, c: c + "x", TypeError, id="bad-operand"),
    pytest.param(lambda a, b, c: micrograd.grad(c, [a], grad_outputs=[1.0, 2.0]), ValueError,
                 id="grad-outputs-length"),
    pytest.param(lambda a, b, c: micrograd.grad(c, [a], grad_outputs=["x"]), TypeError,
                 id="grad-outputs-type"),
    pytest.param(lambda a, b, c: micrograd.grad(c, [a, 1.0]), TypeError, id="grad-input-type"),
    pytest.param(lambda a, b, c: c.backward(grad="x"), TypeError, id="backward-seed-type"),
]


def graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a.tanh()  # -6 + tanh(2) < 0
    return a, b, c


def expected_grads(a, b):
    return b + 1 - math.tanh(a) ** 2, a  # dc/da, dc/db


@pytest.mark.parametrize(("mistake", "error"), MISTAKES)
def test_error_loses_nothing(mistake, error):
    a, b, c = graph()
    c.backward()
    grads_before = (a.grad, b.grad, c.grad)
    prev_before = c._prev
    with pytest.raises(error):
        mistake(a, b, c)
    assert (a.data, b.data) == (2.0, -3.0)
    assert c.data == pytest.approx(-6.0 + math.tanh(2.0), rel=1e-15)
    assert (a.grad, b.grad, c.grad) == grads_before
    assert len(c._prev) == len(prev_before) and all(map(operator.is_, c._prev, prev_before))
    assert micrograd.is_grad_enabled()
    # the graph built before the error still differentiates correctly
    da, db = expected_grads(2.0, -3.0)
    assert micrograd.grad(c, [a, b]) == [pytest.approx(da, rel=1e-12), db]
    a.grad = b.grad = 0.0
    c.backward()
    assert a.grad == pytest.approx(da, rel=1e-12)
    assert b.grad == db


def test_error_inside_no_grad_restores_recording():
    with pytest.raises(ValueError):
        with no_grad():
            Value(-1.0).log()
    assert micrograd.is_grad_enabled()
    x = Value(2.0)
    y = x * x
    assert y._prev == (x, x)


def test_failed_grad_call_leaves_every_grad_as_it_was():
    a, b, c = graph()
    c.backward()
    nodes = micrograd.topological_order([c])
    before = [n.grad for n in nodes]
    with pytest.raises(TypeError):
        micrograd.grad(c, [a, b], grad_outputs=[object()])
    assert [n.grad for n in nodes] == before


# -- micrograd.grad's arguments ------------------------------------------------------------

@pytest.mark.parametrize(("outputs", "typename"), [
    (1.0, "float"),
    ([1.0], "float"),
    ("a", "str"),
], ids=["float", "list-of-float", "str"])
def test_grad_rejects_non_value_output(outputs, typename):
    x = Value(1.0)
    mixed = [x * 2, *outputs] if isinstance(outputs, list) else outputs
    with pytest.raises(TypeError) as info:
        micrograd.grad(mixed, [x])
    assert names(str(info.value), typename), str(info.value)


@pytest.mark.parametrize(("inputs", "typename"), [
    ([1.0], "float"),
    (["x"], "str"),
    (3, "int"),
], ids=["list-of-float", "list-of-str", "int"])
def test_grad_rejects_non_value_input(inputs, typename):
    x = Value(1.0)
    y = x * 2
    with pytest.raises(TypeError) as info:
        micrograd.grad(y, inputs)
    assert names(str(info.value), typename), str(info.value)


@pytest.mark.parametrize(("n_outputs", "grad_outputs"), [
    (1, [1.0, 2.0]),
    (2, [1.0]),
    (1, []),
    (2, 1.0),
])
def test_grad_rejects_mismatched_grad_outputs(n_outputs, grad_outputs):
    x = Value(1.0)
    outputs = [x * k for k in range(1, n_outputs + 1)]
    with pytest.raises(ValueError, match="grad_outputs"):
        micrograd.grad(outputs, [x], grad_outputs=grad_outputs)


def test_grad_with_matching_grad_outputs_works():
    x = Value(1.5)
    assert micrograd.grad([x * 2, x * x], [x], grad_outputs=[1.0, 10.0]) == [2.0 + 30.0]
    assert micrograd.grad(x * 3, x, grad_outputs=2.0) == [6.0]
