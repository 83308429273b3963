"""Edges of the table (ops.py) and of Value's operators that other tests leave open.

Each test pins one outcome exactly (the bits of a number, its type, a node's name, the
full text of an error), against a closed form, `math`, or PyTorch in float64: the
overflow branch of `ops.pow_`, `.data` set by hand to an int or a numpy number, the
wording of domain, division and operand errors, the names of power nodes, the grad mode's
bookkeeping across threads, and `no_grad` on generator functions.
"""

import math
import sys

import pytest

import micrograd
from micrograd import (
    Value,
    checks,
    engine,
    grad,
    grad_mode,
    handwritten,
    is_grad_enabled,
    no_grad,
    ops,
)

from conftest import another_thread_in_no_grad, require_module

INF, NAN = math.inf, math.nan
TAIL = "(a Value combines with real numbers and Values only)"


def sign_bit(x):
    return math.copysign(1.0, x) < 0


def message(error_type, thunk):
    with pytest.raises(error_type) as info:
        thunk()
    return str(info.value)


def hand_set(number, start=1.0):
    """A leaf whose `.data` was then set by hand (to an int, a numpy number, ...)."""
    v = Value(start)
    v.data = number
    return v


# -- ops.pow_: the infinite derivative where the power overflows ---------------------------
# d(x**c)/dx = c * x**(c-1): with |x| tiny and c negative, x**c fits a float but x**(c-1)
# overflows. The derivative is then infinite with the sign of calculus:
# sign(c) * sign(x)**(c-1).

@pytest.mark.parametrize(("x", "c"), [
    (-1e-110, -2),   # c-1 = -3, odd, negative base: x**-3 = -inf, d = -2 * -inf = +inf
    (-1e-200, -1),   # c-1 = -2, even: x**-2 = +inf, d = -1 * inf = -inf
    (1e-110, -2),    # positive base, c-1 odd: x**-3 = +inf, d = -inf
    (-1e-110, -2.0),  # the same with a float exponent
    (-1e-200, -1.0),
], ids=["neg-odd", "neg-even", "pos-odd", "neg-odd-float", "neg-even-float"])
def test_infinite_power_derivative_has_the_sign_of_calculus(torch, x, c):
    t = torch.tensor(x, requires_grad=True)
    (t ** c).backward()
    expected = t.grad.item()
    assert math.isinf(expected)
    assert expected == c * math.copysign(1.0, x) ** (c - 1) * INF  # the closed form's limit

    v = Value(x)
    y = v ** c
    assert y.data == x ** c  # the forward pass itself is finite
    y.backward()
    assert v.grad == expected

    # the same derivative through the general `x ** y` (a Value exponent)
    v, e = Value(x), Value(float(c))
    (v ** e).backward()
    assert v.grad == expected

    # and recorded as a graph: an infinite constant, so its own derivative is 0
    v = Value(x)
    (g,) = grad(v ** c, [v], create_graph=True)
    assert type(g) is Value and g.data == expected
    assert grad(g, [v]) == [0.0]


@pytest.mark.parametrize(("x", "c", "expected"), [
    (-1e-110, -3.0, -INF),  # odd exponent, negative base
    (-1e-200, -2.0, INF),   # even exponent, negative base
    (1e-110, -3.0, INF),    # positive base: never negative
    (1e-200, -2.0, INF),
    (-1e-110, -5.0, -INF),  # odd, not 1 more than a multiple of 3 nor equal to 2 * 1
])
def test_pow_helper_overflow_on_floats_and_values(x, c, expected):
    assert ops.pow_(x, c) == expected
    as_value = ops.pow_(Value(x), c)
    assert type(as_value) is Value and as_value._prev == ()
    assert as_value.data == expected


def test_pow_helper_at_zero_with_a_negative_exponent_is_an_infinite_constant():
    assert ops.pow_(0.0, -0.5) == INF
    leaf = ops.pow_(Value(0.0), -0.5)
    assert type(leaf) is Value and leaf.data == INF and leaf._prev == ()


def test_constant_helper_keeps_floats_and_makes_leaves_of_values():
    assert ops._constant(2.0, INF) == INF and type(ops._constant(2.0, INF)) is float

    class Sub(Value):
        pass

    for like in (Value(1.0), Sub(1.0)):
        made = ops._constant(like, -INF)
        assert type(made) is type(like)
        assert made.data == -INF and made._prev == () and made.grad == 0.0


