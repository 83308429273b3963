"""The engine's fast paths give exactly what the table in `ops.py` gives.

`+`, `*`, `relu`, `tanh`, `** number` and a neuron's node (`_weighted_sum`) build their nodes
without calling the table's functions, and `backward()` skips what lies behind a ReLU
that is off. Here each is checked against the plain way: the table's row applied by
`Value._apply`, and a reference backward pass written out below over every node.
"""

import copy
import math
import pickle
import random
import re
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

import micrograd
from micrograd import Value, explain, grad, ops
from micrograd.fused import _weighted_sum
from micrograd.graph import topological_order
from micrograd.nn import MLP, Neuron
from micrograd.testing import OPERATIONS, expressions_with_inputs

from conftest import require_module

any_float = st.floats(allow_nan=True, allow_infinity=True)


def bits(x):
    """A float's exact bits (so 0.0 != -0.0), any nan as one (which of two nans' payloads
    a sum keeps depends on how the C compiler ordered the operands: no meaning there)."""
    return struct.pack('<d', x) if x == x else b'nan'


def same_node(fast, plain):
    """Same number to the bit, same inputs, rule, name and local derivatives."""
    assert bits(fast.data) == bits(plain.data)
    assert fast._prev == plain._prev and fast._rule is plain._rule and fast._op == plain._op
    assert [bits(d) for d in fast._local] == [bits(d) for d in plain._local]


@given(any_float, any_float)
def test_add_and_mul_are_their_table_rows(x, y):
    a, b = Value(x), Value(y)
    same_node(a + b, a._apply(ops.ADD, b))
    same_node(a * b, a._apply(ops.MUL, b))


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_relu_is_its_table_row_nan_and_signed_zeros_included(x):
    a = Value(x)
    same_node(a.relu(), a._apply(ops.RELU))


@pytest.mark.parametrize("x", [0.0, -0.0, -1.5, 2.0, math.nan, math.inf, -math.inf])
def test_relu_edge_cases(x):
    a = Value(x)
    same_node(a.relu(), a._apply(ops.RELU))
    assert (a.relu()._local == ops.NO_FLOW) == (not x > 0)


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                 st.sampled_from([0.0, -0.0, 1e-320, 20.0, -20.0, 1e308])))
def test_tanh_is_its_table_row(x):
    a = Value(x)
    same_node(a.tanh(), a._apply(ops.TANH))


@given(st.floats(1e-300, 1e300), st.one_of(st.integers(-5, 5), st.floats(-4.0, 4.0)))
def test_power_of_a_positive_base_is_its_table_row(x, c):
    a = Value(x)
    try:
        plain = a._apply(ops.pow_const(c))
    except OverflowError as error:
        with pytest.raises(OverflowError, match=re.escape(str(error))):
            a ** c
        return
    same_node(a ** c, plain)


def test_power_overflow_raises_the_tables_error():
    with pytest.raises(OverflowError, match=r"pow\(1e\+200, 2\.0\) is too large"):
        Value(1e200) ** 2


def test_reflected_operators_take_the_fast_path_with_the_number_first():
    a = Value(3.0)
    for y, op in ((2 + a, '+'), (2 * a, '*')):
        assert y._op == op and y._prev[1] is a and y._prev[0].data == 2.0 and not y._prev[0]._prev


@given(st.integers(1, 20), st.booleans(), st.randoms(use_true_random=False))
def test_weighted_sum_is_its_table_row(n, relu, rnd):
    ws = [Value(rnd.uniform(-2, 2)) for _ in range(n)]
    xs = [Value(rnd.uniform(-2, 2)) for _ in range(n)]
    b = Value(rnd.uniform(-1, 1))
    node = _weighted_sum(ws, xs, b, [x.data for x in xs], relu)
    rule = ops.RELU_LINEAR if relu else ops.LINEAR
    values = [v.data for v in (*ws, *xs, b)]
    out = rule.forward(values)
    assert node._rule is rule and node._prev == (*ws, *xs, b)
    assert bits(node.data) == bits(out)
    assert [bits(d) for d in node._local] == [bits(d) for d in rule.partials(values, out)]
    # and the same number as micrograd's sum((w * x ...), b), then relu
    assert node.data == (sum((w * x for w, x in zip(ws, xs)), b).relu() if relu
                         else sum((w * x for w, x in zip(ws, xs)), b)).data


