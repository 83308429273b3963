"""Operations written micrograd 0.1.0's way: a node built by hand and a `_backward` closure.

The figures come from calculus; tests/test_compat.py also runs such code on micrograd
0.1.0 itself and compares.
"""

import copy
import math

import pytest
from compat_script import Closures, Cube
from compat_script import exp as exp_by_hand
from compat_script import mul as mul_by_hand

import micrograd
from micrograd import Value, explain, grad


def test_a_closure_is_called_by_backward():
    x = Value(0.7)
    y = exp_by_hand(x)
    y.backward()
    assert x.grad == math.exp(0.7)


def test_in_a_subclass_too():
    c = Cube(2.0)
    y = c.cube()
    y.backward()
    assert (y.data, c.grad) == (8.0, 12.0)


def test_mixed_with_table_nodes_on_both_sides_and_fan_out():
    a, b = Value(0.5), Value(-1.5)
    h = exp_by_hand(a * b) * a + mul_by_hand(a, a).tanh()  # table -> closure -> table
    h.backward()
    e = math.exp(a.data * b.data)
    t = math.tanh(a.data ** 2)
    assert a.grad == pytest.approx(b.data * e * a.data + e + (1 - t * t) * 2 * a.data, rel=1e-14)
    assert b.grad == pytest.approx(a.data * e * a.data, rel=1e-14)


def test_backward_twice_and_intermediate_gradients_afresh():
    x = Value(2.0)
    y = exp_by_hand(x * 1.0) + x
    y.backward()
    y.backward()
    assert x.grad == pytest.approx(2 * (math.exp(2.0) + 1))
    inner = y._prev[0]._prev[0]  # x * 1.0, below the closure: recomputed, not doubled
    assert inner.grad == pytest.approx(math.exp(2.0))


def test_the_lecture_calls_backward_of_each_node_itself():
    x = Value(1.0)
    y = exp_by_hand(x)
    y.grad = 1.0
    y._backward()
    assert x.grad == math.e
    table = x * 3  # a table node's _backward is its chain-rule step
    table.grad = 2.0
    table._backward()
    assert x.grad == math.e + 6.0


def test_grad_runs_the_closure_and_leaves_every_grad_alone():
    x = Value(0.3)
    x.grad = 5.0
    y = exp_by_hand(x) * x
    assert grad(y, [x]) == [pytest.approx(math.exp(0.3) * 1.3)]
    assert x.grad == 5.0 and y.grad == 0.0 and y._prev[0].grad == 0.0


def test_create_graph_refuses_to_go_through_a_closure_and_changes_nothing():
    x = Value(0.3)
    y = exp_by_hand(x) * 2
    y.backward()
    before = [n.grad for n in micrograd.topological_order([y])]
    with pytest.raises(RuntimeError, match=r"'exp'.*_backward was written by hand"):
        y.backward(create_graph=True)
    with pytest.raises(RuntimeError, match="create_graph=True"):
        grad(y, [x], create_graph=True)
    assert [n.grad for n in micrograd.topological_order([y])] == before


def test_explain_shows_what_a_closure_sends():
    x = Value(2.0, label='x')
    y = mul_by_hand(x, x)
    y.label = 'y'
    step = explain(y)['y']
    assert [(s.input, s.contribution, s.total) for s in step.sent] == [('x', 4.0, 4.0),
                                                                       ('x', 0.0, 4.0)]
    assert step.sent[0].local == 4.0 and y.grad == 0.0 and x.grad == 0.0


def test_a_none_gradient_before_a_closure_is_filled_in():
    x = Value(0.5)
    x.grad = None
    exp_by_hand(x).backward()
    assert x.grad == math.exp(0.5)


def test_a_closure_node_cannot_be_pickled_and_says_why():
    import pickle
    with pytest.raises(TypeError, match="written by hand"):
        pickle.dumps(exp_by_hand(Value(1.0)))


def test_backward_must_be_a_function():
    with pytest.raises(TypeError, match="_backward must be a function, got int"):
        Value(1.0)._backward = 3


def test_a_node_built_by_hand_without_a_closure_still_stops_gradients():
    m = Value(2.0) * 3
    by_hand = Value(m.data, (m,), 'custom')
    by_hand.backward()
    assert m.grad == 0.0 and by_hand.grad == 1.0


