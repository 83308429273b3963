"""The floor: micrograd's demo step by hand, on plain floats, with no graph at all.

The same network, initialisation, data, loss and update as `workloads.demo_step`, with
a hand-written backward pass. Also a PyTorch eager version on 0-d float64 tensors.
Run as `python bench/floor.py floor|floor-inference|torch`; prints one JSON object.
"""

import json
import random
import sys

from workloads import moons, timed

SIZES = [2, 16, 16, 1]
ALPHA, LR = 1e-4, 0.1


def init():
    """Weights as micrograd draws them: neuron by neuron, random.uniform(-1, 1), bias 0."""
    random.seed(1337)
    layers = []
    for nin, nout in zip(SIZES, SIZES[1:]):
        layers.append([[random.uniform(-1, 1) for _ in range(nin)] + [0.0]
                       for _ in range(nout)])
    return layers


def forward(layers, x):
    """Activations of every layer for one input (ReLU hidden layers, linear output)."""
    acts = [x]
    for k, layer in enumerate(layers):
        last = k == len(layers) - 1
        out = []
        for neuron in layer:
            z = neuron[-1]
            for w, a in zip(neuron, acts[-1]):
                z += w * a
            out.append(z if last or z > 0 else 0.0)
        acts.append(out)
    return acts


def floor_step(repeat=5):
    layers = init()
    X, y = moons(100)
    losses = []

    def step():
        grads = [[[0.0] * len(neuron) for neuron in layer] for layer in layers]
        n = len(X)
        data_loss = 0.0
        for xi, yi in zip(X, y):
            acts = forward(layers, xi)
            margin = 1 - yi * acts[-1][0]
            if margin <= 0:
                continue
            data_loss += margin
            delta = [-yi / n]  # d loss / d score
            for k in range(len(layers) - 1, -1, -1):
                inputs = acts[k]
                back = [0.0] * len(inputs)
                for neuron, g, d in zip(layers[k], grads[k], delta):
                    for i, a in enumerate(inputs):
                        g[i] += d * a
                        back[i] += d * neuron[i]
                    g[-1] += d
                if k:  # through the ReLU of the layer below
                    delta = [b if a > 0 else 0.0 for b, a in zip(back, inputs)]
        reg = 0.0
        for layer, glayer in zip(layers, grads):
            for neuron, g in zip(layer, glayer):
                for i, p in enumerate(neuron):
                    reg += p * p
                    g[i] += 2 * ALPHA * p
        losses.append(data_loss * (1.0 / n) + ALPHA * reg)
        for layer, glayer in zip(layers, grads):
            for neuron, g in zip(layer, glayer):
                for i in range(len(neuron)):
                    neuron[i] -= LR * g[i]

    return {"seconds": timed(step, repeat), "first_loss": losses[0]}


def floor_inference(repeat=5):
    layers = init()
    X, _ = moons(100)
    result = []

    def run():
        result[:] = [forward(layers, row)[-1][0] for row in X]

    return {"seconds": timed(run, repeat), "first": (run(), result[0])[1]}


def torch_step(repeat=2):
    import torch

    layers = [[[torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in neuron]
               for neuron in layer] for layer in init()]
    params = [p for layer in layers for neuron in layer for p in neuron]
    X, y = moons(100)
    losses = []

    def step():
        total_data = torch.tensor(0.0, dtype=torch.float64)
        for xi, yi in zip(X, y):
            acts = [torch.tensor(v, dtype=torch.float64) for v in xi]
            for k, layer in enumerate(layers):
                out = []
                for neuron in layer:
                    z = neuron[-1]
                    for w, a in zip(neuron, acts):
                        z = z + w * a
                    out.append(z if k == len(layers) - 1 else torch.relu(z))
                acts = out
            total_data = total_data + torch.relu(1 - yi * acts[0])
        total = total_data * (1.0 / len(X)) + ALPHA * sum(p * p for p in params)
        for p in params:
            p.grad = None
        total.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        losses.append(total.item())

    return {"seconds": timed(step, repeat), "first_loss": losses[0]}


if __name__ == "__main__":
    run = {"floor": floor_step, "floor-inference": floor_inference, "torch": torch_step}
    print(json.dumps(run[sys.argv[1]]()))
