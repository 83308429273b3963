"""Edge cases of the engine's backward passes, grad(), linear(), pickling and copying.

Each test pins down one behaviour that a mutation of engine.py would change: oracles are
closed forms, PyTorch (float64) or a plain sum over the chain rule.
"""

import copy
import math
import pickle

import pytest

from micrograd import Value, grad, no_grad
from micrograd.engine import _backward_order
from micrograd.fused import _weighted_sum, linear
from micrograd.gradients import _accumulate
from micrograd.graph import topological_order
from micrograd.ops import CONSTANT

from conftest import another_thread_in_no_grad, require_module

# -- helpers ------------------------------------------------------------------------------

def tanh_by_hand(x):
    """tanh as micrograd 0.1.0 adds an operation: a node built by hand and a closure."""
    t = math.tanh(x.data)
    out = Value(t, (x,), 'tanh_by_hand')

    def _backward():
        x.grad += (1 - t ** 2) * out.grad
    out._backward = _backward
    return out


def hand_written_graph(x_data=0.4):
    """out = tanh_by_hand(3x) * x, with an intermediate node (3x) behind the closure."""
    x = Value(x_data)
    a = x * 3.0
    h = tanh_by_hand(a)
    return x, a, h, h * x


def hand_written_derivative(x):
    t = math.tanh(3 * x)
    return 3 * (1 - t ** 2) * x + t


class Tagged(Value):
    """A subclass with a __dict__ (no __slots__), carrying an attribute of its own."""


# -- _accumulate ----------------------------------------------------------------------------

def test_accumulate_returns_the_contribution_itself_when_there_is_no_gradient_yet():
    v = Value(3.0)
    assert _accumulate(0.0, v) is v
    assert _accumulate(None, v) is v
    assert _accumulate(0, 2.5) == 2.5


def test_accumulate_adds_a_nonzero_number_and_a_value_total():
    v = Value(3.0)
    total = _accumulate(2.0, v)
    assert isinstance(total, Value) and total.data == 5.0
    w = Value(0.0)  # a Value total is added even when its number is 0
    s = _accumulate(w, v)
    assert s is not v and s.data == 3.0 and set(s._prev) == {w, v}
    assert _accumulate(1.5, 2.0) == 3.5


# -- backward(): the sort, the zeroing, the None gradients -----------------------------------

def test_backward_order_places_the_nodes_with_inputs_and_zeroes_them_only():
    x = Value(2.0)
    a = x * 3.0
    y = a * a
    a.grad, y.grad, x.grad = 7.0, 8.0, 9.0
    order = _backward_order([y])
    assert order == [a, y]
    assert (a.grad, y.grad, x.grad) == (0.0, 0.0, 9.0)


def test_backward_leaves_intermediate_gradients_at_zero_when_a_closure_fails():
    x = Value(0.5)
    a = x * 2.0
    b = a * 3.0  # the closure's input: the step sets it first, not what lies behind
    h = Value(math.tanh(b.data), (b,), 'broken')

    def _backward():
        raise ValueError("no derivative here")
    h._backward = _backward
    out = h + 1.0
    a.grad = 5.0
    with pytest.raises(ValueError, match="no derivative here"):
        out.backward()
    assert a.grad == 0.0 and type(a.grad) is float  # reset afresh, not None
    assert b.grad == 0.0
    assert h.grad == 1.0


def test_backward_resets_what_lies_behind_every_relu_that_is_off():
    x = Value(-1.0)
    a, b = x * 2.0, x * 3.0
    (a * b).backward()  # a.grad = b = -3, b.grad = a = -2
    assert (a.grad, b.grad) == (-3.0, -2.0)
    out = a.relu() + b.relu()  # both off
    out.backward()
    assert (a.grad, b.grad) == (0.0, 0.0)
    assert x.grad == -12.0  # a leaf keeps what the first pass gave it: d(6x^2)/dx = 12x


def test_backward_resets_intermediates_two_levels_behind_a_relu_that_is_off():
    x = Value(-1.0)
    a = x * 2.0
    b = a * 3.0
    b.backward()
    assert a.grad == 3.0
    r = b.relu()  # b = -6: off
    r.backward()
    assert (b.grad, a.grad) == (0.0, 0.0)
    assert x.grad == 6.0  # from the first pass only


