"""The `Value` node and reverse-mode differentiation over the graph it records.

A `Value` wraps one float. Arithmetic on Values builds a graph: each result remembers its
inputs (`_prev`, an ordered tuple, so `x*x` keeps both edges), its rule from the table in
`ops.py` (`_rule`), and the rule's local derivatives, computed as floats while the forward
pass already has every number at hand (`_local`). Besides `data`, `grad`, `label` and the
op's name (`_op`), the only other slot is `_mark`, for `backward()`'s sort. No closure
per node, so a discarded graph holds no reference cycle and is freed by reference counting.

`backward()` orders the graph with an iterative depth-first search (no recursion, so a
graph a million nodes deep is fine) and then does one multiply-add per edge. It follows
only the edges gradient flows along: behind a ReLU that is off (whose partials are
`ops.NO_FLOW`) every gradient is zero, so there it only resets the gradients. With
`create_graph=True` it instead calls each rule's `partials` on the Values themselves, so
the gradients it produces are Values with a history of their own.

Speed: `+`, `*`, `relu` and `** number`, the operations a network does most, build their
node directly instead of calling the table's functions; a neuron is one node, ReLU and
all (`_weighted_sum`). Each of these fast paths gives the same numbers as its row of the
table (tests/test_fast_paths.py), which stays the reference and serves `create_graph`.
"""

import contextlib
import numbers
import operator

from . import ops
from .ops import ADD, LINEAR, MUL, NO_FLOW, ONES, RELU, RELU_LINEAR, RELU_ON

_grad_enabled = True  # switched off by `no_grad()`
_new = object.__new__


def _real(x, what):
    """`x` as a float, or a TypeError naming its type."""
    if isinstance(x, numbers.Real):
        return float(x)
    if isinstance(x, Value):
        raise TypeError(f"{what} must be a real number, got a Value; use its .data")
    raise TypeError(f"{what} must be a real number (int or float), got {type(x).__name__}")


def _lift(x, op, reflected=False):
    """An operand as a Value, or a TypeError naming its type (micrograd takes numbers only)."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or isinstance(x, numbers.Real):
        return Value(float(x))
    raise _operand_error(x, op, reflected)


def _operand_error(x, op, reflected=False):
    left, right = ('Value', type(x).__name__)[::-1 if reflected else 1]
    return TypeError(f"unsupported operand type(s) for {op}: '{left}' and '{right}' "
                     f"(a Value combines with real numbers and Values only)")


def _node(data, inputs, rule, local):
    """A node computed by `rule` (the fast path: no checks, no `__init__`)."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ''
    node._mark = None
    node._prev = inputs
    node._op = rule.name
    node._rule = rule
    node._local = local
    return node


