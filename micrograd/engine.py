"""The reference: a `Value` records a graph as arithmetic happens; `backward()` sorts that
graph topologically and applies the chain rule, summing gradients over fan-out.

Each result keeps its inputs, its rule from the table in `ops.py` (`_rule`), and the
rule's local derivatives, computed as floats in the forward pass. A node of one or two
inputs keeps them in four fields, `_a`, `_da`, `_b`, `_db`; any other node keeps tuples
(`_in_the_node`). No closure per node: a discarded graph holds no cycle, and reference
counting frees it. The other concerns live beside this file, each in a module named for
it (docs/how-it-works.md is the reading path). Where a C compiler is at hand this file is
compiled by Cython, with `engine.pxd`: the same numbers, to the bit (tests/test_compiled.py).
"""

import math
import operator

from . import ops
from .checks import _is_real, _operand_error, _real
from .grad_mode import is_grad_enabled, no_grad  # noqa: F401 (API.md: no_grad is named here)
from .ops import ADD, CONSTANT, MUL, NO_FLOW, RELU, TANH, HandWritten, PowConst, pow_const

try:  # Cython reads `cython.compiled` as True where it compiles this file (setup.py)
    import cython
except ImportError:  # plain Python without Cython installed
    from ._no_cython import cython

_COMPILED = cython.compiled
if cython.compiled:  # keeps plain nodes out of the cyclic garbage collector's sight
    from . import _collector


def _function(rule, doc):
    """The method of `Value` for a row of the table with one input (`exp`, `log`, ...)."""
    function = lambda self: self._apply(rule)
    function.__name__, function.__qualname__, function.__doc__ = rule.name, rule.name, doc
    return function


