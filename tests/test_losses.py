"""Every loss, one helper: closed form, backward, PyTorch (first and second derivatives),
finite differences (gradcheck, gradgradcheck); then the extremes and bad input.

Each loss is declared once as a `Case`: a function of flat Values (the same function is
applied to torch tensors through `torch_fn`), its closed-form value and gradient written
with `math`, and the points to check it at. `check_case` does all the checks at a point.
"""

import math

import numpy as np
import pytest

import micrograd
from micrograd import Value, gradcheck, gradgradcheck, no_grad
from micrograd.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    mse,
    softmax,
)

from conftest import assert_raises_naming

REL, ABS = 1e-12, 1e-15  # both sides are float64; ABS covers values that round to 0
REL2 = 1e-9  # second derivatives take more roundings on each side


# -- closed forms ------------------------------------------------------------------------

def sigmoid(x):
    # an identity independent of the engine's formula: sigmoid(x) = (1 + tanh(x/2)) / 2
    return 0.5 * (1.0 + math.tanh(0.5 * x))


def softmax_of(zs):
    top = max(zs)
    exps = [math.exp(z - top) for z in zs]
    return [e / sum(exps) for e in exps]


def logsumexp(zs):
    top = max(zs)
    return top + math.log(sum(math.exp(z - top) for z in zs))


def clamped(log_value):
    return max(log_value, -100.0)


def halves(args):
    n = len(args) // 2
    return args[:n], args[n:]


def mse_value(*args):
    ps, ts = halves(args)
    return sum((p - t) ** 2 for p, t in zip(ps, ts)) / len(ps)


def mse_grad(*args):
    ps, ts = halves(args)
    d = [2.0 * (p - t) / len(ps) for p, t in zip(ps, ts)]
    return d + [-x for x in d]


def bce_value(*args):
    ps, ts = halves(args)
    return -sum(t * clamped(math.log(p) if p > 0 else -math.inf)
                + (1 - t) * clamped(math.log1p(-p) if p < 1 else -math.inf)
                for p, t in zip(ps, ts)) / len(ps)


def bce_grad(*args):
    """d/dp = (p - t) / (p (1 - p)) and d/dt = log(1 - p) - log(p), over n (0 < p < 1)."""
    ps, ts = halves(args)
    n = len(ps)
    return ([(p - t) / (p * (1 - p)) / n for p, t in zip(ps, ts)]
            + [(math.log1p(-p) - math.log(p)) / n for p in ps])


def bce_logits_value(*args):
    zs, ts = halves(args)
    return sum(max(z, 0.0) - z * t + math.log1p(math.exp(-abs(z)))
               for z, t in zip(zs, ts)) / len(zs)


def bce_logits_grad(*args):
    zs, ts = halves(args)
    n = len(zs)
    return [(sigmoid(z) - t) / n for z, t in zip(zs, ts)] + [-z / n for z in zs]


LABELS = (1.0, 1.0, -1.0, -1.0)


def hinge_value(*scores):
    return sum(max(0.0, 1.0 - y * s) for s, y in zip(scores, LABELS)) / len(scores)


def hinge_grad(*scores):
    return [-y / len(scores) if 1.0 - y * s > 0 else 0.0 for s, y in zip(scores, LABELS)]


WEIGHTS = (1.0, -2.0, 0.5, 3.0)  # softmax is checked through sum(weight_i * softmax_i)


def weighted_softmax_value(*zs):
    return sum(c * s for c, s in zip(WEIGHTS, softmax_of(zs)))


def weighted_softmax_grad(*zs):
    s = softmax_of(zs)
    mean = sum(c * si for c, si in zip(WEIGHTS, s))
    return [si * (c - mean) for c, si in zip(WEIGHTS, s)]


TARGET = 1
BATCH_TARGETS = (2, 0)


def ce_value(*zs):
    return logsumexp(zs) - zs[TARGET]


def ce_grad(*zs):
    return [s - (i == TARGET) for i, s in enumerate(softmax_of(zs))]


def rows_of(args):
    return [list(args[:3]), list(args[3:])]


def ce_batch_value(*args):
    return sum(logsumexp(row) - row[t]
               for row, t in zip(rows_of(args), BATCH_TARGETS)) / len(BATCH_TARGETS)