class Value:
    """A scalar that records the operations applied to it, for `backward()`.

    >>> a = Value(2.0); b = a * a + 1
    >>> b.backward(); a.grad
    4.0
    """

    __slots__ = ('data', 'grad', 'label', '_prev', '_op', '_rule', '_local', '_mark')

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data if type(data) is float else _real(data, 'Value data')
        self.grad = 0.0
        self.label = label
        self._mark = None
        children = tuple(_children)
        for child in children:
            if not isinstance(child, Value):
                raise TypeError(f"Value children must be Values, got {type(child).__name__}")
        self._prev = children
        self._op = _op
        self._rule = None  # a Value built by hand has no rule: gradients stop here
        self._local = ()

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"

    def __float__(self):
        return self.data

    def __getstate__(self):  # for pickle and copy: everything but backward()'s mark
        return {name: getattr(self, name) for name in _STATE}

    def __setstate__(self, state):
        if isinstance(state, tuple):  # (None, slots): pickled before __getstate__ existed
            state = state[1]
        for name, value in state.items():
            setattr(self, name, value)
        self._mark = None

    # -- building nodes -----------------------------------------------------------------

    def _apply(self, rule, other=None):
        """The node for `rule(self)` or `rule(self, other)`, with its local derivatives,
        by the table: every operation goes this way, except in the fast paths below."""
        x = self.data
        if type(x) is not float:  # `.data` set by hand to an int or a numpy number
            x = _real(x, 'Value.data')
        if other is None:
            out = rule.forward(x)
            if not _grad_enabled:
                return Value(out)  # no history: a leaf
            return _node(out, (self,), rule, rule.partials(x, out))
        y = other.data
        if type(y) is not float:
            y = _real(y, 'Value.data')
        out = rule.forward(x, y)
        if not _grad_enabled:
            return Value(out)
        return _node(out, (self, other), rule, rule.partials(x, y, out))

    def __add__(self, other):
        if type(other) is not Value:
            other = _lift(other, '+')
        x, y = self.data, other.data
        if type(x) is float and type(y) is float and _grad_enabled:  # the fast path
            return _node(x + y, (self, other), ADD, ONES)
        return self._apply(ADD, other)

    def __radd__(self, other):  # other + self (called directly: a subclass may override +)
        return _lift(other, '+', reflected=True).__add__(self)

    def __sub__(self, other):
        return self._apply(ops.SUB, other if type(other) is Value else _lift(other, '-'))

    def __rsub__(self, other):  # other - self
        return _lift(other, '-', reflected=True)._apply(ops.SUB, self)

    def __mul__(self, other):
        if type(other) is not Value:
            other = _lift(other, '*')
        x, y = self.data, other.data
        if type(x) is float and type(y) is float and _grad_enabled:  # the fast path
            return _node(x * y, (self, other), MUL, (y, x))
        return self._apply(MUL, other)

    def __rmul__(self, other):  # other * self (called directly: a subclass may override *)
        return _lift(other, '*', reflected=True).__mul__(self)

    def __truediv__(self, other):
        return self._apply(ops.DIV, other if type(other) is Value else _lift(other, '/'))

    def __rtruediv__(self, other):  # other / self
        return _lift(other, '/', reflected=True)._apply(ops.DIV, self)

    def __pow__(self, other):
        """`x ** 2` (a number: one input, as micrograd) or `x ** y` (a Value: two)."""
        if type(other) is int or type(other) is float or isinstance(other, numbers.Real):
            rule = ops.pow_const(other)
            x = self.data
            if type(x) is float and x > 0.0 and _grad_enabled:  # the fast path
                c = rule.exponent
                try:
                    out = x ** c
                except OverflowError:
                    return self._apply(rule)  # which raises, naming the numbers
                return _node(out, (self,), rule, (c * out / x,))  # c x^(c-1), no 2nd pow
            return self._apply(rule)
        if isinstance(other, Value):
            return self._apply(ops.POW, other)
        raise _operand_error(other, '**')

    def __rpow__(self, other):  # other ** self
        return _lift(other, '**', reflected=True)._apply(ops.POW, self)

    def __neg__(self):
        return self._apply(ops.NEG)

    def __pos__(self):
        return self

    # -- elementary functions -----------------------------------------------------------

    def exp(self):
        """e ** self."""
        return self._apply(ops.EXP)

    def log(self):
        """Natural logarithm; ValueError for self <= 0."""
        return self._apply(ops.LOG)

    def sqrt(self):
        """Square root; ValueError for self < 0."""
        return self._apply(ops.SQRT)

    def tanh(self):
        """Hyperbolic tangent (never overflows)."""
        return self._apply(ops.TANH)

    def sigmoid(self):
        """1 / (1 + e ** -self), computed so that it never overflows."""
        return self._apply(ops.SIGMOID)

    def relu(self):
        """max(0, self); its derivative at 0 is 0 (as micrograd and PyTorch)."""
        x = self.data
        if type(x) is float and _grad_enabled:  # the fast path
            if x > 0:
                return _node(x, (self,), RELU, RELU_ON)
            if x <= 0:
                return _node(0.0, (self,), RELU, NO_FLOW)
        return self._apply(RELU)  # nan, a number set by hand, or under no_grad

    def sin(self):
        """Sine (radians)."""
        return self._apply(ops.SIN)

    def cos(self):
        """Cosine (radians)."""
        return self._apply(ops.COS)

    def __abs__(self):
        """|self|; its derivative at 0 is 0 (as PyTorch)."""
        return self._apply(ops.ABS)

    abs = __abs__

    def detach(self):
        """A new leaf with the same data and no history."""
        return Value(self.data)

    # -- differentiation ----------------------------------------------------------------

    def _backward(self):
        """One chain-rule step: add this node's gradient times each local derivative into
        its inputs (what micrograd's per-node closure did; `backward()` does every step)."""
        for child, d in zip(self._prev, self._local):
            child.grad += d * self.grad

    def backward(self, grad=1.0, create_graph=False):
        """Compute d(self)/d(node) for every node of the graph into `node.grad`.

        Gradients of intermediate nodes are computed afresh on every call; gradients of
        leaves (inputs and parameters) accumulate until you zero them, as in PyTorch
        (`retain_graph` is implied). With `create_graph=True` the gradients are Values
        with their own history, so they can be differentiated again; as in PyTorch, a
        leaf's `.grad` then refers back to the leaf (a reference cycle, left to the
        garbage collector): prefer `micrograd.grad()` for higher derivatives.

        Nothing flows back through a ReLU that is off: behind one, backward only sets
        the gradients to 0, so an infinite derivative there counts for nothing
        (PyTorch would give 0 * inf = nan).

        Local derivatives are taken from the numbers of the forward pass: change `.data`
        after building a graph and build it again before calling backward.
        """
        seed = grad if isinstance(grad, Value) else _real(grad, 'backward(grad)')
        order = _backward_order([self], zero=True)
        _seed(self, seed, create_graph)
        _propagate(order, create_graph)
        if create_graph:  # every gradient a Value, behind a ReLU that is off too (constants)
            for node in topological_order([self]):
                if not isinstance(node.grad, Value):
                    node.grad = Value(node.grad)


