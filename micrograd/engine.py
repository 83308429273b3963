"""The `Value` node and reverse-mode differentiation over the graph it records.

A `Value` wraps one float. Arithmetic on Values builds a graph: each result remembers its
inputs (`_prev`, an ordered tuple, so `x*x` keeps both edges), its rule from the table in
`ops.py` (`_rule`), and the rule's local derivatives, computed as floats while the forward
pass already has every number at hand (`_local`). A node of one or two inputs, nearly
every node, keeps them in four fields of its own (`_a`, `_da`, `_b`, `_db`: no tuples;
see `Value`), and `_prev` and `_local` are made from those when asked for. Besides
`data`, `grad`, `label` and the op's name (`_op`), the only other slot is `_mark`, for
`backward()`'s sort. No closure per node, so a discarded graph holds no reference cycle
and is freed by reference counting.

An operation added the way micrograd 0.1.0 adds one (`out = Value(f(x.data), (x,), 'f')`,
then `out._backward = a_closure`) works too: the closure becomes the node's rule
(`HandWritten`), and `backward()` calls it in its turn, as 0.1.0 does.

`backward()` orders the graph with an iterative depth-first search (no recursion, so a
graph a million nodes deep is fine) and then does one multiply-add per edge. It follows
only the edges gradient flows along: behind a ReLU that is off (whose partials are
`ops.NO_FLOW`) every gradient is zero, so there it only resets the gradients. With
`create_graph=True` it instead calls each rule's `partials` on the Values themselves, so
the gradients it produces are Values with a history of their own.

Threads: the grad mode (`no_grad`) is per thread. `grad()` writes nothing to the graph, so
any number of threads may call it on a shared graph (a hand-written `_backward` aside:
`HandWritten`); `backward()` writes `.grad` (and its sort marks the nodes), so two threads
must not run it on graphs that share nodes at once.

Speed: `+`, `*`, `relu`, `tanh` and `** number`, the operations a network does most,
build their node directly instead of calling the table's functions; a neuron is one
node, ReLU and all (`_weighted_sum`). Each of these fast paths gives the same numbers as
its row of the table (tests/test_fast_paths.py), which stays the reference and serves
`create_graph`.

Compiled: where a C compiler is at hand, this very file is compiled by Cython (setup.py),
with the C types of `engine.pxd`: `Value` becomes an extension type whose fields sit in
a C struct, read directly by the hot loops. The few lines under `if cython.compiled`
(`_COMPILED`) run only there: they keep plain table nodes out of the cyclic garbage
collector's sight (see "the compiled engine and the cyclic garbage collector" below).
The pure engine is the reference; tests/test_compiled.py pins the two together, bit for
bit. `micrograd.COMPILED` says which one runs; `MICROGRAD_PURE=1` picks the pure one.
"""

import contextlib
import functools
import gc
import inspect
import math
import numbers
import operator
import threading
import types
import weakref

from . import ops
from .ops import ADD, LINEAR, MUL, NO_FLOW, RELU, RELU_LINEAR, TANH, PowConst, add_up, pow_const

try:  # Cython reads `cython.compiled` as True where it compiles this file (setup.py)
    import cython
except ImportError:  # plain Python without Cython installed
    def _as_it_is(cls):
        return cls

    def _directive(on):
        return _as_it_is

    cython = types.SimpleNamespace(compiled=False, cclass=_as_it_is, trashcan=_directive,
                                   nonecheck=_directive)

_COMPILED = cython.compiled

# -- the grad mode, per thread ------------------------------------------------------------
# Each thread has its own switch (`_mode.enabled`), as in PyTorch. Reading a thread-local
# costs more than reading a global, so the hot paths read one global first:
# `_everyone_records` is True while no thread at all is inside `no_grad()`; only when it
# is False do they look at their own thread's switch.

class _GradMode(threading.local):
    enabled = True  # every new thread starts out recording


_mode = _GradMode()
_mode_lock = threading.Lock()
_threads_not_recording = 0
_everyone_records = True


def _set_grad_enabled(enabled):
    """Switch this thread's grad mode; returns what it was."""
    global _threads_not_recording, _everyone_records
    was = _mode.enabled
    if was != enabled:
        with _mode_lock:
            _mode.enabled = enabled
            _threads_not_recording += -1 if enabled else 1
            _everyone_records = _threads_not_recording == 0
    return was


def is_grad_enabled():
    """False inside `no_grad()` in this thread."""
    return _everyone_records or _mode.enabled


# -- checking numbers -----------------------------------------------------------------------

def _is_real(x):
    """A real number: int, float, bool, `numbers.Real` (numpy floats and ints), numpy's bool."""
    return isinstance(x, numbers.Real) or (type(x).__module__ == 'numpy'
                                           and type(x).__name__ in ('bool_', 'bool'))


def _real(x, what):
    """`x` as a float, or a TypeError naming its type."""
    if _is_real(x):
        try:
            return float(x)
        except OverflowError:
            digits = int(int(x).bit_length() * 0.30103) + 1  # (str() of it may be refused)
            raise OverflowError(f"{what} ({type(x).__name__} of about {digits} digits) is too "
                                f"large for a float") from None
    if isinstance(x, Value):
        raise TypeError(f"{what} must be a real number, got a Value; use its .data")
    raise TypeError(f"{what} must be a real number (int or float), got {type(x).__name__}")


def _lift(x, op, reflected=False):
    """An operand as a Value, or a TypeError naming its type (micrograd takes numbers only)."""
    if isinstance(x, Value):
        return x
    if type(x) is float or type(x) is int or _is_real(x):
        return constant(x)
    raise _operand_error(x, op, reflected)


class _Constant(tuple):
    """The `_local` of a leaf made from a number in an expression (the 2 of `x * 2`): empty,
    as every leaf's, but telling."""

    __slots__ = ()

    def __repr__(self):
        return 'CONSTANT'

    def __reduce__(self):
        return 'CONSTANT'


CONSTANT = _Constant()


def constant(number):
    """A leaf for a number written into an expression: a Value like any other, except that
    `backward(create_graph=True)` gives it its gradient as a number only (nobody holds it
    to reset it, so a gradient with a history would keep its graph alive in a cycle)."""
    data = number if type(number) is float else _real(number, 'Value data')
    return _node(data, None, None, None, CONSTANT)


