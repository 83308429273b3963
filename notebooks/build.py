"""Writes and runs the notebooks: `python notebooks/build.py [NAME ...]`.

Each notebook is written here as a list of cells (`md(...)` and `code(...)`), executed
with a real kernel and saved with its outputs, so it reads well on a code host. The test
suite runs the saved notebooks again (tests/test_notebooks.py).
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
NOTEBOOKS = {}


def notebook(fn):
    """Register a function returning the cells of `<its name>.ipynb`."""
    NOTEBOOKS[fn.__name__] = fn
    return fn


def md(text):
    """A Markdown cell."""
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text):
    """A code cell."""
    return nbformat.v4.new_code_cell(text.strip())


def build(name, timeout=600):
    """Write notebooks/<name>.ipynb from its cells, run it, save it with its outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = NOTEBOOKS[name]()
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3',
                                 'language': 'python'}
    NotebookClient(nb, timeout=timeout, kernel_name='python3', record_timing=False,
                   resources={'metadata': {'path': str(HERE)}}).execute()
    path = HERE / f'{name}.ipynb'
    nbformat.write(nb, path)
    return path


@notebook
def trace_graph():
    """Graphs of an expression and of a neuron."""
    return [
        md("""
# Tracing the graph

Every operation on `Value`s records a node. `draw_dot` draws the graph with graphviz:
one record per value (`label | data | grad`) and one small node per operation."""),
        code("""
from micrograd import Value, draw_dot

x = Value(1.0, label='x')
y = (x * 2 + 1).relu()
y.label = 'y'
y.backward()
draw_dot(y)"""),
        md("""
## A neuron

Karpathy's lecture neuron, built by hand: `o = tanh(x1*w1 + x2*w2 + b)`. The gradients
on the picture are those of the lecture: `x1` -1.5, `w1` 1.0, `x2` 0.5, `w2` 0.0."""),
        code("""
x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')
w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')
b = Value(6.8813735870195432, label='b')
x1w1 = x1 * w1
x2w2 = x2 * w2
n = x1w1 + x2w2 + b
o = n.tanh()
x1w1.label, x2w2.label, n.label, o.label = 'x1*w1', 'x2*w2', 'n', 'o'
o.backward()
assert [round(v.grad, 4) for v in (x1, w1, x2, w2)] == [-1.5, 1.0, 0.5, 0.0]
draw_dot(o, show_order=True)"""),
        md("""
`show_order=True` numbers the values in the order `backward()` visits them. The same
numbers appear in the step-by-step table:"""),
        code("""
from micrograd import explain

explain(o)"""),
        md("""
## A neuron of `micrograd.nn`

In `micrograd.nn` a neuron is one node with an edge per input: `ReLU(w·x+b)` for a
hidden ReLU neuron, `w·x+b` for the linear output (a tanh or sigmoid neuron draws its
activation as a node of its own). `model=` names the parameters by their place in the
model."""),
        code("""
import random

from micrograd.nn import MLP

model = MLP(3, [2, 1], rng=random.Random(0))
out = model([Value(1.0, label='a'), Value(-2.0, label='b'), Value(0.5, label='c')])
out.label = 'out'
out.backward()
draw_dot(out, model=model)"""),
        md("Top to bottom, and with each neuron drawn as one value:"),
        code("draw_dot(out, model=model, rankdir='TB', collapse=True)"),
    ]