# -- power_partial at c = 0: a hard 0 (as PyTorch), never 0 * inf, 0 * nan or -0.0 -----------

@pytest.mark.parametrize("x", [NAN, -2.0, -INF, 0.0, 3.0], ids=str)
def test_power_to_zero_has_derivative_plus_zero(torch, x):
    t = torch.tensor(x, requires_grad=True)
    (t ** 0.0).backward()
    expected = t.grad.item()
    assert expected == 0.0 and not sign_bit(expected)
    for c in (0, 0.0):
        v = Value(x)
        (v ** c).backward()
        assert v.grad == 0.0 and not sign_bit(v.grad), (x, c)
    assert ops.power_partial(x, 0.0) == 0.0 and not sign_bit(ops.power_partial(x, 0.0))


def test_exponent_partial_at_zero_and_negative_bases(torch):
    assert ops.exponent_partial(0.0, 0.0) == 0.0
    assert math.isnan(ops.exponent_partial(-2.0, 4.0))
    x, y = Value(-2.0), Value(2.0)
    (x ** y).backward()
    t, u = torch.tensor(-2.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)
    (t ** u).backward()
    assert x.grad == t.grad.item() == -4.0
    assert math.isnan(y.grad) and math.isnan(u.grad.item())


# -- PowConst: names, the shortcut's interval, the cache -------------------------------------

def test_power_nodes_are_named_by_the_exponent_as_written():
    x = Value(3.0)
    assert (x ** 2)._op == '**2'
    assert (x ** 2.0)._op == '**2.0'
    assert (x ** -1)._op == '**-1'
    assert (Value(-3.0) ** 2)._op == '**2'  # off the fast path, too
    assert ops.pow_const(2).name == '**2' and ops.pow_const(2.0).name == '**2.0'
    assert ops.pow_const(2) is ops.pow_const(2)
    assert ops.pow_const(2) is not ops.pow_const(2.0)
    rule = ops.pow_const(3)
    assert type(rule.exponent) is float and rule.exponent == 3.0
    assert rule.variadic is False
    assert repr(rule) == "Op('**3')"


def test_op_keeps_what_it_is_given():
    def forward(x):
        return x

    def partials(x, out):
        return (1.0,)

    op = ops.Op('id', forward, partials)
    assert (op.name, op.forward, op.partials, op.variadic) == ('id', forward, partials, False)
    assert repr(op) == "Op('id')"
    assert ops.Op('many', forward, partials, variadic=True).variadic is True
    node = Value(2.0)._apply(op)
    assert node._op == 'id' and node.data == 2.0 and node._local == (1.0,)


def test_shortcut_interval_closed_form():
    log_low = math.log(sys.float_info.min) + 2
    log_high = math.log(sys.float_info.max) - 2
    assert ops._shortcut_interval(0.0) == (1.0, 1.0)
    assert ops._shortcut_interval(INF) == (1.0, 1.0)
    assert ops._shortcut_interval(-INF) == (1.0, 1.0)
    assert ops._shortcut_interval(NAN) == (1.0, 1.0)
    # c = 1: only |x| itself bounds it (the slope of c x**(c-1) is 0)
    low, high = ops._shortcut_interval(1.0)
    assert low == pytest.approx(math.exp(log_low), rel=1e-12)
    assert high == pytest.approx(math.exp(log_high), rel=1e-12)
    # c = 2: |x**2| and |2 x**2| bound it
    low, high = ops._shortcut_interval(2.0)
    assert low == pytest.approx(math.exp(log_low / 2), rel=1e-12)
    assert high == pytest.approx(math.exp((log_high - math.log(2)) / 2), rel=1e-12)
    # c = -3: |x**-3| and |3 x**-4|
    low, high = ops._shortcut_interval(-3.0)
    assert low == pytest.approx(math.exp((math.log(3) - log_high) / 4), rel=1e-12)
    assert high == pytest.approx(math.exp((math.log(3) - log_low) / 4), rel=1e-12)