def _operand_error(x, op, reflected=False):
    left, right = ('Value', type(x).__name__)[::-1 if reflected else 1]
    return TypeError(f"unsupported operand type(s) for {op}: '{left}' and '{right}' "
                     f"(a Value combines with real numbers and Values only)")


def _node(data, rule, a, da, b=None, db=None):
    """A node computed by `rule` (the fast path: no checks, no `__init__`), from the input
    `a` with the local derivative `da`, and `b` with `db` where there are two; or laid out
    as `_in_the_node` says (a leaf, or the tuples of any other number of inputs)."""
    node = Value.__new__(Value)
    node.data = data
    node.grad = 0.0
    node.label = ''
    node._mark = None
    node._op = '' if rule is None else rule.name
    node._rule = rule
    node._a = a
    node._da = da
    node._b = b
    node._db = db
    if _COMPILED:
        _settle(node)
    return node


def _table_node(data, inputs, rule, local):
    """A node computed by `rule` from the tuple `inputs`, with the tuple of its partials."""
    if _in_the_node(inputs, local):
        if len(inputs) == 2:
            return _node(data, rule, inputs[0], local[0], inputs[1], local[1])
        return _node(data, rule, inputs[0], local[0])
    return _node(data, rule, inputs or None, None, local)


def _in_the_node(inputs, local):
    """How a node keeps its inputs and their local derivatives: one or two inputs with a
    derivative each in the fields themselves (True); else (a leaf, any other number of
    inputs, or no derivatives to go with them: `NO_FLOW`, a node built by hand) `_a` is
    the tuple of inputs (None for a leaf) and `_b` the tuple of partials."""
    return 0 < len(inputs) == len(local) <= 2


def _inputs(node):
    """`node._prev`: the tuple of its inputs, in order."""
    a = node._a
    if a is None:
        return ()
    if type(a) is tuple:
        return a
    b = node._b
    return (a,) if b is None else (a, b)


def _partials(node):
    """`node._local`: the tuple of its inputs' local derivatives (see `_in_the_node`)."""
    a = node._a
    if a is None or type(a) is tuple:
        return () if node._b is None else node._b  # (None: a Value whose __init__ has not run)
    return (node._da,) if node._b is None else (node._da, node._db)


def _link(node, inputs, local):
    """Give `node` these inputs and local derivatives (a tuple of Values, a tuple), kept
    as `_table_node` keeps them."""
    if _in_the_node(inputs, local):
        node._a, node._da = inputs[0], local[0]
        node._b, node._db = (inputs[1], local[1]) if len(inputs) == 2 else (None, None)
    else:
        node._a, node._da, node._b, node._db = inputs or None, None, local, None


class HandWritten:
    """The rule of a node whose `_backward` was written by hand, as in micrograd 0.1.0.

    `function()` adds the node's `.grad` times its local derivatives into its inputs'
    `.grad`. `backward()` calls it in its turn; `grad()` calls it with the `.grad` fields
    it reads and writes set for the call and restored after, so it writes nothing lasting.
    Every call of a closure holds one lock, so closures never run at once; but a closure
    can only work through `.grad`, so a `grad()` through one is not safe beside a
    `backward()` in another thread on a graph that shares its inputs. A closure has no
    derivative of its own, so `create_graph=True` cannot go through it: that is a
    `RuntimeError`, before anything changes.
    """

    __slots__ = ('function',)

    def __init__(self, function):
        self.function = function

    def __repr__(self):
        return f"HandWritten({getattr(self.function, '__qualname__', self.function)!r})"

    def __reduce__(self):
        raise TypeError("cannot pickle a Value whose _backward was written by hand (a "
                        "closure); write the operation as a rule in micrograd.ops to pickle it")


_closure_lock = threading.RLock()  # one hand-written _backward at a time in grad()


def _call_by_hand(node, grads=None):
    """Run `node`'s hand-written `_backward`. With `grads` (id -> gradient, as `grad()`
    keeps them), the `.grad` fields it uses are set from there for the call, the totals it
    leaves are put back into `grads`, and the fields are restored. Either way under a
    lock, so that `grad()` and `backward()` in other threads do not run one at once."""
    inputs = list({id(child): child for child in _inputs(node)}.values())
    with _closure_lock:
        if grads is None:
            for child in inputs:
                if child.grad is None:  # PyTorch's zeroing: no gradient yet
                    child.grad = 0.0
            node._rule.function()
            return
        saved = [(v, v.grad) for v in (node, *inputs)]
        try:
            node.grad = grads.get(id(node), 0.0)
            for child in inputs:
                child.grad = grads.get(id(child), 0.0)
            node._rule.function()
            for child in inputs:
                grads[id(child)] = child.grad
        finally:
            for v, g in saved:
                v.grad = g