def test_leaves_behind_a_relu_that_is_off_get_zero_for_none_and_keep_numbers(torch):
    x, y, z = Value(-1.0), Value(2.0), Value(4.0)
    x.grad, y.grad, z.grad = None, None, 5.0
    inner = x * y  # x and y: leaves two levels behind the ReLU
    r = (inner - z).relu()  # -6: off; z is a direct input of the node behind the ReLU
    r.backward()
    assert (x.grad, y.grad, z.grad) == (0.0, 0.0, 5.0)
    # as PyTorch: a leaf reached (through a ReLU that is off) gets 0, not None
    tx = torch.tensor(-1.0, requires_grad=True)
    ty = torch.tensor(2.0, requires_grad=True)
    tz = torch.tensor(4.0, requires_grad=True)
    (tx * ty - tz).relu().backward()
    assert (tx.grad.item(), ty.grad.item(), tz.grad.item()) == (x.grad, y.grad, 0.0)
    w = Value(-3.0)
    w.grad = None
    w.relu().backward()  # the leaf is the input of the ReLU itself
    assert w.grad == 0.0


class _CountedMarks(Value):
    """A node built by hand (no rule: gradient stops there) that counts writes of `_mark`."""

    __slots__ = ()
    writes = 0

    @property
    def _mark(self):
        return Value._mark.__get__(self)

    @_mark.setter
    def _mark(self, mark):
        type(self).writes += 1
        Value._mark.__set__(self, mark)


def test_zeroing_behind_a_dead_node_visits_each_shared_node_once():
    x = Value(1.0)
    node = x
    chain = []
    for _ in range(16):  # every node uses the one before it twice: 2**16 paths
        node = _CountedMarks(node.data, (node, node))
        chain.append(node)
    for n in chain:
        n.grad = 9.0
    out = node + 1.0
    _CountedMarks.writes = 0
    out.backward()
    assert all(n.grad == 0.0 for n in chain[:-1])
    assert chain[-1].grad == 1.0  # out's own input: gradient reaches it
    assert x.grad == 0.0
    assert _CountedMarks.writes <= 2 * len(chain) + 2


def test_backward_into_a_leaf_root_with_none_gradient():
    x = Value(3.0)
    x.grad = None
    x.backward()
    assert x.grad == 1.0
    x.backward(2.5)  # a leaf's gradient accumulates
    assert x.grad == 3.5


def test_backward_names_a_bad_seed():
    y = Value(1.0) * 2.0
    with pytest.raises(TypeError) as info:
        y.backward("1")
    assert str(info.value) == "backward(grad) must be a real number (int or float), got str"


def test_backward_fills_in_none_gradients_of_leaves(torch):
    a, b, c = Value(1.5), Value(-2.0), Value(0.25)
    a.grad, b.grad, c.grad = 0.5, None, None
    out = (a * b) + (b * c).exp() + (c * c)  # b None as a second input, c twice
    out.backward()
    ta = torch.tensor(1.5, requires_grad=True)
    tb = torch.tensor(-2.0, requires_grad=True)
    tc = torch.tensor(0.25, requires_grad=True)
    ((ta * tb) + (tb * tc).exp() + (tc * tc)).backward()
    assert a.grad == pytest.approx(0.5 + ta.grad.item(), rel=1e-15)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-15)
    assert c.grad == pytest.approx(tc.grad.item(), rel=1e-15)


def test_backward_fills_in_a_none_gradient_at_the_end_of_a_linear_node():
    w1, w2, b = Value(2.0), Value(-3.0), Value(0.5)
    w1.grad, w2.grad, b.grad = 1.0, 0.0, None
    y = linear([w1, w2], [4.0, 5.0], b)
    y.backward()
    assert (w1.grad, w2.grad, b.grad) == (5.0, 5.0, 1.0)
    inputs = y._prev[2:4]
    assert [x.grad for x in inputs] == [2.0, -3.0]


