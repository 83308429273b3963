"""The backward pass, step by step, as a table a learner can check by hand.

`explain(root)` replays backpropagation from `root` and records, for each value in the
order backward reaches it: its operation and data, the gradient that has arrived at it,
and for each of its inputs the local derivative, the contribution sent (local derivative
times arriving gradient) and, where an input feeds several operations, the running total
that input has collected so far. It changes no `.grad`.

Values are called by their label, their parameter name (with `model=`), or else `#k`,
their step number, which `draw_dot(root, show_order=True)` shows on the picture too.
"""

from dataclasses import dataclass, field
from itertools import repeat

from .engine import Value
from .graph import op_label, view_for
from .handwritten import call_by_hand
from .ops import HandWritten


@dataclass
class Sent:
    """One edge of one step: what a value sends back to one of its inputs."""
    input: str
    local: float         # d(value) / d(input)
    contribution: float  # local * gradient arriving at the value (0 where backward sends none)
    total: float         # the input's gradient so far, after this contribution
    fan_out: int         # how many edges leave the input (the total matters when > 1)
    input_step: int = 0  # the input's step number (names may repeat; this does not)


@dataclass
class Step:
    """One value in the backward pass."""
    step: int
    name: str
    op: str
    data: float
    grad: float          # the complete gradient that has arrived at this value
    sent: list = field(default_factory=list)


class Explanation:
    """The steps of a backward pass: print it, or show it in Jupyter."""

    columns = ('step', 'value', 'op', 'data', 'grad', 'input', 'local', 'sent', 'total')

    def __init__(self, steps):
        self.steps = steps

    def __iter__(self):
        return iter(self.steps)

    def __len__(self):
        return len(self.steps)

    def __getitem__(self, name):
        """The step of the value called `name`."""
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(name)

    def table(self):
        """The rows as lists of strings, one row per edge (and one per leaf)."""
        return [row for _, row in self.rows()]

    def rows(self):
        """(step number, row) for each row of `table()`: a step has one row per edge."""
        for s in self.steps:
            head = [str(s.step), s.name, s.op or 'leaf', _num(s.data), _num(s.grad)]
            if not s.sent:
                yield s.step, [*head, '', '', '', '']
            for k, e in enumerate(s.sent):
                left = head if k == 0 else [''] * len(head)
                total = _num(e.total) if e.fan_out > 1 else ''
                yield s.step, [*left, e.input, _num(e.local), _num(e.contribution), total]

    def __str__(self):
        rows = [list(self.columns), *self.table()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(self.columns))]
        lines = ['  '.join(cell.rjust(w) if i in (0, 3, 4, 6, 7, 8) else cell.ljust(w)
                           for i, (cell, w) in enumerate(zip(row, widths))).rstrip()
                 for row in rows]
        lines.insert(1, '-' * len(lines[0]))
        return '\n'.join(lines)

    def __repr__(self):
        return f"<Explanation of {len(self.steps)} steps>\n{self}"

    def _repr_markdown_(self):
        rows = [list(self.columns), ['---'] * len(self.columns), *self.table()]
        return '\n'.join('| ' + ' | '.join(c.replace('|', '\\|') for c in r) + ' |'
                         for r in rows)

    def _repr_html_(self):
        from html import escape
        head = ''.join(f'<th>{c}</th>' for c in self.columns)
        body = ''.join('<tr>' + ''.join(f'<td>{escape(c)}</td>' for c in r) + '</tr>'
                       for r in self.table())
        return f'<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _num(x):
    return f"{x:.6g}"


def explain(root, model=None, grad=1.0, *, view=None):
    """The backward pass from `root` as an `Explanation`; no `.grad` is changed. `view`:
    a `GraphView(root, model)` made already (graph.py), so the graph is not sorted again.

    >>> from micrograd import Value
    >>> a = Value(3.0, label='a'); b = a * a
    >>> b.label = 'b'
    >>> print(explain(b))
    step  value  op    data  grad  input  local  sent  total
    --------------------------------------------------------
       1  b      *        9     1  a          3     3      3
                                   a          3     3      6
       2  a      leaf     3     6
    """
    if not isinstance(root, Value):
        raise TypeError(f"explain: root must be a Value, got {type(root).__name__}")
    view = view_for('explain', [root], model, view)
    reached = view.reached  # as backward(): nothing goes behind a ReLU that is off
    grads = {id(node): 0.0 for node in view.order}
    grads[id(root)] = float(grad)
    steps = []
    for node in reversed(view.order):
        g = grads[id(node)]
        step = Step(view.step(node), view.called(node), op_label(node), node.data, g)
        if type(node._rule) is HandWritten and id(node) in reached:
            steps.append(_by_hand(node, step, grads, view))
            continue
        # a ReLU that is off shows its zero derivatives; a node built by hand has none
        partials = node._local or (repeat(0.0) if node._rule is not None else ())
        for child, local in zip(node._prev, partials):
            contribution = local * g if id(node) in reached else 0.0
            grads[id(child)] += contribution
            step.sent.append(Sent(view.called(child), local, contribution, grads[id(child)],
                                  view.uses[id(child)], view.step(child)))
        steps.append(step)
    return Explanation(steps)


def _by_hand(node, step, grads, view):
    """The step of a node whose `_backward` was written by hand: run it (on `grads`, not
    the graph) and show what each input received; its local derivative is that divided
    by the arriving gradient (nan where that is 0). An input used twice shows its total
    on its first edge."""
    if not node._prev:  # it adds into Values it holds: nothing to show, nothing to change
        return step
    before = {id(child): grads[id(child)] for child in node._prev}
    call_by_hand(node, grads)
    shown = set()
    for child in node._prev:
        key = id(child)
        contribution = 0.0 if key in shown else grads[key] - before[key]
        shown.add(key)
        local = contribution / step.grad if step.grad else float('nan')
        step.sent.append(Sent(view.called(child), local, contribution, grads[key],
                              view.uses[key], view.step(child)))
    return step