def test_explain_does_not_run_a_closure_behind_a_relu_that_is_off():
    x = Value(0.0)
    root = Value(0.0, (x,), 'sqrt')

    def _backward():
        x.grad += 0.5 / root.data * root.grad  # would divide by zero at 0
    root._backward = _backward
    y = (root - 1.0).relu()
    y.backward()
    assert x.grad == 0.0 and grad(y, [x]) == [0.0]
    assert [(s.local, s.contribution) for s in explain(y)['#3'].sent] == [(0.0, 0.0)]


@pytest.mark.parametrize(("make", "value", "grads", "kind"), [
    (lambda v, w: v - w, 5.0, (1.0, -1.0), 'Closures'),
    (lambda v, w: 1 - v, -1.0, (-1.0, 0.0), 'Closures'),
    (lambda v, w: v / w, -2 / 3, (-1 / 3, -2 / 9), 'Closures'),
    (lambda v, w: 5 / v, 2.5, (-1.25, 0.0), 'Value'),   # 5 * v**-1: Value's ** (as 0.1.0)
    (lambda v, w: -v, -2.0, (-1.0, 0.0), 'Closures'),
    (lambda v, w: 3 * v, 6.0, (3.0, 0.0), 'Closures'),
    (lambda v, w: 2 + w, -1.0, (0.0, 1.0), 'Closures'),
])
def test_a_subclass_with_its_own_add_and_mul_derives_the_other_operators_from_them(
        make, value, grads, kind):
    v, w = Closures(2.0), Closures(-3.0)
    out = make(v, w)
    out.backward()
    assert type(out).__name__ == kind and out.data == pytest.approx(value, rel=1e-15)
    assert (v.grad, w.grad) == pytest.approx(grads, rel=1e-15)


def test_a_subclass_without_its_own_add_or_mul_gets_single_nodes():
    c = Cube(2.0)
    ops_ = [(c - 1)._op, (1 - c)._op, (c / 2)._op, (2 / c)._op, (-c)._op, (3 * c)._op,
            (2 + c)._op]
    assert ops_ == ['-', '-', '/', '/', 'neg', '*', '+']


def test_a_hand_written_rule_shows_its_function_and_refuses_pickling():
    node = exp_by_hand(Value(1.0))
    assert repr(node._rule) == f"HandWritten({exp_by_hand.__qualname__ + '.<locals>._backward'!r})"
    assert repr(micrograd.handwritten.HandWritten(3)) == "HandWritten(3)"  # no __qualname__
    with pytest.raises(TypeError) as info:
        node._rule.__reduce__()
    assert str(info.value) == ("cannot pickle a Value whose _backward was written by hand (a "
                               "closure); write the operation as a rule in micrograd.ops to "
                               "pickle it")


class Own(Value):
    """A subclass with micrograd 0.1.0's own `__init__` (no label), which never calls Value's."""

    def __init__(self, data, _children=(), _op=''):
        self.data = data
        self.grad = 0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __mul__(self, other):
        return mul_by_hand(self, other if isinstance(other, Own) else Own(other), kind=Own)


def test_a_subclass_with_micrograd_s_own_init_builds_and_differentiates():
    a, b = Own(2.0), Own(-3.0)
    y = a * b * a  # a**2 * b
    assert type(y._prev) is tuple and len(y._prev) == 2 and y._op == '*'
    y.backward()
    assert (a.grad, b.grad) == (2 * 2.0 * -3.0, 2.0 ** 2)
    for v in (a, b, *micrograd.topological_order([y])):  # the lecture's way, by hand
        v.grad = 0
    y.grad = 1.0
    for v in reversed(micrograd.topological_order([y])):
        v._backward()
    assert (a.grad, b.grad) == (-12.0, 4.0)
    assert repr(a) == 'Value(data=2.0, grad=-12.0)' and copy.copy(y)._prev == y._prev
    assert explain(y) and type(copy.copy(a)) is Own


def test_a_value_times_a_subclass_is_the_value_s_own_product():
    """As Python does: the left operand's `*` first, since the subclass has no `__rmul__`."""
    v, own = Value(3.0), Own(2.0)
    for y in (v * own, v + own, v - own, v / own, v ** own):
        assert type(y) is Value and type(y.data) is float, y
    y = v * own
    y.backward()
    assert (y.data, v.grad, own.grad) == (6.0, 2.0, 3.0)