def test_backward_raises_on_a_gradient_that_is_not_a_number():
    x, y = Value(2.0), Value(3.0)
    x.grad = "oops"
    with pytest.raises(TypeError):
        (x * 2.0).backward()
    x.grad, y.grad = "oops", None  # a bad gradient before the None: not mended
    with pytest.raises(TypeError):
        (x * y).backward()


# -- hand-written _backward (micrograd 0.1.0's closures) -------------------------------------

def test_backward_runs_a_closure_and_goes_on_behind_it(torch):
    x, a, _, out = hand_written_graph(0.4)
    x.grad = None  # a closure's input with no gradient yet, too
    a.grad = None
    out.backward()
    assert x.grad == pytest.approx(hand_written_derivative(0.4), rel=1e-12)
    tx = torch.tensor(0.4, requires_grad=True)
    (torch.tanh(tx * 3.0) * tx).backward()
    assert x.grad == pytest.approx(tx.grad.item(), rel=1e-12)
    leaf = Value(0.8)
    leaf.grad = None  # the closure's own input, a leaf with no gradient yet: 0 first
    tanh_by_hand(leaf).backward()
    assert leaf.grad == pytest.approx(1 - math.tanh(0.8) ** 2, rel=1e-15)


def test_grad_runs_a_closure_on_its_own_numbers_and_restores_every_grad():
    x, a, h, out = hand_written_graph(-0.3)
    x.grad, a.grad, h.grad, out.grad = 100.0, 7.0, 8.0, 9.0
    (dx,) = grad(out, [x])
    assert dx == pytest.approx(hand_written_derivative(-0.3), rel=1e-12)
    assert (x.grad, a.grad, h.grad, out.grad) == (100.0, 7.0, 8.0, 9.0)
    (da,) = grad(out, [a])  # the closure's own input
    t = math.tanh(-0.9)
    assert da == pytest.approx((1 - t * t) * -0.3, rel=1e-12)


def test_grad_restores_grads_when_a_closure_raises():
    x = Value(0.5)
    h = Value(1.0, (x,), 'f')

    def _backward():
        x.grad += 3.0
        raise ArithmeticError("half way")
    h._backward = _backward
    x.grad, h.grad = 11.0, 12.0
    with pytest.raises(ArithmeticError, match="half way"):
        grad(h * 2.0, [x])
    assert (x.grad, h.grad) == (11.0, 12.0)


def test_create_graph_refuses_a_closure_before_changing_anything():
    x, a, h, out = hand_written_graph(0.4)
    x.grad, a.grad = 1.25, 2.5
    message = ("create_graph=True cannot differentiate through the node 'tanh_by_hand': its "
               "_backward was written by hand (a closure has no derivative of its own); "
               "write the operation as a rule in micrograd.ops, or use create_graph=False")
    with pytest.raises(RuntimeError) as info:
        out.backward(create_graph=True)
    assert str(info.value) == message
    assert (x.grad, a.grad, h.grad, out.grad) == (1.25, 2.5, 0.0, 0.0)
    with pytest.raises(RuntimeError) as info:
        grad(out, [x], create_graph=True)
    assert str(info.value) == message


def test_create_graph_does_not_reach_a_closure_behind_a_relu_that_is_off():
    x = Value(0.5)
    h = tanh_by_hand(x)
    out = (h - 2.0).relu() + x * x  # the ReLU is off: the closure is never reached
    (g,) = grad(out, [x], create_graph=True)
    assert g.data == 1.0
    out.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 1.0


def test_backward_property_is_the_closure_or_the_rules_step():
    _, _, h, out = hand_written_graph()
    assert h._backward is h._rule.function
    step = out._backward
    assert step.__self__ is out and step.__func__ is Value._chain_rule_step
    with pytest.raises(TypeError) as info:
        out._backward = 3
    assert str(info.value) == "_backward must be a function, got int"


def test_a_closure_assigned_to_a_rule_node_replaces_its_derivative():
    x = Value(2.0)
    y = x * x  # its rule says 2x = 4
    y._backward = lambda: setattr(x, 'grad', x.grad + 10.0 * y.grad)
    assert y._local == ()
    y.backward()
    assert x.grad == 10.0  # the closure's, and only the closure's


