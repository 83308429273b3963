# ruff: noqa: F821 (the PyObject_* functions are C functions: `_collector.pxd`)
"""The compiled engine and Python's cyclic garbage collector (compiled engine only).

Why it is not in engine.py: it is not about gradients at all. The collector walks every
container it tracks, again and again while a graph grows; in the compiled engine that was
two thirds of the time of building and differentiating a graph (the lecture-style step of
bench/: 130 ms, and 46 ms with the collector switched off). Yet a graph of table nodes
holds no cycle: a node refers to its inputs (older nodes), numbers, strings and rules. A
cycle needs a field that received something else after the node was made: a gradient
with a history (`create_graph`), a hand-written `_backward` closure, a container in a
label. The pure engine leaves every node to the collector, and never imports this file.

So a plain Value made by the engine or by `Value(...)` is taken out of the collector's
sight (`settle`), with its tuples, unless something below it is tracked. Whenever a field
receives an object that can refer to others (`set_field`, the `_backward` setter,
`adopt`), the node and everything below it are tracked again, and so is every Value the
object holds (through tuples, and a closure's cells): every Value on a cycle that
assignment closes is then in sight. Invariant: below a tracked node every node is
tracked, so each walk stops at the first tracked node it meets, and over a program's run
no node is walked twice. Any other container (a list in a label, an object holding
Values, a closure holding more than Values and numbers) ends the untracking for the rest
of the process, once (`_stop_untracking`): every node still out of sight that a tracked
object holds comes into sight, and new nodes are tracked from birth. What can still
escape: a node held only by a running function's local variables at that moment, later
appended to such a container.

engine.py imports this module, so this one cannot import engine.py: it reads a node's
fields by name where it walks (rarely), and is handed them where it is fast (`settle`).
"""

import gc
import sys
import types

from . import ops

_cycles_possible = False

# what a field or a closure may hold without a cycle to fear: rules, classes, modules,
# built-in functions and the marker of constants live as long as the program (or module)
_LASTING = (ops.Op, type, types.ModuleType, types.BuiltinFunctionType, type(ops.CONSTANT))

_VALUE = None  # the Value class, once known


def _value_class():
    global _VALUE
    if _VALUE is None:
        _VALUE = sys.modules[__package__ + '.engine'].Value
    return _VALUE


def settle(node, a, b):
    """A node the engine has just made (a plain Value, no label, its op a name), given its
    fields `_a` and `_b`: out of the collector's sight where that is safe; else in sight,
    with everything below it (the invariant)."""
    if not _cycles_possible:
        if type(a) is tuple:  # the inputs in a tuple, and their partials in `b`
            inputs = a  # (typed: a C loop)
            for child in inputs:
                if PyObject_GC_IsTracked(child):
                    break
            else:
                PyObject_GC_UnTrack(node)
                PyObject_GC_UnTrack(a)  # (as Python would, at its next pass)
                if type(b) is tuple:  # numbers (the partials on floats)
                    PyObject_GC_UnTrack(b)
                return
        elif a is None or not (PyObject_GC_IsTracked(a) or PyObject_GC_IsTracked(b)):
            PyObject_GC_UnTrack(node)  # a leaf, or one or two inputs in the node
            return
    track_below(node)


def settle_made(node, a, b, label, op):
    """`settle` for a node made by `Value.__init__`: any class, any label and op."""
    if type(node) is _value_class() and not PyObject_IS_GC(label) and not PyObject_IS_GC(op):
        settle(node, a, b)
    else:
        adopt(node, label)
        adopt(node, op)
        track_below(node)


def set_field(node, name, value):
    """`node.name = value` (the compiled Value's `__setattr__`), and `adopt` what it holds
    (`_prev` and `_local` see to it themselves)."""
    PyObject_GenericSetAttr(node, name, value)
    if PyObject_IS_GC(value) and name != '_prev' and name != '_local':
        adopt(node, value)


def track_below(root):
    """Track `root` and every node below it that is not tracked yet, with their tuples of
    inputs (Python untracks a tuple of untracked objects by itself)."""
    value_class = _value_class()
    stack = [root]
    while stack:
        node = stack.pop()
        if not PyObject_GC_IsTracked(node):
            PyObject_GC_Track(node)
        inputs = node._a
        if type(inputs) is tuple:
            if not PyObject_GC_IsTracked(inputs):
                PyObject_GC_Track(inputs)
        else:
            inputs = (inputs, node._b)  # one or two inputs in the node (None: not there)
        for child in inputs:
            if issubclass(type(child), value_class) and not PyObject_GC_IsTracked(child):
                stack.append(child)


def adopt(node, value):
    """`node` received `value` into a field: where that can close a cycle, bring the node,
    everything below it and every Value that `value` holds into the collector's sight."""
    if not PyObject_IS_GC(value) or issubclass(type(value), _LASTING):
        return  # a number, a string, a rule: no cycle through it
    track_below(node)  # first, so that `_stop_untracking` meets it among the tracked
    if type(value) is ops.HandWritten:  # the rule of a hand-written `_backward`
        value = value.function
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
    value_class = _value_class()
    stack = [item]
    while stack:
        item = stack.pop()
        if issubclass(type(item), value_class):
            if PyObject_GC_IsTracked(item) or item._a is not None:  # (else: a lone leaf)
                track_below(item)
        elif type(item) is tuple:
            for inner in item:
                if PyObject_IS_GC(inner):
                    if not PyObject_GC_IsTracked(item):
                        PyObject_GC_Track(item)
                    stack.append(inner)
        elif PyObject_IS_GC(item) and not issubclass(type(item), _LASTING):
            _stop_untracking()


def _stop_untracking():
    """From now on in this process, every node is tracked from birth; and every node now
    out of sight that a tracked object refers to (through tuples too) comes into sight,
    with everything below it. Once per process: it walks every object tracked."""
    global _cycles_possible
    if _cycles_possible:
        return
    _cycles_possible = True
    value_class = _value_class()
    for holder in gc.get_objects():
        for item in gc.get_referents(holder):  # (by type: an object's own __class__ may warn)
            if issubclass(type(item), value_class) or (type(item) is tuple
                                                       and not PyObject_GC_IsTracked(item)):
                _bring_into_sight(item)


def _cell_contents(function):
    """What a closure's cells hold (a cell still empty holds nothing)."""
    for cell in function.__closure__ or ():
        try:
            yield cell.cell_contents
        except ValueError:
            pass