# (compiled: freeing a chain of a million Values linked through a field, a label or a
# gradient, would recurse once per link in C; the trashcan spreads it out, as Python does
# for its own containers)
@cython.trashcan(True)
@cython.cclass
class Value:
    """A scalar that records the operations applied to it, for `backward()`.

    >>> a = Value(2.0); b = a * a + 1
    >>> b.backward(); a.grad
    4.0

    A node's inputs and their local derivatives (`_prev` and `_local`, as tuples) are
    kept, for one input, in `_a` and `_da` (`_b` is None); for two, in `_a`, `_da`, `_b`
    and `_db`; for a leaf, or any other number of inputs, or inputs with no derivatives
    to go with them, `_a` is the tuple of inputs (None for a leaf) and `_b` the tuple of
    partials (`_in_the_node`). So nearly every node is one object and its number, where two
    tuples more would cost a third of its memory, and of the collector's time.
    """

    __slots__ = ('data', 'grad', 'label', '_op', '_rule', '_mark', '_a', '_da', '_b', '_db')

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data if type(data) is float else _real(data, 'Value data')
        self.grad = 0.0
        self.label = label
        self._mark = None
        self._op = _op
        self._rule = None  # a Value built by hand has no rule: gradients stop here
        _link(self, _as_children(_children, 'Value children'), ())
        if _COMPILED:
            _settle(self)

    if cython.compiled:
        def __setattr__(self, name, value):  # the compiled engine's: see `_adopt`
            PyObject_GenericSetAttr(self, name, value)  # noqa: F821 (compiled only)
            if PyObject_IS_GC(value) and name not in _LINKS:  # noqa: F821 (their setters see to it)
                _adopt(self, value)

    def __repr__(self):
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data}, grad={self.grad}{label})"

    def __float__(self):
        return self.data

    @property
    def _prev(self):
        """The node's inputs, in order (a tuple; micrograd 0.1.0's is a set)."""
        return _inputs(self)

    @_prev.setter
    def _prev(self, children):
        children = _as_children(children, '_prev')
        local = _links(self)[1]
        if local and len(local) != len(children):
            raise ValueError(f"_prev: {len(children)} inputs for the node's {len(local)} local "
                             "derivatives (_local); set _local = () first to give it others")
        _link(self, children, local)
        if _COMPILED:  # new inputs may close a cycle, or be in the collector's sight
            _track_below(self)

    @property
    def _local(self):
        """The local derivatives of the node's inputs, in their order (a tuple of floats;
        empty where none flows back, as behind a ReLU that is off)."""
        return _partials(self)

    @_local.setter
    def _local(self, local):
        inputs = _links(self)[0]
        local = local if type(local) is tuple or local is CONSTANT else _as_tuple(local, '_local')
        for d in local:
            if not _is_real(d):
                raise TypeError(f"_local must be real numbers, got {type(d).__name__}")
        if local and len(local) != len(inputs):
            raise ValueError(f"_local: {len(local)} local derivatives for the node's "
                             f"{len(inputs)} inputs (_prev)")
        _link(self, inputs, local)
        if _COMPILED:  # (what it holds, as `__setattr__` would)
            _adopt(self, local)

    # -- pickle and copy ----------------------------------------------------------------

    def __getstate__(self):  # everything but backward()'s mark
        state = {name: getattr(self, name) for name in _STATE}
        state.update(getattr(self, '__dict__', ()))  # a subclass's own attributes
        return state

    def __setstate__(self, state):
        if isinstance(state, tuple):  # (None, slots): pickled before __getstate__ existed
            state = state[1]
        _link(self, (), ())  # a leaf, until its inputs are set, and then their derivatives
        for name, value in state.items():
            if name not in _PICKLE_ONLY and name not in _LINKS:
                setattr(self, name, value)
        for name in _LINKS:
            if name in state:
                setattr(self, name, state[name])
        self._mark = None

    def __reduce_ex__(self, protocol):
        """Pickle and deepcopy without recursion: see `_pickle_state`."""
        return (_empty_value, (type(self),), _pickle_state(self))

    def __copy__(self):
        """A shallow copy: the same inputs, data and gradient."""
        copied = _empty_value(type(self))
        copied.__setstate__(self.__getstate__())
        return copied

    # -- micrograd 0.1.0's per-node backward ---------------------------------------------

    @property
    def _backward(self):
        """This node's chain-rule step (micrograd's `_backward`): call it to send `.grad`
        times the local derivatives into the inputs' `.grad`, as 0.1.0's lecture does by
        hand. Assign a function to it to write an operation's derivative yourself."""
        rule = self._rule
        return rule.function if type(rule) is HandWritten else self._chain_rule_step

    @_backward.setter
    def _backward(self, function):
        if not callable(function):
            raise TypeError(f"_backward must be a function, got {type(function).__name__}")
        inputs = _links(self)[0]
        self._rule = HandWritten(function)
        _link(self, inputs, ())
        if _COMPILED:
            _adopt(self, function)

    def _chain_rule_step(self):
        """One chain-rule step by the node's rule (`backward()` does every step itself)."""
        g = self.grad
        for child, d in zip(self._prev, self._local):
            if child.grad is None:
                child.grad = 0.0
            _add_product(child, d, g)

    # -- building nodes -----------------------------------------------------------------

    def _apply(self, rule, other=None):
        """The node for `rule(self)` or `rule(self, other)`, with its local derivatives,
        by the table: every operation goes this way, except in the fast paths below."""
        x = self.data
        if type(x) is not float:  # `.data` set by hand to an int or a numpy number
            x = _real(x, 'Value.data')
        if other is None:
            out = rule.forward(x)
            if not (_everyone_records or _mode.enabled):
                return Value(out)  # no history: a leaf
            return _table_node(out, (self,), rule, rule.partials(x, out))
        y = other.data
        if type(y) is not float:
            y = _real(y, 'Value.data')
        out = rule.forward(x, y)
        if not (_everyone_records or _mode.enabled):
            return Value(out)
        return _table_node(out, (self, other), rule, rule.partials(x, y, out))

    def __add__(self, other):
        o: Value = other if type(other) is Value else _lift(other, '+')  # (typed: C fields)
        x, y = self.data, o.data
        if type(x) is float and type(y) is float and _everyone_records:  # the fast path
            return _node(x + y, ADD, self, 1.0, o, 1.0)
        return self._apply(ADD, o)

    def __radd__(self, other):  # other + self (called directly: a subclass may override +)
        if isinstance(other, Value):  # (compiled: Value op subclass lands here)
            return other.__add__(self)
        if type(self) is not Value and _derives(self):
            return self + other
        return _lift(other, '+', reflected=True).__add__(self)

    def __sub__(self, other):
        if type(self) is not Value and _derives(self):
            return self + (-other)
        return self._apply(ops.SUB, other if type(other) is Value else _lift(other, '-'))

    def __rsub__(self, other):  # other - self
        if isinstance(other, Value):  # (compiled: Value op subclass lands here)
            return other.__sub__(self)
        if type(self) is not Value and _derives(self):
            return other + (-self)
        return _lift(other, '-', reflected=True)._apply(ops.SUB, self)

    def __mul__(self, other):
        o: Value = other if type(other) is Value else _lift(other, '*')
        x, y = self.data, o.data
        if type(x) is float and type(y) is float and _everyone_records:  # the fast path
            return _node(x * y, MUL, self, y, o, x)
        return self._apply(MUL, o)

    def __rmul__(self, other):  # other * self (called directly: a subclass may override *)
        if isinstance(other, Value):  # (compiled: Value op subclass lands here)
            return other.__mul__(self)
        if type(self) is not Value and _derives(self):
            return self * other
        return _lift(other, '*', reflected=True).__mul__(self)

    def __truediv__(self, other):
        if type(self) is not Value and _derives(self):
            return self * other ** -1
        return self._apply(ops.DIV, other if type(other) is Value else _lift(other, '/'))

    def __rtruediv__(self, other):  # other / self
        if isinstance(other, Value):  # (compiled: Value op subclass lands here)
            return other.__truediv__(self)
        if type(self) is not Value and _derives(self):
            return other * self ** -1
        return _lift(other, '/', reflected=True)._apply(ops.DIV, self)

    def __pow__(self, other):
        """`x ** 2` (a number: one input, as micrograd) or `x ** y` (a Value: two)."""
        if type(other) is int or type(other) is float or _is_real(other):
            rule: PowConst = pow_const(other)  # (typed: its numbers are C doubles)
            x = self.data
            if type(x) is float and x > 0.0 and _everyone_records:  # the fast path
                c = rule.exponent
                try:
                    out = x ** c
                except OverflowError:
                    return self._apply(rule)  # which raises, naming the numbers
                if rule.low < x < rule.high:  # rule.local(x, out), inlined
                    return _node(out, rule, self, c * out / x)
                return _node(out, rule, self, ops.power_partial(x, c))
            return self._apply(rule)
        if isinstance(other, Value):
            return self._apply(ops.POW, other)
        raise _operand_error(other, '**')

    def __rpow__(self, other):  # other ** self
        if isinstance(other, Value):
            return other.__pow__(self)
        return _lift(other, '**', reflected=True)._apply(ops.POW, self)

    def __neg__(self):
        if type(self) is not Value and _derives(self):
            return self * -1
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
        x = self.data
        if type(x) is float and _everyone_records:  # the fast path
            out = math.tanh(x)
            return _node(out, TANH, self, 1.0 - out * out)
        return self._apply(TANH)

    def sigmoid(self):
        """1 / (1 + e ** -self), computed so that it never overflows."""
        return self._apply(ops.SIGMOID)

    def relu(self):
        """max(0, self); its derivative at 0 is 0 (as micrograd and PyTorch)."""
        x = self.data
        if type(x) is float and _everyone_records:  # the fast path
            if x > 0:
                return _node(x, RELU, self, 1.0)
            if x <= 0:
                return _table_node(0.0, (self,), RELU, NO_FLOW)
        return self._apply(RELU)  # nan, a number set by hand, or under no_grad

    def sin(self):
        """Sine (radians); ValueError for an infinite argument."""
        return self._apply(ops.SIN)

    def cos(self):
        """Cosine (radians); ValueError for an infinite argument."""
        return self._apply(ops.COS)

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

        Gradients of intermediate nodes are computed afresh on every call; gradients of
        leaves (inputs and parameters) accumulate until you zero them, as in PyTorch
        (`retain_graph` is implied). A `.grad` of None (PyTorch's `p.grad = None`) is a
        gradient not computed yet: backward fills it in.

        With `create_graph=True` the gradients are Values, so they can be differentiated
        again: a leaf's `.grad` has a history (so, as in PyTorch, it refers back to the
        leaf: a reference cycle, broken when you reset it, by `p.grad = None` or
        `zero_grad()`); the `.grad` of an intermediate node, or of a number written into
        the expression or given to a model (`constant`), holds its number only, so no
        cycle runs through the rest of the graph. PyTorch's advice holds here too:
        prefer `micrograd.grad(..., create_graph=True)`, which leaves no cycle at all.
        It cannot go through a hand-written `_backward` (a `RuntimeError`).

        Nothing flows back through a ReLU that is off: behind one, backward only sets
        the gradients to 0, so an infinite derivative there counts for nothing
        (PyTorch would give 0 * inf = nan).

        Local derivatives are taken from the numbers of the forward pass: change `.data`
        after building a graph and build it again before calling backward. Not for two
        threads at once on graphs that share nodes (it writes `.grad`); `grad()` is.
        """
        seed = grad if isinstance(grad, Value) else _real(grad, 'backward(grad)')
        if create_graph:
            return _backward_recording(self, seed)
        order = _backward_order([self], zero=True)
        if self.grad is None:
            self.grad = 0.0
        self.grad = _add_in_place(self.grad, float(seed))  # a Value seed: its number only
        _propagate(order)


# -- the compiled engine and the cyclic garbage collector --------------------------------
# Compiled only: the pure engine leaves every node to Python's collector. The collector
# walks every container it tracks, again and again while a graph grows; in the compiled
# engine that was two thirds of the time of building and differentiating a graph (the
# lecture-style step of bench/: 130 ms, and 46 ms with the collector switched off). Yet
# a graph of table nodes holds no cycle: a node refers to its inputs (older nodes),
# numbers, strings and rules. A cycle needs a field that received something else after
# the node was made: a gradient with a history (`create_graph`), a hand-written
# `_backward` closure, a container in a label.
#
# So a plain Value made by the engine or by `Value(...)` is taken out of the collector's
# sight (`_settle`), with its tuples, unless something below it is tracked. Whenever a
# field receives an object that can refer to others (`__setattr__`, the
# `_backward` setter, `_adopt`), the node and everything below it are tracked again, and
# so is every Value the object holds (through tuples, and a closure's cells): every Value
# on a cycle that assignment closes is then in sight. Invariant: below a tracked node
# every node is tracked, so each walk stops at the first tracked node it meets, and over
# a program's run no node is walked twice. Any other container (a list in a label, an
# object holding Values, a closure holding more than Values and numbers) ends the
# untracking for the rest of the process, once (`_stop_untracking`): every node still
# out of sight that a tracked object holds comes into sight, and new nodes are tracked
# from birth. What can still escape: a node held only by a running function's local
# variables at that moment, later appended to such a container.

_cycles_possible = False

# what a field or a closure may hold without a cycle to fear: rules, classes, modules and
# built-in functions live as long as the program (or their module)
_LASTING = (ops.Op, type, types.ModuleType, types.BuiltinFunctionType)


def _settle(node):
    """A new node out of the collector's sight where that is safe; else in sight, with
    everything below it (the invariant)."""
    a, b = node._a, node._b
    if (type(node) is Value and not _cycles_possible and not PyObject_IS_GC(node.label)  # noqa: F821
            and not PyObject_IS_GC(node._op)):  # noqa: F821
        if type(a) is tuple:  # the inputs in a tuple, and their partials in `b`
            inputs = a  # (typed: a C loop)
            for child in inputs:
                if PyObject_GC_IsTracked(child):  # noqa: F821
                    break
            else:
                PyObject_GC_UnTrack(node)  # noqa: F821
                PyObject_GC_UnTrack(a)  # noqa: F821 (as Python would, at its next pass)
                if type(b) is tuple:  # numbers (the partials on floats)
                    PyObject_GC_UnTrack(b)  # noqa: F821
                return
        elif a is None or not (PyObject_GC_IsTracked(a) or PyObject_GC_IsTracked(b)):  # noqa: F821
            PyObject_GC_UnTrack(node)  # noqa: F821 (a leaf, or one or two inputs in the node)
            return
    _adopt(node, node.label)
    _adopt(node, node._op)
    _track_below(node)


def _track_below(root):
    """Track `root` and every node below it that is not tracked yet, with their tuples of
    inputs (Python untracks a tuple of untracked objects by itself)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if not PyObject_GC_IsTracked(node):  # noqa: F821
            PyObject_GC_Track(node)  # noqa: F821
        inputs = node._a
        if type(inputs) is tuple:
            if not PyObject_GC_IsTracked(inputs):  # noqa: F821
                PyObject_GC_Track(inputs)  # noqa: F821
        else:
            inputs = (inputs, node._b)  # one or two inputs in the node (None: not there)
        for child in inputs:
            if isinstance(child, Value) and not PyObject_GC_IsTracked(child):  # noqa: F821
                stack.append(child)


