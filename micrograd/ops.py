"""The table of primitives: each operation's forward pass and local derivatives.

Every primitive is declared once, as one row of the table below. A row names the
operation (the name `draw_dot` shows), gives its forward function on floats, and gives
its local partial derivatives `partials(*inputs, out)`: one per input.

The partials are written with ordinary arithmetic and the helpers `log`, `sin`, `cos`,
`pow_` defined here, which work on floats and on `Value`s alike. So the same rule
runs twice over:

* on floats, during the forward pass: the engine stores the numbers on the node, and
  `backward()` is then one multiply-add per edge, with no function call per node;
* on `Value`s, during `backward(create_graph=True)`: the derivative is itself recorded
  as a graph, which is what makes second and higher derivatives work.

Partials may also be the empty tuple `NO_FLOW`, meaning every one of them is zero (a ReLU
that is off). Then nothing flows back through the node, and `backward()` only sets the
gradients behind it to 0: a zero derivative is a hard zero there, so a value behind a
ReLU that is off gets gradient 0 even where one of its own derivatives is infinite
(where PyTorch gives 0 * inf = nan).

Domain errors are raised here, in the forward functions, so they point at the operation
that went wrong and never produce complex numbers.

A node whose `_backward` was written by hand, the micrograd 0.1.0 way, has a rule too:
`HandWritten`, which holds that function (handwritten.py runs it).
"""

import functools
import math
import operator
import sys

INF = math.inf
NAN = math.nan


# -- helpers usable on floats and on Values --------------------------------------------

def log(x):
    return math.log(x) if type(x) is float else x.log()


def sin(x):
    return math.sin(x) if type(x) is float else x.sin()


def cos(x):
    return math.cos(x) if type(x) is float else x.cos()


def pow_(x, c):
    """`x ** c` for a derivative: infinite where `x` is 0 and `c` negative, or too large.

    There the infinity is a constant, even in a recorded graph: derivatives taken
    through it are 0, where calculus has no finite answer (sqrt at 0 is one such point).
    """
    base, exponent = data(x), data(c)
    if base == 0.0 and exponent < 0:
        return _constant(x, INF)
    try:
        return x ** c
    except OverflowError:
        odd = float(exponent).is_integer() and exponent % 2 == 1
        return _constant(x, -INF if base < 0 and odd else INF)


def _constant(like, number):
    """`number` as a float, or as a leaf Value when `like` is a Value."""
    return number if type(like) is float else type(like)(number)


def power_partial(x, c):
    """d(x**c)/dx = c * x**(c-1); 0 where c is 0 (not 0 * inf nor 0 * nan), as PyTorch.

    When recording a graph with an exponent that is a Value, only at x = 0: elsewhere
    `c * x**(c-1)` keeps its derivative with respect to c (x**-1 at c = 0)."""
    if data(c) == 0.0 and (type(c) is float or data(x) == 0.0):
        return 0.0
    return c * pow_(x, c - 1.0)


def data(x):
    """The number inside `x`, whether `x` is a float or a `Value`."""
    return x if type(x) is float else x.data


def exponent_partial(x, out):
    """d(x**y)/dy = x**y * log(x); 0 at x == 0 and nan for a negative base (as PyTorch)."""
    base = data(x)
    if base > 0:
        return out * log(x)
    return 0.0 if base == 0 else out * NAN  # nan, with a history when out has one


# -- forward functions with domain checks ----------------------------------------------

def _fmt(x):
    return repr(float(x))


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp({_fmt(x)}) is too large for a float") from None


def _log(x):
    if x <= 0:
        raise ValueError(f"log() is defined for positive numbers only, got {_fmt(x)}")
    return math.log(x)


def _sqrt(x):
    if x < 0:
        raise ValueError(f"sqrt() is defined for numbers >= 0 only, got {_fmt(x)}")
    return math.sqrt(x)


def _sigmoid(x):
    # two forms, so exp() only ever sees a number <= 0 and cannot overflow
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _finite_only(function):
    """`function` (math.sin, math.cos), with a ValueError naming it for an infinity."""
    def forward(x):
        if x in (INF, -INF):
            raise ValueError(f"{function.__name__}() is defined for finite numbers only, "
                             f"got {_fmt(x)}")
        return function(x)
    return forward


_sin, _cos = _finite_only(math.sin), _finite_only(math.cos)


def _div(x, y):
    if y == 0:
        raise ZeroDivisionError(f"division by zero: {_fmt(x)} / 0")
    return x / y