@notebook
def higher_order():
    """Second derivatives, a Hessian, Newton's method."""
    return [
        md("""
# Second derivatives, Hessians and Newton's method

With `create_graph=True` a gradient is itself a `Value` with a history, so it can be
differentiated again."""),
        code("""
from micrograd import Value, grad

x = Value(2.0)
y = x ** 3                                   # y = x^3
(dy,) = grad(y, [x], create_graph=True)      # 3x^2 = 12
(d2y,) = grad(dy, [x], create_graph=True)    # 6x = 12
(d3y,) = grad(d2y, [x])                      # 6
print(dy.data, d2y.data, d3y)
assert (dy.data, d2y.data, d3y) == (12.0, 12.0, 6.0)"""),
        md("""
## The Hessian of the Rosenbrock function

f(x, y) = (1 - x)^2 + 100 (y - x^2)^2 has its minimum at (1, 1), where the Hessian is
[[802, -400], [-400, 200]]."""),
        code("""
def rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2

def hessian(f, point):
    xs = [Value(p) for p in point]
    first = grad(f(*xs), xs, create_graph=True)
    return [grad(g, xs) for g in first]

H = hessian(rosenbrock, [1.0, 1.0])
print(H)
assert H == [[802.0, -400.0], [-400.0, 200.0]]"""),
        md("""
## Newton's method

Newton's method steps by -H^-1 g. On the Rosenbrock function, from (-1.2, 1), it
reaches the minimum in a handful of steps, where gradient descent needs thousands."""),
        code("""
def newton(f, point, steps):
    path = [tuple(point)]
    for _ in range(steps):
        xs = [Value(p) for p in point]
        g = grad(f(*xs), xs, create_graph=True)
        (a, b), (c, d) = [grad(gi, xs) for gi in g]
        det = a * d - b * c
        gx, gy = g[0].data, g[1].data
        point = [point[0] - (d * gx - b * gy) / det, point[1] - (-c * gx + a * gy) / det]
        path.append(tuple(point))
    return path

path = newton(rosenbrock, [-1.2, 1.0], 8)
for k, (px, py) in enumerate(path):
    print(f"step {k}: x = {px:.6f}, y = {py:.6f}, f = {rosenbrock(Value(px), Value(py)).data:.3e}")
assert abs(path[-1][0] - 1) < 1e-9 and abs(path[-1][1] - 1) < 1e-9"""),
        md("""
## Checking derivatives

`gradcheck` and `gradgradcheck` compare the engine with central finite differences."""),
        code("""
from micrograd import gradcheck, gradgradcheck

print(gradcheck(rosenbrock, [-0.3, 0.8]), gradgradcheck(rosenbrock, [-0.3, 0.8]))"""),
    ]


@notebook
def demo():
    """The moons demo end to end, with pictures."""
    return [
        md("""
# Training a small network on two moons

micrograd's demo: `MLP(2, [16, 16, 1])` (two ReLU hidden layers of 16, a linear output),
the hinge (max-margin) loss with L2 regularisation, and SGD with a learning rate that
falls from 1.0 to 0.1. This is what `make demo` runs."""),
        code("""
import random

from micrograd import Value, data, draw_dot, losses, no_grad
from micrograd.nn import MLP
from micrograd.optim import SGD, linear_decay

X, y = data.make_moons(100, noise=0.1, seed=1337, labels=(-1, 1))
model = MLP(2, [16, 16, 1], rng=random.Random(1337))
print(model)
print("parameters:", len(model.parameters()))"""),
        code("""
steps = 100
optimizer = SGD(model.parameters(), lr=linear_decay(1.0, 0.1, steps))
history = []
for k in range(steps):
    scores = [model(x) for x in X]
    loss = losses.hinge(scores, y) + 1e-4 * sum(p * p for p in model.parameters())
    accuracy = sum((s.data > 0) == (t > 0) for s, t in zip(scores, y)) / len(y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    history.append((loss.data, accuracy))
    if k % 10 == 9:
        print(f"step {k + 1}: loss {loss.data:.4f}, accuracy {100 * accuracy:.0f}%")
assert history[-1][1] == 1.0"""),
        md("The decision boundary, computed without recording a graph (`no_grad`):"),
        code("""
import matplotlib.pyplot as plt

grid = [i / 20 for i in range(-30, 51)]
gy = [j / 20 for j in range(-25, 36)]
with no_grad():
    Z = [[model([a, b]).data for a in grid] for b in gy]
fig, ax = plt.subplots(figsize=(5, 4))
ax.contourf(grid, gy, [[z > 0 for z in row] for row in Z], levels=[-0.5, 0.5, 1.5],
            colors=['#f4c7c3', '#c6dbef'])
ax.contour(grid, gy, Z, levels=[0.0], colors='k', linewidths=1)
ax.scatter([p[0] for p in X], [p[1] for p in X], c=['#d62728' if t < 0 else '#1f77b4' for t in y],
           s=16, edgecolors='k', linewidths=0.5)
plt.show()"""),
        code("""
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3))
left.plot([h[0] for h in history])
left.set(title='loss', yscale='log', xlabel='step')
right.plot([100 * h[1] for h in history], color='tab:green')
right.set(title='accuracy (%)', xlabel='step')
plt.show()"""),
        md("One neuron of the trained model on one input, with its gradients:"),
        code("""
x = [Value(v, label=f"x{i}") for i, v in enumerate(X[0])]
out = model.layers[0].neurons[0](x)
out.label = 'out'
model.zero_grad()  # show d out / d w, not the gradients training left behind
out.backward()
draw_dot(out, model=model)"""),
    ]


