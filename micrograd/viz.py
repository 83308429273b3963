"""Pictures of computation graphs, drawn by graphviz.

`draw_dot(root)` returns a `graphviz.Digraph`: one record per Value showing
`label | data | grad` (4 decimals), one small node per operation, and edges from the
inputs through the operation to its result. In Jupyter it shows inline; elsewhere
`.render('graph')`, `.pipe(format='svg')`, or `save(root, 'graph.svg')`.

Colours tell the roles apart: leaves (inputs and constants) are blue, parameters of a
model green, intermediate values white and the output gold. `show_order=True` numbers
the values in the order `backward()` visits them; `model=` names parameters by their
place in the model (`layers.0.neurons.3.w.1`).

Needs the `graphviz` Python package and graphviz's `dot` program
(`pip install micrograd[viz]`, and `apt-get install graphviz` or `brew install graphviz`).
"""

import shutil
import subprocess
from collections import Counter
from pathlib import Path

from . import ops
from .engine import Value
from .graph import op_label, shown_number, view_for

#: fill colours by role
COLOURS = {'input': '#dbe9f6', 'parameter': '#d5ecd4', 'intermediate': '#ffffff',
           'output': '#ffe39a'}

#: values drawn at most by default: dot needs many seconds beyond a few thousand nodes
MAX_NODES = 2000

FORMATS = ('svg', 'png', 'pdf', 'dot')

#: seconds `save` lets dot lay a graph out before it gives up
RENDER_TIMEOUT = 60


class GraphTooLargeError(ValueError):
    """The graph has more values than `draw_dot(max_nodes=...)` allows."""


_picture_class = None


def _picture(**kwargs):
    """A new `Picture`: a `graphviz.Digraph` whose `pipe` (and so Jupyter's inline
    display) gives up after `RENDER_TIMEOUT` seconds instead of hanging."""
    global _picture_class
    if _picture_class is None:
        try:
            import graphviz
        except ImportError:
            raise ImportError("drawing graphs needs the graphviz package: "
                              "pip install 'micrograd[viz]'") from None

        class Picture(graphviz.Digraph):
            __doc__ = _picture.__doc__

            def pipe(self, format=None, *args, encoding=None, **kwargs):
                if args or kwargs:  # renderer, formatter, engine...: graphviz's own way
                    return super().pipe(format, *args, encoding=encoding, **kwargs)
                data = render(self, format or self.format)
                return data.decode(encoding) if encoding else data

        _picture_class = Picture
    return _picture_class(**kwargs)


def _escape(text):
    """Text safe inside a graphviz record label (one line, no markup)."""
    text = ''.join(ch if ch >= ' ' else ' ' for ch in text).replace('&', '&amp;')
    for ch in '\\{}|<>"':
        text = text.replace(ch, '\\' + ch)
    return text


def format_for(path):
    """The picture format named by `path`'s suffix (svg, png, pdf, dot), or a ValueError."""
    fmt = Path(path).suffix.lstrip('.').lower()
    if fmt not in FORMATS:
        raise ValueError(f"cannot tell the format from {Path(path).name!r}; "
                         f"use a name ending in one of {', '.join('.' + f for f in FORMATS)}")
    return fmt


def _roots(root):
    if isinstance(root, Value):
        return [root]
    roots = list(root) if isinstance(root, (list, tuple)) else [root]
    for r in roots:
        if not isinstance(r, Value):
            raise TypeError(f"draw_dot: root must be a Value or a list of Values, "
                            f"got {type(r).__name__}")
    return roots


def draw_dot(root, format='svg', rankdir='LR', *, model=None, show_order=False,
             collapse=False, max_nodes=MAX_NODES, graph_attr=None, view=None):
    """The computation graph behind `root` (a Value or a list of them) as a Digraph.

    >>> from micrograd import Value
    >>> x = Value(2.0, label='x'); y = (x * x).tanh(); y.backward()
    >>> dot = draw_dot(y)
    >>> svg = dot.pipe(format='svg')            # or dot.render('graph'), or save()

    `rankdir` is 'LR' (left to right) or 'TB' (top to bottom). `model`: a Module whose
    parameters are named in the picture. `show_order`: number values in the order
    backward visits them. `collapse=True` draws each neuron (its weighted sum and its
    activation) as one value and leaves out its weights and bias, for pictures of
    whole networks. A graph of more than `max_nodes` values raises `GraphTooLargeError`
    rather than keeping dot busy for minutes. `view`: a `GraphView(root, model)` made
    already (graph.py), so that the picture does not sort the graph again.
    """
    if rankdir not in ('LR', 'TB'):
        raise ValueError(f"draw_dot: rankdir must be 'LR' or 'TB', got {rankdir!r}")
    if format not in FORMATS[:-1]:
        raise ValueError(f"draw_dot: format must be one of {FORMATS[:-1]}, got {format!r}")
    view = view_for('draw_dot', _roots(root), model, view)
    order, used = view.order, view.uses
    hidden, shown = _collapse(order, view.names, used) if collapse else (set(), {})
    count = len(order) - len(hidden)
    if count > max_nodes:
        raise GraphTooLargeError(
            f"draw_dot: the graph has {count:,} values, more than max_nodes="
            f"{max_nodes:,}; dot would take very long to lay it out. Draw a smaller part "
            f"(a single neuron or loss term), pass collapse=True to draw each neuron as "
            f"one value, or pass a larger max_nodes.")
    hidden -= view.outputs
    far = _far_uses(order)

    attrs = {'rankdir': rankdir}
    if count > LARGE:  # fewer layout passes: a slightly rougher picture, much sooner
        attrs.update(nslimit='1', nslimit1='1', mclimit='0.3')
    dot = _picture(format=format, graph_attr={**attrs, **(graph_attr or {})},
                   node_attr={'fontname': 'Helvetica', 'fontsize': '11'})

    def record(name, node, label, **style):
        fields = [_escape(view.name(node) or label),
                  f"data {shown_number(node.data)}", f"grad {shown_number(node.grad)}"]
        if show_order:
            fields.insert(0, f"#{view.step(node)}")
        dot.node(name, label='{ ' + ' | '.join(fields) + ' }', shape='record',
                 fillcolor=COLOURS[view.role(node)], **style)

    for node in order:
        if id(node) in hidden:
            continue
        uid = view.key(node)
        op, inputs, label = shown.get(id(node), (op_label(node), node._prev, ''))
        if node._prev or len(far.get(id(node), ())) < used[id(node)] or not used[id(node)]:
            record(uid, node, label, style='filled')
        if op:
            dot.node(uid + 'op', label=op, shape='ellipse',
                     style='dashed' if node._prev and node._rule is None else 'solid')
            dot.edge(uid + 'op', uid)
        for k, child in enumerate(inputs):
            if id(child) in hidden:
                continue
            source = view.key(child)
            if (id(node), k) in far.get(id(child), ()):  # a copy beside this use
                source = f"{source}-{uid}-{k}"
                record(source, child, '', style='filled,dashed')
            dot.edge(source, uid + 'op')
    return dot