def _adopt(node, value):
    """`node` received `value` into a field: where that can close a cycle, bring the node,
    everything below it and every Value that `value` holds into the collector's sight."""
    if not PyObject_IS_GC(value) or isinstance(value, _LASTING):  # noqa: F821
        return  # a number, a string, a rule: no cycle through it
    _track_below(node)  # first, so that `_stop_untracking` meets it among the tracked
    if type(value) is types.FunctionType:  # a hand-written `_backward`: what it holds
        for item in (*_cell_contents(value), *(value.__defaults__ or ()),
                     *(value.__kwdefaults__ or {}).values()):
            _bring_into_sight(item)
    else:
        _bring_into_sight(value)


def _bring_into_sight(item):
    """Track `item` where it is a Value with a history (and everything below it), and the
    Values inside `item` where it is a tuple (and the tuples holding them: Python may have
    untracked them). Anything else that can hold references (a list, a dict, an object
    of a class of its own) may hold Values, or come to: `_stop_untracking()`."""
    stack = [item]
    while stack:
        item = stack.pop()
        if isinstance(item, Value):
            if PyObject_GC_IsTracked(item) or item._a is not None:  # noqa: F821 (else: a lone leaf)
                _track_below(item)
        elif type(item) is tuple:
            for inner in item:
                if PyObject_IS_GC(inner):  # noqa: F821
                    if not PyObject_GC_IsTracked(item):  # noqa: F821
                        PyObject_GC_Track(item)  # noqa: F821
                    stack.append(inner)
        elif PyObject_IS_GC(item) and not isinstance(item, _LASTING):  # noqa: F821
            _stop_untracking()


