"""Every primitive, one helper: closed form, backward, grad, second derivative, FD, PyTorch.

Each primitive is declared once as a `Primitive`: a function of Values (the same function is
applied to torch tensors), its closed-form value and derivatives written from calculus with
`math`, the `_op` name a picture of the graph shows, and the points to check it at.
`check_primitive` does all the checks at one point; every primitive/point is its own test.
"""

import math

import pytest

import micrograd
from micrograd import Value

from conftest import require_module

REL = 1e-9  # closed forms and PyTorch: both are float64, so this is generous
FD_REL, FD_ABS = 1e-6, 1e-9  # central differences are only good to about sqrt(eps)
SATURATED = 1e-15  # tanh/sigmoid far out: the true derivative is ~1e-22 and floats give 0

LN2 = math.log(2.0)
INF, NAN = math.inf, math.nan


# -- closed forms --------------------------------------------------------------------------

def power(x, e):
    """x ** e on floats, with the limit inf where 0 is raised to a negative power."""
    if x == 0 and e < 0:
        return INF
    return float(x) ** e


def sech2(x):
    """sech(x)**2 = 4 e^(-2|x|) / (1 + e^(-2|x|))**2, which cannot overflow."""
    e = math.exp(-2.0 * abs(x))
    return 4.0 * e / (1.0 + e) ** 2


def sigmoid(x):
    # an identity independent of the engine's formula: sigmoid(x) = (1 + tanh(x/2)) / 2
    return 0.5 * (1.0 + math.tanh(0.5 * x))


def sigmoid_d1(x):
    return 0.25 * sech2(0.5 * x)


def sigmoid_d2(x):
    return -0.25 * sech2(0.5 * x) * math.tanh(0.5 * x)


def sign(x):
    return (x > 0) - (x < 0) + 0.0


def pow_value_d1(x, y):
    """(d/dx, d/dy) of x ** y. d/dy is 0 at x == 0 and nan for x < 0, as PyTorch."""
    dx = 0.0 if y == 0 else y * power(x, y - 1)
    if x > 0:
        dy = x ** y * math.log(x)
    else:
        dy = 0.0 if x == 0 else NAN  # x**y log x -> 0 as x -> 0+ (y > 0)
    return dx, dy


def pow_value_d2(x, y):
    dxx = 0.0 if y in (0, 1) else y * (y - 1) * power(x, y - 2)
    if x > 0:
        log_x = math.log(x)
        dxy = x ** (y - 1) * (1.0 + y * log_x)
        dyy = x ** y * log_x * log_x
    elif x == 0:
        dxy = power(x, y - 1)  # the y x**(y-1) log x term -> 0 as x -> 0+ (y > 1)
        dyy = 0.0
    else:
        dxy = dyy = NAN
    return ((dxx, dxy), (dxy, dyy))


# -- the table of primitives under test --------------------------------------------------

class Point:
    """Where to check a primitive: its arguments, whether a finite difference makes sense
    there (not at a kink or the edge of the domain), the second partials (i, j) where
    PyTorch itself is wrong and so is no oracle, and the second partials that are
    singular (taken through an infinite first derivative: the engine documents 0 there)."""

    def __init__(self, *args, fd=True, torch_wrong=(), singular=()):
        self.args = tuple(float(a) for a in args)
        self.fd = fd
        self.torch_wrong = frozenset(torch_wrong)
        self.singular = frozenset(singular)

    def __repr__(self):
        return ",".join(repr(a) for a in self.args)


def at(*args, fd=True, torch_wrong=(), singular=()):
    return Point(*args, fd=fd, torch_wrong=torch_wrong, singular=singular)


class Primitive:
    """`fn` of Values (and of torch tensors); `f`, `d1`, `d2` the closed forms.

    For one argument `d1` and `d2` return numbers; for two, `d1` returns the two partials
    and `d2` the 2x2 matrix of second partials.
    """

    def __init__(self, name, fn, f, d1, d2, points, op, abs_tol=0.0):
        self.name, self.fn, self.f, self.d1, self.d2 = name, fn, f, d1, d2
        self.op = op
        self.abs_tol = abs_tol
        self.points = [p if isinstance(p, Point) else
                       Point(*p) if isinstance(p, tuple) else Point(p) for p in points]


def pow_const(c, points):
    """`x ** c` for a number c."""
    return Primitive(
        f"x**{c}", lambda x: x ** c,
        lambda x: power(x, c),
        lambda x: 0.0 if c == 0 else c * power(x, c - 1),
        lambda x: 0.0 if c in (0, 1) else c * (c - 1) * power(x, c - 2),
        list(points), op=f"**{c}")


