"""Pickle, copy and deepcopy of Values, without recursion however deep the graph.

pickle and `copy.deepcopy` follow a Value's fields from node to node: several Python
frames for each level of a graph, so a graph a few thousand deep, or a few hundred leaves
whose gradients (`create_graph=True`) lead from one to the next, would raise
RecursionError. Instead, the first Value they meet that leads to others (a root) lists
every Value behind it, through inputs and gradients, and pickles them first as empty
shells, then their states: by then every Value that a state refers to has been pickled,
so the recursion never goes deeper than one state. Unpickling the root fills the shells
in. Not in engine.py: a learner reading how backprop works needs none of this.

A thread keeps weak references to the lists of the pickles under way (`_Plan`): a list
lives as long as the pickler holds its root's state, so a pickle that fails part-way
leaves nothing behind.
"""

import threading
import weakref

from .engine import Value, _inputs, _link
from .ops import HandWritten

_STATE = ('data', 'grad', 'label', '_prev', '_op', '_rule', '_local')  # (as pickled always)
_LINKS = ('_prev', '_local')  # (set through their properties, after the rest)
_PICKLE_ONLY = ('_shells', '_states', '_plan', '_ancestors')  # (`_ancestors`: older pickles)


def reduce(node):
    """`node.__reduce_ex__`: an empty Value of its class, then its state; a shell only,
    where a root under way lists it (the root carries its state)."""
    if _listed(node):
        return (_empty_value, (type(node),))
    state = state_of(node)
    behind = _behind(node)
    if behind:
        plan = _Plan(behind)
        state = {'_shells': behind, '_states': [state_of(v) for v in behind], **state,
                 '_plan': plan}
    return (_empty_value, (type(node),), state)


def state_of(node):
    """Everything of `node` but backward()'s mark, and a subclass's own attributes."""
    state = {name: getattr(node, name) for name in _STATE}
    state.update(getattr(node, '__dict__', ()))
    return state


def set_state(node, state):
    """`node.__setstate__`: its state, and the states of the shells it lists."""
    if isinstance(state, tuple):  # (None, slots): pickled before __getstate__ existed
        state = state[1]
    for shell, shell_state in zip(state.get('_shells', ()), state.get('_states', ())):
        _fill(shell, shell_state)
    _fill(node, state)


def shallow_copy(node):
    """`copy.copy(node)`: the same inputs, data and gradient."""
    copied = _empty_value(type(node))
    _fill(copied, state_of(node))
    return copied


def _fill(node, state):
    _link(node, (), ())  # a leaf, until its inputs are set, and then their derivatives
    for name, value in state.items():
        if name not in _PICKLE_ONLY and name not in _LINKS:
            setattr(node, name, value)
    for name in _LINKS:
        if name in state:
            setattr(node, name, state[name])
    if type(state.get('_rule')) is HandWritten:  # (kept as its property keeps it)
        node._backward = state['_rule'].function
    node._mark = None


def _empty_value(cls):
    """A Value (or subclass) with no state yet, for pickle and copy."""
    return cls.__new__(cls)


class _Plan:
    """The Values a root lists whose shells are still to come (pickled as None)."""

    __slots__ = ('pending', '__weakref__')

    def __init__(self, values):
        self.pending = {id(v): v for v in values}
        _plans.under_way = (*_live_plans(), weakref.ref(self))

    def __reduce_ex__(self, protocol):  # met last: every shell it lists has been pickled
        self.pending.clear()
        return (_nothing, ())


class _Plans(threading.local):
    under_way = ()  # weak references to the plans of this thread's pickles under way


_plans = _Plans()


def _live_plans():
    return [ref for ref in _plans.under_way if ref() is not None]


def _nothing():
    return None


def _listed(node):
    """Whether a root under way lists `node` and its shell is still to come (then it is
    no longer: it is being pickled)."""
    for ref in _live_plans():
        pending = ref().pending
        if pending.get(id(node)) is node:
            del pending[id(node)]
            return True
    return False


def _behind(root):
    """Every Value that `root` leads to through inputs and gradients (a gradient with a
    history leads on to its own graph)."""
    known = {id(root)}
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        for other in (*_inputs(node), node.grad):
            if isinstance(other, Value) and id(other) not in known:
                known.add(id(other))
                found.append(other)
                stack.append(other)
    return found
