"""What the picture, the table and the playground say about a graph, computed once.

`draw_dot` (viz.py), `explain` (explain.py), the command line and the web playground all
name values, number backward's steps, count the edges leaving each value and show
numbers the same way; those helpers live here, apart from graphviz, so that the table
does not import the picture module to count steps. `to_json(root)` turns a graph into
plain data (its nodes in the order they are computed, their edges, data and gradients)
for the playground's page.

    >>> from micrograd import Value
    >>> a = Value(3.0, label='a'); b = a * a; b.backward()
    >>> [(n['key'], n['name'], n['op'], n['grad']) for n in to_json(b)['nodes']]
    [('v0', 'a', '', '6.0000'), ('v1', '', '*', '1.0000')]
"""

from collections import Counter

from .engine import Value, _inputs
from .ops import HandWritten

# -- orders ---------------------------------------------------------------------------------

def topological_order(roots):
    """Every node that `roots` depend on, each after all of its inputs (no recursion).

    For pictures and explanations; `backward()` walks less (`engine._backward_order`). It
    writes nothing to the graph, so it is safe from any number of threads.
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


# -- what pictures and tables say -----------------------------------------------------------


def uses(order):
    """{id(value): how many edges leave it}, over a graph in topological order."""
    return Counter(id(child) for node in order for child in node._prev)


def backward_steps(order):
    """{id(value): its step number}: 1 for the output, counting as backward visits them."""
    return {id(node): len(order) - k for k, node in enumerate(order)}


def node_key(position):
    """The name of the value at `position` in topological order in a picture's source
    (and so in its SVG, as the node's `<title>`)."""
    return f"v{position}"


def op_label(node):
    """The name of `node`'s operation, marked where no rule sends gradients through it
    (a Value built by hand with `_op` but no rule, as in micrograd's lecture)."""
    if node._prev and node._rule is None:
        return f"{node._op} (no rule)"
    return node._op


def parameter_names(model):
    """{id(parameter): name} for a Module, such as 'layers.0.neurons.3.w.1'."""
    if model is None:
        return {}
    return {id(p): name for name, p in model.named_parameters()}


def node_name(value, names=None):
    """What a picture or table calls `value`: its label, else its parameter name."""
    if value.label:
        return value.label
    return (names or {}).get(id(value), '')


def role(node, outputs, names):
    """'output', 'parameter', 'input' or 'intermediate': what a picture colours it by.
    `outputs` holds the ids of the roots, `names` the parameter names."""
    if id(node) in outputs:
        return 'output'
    if id(node) in names:
        return 'parameter'
    return 'intermediate' if node._prev else 'input'


def shown_number(x):
    """A number as micrograd shows it: 4 decimals; an exponent for huge numbers; no
    '-0.0000'; 'None' for a gradient not computed (PyTorch's `p.grad = None`)."""
    if x is None:
        return 'None'
    x = float(x)
    if abs(x) >= 1e6:
        return f"{x:.4e}"
    text = f"{x:.4f}"
    return text[1:] if text == '-0.0000' else text


def to_json(root, model=None):
    """The graph behind `root` as plain data, as JSON carries it.

    Returns `{'nodes': [...], 'edges': [[input key, value key], ...], 'output': key}`.
    The nodes come in topological order (the order the forward pass computes them); each
    is `{'key', 'name', 'op', 'role', 'step', 'data', 'grad', 'inputs'}`, where `key` is
    its name in `draw_dot`'s picture, `step` its number in `explain()`'s table and in
    `draw_dot(show_order=True)`, `data` and `grad` the numbers the picture shows, and
    `inputs` the keys of its inputs (once per edge: `x * x` lists `x` twice).
    """
    if not isinstance(root, Value):
        raise TypeError(f"to_json: root must be a Value, got {type(root).__name__}")
    order = topological_order([root])
    names = parameter_names(model)
    step = backward_steps(order)
    key = {id(node): node_key(k) for k, node in enumerate(order)}
    nodes, edges = [], []
    for node in order:
        inputs = [key[id(child)] for child in node._prev]
        nodes.append({'key': key[id(node)], 'name': node_name(node, names),
                      'op': op_label(node), 'role': role(node, {id(root)}, names),
                      'step': step[id(node)], 'data': shown_number(node.data),
                      'grad': shown_number(node.grad), 'inputs': inputs})
        edges.extend([k, key[id(node)]] for k in inputs)
    return {'nodes': nodes, 'edges': edges, 'output': key[id(root)]}
