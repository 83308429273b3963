"""Operations, nodes and subclasses written by hand, the micrograd 0.1.0 way.

micrograd 0.1.0 adds an operation as `out = Value(f(x.data), (x,), 'f')` and a closure
`out._backward = fn` that adds into its inputs' `.grad`; its lecture sets `_prev`, calls
`_backward()` by hand, and subclasses `Value` with an `__add__` or `__mul__` of its own.
All of that runs unchanged here. The reference (engine.py) keeps only the properties; what
they check and how a closure is run lives here, because a learner reading how backprop
works does not need it.

A closure becomes its node's rule (`ops.HandWritten`), so `backward()` calls it in its turn.
"""

import threading

from . import COMPILED
from .checks import _is_real
from .engine import Value, _inputs, _link, _partials
from .ops import CONSTANT, HandWritten

if COMPILED:  # keeps plain nodes out of the cyclic garbage collector's sight
    from . import _collector


_closure_lock = threading.RLock()  # one hand-written _backward at a time in grad()


def call_by_hand(node, grads=None):
    """Run `node`'s hand-written `_backward`. With `grads` (id -> gradient, as `grad()`
    keeps them), the `.grad` fields it uses are set from there for the call, the totals it
    leaves are put back into `grads`, and the fields are restored. Either way under a
    lock, so that `grad()` and `backward()` in other threads do not run one at once."""
    inputs = list({id(child): child for child in _inputs(node)}.values())
    if grads is not None and not inputs:
        raise RuntimeError(
            f"grad() cannot run the hand-written _backward of the node {node._op!r}: it has no "
            "inputs (_prev), so it adds into Values that grad() cannot keep apart from their "
            ".grad; give the node its inputs, or use backward()")
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


# -- the setters of engine.py's properties: each checks, then changes the node -----------

def set_inputs(node, children):
    """`node._prev = children` (any iterable of Values; kept as a tuple)."""
    children = as_children(children, '_prev')
    local = links(node)[1]
    if local and len(local) != len(children):
        raise ValueError(f"_prev: {len(children)} inputs for the node's {len(local)} local "
                         "derivatives (_local); set _local = () first to give it others")
    _link(node, children, local)
    if COMPILED:  # new inputs may close a cycle, or be in the collector's sight
        _collector.track_below(node)  # pragma: no mutate


def set_partials(node, local):
    """`node._local = local` (real numbers, one per input; kept as a tuple)."""
    inputs = links(node)[0]
    local = local if type(local) is tuple or local is CONSTANT else _as_tuple(local, '_local')
    for d in local:
        if not _is_real(d):
            raise TypeError(f"_local must be real numbers, got {type(d).__name__}")
    if local and len(local) != len(inputs):
        raise ValueError(f"_local: {len(local)} local derivatives for the node's "
                         f"{len(inputs)} inputs (_prev)")
    _link(node, inputs, local)
    if COMPILED:
        _collector.adopt(node, local)  # pragma: no mutate


def set_rule(node, function):
    """`node._backward = function`: the node's rule becomes `HandWritten(function)`."""
    if not callable(function):
        raise TypeError(f"_backward must be a function, got {type(function).__name__}")
    inputs = links(node)[0]
    node._rule = HandWritten(function)  # (compiled: what the function holds comes into sight)
    _link(node, inputs, ())
    if not inputs and not _does_nothing(function):  # backward() runs it, as 0.1.0 does
        node._a = ()  # (no inputs, yet not a leaf: 0.1.0's leaves have `lambda: None`)


_NOTHING = eval('lambda: None').__code__  # (Python's own, where this module is compiled)


def _does_nothing(function):
    """Whether `function` is a function that does nothing, as micrograd 0.1.0's
    `lambda: None` (or a `def` whose body is `pass`)."""
    code = getattr(function, '__code__', None)
    return (code is not None and code.co_code == _NOTHING.co_code
            and code.co_consts == _NOTHING.co_consts and not code.co_names)


def links(node):
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


def as_children(children, what):
    """`children` as a tuple of Values, or a TypeError naming what is not one."""
    children = _as_tuple(children, what)
    for child in children:
        if not isinstance(child, Value):
            raise TypeError(f"{what} must be Values, got {type(child).__name__}")
    return children


def _as_tuple(items, what):
    """`items` (an iterable) as a tuple, or a TypeError naming `what`."""
    try:
        return tuple(items)
    except TypeError:
        raise TypeError(f"{what} must be an iterable, got {type(items).__name__}") from None


def derives(value):
    """Whether `value`'s class (a subclass) has a `+` or `*` of its own. micrograd 0.1.0
    derives `-`, `/`, unary minus and the reflected forms from `+`, `*` and `**`, so a
    subclass written for it that overrides those gets them from its own, as there."""
    cls = type(value)
    return cls.__add__ is not Value.__add__ or cls.__mul__ is not Value.__mul__
