"""`grad()`, and gradients as Values (`create_graph=True`): the parts of reverse mode
that keep their sums apart from the graph.

`grad(outputs, inputs)` runs the same chain rule as `backward()`, but into a dict of its
own, so it leaves every `.grad` as it was and any number of threads may call it on a
shared graph. With `create_graph=True` it calls each rule's `partials` on the Values
themselves (the table's rules work on floats and on Values alike: ops.py), so the
gradients it returns are Values with a history of their own, which can be differentiated
again. `backward(create_graph=True)` does the same into `.grad`. Not in engine.py: the
reference is the first derivative, on floats, into `.grad`. Its sort (`_depth_first`,
which marks nothing) also gives pictures their order (`graph.topological_order`); it is
compiled with the engine where it is (`gradients.pxd`).
"""

import operator

from .checks import _is_real, _real
from .engine import Value, _inputs, _partials
from .grad_mode import _set_grad_enabled
from .handwritten import call_by_hand
from .ops import CONSTANT, HandWritten

try:  # Cython reads `cython.compiled` as True where it compiles this file (setup.py)
    import cython
except ImportError:  # plain Python without Cython installed
    from ._no_cython import cython

_COMPILED = cython.compiled


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


def backward_recording(root, seed):
    """`root.backward(seed, create_graph=True)`: the gradients as Values, into `.grad`.

    A leaf's `.grad` has a history (so, as in PyTorch, it refers back to the leaf: a
    reference cycle, broken when you reset it, by `p.grad = None` or `zero_grad()`); the
    `.grad` of an intermediate node, or of a number written into the expression or given
    to a model (`constant`), holds its number only, so no cycle runs through the rest of
    the graph.
    """
    order = _depth_first([root], everything=False)
    everything = _depth_first([root], everything=True)
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
                grads[id(inputs)] = _plus_product(get(id(inputs), 0.0), node._da, g)
                if node._b is not None:
                    grads[id(node._b)] = _plus_product(get(id(node._b), 0.0), node._db, g)
            elif node._b:
                for child, d in zip(inputs, node._b):
                    key = id(child)
                    grads[key] = _plus_product(get(key, 0.0), d, g)
            elif type(node._rule) is HandWritten:
                call_by_hand(node, grads)
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


def _plus_product(total, d, g):
    """`total + d * g`, as Python computes it; the compiled module computes it in C doubles
    where all three are floats (the same roundings), and else not with Cython's own `+`
    and `*` of numbers (they give 0 + -0.0 as -0.0: Python gives 0.0)."""
    # pragma: no mutate start (the compiled engine's only: mutmut runs the pure one)
    if _COMPILED and type(total) is float and type(d) is float and type(g) is float:
        x, y, z = total, d, g  # (C doubles)
        return x + y * z
    # pragma: no mutate end
    return _plus(total, _times(d, g))


_plus, _times = operator.add, operator.mul  # (names of this module's own: found faster)


# -- the order grad() follows, and pictures too -------------------------------------------

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