# (compiled: with the trashcan, freeing a million Values linked by fields never recurses deep)
@cython.trashcan(True)
@cython.cclass
class Value:
    """A scalar that records the operations applied to it, for `backward()`.

    >>> a = Value(2.0); b = a * a + 1
    >>> b.backward(); a.grad
    4.0
    """

    __slots__ = ('data', 'grad', 'label', '_op', '_rule', '_mark', '_a', '_da', '_b', '_db')

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data if type(data) is float else _real(data, 'Value data')
        self.grad = 0.0
        self.label = label
        self._mark = None  # backward()'s sort marks the nodes it has entered and placed
        self._op = _op
        self._rule = None  # a Value built by hand has no rule: gradients stop here
        if not (type(_children) is tuple and not _children):  # built by hand, as in 0.1.0
            _children = handwritten.as_children(_children, 'Value children')
        _link(self, _children, ())
        if _COMPILED:
            _collector.settle_made(self, self._a, self._b, label, _op)  # pragma: no mutate

    if cython.compiled:  # what a field receives may close a reference cycle
        def __setattr__(self, name, value):
            _collector.set_field(self, name, value)  # pragma: no mutate

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"

    def __float__(self):
        return self.data

    # -- the graph as micrograd 0.1.0 names it (set by hand: handwritten.py) ------------

    @property
    def _prev(self):
        """The node's inputs, in order (a tuple; micrograd 0.1.0's is a set)."""
        return _inputs(self)

    @_prev.setter
    def _prev(self, children):
        handwritten.set_inputs(self, children)

    @property
    def _local(self):
        """The local derivatives of the node's inputs, in their order (a tuple of floats;
        empty where none flows back, as behind a ReLU that is off)."""
        return _partials(self)

    @_local.setter
    def _local(self, local):
        handwritten.set_partials(self, local)

    @property
    def _backward(self):
        """This node's chain-rule step (micrograd's `_backward`): call it to send `.grad`
        times the local derivatives into the inputs' `.grad`, as 0.1.0's lecture does by
        hand. Assign a function to it to write an operation's derivative yourself."""
        rule = self._rule
        return rule.function if type(rule) is HandWritten else self._chain_rule_step

    @_backward.setter
    def _backward(self, function):
        handwritten.set_rule(self, function)

    def _chain_rule_step(self):
        """One chain-rule step by the node's rule (`backward()` does every step itself)."""
        if self._a is not None:  # (a leaf has none)
            _chain_rule(self)

    # -- pickle and copy, without recursion however deep the graph: pickling.py --------

    def __setstate__(self, state):
        pickling.set_state(self, state)

    def __reduce_ex__(self, protocol):
        return pickling.reduce(self)

    def __copy__(self):
        return pickling.shallow_copy(self)

    def _apply(self, rule, other=None):
        """The node for `rule(self)` or `rule(self, other)`, with its local derivatives: a
        row of the table in ops.py, or a rule of your own (`ops.Op(name, forward,
        partials)`). Every operation goes this way but the fast paths below."""
        inputs = (self,) if other is None else (self, other)
        xs = [v.data if type(v.data) is float else _real(v.data, 'Value.data') for v in inputs]
        out = rule.forward(*xs)
        if not is_grad_enabled():
            return Value(out)  # no history: a leaf
        return _table_node(out, inputs, rule, rule.partials(*xs, out))

    # -- operators: `+`, `*`, `** number` (and `tanh`, `relu`) build their node directly, the
    # same numbers as their rows (tests/test_fast_paths.py); a subclass with a `+` or `*` of
    # its own derives the others from them, as in micrograd 0.1.0 (`handwritten.derives`)

    def __add__(self, other):
        o: Value = other if type(other) is Value else _lift(other, '+')  # (typed: C fields)
        x, y = self.data, o.data
        if type(x) is float and type(y) is float and is_grad_enabled():  # the fast path
            return _node(x + y, ADD, self, 1.0, o, 1.0)
        return self._apply(ADD, o)

    def __radd__(self, other):  # other + self (called directly: a subclass may override +)
        if isinstance(other, Value):  # (compiled: Value op subclass lands here)
            return other.__add__(self)
        if type(self) is not Value and handwritten.derives(self):
            return self + other
        return _lift(other, '+', reflected=True).__add__(self)

    def __sub__(self, other):
        if type(self) is not Value and handwritten.derives(self):
            return self + (-other)
        return self._apply(ops.SUB, other if type(other) is Value else _lift(other, '-'))

    def __rsub__(self, other):  # other - self
        if isinstance(other, Value):
            return other.__sub__(self)
        if type(self) is not Value and handwritten.derives(self):
            return other + (-self)
        return _lift(other, '-', reflected=True)._apply(ops.SUB, self)

    def __mul__(self, other):
        o: Value = other if type(other) is Value else _lift(other, '*')
        x, y = self.data, o.data
        if type(x) is float and type(y) is float and is_grad_enabled():  # the fast path
            return _node(x * y, MUL, self, y, o, x)
        return self._apply(MUL, o)

    def __rmul__(self, other):  # other * self
        if isinstance(other, Value):
            return other.__mul__(self)
        if type(self) is not Value and handwritten.derives(self):
            return self * other
        return _lift(other, '*', reflected=True).__mul__(self)

    def __truediv__(self, other):
        if type(self) is not Value and handwritten.derives(self):
            return self * other ** -1
        return self._apply(ops.DIV, other if type(other) is Value else _lift(other, '/'))

    def __rtruediv__(self, other):  # other / self
        if isinstance(other, Value):
            return other.__truediv__(self)
        if type(self) is not Value and handwritten.derives(self):
            return other * self ** -1
        return _lift(other, '/', reflected=True)._apply(ops.DIV, self)

    def __pow__(self, other):
        """`x ** 2` (a number: one input, as micrograd) or `x ** y` (a Value: two)."""
        if type(other) is int or type(other) is float or _is_real(other):
            rule: PowConst = pow_const(other)  # (typed: its numbers are C doubles)
            x = self.data
            if type(x) is float and x > 0.0 and is_grad_enabled():  # the fast path
                try:
                    out = x ** rule.exponent
                except OverflowError:
                    return self._apply(rule)  # which raises, naming the numbers
                return _node(out, rule, self, rule.local(x, out))
            return self._apply(rule)
        if isinstance(other, Value):
            return self._apply(ops.POW, other)
        raise _operand_error(other, '**')

    def __rpow__(self, other):  # other ** self
        if isinstance(other, Value):
            return other.__pow__(self)
        return _lift(other, '**', reflected=True)._apply(ops.POW, self)

    def __neg__(self):
        if type(self) is not Value and handwritten.derives(self):
            return self * -1
        return self._apply(ops.NEG)

    def __pos__(self):
        return self

    # -- elementary functions: the table's rows of one input ----------------------------

    exp = _function(ops.EXP, "e ** self.")
    log = _function(ops.LOG, "Natural logarithm; ValueError for self <= 0.")
    sqrt = _function(ops.SQRT, "Square root; ValueError for self < 0.")
    sigmoid = _function(ops.SIGMOID, "1 / (1 + e ** -self), computed so as never to overflow.")
    sin = _function(ops.SIN, "Sine (radians); ValueError for an infinite argument.")
    cos = _function(ops.COS, "Cosine (radians); ValueError for an infinite argument.")

    def tanh(self):
        """Hyperbolic tangent (never overflows)."""
        x = self.data
        if type(x) is float and is_grad_enabled():  # the fast path
            out = math.tanh(x)
            return _node(out, TANH, self, 1.0 - out * out)
        return self._apply(TANH)

    def relu(self):
        """max(0, self); its derivative at 0 is 0 (as micrograd and PyTorch)."""
        x = self.data
        if type(x) is float and is_grad_enabled():  # the fast path
            if x > 0:
                return _node(x, RELU, self, 1.0)
            if x <= 0:
                return _table_node(0.0, (self,), RELU, NO_FLOW)
        return self._apply(RELU)  # nan, a number set by hand, or under no_grad

    def __abs__(self):
        """|self|; its derivative at 0 is 0 (as PyTorch)."""
        return self._apply(ops.ABS)

    abs = __abs__

    def detach(self):
        """A new leaf with the same data and no history."""
        return Value(self.data)

    # -- differentiation ----------------------------------------------------------------

    def backward(self, grad=1.0, create_graph=False):
        """Compute d(self)/d(node) for every node of the graph into `node.grad`.

        Intermediate gradients are computed afresh on every call; leaf gradients (inputs,
        parameters) accumulate until zeroed, as in PyTorch (`retain_graph` is implied). A
        `.grad` of None (PyTorch's `p.grad = None`) is a gradient not computed yet. Local
        derivatives come from the forward pass: change `.data`, then build the graph again.
        `create_graph=True` makes the gradients Values with a history (gradients.py). Not
        for two threads at once on graphs that share nodes; `micrograd.grad()` is.
        """
        seed = grad if isinstance(grad, Value) else _real(grad, 'backward(grad)')
        if create_graph:
            return gradients.backward_recording(self, seed)
        order = _backward_order([self])
        _add_product(self, float(seed), 1.0)  # the seed (of a Value seed, its number only)
        _propagate(order)