def ce_batch_grad(*args):
    grads = []
    for row, t in zip(rows_of(args), BATCH_TARGETS):
        grads += [(s - (i == t)) / len(BATCH_TARGETS) for i, s in enumerate(softmax_of(row))]
    return grads


# -- the table of losses under test ------------------------------------------------------

class Point:
    """Inputs to check a loss at; `fd=False` where a finite difference would leave the
    domain or cross a kink; `torch_grad=False` where PyTorch's gradient is, by design,
    not the derivative of its loss (see test_bce_gradient_where_pytorch_differs), and
    `torch_d2=False` where its second derivative is not (see test_bce_second_derivative)."""

    def __init__(self, *args, fd=True, torch_grad=True, torch_d2=True):
        self.args = tuple(float(a) for a in args)
        self.fd = fd
        self.torch_grad = torch_grad
        self.torch_d2 = torch_grad and torch_d2

    def __repr__(self):
        return ",".join(repr(a) for a in self.args)


at = Point


class Case:
    """`fn` of flat Values, `torch_fn(torch, *tensors)` the same loss in PyTorch, and the
    closed-form value and gradient (a list, one entry per input)."""

    def __init__(self, name, fn, torch_fn, value, grad, points):
        self.name, self.fn, self.torch_fn, self.value, self.grad = name, fn, torch_fn, value, grad
        self.points = [p if isinstance(p, Point) else Point(*p) for p in points]


def F(torch):
    return torch.nn.functional


def stack(torch, xs):
    return torch.stack(list(xs))


def two_lists(loss):
    """A loss of (predictions, targets), as a function of both lists flattened."""
    return lambda *args: loss(*map(list, halves(args)))


CASES = [
    Case("mse", two_lists(mse),
         lambda torch, *a: F(torch).mse_loss(*(stack(torch, h) for h in halves(a))),
         mse_value, mse_grad,
         [(0.5, -1.2, 3.0, 1.0, -1.0, 0.0), (2.0, 2.0), (-1e3, 1e3, 0.25, -0.25)]),
    Case("binary_cross_entropy", two_lists(binary_cross_entropy),
         lambda torch, *a: F(torch).binary_cross_entropy(*(stack(torch, h) for h in halves(a))),
         bce_value, bce_grad,
         [(0.3, 0.6, 0.2, 0.9), (0.5, 0.5), (0.02, 0.97, 0.5, 0.5),
          # a target of 0 or 1 has no room for a finite difference
          at(0.9, 0.05, 1.0, 0.0, fd=False),
          at(1e-8, 1 - 1e-8, 1.0, 0.0, fd=False, torch_d2=False),
          at(1e-20, 0.0, fd=False, torch_grad=False)]),
    Case("binary_cross_entropy_with_logits", two_lists(binary_cross_entropy_with_logits),
         lambda torch, *a: F(torch).binary_cross_entropy_with_logits(
             *(stack(torch, h) for h in halves(a))),
         bce_logits_value, bce_logits_grad,
         [(0.3, -2.0, 0.2, 1.0), (0.0, 0.0, 1.0, 0.0), (0.0, 0.3), (5.0, -7.0, 0.0, 1.0),
          (1000.0, -1000.0, 1.0, 1.0), (1000.0, -1000.0, 0.0, 0.0), (-1000.0, 0.5),
          (40.0, -40.0, 1.0, 0.0)]),
    Case("hinge", lambda *s: hinge(list(s), LABELS[:len(s)]),
         lambda torch, *s: torch.relu(1.0 - stack(torch, s)
                                      * torch.tensor(LABELS[:len(s)])).mean(),
         hinge_value, hinge_grad,
         [(2.0, 0.5, -0.3, 0.7), (-3.0, 0.25), (1e3, -1e3, 1e3, -1e3),
          at(1.0, 0.5, -1.0, fd=False)]),  # at the kink 1 - y s = 0: relu'(0) = 0
    Case("softmax", lambda *z: sum(c * s for c, s in zip(WEIGHTS, softmax(list(z)))),
         lambda torch, *z: (F(torch).softmax(stack(torch, z), 0)
                            * torch.tensor(WEIGHTS[:len(z)])).sum(),
         weighted_softmax_value, weighted_softmax_grad,
         [(0.5, -1.0, 2.0, 0.0), (1.0, 1.0, 1.0), (3.0,), (1000.0, -1000.0, 0.0, 999.0),
          (-1000.0, -1000.0, -1000.0)]),
    Case("cross_entropy", lambda *z: cross_entropy(list(z), TARGET),
         lambda torch, *z: F(torch).cross_entropy(stack(torch, z).unsqueeze(0),
                                                  torch.tensor([TARGET])),
         ce_value, ce_grad,
         [(0.5, -1.0, 2.0), (0.0, 0.0), (1000.0, -1000.0, 0.0), (-1000.0, 1000.0),
          (-1000.0, -1000.0, -1000.0, 1000.0), (40.0, 0.0)]),
    Case("cross_entropy batch", lambda *z: cross_entropy(rows_of(z), list(BATCH_TARGETS)),
         lambda torch, *z: F(torch).cross_entropy(torch.stack(list(z)).reshape(2, 3),
                                                  torch.tensor(BATCH_TARGETS)),
         ce_batch_value, ce_batch_grad,
         [(0.5, -1.0, 2.0, 0.1, 0.2, -0.3), (1000.0, -1000.0, 0.0, -1000.0, 0.0, 1000.0)]),
]