def test_chain_rule_step_by_hand_as_in_the_lecture():
    x, w = Value(3.0), Value(-2.0)
    n = x * w
    o = n * n  # the same input twice: both edges add up
    x.grad, w.grad = 0.5, None
    o.grad = 1.0
    o._backward()
    assert n.grad == 2 * n.data  # from 0.0
    n._backward()
    assert x.grad == 0.5 + w.data * n.grad  # accumulates onto what it had
    assert w.grad == x.data * n.grad  # None became 0 first
    leaf_step = Value(1.0)._backward  # a leaf's step does nothing
    assert leaf_step() is None


# -- backward(create_graph=True) -------------------------------------------------------------

def test_create_graph_adds_onto_the_gradients_of_leaves():
    x = Value(3.0)
    x.grad = 2.0
    (x * x).backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 8.0  # 2 + 2x
    (g,) = grad(x.grad, [x])
    assert g == 2.0


def test_create_graph_on_a_leaf_root_adds_the_seed():
    x = Value(2.0)
    x.grad = 3.0
    x.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 4.0
    y = Value(1.0)
    y.grad = None
    y.backward(5.0, create_graph=True)
    assert y.grad.data == 5.0


def test_create_graph_takes_a_value_seed_with_its_history():
    x, s = Value(1.5), Value(2.0)
    (x * x).backward(s, create_graph=True)
    assert x.grad.data == 2 * 2.0 * 1.5
    assert grad(x.grad, [s, x]) == [3.0, 4.0]  # d(2xs)/ds = 2x, d/dx = 2s


def test_create_graph_leaves_unreached_leaves_as_values():
    x, z = Value(1.0), Value(1.0)
    x.grad, z.grad = None, 5.0
    out = (x * 2.0 - 10.0).relu() + (z - 10.0).relu()  # both off
    out.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 0.0
    assert isinstance(z.grad, Value) and z.grad.data == 5.0


def test_create_graph_gives_constants_their_number_only():
    x = Value(1.5)
    y = x * 3.0
    c = y._prev[1]
    assert c._local is CONSTANT
    y.backward(create_graph=True)
    assert c.grad.data == 1.5 and c.grad._prev == ()
    assert x.grad.data == 3.0
    assert y.grad.data == 1.0 and y.grad._prev == ()


def test_a_constant_stays_a_constant_through_pickle_and_copy():
    x = Value(1.5)
    for y in (pickle.loads(pickle.dumps(x * 3.0)), copy.deepcopy(x * 3.0), copy.copy(x * 3.0)):
        c = y._prev[1]
        assert c._local is CONSTANT and y._local == (3.0, 1.5)
        y.backward(create_graph=True)
        assert c.grad._prev == () and c.grad.data == 1.5


def test_an_infinite_derivative_behind_a_relu_that_is_off_counts_for_nothing():
    x = Value(0.0)
    y = (x.sqrt() - 1.0).relu()  # sqrt'(0) is infinite, but the ReLU is off
    assert grad(y, [x]) == [0.0]
    (g,) = grad(y, [x], create_graph=True)
    assert g.data == 0.0
    y.backward(create_graph=True)
    assert x.grad.data == 0.0
    x.grad = 0.0
    y.backward()
    assert x.grad == 0.0


@pytest.mark.parametrize('first', [True, False])
def test_create_graph_goes_past_a_node_built_by_hand(first):
    x = Value(2.0)
    z = Value(7.0, (x,), 'custom')  # no rule: nothing flows back through it
    w = x * x
    out = z + w if first else w + z
    (g,) = grad(out, [x], create_graph=True)
    assert g.data == 4.0
    out.backward(create_graph=True)
    assert x.grad.data == 4.0 and z.grad.data == 1.0


def test_create_graph_passes_a_gradient_on_unchanged_through_a_derivative_of_one():
    x, s = Value(2.0), Value(3.0)
    (g,) = grad(x + 1.0, [x], grad_outputs=[s], create_graph=True)
    assert g is s  # no `1.0 * s` node
    (g,) = grad(-x, [x], grad_outputs=[s], create_graph=True)
    assert g.data == -3.0


# -- grad() ----------------------------------------------------------------------------------

