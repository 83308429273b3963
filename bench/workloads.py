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


def demo_step(repeat=5):
    """One full-batch step of micrograd's demo: MLP(2, [16, 16, 1]), 100 moons, hinge + L2."""
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    X, y = moons(100)
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
            p.data -= 0.1 * p.grad
        losses.append(total.data)

    seconds = timed(step, repeat)
    return {"seconds": seconds, "first_loss": losses[0]}


def chain(n, c, k, one):
    y = Value(0.5)
    for _ in range(n // 4):
        y = ((y * c + k).relu() + one) ** -1
    return y


def primitive_chain(nodes=40_000, repeat=5):
    """A chain of *, +, relu, **-1 (nothing to fuse): seconds and bytes per node."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * nodes))  # micrograd recurses
    c, k, one = Value(1.0001), Value(0.1), Value(1.0)

    def forward_backward():
        chain(nodes, c, k, one).backward()

    forward = timed(lambda: chain(nodes, c, k, one), repeat)
    total = timed(forward_backward, repeat)
    gc.collect()
    tracemalloc.start()
    y = chain(nodes, c, k, one)
    built = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del y
    return {"forward_per_node": forward / nodes, "total_per_node": total / nodes,
            "bytes_per_node": built / nodes}


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


WORKLOADS = {"demo": demo_step, "chain": primitive_chain, "deep": deep_chain,
             "inference": inference}

if __name__ == "__main__":
    name = sys.argv[1]
    print(json.dumps(WORKLOADS[name](*map(int, sys.argv[2:]))))
