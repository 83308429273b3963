"""Benchmark workloads, written against micrograd 0.1.0's public API only.

Run as `python bench/workloads.py NAME [SIZE]`; prints one JSON object. `bench/run.py`
runs each workload in a process of its own, once with this package and once with
micrograd 0.1.0 on PYTHONPATH, so both run exactly the same code.
"""

import gc
import json
import math
import random
import statistics
import sys
import time
import tracemalloc

from micrograd.engine import Value
from micrograd.nn import MLP


def moons(n, noise=0.1, seed=0):
    """Two interleaving half circles (the formula of scikit-learn's make_moons)."""
    rng = random.Random(seed)
    outer, inner = n // 2, n - n // 2
    points, labels = [], []
    for i in range(outer):
        t = math.pi * i / (outer - 1)
        points.append([math.cos(t), math.sin(t)])
        labels.append(-1)
    for i in range(inner):
        t = math.pi * i / (inner - 1)
        points.append([1 - math.cos(t), 1 - math.sin(t) - 0.5])
        labels.append(1)
    points = [[x + rng.gauss(0, noise), y + rng.gauss(0, noise)] for x, y in points]
    return points, labels


def timed(fn, repeat):
    """Median seconds of `repeat` calls of fn, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# The demo step on several workloads: an initialisation and a learning rate each.
# 'demo' is micrograd's own (seed 1337, its uniform weights and zero biases); the others
# start elsewhere, so that other neurons are alive and other points inside the margin.
DEMO_VARIANTS = {
    "demo": {"seed": 1337, "lr": 0.1, "init": "micrograd"},
    "seed7-lr0.05": {"seed": 7, "lr": 0.05, "init": "micrograd"},
    "gauss-bias0.1-lr0.02": {"seed": 3, "lr": 0.02, "init": "gauss"},
}
SIZES = [2, 16, 16, 1]


def init_layers(sizes, init, seed):
    """Parameters neuron by neuron, [weights..., bias], in micrograd's order. 'micrograd':
    uniform(-1, 1) weights drawn as micrograd draws them, zero biases; 'gauss': weights
    gauss(0, sqrt(2 / nin)) and biases 0.1; 'uniform-bias': weights and biases both
    uniform(-1, 1), as the lecture's own neurons draw them."""
    rng = random.Random(seed) if init != "micrograd" else None
    if init == "micrograd":
        random.seed(seed)
    layers = []
    for nin, nout in zip(sizes, sizes[1:]):
        layer = []
        for _ in range(nout):
            if init == "micrograd":
                layer.append([random.uniform(-1, 1) for _ in range(nin)] + [0.0])
            elif init == "gauss":
                layer.append([rng.gauss(0, (2 / nin) ** 0.5) for _ in range(nin)] + [0.1])
            else:
                layer.append([rng.uniform(-1, 1) for _ in range(nin + 1)])
        layers.append(layer)
    return layers


def set_parameters(parameters, layers):
    """Give a model's parameters (micrograd's order) the numbers of `layers`."""
    numbers = [p for layer in layers for neuron in layer for p in neuron]
    assert len(numbers) == len(parameters)
    for p, number in zip(parameters, numbers):
        p.data = number


def demo_step(variant="demo", repeat=5):
    """One full-batch step of micrograd's demo: MLP(2, [16, 16, 1]), 100 moons, hinge + L2."""
    config = DEMO_VARIANTS[variant]
    model = MLP(2, SIZES[1:])
    set_parameters(model.parameters(), init_layers(SIZES, config["init"], config["seed"]))
    X, y = moons(100)
    lr = config["lr"]
    losses = []

    def step():
        inputs = [list(map(Value, row)) for row in X]
        scores = list(map(model, inputs))
        data_loss = sum((1 + -yi * si).relu() for yi, si in zip(y, scores)) * (1.0 / len(X))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(total.data)

    seconds = timed(step, repeat)
    return {"seconds": seconds, "first_loss": losses[0]}


def tanh_mlp_step(repeat=5):
    """The library's tanh network, `MLP(2, [16, 16, 1], activation='tanh',
    output_activation='tanh')`, squared error on 100 moons, one SGD step (lr 0.05)."""
    from micrograd.nn import MLP as LibraryMLP  # ours only: 0.1.0 has no activations
    model = LibraryMLP(2, SIZES[1:], activation="tanh", output_activation="tanh")
    set_parameters(model.parameters(), init_layers(SIZES, "uniform-bias", 5))
    X, y = moons(100)
    losses = []

    def step():
        loss = sum((model(x) - yi) ** 2 for x, yi in zip(X, y))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
        losses.append(loss.data)

    return {"seconds": timed(step, repeat), "first_loss": losses[0]}