# PyTorch masks d(x**y)/dx to 0 where y == 0, which also cuts its derivative wrt y
TORCH_MASKS_EXPONENT_0 = {(0, 1)}
# at x == 0 PyTorch's where() in d(x**y)/dy lets 0 * log'(0) = nan into its derivatives
TORCH_WHERE_AT_BASE_0 = {(1, 0), (1, 1)}

ORDINARY = [-2.0, -0.5, 0.0, 0.7, 3.0]

PRIMITIVES = [
    # + - * / between Value and Value
    Primitive("x+y", lambda x, y: x + y, lambda x, y: x + y,
              lambda x, y: (1.0, 1.0), lambda x, y: ((0.0, 0.0), (0.0, 0.0)),
              [(1.5, -2.0), (-3.0, 0.25), (0.0, 0.0), (1e300, -1e300)], op="+"),
    Primitive("x-y", lambda x, y: x - y, lambda x, y: x - y,
              lambda x, y: (1.0, -1.0), lambda x, y: ((0.0, 0.0), (0.0, 0.0)),
              [(1.5, -2.0), (-3.0, 0.25), (0.0, 0.0)], op="-"),
    Primitive("x*y", lambda x, y: x * y, lambda x, y: x * y,
              lambda x, y: (y, x), lambda x, y: ((0.0, 1.0), (1.0, 0.0)),
              [(2.0, -3.0), (-0.5, 4.0), (0.0, 7.0), (-1.25, -0.0)], op="*"),
    Primitive("x/y", lambda x, y: x / y, lambda x, y: x / y,
              lambda x, y: (1.0 / y, -x / y ** 2),
              lambda x, y: ((0.0, -1.0 / y ** 2), (-1.0 / y ** 2, 2.0 * x / y ** 3)),
              [(3.0, 2.0), (-1.5, 0.25), (0.0, -4.0), (1e-3, 1e3), (5.0, -1e-4)], op="/"),
    # ... with a number on the right
    Primitive("x+2", lambda x: x + 2, lambda x: x + 2.0, lambda x: 1.0, lambda x: 0.0,
              ORDINARY, op="+"),
    Primitive("x-2", lambda x: x - 2, lambda x: x - 2.0, lambda x: 1.0, lambda x: 0.0,
              ORDINARY, op="-"),
    Primitive("x*2", lambda x: x * 2, lambda x: 2.0 * x, lambda x: 2.0, lambda x: 0.0,
              ORDINARY, op="*"),
    Primitive("x/2", lambda x: x / 2, lambda x: x / 2.0, lambda x: 0.5, lambda x: 0.0,
              ORDINARY, op="/"),
    # ... with a number on the left
    Primitive("2+x", lambda x: 2 + x, lambda x: 2.0 + x, lambda x: 1.0, lambda x: 0.0,
              ORDINARY, op="+"),
    Primitive("1-x", lambda x: 1 - x, lambda x: 1.0 - x, lambda x: -1.0, lambda x: 0.0,
              ORDINARY, op="-"),
    Primitive("2*x", lambda x: 2 * x, lambda x: 2.0 * x, lambda x: 2.0, lambda x: 0.0,
              ORDINARY, op="*"),
    Primitive("1/x", lambda x: 1 / x, lambda x: 1.0 / x, lambda x: -1.0 / x ** 2,
              lambda x: 2.0 / x ** 3, [-2.0, -1e-3, 1e-3, 0.5, 7.0, 1e100], op="/"),
    # the same Value on both sides of *
    Primitive("x*x", lambda x: x * x, lambda x: x ** 2, lambda x: 2.0 * x, lambda x: 2.0,
              [-1.5, 0.0, 2.0], op="*"),
    Primitive("-x", lambda x: -x, lambda x: -x, lambda x: -1.0, lambda x: 0.0,
              ORDINARY, op="neg"),
    # ** with a number exponent; base 0 with a positive exponent included
    pow_const(2, [-3.0, -0.5, 0.0, 1.5, 4.0]),
    pow_const(3, [-2.0, 0.0, 2.5]),
    pow_const(-1, [-2.0, 0.5, 3.0]),
    pow_const(0.5, [1e-8, 0.25, 9.0, at(0.0, fd=False, singular={(0, 0)})]),
    pow_const(-2.5, [1e-3, 0.7, 4.0]),
    pow_const(0, [-2.0, 3.0, 0.0]),
    # ** with a Value exponent
    Primitive("x**y", lambda x, y: x ** y, lambda x, y: power(x, y), pow_value_d1, pow_value_d2,
              [(2.0, 3.0), (0.5, -1.5), (3.0, 0.5), (0.25, 2.5),
               at(1.5, 0.0, torch_wrong=TORCH_MASKS_EXPONENT_0),
               at(-2.0, 3.0), at(-2.0, 2.0),
               at(-0.5, -3.0),
               at(0.0, 2.0, torch_wrong=TORCH_WHERE_AT_BASE_0),
               at(0.0, 2.5, fd=False, torch_wrong=TORCH_WHERE_AT_BASE_0),
               at(0.0, 3.0, fd=False, torch_wrong=TORCH_WHERE_AT_BASE_0),
               at(0.0, 0.0, fd=False, singular={(0, 1), (1, 0)},
                  torch_wrong={(0, 0), (1, 1)})], op="**"),
    Primitive("2**x", lambda x: 2 ** x, lambda x: 2.0 ** x, lambda x: LN2 * 2.0 ** x,
              lambda x: LN2 * LN2 * 2.0 ** x, [-3.0, 0.0, 0.5, 10.0, -1000.0], op="**"),
    # elementary functions
    Primitive("exp", lambda x: x.exp(), math.exp, math.exp, math.exp,
              [-1000.0, -700.0, -2.0, 0.0, 1.0, 50.0, 700.0], op="exp"),
    Primitive("log", lambda x: x.log(), math.log, lambda x: 1.0 / x,
              lambda x: -(1.0 / x) * (1.0 / x),
              [1e-8, 1e-300, 0.5, 1.0, 3.0, 1e100, 1e300], op="log"),
    Primitive("sqrt", lambda x: x.sqrt(), math.sqrt, lambda x: 0.5 * power(x, -0.5),
              lambda x: -0.25 * power(x, -1.5),
              [1e-12, 1e-8, 0.25, 2.0, 1e10, at(0.0, fd=False, singular={(0, 0)})],
              op="sqrt"),
    Primitive("tanh", lambda x: x.tanh(), math.tanh, sech2,
              lambda x: -2.0 * math.tanh(x) * sech2(x),
              [-1000.0, -50.0, -2.0, -0.5, 0.0, 0.3, 1.0, 50.0, 1000.0], op="tanh",
              abs_tol=SATURATED),
    Primitive("sigmoid", lambda x: x.sigmoid(), sigmoid, sigmoid_d1, sigmoid_d2,
              [-1000.0, -50.0, -3.0, 0.0, 0.5, 4.0, 50.0, 1000.0], op="sigmoid",
              abs_tol=SATURATED),
    Primitive("relu", lambda x: x.relu(), lambda x: max(x, 0.0),
              lambda x: 1.0 if x > 0 else 0.0, lambda x: 0.0,
              [-2.0, -1e-300, at(0.0, fd=False), 1e-300, 0.5, 3.0], op="ReLU"),
    Primitive("sin", lambda x: x.sin(), math.sin, math.cos, lambda x: -math.sin(x),
              [-3.0, 0.0, 1.0, 2.0, 100.0], op="sin"),
    Primitive("cos", lambda x: x.cos(), math.cos, lambda x: -math.sin(x),
              lambda x: -math.cos(x), [-3.0, 0.0, 1.0, 2.0, 100.0], op="cos"),
    Primitive("abs(x)", lambda x: abs(x), abs, sign, lambda x: 0.0,
              [-2.5, at(0.0, fd=False), 1.0], op="abs"),
    Primitive("x.abs()", lambda x: x.abs(), abs, sign, lambda x: 0.0,
              [-2.5, at(0.0, fd=False), 1.0], op="abs"),
]


