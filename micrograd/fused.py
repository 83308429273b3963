"""A neuron as one node: `bias + sum(w * x)` (and its ReLU) with an edge per input.

micrograd builds a neuron's weighted sum as two nodes per term (`w * x`, then `+`): for a
16-input neuron, 32 nodes, each an object, a sort entry and two multiply-adds of
backward. The table's LINEAR and RELU_LINEAR rows (ops.py) make it one node whose
partials are the inputs and the weights; `nn.Neuron` uses it. The numbers are the same to
the last bit (`b + w0*x0 + w1*x1 + ...`, in micrograd's order) and so are the gradients
(tests/test_fast_paths.py). Not in engine.py: it is a speed trick, not a new idea; the
compiled engine adds in C doubles here (`fused.pxd`).
"""

import operator

from .checks import _real
from .engine import Value, _lift, _table_node
from .grad_mode import is_grad_enabled
from .ops import LINEAR, NO_FLOW, RELU_LINEAR, add_up

try:  # Cython reads `cython.compiled` as True where it compiles this file (setup.py)
    import cython
except ImportError:  # plain Python without Cython installed
    from ._no_cython import cython

_COMPILED = cython.compiled


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
    if not is_grad_enabled():
        return Value(out)
    nodes = _joined(weights, inputs, bias)
    if relu and not out > 0:  # a ReLU that is off (or nan): nothing flows back
        return _table_node(out, nodes, RELU_LINEAR, NO_FLOW)
    return _table_node(out, nodes, RELU_LINEAR if relu else LINEAR,
                       _joined(input_data, weight_data, 1.0))


_times = operator.mul  # (a name of this module's own: the compiled engine finds it faster)


def _dot(xs, ys, start):
    """`start + xs[0] * ys[0] + xs[1] * ys[1] + ...`, added left to right (`add_up`). The
    compiled engine adds in C doubles while the numbers are floats (`ys` a list or a
    tuple): the same roundings."""
    # pragma: no mutate start (the compiled engine's only: mutmut runs the pure one)
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
    # pragma: no mutate end
    return add_up(map(_times, xs, ys), start)


def _list_or_tuple(items):
    """Whether `items` is a list or a tuple exactly (indexing them runs no code of a user's)."""
    return type(items) is list or type(items) is tuple  # pragma: no mutate (compiled only)


def _joined(xs, ys, last):
    """`(*xs, *ys, last)` for two sequences; the compiled engine fills the tuple in place,
    without the list that Cython's `(*xs, *ys, last)` builds on the way."""
    if not (_COMPILED and _list_or_tuple(xs) and _list_or_tuple(ys)):
        return (*xs, *ys, last)  # (any other iterable, as Python reads it)
    # pragma: no mutate start (the compiled engine's only)
    n, m = len(xs), len(ys)
    out = PyTuple_New(n + m + 1)  # noqa: F821
    for i in range(n + m + 1):
        item = xs[i] if i < n else ys[i - n] if i < n + m else last
        Py_INCREF(item)  # noqa: F821 (the tuple takes a reference of its own)
        PyTuple_SET_ITEM(out, i, item)  # noqa: F821
    return out
    # pragma: no mutate end
