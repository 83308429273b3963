"""A workload that prints everything it computes, exactly: `tests/test_compiled.py` runs it
once on the compiled engine and once on the pure one (MICROGRAD_PURE=1) and compares the
two outputs line for line. Floats are printed as `float.hex`, so a difference in the last
bit shows; so are types (an int where a float was) and error messages.

    python tests/twin_script.py [SEED]
"""

import copy
import math
import operator
import pickle
import random
import sys

from cycles_script import closure_op  # tests/: the folder of this script

import micrograd
from micrograd import grad, linear, nn, no_grad
from micrograd.engine import Value

out = []


def show(*things):
    out.append(" ".join(_exact(x) for x in things))


def _exact(x):
    if isinstance(x, Value):
        return f"V({_exact(x.data)},{_exact(x.grad)},{x._op!r},{len(x._prev)})"
    if type(x) is float:
        return x.hex()
    if isinstance(x, (list, tuple)):
        return "[" + ",".join(map(_exact, x)) + "]"
    return f"{type(x).__name__}:{x!r}"


def attempt(call):
    try:
        return call()
    except (ValueError, ZeroDivisionError, OverflowError, TypeError, RuntimeError,
            AttributeError) as error:
        show("error", type(error).__name__, str(error))
        return None


UNARY = ['exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'sin', 'cos', 'abs', '__neg__']
BINARY = ['+', '-', '*', '/', '**']
SPECIAL = [0.0, -0.0, 1e-300, 5e-324, 1e308, -1e308, math.inf, -math.inf, math.nan, 2, 3, -1,
           0.5, -2.5, 1e154]


def binary(a, op, b):
    """`a op b`, for an operator named as written ('r+': the reflected form, `b + a`)."""
    if op.startswith('r'):
        return binary(b, op[1:], a)
    return {'+': operator.add, '-': operator.sub, '*': operator.mul, '/': operator.truediv,
            '**': operator.pow}[op](a, b)


def random_graph(rng, size):
    """Random nodes over a pool that grows as it goes: fan-out and reuse, every op."""
    pool = [Value(rng.uniform(-3, 3), label=f"x{i}") for i in range(6)]
    leaves = list(pool)
    for _ in range(size):
        a = rng.choice(pool[-12:] if rng.random() < 0.7 else pool)
        kind = rng.random()
        if kind < 0.35:
            name = rng.choice(UNARY)
            node = attempt(getattr(a, name))
        elif kind < 0.8:
            b, op = rng.choice(pool), rng.choice(BINARY)
            node = attempt(lambda: binary(a, op, b))  # noqa: B023 (called at once)
        else:
            c = rng.choice([*SPECIAL, rng.uniform(-4, 4)])
            op = rng.choice([*BINARY, 'r+', 'r-', 'r*', 'r/', 'r**'])
            node = attempt(lambda: binary(a, op, c))  # noqa: B023 (called at once)
        if node is not None:
            if abs(node.data) > 1e6 or node.data != node.data:  # keep most of it finite
                show("big", node)
                node = node.tanh()
            pool.append(node)
    return pool, leaves


def main(seed):
    rng = random.Random(seed)
    pool, leaves = random_graph(rng, 400)
    root = sum(pool[-30:], Value(0.0))
    show("root", root)
    root.backward()
    show("leaves", leaves)
    show("nodes", pool)
    root.backward()  # leaves accumulate, the rest afresh
    show("again", leaves, pool[-5:])
    show("grad()", grad(root, leaves))
    first = grad(root, leaves[:2], create_graph=True)
    show("second", [grad(g, leaves[:2]) for g in first])
    for x in (Value(0.7), Value(-1.3)):
        y = (x.tanh() * x.sin() + x ** 3 - x.exp() / (1 + x * x)).sigmoid()
        y.backward(create_graph=True)
        g = x.grad
        x.grad = None
        g.backward()
        show("create_graph", x, g)

    # numbers set by hand: ints and numpy numbers
    v = Value(2.0)
    v.data = 3
    w = v * v + v ** 2
    w.backward()
    show("by hand", v, w, v.data, repr(v))
    try:
        import numpy as np
        u = Value(1.5)
        u.data = np.float32(0.1)
        z = (u * 3).tanh() + u.relu()
        z.backward()
        show("numpy", u, z)
        # the chain rule where a gradient or a derivative is not a float (the compiled
        # engine adds floats in C doubles, and anything else as Python does)
        a, b, c = Value(0.25), Value(-1.5), Value(3.0)
        hand = Value(a.data * 0.3 + b.data * 2)
        hand._prev, hand._local = (a, b), (np.float32(0.3), 2)
        fused = linear([a, b], [c, hand], Value(0.5))
        top = fused * c + fused.relu() * hand
        a.grad, b.grad, c.grad = np.float64(0.5), 1, None
        top.backward(np.float32(1.5))
        show("mixed", a, b, c, hand, fused, top)
        top.backward()
        show("mixed again", a, b, c, hand, fused, top)
        a.grad, b.grad = 0, 0  # micrograd 0.1.0's zeroing: ints
        (a * -1.0 + b * 2).backward(0.0)
        show("int zeros", a, b)  # 0 + -0.0 is 0.0
    except ImportError:
        show("no numpy")
    # ints and None among gradients on the other paths: the lecture's hand-called
    # _backward(), a None before an int (_add_product), the seed, an int gradient times 0.0
    p, q = Value(2.0), Value(0.0)
    pq = p * q
    p.grad, q.grad, pq.grad = 0, 0, -1
    pq._backward()
    show("by hand, ints", p, q, pq)
    b, a = Value(0.0), Value(5.0)
    b.grad, a.grad = None, 0
    (b * a).backward(-1.0)
    show("None then 0", b, a)
    x = Value(1.0)
    x.grad = 0
    x.backward(-0.0)
    show("seed", x)
    ws, bias = [Value(1.0), Value(2.0)], Value(0.0)
    ws[0].grad, ws[1].grad, bias.grad = None, 0, 0
    linear(ws, [Value(3.0), Value(0.0)], bias).backward(-1.0)
    show("neuron None then 0", ws, bias)

    # a node made a leaf during backward, by a hand-written _backward: the same error
    class Anything:
        def __rmul__(self, other):
            return 0.0

    x, y = Value(2.0), Value(3.0)
    m = x * y
    k = Value(m.data, (m,), 'k')

    def made_a_leaf():
        m.__init__(m.data)
        m.grad = Anything()

    k._backward = made_a_leaf
    attempt(lambda: (k * 1.0).backward())

    # _local as a tuple of a class of its own: kept as a plain tuple, read in order
    class OneBased(tuple):
        def __getitem__(self, i):
            return super().__getitem__(i - 1 if isinstance(i, int) else i)

    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    n = Value(0.0)
    n._prev, n._local = (a, b, c), OneBased((10.0, 20.0, 30.0))
    (n * 1.0).backward()
    show("local of a class of its own", a, b, c, type(n._local).__name__)

    # networks: the library's MLP (ReLU and tanh), a linear() by hand, no_grad inference
    random.seed(seed)
    for kwargs in ({}, {'activation': 'tanh', 'output_activation': 'tanh'}):
        model = nn.MLP(3, [8, 8, 1], **kwargs)
        xs = [[rng.uniform(-1, 1) for _ in range(3)] for _ in range(12)]
        for _ in range(3):
            loss = sum((model(x) - 0.5) ** 2 for x in xs) * (1.0 / len(xs))
            model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= 0.1 * p.grad
            show("mlp", loss, model.parameters())
        with no_grad():
            show("inference", [model(x) for x in xs])
    ws, b = [Value(rng.uniform(-1, 1)) for _ in range(4)], Value(0.1)
    s = linear(ws, [1.0, -2.0, 3, Value(0.5)], b, relu=True)
    s.backward()
    show("linear", s, ws, b)

    # a hand-written operation (micrograd 0.1.0's way), pickle and copy
    x = Value(0.3)
    y = closure_op(x * 2) + x
    y.backward()
    show("closure", x, y)
    z = (Value(1.25) * Value(-0.5)).exp()
    for twin in (pickle.loads(pickle.dumps(z)), copy.deepcopy(z), copy.copy(z)):
        twin.backward()
        show("copied", twin, twin._prev)
    for line in out:
        print(line)
    print("compiled", micrograd.COMPILED, file=sys.stderr)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