@pytest.mark.parametrize(("x", "c"), [
    (1e-120, 3.0),    # out = x**3 underflows to 0: c * out / x would be 0
    (1e-160, 2.0),    # out subnormal
    (1e90, -3.5),     # out = 1e-315, subnormal
    (1e-307, 0.5),    # x itself below the normal floats plus the margin
    (-1e-120, 3.0),
    (5e-324, 1.0),    # a subnormal x
])
def test_power_derivative_outside_the_shortcut_is_the_closed_form(x, c):
    expected = c * x ** (c - 1.0)
    v = Value(x)
    (v ** c).backward()
    assert v.grad == expected
    rule = ops.pow_const(c)
    assert not rule.low < abs(x) < rule.high
    assert rule.local(x, x ** c) == expected


@pytest.mark.parametrize(("x", "c"), [(3.0, 2.0), (0.7, -1.5), (-2.5, 3.0), (1e10, 2.5)])
def test_power_derivative_inside_the_shortcut_matches_torch(torch, x, c):
    t = torch.tensor(x, requires_grad=True)
    (t ** c).backward()
    v = Value(x)
    (v ** c).backward()
    assert v.grad == pytest.approx(t.grad.item(), rel=1e-15)
    low, high = ops.pow_const(c).low, ops.pow_const(c).high
    assert low < abs(x) < high


def test_rule_cache_stays_bounded():
    for k in range(600):
        ops.pow_const(1000.0 + k / 8)
        assert len(ops._pow_ops) <= 512
    cache = {i: None for i in range(511)}
    marker = ops.pow_const(2)
    assert ops._remember(cache, 'new', marker) is marker and len(cache) == 512
    assert ops._remember(cache, 'newer', marker) is marker
    assert cache == {'newer': marker}


# -- the exact text of domain and division errors --------------------------------------------

@pytest.mark.parametrize(("thunk", "error", "text"), [
    (lambda: Value(INF).sin(), ValueError, "sin() is defined for finite numbers only, got inf"),
    (lambda: Value(-INF).sin(), ValueError,
     "sin() is defined for finite numbers only, got -inf"),
    (lambda: Value(INF).cos(), ValueError, "cos() is defined for finite numbers only, got inf"),
    (lambda: Value(-INF).cos(), ValueError,
     "cos() is defined for finite numbers only, got -inf"),
    (lambda: Value(3.0) / 0, ZeroDivisionError, "division by zero: 3.0 / 0"),
    (lambda: Value(-1.5) / Value(0.0), ZeroDivisionError, "division by zero: -1.5 / 0"),
    (lambda: 2 / Value(-0.0), ZeroDivisionError, "division by zero: 2.0 / 0"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError,
     "pow(): 0 cannot be raised to a negative power (-1.0)"),
    (lambda: Value(0.0) ** Value(-0.5), ZeroDivisionError,
     "pow(): 0 cannot be raised to a negative power (-0.5)"),
    (lambda: Value(-2.0) ** 0.5, ValueError,
     "pow(): a negative base (-2.0) with a non-integer exponent (0.5) has no real result"),
    (lambda: (-8) ** Value(1 / 3), ValueError,
     "pow(): a negative base (-8.0) with a non-integer exponent (0.3333333333333333) "
     "has no real result"),
    (lambda: Value(10.0) ** 400, OverflowError, "pow(10.0, 400.0) is too large for a float"),
    (lambda: Value(0.0).log(), ValueError,
     "log() is defined for positive numbers only, got 0.0"),
    (lambda: Value(-1.0).sqrt(), ValueError,
     "sqrt() is defined for numbers >= 0 only, got -1.0"),
    (lambda: Value(1000.0).exp(), OverflowError, "exp(1000.0) is too large for a float"),
], ids=["sin+inf", "sin-inf", "cos+inf", "cos-inf", "div", "div-value", "rdiv", "pow0",
        "pow0-value", "pow-neg", "rpow-neg", "pow-overflow", "log", "sqrt", "exp"])
def test_domain_error_text(thunk, error, text):
    assert message(error, thunk) == text


def test_sin_cos_of_large_finite_numbers_match_math():
    for x in (1e300, -1e300, -sys.float_info.max):
        assert Value(x).sin().data == math.sin(x)
        assert Value(x).cos().data == math.cos(x)


# -- operand errors: the operator and the operands in the order written ---------------------