def _stop_untracking():
    """From now on in this process, every node is tracked from birth; and every node now
    out of sight that a tracked object refers to (through tuples too) comes into sight,
    with everything below it. Once per process: it walks every object tracked."""
    global _cycles_possible
    if _cycles_possible:
        return
    _cycles_possible = True
    for holder in gc.get_objects():
        for item in gc.get_referents(holder):
            if isinstance(item, Value) or (type(item) is tuple
                                           and not PyObject_GC_IsTracked(item)):  # noqa: F821
                _bring_into_sight(item)


def _cell_contents(function):
    """What a closure's cells hold (a cell still empty holds nothing)."""
    for cell in function.__closure__ or ():
        try:
            yield cell.cell_contents
        except ValueError:
            pass


_STATE = ('data', 'grad', 'label', '_prev', '_op', '_rule', '_local')  # (as pickled always)


_LINKS = ('_prev', '_local')  # (made from the node's fields: see Value)


def _links(node):
    """`node`'s inputs and local derivatives, as tuples. A Value whose `__init__` has not
    run (a subclass's own `__init__`, as micrograd 0.1.0's, sets `_backward` and `_prev`
    itself) has none: its other fields are set up here, as a leaf's."""
    try:
        unset = node._a is None and node._b is None  # (the compiled engine's: None)
    except AttributeError:  # the pure engine's: not set at all
        unset = True
    if unset:
        _link(node, (), ())
        node._mark = None
        for name, value in (('_rule', None), ('label', ''), ('_op', '')):
            if getattr(node, name, None) is None:
                setattr(node, name, value)
        return (), ()
    return _inputs(node), _partials(node)


def _as_tuple(items, what):
    """`items` (an iterable) as a tuple, or a TypeError naming `what`."""
    try:
        return tuple(items)
    except TypeError:
        raise TypeError(f"{what} must be an iterable, got {type(items).__name__}") from None


def _as_children(children, what):
    """`children` as a tuple of Values, or a TypeError naming what is not one."""
    children = _as_tuple(children, what)
    for child in children:
        if not isinstance(child, Value):
            raise TypeError(f"{what} must be Values, got {type(child).__name__}")
    return children


def _derives(value):
    """Whether `value`'s class (a subclass) has a `+` or `*` of its own. micrograd 0.1.0
    derives `-`, `/`, unary minus and the reflected forms from `+`, `*` and `**`, so a
    subclass written for it that overrides those gets them from its own, as there."""
    cls = type(value)
    return cls.__add__ is not Value.__add__ or cls.__mul__ is not Value.__mul__


def _empty_value(cls):
    """A Value (or subclass) with no state yet, for pickle and copy."""
    return cls.__new__(cls)


