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

from .engine import Value
from .gradients import _depth_first

# -- orders ---------------------------------------------------------------------------------

def topological_order(roots):
    """Every node that `roots` depend on, each after all of its inputs (no recursion).

    For pictures and explanations; `backward()` walks less (`engine._backward_order`). It
    writes nothing to the graph, so it is safe from any number of threads.
    """
    return _depth_first(roots, everything=True)


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
