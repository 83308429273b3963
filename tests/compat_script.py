"""Runs on micrograd 0.1.0's public API only; prints figures to compare across packages.

Run by tests/test_compat.py twice: once against micrograd 0.1.0 from PyPI, once
against this package.
"""

import json
import math
import random

from micrograd import nn
from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Neuron


def moons(n):
    """Two interleaving half circles, a small fixed data set (pure Python)."""
    rng = random.Random(0)
    points, labels = [], []
    for i in range(n):
        t = math.pi * (i // 2) / (n // 2)
        if i % 2:
            x, y, label = math.cos(t), math.sin(t), 1
        else:
            x, y, label = 1 - math.cos(t), 0.5 - math.sin(t), -1
        points.append([x + rng.gauss(0, 0.1), y + rng.gauss(0, 0.1)])
        labels.append(label)
    return points, labels


def readme():
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return [g.data, a.grad, b.grad]


def demo(steps=3):
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    X, y = moons(40)
    history = []
    for k in range(steps):
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        history.append({
            "loss": total_loss.data,
            "accuracy": sum(accuracy) / len(accuracy),
            "grads": [p.grad for p in model.parameters()],
        })
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    return model, history


# new operations written the 0.1.0 way (a closure per node, as the lecture does), in
# Value itself and in a subclass; tests/test_custom_ops.py uses them too

def exp(x):
    out = Value(math.exp(x.data), (x,), 'exp')

    def _backward():
        x.grad += out.data * out.grad
    out._backward = _backward
    return out


def tanh(x):
    t = (math.exp(2 * x.data) - 1) / (math.exp(2 * x.data) + 1)
    out = Value(t, (x,), 'tanh')

    def _backward():
        x.grad += (1 - t ** 2) * out.grad
    out._backward = _backward
    return out


def mul(a, b, kind=Value):
    """a * b as a node of `kind` with a closure; a and b may be the same Value."""
    out = kind(a.data * b.data, (a, b), '*')

    def _backward():
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad
    out._backward = _backward
    return out


class Cube(Value):
    def cube(self):
        out = Cube(self.data ** 3, (self,), 'cube')

        def _backward():
            self.grad += 3 * self.data ** 2 * out.grad
        out._backward = _backward
        return out


class Closures(Cube):
    """A subclass whose + and * are closures of its own: 0.1.0 derives - / and the
    reflected forms from them, so those give this class too."""

    def __add__(self, other):
        other = other if isinstance(other, Value) else Closures(other)
        out = Closures(self.data + other.data, (self, other), '+')

        def _backward():
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        return mul(self, other if isinstance(other, Value) else Closures(other), Closures)


def subclass_operators():
    v, w = Closures(2.0), Closures(-3.0)
    results = [(2 * v).cube(), (1 - v) * w, v / w, -v + 3, (v - w).cube(), 5 / v, 2 + w]
    total = results[0]
    for r in results[1:]:
        total = total + r
    total.backward()
    return {"types": [type(r).__name__ for r in results], "data": [r.data for r in results],
            "grads": [v.grad, w.grad]}


def custom_operations():
    """The operations above, mixed with built-in ones."""
    x1, x2, w1, w2, b = (Value(v) for v in (2.0, 0.0, -3.0, 1.0, 6.8813735870195432))
    o = tanh(x1 * w1 + x2 * w2 + b)
    o.backward()
    a = Value(0.5)
    e = exp(a * a) * a + exp(a)  # fan-out through the closures
    e.backward()
    c = Cube(2.0)
    y = c.cube()
    y.backward()
    return [o.data, x1.grad, w1.grad, x2.grad, w2.grad, b.grad, e.data, a.grad, y.data, c.grad]


if __name__ == "__main__":
    model, history = demo()
    neuron = Neuron(3, nonlin=False)
    print(json.dumps({
        "readme": readme(),
        "repr_model": repr(model),
        "repr_layer": repr(Layer(2, 2)),
        "repr_neuron": repr(neuron),
        "repr_value": repr(Value(2.0)),
        "parameters": len(model.parameters()),
        "history": history,
        "final": [p.data for p in model.parameters()],
        "module": isinstance(model, nn.Module),
        "custom": custom_operations(),
        "subclass": subclass_operators(),
    }))
