"""One view of a graph, for the picture, the table and the playground.

`draw_dot` (viz.py), `explain` (explain.py) and `to_json` (here) all need the same facts
about the graph behind a Value: its values in topological order, how many edges leave
each, backward's step numbers, each value's key in the picture (`v0`, `v1`...), its name
and its role. `GraphView(root)` works them out once (the graph is sorted once), and each
of the three renders from it: pass it as `view=` to draw all three from one sort, as the
playground does for each expression. graph.py imports neither viz nor explain.

    >>> from micrograd import Value
    >>> a = Value(3.0, label='a'); b = a * a; b.backward()
    >>> view = GraphView(b)
    >>> [(view.key(v), view.called(v), view.step(v), view.role(v)) for v in view.order]
    [('v0', 'a', 2, 'input'), ('v1', '#1', 1, 'output')]
    >>> [(n['key'], n['name'], n['op'], n['grad']) for n in to_json(b, view=view)['nodes']]
    [('v0', 'a', '', '6.0000'), ('v1', '', '*', '1.0000')]

`to_json(root)` turns a graph into plain data (its nodes in the order they are computed,
their edges, data and gradients) for the playground's page.
"""

from collections import Counter
from functools import cached_property

from .engine import Value, _inputs
from .gradients import _depth_first, _flows_through

# -- orders ---------------------------------------------------------------------------------


def topological_order(roots):
    """Every node that `roots` (a Value or a list of them) depend on, each after all of its
    inputs (no recursion).

    For pictures and explanations; `backward()` walks less (`engine._backward_order`). It
    writes nothing to the graph, so it is safe from any number of threads.

    >>> from micrograd import Value
    >>> x = Value(2.0, label='x'); y = x * x
    >>> [v.label or v._op for v in topological_order(y)]
    ['x', '*']
    """
    return _depth_first([roots] if isinstance(roots, Value) else roots, everything=True)


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


# -- the view ------------------------------------------------------------------------------


class GraphView:
    """What the picture, the table and the page say about the graph behind `roots` (a
    Value or a list of them), worked out once: making a view sorts the graph once.

        >>> from micrograd import Value
        >>> x = Value(2.0, label='x'); y = x * x + 1
        >>> view = GraphView(y)
        >>> [view.called(v) for v in view.order], view.uses[id(x)], view.key(x)
        (['#4', 'x', '#2', '#1'], 2, 'v1')

    `order`: the values, each after its inputs. `uses`: {id(value): edges leaving it}.
    `steps`: {id(value): backward's step number}. `keys`: {id(value): its name in the
    picture's source}. `names`: {id(parameter): its name in `model`}. `outputs`: the ids
    of the roots. `draw_dot`, `explain` and `to_json` each take one as `view=`.
    """

    def __init__(self, roots, model=None):
        self.roots = [roots] if isinstance(roots, Value) else list(roots)
        for root in self.roots:
            if not isinstance(root, Value):
                raise TypeError(f"GraphView: roots must be Values, got {type(root).__name__}")
        self.model = model
        self.order = topological_order(self.roots)
        self.outputs = {id(root) for root in self.roots}
        self.names = parameter_names(model)
        self.uses = uses(self.order)
        self.steps = backward_steps(self.order)
        self.keys = {id(node): node_key(k) for k, node in enumerate(self.order)}

    def __repr__(self):
        return f"<GraphView of {len(self.order)} values>"

    def key(self, value):
        """Its name in the picture's source and in the JSON: 'v0' for the first computed."""
        return self.keys[id(value)]

    def step(self, value):
        """Its step number in backward: 1 for the output."""
        return self.steps[id(value)]

    def name(self, value):
        """Its label, else its parameter name, else ''."""
        return node_name(value, self.names)

    def called(self, value):
        """What `explain()` calls it: its name, else '#k', k its step number."""
        return self.name(value) or f"#{self.step(value)}"

    def role(self, value):
        """'output', 'parameter', 'input' or 'intermediate'."""
        return role(value, self.outputs, self.names)

    @cached_property
    def reached(self):
        """The ids of the values (not the leaves) that gradient from the roots reaches, as
        backward() sends it: nothing behind a ReLU that is off. `explain()` uses it; it
        is worked out on first use, by a walk that does not sort the graph again."""
        stack = [root for root in self.roots if root._a is not None]
        reached = {id(root) for root in stack}
        while stack:
            node = stack.pop()
            if _flows_through(node):
                for child in _inputs(node):
                    if child._a is not None and id(child) not in reached:
                        reached.add(id(child))
                        stack.append(child)
        return reached


def view_for(caller, roots, model=None, view=None):
    """`view` if it is a view of `roots` (and of `model`, where one is given), else a new
    `GraphView(roots, model)` when `view` is None. `caller` names the function in errors."""
    if view is None:
        return GraphView(roots, model)
    if not isinstance(view, GraphView):
        raise TypeError(f"{caller}: view must be a GraphView, got {type(view).__name__}")
    if [id(r) for r in view.roots] != [id(r) for r in roots] or \
            (model is not None and model is not view.model):
        raise ValueError(f"{caller}: view= is the view of another graph or model; "
                         f"make it with GraphView(root, model)")
    return view


def to_json(root, model=None, *, view=None):
    """The graph behind `root` as plain data, as JSON carries it.

    Returns `{'nodes': [...], 'edges': [[input key, value key], ...], 'output': key}`.
    The nodes come in topological order (the order the forward pass computes them); each
    is `{'key', 'name', 'op', 'role', 'step', 'data', 'grad', 'inputs'}`, where `key` is
    its name in `draw_dot`'s picture, `step` its number in `explain()`'s table and in
    `draw_dot(show_order=True)`, `data` and `grad` the numbers the picture shows, and
    `inputs` the keys of its inputs (once per edge: `x * x` lists `x` twice). `view`: a
    `GraphView(root, model)` made already.
    """
    if not isinstance(root, Value):
        raise TypeError(f"to_json: root must be a Value, got {type(root).__name__}")
    view = view_for('to_json', [root], model, view)
    nodes, edges = [], []
    for node in view.order:
        inputs = [view.key(child) for child in node._prev]
        nodes.append({'key': view.key(node), 'name': view.name(node),
                      'op': op_label(node), 'role': view.role(node),
                      'step': view.step(node), 'data': shown_number(node.data),
                      'grad': shown_number(node.grad), 'inputs': inputs})
        edges.extend([k, view.key(node)] for k in inputs)
    return {'nodes': nodes, 'edges': edges, 'output': view.key(root)}