def _pow(x, y):
    if x == 0 and y < 0:
        raise ZeroDivisionError(f"pow(): 0 cannot be raised to a negative power ({_fmt(y)})")
    if x < 0 and not float(y).is_integer():
        raise ValueError(
            f"pow(): a negative base ({_fmt(x)}) with a non-integer exponent ({_fmt(y)}) "
            "has no real result")
    try:
        return x ** y
    except OverflowError:
        raise OverflowError(f"pow({_fmt(x)}, {_fmt(y)}) is too large for a float") from None


# -- the table ---------------------------------------------------------------------------

class Op:
    """A primitive operation: `forward` on floats, `partials` on floats or Values.

    `forward(*inputs)` and `partials(*inputs, out)`; or, for a `variadic` op with any
    number of inputs, `forward(inputs)` and `partials(inputs, out)`.
    """

    __slots__ = ('name', 'forward', 'partials', 'variadic')

    def __init__(self, name, forward, partials, variadic=False):
        self.name = name
        self.forward = forward
        self.partials = partials
        self.variadic = variadic

    def __repr__(self):
        return f"Op({self.name!r})"

    def __reduce__(self):  # pickled by name: the functions are looked up, not stored
        return (_table_op, (self.name,))


ONES = (1.0, 1.0)
ADD_NEG = (1.0, -1.0)
MINUS_ONE = (-1.0,)
RELU_ON = (1.0,)
NO_FLOW = ()  # every partial is zero: nothing flows back through the node


class _Constant(tuple):
    """The `_local` of a leaf made from a number in an expression (the 2 of `x * 2`): empty,
    as every leaf's, but telling (`engine.constant`)."""

    __slots__ = ()

    def __repr__(self):
        return 'CONSTANT'

    def __reduce__(self):
        return 'CONSTANT'


CONSTANT = _Constant()


def _sign(x):
    x = data(x)
    return (x > 0) - (x < 0) + 0.0


#  name               forward                 partials(*inputs, out)
ADD = Op('+',         lambda x, y: x + y,     lambda x, y, out: ONES)
SUB = Op('-',         lambda x, y: x - y,     lambda x, y, out: ADD_NEG)
MUL = Op('*',         lambda x, y: x * y,     lambda x, y, out: (y, x))
DIV = Op('/',         _div,                   lambda x, y, out: (1.0 / y, -out / y))
POW = Op('**',        _pow,                   lambda x, y, out: (power_partial(x, y),
                                                                 exponent_partial(x, out)))
NEG = Op('neg',       lambda x: -x,           lambda x, out: MINUS_ONE)
EXP = Op('exp',       _exp,                   lambda x, out: (out,))
LOG = Op('log',       _log,                   lambda x, out: (1.0 / x,))
SQRT = Op('sqrt',     _sqrt,                  lambda x, out: (0.5 * pow_(x, -0.5),))
TANH = Op('tanh',     math.tanh,              lambda x, out: (1.0 - out * out,))
SIGMOID = Op('sigmoid', _sigmoid,             lambda x, out: (out * (1.0 - out),))
RELU = Op('ReLU',     lambda x: 0.0 if x <= 0 else x,
                                              lambda x, out: RELU_ON if data(x) > 0 else NO_FLOW)
SIN = Op('sin',       _sin,                   lambda x, out: (cos(x),))
COS = Op('cos',       _cos,                   lambda x, out: (-sin(x),))
ABS = Op('abs',       abs,                    lambda x, out: (_sign(x),))


class HandWritten:
    """The rule of a node whose `_backward` was written by hand, as in micrograd 0.1.0.

    `function()` adds the node's `.grad` times its local derivatives into its inputs'
    `.grad`. `backward()` calls it in its turn; `grad()` calls it with the `.grad` fields
    it reads and writes set for the call and restored after, so it writes nothing lasting.
    Every call of a closure holds one lock, so closures never run at once; but a closure
    can only work through `.grad`, so a `grad()` through one is not safe beside a
    `backward()` in another thread on a graph that shares its inputs. A closure has no
    derivative of its own, so `create_graph=True` cannot go through it: that is a
    `RuntimeError`, before anything changes.
    """

    __slots__ = ('function',)

    def __init__(self, function):
        self.function = function

    def __repr__(self):
        return f"HandWritten({getattr(self.function, '__qualname__', self.function)!r})"

    def __reduce__(self):
        raise TypeError("cannot pickle a Value whose _backward was written by hand (a "
                        "closure); write the operation as a rule in micrograd.ops to pickle it")


# `sum(numbers, start)` added floats one by one, left to right, up to Python 3.11; from 3.12
# on it compensates for rounding, which can differ in the last bit from a chain of `+`.
add_up = sum if sys.version_info < (3, 12) else functools.partial(functools.reduce, operator.add)


