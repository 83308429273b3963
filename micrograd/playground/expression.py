"""The expression page's answer: an expression and its variables in; its picture, its
`explain()` table and the steps of forward and backward out, as plain data.

Nothing is computed for the page that the library does not compute for a notebook: the
picture is `draw_dot(show_order=True)`, the table is `explain()`, and the numbers of
every step are the table's and the picture's own, as text. The page only chooses which
of them to show. All three are drawn from one `GraphView`: the graph is sorted once.
"""

from ..explain import explain
from ..graph import GraphView, node_key, shown_number, to_json
from ..parse import assignments, build, variables
from ..viz import GraphTooLargeError, draw_dot, render
from .limits import Refusal

#: the longest expression the page takes, in characters
MAX_LENGTH = 2_000

#: the most values drawn (draw_dot's `max_nodes`): dot lays out a few hundred in a blink
MAX_NODES = 400

#: the most variables
MAX_VARIABLES = 100

#: seconds dot may take to lay the picture out
RENDER_TIMEOUT = 20


def answer(expression, variables_text):
    """The page's data for `expression` ('tanh(a*b + c)') at `variables_text` ('a=2 b=-3
    c=10'): a dict with the picture (`svg`), the graph (`graph`, as `to_json`), the
    table (`columns`, and `rows`: one per step, with its edges), the backward steps
    (`steps`) and every variable's value and gradient. A bad or too large input raises
    `Refusal` (or the parser's `ExpressionError`), whose message the page shows."""
    if not isinstance(expression, str) or not isinstance(variables_text, str):
        raise Refusal("expression and variables must be text")
    if len(expression) > MAX_LENGTH:
        raise Refusal(f"the expression has {len(expression):,} characters, more than the "
                      f"playground's limit of {MAX_LENGTH:,}")
    if not expression.strip():
        raise Refusal("type an expression, such as tanh(x1*w1 + x2*w2 + b)")
    pairs = assignments(variables_text)
    if len(pairs) > MAX_VARIABLES:
        raise Refusal(f"{len(pairs)} variables, more than the playground's limit of "
                      f"{MAX_VARIABLES}")
    root, leaves = build(expression, variables(pairs, expression))
    root.backward()
    view = GraphView(root)  # the order, keys, names and steps of all three below
    try:
        picture = draw_dot(root, show_order=True, max_nodes=MAX_NODES, view=view)
    except GraphTooLargeError:
        raise Refusal(f"the expression has more than {MAX_NODES} values, the most the "
                      f"playground draws: try a smaller one") from None
    svg = render(picture, 'svg', RENDER_TIMEOUT)
    graph = to_json(root, view=view)
    table = explain(root, view=view)
    count = len(graph['nodes'])

    def key(step):  # the step numbers count from the output back
        return node_key(count - step)

    steps = [{'step': s.step, 'key': key(s.step), 'name': s.name, 'op': s.op or 'leaf',
              'grad': f"{s.grad:.6g}", 'grad_shown': shown_number(s.grad),
              'sent': [{'key': key(e.input_step), 'name': e.input, 'local': f"{e.local:.6g}",
                        'sent': f"{e.contribution:.6g}", 'total': f"{e.total:.6g}",
                        'total_shown': shown_number(e.total), 'fan_out': e.fan_out}
                       for e in s.sent]}
             for s in table]
    rows = []  # one per step, as the page shows them: its edges one line each
    for step, cells in table.rows():
        if not rows or rows[-1]['step'] != step:
            rows.append({'step': step, 'cells': cells[:5], 'edges': []})
        if any(cells[5:]):
            rows[-1]['edges'].append(cells[5:])
    return {'svg': svg.decode(), 'graph': graph, 'columns': list(table.columns),
            'rows': rows,
            'steps': steps, 'value': f"{root.data:.6g}",
            'variables': [{'name': name, 'value': repr(float(leaf.data)),
                           'grad': f"{leaf.grad:.6g}"} for name, leaf in leaves.items()]}