@pytest.mark.parametrize(("thunk", "text"), [
    (lambda: Value(1.0) + "a", "+: 'Value' and 'str'"),
    (lambda: Value(1.0) - "a", "-: 'Value' and 'str'"),
    (lambda: Value(1.0) * "a", "*: 'Value' and 'str'"),
    (lambda: Value(1.0) / "a", "/: 'Value' and 'str'"),
    (lambda: Value(1.0) ** "a", "**: 'Value' and 'str'"),
    (lambda: Value(1.0) + 1j, "+: 'Value' and 'complex'"),
    (lambda: Value(1.0) ** None, "**: 'Value' and 'NoneType'"),
    (lambda: 1j + Value(1.0), "+: 'complex' and 'Value'"),
    (lambda: 1j - Value(1.0), "-: 'complex' and 'Value'"),
    (lambda: 1j * Value(1.0), "*: 'complex' and 'Value'"),
    (lambda: 1j / Value(1.0), "/: 'complex' and 'Value'"),
    (lambda: 1j ** Value(1.0), "**: 'complex' and 'Value'"),
    (lambda: "a" + Value(1.0), "+: 'str' and 'Value'"),
    (lambda: None - Value(1.0), "-: 'NoneType' and 'Value'"),
    (lambda: Value(1.0).__radd__([1]), "+: 'list' and 'Value'"),
    (lambda: Value(1.0).__rmul__([1]), "*: 'list' and 'Value'"),
    (lambda: Value(1.0).__rsub__([1]), "-: 'list' and 'Value'"),
    (lambda: Value(1.0).__rtruediv__([1]), "/: 'list' and 'Value'"),
    (lambda: Value(1.0).__rpow__([1]), "**: 'list' and 'Value'"),
])
def test_operand_error_text(thunk, text):
    assert message(TypeError, thunk) == f"unsupported operand type(s) for {text} {TAIL}"


def test_operand_error_helper_defaults_to_value_on_the_left():
    assert str(checks._operand_error("a", '%')) == \
        f"unsupported operand type(s) for %: 'Value' and 'str' {TAIL}"
    assert str(checks._operand_error(1j, '%', reflected=True)) == \
        f"unsupported operand type(s) for %: 'complex' and 'Value' {TAIL}"
    assert message(TypeError, lambda: engine._lift("a", '@')) == \
        f"unsupported operand type(s) for @: 'Value' and 'str' {TAIL}"


@pytest.mark.parametrize(("thunk", "error", "text"), [
    (lambda: Value("a"), TypeError, "Value data must be a real number (int or float), got str"),
    (lambda: Value(Value(1.0)), TypeError,
     "Value data must be a real number, got a Value; use its .data"),
    (lambda: Value(10 ** 400), OverflowError,
     "Value data (int of about 401 digits) is too large for a float"),
    (lambda: Value(1.0) + 10 ** 400, OverflowError,
     "Value data (int of about 401 digits) is too large for a float"),
    (lambda: Value(1.0) + hand_set(10 ** 400), OverflowError,
     "Value.data (int of about 401 digits) is too large for a float"),
    (lambda: Value(1.0) * hand_set(10 ** 400), OverflowError,
     "Value.data (int of about 401 digits) is too large for a float"),
    (lambda: hand_set(10 ** 400) + Value(1.0), OverflowError,
     "Value.data (int of about 401 digits) is too large for a float"),
    (lambda: hand_set(10 ** 400) * 2.0, OverflowError,
     "Value.data (int of about 401 digits) is too large for a float"),
    (lambda: hand_set(10 ** 400) ** 2, OverflowError,
     "Value.data (int of about 401 digits) is too large for a float"),
    (lambda: hand_set(10 ** 400).relu(), OverflowError,
     "Value.data (int of about 401 digits) is too large for a float"),
], ids=["str", "Value", "big-int", "big-int-operand", "add-right", "mul-right", "add-left",
        "mul-left", "pow", "relu"])
def test_data_error_text(thunk, error, text):
    assert message(error, thunk) == text


# -- .data set by hand to an int or a numpy number: computed as a float -----------------------

