"""The engine on whole graphs: fan-out, reuse, depth, repeated backward, higher order."""

import gc
import io
import math
import sys

import pytest

import micrograd
from micrograd import Value, grad, no_grad
from micrograd.graph import topological_order
from micrograd.nn import MLP

from conftest import require_module


def readme_expression(a, b):
    """The expression of micrograd 0.1.0's README, on any numbers-like a and b."""
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    return g


def test_readme_example_prints_micrograd_figures():
    a, b = Value(-4.0), Value(2.0)
    g = readme_expression(a, b)
    g.backward()
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_readme_example_in_place_operators_as_upstream():
    # the README itself writes `c += c + 1`: in-place forms build new nodes
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    before = c
    c += c + 1
    assert c is not before and before in c._prev
    d = a * b + b**3
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    g = (c - d) ** 2 / 2.0
    g += 10.0 / ((c - d) ** 2)
    g.backward()
    assert (g.data, a.grad, b.grad) == pytest.approx((24.7041, 138.8338, 645.5773), abs=1e-4)


def test_readme_example_agrees_with_pytorch(torch):
    a, b = Value(-4.0), Value(2.0)
    g = readme_expression(a, b)
    g.backward()
    ta = torch.tensor(-4.0, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    tg = readme_expression(ta, tb)
    tg.backward()
    assert g.data == pytest.approx(tg.item(), rel=1e-12)
    assert a.grad == pytest.approx(ta.grad.item(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)


def test_lecture_neuron_gradients():
    # the single tanh neuron of micrograd's lecture: published gradients
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == pytest.approx(0.7071, abs=1e-4)
    assert [x1.grad, w1.grad, x2.grad, w2.grad, b.grad] == pytest.approx(
        [-1.5, 1.0, 0.5, 0.0, 0.5], abs=1e-4)


def test_repr_and_attributes():
    v = Value(2)
    assert repr(v) == "Value(data=2.0, grad=0.0)"
    assert type(v.data) is float and v._prev == () and v._op == '' and v.label == ''
    w = Value(3.0, label='w')
    assert repr(w) == "Value(data=3.0, grad=0.0, label='w')"
    assert float(w) == 3.0
    y = v * w
    assert y._op == '*' and y._prev == (v, w)


def test_values_hash_by_identity():
    a, b = Value(1.0), Value(1.0)
    assert a != b and len({a, b}) == 2
    assert {a: 1}[a] == 1
    assert "__eq__" not in Value.__dict__


def test_hand_built_value_with_children_is_accepted():
    # as in micrograd's lecture: Value(data, (children), op, label)
    a, b = Value(2.0), Value(3.0)
    c = Value(5.0, (a, b), '+', label='c')
    assert c._prev == (a, b) and c._op == '+' and c.label == 'c'
    c.backward()  # no rule is attached: the gradient stops at c, as upstream
    assert c.grad == 1.0 and a.grad == 0.0


def test_square_by_self_multiplication_keeps_both_edges():
    x = Value(3.0)
    y = x * x
    assert y._prev == (x, x)
    y.backward()
    assert x.grad == 6.0


def test_fan_out_is_summed():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert (b.grad, a.grad) == (2.0, 4.0)


def test_diamond():
    x = Value(0.5)
    left, right = x.tanh(), x.exp()
    y = left * right
    y.backward()
    expected = (1 - math.tanh(0.5) ** 2) * math.exp(0.5) + math.tanh(0.5) * math.exp(0.5)
    assert x.grad == pytest.approx(expected, rel=1e-14)
    assert left.grad == pytest.approx(math.exp(0.5)) and right.grad == pytest.approx(
        math.tanh(0.5))


def test_backward_twice_accumulates_leaves_only():
    a = Value(3.0)
    b = a * a
    c = b * a
    c.backward()
    assert (a.grad, b.grad, c.grad) == (27.0, 3.0, 1.0)
    c.backward()
    assert (a.grad, b.grad, c.grad) == (54.0, 3.0, 1.0)


def test_backward_twice_matches_pytorch_retain_graph(torch):
    a = Value(3.0)
    c = a * a * a
    ta = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    tc = ta * ta * ta
    for _ in range(2):
        c.backward()
        tc.backward(retain_graph=True)
        assert a.grad == ta.grad.item()


def test_zero_grad_then_backward_starts_again():
    a = Value(2.0)
    y = a ** 3
    y.backward()
    y.backward()
    assert a.grad == 24.0
    a.grad = 0.0
    y.backward()
    assert a.grad == 12.0


def test_backward_seed_and_leaf_root():
    x = Value(2.0)
    (x * 5).backward(grad=0.5)
    assert x.grad == 2.5
    x.backward()  # a leaf as the root: d x / d x = 1, accumulated as in PyTorch
    assert x.grad == 3.5


def test_backward_through_shared_subgraph_of_two_outputs():
    x = Value(1.5)
    shared = x.sin()
    y1 = shared * 2
    y2 = shared ** 2
    y1.backward()
    y2.backward()
    assert x.grad == pytest.approx(2 * math.cos(1.5) + 2 * math.sin(1.5) * math.cos(1.5))


def test_million_deep_chain_at_default_recursion_limit():
    assert sys.getrecursionlimit() <= 1000 or pytest.skip("recursion limit raised elsewhere")
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = -y
    y.backward()
    assert x.grad == 1.0
    assert len(topological_order([y])) == 1_000_001
    del y  # freeing a million-deep chain must not overflow the C stack either


def test_discarded_graph_is_freed_by_reference_counting():
    gc.collect()
    gc.disable()
    try:
        x = Value(0.3)
        y = x
        for _ in range(1000):
            y = (y * x).tanh() + x
        y.backward()
        del y
        assert gc.collect() == 0  # no reference cycle was left for the collector
    finally:
        gc.enable()


def test_no_grad_records_no_history():
    x = Value(2.0)
    with no_grad():
        y = (x * 3).tanh() + 1
        assert not micrograd.is_grad_enabled()
    assert micrograd.is_grad_enabled()
    assert y._prev == () and y._op == ''
    assert y.data == pytest.approx(math.tanh(6.0) + 1)
    z = x * 3
    assert z._prev == (x, z._prev[1])


def test_no_grad_gives_a_leaf_from_every_operation():
    """Each operation on its own (the fast paths of `+ * ** tanh relu` too), not only the
    last of an expression."""
    x, w = Value(0.5), Value(2.0)
    with no_grad():
        outs = [x + 1, x + w, x * 2, x * w, x ** 2, x ** 0.5, x ** w, x.tanh(), x.relu(),
                (-x).relu(), x.exp(), x - 1, x / 2, -x, 1 - x, 2 / x, 3 ** x]
    assert [(o._prev, o._op) for o in outs] == [((), '')] * len(outs)
    assert outs[7].data == math.tanh(0.5) and outs[4].data == 0.25


def test_no_grad_as_decorator_and_nested():
    @no_grad()
    def step(v):
        return v * 2

    assert step(Value(1.0))._prev == ()
    with no_grad():
        with no_grad():
            pass
        assert not micrograd.is_grad_enabled()
    assert micrograd.is_grad_enabled()


def test_no_grad_decorator_survives_recursion_and_errors():
    @no_grad()
    def countdown(n):
        if n:
            countdown(n - 1)
        assert not micrograd.is_grad_enabled()

    countdown(3)
    assert micrograd.is_grad_enabled()
    with pytest.raises(ZeroDivisionError), no_grad():
        Value(1.0) / 0
    assert micrograd.is_grad_enabled()


def test_detach():
    x = Value(2.0)
    y = x * x
    d = y.detach()
    assert d.data == 4.0 and d._prev == () and d is not y
    z = d * x
    z.backward()
    assert x.grad == 4.0  # no gradient flows through the detached branch


def test_intermediate_grad_after_pass():
    x = Value(-1.0)
    h = x.relu()
    y = h + x
    y.backward()
    assert (h.grad, x.grad) == (1.0, 1.0)


# -- higher order ----------------------------------------------------------------------

def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def hessian(f, point):
    xs = [Value(p) for p in point]
    first = grad(f(*xs), xs, create_graph=True)
    return [grad(g, xs) for g in first]


def test_rosenbrock_hessian_at_minimum():
    assert hessian(rosenbrock, [1.0, 1.0]) == [[802.0, -400.0], [-400.0, 200.0]]


def test_rosenbrock_hessian_against_pytorch(torch):
    point = [-0.7, 1.9]
    ours = hessian(rosenbrock, point)
    theirs = torch.autograd.functional.hessian(
        lambda t: rosenbrock(t[0], t[1]), torch.tensor(point, dtype=torch.float64))
    for row, expected in zip(ours, theirs.tolist()):
        assert row == pytest.approx(expected, rel=1e-12)


def test_third_derivative():
    x = Value(0.7)
    y = x.sin() * x**3
    d1 = grad(y, [x], create_graph=True)[0]
    d2 = grad(d1, [x], create_graph=True)[0]
    d3 = grad(d2, [x])[0]
    s, c = math.sin(0.7), math.cos(0.7)
    # d3/dx3 (x^3 sin x) = 6 sin x + 18 x cos x - 9 x^2 sin x - x^3 cos x
    expected = 6 * s + 18 * 0.7 * c - 9 * 0.49 * s - 0.343 * c
    assert d3 == pytest.approx(expected, rel=1e-12)


def test_mixed_partial_and_grad_leaves_grads_alone():
    x, y = Value(1.3), Value(-0.4)
    x.grad, y.grad = 7.0, 8.0
    f = x.exp() * y.sin() + x * y * y
    dfdx = grad(f, [x], create_graph=True)[0]
    dxy = grad(dfdx, [y])[0]
    assert dxy == pytest.approx(math.exp(1.3) * math.cos(-0.4) + 2 * -0.4, rel=1e-12)
    assert (x.grad, y.grad) == (7.0, 8.0)
    assert f.grad == 0.0


def test_grad_of_linear_function_second_derivative_is_zero():
    x = Value(2.0)
    d1 = grad(3 * x + 1, [x], create_graph=True)[0]
    assert isinstance(d1, Value) and d1.data == 3.0
    assert grad(d1, [x]) == [0.0]


def test_grad_several_outputs_and_weights():
    x = Value(2.0)
    y1, y2 = x * x, x.exp()
    assert grad([y1, y2], [x], grad_outputs=[1.0, 0.5]) == [
        pytest.approx(4.0 + 0.5 * math.exp(2.0))]
    unused = Value(1.0)
    assert grad(y1, [x, unused]) == [4.0, 0.0]


def test_backward_create_graph_gives_values():
    x = Value(3.0)
    y = x ** 3
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 27.0
    second = grad(x.grad, [x])[0]
    assert second == 18.0


def test_newton_step_on_cubic():
    # one-dimensional Newton's method for a root of f'(x), f(x) = x^4 - 3x^2 + x
    x = 2.0
    for _ in range(30):
        v = Value(x)
        d1 = grad(v**4 - 3 * v**2 + v, [v], create_graph=True)[0]
        d2 = grad(d1, [v])[0]
        x -= d1.data / d2
    assert 4 * x**3 - 6 * x + 1 == pytest.approx(0.0, abs=1e-12)


# -- edges found in review ---------------------------------------------------------------

def test_data_set_by_hand_to_int_or_numpy_still_works():
    np = require_module("numpy")
    v = Value(1.0)
    v.data = 2  # as after `b.data = 0` or an update with a numpy learning rate
    assert v.sin().data == pytest.approx(math.sin(2)) and (v ** 2).data == 4.0
    v.data = np.float64(-3.0)
    assert v.relu().data == 0.0 and abs(v).data == 3.0
    v.data = "x"
    with pytest.raises(TypeError, match=r"Value\.data must be a real number"):
        v * 2


def test_lecture_style_manual_backward():
    # micrograd's lecture calls node._backward() itself, in reverse topological order
    a, b = Value(2.0), Value(-3.0)
    e = a * b
    d = e + Value(10.0)
    L = d * Value(-2.0)
    L.grad = 1.0
    for node in reversed(topological_order([L])):
        node._backward()
    assert (a.grad, b.grad, e.grad) == (6.0, -4.0, -2.0)


def test_create_graph_records_even_inside_no_grad():
    x = Value(3.0)
    y = x ** 3
    with no_grad():
        d1 = grad(y, [x], create_graph=True)[0]
    assert grad(d1, [x]) == [18.0]


def test_value_seed_without_create_graph_gives_numbers():
    x = Value(2.0)
    y = x ** 3
    assert grad(y, [x], grad_outputs=[Value(2.0)]) == [24.0]
    y.backward(grad=Value(2.0))
    assert type(x.grad) is float and x.grad == 24.0


def test_no_grad_bare_decorator_and_reused_instance():
    @no_grad
    def double(v):
        return v * 2

    assert double(Value(1.0))._prev == ()
    guard = no_grad()
    with guard:
        with guard:
            pass
        assert not micrograd.is_grad_enabled()
    assert micrograd.is_grad_enabled()


def test_overflowing_local_derivative_is_infinite_not_an_error():
    x = Value(1e-200)
    y = x ** -1
    y.backward()
    assert y.data == pytest.approx(1e200) and x.grad == -math.inf


def test_relu_of_nan_is_nan_as_upstream():
    assert math.isnan(Value(math.nan).relu().data)


def test_pickle_round_trip_of_a_graph():
    import pickle
    x = Value(1.5, label='x')
    y = (x * x + x ** 2).tanh()
    z = pickle.loads(pickle.dumps(y))
    z.backward()
    x2 = z._prev[0]._prev[0]._prev[0]
    assert x2.label == 'x' and x2.grad == pytest.approx(4 * 1.5 * (1 - math.tanh(4.5) ** 2))


@pytest.mark.parametrize("bad, what", [(3.0, "outputs"), (None, "outputs")])
def test_grad_names_the_bad_argument(bad, what):
    with pytest.raises(TypeError, match=f"{what} must be a Value or a list of Values"):
        grad(bad, [Value(1.0)])
    with pytest.raises(TypeError, match="inputs must be a Value or a list of Values"):
        grad(Value(1.0), bad)


# -- the fused weighted sum of a neuron ---------------------------------------------------

def test_linear_is_the_unfused_sum_to_the_last_bit():
    rng = __import__("random").Random(4)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(5)]
    xs = [Value(rng.uniform(-2, 2)) for _ in range(5)]
    b = Value(0.3)
    fused = micrograd.linear(ws, xs, b).tanh()
    fused_grads = grad(fused, [*ws, *xs, b])
    plain = sum((w * x for w, x in zip(ws, xs)), b).tanh()
    assert fused.data == plain.data
    assert fused_grads == grad(plain, [*ws, *xs, b])
    # second derivatives through the fused node (create_graph)
    first = grad(fused, [*ws, *xs, b], create_graph=True)
    first_plain = grad(plain, [*ws, *xs, b], create_graph=True)
    for g, h in zip(first, first_plain):
        assert grad(g, [ws[0], xs[0]]) == pytest.approx(grad(h, [ws[0], xs[0]]), rel=1e-14)


def test_linear_node_shape_and_number_inputs():
    w, b = [Value(2.0), Value(-1.0)], Value(0.5)
    y = micrograd.linear(w, [3.0, 4.0], b)
    assert y._op == 'w·x+b' and len(y._prev) == 5 and y._prev[-1] is b
    assert y._prev[:2] == tuple(w) and [x.data for x in y._prev[2:4]] == [3.0, 4.0]
    y.backward()
    assert (w[0].grad, w[1].grad, b.grad) == (3.0, 4.0, 1.0)
    with pytest.raises(ValueError, match="2 weights but 3 inputs"):
        micrograd.linear(w, [1.0, 2.0, 3.0], b)
    with pytest.raises(TypeError, match="weights and bias must be Values, got float"):
        micrograd.linear([2.0, w[1]], [3.0, 4.0], b)
    with pytest.raises(TypeError, match="unsupported operand"):
        micrograd.linear(w, ["a", 4.0], b)
    with no_grad():
        assert micrograd.linear(w, [3.0, 4.0], b)._prev == ()


def test_linear_against_gradcheck_and_pytorch(torch):
    point = [0.4, -0.9, 1.3, 0.2, -0.5]
    f = lambda w0, w1, x0, x1, b: micrograd.linear([w0, w1], [x0, x1], b).sigmoid()
    assert micrograd.gradcheck(f, point) and micrograd.gradgradcheck(f, point)
    ts = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in point]
    out = torch.sigmoid(ts[4] + ts[0] * ts[2] + ts[1] * ts[3])
    out.backward()
    xs = [Value(p) for p in point]
    f(*xs).backward()
    assert [x.grad for x in xs] == pytest.approx([t.grad.item() for t in ts], rel=1e-13)