# -- the helper ----------------------------------------------------------------------------

def close(expected, abs_tol=0.0, rel=REL):
    return pytest.approx(expected, rel=rel, abs=abs_tol, nan_ok=True)


def fd_step(x):
    return 1e-6 * abs(x) if x else 1e-6


def check_primitive(torch, spec, point):
    """Check `spec` at `point` against its closed form, finite differences and PyTorch."""
    args = point.args
    n = len(args)
    tol = spec.abs_tol
    value = spec.f(*args)
    d1 = (spec.d1(*args),) if n == 1 else tuple(spec.d1(*args))
    d2 = ((spec.d2(*args),),) if n == 1 else tuple(tuple(row) for row in spec.d2(*args))

    # (a) the forward value, and the node a picture of the graph would show
    xs = [Value(a) for a in args]
    y = spec.fn(*xs)
    assert isinstance(y, Value)
    assert type(y.data) is float
    assert y.data == close(value, tol), "forward value"
    assert y._op == spec.op

    # (b) first derivatives: from backward() into .grad, and from grad()
    y.backward()
    for i, x in enumerate(xs):
        assert x.grad == close(d1[i], tol), f"backward: d/d{i}"
    xs = [Value(a) for a in args]
    y = spec.fn(*xs)
    first = micrograd.grad(y, xs)
    assert len(first) == n
    for i in range(n):
        assert first[i] == close(d1[i], tol), f"grad(): d/d{i}"
    assert all(x.grad == 0.0 for x in xs), "grad() must leave .grad alone"

    # (c) second derivatives: grad() of a grad() recorded with create_graph=True
    first_graph = micrograd.grad(y, xs, create_graph=True)
    second = []
    for i in range(n):
        assert isinstance(first_graph[i], Value)
        assert first_graph[i].data == close(d1[i], tol), f"grad(create_graph): d/d{i}"
        second.append(micrograd.grad(first_graph[i], xs))
        for j in range(n):
            if (i, j) in point.singular:
                assert second[i][j] == 0.0, "through an infinite derivative: 0, as documented"
                continue
            assert second[i][j] == close(d2[i][j], tol), f"second derivative d/d{i} d/d{j}"

    # (d) first derivatives against central differences of the forward pass
    if point.fd:
        for i in range(n):
            if not math.isfinite(d1[i]):
                continue  # e.g. d(x**y)/dy at a negative base: no real neighbourhood
            h = fd_step(args[i])

            def forward(shift, i=i, h=h):
                shifted = [a + shift * h if j == i else a for j, a in enumerate(args)]
                return spec.fn(*[Value(a) for a in shifted]).data

            estimate = (forward(1) - forward(-1)) / (2 * h)
            assert first[i] == close(estimate, FD_ABS, rel=FD_REL), f"finite difference d/d{i}"

    # (e) PyTorch in float64: value, first and second derivatives
    ts = [torch.tensor(a, requires_grad=True) for a in args]
    yt = spec.fn(*ts)
    assert yt.dtype == torch.float64
    assert y.data == close(yt.item(), tol), "value vs torch"
    gt = torch.autograd.grad(yt, ts, create_graph=True)
    for i in range(n):
        assert first[i] == close(gt[i].item(), tol), f"d/d{i} vs torch"
        if gt[i].requires_grad:
            row = torch.autograd.grad(gt[i], ts, allow_unused=True)
            row = [0.0 if g is None else g.item() for g in row]
        else:
            row = [0.0] * n  # the first derivative is a constant
        for j in range(n):
            if (i, j) not in point.torch_wrong | point.singular:
                assert second[i][j] == close(row[j], tol), f"d/d{i} d/d{j} vs torch"