@pytest.mark.parametrize("side", ["left", "right"])
def test_hand_set_int_or_numpy_data_gives_float_results(side):
    np = require_module("numpy")
    for number in (2, np.float64(2.0), np.int64(2), np.float32(2.0)):
        a, b = Value(3.0), hand_set(number)
        left, right = (b, a) if side == "left" else (a, b)
        total, product = left + right, left * right
        assert type(total.data) is float and total.data == 5.0
        assert type(product.data) is float and product.data == 6.0
        assert all(type(d) is float for d in product._local)
        assert product._local == ((right.data, float(number)) if side == "left"
                                  else (float(number), 3.0))
        (total + product).backward()
        assert (a.grad, b.grad) == (3.0, 4.0)
        assert type(b.grad) is float


def test_hand_set_data_through_pow_and_relu():
    np = require_module("numpy")
    for number in (3, np.float64(3.0), np.int64(3)):
        v = hand_set(number)
        squared = v ** 2
        assert type(squared.data) is float and squared.data == 9.0
        assert squared._op == '**2' and squared._local == (6.0,)
        on = hand_set(number).relu()
        assert type(on.data) is float and on.data == 3.0 and on._local == (1.0,)
        off = hand_set(-number).relu()
        assert type(off.data) is float and off.data == 0.0 and off._local == ()


def test_relu_edges(torch):
    for x in (0.0, -0.0, -1.0, 0.5, 1.0, 2.0, NAN, INF, -INF):
        t = torch.tensor(x, requires_grad=True)
        torch.relu(t).backward()
        v = Value(x)
        y = v.relu()
        expected = torch.relu(torch.tensor(x)).item()
        assert y._op == 'ReLU'
        if math.isnan(x):  # nan stays nan (as PyTorch), and nothing flows back
            assert math.isnan(y.data) and math.isnan(expected) and y._local == ()
            continue
        assert y.data == expected and not sign_bit(y.data), x
        assert y._local == ((1.0,) if x > 0 else ())
        y.backward()
        assert v.grad == t.grad.item()


# -- what counts as a real number ----------------------------------------------------------

def test_numpy_bool_is_a_real_number():
    np = require_module("numpy")
    assert checks._is_real(np.True_) and checks._is_real(np.False_)
    assert (Value(2.0) + np.True_).data == 3.0
    assert (np.True_ * Value(2.0)).data == 2.0
    assert Value(np.False_).data == 0.0 and type(Value(np.True_).data) is float
    assert (Value(2.0) ** np.True_).data == 2.0


def _fake_type(name, module):
    return type(name, (), {'__module__': module, '__float__': lambda self: 1.0})


def test_numpy_1_bool_name_is_a_real_number():
    old_bool = _fake_type('bool_', 'numpy')()  # numpy < 2 calls its bool type `bool_`
    assert checks._is_real(old_bool)
    assert Value(old_bool).data == 1.0
    assert (Value(2.0) + old_bool).data == 3.0
    assert checks._is_real(_fake_type('bool', 'numpy')())


@pytest.mark.parametrize(("name", "module"), [('bool_', 'mylib'), ('bool', 'mylib'),
                                              ('float64', 'numpy'), ('thing', 'numpy')])
def test_types_named_like_numpy_bools_elsewhere_are_not_real(name, module):
    fake = _fake_type(name, module)()
    assert not checks._is_real(fake)
    assert message(TypeError, lambda: Value(2.0) + fake) == \
        f"unsupported operand type(s) for +: 'Value' and '{name}' {TAIL}"
    assert message(TypeError, lambda: Value(fake)) == \
        f"Value data must be a real number (int or float), got {name}"


# -- nodes and constants -----------------------------------------------------------------------

def test_nodes_and_constants_start_blank():
    a = Value(2.0, label='a')
    for node in (a + 1.0, a * a, a - 1, a / 2, a ** 2, -a, a.relu(), a.exp()):
        assert node.label == '' and node.grad == 0.0 and node._mark is None
        assert repr(node) == f"Value(data={node.data}, grad=0.0)"
    assert repr(a) == "Value(data=2.0, grad=0.0, label='a')"
    two = (a * 2)._prev[1]
    assert type(two.data) is float and two.data == 2.0
    assert (two.label, two.grad, two._prev, two._op, two._rule) == ('', 0.0, (), '', None)
    assert two._local is ops.CONSTANT and repr(ops.CONSTANT) == 'CONSTANT'
    c = engine.constant(3)
    assert type(c.data) is float and c.data == 3.0 and c._local is ops.CONSTANT