# -- the helper ----------------------------------------------------------------------------

def close(expected, rel=REL):
    return pytest.approx(expected, rel=rel, abs=ABS)


def check_case(torch, case, point):
    args = point.args
    n = len(args)

    # (a) value and gradient against the closed forms
    xs = [Value(a) for a in args]
    loss = case.fn(*xs)
    assert isinstance(loss, Value)
    assert math.isfinite(loss.data)
    assert loss.data == close(case.value(*args)), "value"
    loss.backward()
    assert [x.grad for x in xs] == close(case.grad(*args)), "backward"

    # (b) PyTorch in float64: value, gradient and second derivatives
    ts = [torch.tensor(a, requires_grad=True) for a in args]
    yt = case.torch_fn(torch, *ts)
    assert yt.dtype == torch.float64
    assert loss.data == close(yt.item()), "value vs torch"
    gt = torch.autograd.grad(yt, ts, create_graph=True)
    if point.torch_grad:
        assert [x.grad for x in xs] == close([g.item() for g in gt]), "gradient vs torch"
    if point.torch_d2:
        xs = [Value(a) for a in args]
        first = micrograd.grad(case.fn(*xs), xs, create_graph=True)
        for i in range(n):
            ours = micrograd.grad(first[i], xs)
            if gt[i].requires_grad:
                row = torch.autograd.grad(gt[i], ts, retain_graph=True, allow_unused=True)
                theirs = [0.0 if g is None else g.item() for g in row]
            else:
                theirs = [0.0] * n  # PyTorch's first derivative is a constant here
            assert ours == close(theirs, REL2), f"second derivatives d/d{i} vs torch"

    # (c) finite differences, first and second derivatives
    if point.fd:
        assert gradcheck(case.fn, args)
        assert gradgradcheck(case.fn, args)


def cases():
    for case in CASES:
        for point in case.points:
            yield pytest.param(case, point, id=f"{case.name}@{point!r}")


@pytest.mark.parametrize(("case", "point"), list(cases()))
def test_loss(torch, case, point):
    check_case(torch, case, point)


def test_every_loss_is_covered():
    covered = {case.name.split()[0] for case in CASES}
    assert covered == {'mse', 'binary_cross_entropy', 'binary_cross_entropy_with_logits',
                       'hinge', 'softmax', 'cross_entropy'}


def test_helper_catches_a_wrong_gradient(torch):
    wrong = Case("mse", two_lists(mse), CASES[0].torch_fn, mse_value,
                 lambda *a: [2 * g for g in mse_grad(*a)], [(0.5, 1.0)])
    with pytest.raises(AssertionError, match="backward"):
        check_case(torch, wrong, wrong.points[0])