# -- pickle and deepcopy without recursion ------------------------------------------------
# pickle and copy.deepcopy follow `_prev` from node to node: one level of recursion per
# level of the graph, so a graph a few thousand deep would raise RecursionError. Instead,
# the first node they meet (a root) lists every node it depends on first, in topological
# order (`_ancestors`): by the time a node is reached there, its inputs are done, and the
# recursion never goes deeper than one node. Those nodes are noted (a `_Plan`, placed last
# in the root's state) so that they do not list their own ancestors again. The thread
# keeps only weak references to the plans of the pickles under way: a plan lives as long
# as the pickler holds the root's state, so one that fails part-way leaves nothing behind.
# The notes only save work: a node noted wrongly or not at all pickles the same, only
# with more recursion.

class _Plan:
    """The nodes a root has listed, not yet met; pickled as None."""

    __slots__ = ('nodes', '__weakref__')

    def __init__(self, nodes):
        self.nodes = {id(node): node for node in nodes}

    def __reduce_ex__(self, protocol):  # met last: every node listed has been met
        self.nodes.clear()
        return (_nothing, ())


class _Plans(threading.local):
    under_way = ()  # weak references to the plans of this thread's pickles under way


_plans = _Plans()
_PICKLE_ONLY = ('_ancestors', '_plan')


def _nothing():
    return None


def _pickle_state(node):
    """`node`'s state for pickle and deepcopy (with `_ancestors` where it is a root)."""
    state = node.__getstate__()
    under_way = [ref for ref in _plans.under_way if ref() is not None and ref().nodes]
    for ref in under_way:
        nodes = ref().nodes
        if nodes.get(id(node)) is node:  # listed by a root: its inputs are taken care of
            del nodes[id(node)]
            return state
    if node._a is None:  # a leaf
        return state
    ancestors = topological_order([node])[:-1]
    plan = _Plan(ancestors)
    _plans.under_way = (*under_way, weakref.ref(plan))
    return {'_ancestors': ancestors, **state, '_plan': plan}


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
    _check_parameters(weights, bias, 'linear()')
    inputs = [x if isinstance(x, Value) else _lift(x, '*') for x in inputs]
    return _weighted_sum(weights, inputs, bias, [x.data for x in inputs], relu)


def _check_parameters(weights, bias, who):
    """A TypeError naming the type where a weight or the bias is not a Value."""
    for p in (*weights, bias):
        if not isinstance(p, Value):
            raise TypeError(f"{who}: weights and bias must be Values, got {type(p).__name__}")


_times = operator.mul  # (a name of this module's own: the compiled engine finds it faster)
_add_in_place = operator.iadd


def _dot(xs, ys, start):
    """`start + xs[0] * ys[0] + xs[1] * ys[1] + ...`, added left to right (`add_up`). The
    compiled engine adds in C doubles while the numbers are floats (`ys` a list or a
    tuple): the same roundings."""
    if _COMPILED and type(start) is float and _list_or_tuple(ys) and len(xs) == len(ys):
        total = start
        for i in range(len(xs)):
            a, b = xs[i], ys[i]
            if type(a) is not float or type(b) is not float:
                break  # an int or a numpy number set by hand: as Python adds them
            x, y = a, b  # (C doubles)
            total += x * y
        else:
            return total
    return add_up(map(_times, xs, ys), start)


@cython.nonecheck(True)  # (compiled: a weight set to None is an AttributeError, as in Python)
def _weighted_sum(weights, inputs, bias, input_data, relu=False):
    """`linear` on checked Values, given the inputs' numbers (a layer reads them once for
    all of its neurons): the fast path of the table's LINEAR and RELU_LINEAR rows."""
    try:
        weight_data = [w.data for w in weights]
        out = _dot(weight_data, input_data, bias.data)
    except (AttributeError, TypeError):  # a weight or the bias set by hand to a non-Value?
        _check_parameters(weights, bias, 'a neuron')
        raise
    if type(out) is not float:  # `.data` set by hand to ints or numpy numbers: as floats
        weight_data = [_real(x, 'Value.data') for x in weight_data]
        input_data = [_real(x, 'Value.data') for x in input_data]
        out = _dot(weight_data, input_data, _real(bias.data, 'Value.data'))
    if relu and out <= 0:
        out = 0.0
    if not (_everyone_records or _mode.enabled):
        return Value(out)
    nodes = _joined(weights, inputs, bias)
    if relu and not out > 0:  # a ReLU that is off (or nan): nothing flows back
        return _table_node(out, nodes, RELU_LINEAR, NO_FLOW)
    return _table_node(out, nodes, RELU_LINEAR if relu else LINEAR,
                       _joined(input_data, weight_data, 1.0))


def _list_or_tuple(items):
    """Whether `items` is a list or a tuple exactly (indexing them runs no code of a user's)."""
    return type(items) is list or type(items) is tuple


def _joined(xs, ys, last):
    """`(*xs, *ys, last)` for two sequences; the compiled engine fills the tuple in place,
    without the list that Cython's `(*xs, *ys, last)` builds on the way."""
    if not (_COMPILED and _list_or_tuple(xs) and _list_or_tuple(ys)):
        return (*xs, *ys, last)  # (any other iterable, as Python reads it)
    n, m = len(xs), len(ys)
    out = PyTuple_New(n + m + 1)  # noqa: F821
    for i in range(n + m + 1):
        item = xs[i] if i < n else ys[i - n] if i < n + m else last
        Py_INCREF(item)  # noqa: F821 (the tuple takes a reference of its own)
        PyTuple_SET_ITEM(out, i, item)  # noqa: F821
    return out


# -- the order of the backward pass -------------------------------------------------------

def topological_order(roots):
    """Every node that `roots` depend on, each after all of its inputs (no recursion).

    For pictures and explanations; `backward()` walks less (`_backward_order`). It writes
    nothing to the graph, so it is safe from any number of threads.
    """
    return _depth_first(roots, everything=True)


def _flows_through(node):
    """Whether gradient goes on from `node` to its inputs: a rule with partials, or a
    hand-written `_backward` (not: a ReLU that is off, `NO_FLOW`, nor a node built by hand
    with no rule)."""
    inputs = node._a
    if inputs is None:  # a leaf
        return False
    return type(inputs) is not tuple or bool(node._b) or type(node._rule) is HandWritten


