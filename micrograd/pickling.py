"""Pickle, copy and deepcopy of Values, without recursion however deep the graph.

pickle and `copy.deepcopy` follow a Value's fields from node to node: several Python
frames for each level of a graph, so a graph a few thousand deep, or a few hundred leaves
whose gradients (`create_graph=True`) lead from one to the next, would raise
RecursionError. Instead, the first Value they meet that leads to others (a root) lists
every node behind it, through inputs and gradients, and pickles them first as empty
shells, then their states: by then every Value that a state refers to has been pickled,
so the recursion never goes deeper than one state. Unpickling the root fills the shells
in. Not in engine.py: a learner reading how backprop works needs none of this.

A shell names its root: where a pickle failed part-way (its traceback kept, as
a REPL keeps it) and a later one meets a Value still listed, that pickle takes the root
along, and the root fills the shell in there too; no copy ever comes back empty. Leaves
with a number for a gradient lead to no other Value, so they are pickled as they are.
"""

import threading

from .engine import Value, _inputs, _link
from .ops import HandWritten

_STATE = ('data', 'grad', 'label', '_prev', '_op', '_rule', '_local')  # (as pickled always)
_LINKS = ('_prev', '_local')  # (set through their properties, after the rest)
_PICKLE_ONLY = ('_shells', '_states', '_plan', '_ancestors')  # (and those of older pickles)


def reduce(node):
    """`node.__reduce_ex__`: an empty Value of its class, then its state; only a shell
    while its root's list is being pickled (the root carries its state)."""
    listed = _listed.values.pop(id(node), None)
    if listed is not None and listed[0] is node:
        return (_empty_value, (type(node), listed[1]))  # (with the root that carries its state)
    state = state_of(node)
    behind = _behind(node)
    if behind:
        state = {'_shells': _Shells(node, behind), '_states': [state_of(v) for v in behind],
                 **state}
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


def _empty_value(cls, root=None):
    """A Value (or subclass) with no state yet, for pickle and copy; a shell names the
    `root` whose state fills it in, so that a pickle of the shell carries that root along
    (see `_Shells`)."""
    return cls.__new__(cls)


class _Shells(list):
    """A root's list of the Values behind it. It pickles (and deepcopies) as a plain list
    whose items are taken one after another (`_one_by_one`): an item is listed, to be
    pickled as a shell, from when the pickler asks for it until it is pickled, or until
    the root's last item has been taken."""

    __slots__ = ('root',)

    def __init__(self, root, values):
        super().__init__(values)
        self.root = root

    def __reduce_ex__(self, protocol):
        return (list, (), None, self._one_by_one())

    def _one_by_one(self):
        listed = _listed.values
        try:
            for value in list.__iter__(self):
                listed[id(value)] = (value, self.root)
                yield value
        finally:  # (the ones pickled earlier, met again: no shell for them)
            for value in list.__iter__(self):
                if listed.get(id(value), (None,))[0] is value:
                    del listed[id(value)]


class _Listed(threading.local):
    def __init__(self):
        self.values = {}  # id -> (a Value listed by a `_Shells` of this thread, its root)


_listed = _Listed()


def _nothing():  # (named by pickles of 0.2.0: their lists' end marks)
    return None


def _behind(root):
    """Every Value that `root` leads to through inputs and gradients (a gradient with a
    history leads on to its own graph), but the leaves that lead nowhere."""
    known = {id(root)}
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        for other in (*_inputs(node), node.grad):
            if isinstance(other, Value) and id(other) not in known:
                known.add(id(other))
                if other._a is not None or isinstance(other.grad, Value):
                    found.append(other)
                    stack.append(other)
    return found