def test_helper_catches_a_wrong_second_derivative(torch):
    # x**2 / 2 with the right value and first derivative, but x.data is a constant, so
    # the second derivative is 0 instead of 1
    wrong = Case("x**2/2", lambda x: x.data * x - x.data ** 2 / 2, lambda torch, x: x * x / 2,
                 lambda x: x * x / 2, lambda x: [x], [(0.5,)])
    with pytest.raises(AssertionError, match="second derivatives"):
        check_case(torch, wrong, wrong.points[0])


# -- single values, numbers, numpy ---------------------------------------------------------

def test_mse_of_a_value_and_a_number():
    p = Value(2.5)
    loss = mse(p, 1.0)
    loss.backward()
    assert (loss.data, p.grad) == (2.25, 3.0)


def test_a_number_prediction_is_a_constant_and_a_value_target_gets_a_gradient():
    t = Value(1.0)
    loss = mse(2.5, t)
    loss.backward()
    assert loss.data == 2.25
    assert t.grad == -3.0


@pytest.mark.parametrize("loss", [
    lambda: mse(2.0, 1.0),
    lambda: mse([2.0], [1.0]),
    lambda: binary_cross_entropy(0.25, 1.0),
    lambda: binary_cross_entropy_with_logits(3.0, 0),
    lambda: hinge(0.5, -1),
    lambda: cross_entropy([1.0, 2.0], 0),
    lambda: cross_entropy([[1.0, 2.0]], [1]),
], ids=["mse", "mse-list", "bce", "bce-logits", "hinge", "ce", "ce-batch"])
def test_every_loss_returns_a_value_even_of_plain_numbers(loss):
    result = loss()
    assert isinstance(result, Value)
    assert type(result.data) is float


def test_softmax_of_numbers_gives_values():
    probabilities = softmax([0.0, math.log(3.0)])
    assert all(isinstance(p, Value) for p in probabilities)
    assert [p.data for p in probabilities] == close([0.25, 0.75])


def test_numpy_inputs():
    ps, ts = np.array([0.2, 0.7]), np.array([0.0, 1.0])
    assert binary_cross_entropy(ps, ts).data == close(bce_value(*ps, *ts))
    assert cross_entropy(np.array([1.0, 2.0, 3.0]), np.int64(2)).data == close(
        logsumexp([1.0, 2.0, 3.0]) - 3.0)
    scores = [Value(0.5), Value(-2.0)]
    assert hinge(scores, np.array([-1, 1])).data == hinge(scores, [-1.0, 1.0]).data == 2.25


def test_losses_under_no_grad_record_nothing():
    p = Value(0.3)
    with no_grad():
        loss = binary_cross_entropy_with_logits([p], [1.0])
    assert loss._prev == ()
    assert loss.data == close(bce_logits_value(0.3, 1.0))


def test_hinge_is_the_demo_arithmetic_to_the_bit():
    scores = [Value(s) for s in (0.7, -0.2, 1.9, 0.1, -1.3)]
    labels = [1, -1, 1, 1, -1]
    # the demo: a sum of margins relu(1 + -y*s), scaled by 1/n
    margins = [(1 + -y * s).relu() for y, s in zip(labels, scores)]
    expected = sum(margins) * (1.0 / len(margins))
    assert hinge(scores, labels).data == expected.data


# -- extremes ------------------------------------------------------------------------------

@pytest.mark.parametrize(("p", "t", "loss"), [
    (0.0, 1.0, 100.0), (1.0, 0.0, 100.0), (0.0, 0.0, 0.0), (1.0, 1.0, 0.0), (0.0, 0.5, 50.0),
    (1e-50, 1.0, 100.0),  # log(1e-50) = -115 is clamped too
])
def test_bce_clamps_like_pytorch(torch, p, t, loss):
    x = Value(p)
    result = binary_cross_entropy(x, t)
    result.backward()
    assert result.data == loss
    assert result.data == F(torch).binary_cross_entropy(torch.tensor(p), torch.tensor(t)).item()
    # a clamped log is a constant: the gradient is the derivative of the unclamped part
    log_p_clamped = p == 0 or math.log(p) < -100
    log_q_clamped = p == 1 or math.log1p(-p) < -100
    expected = (0.0 if log_p_clamped else -t / p) + (0.0 if log_q_clamped else (1 - t) / (1 - p))
    assert x.grad == close(expected)
    assert math.isfinite(x.grad)