_STATE = tuple(name for name in Value.__slots__ if name != '_mark')


def linear(weights, inputs, bias, relu=False):
    """`bias + sum(w * x)` as one node, the weighted sum of a neuron; `relu(...)` of it
    with `relu=True`.

    The same numbers as `sum((w * x for w, x in zip(weights, inputs)), bias)` (and
    `.relu()` of that), and the same gradients, from one node with an edge per input
    instead of two nodes per term. Inputs may be numbers; weights and bias are Values.

    >>> w, x = [Value(2.0), Value(-1.0)], [3.0, 4.0]
    >>> linear(w, x, Value(0.5)).data
    2.5
    """
    if len(weights) != len(inputs):
        raise ValueError(f"linear(): {len(weights)} weights but {len(inputs)} inputs")
    for p in (*weights, bias):
        if not isinstance(p, Value):
            raise TypeError(f"linear(): weights and bias must be Values, got {type(p).__name__}")
    inputs = [x if isinstance(x, Value) else _lift(x, '*') for x in inputs]
    return _weighted_sum(weights, inputs, bias, [x.data for x in inputs], relu)


def _weighted_sum(weights, inputs, bias, input_data, relu=False):
    """`linear` on checked Values, given the inputs' numbers (a layer reads them once for
    all of its neurons): the fast path of the table's LINEAR and RELU_LINEAR rows."""
    weight_data = [w.data for w in weights]
    out = ops.add_up(map(operator.mul, weight_data, input_data), bias.data)
    if type(out) is not float:  # `.data` set by hand to ints or numpy numbers: as floats
        weight_data = [_real(x, 'Value.data') for x in weight_data]
        input_data = [_real(x, 'Value.data') for x in input_data]
        out = ops.add_up(map(operator.mul, weight_data, input_data), _real(bias.data, 'Value.data'))
    if relu and out <= 0:
        out = 0.0
    if not _grad_enabled:
        return Value(out)
    nodes = (*weights, *inputs, bias)
    if relu and not out > 0:  # a ReLU that is off (or nan): nothing flows back
        return _node(out, nodes, RELU_LINEAR, NO_FLOW)
    return _node(out, nodes, RELU_LINEAR if relu else LINEAR, (*input_data, *weight_data, 1.0))


def _seed(node, grad, create_graph):
    if not create_graph:
        node.grad += float(grad)  # a Value seed counts by its number only
        return
    if not isinstance(grad, Value):
        grad = Value(grad)
    node.grad = _accumulate(node.grad, grad)


def topological_order(roots):
    """Every node that `roots` depend on, each after all of its inputs (no recursion).

    For pictures and explanations; `backward()` walks less (`_backward_order`).
    """
    return _depth_first(roots, everything=True)


def _backward_order(roots, zero=False):
    """The nodes with inputs that gradient reaches from `roots`, each after its inputs.

    `topological_order` without the leaves (nothing flows on from them) and without what
    lies behind a node whose partials are `NO_FLOW` (a ReLU that is off) or that has no
    rule (built by hand): nothing flows there either. With `zero=True` it sets the
    `.grad` of every node with inputs to 0, those it leaves out included (so that
    backward() recomputes them all, as if it had gone through).
    """
    return _depth_first(roots, everything=False, zero=zero)


def _depth_first(roots, everything, zero=False):
    """An iterative depth-first search: the nodes in an order where each comes after its
    inputs. `everything`: all of them; else as `_backward_order`.

    It marks the nodes themselves (`_mark`) instead of keeping a set: an attribute read
    costs less than a dict lookup, and this is the hot half of backward(). The marks are
    new objects each pass, so old ones need no clearing. It allocates nothing per node,
    so it gives the cyclic garbage collector no reason to run on a large graph.
    """
    entered, placed = object(), object()
    order = []
    place = order.append
    behind = []  # the inputs of nodes that nothing flows back through
    stack = list(roots) if everything else [root for root in roots if root._prev]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        mark = node._mark
        if mark is entered:  # every input above it is placed
            node._mark = placed
            place(node)
            if zero:
                node.grad = 0.0
        elif mark is not placed:
            node._mark = entered
            push(node)  # popped again once every input above it is placed
            if not (node._local or everything):
                if zero:
                    behind += node._prev
                continue
            for child in node._prev:
                if child._prev:
                    mark = child._mark
                    if mark is not entered and mark is not placed:
                        push(child)
                elif everything and child._mark is not placed:  # a leaf: no second visit
                    child._mark = placed
                    place(child)
    if zero:  # what lies behind gets no gradient from this pass: a zero
        stack += [node for node in behind if node._prev]  # (the sort left it empty)
        while stack:
            node = pop()
            if node._mark is not placed:
                node._mark = placed
                node.grad = 0.0
                for child in node._prev:
                    if child._prev and child._mark is not placed:
                        push(child)
    return order