def cases():
    for spec in PRIMITIVES:
        for point in spec.points:
            yield pytest.param(spec, point, id=f"{spec.name}@{point!r}")


@pytest.mark.parametrize(("spec", "point"), list(cases()))
def test_primitive(torch, spec, point):
    check_primitive(torch, spec, point)


# -- the helper is not vacuous -----------------------------------------------------------

def test_helper_catches_a_wrong_first_derivative(torch):
    wrong = Primitive("sin", lambda x: x.sin(), math.sin, lambda x: -math.cos(x),
                      lambda x: -math.sin(x), [1.0], op="sin")
    with pytest.raises(AssertionError, match="backward"):
        check_primitive(torch, wrong, wrong.points[0])


def test_helper_catches_a_wrong_second_derivative(torch):
    wrong = Primitive("x*y", lambda x, y: x * y, lambda x, y: x * y, lambda x, y: (y, x),
                      lambda x, y: ((0.0, 0.0), (0.0, 0.0)), [(2.0, 3.0)], op="*")
    with pytest.raises(AssertionError, match="second derivative"):
        check_primitive(torch, wrong, wrong.points[0])


def test_helper_catches_a_wrong_op_name(torch):
    wrong = Primitive("relu", lambda x: x.relu(), lambda x: max(x, 0.0),
                      lambda x: float(x > 0), lambda x: 0.0, [1.0], op="relu")
    with pytest.raises(AssertionError):
        check_primitive(torch, wrong, wrong.points[0])


