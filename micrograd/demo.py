"""The demo: train a small network on two moons and draw what it learned.

`python -m micrograd demo` (and `make demo`) trains `MLP(2, [16, 16, 1])` with the hinge
loss, L2 regularisation and SGD, as micrograd's demo notebook does, showing a progress
bar, and writes to `out/`: the decision boundary over the data, the loss and accuracy
curves (PNG, with matplotlib) and the graph of one neuron (SVG, with graphviz).
"""

import random
from pathlib import Path

from . import data, losses
from .engine import Value
from .grad_mode import no_grad
from .nn import MLP
from .optim import SGD, linear_decay

DATASETS = {
    'moons': lambda seed: data.make_moons(100, noise=0.1, seed=seed, labels=(-1, 1)),
    'circles': lambda seed: data.make_circles(100, noise=0.05, factor=0.5, seed=seed,
                                              labels=(-1, 1)),
    'xor': lambda seed: data.xor(25, noise=0.1, seed=seed, labels=(-1, 1)),
}
ALPHA = 1e-4  # L2 regularisation strength


def _check(steps, dataset):
    if dataset not in DATASETS:
        raise ValueError(f"train(): dataset must be one of {sorted(DATASETS)}, got {dataset!r}")
    if steps < 1:
        raise ValueError(f"train(): steps must be at least 1, got {steps}")


def train(steps=100, seed=1337, dataset='moons', progress=None):
    """Train the demo model; returns (model, X, y, history of (loss, accuracy))."""
    _check(steps, dataset)
    X, y = DATASETS[dataset](seed)
    model = MLP(2, [16, 16, 1], rng=random.Random(seed))
    # micrograd's schedule: the learning rate falls from 1.0 to 0.1 over the run
    optimizer = SGD(model.parameters(), lr=linear_decay(1.0, 0.1, steps))
    history = []
    for _ in range(steps):
        scores = [model(x) for x in X]
        loss = losses.hinge(scores, y) + ALPHA * sum(p * p for p in model.parameters())
        accuracy = sum((s.data > 0) == (t > 0) for s, t in zip(scores, y)) / len(y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append((loss.data, accuracy))
        if progress:
            progress(loss.data, accuracy)
    return model, X, y, history


def plot_boundary(model, X, y, path, resolution=60):
    """The data over the sign of the model's score on a grid (PNG)."""
    from matplotlib.figure import Figure

    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    x0, x1 = min(xs) - 0.5, max(xs) + 0.5
    y0, y1 = min(ys) - 0.5, max(ys) + 0.5
    gx = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    gy = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    with no_grad():
        scores = [[model([a, b]).data for a in gx] for b in gy]
    fig = Figure(figsize=(5, 4.5))
    ax = fig.subplots()
    ax.contourf(gx, gy, [[s > 0 for s in row] for row in scores], levels=[-0.5, 0.5, 1.5],
                colors=['#f4c7c3', '#c6dbef'], alpha=0.8)
    ax.contour(gx, gy, scores, levels=[0.0], colors='k', linewidths=1)
    ax.scatter(xs, ys, c=['#d62728' if t < 0 else '#1f77b4' for t in y], s=18,
               edgecolors='k', linewidths=0.5)
    ax.set_title('decision boundary of MLP(2, [16, 16, 1])')
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def plot_curves(history, path):
    """Loss and training accuracy per step (PNG)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 3.5))
    left, right = fig.subplots(1, 2)
    left.plot([h[0] for h in history])
    left.set(title='loss (hinge + L2)', xlabel='step', yscale='log')
    right.plot([100 * h[1] for h in history], color='tab:green')
    right.set(title='training accuracy (%)', xlabel='step', ylim=(0, 101))
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def draw_neuron(model, x, path):
    """The graph of the first hidden neuron on one input, after backward (SVG)."""
    from .viz import save

    inputs = [Value(v, label=f'x{i}') for i, v in enumerate(x)]
    out = model.layers[0].neurons[0](inputs)
    out.label = 'out'
    model.zero_grad()  # the picture shows d out / d w, not what training left behind
    out.backward()
    save(out, path, model=model)


def run(steps=100, seed=1337, dataset='moons', out='out'):
    """Train with a progress bar, print a summary, write the pictures; returns history."""
    _check(steps, dataset)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    bar = _Progress(steps)
    model, X, y, history = train(steps, seed, dataset, bar.update)
    bar.close()
    loss, accuracy = history[-1]
    print(f"step {steps} of {steps}: loss {loss:.4f}, training accuracy {100 * accuracy:.0f}%")
    written = []
    try:
        plot_boundary(model, X, y, out / 'boundary.png')
        plot_curves(history, out / 'curves.png')
        written += ['boundary.png', 'curves.png']
    except ImportError:
        print("no pictures: matplotlib is missing (pip install 'micrograd[plot]')")
    try:
        draw_neuron(model, X[0], out / 'neuron.svg')
        written.append('neuron.svg')
    except (ImportError, FileNotFoundError) as e:
        print(f"no neuron graph: {e}")
    if written:
        print(f"wrote {', '.join(str(out / name) for name in written)}")
    return history


class _Progress:
    """tqdm's bar with the loss and accuracy, or a line every tenth of the run."""

    def __init__(self, steps):
        try:
            from tqdm import tqdm
            self.bar = tqdm(total=steps, desc='training', unit='step')
        except ImportError:
            self.bar = None
        self.steps, self.done = steps, 0

    def update(self, loss, accuracy):
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix(loss=f"{loss:.4f}", acc=f"{100 * accuracy:.0f}%",
                                 refresh=False)
            self.bar.update()
        elif self.done % max(1, self.steps // 10) == 0 or self.done == self.steps:
            print(f"step {self.done}/{self.steps}: loss {loss:.4f}, "
                  f"accuracy {100 * accuracy:.0f}%")

    def close(self):
        if self.bar is not None:
            self.bar.close()