def test_grad_sums_the_seeds_of_an_output_listed_twice(torch):
    x = Value(0.7)
    y = x.sin() * x
    tx = torch.tensor(0.7, requires_grad=True)
    (tdx,) = torch.autograd.grad(torch.sin(tx) * tx, [tx])
    assert grad([y, y], [x]) == [pytest.approx(2 * tdx.item(), rel=1e-15)]
    assert grad([y, y], [x], grad_outputs=[2.0, 0.5]) == [
        pytest.approx(2.5 * tdx.item(), rel=1e-15)]
    (g,) = grad([y, y], [x], create_graph=True)
    assert g.data == pytest.approx(2 * tdx.item(), rel=1e-15)


def test_grad_takes_a_value_seed_with_its_history_when_recording():
    x, s = Value(1.5), Value(2.0)
    (g,) = grad(x * x, [x], grad_outputs=[s], create_graph=True)
    assert g.data == 6.0
    assert grad(g, [s, x]) == [3.0, 4.0]


def test_grad_names_a_bad_seed():
    x = Value(1.0)
    with pytest.raises(TypeError) as info:
        grad(x * 2.0, [x], grad_outputs=["1"])
    assert str(info.value) == "grad_outputs must be a real number (int or float), got str"


# -- linear() and the weighted sum -------------------------------------------------------------

def test_weighted_sum_has_no_relu_by_default():
    w, b = [Value(2.0), Value(-1.0)], Value(0.5)
    xs = [Value(-3.0), Value(1.0)]
    y = _weighted_sum(w, xs, b, [x.data for x in xs])
    assert y.data == -6.5 and y._op == 'w·x+b'


def test_linear_names_an_input_that_is_not_a_number():
    with pytest.raises(TypeError) as info:
        linear([Value(1.0)], ["2"], Value(0.0))
    assert str(info.value) == ("unsupported operand type(s) for *: 'Value' and 'str' "
                               "(a Value combines with real numbers and Values only)")


@pytest.mark.parametrize('which', ['weight', 'input', 'bias'])
def test_linear_names_data_set_by_hand_to_a_value(which):
    w, x, b = Value(2.0), Value(3.0), Value(1.0)
    {'weight': w, 'input': x, 'bias': b}[which].data = Value(1.0)
    with pytest.raises(TypeError) as info:
        linear([w], [x], b)
    assert str(info.value) == "Value.data must be a real number, got a Value; use its .data"


def test_linear_reads_ints_set_by_hand_as_floats():
    w, x, b = Value(2.0), Value(3.0), Value(1.0)
    w.data, x.data, b.data = 2, 3, 1
    y = linear([w], [x], b, relu=True)
    assert y.data == 7.0 and type(y.data) is float
    assert all(type(d) is float for d in y._local)


# -- operations through the table (_apply) ---------------------------------------------------

def test_apply_names_data_set_by_hand_that_is_not_a_number():
    a, b = Value(1.0), Value(2.0)
    b.data = "2"
    message = "Value.data must be a real number (int or float), got str"
    for op in (lambda: a - b, lambda: a / b, lambda: a ** b, lambda: b.exp()):
        with pytest.raises(TypeError) as info:
            op()
        assert str(info.value) == message


def test_apply_reads_numpy_data_set_by_hand_as_floats():
    np = require_module("numpy")
    a, b = Value(1.0), Value(2.0)
    b.data = np.float64(2.0)
    for out in (a - b, b - a, a / b, b.exp()):
        assert type(out.data) is float
        assert all(type(d) is float for d in out._local)


def test_a_thread_records_while_another_is_inside_no_grad():
    with another_thread_in_no_grad():
        x, y = Value(2.0), Value(3.0)
        unary, binary = x.exp(), x - y
        neuron = linear([x], [y], Value(1.0))
        assert unary._prev == (x,) and binary._prev == (x, y) and len(neuron._prev) == 3
        assert grad(unary + binary + neuron, [x]) == [pytest.approx(math.exp(2.0) + 1 + 3.0)]
    with no_grad():
        assert (x - y)._prev == () and linear([x], [y], Value(1.0))._prev == ()


# -- pickle and copy --------------------------------------------------------------------------

def chain(depth):
    x = Value(0.5)
    y = x
    for _ in range(depth):
        y = y + x
    return x, y