@pytest.mark.parametrize("w, x, b", [(-0.0, 1.0, -0.0), (0.0, 1.0, -0.0), (1.0, math.nan, 0.0),
                                     (1.0, math.inf, 0.0), (1.0, -math.inf, 0.0)])
def test_weighted_sum_edge_cases(w, x, b):
    for relu in (False, True):
        node = _weighted_sum([Value(w)], [Value(x)], Value(b), [x], relu)
        rule = node._rule
        out = rule.forward([w, x, b])
        assert bits(node.data) == bits(out)
        assert [bits(d) for d in node._local] == [bits(d) for d in rule.partials([w, x, b], out)]


def test_linear_takes_relu():
    w, b = [Value(2.0), Value(-1.0)], Value(0.5)
    on = micrograd.linear(w, [3.0, 4.0], b, relu=True)
    off = micrograd.linear(w, [1.0, 4.0], b, relu=True)
    assert (on.data, on._op) == (2.5, 'ReLU(w·x+b)') and off.data == 0.0
    off.backward()
    on.backward()
    assert [w[0].grad, w[1].grad, b.grad] == [3.0, 4.0, 1.0]  # nothing from the neuron that is off


class OneBased(list):
    """A list that indexes from 1: iterating it and indexing it give different orders."""

    def __getitem__(self, i):
        return super().__getitem__(i - 1)


@pytest.mark.parametrize("make", [lambda ws: dict(enumerate(ws)).values(), tuple, OneBased,
                                  lambda ws: iter(ws)], ids=["dict_values", "tuple",
                                                             "one-based", "iterator"])
def test_linear_reads_weights_of_any_iterable_in_their_order(make):
    # the compiled engine fills a neuron's tuples in place for lists and tuples only
    ws, b = [Value(2.0), Value(-1.0), Value(0.25)], Value(0.5)
    xs = [Value(3.0), 4.0, Value(-8.0)]
    if type(make(ws)) is type(iter(ws)):
        with pytest.raises(TypeError, match="len"):  # no len(): refused, as before
            micrograd.linear(make(ws), xs, b)
        return
    node = micrograd.linear(make(ws), xs, b)
    assert node.data == 0.5 + 6.0 - 4.0 - 2.0
    assert node._prev[:3] == tuple(ws) and node._prev[-1] is b
    node.backward()
    assert [w.grad for w in ws] + [b.grad] == [3.0, 4.0, -8.0, 1.0]
    assert [xs[0].grad, xs[2].grad] == [2.0, 0.25]


def reference_gradients(root):
    """d root / d node for every node, by the book: every node, every edge, the table's
    partials on floats, a ReLU that is off passing an explicit 0."""
    order = topological_order([root])
    grads = {node: 0.0 for node in order}
    grads[root] = 1.0
    for node in reversed(order):
        rule = node._rule
        if rule is None:
            continue
        inputs = [child.data for child in node._prev]
        partials = (rule.partials(inputs, node.data) if rule.variadic
                    else rule.partials(*inputs, node.data)) or (0.0,) * len(inputs)
        for child, d in zip(node._prev, partials):
            grads[child] += d * grads[node]
    return grads


def assert_every_gradient_is_the_references(root):
    expected = reference_gradients(root)
    root.backward()
    for node, g in expected.items():
        assert node.grad == pytest.approx(g, rel=1e-12, abs=1e-12), node


@given(expressions_with_inputs(operations=tuple(OPERATIONS)))
def test_backward_gives_every_node_the_reference_gradient(case):
    # relu and abs included: intermediate gradients too, behind ReLUs that are off as well
    expression, point = case
    assert_every_gradient_is_the_references(expression(*map(Value, point)))


