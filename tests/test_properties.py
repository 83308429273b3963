"""Property tests: random expression graphs from `micrograd.testing`."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from micrograd import Value, grad, gradcheck, gradgradcheck
from micrograd.testing import (
    KINKED,
    OPERATIONS,
    SMOOTH,
    Expression,
    expressions,
    expressions_with_inputs,
)


@given(expressions_with_inputs())
def test_first_derivatives_match_finite_differences(case):
    expression, point = case
    assert gradcheck(expression, point)


@given(expressions_with_inputs(max_steps=5, bound=20.0))
def test_second_derivatives_match_finite_differences(case):
    expression, point = case
    assert gradgradcheck(expression, point, atol=1e-4, rtol=1e-3)


@given(case=expressions_with_inputs(operations=tuple(OPERATIONS)))
def test_values_and_gradients_match_pytorch(case, torch):
    expression, point = case
    xs = [Value(x) for x in point]
    out = expression(*xs)
    out.backward()
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    expected = expression(*ts)
    expected.backward()
    assert out.data == pytest.approx(expected.item(), rel=1e-9, abs=1e-12)
    for x, t in zip(xs, ts):
        assert x.grad == pytest.approx(t.grad.item(), rel=1e-9, abs=1e-9)


def exponent_is_zero(expression, point):
    """True where a `pow` step has an exponent of exactly 0: there PyTorch masks the
    derivative with respect to the base, which cuts its second derivatives (a PyTorch
    quirk, not ours; gradgradcheck covers those points)."""
    nodes = expression.nodes(*map(Value, point))
    return any(op == 'pow' and nodes[args[1]].data == 0.0 for op, args in expression.steps)


@given(case=expressions_with_inputs(max_steps=5, bound=20.0, operations=tuple(OPERATIONS)))
def test_second_derivatives_match_pytorch(case, torch):
    expression, point = case
    assume(not exponent_is_zero(expression, point))
    xs = [Value(x) for x in point]
    first = grad(expression(*xs), xs, create_graph=True)
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    tfirst = torch.autograd.grad(expression(*ts), ts, create_graph=True)
    for i, g in enumerate(first):
        assert g.data == pytest.approx(tfirst[i].item(), rel=1e-9, abs=1e-9)
        if not tfirst[i].requires_grad:
            continue  # PyTorch has no graph for a constant derivative; ours is zero
        second = grad(g, xs)
        tsecond = torch.autograd.grad(tfirst[i], ts, retain_graph=True, allow_unused=True,
                                      materialize_grads=True)
        assert second == pytest.approx([t.item() for t in tsecond], rel=1e-8, abs=1e-8)


@given(expressions_with_inputs(), st.integers(2, 3))
def test_repeated_backward_accumulates_on_leaves(case, passes):
    expression, point = case
    xs = [Value(x) for x in point]
    out = expression(*xs)
    out.backward()
    once = [x.grad for x in xs]
    for _ in range(passes - 1):
        out.backward()
    assert [x.grad for x in xs] == pytest.approx([passes * g for g in once], rel=1e-12)
    assert out.grad == 1.0


@given(expressions_with_inputs())
def test_grad_agrees_with_backward_and_touches_nothing(case):
    expression, point = case
    xs = [Value(x) for x in point]
    out = expression(*xs)
    functional = grad(out, xs)
    assert all(x.grad == 0.0 for x in xs)
    out.backward()
    assert functional == [x.grad for x in xs]


@given(expressions(operations=tuple(OPERATIONS)))
def test_expressions_are_well_formed(expression):
    assert isinstance(expression, Expression)
    assert 1 <= expression.n_inputs <= 3
    for k, (op, args) in enumerate(expression.steps):
        assert len(args) == OPERATIONS[op][0]
        assert all(0 <= i < expression.n_inputs + k for i in args)
    assert repr(expression).startswith("Expression(")


def test_operation_sets():
    assert set(SMOOTH) | set(KINKED) == set(OPERATIONS)
    with pytest.raises(ValueError, match="unknown operations"):
        expressions(operations=('nope',))