# -- building nodes -------------------------------------------------------------------------

def _node(data, rule, a, da, b=None, db=None):
    """A node computed by `rule` (no checks, no `__init__`) from `a` with the local
    derivative `da`, and `b` with `db` where there are two (`_in_the_node`)."""
    node = Value.__new__(Value)
    node.data, node.grad, node.label, node._mark = data, 0.0, '', None
    node._op, node._rule = '' if rule is None else rule.name, rule
    node._a, node._da, node._b, node._db = a, da, b, db
    if _COMPILED:
        _collector.settle(node, a, b)  # pragma: no mutate (compiled only)
    return node


def _table_node(data, inputs, rule, local):
    """A node computed by `rule` from the tuple `inputs`, with the tuple of its partials,
    laid out as `_in_the_node` says."""
    if _in_the_node(inputs, local):
        if len(inputs) == 2:
            return _node(data, rule, inputs[0], local[0], inputs[1], local[1])
        return _node(data, rule, inputs[0], local[0])
    return _node(data, rule, inputs or None, None, local)


def _in_the_node(inputs, local):
    """Whether the fields keep the inputs and derivatives: one or two inputs, a derivative
    each. Else (a leaf, other numbers of inputs, or no derivatives: `NO_FLOW`, a node built
    by hand) `_a` is the tuple of inputs (None for a leaf), `_b` the tuple of partials."""
    return 0 < len(inputs) == len(local) <= 2


def _inputs(node):
    """`node._prev`: the tuple of its inputs, in order."""
    a = node._a
    if a is None or type(a) is tuple:
        return a or ()
    return (a,) if node._b is None else (a, node._b)


def _partials(node):
    """`node._local`: the tuple of its inputs' local derivatives (see `_in_the_node`)."""
    a = node._a
    if a is None or type(a) is tuple:
        return () if node._b is None else node._b  # (None: a Value whose __init__ has not run)
    return (node._da,) if node._b is None else (node._da, node._db)


def _link(node, inputs, local):
    """Give `node` these inputs and local derivatives (tuples), laid out as `_node` does."""
    if _in_the_node(inputs, local):
        node._a, node._da = inputs[0], local[0]
        node._b, node._db = (inputs[1], local[1]) if len(inputs) == 2 else (None, None)
    else:
        node._a, node._da, node._b, node._db = inputs or None, None, local, None