@given(st.integers(0, 2**32 - 1), st.sampled_from(['relu', 'tanh', 'sigmoid']))
def test_a_networks_gradients_are_the_references(seed, activation):
    rnd = random.Random(seed)
    model = MLP(3, [4, 4, 1], activation=activation, rng=rnd)
    points = [[rnd.uniform(-2, 2) for _ in range(3)] for _ in range(4)]
    loss = sum(((model(p) - rnd.choice([-1, 1])) ** 2 for p in points), Value(0.0))
    assert_every_gradient_is_the_references(loss)


def unfused(neuron, x):
    """A ReLU neuron the way micrograd 0.1.0 builds it: 2n + 1 nodes."""
    return sum((w * xi for w, xi in zip(neuron.w, x)), neuron.b).relu()


@given(st.integers(0, 2**32 - 1))
def test_a_relu_neuron_is_one_node_with_the_gradients_of_many(seed):
    rnd = random.Random(seed)
    neuron = Neuron(5, rng=rnd)
    x = [Value(rnd.uniform(-1, 1)) for _ in range(5)]
    fused = neuron(x)
    assert fused._op == 'ReLU(w·x+b)' and len(topological_order([fused])) == 12
    plain = unfused(neuron, x)
    assert bits(fused.data) == bits(plain.data)
    inputs = [*neuron.parameters(), *x]
    assert grad(fused, inputs) == grad(plain, inputs)
    # second derivatives through the fused node: d/dx (d out/dw0) = 1 at j = 0 when on
    first = grad(fused * fused, inputs, create_graph=True)
    first_plain = grad(plain * plain, inputs, create_graph=True)
    assert [g.data for g in first] == pytest.approx([g.data for g in first_plain], rel=1e-12)
    assert grad(first[0], inputs) == pytest.approx(grad(first_plain[0], inputs), rel=1e-12)


def test_a_relu_that_is_off_stops_the_backward_pass():
    x = Value(-2.0)
    hidden = x * 3  # behind the ReLU only
    y = hidden.relu() + x
    y.backward()
    assert (x.grad, hidden.grad, y._prev[0].grad) == (1.0, 0.0, 1.0)
    y.backward()  # intermediate gradients afresh (the ReLU's too), leaves accumulate
    assert (x.grad, hidden.grad, y._prev[0].grad) == (2.0, 0.0, 1.0)


def test_behind_a_relu_that_is_off_a_zero_gradient_is_a_hard_zero():
    # sqrt's derivative at 0 is infinite; relu(-x) is off, so d/dx sqrt(relu(-x)) is 0
    # (the function is 0 for x > 0). PyTorch gives 0 * inf = nan here.
    x = Value(1.0)
    y = (-x).relu().sqrt()
    y.backward()
    assert y._prev[0]._local == ops.NO_FLOW and x.grad == 0.0


def test_grad_touches_no_gradient_not_even_of_leaves_it_was_not_asked_for():
    x, y = Value(1.3), Value(-0.4)
    x.grad, y.grad = 7.0, 8.0
    f = (x * y).relu() + x * y * y
    assert grad(f, [x]) == [pytest.approx(-0.4 * -0.4)]
    assert grad(f, [x], create_graph=True)[0].data == pytest.approx(0.16)
    assert (x.grad, y.grad) == (7.0, 8.0)


def test_the_fast_paths_record_nothing_under_no_grad():
    a, b = Value(2.0), Value(3.0)
    neuron = Neuron(2, rng=random.Random(0))
    with micrograd.no_grad():
        results = [a + b, a * b, a.relu(), a ** 2, 2 + a, 2 * a, neuron([a, b])]
    assert all(r._prev == () and r._rule is None for r in results)
    assert [r.data for r in results[:6]] == [5.0, 6.0, 2.0, 4.0, 4.0, 4.0]