def test_bce_gradient_where_pytorch_differs(torch):
    # PyTorch's backward divides by max(p (1 - p), 1e-12), so below 1e-12 its gradient is
    # not the derivative of its own loss (-log p here, unclamped at 1e-13); ours is
    p = 1e-13
    x = Value(p)
    binary_cross_entropy(x, 1.0).backward()
    assert x.grad == close(-1.0 / p)
    assert gradcheck(lambda v: binary_cross_entropy(v, 1.0), [p], eps=1e-17, rtol=1e-6)
    pt = torch.tensor(p, requires_grad=True)
    loss = F(torch).binary_cross_entropy(pt, torch.tensor(1.0))
    loss.backward()
    assert loss.item() == close(-math.log(p))  # the same loss ...
    # ... but another gradient; should this fail, PyTorch has changed: look again at the
    # torch_grad=False points above and this function's docstring
    assert pt.grad.item() == pytest.approx(-1e12, rel=1e-6)


@pytest.mark.parametrize(("p", "t"), [(1e-8, 1.0), (1e-4, 0.0), (0.3, 1.0), (0.5, 0.25)])
def test_bce_second_derivative(torch, p, t):
    # t / p**2 + (1 - t) / (1 - p)**2; PyTorch's is (p**2 - 2 p t + t) / ((p + 1e-12)**2
    # (1 - p + 1e-12)**2): off by 1e-11 relative at p = 0.3, by 2e-4 at p = 1e-8
    x = Value(p)
    first = micrograd.grad(binary_cross_entropy(x, t), [x], create_graph=True)[0]
    second = micrograd.grad(first, [x])[0]
    assert second == close(t / p ** 2 + (1 - t) / (1 - p) ** 2)
    assert gradgradcheck(lambda v: binary_cross_entropy(v, t), [p], eps=p * 1e-4, rtol=1e-5)


@pytest.mark.parametrize(("z", "t"), [(1000.0, 0.0), (1000.0, 1.0), (-1000.0, 0.0),
                                      (-1000.0, 1.0), (710.0, 0.3), (-745.5, 0.7)])
def test_bce_with_logits_at_huge_logits(z, t):
    x = Value(z)
    loss = binary_cross_entropy_with_logits(x, t)
    loss.backward()
    assert loss.data == close(max(z, 0.0) - z * t)  # log(1 + e^-|z|) is below rounding
    assert x.grad == close((1.0 if z > 0 else 0.0) - t)
    second = micrograd.grad(micrograd.grad(binary_cross_entropy_with_logits(x, t), [x],
                                           create_graph=True)[0], [x])[0]
    assert second == close(0.0)


@pytest.mark.parametrize("t", [0.0, 0.25, 1.0])
def test_bce_with_logits_at_zero_logit(t):
    # max(z, 0) and |z| written with relu and abs would give a derivative of -t here
    z = Value(0.0)
    loss = binary_cross_entropy_with_logits(z, t)
    first = micrograd.grad(loss, [z], create_graph=True)[0]
    assert loss.data == close(math.log(2.0))
    assert first.data == close(0.5 - t)
    assert micrograd.grad(first, [z])[0] == close(0.25)  # sigmoid'(0)


@pytest.mark.parametrize(("loss", "expected"), [
    (lambda: binary_cross_entropy_with_logits(40.0, 1.0), math.log1p(math.exp(-40.0))),
    (lambda: binary_cross_entropy_with_logits(-40.0, 0.0), math.log1p(math.exp(-40.0))),
    (lambda: binary_cross_entropy_with_logits(-3.0, 0.0), math.log1p(math.exp(-3.0))),
    (lambda: binary_cross_entropy(1e-20, 0.0), 1e-20),
    (lambda: binary_cross_entropy(1e-10, 0.0), -math.log1p(-1e-10)),
    (lambda: binary_cross_entropy(0.3, 0.0), -math.log1p(-0.3)),
], ids=["logit+40", "logit-40", "logit-3", "p=1e-20", "p=1e-10", "p=0.3"])
def test_tiny_losses_keep_their_digits(loss, expected):
    # log(1 + x) with 1 + x rounded would give 0, or lose digits, for these
    assert loss().data == pytest.approx(expected, rel=1e-14, abs=0.0)