def constant(number):
    """A leaf for a number in an expression (the 2 of `x * 2`); `create_graph=True` gives it
    its gradient as a number only (a history would keep a cycle alive: nobody resets it)."""
    data = number if type(number) is float else _real(number, 'Value data')
    return _node(data, None, None, None, CONSTANT)


def _lift(x, op, reflected=False):
    """An operand as a Value, or a TypeError naming its type (micrograd takes numbers only)."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or _is_real(x):
        return constant(x)
    raise _operand_error(x, op, reflected)


# -- the order of the backward pass ---------------------------------------------------------

def _backward_order(roots):
    """The nodes with inputs that gradient reaches from `roots`, each after its inputs, and
    their `.grad` set to 0 (behind a node nothing flows through too, as if backward went
    there): an iterative depth-first search that marks the nodes themselves (`_mark`; new
    marks each pass, so old ones need no clearing). `graph.topological_order` is the same
    order of every node, marking nothing."""
    entered, placed = object(), object()
    order = []
    behind = []  # the inputs of nodes that nothing flows back through
    stack = [root for root in roots if root._a is not None]  # (a leaf is not placed)
    while stack:
        node = stack.pop()
        mark = node._mark
        if mark is entered:  # every input above it is placed
            node._mark = placed
            order.append(node)
            node.grad = 0.0
        elif mark is not placed:
            node._mark = entered
            stack.append(node)  # popped again once every input above it is placed
            inputs = node._a
            if type(inputs) is not tuple:  # one input or two, in the node: gradient flows
                a = inputs
                if a._a is not None:
                    stack.append(a)
                if node._b is not None:
                    b = node._b
                    if b._a is not None:
                        stack.append(b)
            elif node._b or type(node._rule) is HandWritten:
                children = inputs  # (typed: a C loop)
                for child in children:
                    if child._a is not None:
                        stack.append(child)
            else:  # nothing flows back through it
                behind += inputs
    _zero_behind(behind, placed)  # what lies behind gets no gradient from this pass: a zero
    return order


def _zero_behind(inputs, placed):
    """Set the `.grad` of `inputs` and of every node they lead to to 0, marking them
    `placed`; a leaf's only where it is None (PyTorch's zeroing: it is reached, so its
    gradient is 0, not 'not computed')."""
    stack = [inputs]  # (of sequences of nodes: engine.pxd says why)
    while stack:
        for node in stack.pop():
            if node._a is None:  # a leaf
                if node.grad is None:
                    node.grad = 0.0
            elif node._mark is not placed:
                node._mark = placed
                node.grad = 0.0
                stack.append(_inputs(node))


# -- the chain rule -------------------------------------------------------------------------

def _propagate(order):
    """The chain rule, from the output (the end of `order`) back to the leaves."""
    for node in reversed(order):
        _chain_rule(node)


def _chain_rule(node):
    """Add `node.grad` times each input's local derivative into that input's `.grad`; or
    call the node's hand-written `_backward`, as micrograd 0.1.0 does."""
    g = node.grad
    inputs = node._a
    if type(inputs) is not tuple:  # one input or two (+ - * /), in the node
        _add_product(inputs, node._da, g)
        if node._b is not None:
            _add_product(node._b, node._db, g)
    elif node._b:  # any other number, and their partials, in tuples
        partials = node._b
        for k in range(min(len(inputs), len(partials))):
            _add_product(inputs[k], partials[k], g)
    elif type(node._rule) is HandWritten:
        call_by_hand(node)


def _add_product(child, d, g):
    """`child.grad += d * g`, a `.grad` of None (PyTorch's zeroing) counting as 0. The
    compiled engine adds in C doubles where all three are floats (the same roundings);
    else as Python does (Cython's own `+` gives 0 + -0.0 as -0.0: Python gives 0.0)."""
    x = child.grad
    if _COMPILED and type(x) is type(d) is type(g) is float:  # pragma: no mutate
        y, z, w = x, d, g  # (C doubles)  # pragma: no mutate
        child.grad = y + z * w  # pragma: no mutate
    else:
        child.grad = _add_in_place(0.0 if x is None else x, _times(d, g))


_times, _add_in_place = operator.mul, operator.iadd  # (own names: found faster when compiled)

# the concerns built on this module: they import it, so they come last
from . import gradients, handwritten, pickling  # noqa: E402
from .pickling import _empty_value, _nothing  # noqa: E402, F401 (named by older pickles)

call_by_hand, grad = handwritten.call_by_hand, gradients.grad  # (grad: as API.md names it)
