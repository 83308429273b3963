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
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text):
    return nbformat.v4.new_code_cell(text.strip())


def build(name, timeout=600):
    """Write notebooks/<name>.ipynb from its cells, run it, save it with its outputs."""
    nb = nbformat.v4.new_notebook()
    nb.cells = NOTEBOOKS[name]()
    nb.metadata['kernelspec'] = {'name': 'python3', 'display_name': 'Python 3',
                                 'language': 'python'}
    NotebookClient(nb, timeout=timeout, kernel_name='python3',
                   resources={'metadata': {'path': str(HERE)}}).execute()
    path = HERE / f'{name}.ipynb'
    nbformat.write(nb, path)
    return path


@notebook
def trace_graph():
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

In `micrograd.nn` a neuron's weighted sum is one node (`w·x+b`) with an edge per input;
`model=` names the parameters by their place in the model."""),
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


if __name__ == '__main__':
    for name in sys.argv[1:] or sorted(NOTEBOOKS):
        print(f"wrote {build(name)}")