def test_softmax_at_huge_logits():
    zs = [Value(1000.0), Value(-1000.0), Value(998.0)]
    out = softmax(zs)
    expected = softmax_of([1000.0, -1000.0, 998.0])
    assert [p.data for p in out] == close(expected)
    assert out[1].data == 0.0
    assert sum(p.data for p in out) == close(1.0)
    # the Jacobian s_i (delta_ij - s_j)
    for i, p in enumerate(out):
        row = micrograd.grad(p, zs)
        assert row == close([expected[i] * ((i == j) - expected[j]) for j in range(3)])


def test_softmax_jacobian_against_torch(torch):
    logits = [0.3, -1.2, 2.5, 0.0]
    zs = [Value(z) for z in logits]
    zt = torch.tensor(logits, requires_grad=True)
    jacobian = torch.autograd.functional.jacobian(lambda z: F(torch).softmax(z, 0), zt)
    for i, p in enumerate(softmax(zs)):
        assert p.data == close(F(torch).softmax(zt, 0)[i].item())
        assert micrograd.grad(p, zs) == close(jacobian[i].tolist())


@pytest.mark.parametrize(("logits", "target"), [
    ([1000.0, -1000.0], 1), ([1000.0, -1000.0], 0), ([-1000.0, -1000.0, -1000.0], 2),
    ([1000.0, 1000.0, -1000.0], 0), ([-1000.0, 1000.0, 0.0], 2),
])
def test_cross_entropy_at_huge_logits(torch, logits, target):
    zs = [Value(z) for z in logits]
    loss = cross_entropy(zs, target)
    loss.backward()
    assert loss.data == close(logsumexp(logits) - logits[target])
    expected = [s - (i == target) for i, s in enumerate(softmax_of(logits))]
    assert [z.grad for z in zs] == close(expected)
    zt = torch.tensor(logits, requires_grad=True)
    lt = F(torch).cross_entropy(zt.unsqueeze(0), torch.tensor([target]))
    lt.backward()
    assert loss.data == close(lt.item())
    assert [z.grad for z in zs] == close(zt.grad.tolist())


def test_cross_entropy_batch_is_the_mean_of_single_examples():
    rows = [[0.2, -0.4, 1.1], [1000.0, 0.0, -1000.0], [3.0, 3.0, 3.0]]
    targets = [2, 2, 0]
    singles = [cross_entropy(row, t).data for row, t in zip(rows, targets)]
    assert cross_entropy(rows, targets).data == close(sum(singles) / 3)
    assert cross_entropy([rows[0]], [targets[0]]).data == singles[0]


def every_loss_of(a, b):
    """All the losses of the same two Values, summed: a graph with fan-out and reuse."""
    zs = [a, b]
    return (cross_entropy(zs, 1) + binary_cross_entropy_with_logits(zs, [1.0, 0.0])
            + binary_cross_entropy([z.sigmoid() for z in zs], [0.0, 1.0]) + hinge(zs, [1, -1])
            + mse(zs, [0.0, 1.0]) + softmax(zs)[0] * mse(a, b))


def test_losses_are_graphs_of_engine_primitives():
    loss = every_loss_of(Value(0.4), Value(-0.3))
    ops = {node._op for node in micrograd.topological_order([loss]) if node._prev}
    assert ops <= set(micrograd.ops.TABLE) | {'**2'}
    assert gradcheck(every_loss_of, [0.4, -0.3])
    assert gradgradcheck(every_loss_of, [0.4, -0.3])


# -- bad input -----------------------------------------------------------------------------

V = Value