def test_every_primitive_is_covered():
    ops = {spec.op for spec in PRIMITIVES}
    assert ops >= {'+', '-', '*', '/', 'exp', 'log', 'tanh', 'sigmoid', 'ReLU', 'sin', 'cos',
                   'abs', 'sqrt', 'neg', '**2', '**'}


# -- saturation far out: exact values, zero derivatives, no overflow ---------------------

@pytest.mark.parametrize("x", [-1000.0, -50.0, 50.0, 1000.0])
@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_saturated_values_are_exact(name, x):
    v = Value(x)
    y = getattr(v, name)()
    y.backward()
    expected = {"tanh": math.copysign(1.0, x), "sigmoid": 1.0 if x > 0 else 0.0}[name]
    if name == "sigmoid" and x == -50.0:
        assert 0.0 < y.data < 1e-21  # e^-50 is a normal float: representable, not 0
    else:
        assert y.data == expected
    assert v.grad == pytest.approx(0.0, abs=1e-21)
    assert math.isfinite(v.grad)
    second = micrograd.grad(micrograd.grad(y, [v], create_graph=True)[0], [v])[0]
    assert second == pytest.approx(0.0, abs=1e-21)


# -- the shape of the graph ----------------------------------------------------------------

@pytest.mark.parametrize("c", [2, 3, -1, 0.5, -2.5, 0])
def test_pow_number_is_one_node_with_one_input(c):
    x = Value(1.5)
    y = x ** c
    assert y._op == f"**{c}"
    assert len(y._prev) == 1
    assert y._prev[0] is x


def test_pow_two_is_named_like_micrograd():
    x = Value(3.0)
    assert (x ** 2)._op == "**2"


def test_pow_value_has_two_inputs():
    x, y = Value(2.0), Value(3.0)
    z = x ** y
    assert z._op == "**"
    assert len(z._prev) == 2
    assert z._prev[0] is x and z._prev[1] is y


def test_mul_by_itself_keeps_both_edges():
    x = Value(3.0)
    y = x * x
    assert len(y._prev) == 2
    assert y._prev[0] is x and y._prev[1] is x
    y.backward()
    assert x.grad == 6.0


@pytest.mark.parametrize(("name", "fn", "constant", "side", "op"), [
    ("2+v", lambda v: 2 + v, 2.0, 0, "+"),
    ("v+2", lambda v: v + 2, 2.0, 1, "+"),
    ("1-v", lambda v: 1 - v, 1.0, 0, "-"),
    ("v-1", lambda v: v - 1, 1.0, 1, "-"),
    ("2*v", lambda v: 2 * v, 2.0, 0, "*"),
    ("v*2", lambda v: v * 2, 2.0, 1, "*"),
    ("1/v", lambda v: 1 / v, 1.0, 0, "/"),
    ("v/2", lambda v: v / 2, 2.0, 1, "/"),
    ("2**v", lambda v: 2 ** v, 2.0, 0, "**"),
])
def test_number_operand_is_wrapped_as_a_leaf(name, fn, constant, side, op):
    v = Value(0.5)
    y = fn(v)
    assert y._op == op
    assert len(y._prev) == 2
    leaf, other = y._prev[side], y._prev[1 - side]
    assert other is v
    assert isinstance(leaf, Value)
    assert leaf is not v
    assert type(leaf.data) is float and leaf.data == constant
    assert leaf._prev == ()


@pytest.mark.parametrize(("name", "fn"), [
    ("exp", Value.exp), ("log", Value.log), ("tanh", Value.tanh), ("sigmoid", Value.sigmoid),
    ("ReLU", Value.relu), ("sin", Value.sin), ("cos", Value.cos), ("abs", abs),
    ("abs", Value.abs), ("sqrt", Value.sqrt), ("neg", lambda v: -v),
])
def test_unary_node_names_and_input(name, fn):
    x = Value(0.5)
    y = fn(x)
    assert y._op == name
    assert len(y._prev) == 1
    assert y._prev[0] is x


