"""gradcheck and gradgradcheck: they pass on right derivatives and catch wrong ones."""

import math

import pytest

from micrograd import GradcheckError, Value, gradcheck, gradgradcheck, ops


def test_passes_on_correct_functions():
    assert gradcheck(lambda x, y: (x * y).tanh() + x.exp() / y, [0.3, -1.2])
    assert gradcheck(lambda x: x.sigmoid() * x.log(), [Value(2.5)])
    assert gradgradcheck(lambda x, y: (x * y).sin() + x ** 3 * y, [0.4, 0.9])


class _BrokenSin(ops.Op):
    """sin with a wrong derivative (sin instead of cos), to see gradcheck catch it."""

    def __init__(self):
        super().__init__('badsin', math.sin, lambda x, out: (ops.sin(x),))


def test_reports_a_wrong_derivative_as_a_table():
    bad = _BrokenSin()
    f = lambda x, y: x._apply(bad) * y
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, [0.5, 2.0])
    message = str(info.value)
    assert "1 of 2 derivatives differ" in message
    lines = message.splitlines()
    assert lines[1].split() == ["input", "analytic", "numeric", "error"]
    name, analytic, numeric, error = lines[2].split()
    assert name == "x[0]"
    assert float(analytic) == pytest.approx(2 * math.sin(0.5), rel=1e-6)
    assert float(numeric) == pytest.approx(2 * math.cos(0.5), rel=1e-6)
    assert float(error) == pytest.approx(abs(2 * math.sin(0.5) - 2 * math.cos(0.5)), rel=1e-3)
    assert gradcheck(f, [0.5, 2.0], raise_exception=False) is False


def test_gradgradcheck_catches_wrong_second_derivative():
    class Cube(ops.Op):
        # right first derivative as a float, wrong as a graph (2x instead of 3x^2)
        def __init__(self):
            super().__init__('cube', lambda x: x ** 3, lambda x, out: (
                3.0 * x * x if type(x) is float else 2 * x,))

    f = lambda x: x._apply(Cube())
    assert gradcheck(f, [1.5])
    assert gradgradcheck(f, [1.5], raise_exception=False) is False
    with pytest.raises(GradcheckError, match=r"d2/dx\[0\]dx\[0\]"):
        gradgradcheck(f, [1.5])


def test_f_must_return_a_value():
    with pytest.raises(TypeError, match="must return a Value, got float"):
        gradcheck(lambda x: 1.0, [1.0])


def test_inputs_must_be_numbers():
    with pytest.raises(TypeError, match="gradcheck inputs must be a real number"):
        gradcheck(lambda x: x * x, ['1.5'])


def test_the_step_grows_with_large_inputs():
    # eps = 1e-6 alone is below float resolution at 1e12 (x + 1e-6 == x there)
    assert gradcheck(lambda x: x * x, [1e12])
    assert gradcheck(lambda x, y: x * y, [1e12, 0.5])
    assert gradgradcheck(lambda x: x * x * x, [1e12])
    # ... but only as much as it must: a step of eps * |x| (0.1 at 1e5) misses sin's curve
    assert gradcheck(lambda x: x.sin(), [1e5]) and gradcheck(lambda x: (x - 1e6).tanh(), [1e6])


@pytest.mark.parametrize("x", [3.0, -2.5e7, 1e12])
def test_a_wrong_derivative_is_caught_at_large_inputs(x):
    # detach hides one factor from the engine: analytic x, numeric 2x
    f = lambda v: v * v.detach()
    with pytest.raises(GradcheckError) as info:
        gradcheck(f, [x])
    name, analytic, numeric, _ = str(info.value).splitlines()[2].split()
    assert (name, float(analytic), float(numeric)) == ("x[0]", x, pytest.approx(2 * x))
    # and the second derivative: analytic 2x, numeric 4x
    g = lambda v: v * v * v.detach()
    with pytest.raises(GradcheckError) as info:
        gradgradcheck(g, [x])
    name, analytic, numeric, _ = str(info.value).splitlines()[2].split()
    assert (name, float(analytic), float(numeric)) == (
        "d2/dx[0]dx[0]", pytest.approx(2 * x), pytest.approx(4 * x))