def test_pickle_of_a_chain_grows_linearly_with_its_depth():
    sizes = [len(pickle.dumps(chain(n)[1])) for n in (300, 600)]
    assert sizes[1] < 2.2 * sizes[0]
    assert sizes[1] < 200 * 600


def test_pickle_and_deepcopy_deeper_than_the_recursion_limit():
    _, y = chain(3000)
    for z in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        assert z.data == y.data
        order = topological_order([z])
        assert len(order) == 3001
        assert z._prev[1] is order[0]  # the one leaf, shared
        assert z._op == '+' and z._rule is y._rule


def test_pickle_and_deepcopy_after_create_graph_of_a_model_with_many_neurons():
    """Each parameter's gradient has a history leading to the others' (create_graph): a
    pickle once nested one level of recursion per parameter and failed from about 100."""
    from micrograd import nn
    model = nn.MLP(3, [300, 1])
    loss = model([0.5, -1.0, 2.0]) ** 2
    loss.backward(create_graph=True)
    params = model.parameters()
    for copied in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        again = copied.parameters()
        assert [p.data for p in again] == [p.data for p in params]
        assert [p.grad.data for p in again] == [p.grad.data for p in params]
        # the gradients keep their histories, through the copied parameters
        assert grad(again[7].grad, [again[7], again[3]]) == grad(params[7].grad,
                                                               [params[7], params[3]])


def test_pickle_keeps_a_subclass_and_its_own_attributes_only():
    x = Value(2.0)
    t = Tagged(5.0, (x * x,), 'custom', label='t')
    t.tag = 'mine'
    for z in (pickle.loads(pickle.dumps(t)), copy.deepcopy(t), copy.copy(t)):
        assert type(z) is Tagged
        assert z.tag == 'mine' and z.label == 't' and z._op == 'custom'
        assert vars(z) == {'tag': 'mine'}  # no '_ancestors' nor '_plan'
        assert z._mark is None


def test_copy_is_shallow_and_forgets_the_mark():
    x = Value(2.0)
    y = x * 3.0
    y.backward()
    assert y._mark is not None
    z = copy.copy(y)
    assert z is not y and z._rule is y._rule
    assert z._prev[0] is x and z._prev[1] is y._prev[1]  # the same inputs, not copies
    assert (z.data, z.grad, z._local) == (6.0, 1.0, y._local)
    assert z._mark is None


def test_setstate_reads_the_old_slots_form():
    v = Value.__new__(Value)
    v.__setstate__((None, {'data': 1.5, 'grad': 0.0, 'label': 'old', '_prev': (), '_op': '',
                           '_rule': None, '_local': ()}))
    assert (v.data, v.label, v._mark) == (1.5, 'old', None)


def test_the_reflected_operators_called_with_a_value_are_the_value_s_own():
    """What the compiled engine's `Value op subclass` reaches: `v.__radd__(w)` is `w + v`."""
    v, w = Value(3.0), Value(-2.0)
    for reflected, forward, op in ((v.__radd__, w.__add__, '+'), (v.__rsub__, w.__sub__, '-'),
                                   (v.__rmul__, w.__mul__, '*'),
                                   (v.__rtruediv__, w.__truediv__, '/'),
                                   (Value(2.0).__rpow__, Value(3.0).__pow__, '**')):
        got, want = reflected(w if op != '**' else Value(3.0)), forward(
            v if op != '**' else Value(2.0))
        assert (got.data, got._op) == (want.data, want._op) == (got.data, op)
        assert got._prev[0] is not got._prev[1]
    assert v.__rsub__(w)._prev == (w, v) and v.__rtruediv__(w)._prev == (w, v)
    assert v.__radd__(w)._prev == (w, v) and v.__rmul__(w)._prev == (w, v)


def test_linear_names_itself_for_a_weight_that_is_not_a_value():
    with pytest.raises(TypeError, match=r"^linear\(\): weights and bias must be Values, got "
                                        r"float$"):
        linear([Value(1.0), 2.0], [1.0, 1.0], Value(0.0))
    with pytest.raises(TypeError, match=r"^linear\(\): weights and bias must be Values, got str"):
        linear([Value(1.0)], [1.0], 'b')