@pytest.mark.parametrize(("a", "b"), [(-2.0, 3.0), (-2.0, 2.0), (-0.5, -3.0)])
def test_pow_value_at_negative_base_matches_torch(torch, a, b):
    """At a negative base: value and d/dx as calculus, d/dy nan (as PyTorch)."""
    x, y = Value(a), Value(b)
    z = x ** y
    z.backward()
    assert z.data == close(a ** b)
    assert x.grad == close(b * a ** (b - 1))
    assert math.isnan(y.grad)
    first = micrograd.grad(z, [x, y], create_graph=True)
    d2x = micrograd.grad(first[0], [x, y])
    assert d2x[0] == close(b * (b - 1) * a ** (b - 2))
    assert math.isnan(d2x[1])
    xt = torch.tensor(a, requires_grad=True)
    yt = torch.tensor(b, requires_grad=True)
    gt = torch.autograd.grad(xt ** yt, [xt, yt], create_graph=True)
    assert gt[0].item() == close(x.grad)
    assert math.isnan(gt[1].item())
    d2xt = torch.autograd.grad(gt[0], [xt, yt])
    assert d2xt[0].item() == close(d2x[0])
    assert math.isnan(d2xt[1].item())


def test_pow_value_at_zero_base_has_zero_exponent_derivative(torch):
    x, y = Value(0.0), Value(2.5)
    z = x ** y
    z.backward()
    assert z.data == 0.0
    assert x.grad == 0.0
    assert y.grad == 0.0
    assert not math.isnan(y.grad)


# -- extremes of x ** c, and errors that name the function ------------------------------

@pytest.mark.parametrize(("x", "c", "expected"), [
    (1e-200, 2, 2e-200),          # x**2 underflows to 0; its derivative does not
    (1e-200, 2.0, 2e-200),
    (math.inf, 1, 1.0),           # c * out / x would be inf / inf
    (math.inf, 2, math.inf),
    (math.inf, 3, math.inf),
    (-math.inf, 3, math.inf),
    (-math.inf, 2, -math.inf),
    (math.nan, 0, 0.0),           # as PyTorch: 0 wherever the exponent is 0
    (math.inf, 0, 0.0),
    (0.0, 0, 0.0),
    (1e154, 2, 2e154),            # c * out overflows, the derivative does not
    (-1e-154, -2, math.inf),      # x**(c-1) overflows: its sign comes from the odd power
    (1e-300, -0.9, -math.inf),
    (3.0, 2, 6.0),
])
def test_power_derivative_at_extremes(torch, x, c, expected):
    v = Value(x)
    y = v ** c
    y.backward()
    recorded = micrograd.grad(v ** c, [v], create_graph=True)[0].data
    xt = torch.tensor(x, requires_grad=True)
    (xt ** c).backward()
    for found in (v.grad, recorded, xt.grad.item()):
        assert found == expected or (math.isnan(expected) and math.isnan(found))
    assert math.copysign(1, v.grad) == math.copysign(1, recorded)


@pytest.mark.parametrize("x", [1e-310, 1e-200, 0.5, 3.0, 1e100, 1e154, 1e300, math.inf])
@pytest.mark.parametrize("c", [-3, -1.5, -1, -0.5, 0, 0.5, 1, 2, 2.5, 3, 7])
def test_power_fast_path_and_table_agree_everywhere(x, c):
    from micrograd.ops import pow_const
    try:
        fast = Value(x) ** c
    except (OverflowError, ZeroDivisionError):
        return  # the forward pass itself is out of range: an error either way
    rule = pow_const(c)
    assert fast._rule is rule
    table = (rule.forward(x),), rule.partials(x, fast.data)
    assert ((fast.data,), fast._local) == table or math.isnan(fast.data)
    recorded = rule.partials(Value(x), Value(fast.data))[0]
    recorded = recorded.data if isinstance(recorded, Value) else recorded
    assert recorded == fast._local[0] or math.isclose(recorded, fast._local[0], rel_tol=1e-15)


@pytest.mark.parametrize("name", ["sin", "cos"])
@pytest.mark.parametrize("x", [math.inf, -math.inf])
def test_sin_and_cos_of_an_infinity_name_the_function_and_the_value(name, x):
    with pytest.raises(ValueError, match=rf"{name}\(\) is defined for finite numbers only, "
                                         rf"got {x!r}"):
        getattr(Value(x), name)()


def test_booleans_are_numbers_everywhere_numpy_ones_too():
    np = require_module("numpy")
    for flag in (True, np.bool_(True)):
        assert Value(flag).data == 1.0
        assert (Value(2.0) * flag).data == 2.0 and (flag + Value(1.0)).data == 2.0
        v = Value(3.0)
        v.data = flag
        assert (v * 2).data == 2.0
    assert Value(np.bool_(False)).data == 0.0


def test_an_int_too_large_for_a_float_says_so():
    for make in (lambda: Value(10 ** 400), lambda: Value(2.0) * 10 ** 400):
        with pytest.raises(OverflowError, match=r"Value data \(int of about 401 digits\) is "
                                                r"too large for a float"):
            make()
