"""Check the engine's derivatives against central finite differences.

    >>> from micrograd import gradcheck
    >>> gradcheck(lambda x, y: (x * y).tanh(), [0.3, -1.2])
    True

On a mismatch `GradcheckError` says which input is off, as a table of the analytic
(engine) and numeric (finite difference) derivatives. The step for input x is
`max(eps, |x| * 2**-26)`: `eps` itself, except where that is below what a float can
resolve at x (|x| beyond about 67 for the default eps), where it grows with x.
"""

from .checks import _real
from .engine import Value
from .grad_mode import no_grad
from .gradients import grad

# the step relative to x where eps is too small for x: the square root of a float's
# resolution, about 1.5e-8, where central differences lose the fewest digits to rounding
RELATIVE_STEP = 2.0 ** -26


class GradcheckError(AssertionError):
    """Raised by `gradcheck`/`gradgradcheck`; the message is a table of the mismatches."""


def _numbers(inputs):
    return [x.data if isinstance(x, Value) else _real(x, 'gradcheck inputs') for x in inputs]


def _central_difference(fn, point, i, eps):
    """d fn / d point[i] by (fn(x + h) - fn(x - h)) / 2h, h = max(eps, |x| * 2**-26) (so
    that x + h differs from x at large x); fn of floats gives a number or a list of them."""
    h = max(eps, abs(point[i]) * RELATIVE_STEP)
    up = list(point)
    down = list(point)
    up[i] += h
    down[i] -= h
    width = 2 * h
    high, low = fn(up), fn(down)
    if isinstance(high, list):
        return [(hi - lo) / width for hi, lo in zip(high, low)]
    return (high - low) / width


def _compare(title, rows, atol, rtol, raise_exception):
    """rows: (name, analytic, numeric); True if all agree within atol + rtol * |numeric|."""
    bad = [(name, a, n, abs(a - n)) for name, a, n in rows
           if not abs(a - n) <= atol + rtol * abs(n)]
    if not bad:
        return True
    if not raise_exception:
        return False
    width = max(len('input'), *(len(name) for name, *_ in bad))
    lines = [f"{title}: {len(bad)} of {len(rows)} derivatives differ "
             f"(atol={atol}, rtol={rtol})",
             f"{'input':<{width}}  {'analytic':>14}  {'numeric':>14}  {'error':>10}"]
    lines += [f"{name:<{width}}  {a:>14.8g}  {n:>14.8g}  {err:>10.3g}" for name, a, n, err in bad]
    raise GradcheckError("\n".join(lines))


def _evaluate(f, point, what):
    """f at fresh leaves holding the numbers `point`: (the leaves, the output Value)."""
    xs = [Value(x) for x in point]
    out = f(*xs)
    if not isinstance(out, Value):
        raise TypeError(f"{what}: f must return a Value, got {type(out).__name__}")
    return xs, out


def gradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Compare the gradient of `f(*inputs)` with central finite differences.

    `f` takes Values and returns one Value; `inputs` are numbers or Values (only their
    data is used). The step for input x is `max(eps, |x| * 2**-26)`. Returns True, or raises
    `GradcheckError` with a table of the mismatching inputs (returns False instead with
    `raise_exception=False`).
    """
    point = _numbers(inputs)
    analytic = grad(*_evaluate(f, point, 'gradcheck')[::-1])
    with no_grad():
        numeric = [_central_difference(lambda p: _evaluate(f, p, 'gradcheck')[1].data,
                                       point, i, eps)
                   for i in range(len(point))]
    rows = [(f"x[{i}]", a, n) for i, (a, n) in enumerate(zip(analytic, numeric))]
    return _compare("gradcheck", rows, atol, rtol, raise_exception)


def gradgradcheck(f, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Compare the second derivatives (the Hessian) of `f(*inputs)` with finite differences.

    The analytic Hessian comes from differentiating the engine's gradient again
    (`create_graph=True`); the numeric one from central differences of the gradient,
    with the same step, `max(eps, |x| * 2**-26)`. Same arguments and result as `gradcheck`.
    """
    point = _numbers(inputs)
    xs, out = _evaluate(f, point, 'gradgradcheck')
    analytic = [grad(g, xs) for g in grad(out, xs, create_graph=True)]
    # the numeric side differentiates the plain (float) gradient, so a rule whose graph
    # form disagrees with its float form is caught too: column j of the Hessian at once
    gradient = lambda p: grad(*_evaluate(f, p, 'gradgradcheck')[::-1])
    columns = [_central_difference(gradient, point, j, eps) for j in range(len(point))]
    rows = [(f"d2/dx[{i}]dx[{j}]", analytic[i][j], columns[j][i])
            for i in range(len(point)) for j in range(len(point))]
    return _compare("gradgradcheck", rows, atol, rtol, raise_exception)