def _depth_first(roots, everything):
    """An iterative depth-first search: the nodes in an order where each comes after its
    inputs. `everything`: every node; else only the nodes with inputs that gradient reaches
    from `roots` (not the leaves, not what lies behind a node it does not flow through).
    Its marks are kept in a dict, so it changes nothing (backward's own sort marks nodes)."""
    state = {}  # id -> False while the node's inputs are being placed, True once it is placed
    order = []
    stack = list(roots) if everything else [root for root in roots if root._a is not None]
    while stack:
        node = stack.pop()
        seen = state.get(id(node))
        if seen is None:
            state[id(node)] = False
            stack.append(node)  # popped again once every input above it is placed
            if not (everything or _flows_through(node)):
                continue
            for child in _inputs(node):
                if id(child) not in state:
                    if child._a is not None:
                        stack.append(child)
                    elif everything:  # a leaf: placed at once, no second visit
                        state[id(child)] = True
                        order.append(child)
        elif not seen:
            state[id(node)] = True
            order.append(node)
    return order


def _backward_order(roots, zero=False):
    """`_depth_first(roots, everything=False)`, faster, for `backward()`: it marks the nodes
    themselves (`_mark`) instead of keeping a dict, as an attribute read costs less than a
    dict lookup and this is the hot half of backward. The marks are new objects each pass,
    so old ones need no clearing. With `zero=True` it sets the `.grad` of every node with
    inputs to 0, those behind a node gradient does not flow through included (so that
    backward() recomputes them all, as if it had gone through).
    """
    entered, placed = object(), object()
    order = []
    place = order.append
    behind = []  # the inputs of nodes that nothing flows back through
    stack = [root for root in roots if root._a is not None]  # (a leaf is not placed)
    while stack:
        node = stack.pop()
        mark = node._mark
        if mark is entered:  # every input above it is placed
            node._mark = placed
            place(node)
            if zero:
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
            elif zero:  # nothing flows back through it
                behind += inputs
    if zero:  # what lies behind gets no gradient from this pass: a zero
        _zero_behind(behind, placed)
    return order


def _zero_behind(inputs, placed):
    """Set the `.grad` of every node with inputs that `inputs` lead to (and of `inputs`)
    to 0, marking them `placed`; a leaf's only where it is None (PyTorch's zeroing: it is
    reached, so its gradient is 0, not 'not computed')."""
    stack = []
    for node in inputs:
        if node._a is not None:
            stack.append(node)
        elif node.grad is None:
            node.grad = 0.0
    while stack:
        node = stack.pop()
        if node._mark is not placed:
            node._mark = placed
            node.grad = 0.0
            for child in _inputs(node):
                if child._a is not None:
                    if child._mark is not placed:
                        stack.append(child)
                elif child.grad is None:
                    child.grad = 0.0


# -- the chain rule -----------------------------------------------------------------------

def _propagate(order):
    """The chain rule on floats into `.grad`, from the outputs (end of `order`) back to the
    leaves. A `.grad` of None (PyTorch's zeroing) is found when adding into it fails, so
    looking for it costs nothing otherwise; the step then finishes (`_fill_in`)."""
    nodes = reversed(order)
    node = None
    while True:
        try:
            for node in nodes:
                if _COMPILED:
                    _compiled_step(node)
                    continue
                inputs = node._a
                if type(inputs) is not tuple:  # one input or two (+ - * /), in the node
                    a = inputs
                    g = node.grad
                    a.grad += node._da * g
                    if node._b is not None:
                        b = node._b
                        b.grad += node._db * g
                elif node._b:  # any other number, and their partials, in tuples
                    g = node.grad
                    for child, d in zip(inputs, node._b):
                        child.grad += d * g
                elif type(node._rule) is HandWritten:
                    _call_by_hand(node)
            return
        except TypeError:
            if not _fill_in(node):
                raise


def _compiled_step(node):
    """The compiled engine's step of `_propagate`: the same steps, each edge through
    `_add_product` (in C doubles where its numbers are floats: the same roundings, and
    one float made an edge instead of two)."""
    g = node.grad
    inputs = node._a
    if type(inputs) is not tuple:
        _add_product(inputs, node._da, g)
        if node._b is not None:
            _add_product(node._b, node._db, g)
    elif node._b:
        partials = node._b
        for k in range(min(len(inputs), len(partials))):
            _add_product(inputs[k], partials[k], g)
    elif type(node._rule) is HandWritten:
        _call_by_hand(node)


@cython.nonecheck(True)  # (compiled: a node turned into a leaf meanwhile, as in Python)
def _add_product(child, d, g):
    """`child.grad += d * g`, as Python computes it; the compiled engine computes it in C
    doubles where all three are floats, and else not with Cython's own `+` and `*` of
    numbers (they give 0 + -0.0 as -0.0, and 0.0 * -1 as 0.0; Python: 0.0 and -0.0)."""
    x = child.grad
    if type(x) is float and type(d) is float and type(g) is float:
        y, z, w = x, d, g  # (C doubles)
        child.grad = y + z * w
    else:
        child.grad = _add_in_place(x, _times(d, g))


def _fill_in(node):
    """After a TypeError adding into an input's `.grad`: when that `.grad` was None, set it
    to 0 and finish `node`'s step (the inputs before it have theirs); else False."""
    inputs = _inputs(node)
    k = next((k for k, child in enumerate(inputs) if child.grad is None), None)
    if k is None or not all(isinstance(child.grad, (numbers.Real, Value)) for child in inputs[:k]):
        return False  # no None, or the error came from an input before it: not ours to mend
    g = node.grad
    for child, d in zip(inputs[k:], _partials(node)[k:]):
        if child.grad is None:
            child.grad = 0.0
        _add_product(child, d, g)
    return True


def _accumulate(total, contribution):
    """`total + contribution`, without a `0.0 +` node when recording a graph."""
    if not isinstance(total, Value) and not total:  # 0, or None: no gradient yet
        return contribution
    return total + contribution