# a graph, its leaf and a model, pickled (protocol 4, zlib, base64) by this package before
# the engine was cut into modules (27eb69a): `y = (linear([x, 2], [1.5, x], 0.25, relu=True)
# * 3 + x ** 2).tanh()` at x = 0.5, after backward; an MLP(2, [3, 1]) after one backward
OLD_PICKLE = (
    "eJyVVUtoE0EY3tg0faVWa4tVKT7QmKRYfF5Em1opEampxCpYrOskneYP3e7GzaYvEVqlFXG82PHmxZsXBT1YRSTg"
    "QcST6EXBRxW06sHmpohYZ7K7Sdqwic1hM7N/vu//vm/+IWP2684yIf0hKwaiYVWJqKi3GcuRqIwpcYp4IKaNiINI"
    "SmA6RUEgpSeM9QQN0vPUTSpFJIdxXFPUOO2hblgGdrNk70Uaon7fjNHBzsnZ3jVcc+V7inFJKIQlSmzDlJSKMRUP"
    "Ug8pEZUYJQJ/oyYkTAPEIUpKGEnUkwjlsEO13/dCJ4bl/pa5tne/g2xZA6tgJVRNUKglJV7vTgp1pDrrTInFKamI"
    "KUNiWJHjGvPhb9VJBM4L9X5fytwubtdanm03n9vOA7Xsqy4A9Syg8oOdgWNdBwJdjDuPQcgy/FRd5x6P5THkm/xV"
    "FANbCiTjK/vPRjniFmLcUAVbwcue2zQeqzOIO467h55MDzeFPCxfWEcqRA2FJMyPjk3JLj1Kd0Z7ZgSyC7NbJm8t"
    "P60Gq+PdDpsmuRKbl7ffA/uNszNPKMM+mU+6xop0L6zWSZt00vZFA5FZcFLMQ56bT52+uuMaD8woGVRt6fGza0gG"
    "neuwwWW2nEgPvIRkfqXKRVnRICpHWHaeIFdcRZzZkZVlSkqOdBzl1XHmgjgkNIKN2xYkpR18lymWyTihstE2qo5A"
    "emuW3cQ2tOiWMiPJ2b6pi2p7CzMiCLlGCo3ll33d9/srUoUxmNhCdCEw8+uCQFKJwlp0EGlRJp7YVSwleDBndBcQ"
    "zvPgm/l4JzXe4uKH8XL07PjtP8+Kekh+OPn5R6PtEMMkP1liMPRbOvBZw0CBWEHFyQv3bo2GN47x7m/+7j7V8P5G"
    "ccUP3wZuPn3EU/d9s8QUUpy0humKcTwE3WnR0NNDCyX+KtLnqJ2FJU2NmRfT/7XxudK5frq4Z1Mxwzy4u3nthsuv"
    "l3pKKWt5CrtO7L8OqWy8UJy7v0Sb/wHC2kbS"
)


def test_pickles_of_the_engine_before_its_modules_load():
    import base64
    import zlib
    y, x, model = pickle.loads(zlib.decompress(base64.b64decode(OLD_PICKLE)))
    assert (y.data, x.data, x.grad, x.label) == (0.9999925467214317, 0.5,
                                                 0.00017142476823106545, 'x')
    again = (linear([x, Value(2.0)], [1.5, x], Value(0.25), relu=True) * 3 + x ** 2).tanh()
    assert again.data == y.data and x in topological_order([y])
    x.grad = 0.0
    y.backward()
    assert x.grad == 0.00017142476823106545
    assert model([0.5, -1.0]).data == model([0.5, -1.0]).data and len(model.parameters()) == 13


def test_grad_and_no_grad_are_named_in_micrograd_engine_too():
    """API.md: the engine's names are `micrograd`'s and `micrograd.engine`'s."""
    import micrograd
    import micrograd.engine as engine
    assert engine.grad is micrograd.grad and engine.no_grad is micrograd.no_grad
    x = engine.Value(3.0)
    with engine.no_grad():
        assert (x * x)._prev == ()
    assert engine.grad(x * x, [x]) == [6.0]