@notebook
def backprop_by_hand():
    """Classic worked examples of backpropagation, recomputed."""
    return [
        md("""
# Backpropagation by hand, checked by the engine

Classic worked examples of backpropagation, recomputed with micrograd, so that you can
find an error in your own arithmetic line by line."""),
        md("""
## 1. A 2-3-2-1 sigmoid network

Inputs x1 = 0.6 and x2 = 0.7; hidden neurons 3, 4, 5, then 6, 7, then the output 8;
sigmoid everywhere, no biases; target t = 0.9, error E = (t - o8)^2 / 2; learning rate
0.3 and momentum 0.1. The tutorial's delta of a neuron is d_j = -dE/dnet_j: for the
output, d8 = (t - o8) o8 (1 - o8); for a hidden neuron, d_j = o_j (1 - o_j) sum_k w_jk d_k."""),
        code("""
from micrograd import Value, explain
from micrograd.optim import SGD

X = {1: 0.6, 2: 0.7}
W0 = {(1, 3): -1.0, (2, 3): 1.0, (1, 4): 2.5, (2, 4): 0.4, (1, 5): 1.0, (2, 5): -1.5,
      (3, 6): 2.2, (4, 6): -1.4, (5, 6): 0.56, (3, 7): 0.34, (4, 7): 1.05, (5, 7): 3.1,
      (6, 8): 0.75, (7, 8): -0.22}
LAYERS = [[1, 2], [3, 4, 5], [6, 7], [8]]
TARGET = 0.9
weights = {ij: Value(w, label=f"w{ij[0]}{ij[1]}") for ij, w in W0.items()}

def forward():
    out = {i: Value(x, label=f"x{i}") for i, x in X.items()}
    nets = {}
    for prev, layer in zip(LAYERS, LAYERS[1:]):
        for j in layer:
            nets[j] = sum((weights[i, j] * out[i] for i in prev[1:]),
                          weights[prev[0], j] * out[prev[0]])
            nets[j].label = f"net{j}"
            out[j] = nets[j].sigmoid()
            out[j].label = f"o{j}"
    error = (TARGET - out[8]) ** 2 / 2
    error.label = 'E'
    return error, nets, out

error, nets, out = forward()
error.backward()
print("forward:")
for j in range(3, 9):
    print(f"  net{j} = {nets[j].data:9.6f}   o{j} = {out[j].data:.6f}")
print(f"  E = {error.data:.6f}")
print("deltas, d_j = -dE/dnet_j:")
for j in range(3, 9):
    print(f"  d{j} = {-nets[j].grad:+.6f}")"""),
        md("""
The same deltas from the formulas, with plain floats, as on paper:"""),
        code("""
import math

o = dict(X)
for prev, layer in zip(LAYERS, LAYERS[1:]):
    for j in layer:
        o[j] = 1 / (1 + math.exp(-sum(W0[i, j] * o[i] for i in prev)))
d = {8: (TARGET - o[8]) * o[8] * (1 - o[8])}
for layer, nxt in [([6, 7], [8]), ([3, 4, 5], [6, 7])]:
    for i in layer:
        d[i] = o[i] * (1 - o[i]) * sum(W0[i, j] * d[j] for j in nxt)
for j in range(3, 9):
    assert abs(d[j] - (-nets[j].grad)) < 1e-15, j
    print(f"d{j}: by hand {d[j]:+.6f}, engine {-nets[j].grad:+.6f}")"""),
        md("""
**The sign of d3.** d3 = o3 (1 - o3) (w36 d6 + w37 d7) = 0.2494 x (2.2 x 0.016022 +
0.34 x (-0.001590)) = +0.008655. A widely copied printed version of this example gives
d3 a negative sign; with it, w13 and w23 would move the wrong way. The engine cannot
make that slip: it never writes a delta, it multiplies local derivatives. What it
reports is the gradient dE/dnet3 = -0.008655: the tutorial's delta with the opposite
sign, by definition (d = -dE/dnet). Keep the two conventions apart and the numbers
agree to the last digit."""),
        code("""
explain(error)['net3']"""),
        md("""
### The weight updates

Each weight moves by dw(t) = -0.3 dE/dw + 0.1 dw(t-1), which is what
`SGD(lr=0.3, momentum=0.1)` does. On the first step there is no earlier update, so the
momentum term is zero; it shows on the second step."""),
        code("""
optimizer = SGD(list(weights.values()), lr=0.3, momentum=0.1)
optimizer.step()
print("after step 1:")
for (i, j), w in weights.items():
    by_hand = W0[i, j] + 0.3 * d[j] * o[i]
    assert abs(w.data - by_hand) < 1e-15
    print(f"  w{i}{j} = {w.data:+.6f}   (0.3 x d{j} x o{i} = {0.3 * d[j] * o[i]:+.6f})")
first_step = {ij: w.data - W0[ij] for ij, w in weights.items()}

optimizer.zero_grad()
error, nets, out = forward()
error.backward()
before = {ij: w.data for ij, w in weights.items()}
optimizer.step()
print(f"step 2: E was {error.data:.6f}")
for ij, w in weights.items():
    expected = before[ij] - 0.3 * w.grad + 0.1 * first_step[ij]
    assert abs(w.data - expected) < 1e-15
print("step 2 matches dw = -0.3 dE/dw + 0.1 dw(step 1) for every weight")"""),
        md("""
## 2. One sigmoid neuron, 10,000 steps

Three inputs, no bias, trained full-batch on [[0,0,1], [1,1,1], [1,0,1], [0,1,1]] ->
[0, 1, 1, 0] from the weights [-0.16595599, 0.44064899, -0.99977125], with
E = sum (y - o)^2 / 2 and a step of 1. The published result is the weights
[9.67299303, -0.2078435, -4.62963669] and an output of 0.99993704 for [1, 0, 0]."""),
        code("""
from micrograd import linear

inputs = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
targets = [0, 1, 1, 0]
w = [Value(-0.16595599), Value(0.44064899), Value(-0.99977125)]
zero = Value(0.0)
optimizer = SGD(w, lr=1.0)
for _ in range(10_000):
    outputs = [linear(w, x, zero).sigmoid() for x in inputs]
    error = sum(((t - o) ** 2 for o, t in zip(outputs, targets)), Value(0.0)) / 2
    optimizer.zero_grad()
    error.backward()
    optimizer.step()
prediction = linear(w, [1, 0, 0], zero).sigmoid().data
print([round(p.data, 8) for p in w], round(prediction, 8))
assert [round(p.data, 8) for p in w] == [9.67299303, -0.2078435, -4.62963669]
assert round(prediction, 8) == 0.99993704"""),
        md("""
## 3. f(x, y) = x^2 + xy + (x + y)^2

By hand: df/dx = 2x + y + 2(x + y) and df/dy = x + 2(x + y). At x = 3, y = 2 that is 18
and 13. `x` and `y` each feed three operations; the picture shows the gradients summed
over those uses."""),
        code("""
from micrograd import draw_dot

x, y = Value(3.0, label='x'), Value(2.0, label='y')
f = x ** 2 + x * y + (x + y) ** 2
f.label = 'f'
f.backward()
assert (x.grad, y.grad) == (2 * 3 + 2 + 2 * 5, 3 + 2 * 5) == (18.0, 13.0)
draw_dot(f)"""),
        md("""
## 4. A chain of neurons with one weight each

x -> sigmoid(w1 x) -> sigmoid(w2 h1) -> sigmoid(w3 h2) = o, with L = (y - o)^2. The chain
rule by hand is a product of local derivatives:
dL/dw3 = -2 (y - o) o (1 - o) h2, and each earlier weight adds a factor w h (1 - h)."""),
        code("""
x, target = 1.5, 0.2
ws = [Value(0.5, label='w1'), Value(-1.2, label='w2'), Value(0.8, label='w3')]
h = Value(x, label='x')
hs = [h.data]
for k, wk in enumerate(ws, 1):
    h = (wk * h).sigmoid()
    h.label = f"h{k}"
    hs.append(h.data)
loss = (target - h) ** 2
loss.label = 'L'
loss.backward()

dL_dnet = -2 * (target - hs[3]) * hs[3] * (1 - hs[3])  # through the last sigmoid
by_hand = []
for k in (3, 2, 1):
    by_hand.append(dL_dnet * hs[k - 1])  # dL/dw_k = dL/dnet_k * h_(k-1)
    if k > 1:  # down through neuron k-1: times w_k, times its sigmoid's slope
        dL_dnet *= ws[k - 1].data * hs[k - 1] * (1 - hs[k - 1])
for k, g in zip((3, 2, 1), by_hand):
    print(f"dL/dw{k}: by hand {g:+.8f}, engine {ws[k - 1].grad:+.8f}")
    assert abs(g - ws[k - 1].grad) < 1e-15
explain(loss)"""),
    ]


if __name__ == '__main__':
    for name in sys.argv[1:] or sorted(NOTEBOOKS):
        print(f"wrote {build(name)}")