# -- code the way users write it: the lecture's own network, on our Value ---------------
# Unchanged lecture-style code: neurons, layers and the network are the user's classes,
# built from primitive operations (`*`, `+` through `sum`, `tanh`); nothing fused.

class LectureNeuron:
    def __init__(self, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]  # noqa: RUF005 (as the lecture writes it)


class LectureLayer:
    def __init__(self, nin, nout):
        self.neurons = [LectureNeuron(nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]


class LectureMLP:
    def __init__(self, nin, nouts):
        sz = [nin] + nouts  # noqa: RUF005
        self.layers = [LectureLayer(sz[i], sz[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


def lecture_step(repeat=5):
    """The lecture's training step: a tanh MLP 2-16-16-1 of the user's own neurons,
    squared error on 100 moons, zero the gradients, backward, SGD (lr 0.05)."""
    model = LectureMLP(2, SIZES[1:])
    set_parameters(model.parameters(), init_layers(SIZES, "uniform-bias", 5))
    X, y = moons(100)
    losses = []

    def step():
        ypred = [model(x) for x in X]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(y, ypred))
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data += -0.05 * p.grad
        losses.append(loss.data)

    return {"seconds": timed(step, repeat), "first_loss": losses[0]}


def chain_nodes(n):
    """The nodes of `chain(n, ...)`: five a link, `n` counting four (as it always has)."""
    return n // 4 * 5


def chain(n, c, k, one):
    y = Value(0.5)
    for _ in range(n // 4):
        y = ((y * c + k).relu() + one) ** -1
    return y


def primitive_chain(nodes=40_000, repeat=5):
    """A chain of *, +, relu, +, **-1 (nothing to fuse, five nodes a link): seconds and
    bytes per node (`nodes` counts four a link, as before; per node is per real node)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * nodes + 1000))  # 0.1.0 recurses
    c, k, one = Value(1.0001), Value(0.1), Value(1.0)
    real = chain_nodes(nodes)

    def forward_backward():
        y = chain(nodes, c, k, one)
        y.backward()
        return y

    forward = timed(lambda: chain(nodes, c, k, one), repeat)
    total = timed(forward_backward, repeat)
    gc.collect()
    tracemalloc.start()
    y = chain(nodes, c, k, one)
    built = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del y
    c.grad = 0.0
    y = forward_backward()
    return {"forward_per_node": forward / real, "total_per_node": total / real,
            "bytes_per_node": built / real, "check": y.data + c.grad}


def scaling(nodes):
    """Forward plus backward per node of the primitive chain at one size, for the scaling
    series (best of 3 below 300k nodes, else one run: 0.1.0 at a million takes a while)."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * nodes + 1000))
    c, k, one = Value(1.0001), Value(0.1), Value(1.0)
    times = []
    for _ in range(3 if nodes < 300_000 else 1):
        start = time.perf_counter()
        chain(nodes, c, k, one).backward()
        times.append(time.perf_counter() - start)
    return {"total_per_node": min(times) / chain_nodes(nodes)}


def deep_chain(nodes=1_000_000):
    """A chain a million nodes deep at the default recursion limit: time and peak memory."""
    tracemalloc.start()
    start = time.perf_counter()
    x = Value(1.0)
    y = x
    for _ in range(nodes):
        y = -y
    built = time.perf_counter()
    try:
        y.backward()
        error = None
    except RecursionError:
        error = "RecursionError"
    done = time.perf_counter()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"forward": built - start, "backward": done - built, "peak_bytes": peak,
            "error": error, "grad_ok": error is None and x.grad == 1.0}


def inference(repeat=5):
    """The demo model's forward pass over 100 points without recording (no_grad)."""
    try:
        from micrograd import no_grad
    except ImportError:  # micrograd 0.1.0 has no no_grad: it records the graph anyway
        import contextlib
        no_grad = contextlib.nullcontext
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    X, _ = moons(100)

    def forward():
        with no_grad():
            return [model(row).data for row in X]

    return {"seconds": timed(forward, repeat), "first": forward()[0]}


WORKLOADS = {"demo": demo_step, "tanh-mlp": tanh_mlp_step, "lecture": lecture_step,
             "chain": primitive_chain, "scaling": scaling, "deep": deep_chain,
             "inference": inference}

if __name__ == "__main__":
    name = sys.argv[1]
    args = [int(a) if a.isdigit() else a for a in sys.argv[2:]]
    print(json.dumps(WORKLOADS[name](*args)))
