"""Hypothesis strategies for property-testing code built on micrograd.

`expressions()` draws random expression graphs: a few inputs, then steps that each apply
one operation to earlier nodes, chosen with repetition, so graphs have fan-out and reuse
(`x * x`, a node feeding several others, diamonds). Operations are wrapped so that they
stay in their domains (`log(a*a + 1)`, `a / (b*b + 1)`, ...). An `Expression` is a
callable: it evaluates on Values or on anything with the same operators and methods
(PyTorch tensors included), so the same graph can be checked against another engine.

`expressions_with_inputs()` draws an expression and a point where it is well-behaved
(no overflow, no huge intermediate values), ready for `gradcheck`:

    from hypothesis import given
    from micrograd import gradcheck
    from micrograd.testing import expressions_with_inputs

    @given(expressions_with_inputs())
    def test_my_engine(case):
        expression, point = case
        assert gradcheck(expression, point)

Needs hypothesis (`pip install micrograd[dev]`).
"""

import math

from hypothesis import strategies as st

from .engine import Value
from .grad_mode import no_grad

_ONE_TO_THREE = st.integers(1, 3)

#: name: (number of operands, function). Each stays inside its domain for any real input.
OPERATIONS = {
    'add': (2, lambda a, b: a + b),
    'sub': (2, lambda a, b: a - b),
    'mul': (2, lambda a, b: a * b),
    'div': (2, lambda a, b: a / (b * b + 1)),
    'pow': (2, lambda a, b: (a * a + 1) ** b),
    'rpow': (1, lambda a: 2 ** a),
    'neg': (1, lambda a: -a),
    'square': (1, lambda a: a ** 2),
    'cube': (1, lambda a: a ** 3),
    'recip': (1, lambda a: 1 / (a * a + 1)),
    'exp': (1, lambda a: a.exp()),
    'log': (1, lambda a: (a * a + 1).log()),
    'sqrt': (1, lambda a: (a * a + 1).sqrt()),
    'tanh': (1, lambda a: a.tanh()),
    'sigmoid': (1, lambda a: a.sigmoid()),
    'sin': (1, lambda a: a.sin()),
    'cos': (1, lambda a: a.cos()),
    'relu': (1, lambda a: a.relu()),
    'abs': (1, lambda a: abs(a)),
}

#: operations with a kink (no derivative at 0): finite differences disagree there
KINKED = ('relu', 'abs')
#: the smooth operations, the default for gradient checks
SMOOTH = tuple(name for name in OPERATIONS if name not in KINKED)


class Expression:
    """A random expression graph; call it with `n_inputs` numbers-like arguments.

    Its output is the sum of the nodes no later step uses, so every step counts.
    """

    def __init__(self, n_inputs, steps):
        self.n_inputs = n_inputs
        self.steps = tuple(steps)  # (operation name, indices of its operands)

    def nodes(self, *xs):
        """Every node's value: the inputs, then one per step."""
        if len(xs) != self.n_inputs:
            raise ValueError(f"this expression takes {self.n_inputs} inputs, got {len(xs)}")
        nodes = list(xs)
        for name, args in self.steps:
            nodes.append(OPERATIONS[name][1](*(nodes[i] for i in args)))
        return nodes

    def _sinks(self):
        used = {i for _, args in self.steps for i in args}
        return [i for i in range(self.n_inputs + len(self.steps)) if i not in used]

    def __call__(self, *xs):
        nodes = self.nodes(*xs)
        sinks = self._sinks()
        out = nodes[sinks[0]]
        for i in sinks[1:]:
            out = out + nodes[i]
        return out

    def __repr__(self):
        def name(i):
            return f"x{i}" if i < self.n_inputs else f"t{i - self.n_inputs}"
        steps = [f"t{k} = {op}({', '.join(name(i) for i in args)})"
                 for k, (op, args) in enumerate(self.steps)]
        out = " + ".join(name(i) for i in self._sinks())
        return f"Expression({'; '.join([*steps, 'out = ' + out])})"


def expressions(n_inputs=_ONE_TO_THREE, max_steps=8, operations=SMOOTH):
    """A random `Expression` with 1 to `max_steps` steps over `operations` (names).

    `n_inputs` is a number or a strategy for one.
    """
    unknown = set(operations) - set(OPERATIONS)
    if unknown:
        raise ValueError(f"expressions(): unknown operations {sorted(unknown)}")
    if isinstance(n_inputs, int):
        n_inputs = st.just(n_inputs)
    return _expressions(n_inputs, max_steps, tuple(operations))


@st.composite
def _expressions(draw, n_inputs, max_steps, operations):
    n = draw(n_inputs)
    steps = []
    for k in range(draw(st.integers(1, max_steps))):
        op = draw(st.sampled_from(operations))
        # counted back from the newest node, so that shrinking leans towards deep chains
        newest = n + k - 1
        args = tuple(newest - draw(st.integers(0, newest)) for _ in range(OPERATIONS[op][0]))
        steps.append((op, args))
    return Expression(n, steps)


def inputs(n, low=-2.0, high=2.0):
    """A list of `n` floats in [low, high]."""
    return st.lists(st.floats(low, high, allow_nan=False, allow_infinity=False),
                    min_size=n, max_size=n)


def _well_behaved(expression, point, bound):
    """True if every node of `expression` at `point` is finite and within +-bound."""
    try:
        with no_grad():
            nodes = expression.nodes(*(Value(x) for x in point))
    except (OverflowError, ZeroDivisionError, ValueError):
        return False
    return all(math.isfinite(v.data) and abs(v.data) <= bound for v in nodes)


@st.composite
def expressions_with_inputs(draw, n_inputs=_ONE_TO_THREE, max_steps=8,
                            operations=SMOOTH, low=-2.0, high=2.0, bound=100.0):
    """(expression, point): a random `Expression` and inputs where every node is in +-bound."""
    expression = draw(expressions(n_inputs, max_steps, operations))
    point = draw(inputs(expression.n_inputs, low, high)
                 .filter(lambda p: _well_behaved(expression, p, bound)))
    return expression, point