def test_inputs_and_derivatives_set_by_hand_must_match_in_number():
    a, b, d = Value(2.0), Value(5.0), Value(7.0)
    c = a * b
    with pytest.raises(ValueError, match=r"_prev: 1 inputs for the node's 2 local derivatives"):
        c._prev = (b,)
    with pytest.raises(ValueError, match=r"_local: 1 local derivatives for the node's 2 inputs"):
        c._local = (1.0,)
    assert c._prev[0] is a and c._prev[1] is b and c._local == (5.0, 2.0)  # unchanged
    c._local = ()  # no derivatives: then any inputs, and their derivatives to match
    c._prev = (a, b, d)
    c._local = [1.0, 2.0, 3.0]
    c.backward()
    assert (a.grad, b.grad, d.grad) == (1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match="_prev must be an iterable, got NoneType"):
        c._prev = None
    with pytest.raises(TypeError, match="_local must be an iterable, got int"):
        c._local = 5
    with pytest.raises(TypeError, match="Value children must be an iterable, got int"):
        Value(1.0, 5)
    with pytest.raises(TypeError, match="_local must be real numbers, got str"):
        c._local = "abc"
    assert c._local == (1.0, 2.0, 3.0)


def test_create_graph_refuses_derivatives_set_by_hand_on_a_node_without_a_rule():
    a, b = Value(1.0), Value(2.0)
    n = Value(5.0, (a, b), 'h')
    n._local = (2.0, 3.0)
    assert grad(n, [a, b]) == [2.0, 3.0]
    message = ("create_graph=True cannot differentiate through the node 'h': its _local "
               "derivatives were set by hand (numbers, with no rule to differentiate); write "
               "the operation as a rule in micrograd.ops, or use create_graph=False")
    with pytest.raises(RuntimeError) as info:
        grad(n, [a, b], create_graph=True)
    assert str(info.value) == message
    with pytest.raises(RuntimeError, match="set by hand"):
        n.backward(create_graph=True)
    assert (a.grad, b.grad) == (0.0, 0.0)  # nothing changed


def test_a_constant_given_no_inputs_by_hand_stays_a_constant():
    x = Value(1.5)
    y = x * 3.0
    k = y._prev[1]
    k._prev = ()
    assert k._local is micrograd.ops.CONSTANT
    y.backward(create_graph=True)
    assert k.grad._prev == () and k.grad.data == 1.5


def test_a_node_built_by_hand_without_inputs_is_run_by_backward():
    """micrograd 0.1.0 calls every node's `_backward`, so a closure on a node built
    without `_children` still sends its gradient (to the Values it closes over)."""
    x = Value(1.5)

    def by_hand():
        node = Value(x.data * 2, (), 'twice')

        def _backward():
            x.grad += 2 * node.grad
        node._backward = _backward
        return node

    root = by_hand()
    root.backward()
    assert x.grad == 2.0
    root.backward()  # the root's gradient is computed afresh; x, a leaf, accumulates
    assert (root.grad, x.grad) == (1.0, 4.0)
    x.grad = 0.0
    (by_hand() * 3.0).backward()  # inside a graph too
    assert x.grad == 6.0
    # grad() cannot keep what it adds apart from .grad: it says so, and changes nothing
    with pytest.raises(RuntimeError) as info:
        grad(by_hand() * 3.0, [x])
    assert str(info.value) == (
        "grad() cannot run the hand-written _backward of the node 'twice': it has no inputs "
        "(_prev), so it adds into Values that grad() cannot keep apart from their .grad; "
        "give the node its inputs, or use backward()")
    explain(by_hand() * 3.0)  # shows the step, runs nothing
    assert x.grad == 6.0


class Lecture(Value):
    """The lecture's own __init__, which sets _prev before _backward (0.1.0: the reverse)."""

    def __init__(self, data, _children=(), _op='', label=''):
        self.data, self.grad = data, 0.0
        self._prev = set(_children)
        self._op, self.label = _op, label
        self._backward = lambda: None


def test_leaves_whose_backward_does_nothing_stay_leaves_in_either_order():
    for kind in (Own, Lecture):
        w = kind(2.0)
        assert w._a is None and w._prev == ()
        y = Value(3.0) * w
        y.backward()
        y.backward()
        assert w.grad == 6.0  # a leaf: it accumulates
        assert grad(y, [w], create_graph=True)[0].data == 3.0


def test_a_leaf_of_micrograd_s_own_init_stays_a_leaf_that_accumulates():
    a = Own(2.0)  # its __init__ sets _backward (a no-op) and then an empty _prev
    assert a._prev == () and a._a is None
    y = a * a
    y.backward()
    y.backward()
    assert a.grad == 8.0