def test_data_set_by_hand_to_an_int_takes_the_checked_path():
    a = Value(2.0)
    a.data = 3  # an int: the fast path is for floats
    assert (a + 1.0).data == 4.0 and type((a * 2.0).data) is float and (a ** 2).data == 9.0


def test_rules_are_shared_and_their_caches_stay_small():
    assert ops.pow_const(2) is ops.pow_const(2) and ops.pow_const(2) is not ops.pow_const(2.0)
    assert (Value(3.0) ** 2)._op == '**2' and (Value(3.0) ** 2.0)._op == '**2.0'
    for k in range(2000):
        ops.pow_const(k + 0.5)
    assert len(ops._pow_ops) <= 512
    assert (Value(1.5) ** 999.5)._rule.exponent == 999.5


def test_a_backward_from_another_output_resets_what_lies_behind_a_relu_that_is_off():
    x = Value(-2.0)
    h = x * 3.0
    (h + 1.0).backward()
    assert h.grad == 1.0
    h.relu().backward()  # d relu(h) / dh = 0 here
    assert h.grad == 0.0
    a = Value(2.0)
    m = a * 3.0
    by_hand = Value(m.data, (m,), 'custom')  # no rule: nothing flows back through it
    (m + 0.0).backward()
    by_hand.backward()
    assert (m.grad, by_hand.grad) == (0.0, 1.0)


@given(expressions_with_inputs(operations=tuple(OPERATIONS)), st.data())
def test_backward_from_one_node_then_another(case, data):
    expression, point = case
    nodes = expression.nodes(*map(Value, point))
    first, second = data.draw(st.sampled_from(nodes)), data.draw(st.sampled_from(nodes))
    first.backward()
    expected = reference_gradients(second)
    before = {node: node.grad for node in expected}
    second.backward()
    for node, g in expected.items():  # leaves add up; everything else starts from 0
        want = before[node] + g if not node._prev else g
        assert node.grad == pytest.approx(want, rel=1e-12, abs=1e-12), node


@given(expressions_with_inputs(operations=tuple(OPERATIONS)))
def test_explain_tells_what_backward_does(case):
    expression, point = case
    root = expression(*map(Value, point))
    told = [step.grad for step in explain(root)]
    root.backward()
    assert told == pytest.approx([n.grad for n in reversed(topological_order([root]))],
                                 rel=1e-12, abs=1e-12)


def test_explain_sends_nothing_behind_a_relu_that_is_off():
    z = Value(0.0, label='z')
    y = (-z.sqrt() - 1.0).relu()  # sqrt's derivative at 0 is infinite
    y.backward()
    assert z.grad == 0.0 and explain(y)['z'].grad == 0.0


def test_a_subclass_may_override_the_reflected_operators():
    class Traced(Value):
        __slots__ = ()

        def __radd__(self, other):
            return super().__radd__(other)

        def __rmul__(self, other):
            return super().__rmul__(other)

    assert (2 + Traced(1.0)).data == 3.0 and (2 * Traced(1.5)).data == 3.0


@pytest.mark.parametrize("activation", ['relu', 'linear', 'tanh'])
def test_numbers_set_by_hand_are_floats_again_after_a_neuron(activation):
    np = require_module('numpy')
    neuron = Neuron(2, activation=activation, rng=random.Random(0))
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 2, np.float64(-0.5), np.int64(1)
    x = [Value(1.0), Value(0.5)]
    x[0].data = np.float64(1.0)
    out = neuron(x)
    expected = math.tanh(2.75) if activation == 'tanh' else 2.75
    assert type(out.data) is float and out.data == pytest.approx(expected)
    out.backward()
    assert all(type(p.grad) is float for p in neuron.parameters())