#: values drawn with fewer layout passes
LARGE = 400

#: a use this many levels away from its value gets a copy of the value beside it
COPY_SPAN = 6


def _far_uses(order):
    """{id(value): {(id(consumer), input position), ...}} for uses far from the value.

    dot lays out every edge as a chain of hidden nodes, one per level it crosses: a value
    used all along a deep graph (the `x` of a long Horner chain) makes that quadratic
    and the layout takes minutes. Such a use gets a dashed copy of the value beside it.
    A leaf sits just before its first use; any other value where it is computed.
    """
    depth, first = {}, {}
    for node in order:
        d = depth[id(node)] = 1 + max((depth[id(c)] for c in node._prev), default=-1)
        for child in node._prev:
            if not child._prev and d < first.get(id(child), d + 1):
                first[id(child)] = d
    far = {}
    for node in order:
        for k, child in enumerate(node._prev):
            start = first[id(child)] - 1 if not child._prev else depth[id(child)]
            if depth[id(node)] - start > COPY_SPAN:
                far.setdefault(id(child), set()).add((id(node), k))
    return far


ACTIVATION_OPS = {ops.RELU, ops.TANH, ops.SIGMOID}
WEIGHTED_SUMS = {ops.LINEAR, ops.RELU_LINEAR}


def _collapse(order, names, used):
    """What `collapse=True` leaves out, and how each neuron is drawn instead.

    Returns (ids of hidden values, {id(value): (op label, inputs, name)}). Weights and
    biases are hidden where a neuron's weighted sum is their only use; a weighted sum
    used only by an activation is drawn together with it.
    """
    as_parameter = Counter()
    hidden, shown = set(), {}
    for node in order:
        if node._rule in WEIGHTED_SUMS:
            n = (len(node._prev) - 1) // 2
            parameters = (*node._prev[:n], node._prev[-1])
            as_parameter.update(id(p) for p in parameters)
            bias_name = names.get(id(node._prev[-1]), '')
            name = bias_name[:-2] if bias_name.endswith('.b') else ''
            relu = ' ReLU' if node._rule is ops.RELU_LINEAR else ''
            shown[id(node)] = (f'neuron({n}){relu}', node._prev[n:2 * n], name)
        elif node._rule in ACTIVATION_OPS:
            (weighted_sum,) = node._prev
            if weighted_sum._rule is ops.LINEAR and used[id(weighted_sum)] == 1:
                op, inputs, name = shown[id(weighted_sum)]
                shown[id(node)] = (f'{op} {node._op}', inputs, name)
                hidden.add(id(weighted_sum))
    hidden.update(i for i, count in as_parameter.items() if used[i] == count)
    return hidden, shown


def render(dot, format='svg', timeout=RENDER_TIMEOUT):
    """The bytes of `dot` (a Digraph) rendered by graphviz's `dot` program.

    Unlike `Digraph.pipe`, gives up after `timeout` seconds with `GraphTooLargeError`
    instead of hanging on a graph too large to lay out.
    """
    program = shutil.which('dot')
    if program is None:
        raise FileNotFoundError("graphviz's dot program is missing: install it with "
                                "'apt-get install graphviz' (or 'brew install graphviz')")
    try:
        done = subprocess.run([program, f'-T{format}'], input=dot.source.encode(),
                              capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GraphTooLargeError(
            f"dot did not finish laying out the graph in {timeout} s: draw a smaller part "
            "(long chains with one value used all along them are the slowest), "
            "or save it as .dot") from None
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


def save(root, path, timeout=RENDER_TIMEOUT, **kwargs):
    """Draw `root`'s graph into `path`; the format comes from the suffix (svg, png, pdf, dot).

    Other keyword arguments go to `draw_dot`. Returns the path as a `pathlib.Path`.
    """
    path = Path(path)
    try:
        fmt = format_for(path)
    except ValueError as e:
        raise ValueError(f"save: {e}") from None
    dot = draw_dot(root, **kwargs)
    if fmt == 'dot':
        path.write_text(dot.source)
    else:
        path.write_bytes(render(dot, fmt, timeout))
    return path