def test_grad_through_hand_written_int_gradients_is_python_s_arithmetic():
    """A closure that writes an int (`x.grad = 0`, as micrograd 0.1.0's zero_grad does),
    then -0.0 added to it: Python gives 0.0 (the compiled engine once gave -0.0)."""
    x = Value(1.0)
    m = x * -1.0
    h = Value(x.data, (x, m), 'h')

    def _backward():
        x.grad = 0
    h._backward = _backward
    y = m * 0.0 + h
    (g,) = grad(y, [x])
    assert g == 0.0 and math.copysign(1.0, g) == 1.0 == math.copysign(1.0, 0 + -0.0)
    y.backward()
    assert math.copysign(1.0, x.grad) == 1.0


def test_a_closure_finds_every_input_s_gradient_filled_in_where_it_was_none():
    a, b = Value(2.0), Value(3.0)
    out = Value(a.data * b.data, (a, b), 'times')

    def _backward():
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad
    out._backward = _backward
    a.grad = b.grad = None  # PyTorch's zeroing: no gradient yet
    out.backward()
    assert (a.grad, b.grad) == (3.0, 2.0)


def test_new_inputs_set_by_hand_on_a_one_input_node_keep_its_derivative_and_rule():
    x, y = Value(0.5), Value(2.0)
    t = x.tanh()
    rule, local = t._rule, t._local
    t._prev = [y]  # rewired: the same rule and local derivative, another input
    assert t._prev == (y,) and t._local == local and t._rule is rule
    t.backward()
    assert (y.grad, x.grad) == (local[0], 0.0)


def test_a_copy_of_a_node_run_by_hand_without_inputs_is_run_too():
    x = Value(1.0)
    node = Value(4.0, (), 'by_hand')

    def _backward():  # (it holds the node it was written for, not the copy)
        x.grad += 10.0
    node._backward = _backward
    twin = copy.copy(node)
    twin.backward()
    assert x.grad == 10.0 and twin._backward is _backward


class Bare(Value):
    """A subclass whose own __init__ sets data and _prev only, and calls nobody's."""

    def __init__(self, data, _children=()):
        self.data = data
        self._prev = set(_children)


def test_a_value_whose_init_sets_only_prev_gets_the_rest_as_a_leaf_s():
    b = Bare(2.0)
    assert (b._rule, b.label, b._op, b._mark, b._prev, b._local) == (None, '', '', None, (), ())
    y = Bare(1.0, (b,))
    assert y._prev == (b,) and y._rule is None and y._op == ''


def test_what_counts_as_a_backward_that_does_nothing():
    hits = []

    def stores():  # no names, no None: not nothing
        hits[:] = [1]

    class Called:
        def __call__(self):
            hits.append(2)
    for function, runs in ((lambda: None, False), (stores, True), (Called(), True),
                           (lambda: 5, True)):
        node = Value(1.0)
        node._backward = function
        assert (node._a is None) == (not runs), function
        node.backward()
    assert hits == [1, 2]


def test_a_number_on_the_left_of_a_subclass_is_the_first_input():
    """`2 + c` and `3 * c` with a subclass that has Value's own `+` and `*`: the number
    comes first, as for a Value (a learner reads the inputs in `_prev` in this order)."""
    c = Cube(5.0)
    for out, number in ((2 + c, 2.0), (3 * c, 3.0)):
        assert out._prev[0].data == number and out._prev[1] is c


def test_minus_and_a_number_over_a_subclass_with_its_own_mul_are_made_as_in_micrograd():
    """0.1.0 makes `-v` as `v * -1` (an int, given to the subclass's own `*`) and `5 / v`
    as `5 * v ** -1` (a product, not a quotient)."""
    given = []

    class Recording(Closures):
        def __mul__(self, other):
            given.append(other)
            return super().__mul__(other)
    v = Recording(2.0)
    assert (-v).data == -2.0 and given == [-1] and type(given[0]) is int
    out = 5 / v
    assert out._op == '*' and out.data == 2.5 and out._prev[1]._op == '**-1'


class LabelFirst(Value):
    """A subclass whose own __init__ names the node before it gives it inputs."""

    def __init__(self, data, _children=(), _op='', label=''):
        self.data, self.grad, self.label, self._op = data, 0.0, label, _op
        self._prev = set(_children)
        self._backward = lambda: None


def test_a_value_whose_init_names_it_first_keeps_its_name():
    a = LabelFirst(2.0, label='a')
    y = LabelFirst(4.0, (a,), 'square', label='y')
    assert (a.label, a._op, y.label, y._op, y._prev) == ('a', '', 'y', 'square', (a,))