def _gradients(order, grads, create_graph):
    """The chain rule into the dict `grads` (id(node) -> gradient, holding the seeds),
    writing nothing to the graph: for `grad()` and `backward(create_graph=True)`."""
    if not create_graph:
        get = grads.get
        for node in reversed(order):
            g = get(id(node), 0.0)
            inputs = node._a
            if type(inputs) is not tuple:  # one input or two, in the node
                grads[id(inputs)] = get(id(inputs), 0.0) + node._da * g
                if node._b is not None:
                    grads[id(node._b)] = get(id(node._b), 0.0) + node._db * g
            elif node._b:
                for child, d in zip(inputs, node._b):
                    key = id(child)
                    grads[key] = get(key, 0.0) + d * g
            elif type(node._rule) is HandWritten:
                _call_by_hand(node, grads)
        return grads
    for node in order:
        if type(node._rule) is HandWritten:
            raise RuntimeError(
                f"create_graph=True cannot differentiate through the node {node._op!r}: its "
                "_backward was written by hand (a closure has no derivative of its own); "
                "write the operation as a rule in micrograd.ops, or use create_graph=False")
        if node._rule is None and _partials(node):
            raise RuntimeError(
                f"create_graph=True cannot differentiate through the node {node._op!r}: its "
                "_local derivatives were set by hand (numbers, with no rule to differentiate); "
                "write the operation as a rule in micrograd.ops, or use create_graph=False")
    was = _set_grad_enabled(True)  # create_graph records, even inside no_grad (as PyTorch)
    try:
        for node in reversed(order):
            rule = node._rule
            if rule is None:
                continue
            g = grads.get(id(node), 0.0)
            inputs = _inputs(node)
            if rule.variadic:
                partials = rule.partials(inputs, node)
            else:
                partials = rule.partials(*inputs, node)
            for child, d in zip(inputs, partials):
                contribution = g if (type(d) is float and d == 1.0) else d * g
                grads[id(child)] = _accumulate(grads.get(id(child), 0.0), contribution)
    finally:
        _set_grad_enabled(was)
    return grads


def _backward_recording(root, seed):
    """`root.backward(seed, create_graph=True)`: the gradients as Values, into `.grad`."""
    order = _depth_first([root], everything=False)
    everything = topological_order([root])
    grads = {id(node): node.grad for node in everything if node._a is None}  # leaves add up
    grads[id(root)] = _accumulate(grads.get(id(root), 0.0),
                                  seed if isinstance(seed, Value) else Value(seed))
    _gradients(order, grads, create_graph=True)  # raises before anything changes
    for node in everything:
        g = grads.get(id(node), 0.0)
        if node._a is not None or node._b is CONSTANT:  # afresh or a constant: its number only
            node.grad = Value(g.data if isinstance(g, Value) else g)  # (no cycle through it)
        else:  # a leaf: with its history
            node.grad = g if isinstance(g, Value) else Value(0.0 if g is None else g)


def grad(outputs, inputs, grad_outputs=None, create_graph=False):
    """The gradients of `outputs` with respect to `inputs`, leaving every `.grad` as it was.

    `outputs` is a Value or a list of Values (their gradients are summed, weighted by
    `grad_outputs`, 1.0 each by default). Returns a list with one gradient per input:
    floats, or Values with a history when `create_graph=True`, so that
    `grad(grad(f, [x], create_graph=True)[0], [x])` is the second derivative.
    An input that `outputs` do not depend on gets a zero gradient (where PyTorch would
    raise): the derivative of a constant is zero.

    It writes nothing to the graph (its sort and its sums are its own), so any number of
    threads may call it on graphs that share nodes. The exception is a node whose
    `_backward` was written by hand: it is run with the `.grad` fields it uses set for the
    call and restored after (see `HandWritten`); `create_graph=True` cannot go through one
    (`RuntimeError`).

    >>> x = Value(3.0)
    >>> grad(x ** 3, [x])
    [27.0]
    """
    outputs = _as_value_list(outputs, 'outputs')
    inputs = _as_value_list(inputs, 'inputs')
    if grad_outputs is None:
        grad_outputs = [1.0] * len(outputs)
    elif isinstance(grad_outputs, Value) or _is_real(grad_outputs):
        grad_outputs = [grad_outputs]
    grad_outputs = list(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f"grad(): {len(outputs)} outputs but {len(grad_outputs)} grad_outputs")
    seeds = {}
    for output, seed in zip(outputs, grad_outputs):
        if not isinstance(seed, Value):
            seed = _real(seed, 'grad_outputs')
        if create_graph:
            seed = seed if isinstance(seed, Value) else Value(seed)
        else:
            seed = float(seed)  # a Value seed counts by its number only
        seeds[id(output)] = _accumulate(seeds.get(id(output), 0.0), seed)
    grads = _gradients(_depth_first(outputs, everything=False), seeds, create_graph)
    found = [grads.get(id(node), 0.0) for node in inputs]
    if create_graph:
        return [g if isinstance(g, Value) else Value(g) for g in found]
    return found


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

    For inference and for optimizer updates; as `torch.no_grad`. The switch is per thread,
    as in PyTorch: a `no_grad()` in one thread never changes what another records, and
    each `with` restores its own thread's mode. On a generator function it covers the
    generator's body, each time it runs (not the code that consumes what it yields).

    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y._prev
    ()
    """

    def __new__(cls, func=None):
        self = super().__new__(cls)
        self._saved = {}  # thread -> the modes to restore, one per `with` (one instance may nest)
        return self(func) if callable(func) else self  # `@no_grad` without brackets

    def __init__(self, func=None):
        pass

    def __enter__(self):
        was = _set_grad_enabled(False)
        self._saved.setdefault(threading.get_ident(), []).append(was)
        return self

    def __exit__(self, *exc):
        thread = threading.get_ident()
        saved = self._saved.get(thread)
        if saved:  # (a generator closed in another thread than it ran in has none here)
            _set_grad_enabled(saved.pop())
            if not saved:
                del self._saved[thread]
        return False

    def __call__(self, func):
        if inspect.isgeneratorfunction(func):
            return _generator_under(self, func)
        return super().__call__(func)


def _generator_under(manager, func):
    """`func`, a generator function, with its body run inside `manager` each time it runs."""
    @functools.wraps(func)
    def generator(*args, **kwargs):
        with manager:
            inner = func(*args, **kwargs)
        to_send, to_throw = None, None
        while True:
            try:
                with manager:
                    if to_throw is None:
                        produced = inner.send(to_send)
                    else:
                        produced = inner.throw(to_throw)
            except StopIteration as stop:
                return stop.value
            to_send, to_throw = None, None
            try:
                to_send = yield produced
            except GeneratorExit:
                with manager:
                    inner.close()
                raise
            except BaseException as error:  # thrown in by the caller: into the body
                to_throw = error
    return generator