@pytest.mark.parametrize(("call", "error", "words"), [
    # mse: shapes and types
    (lambda: mse([V(1), V(2)], [1.0]), ValueError, ["mse", "2 predictions", "1 targets"]),
    (lambda: mse([], []), ValueError, ["mse", "empty"]),
    (lambda: mse(V(1), [1.0, 2.0]), ValueError, ["mse", "predictions", "single"]),
    (lambda: mse([V(1)], 1.0), ValueError, ["mse", "targets", "single"]),
    (lambda: mse([V(1), "2"], [1.0, 2.0]), TypeError, ["mse", "str"]),
    (lambda: mse([V(1)], [None]), TypeError, ["mse", "NoneType"]),
    (lambda: mse(None, 1.0), TypeError, ["mse", "NoneType"]),
    (lambda: mse(V(1), 1j), TypeError, ["mse", "complex"]),
    (lambda: mse("ab", "cd"), TypeError, ["mse", "str"]),
    # binary_cross_entropy: probabilities and targets in [0, 1]
    (lambda: binary_cross_entropy(V(1.5), 1.0), ValueError, ["binary_cross_entropy", "1.5"]),
    (lambda: binary_cross_entropy([V(0.5), V(-0.1)], [1, 0]), ValueError,
     ["binary_cross_entropy", "-0.1"]),
    (lambda: binary_cross_entropy(V(math.nan), 1.0), ValueError,
     ["binary_cross_entropy", "nan"]),
    (lambda: binary_cross_entropy(V(0.5), 2.0), ValueError, ["binary_cross_entropy", "2.0"]),
    (lambda: binary_cross_entropy([V(0.5)], []), ValueError, ["binary_cross_entropy"]),
    (lambda: binary_cross_entropy(V(0.5), "1"), TypeError, ["binary_cross_entropy", "str"]),
    # binary_cross_entropy_with_logits
    (lambda: binary_cross_entropy_with_logits([V(1)], [1.0, 0.0]), ValueError,
     ["binary_cross_entropy_with_logits", "1 logits", "2 targets"]),
    (lambda: binary_cross_entropy_with_logits([[V(1)]], [1.0]), TypeError,
     ["binary_cross_entropy_with_logits", "list"]),
    # hinge: labels -1 or +1
    (lambda: hinge([V(1), V(2)], [1, 0]), ValueError, ["hinge", "0"]),
    (lambda: hinge(V(1), 0.5), ValueError, ["hinge", "0.5"]),
    (lambda: hinge(V(1), V(1)), TypeError, ["hinge", "Value"]),
    (lambda: hinge(V(1), "1"), TypeError, ["hinge", "str"]),
    (lambda: hinge([V(1)], [1, -1]), ValueError, ["hinge", "1 scores", "2 labels"]),
    # softmax
    (lambda: softmax([]), ValueError, ["softmax", "empty"]),
    (lambda: softmax([V(1), "a"]), TypeError, ["softmax", "str"]),
    (lambda: softmax(V(1)), TypeError, ["softmax", "Value"]),
    # cross_entropy: the target, the batch
    (lambda: cross_entropy([V(1), V(2), V(3)], 3), ValueError, ["cross_entropy", "3", "range"]),
    (lambda: cross_entropy([V(1), V(2)], -1), ValueError, ["cross_entropy", "-1", "range"]),
    (lambda: cross_entropy([V(1), V(2)], 1.0), TypeError, ["cross_entropy", "float"]),
    (lambda: cross_entropy([V(1), V(2)], True), TypeError, ["cross_entropy", "bool"]),
    (lambda: cross_entropy([V(1), V(2)], V(1)), TypeError, ["cross_entropy", "Value"]),
    (lambda: cross_entropy([], 0), ValueError, ["cross_entropy", "empty"]),
    (lambda: cross_entropy([[1.0, 2.0]], [0, 1]), ValueError, ["cross_entropy", "1", "2"]),
    (lambda: cross_entropy([], []), ValueError, ["cross_entropy", "empty"]),
    (lambda: cross_entropy([[1.0, 2.0], [1.0]], [0, 0]), ValueError,
     ["cross_entropy", "same number"]),
    (lambda: cross_entropy([1.0, 2.0], [0, 1]), TypeError, ["cross_entropy", "float"]),
    (lambda: cross_entropy([[1.0, 2.0]], [2]), ValueError, ["cross_entropy", "2", "range"]),
    (lambda: cross_entropy([[1.0, 2.0]], ["0"]), TypeError, ["cross_entropy", "str"]),
], ids=lambda x: None)
def test_bad_input(call, error, words):
    assert_raises_naming(call, error, words)


def test_hinge_labels_must_not_be_booleans():
    with pytest.raises(TypeError, match="labels must be the numbers -1 or \\+1, got bool"):
        hinge([Value(0.5)], [True])