@pytest.mark.parametrize("x", [0.0, -0.0, 2.0, -2.0, 1e-320, 1e300, math.inf, -math.inf, math.nan])
@pytest.mark.parametrize("c", [2, -1, 0, 0.5, -2.5, True, 'numpy float', 'numpy int'])
def test_power_edge_cases_are_their_table_row(x, c):
    if isinstance(c, str):
        np = require_module('numpy')
        c = np.float64(1.5) if c == 'numpy float' else np.int64(3)
    a = Value(x)
    try:
        plain = a._apply(ops.pow_const(c))
    except (OverflowError, ValueError, ZeroDivisionError) as error:
        with pytest.raises(type(error), match=re.escape(str(error))):
            a ** c
        return
    same_node(a ** c, plain)


def test_neuron_forward_reads_the_data_itself_when_not_given():
    neuron = Neuron(3, rng=random.Random(1))
    x = [Value(0.5), Value(-1.0), Value(2.0)]
    assert neuron.forward(x).data == neuron.forward(x, [0.5, -1.0, 2.0]).data == neuron(x).data


def test_sums_add_left_to_right_as_a_chain_of_values_does():
    # Python 3.12's sum() compensates for rounding; micrograd adds one by one
    assert ops.add_up([1e16, 1.0, -1e16], 0.0) == 0.0
    w, x = [Value(1e16), Value(1.0), Value(-1e16)], [1.0, 1.0, 1.0]
    chain = sum((wi * xi for wi, xi in zip(w, x)), Value(0.0))
    assert micrograd.linear(w, x, Value(0.0)).data == chain.data == 0.0


def test_pickled_and_copied_graphs_carry_no_marks_and_old_pickles_load():
    x = Value(1.5, label='x')
    y = (x * x).relu() + micrograd.linear([x], [2.0], Value(0.5), relu=True)
    y.backward()
    def marks(root):  # without topological_order, which marks what it walks
        seen, stack = {}, [root]
        while stack:
            node = stack.pop()
            seen[id(node)] = node._mark
            stack += [child for child in node._prev if id(child) not in seen]
        return set(seen.values())

    assert marks(y) != {None}
    for z in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        assert marks(z) == {None}
        z.backward()
        leaf = z._prev[0]._prev[0]._prev[0]
        assert leaf.label == 'x' and leaf.grad == 2 * (2 * 1.5 + 2.0)  # 1 pass before copying
    old = Value.__new__(Value)  # as pickled before `_mark` existed: (None, slots)
    old.__setstate__((None, {'data': 3.0, 'grad': 0.0, 'label': 'x', '_prev': (), '_op': '',
                             '_rule': None, '_local': ()}))
    (old * old).backward()
    assert old.grad == 6.0


def test_with_create_graph_every_gradient_is_a_value_behind_a_relu_that_is_off_too():
    x = Value(-1.0)
    hidden = x * 2
    y = hidden.relu() + x * x
    y.backward(create_graph=True)
    assert all(isinstance(n.grad, Value) for n in topological_order([y]))
    assert (x.grad.data, hidden.grad.data) == (-2.0, 0.0)
    assert grad(x.grad, [x]) == [2.0]  # d/dx (2x): the gradient has a history


def plain_topological_order(roots):
    """The sort as it was written first, with a dict: the order pictures and `explain`
    number their steps by."""
    order, state, stack = [], {}, list(roots)
    while stack:
        node = stack.pop()
        seen = state.get(node)
        if seen is None:
            state[node] = False
            stack.append(node)
            for child in node._prev:
                if child not in state:
                    if child._prev:
                        stack.append(child)
                    else:
                        state[child] = True
                        order.append(child)
        elif not seen:
            state[node] = True
            order.append(node)
    return order


@given(expressions_with_inputs(operations=tuple(OPERATIONS)), st.data())
def test_topological_order_is_the_plain_sorts_order(case, data):
    expression, point = case
    xs = [Value(x) for x in point]
    nodes = expression.nodes(*xs)
    nodes.append(Value(1.0, (nodes[-1], xs[0]), 'by hand'))
    roots = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3))
    nodes[-1].backward()  # marks left by an earlier pass change nothing
    assert topological_order(roots) == plain_topological_order(roots)