# -- hardening: None gradients, pickling deep graphs, cycles of create_graph -----------

def test_a_gradient_of_none_is_a_gradient_not_computed_yet():
    torch = require_module("torch")
    x, w = Value(2.0), Value(-3.0)
    y = (x * w + x).tanh() * x
    for p in (x, w):
        p.grad = None  # PyTorch's way of zeroing
    y.backward()
    xt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    wt = torch.tensor(-3.0, dtype=torch.float64, requires_grad=True)
    ((xt * wt + xt).tanh() * xt).backward()
    assert (x.grad, w.grad) == pytest.approx((xt.grad.item(), wt.grad.item()), rel=1e-14)
    leaf = Value(4.0)
    leaf.grad = None
    leaf.backward()  # a leaf as the root
    assert leaf.grad == 1.0


def test_none_gradients_in_a_neuron_and_after_create_graph():
    ws, b = [Value(0.5), Value(-0.25)], Value(0.1)
    for p in (*ws, b):
        p.grad = None
    micrograd.linear(ws, [2.0, 4.0], b, relu=True).backward()
    assert [p.grad for p in (*ws, b)] == [2.0, 4.0, 1.0]
    x = Value(3.0)
    x.grad = None
    (x * x).backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 6.0


def test_none_gradients_behind_a_relu_that_is_off_become_zero_and_a_step_works(torch):
    import random

    from micrograd import draw_dot, optim
    from micrograd.interop import to_torch
    model = MLP(2, [8, 8, 1], rng=random.Random(1))
    points = [[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [2.0, 2.0]]
    for p in model.parameters():
        p.grad = None
    loss = sum((model(x) - 1.0) ** 2 for x in points)
    loss.backward()
    reference = to_torch(model)
    tloss = sum((reference(torch.tensor(x)) - 1.0) ** 2 for x in points).sum()
    tloss.backward()
    tensors = list(reference.parameters())  # per layer: weights (out x in), biases
    expected = [g for weights, biases in zip(tensors[::2], tensors[1::2])
                for row, b in zip(weights.grad.tolist(), biases.grad.tolist()) for g in (*row, b)]
    assert [p.grad for p in model.parameters()] == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert any(p.grad == 0.0 for p in model.parameters())  # some behind a ReLU that is off
    optim.SGD(model.parameters(), lr=0.1, weight_decay=0.1).step()
    assert draw_dot(loss) is not None


def test_optimizers_skip_a_parameter_with_no_gradient_and_pictures_show_it():
    from micrograd import draw_dot, optim
    used, unused = Value(1.0), Value(2.0)
    unused.grad = None
    (used * 3).backward()
    for opt in (optim.SGD([used, unused], lr=0.1, momentum=0.9), optim.Adam([used, unused])):
        opt.step()
    assert unused.data == 2.0 and unused.grad is None and used.data < 1.0
    assert 'grad None' in draw_dot(unused).source


def test_another_type_error_is_not_swallowed():
    x = Value(1.0)
    x.grad = "not a number"
    with pytest.raises(TypeError):
        (x * 2).backward()


@pytest.mark.parametrize("depth", [5_000, 50_000])
def test_pickle_and_deepcopy_of_a_deep_graph(depth):
    import copy
    import pickle
    x = Value(1.0, label='x')
    y = x
    for _ in range(depth):
        y = y * 1.0 + 0.0
    y.backward()
    for z in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        assert z.data == 1.0 and z.grad == 1.0
        nodes = topological_order([z])
        assert len(nodes) == len(topological_order([y]))
        (leaf,) = [n for n in nodes if n.label == 'x']
        assert leaf.grad == 1.0 and leaf is not x
        z.backward()
        assert leaf.grad == 2.0 and x.grad == 1.0


class Tagged(Value):
    """A subclass with attributes of its own (it has a __dict__)."""


def test_pickle_keeps_shared_nodes_shared_and_subclass_attributes():
    import pickle
    x = Tagged(2.0)
    x.tag = 'kept'
    y1, y2 = x * 3, x + 1
    a, b, leaf = pickle.loads(pickle.dumps([y1, y2, x]))
    assert a._prev[0] is b._prev[0] is leaf and type(leaf) is Tagged and leaf.tag == 'kept'
    again = pickle.loads(pickle.dumps(y1))  # nothing left over from the first pickle
    assert again._prev[0].tag == 'kept' and again._prev[0] is not leaf


def test_pickle_of_gradients_with_a_history():
    import pickle
    x = Value(0.5)
    y = x
    for _ in range(3_000):
        y = (y * 0.999).tanh()
    y.backward(create_graph=True)
    x.label = 'x'
    z = pickle.loads(pickle.dumps(y))
    (leaf,) = [n for n in topological_order([z]) if n.label == 'x']
    assert isinstance(leaf.grad, Value) and leaf.grad.data == x.grad.data
    assert grad(leaf.grad, [leaf]) == pytest.approx(grad(x.grad, [x]), rel=1e-12)


def test_copy_is_shallow():
    import copy
    x = Value(2.0)
    y = x * x
    y.grad = 3.0
    z = copy.copy(y)
    assert z is not y and z._prev == y._prev and (z.data, z.grad, z._op) == (4.0, 3.0, '*')


def test_backward_with_create_graph_leaves_no_cycle_once_leaves_are_reset():
    # the intermediate nodes' gradients hold their number only; a leaf's gradient refers
    # back to the leaf (as in PyTorch) until it is reset
    gc.collect()
    gc.disable()
    try:
        for _ in range(50):
            w = [Value(0.3), Value(-0.7)]
            h = (w[0] * w[1]).tanh() * w[0] + (w[1] * 2.0).sigmoid()
            h.backward(create_graph=True)
            assert all(isinstance(n.grad, Value) for n in topological_order([h]))
            assert grad(w[0].grad, [w[0]])[0] != 0.0  # a leaf's gradient has a history
            for p in w:
                p.grad = None
            model = MLP(2, [3, 1], activation="tanh")
            model([1.0, -2.0]).backward(create_graph=True)  # its inputs: numbers
            model.zero_grad()
            del w, h, model
        assert gc.collect() == 0
    finally:
        gc.enable()


class Full(io.RawIOBase):
    """A file that is full after `room` bytes."""

    def __init__(self, room):
        self.room = room

    def writable(self):
        return True

    def write(self, b):
        self.room -= len(b)
        if self.room < 0:
            raise OSError("disk full")
        return len(b)


def test_a_pickle_that_fails_part_way_leaves_nothing_behind():
    import pickle
    y = Value(1.0)
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    with pytest.raises(OSError, match="disk full"):
        pickle.dump(y, Full(200_000))
    middle = y
    for _ in range(10_000):
        middle = middle._prev[0]
    assert pickle.loads(pickle.dumps(middle)).data == 1.0  # not a RecursionError
    again = pickle.loads(pickle.dumps(y))  # nothing of the failed pickle is left over
    assert again.data == 1.0 and again._prev[0]._prev[0].data == 1.0


def test_a_pickle_that_stopped_among_its_shells_leaves_later_pickles_whole():
    """The pure-Python pickler (as dill uses) stops, its traceback kept, while it takes a
    root's list: a later pickle of a Value still listed takes the root along, whole."""
    import pickle
    x = Value(1.0, label='x')
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.5
    try:
        pickle._Pickler(Full(150_000), 4).dump(y * 2.0)
    except OSError as error:
        kept = error  # noqa: F841
    listed = [value for value, _ in micrograd.pickling._listed.values.values()]
    assert listed  # it stopped among them: some are listed still
    for middle in listed[0], listed[-1]:
        again = pickle.loads(pickle.dumps(middle))
        assert [v.data for v in topological_order(again)] == [
            v.data for v in topological_order(middle)]
        assert [v.label for v in topological_order(again) if v.label] == ['x']


@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_a_copy_that_failed_part_way_leaves_later_copies_whole(how):
    """The failed copy's traceback kept (as a REPL keeps it), every later copy of the same
    Values is whole: none of them comes back an empty shell."""
    import copy
    import io
    import pickle

    class Refused(Value):
        def __reduce_ex__(self, protocol):
            raise TypeError("not this one")
    x = Value(1.0, label='x')
    y = x
    for _ in range(2_000):
        y = y * 1.0 + 0.5
    top = Refused(2.0) * y  # the root lists y's graph, then fails at Refused
    try:
        pickle._Pickler(io.BytesIO(), 4).dump(top) if how == "pickle" else copy.deepcopy(top)
    except TypeError as error:
        kept = error  # noqa: F841
    for copied in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y), copy.deepcopy(x)):
        assert copied.data == (x.data if copied.label == 'x' else y.data)
    inner = y._prev[0]._prev[0]
    assert copy.deepcopy(inner)._prev[1].data == 0.5