# a neuron's weighted sum as one node, over the inputs (w0 .. wn-1, x0 .. xn-1, b): one node
# and one multiply-add per edge instead of 2n nodes. Summed as `b + w0*x0 + w1*x1 + ...`,
# the order of micrograd's `sum(..., b)`, so the numbers are the same to the last bit.
# Its rules take the inputs as one sequence (it has any number of them).

def _linear(inputs):
    n = len(inputs) // 2
    return add_up(map(operator.mul, inputs[:n], inputs[n:2 * n]), inputs[-1])


def _linear_partials(inputs, out):
    n = len(inputs) // 2
    return (*inputs[n:2 * n], *inputs[:n], 1.0)  # d/dw_i = x_i, d/dx_i = w_i, d/db = 1


def _relu_linear(inputs):
    z = _linear(inputs)
    return 0.0 if z <= 0 else z


def _relu_linear_partials(inputs, out):
    return _linear_partials(inputs, out) if data(out) > 0 else NO_FLOW


LINEAR = Op('w·x+b',  _linear,                _linear_partials, variadic=True)
# a ReLU neuron in one node: ReLU's derivative is 1 or 0, so the node's partials are the
# weighted sum's own, or none at all
RELU_LINEAR = Op('ReLU(w·x+b)', _relu_linear, _relu_linear_partials, variadic=True)


TABLE = {op.name: op for op in (ADD, SUB, MUL, DIV, POW, NEG, EXP, LOG, SQRT, TANH, SIGMOID,
                                RELU, SIN, COS, ABS, LINEAR, RELU_LINEAR)}


def _table_op(name):
    return TABLE[name]


def _remember(cache, key, op):
    """`op`, kept in `cache` under `key`; a cache holds a few hundred rules at most."""
    if len(cache) >= 512:
        cache.clear()
    cache[key] = op
    return op


class PowConst(Op):
    """`x ** c` for a fixed number `c`: one input, named like micrograd (`**2`).

    Its derivative on floats is `c * out / x`, from the power at hand (no second pow),
    wherever |x| lies strictly between `low` and `high`: there x, out = x**c, c * out and
    the derivative are all normal floats, so the shortcut is exact to rounding. Elsewhere
    (near 0, infinite, nan, where a number under- or overflows, or c = 0) it is
    `c * x**(c-1)`. The interval is worked out once per exponent, with a margin.
    """

    __slots__ = ('exponent', 'low', 'high')

    def __init__(self, exponent):
        self.exponent = float(exponent)
        self.low, self.high = _shortcut_interval(self.exponent)
        super().__init__(f'**{exponent}', self._forward, self._partials)

    def __reduce__(self):
        return (pow_const, (self.exponent,))

    def _forward(self, x):
        return _pow(x, self.exponent)

    def _partials(self, x, out):
        if type(x) is float:
            return (self.local(x, out),)
        return (power_partial(x, self.exponent),)

    def local(self, x, out):
        """d(x**c)/dx on floats, given out = x**c (the engine's `**` calls it)."""
        if self.low < abs(x) < self.high:
            return self.exponent * out / x
        return power_partial(x, self.exponent)


# natural logarithms of the smallest normal and the largest float, each with a margin of 2
_LOG_LOW, _LOG_HIGH = math.log(sys.float_info.min) + 2, math.log(sys.float_info.max) - 2


def _shortcut_interval(c):
    """(low, high): where log|x|, log|x**c|, log|c x**c| and log|c x**(c-1)| all lie within
    the logarithms of normal floats; (1, 1), empty, for c = 0 or not finite."""
    if c == 0 or not math.isfinite(c):
        return 1.0, 1.0
    low, high = _LOG_LOW, _LOG_HIGH  # bounds on t = log|x|
    shift = math.log(abs(c))
    for slope, offset in ((c, 0.0), (c, shift), (c - 1.0, shift)):  # slope * t + offset
        if slope == 0:
            if not _LOG_LOW <= offset <= _LOG_HIGH:
                return 1.0, 1.0
            continue
        a, b = (_LOG_LOW - offset) / slope, (_LOG_HIGH - offset) / slope
        low, high = max(low, min(a, b)), min(high, max(a, b))
    if low >= high:
        return 1.0, 1.0
    return math.exp(low), math.exp(high)


_pow_ops = {}


def pow_const(exponent):
    """The (shared) `PowConst` rule for `exponent` (2 and 2.0 apart: named `**2`, `**2.0`)."""
    key = (type(exponent), exponent)
    try:
        return _pow_ops[key]
    except KeyError:
        return _remember(_pow_ops, key, PowConst(exponent))