def _accumulate(total, contribution):
    """`total + contribution`, without a `0.0 +` node when recording a graph."""
    if not isinstance(total, Value) and total == 0:
        return contribution
    return total + contribution


def _propagate(order, create_graph):
    """The chain rule, from the outputs (end of `order`) back to the leaves."""
    if not create_graph:
        for node in reversed(order):
            local = node._local  # two inputs (+ - * /) or one, the most common: no loop
            if len(local) == 2:
                a, b = node._prev
                g = node.grad
                a.grad += local[0] * g
                b.grad += local[1] * g
            elif len(local) == 1:
                node._prev[0].grad += local[0] * node.grad
            else:
                g = node.grad
                for child, d in zip(node._prev, local):
                    child.grad += d * g
        return
    global _grad_enabled
    was_enabled, _grad_enabled = _grad_enabled, True  # create_graph records, as PyTorch
    try:
        _propagate_graph(order)
    finally:
        _grad_enabled = was_enabled


def _propagate_graph(order):
    """The chain rule on Values: each rule's partials recorded as a graph of their own."""
    for node in reversed(order):
        rule = node._rule
        if rule is None:
            continue
        g = node.grad
        inputs = node._prev
        partials = rule.partials(inputs, node) if rule.variadic else rule.partials(*inputs, node)
        for child, d in zip(inputs, partials):
            contribution = g if (type(d) is float and d == 1.0) else d * g
            child.grad = _accumulate(child.grad, contribution)


def grad(outputs, inputs, grad_outputs=None, create_graph=False):
    """The gradients of `outputs` with respect to `inputs`, leaving every `.grad` as it was.

    `outputs` is a Value or a list of Values (their gradients are summed, weighted by
    `grad_outputs`, 1.0 each by default). Returns a list with one gradient per input:
    floats, or Values with a history when `create_graph=True`, so that
    `grad(grad(f, [x], create_graph=True)[0], [x])` is the second derivative.
    An input that `outputs` do not depend on gets a zero gradient (where PyTorch would
    raise): the derivative of a constant is zero.

    >>> x = Value(3.0)
    >>> grad(x ** 3, [x])
    [27.0]
    """
    outputs = _as_value_list(outputs, 'outputs')
    inputs = _as_value_list(inputs, 'inputs')
    if grad_outputs is None:
        grad_outputs = [1.0] * len(outputs)
    elif isinstance(grad_outputs, (Value, numbers.Real)):
        grad_outputs = [grad_outputs]
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad(): {len(outputs)} outputs but {len(grad_outputs)} grad_outputs")
    order = _backward_order(outputs)
    leaves = [child for node in order for child in node._prev if not child._prev]
    touched = [*order, *inputs, *outputs, *leaves]
    saved = [node.grad for node in touched]
    try:
        for node in touched:
            node.grad = 0.0
        for output, seed in zip(outputs, grad_outputs):
            if not isinstance(seed, Value):
                seed = _real(seed, 'grad_outputs')
            _seed(output, seed, create_graph)
        _propagate(order, create_graph)
        grads = [node.grad for node in inputs]
    finally:
        for node, old in zip(touched, saved):
            node.grad = old
    if create_graph:
        grads = [g if isinstance(g, Value) else Value(g) for g in grads]
    return grads


def _as_value_list(values, what):
    if isinstance(values, Value):
        return [values]
    try:
        values = list(values)
    except TypeError:
        raise TypeError(f"grad(): {what} must be a Value or a list of Values, "
                        f"got {type(values).__name__}") from None
    for v in values:
        if not isinstance(v, Value):
            raise TypeError(f"grad(): {what} must be Values, got {type(v).__name__}")
    return values


class no_grad(contextlib.ContextDecorator):
    """Record no history inside this block (or decorated function): results are leaves.

    For inference and for optimizer updates; as `torch.no_grad`. The switch is global
    to the process (not per thread).

    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y._prev
    ()
    """

    def __new__(cls, func=None):
        self = super().__new__(cls)
        self._saved = []  # one entry per `with`, so one instance may be nested
        return self(func) if callable(func) else self  # `@no_grad` without brackets

    def __init__(self, func=None):
        pass

    def __enter__(self):
        global _grad_enabled
        self._saved.append(_grad_enabled)
        _grad_enabled = False
        return self

    def __exit__(self, *exc):
        global _grad_enabled
        _grad_enabled = self._saved.pop()
        return False


def is_grad_enabled():
    """False inside `no_grad()`."""
    return _grad_enabled