def test_reflected_operators_put_the_number_first():
    x = Value(4.0)
    cases = [(3 + x, 7.0, '+', 1.0), (3 - x, -1.0, '-', -1.0), (3 * x, 12.0, '*', 3.0),
             (3 / x, 0.75, '/', -3 / 16), (2 ** x, 16.0, '**', 16.0 * math.log(2.0))]
    for node, data, op, derivative in cases:
        assert node.data == data and node._op == op
        assert node._prev[1] is x and node._prev[0].data == float(node._prev[0].data)
        assert grad(node, [x]) == [derivative]


def test_subclass_with_its_own_add_gets_the_reflected_form_from_it():
    calls = []

    class Logged(Value):
        def __add__(self, other):
            calls.append(other)
            return Value.__add__(self, other)

    v = Logged(2.0)
    assert (1.0 + v).data == 3.0 and calls == [1.0]
    assert handwritten.derives(v) and not handwritten.derives(Value(1.0))

    class Plain(Value):
        pass

    assert not handwritten.derives(Plain(1.0))
    assert (1.0 + Plain(2.0)).data == 3.0


# -- the grad mode ---------------------------------------------------------------------------

def test_grad_mode_bookkeeping_returns_to_everyone_recording():
    assert grad_mode._everyone_records is True and grad_mode._threads_not_recording == 0
    with no_grad():
        assert is_grad_enabled() is False
        assert grad_mode._everyone_records is False and grad_mode._threads_not_recording == 1
        with no_grad():
            assert is_grad_enabled() is False
            assert grad_mode._threads_not_recording == 1
        assert is_grad_enabled() is False
    assert is_grad_enabled() is True
    assert grad_mode._everyone_records is True and grad_mode._threads_not_recording == 0
    assert grad_mode._set_grad_enabled(False) is True
    assert grad_mode._set_grad_enabled(False) is False
    assert grad_mode._set_grad_enabled(True) is False
    assert grad_mode._everyone_records is True and grad_mode._threads_not_recording == 0


def test_another_threads_no_grad_leaves_this_thread_recording():
    with another_thread_in_no_grad() as seen:
        assert grad_mode._everyone_records is False
        assert is_grad_enabled() is True
        x = Value(2.0)
        y = x * x + x
        assert y._prev and y._prev[0]._prev == (x, x)
        with no_grad():  # a second thread not recording
            assert grad_mode._threads_not_recording == 2 and is_grad_enabled() is False
        assert grad_mode._threads_not_recording == 1 and is_grad_enabled() is True
    assert seen == [False]
    assert grad_mode._everyone_records is True and grad_mode._threads_not_recording == 0


def test_no_grad_on_a_generator_function_covers_its_body_only():
    @no_grad
    def numbers(x):
        received = yield is_grad_enabled(), (x * 2)._prev
        try:
            while True:
                received = yield is_grad_enabled(), received
        except KeyError as error:
            yield 'caught', str(error), is_grad_enabled()
        finally:
            log.append(is_grad_enabled())
        return 'unreachable'

    log = []
    assert numbers.__name__ == 'numbers'
    gen = numbers(Value(1.0))
    assert next(gen) == (False, ())
    assert is_grad_enabled() is True
    assert gen.send('hello') == (False, 'hello')
    assert gen.throw(KeyError('k')) == ('caught', "'k'", False)
    gen.close()
    assert log == [False]
    assert is_grad_enabled() is True

    @no_grad()
    def finite():
        yield (Value(1.0) + 1)._prev
        return 'done'

    gen = finite()
    assert next(gen) == ()
    with pytest.raises(StopIteration) as info:
        next(gen)
    assert info.value.value == 'done'

    @no_grad
    def plain(x):
        return (x + 1)._prev, is_grad_enabled()

    assert plain(Value(1.0)) == ((), False)
    assert micrograd.is_grad_enabled() is True


@pytest.mark.parametrize("c", [0.3, 1.5, 3.7, 2.2])
def test_at_the_ends_of_its_shortcut_interval_a_power_takes_the_full_formula(c):
    """`x ** c`'s derivative is `c * out / x` strictly inside (low, high) only; at the ends,
    where the two forms can differ in the last bit, it is `c * x ** (c - 1)`."""
    rule = micrograd.ops.pow_const(c)
    for end in (rule.low, rule.high):
        x = Value(end)
        (x ** c).backward()
        assert x.grad == micrograd.ops.power_partial(end, c)
