"""The floors: each workload by hand, on plain floats, with no graph at all.

The same network, initialisation, data, loss and update as the workloads of
`workloads.py`, with a hand-written backward pass: micrograd's demo step (on each of its
variants), the tanh network (the library's and the lecture's: the same network), the
primitive chain. Also a PyTorch eager version of the demo step on 0-d float64 tensors.
Run as `python bench/floor.py floor [VARIANT]|floor-inference|tanh|chain NODES|torch`;
prints one JSON object.
"""

import json
import math
import sys

from workloads import DEMO_VARIANTS, SIZES, chain_nodes, init_layers, moons, timed

ALPHA = 1e-4


def init():
    """The demo's parameters: micrograd's draws (seed 1337), zero biases."""
    return init_layers(SIZES, "micrograd", 1337)


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


def floor_step(variant="demo", repeat=5):
    config = DEMO_VARIANTS[variant]
    layers = init_layers(SIZES, config["init"], config["seed"])
    LR = config["lr"]
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


def tanh_floor(repeat=5):
    """The tanh network 2-16-16-1 (tanh on every layer), squared error, SGD at lr 0.05:
    the floor of both `tanh_mlp_step` and `lecture_step`."""
    layers = init_layers(SIZES, "uniform-bias", 5)
    X, y = moons(100)
    losses = []

    def step():
        grads = [[[0.0] * len(neuron) for neuron in layer] for layer in layers]
        loss = 0.0
        for xi, yi in zip(X, y):
            acts = [xi]
            for layer in layers:
                out = []
                for neuron in layer:
                    z = neuron[-1]
                    for w, a in zip(neuron, acts[-1]):
                        z += w * a
                    out.append(math.tanh(z))
                acts.append(out)
            error = acts[-1][0] - yi
            loss += error ** 2
            delta = [2 * error]  # d loss / d output
            for k in range(len(layers) - 1, -1, -1):
                inputs, back = acts[k], [0.0] * len(acts[k])
                for neuron, g, d, o in zip(layers[k], grads[k], delta, acts[k + 1]):
                    d *= 1 - o * o  # through the tanh
                    for i, a in enumerate(inputs):
                        g[i] += d * a
                        back[i] += d * neuron[i]
                    g[-1] += d
                delta = back
        losses.append(loss)
        for layer, glayer in zip(layers, grads):
            for neuron, g in zip(layer, glayer):
                for i in range(len(neuron)):
                    neuron[i] -= 0.05 * g[i]

    return {"seconds": timed(step, repeat), "first_loss": losses[0]}


def chain_floor(nodes=40_000, repeat=5):
    """`workloads.chain` on floats: y = 1 / (relu(y * c + k) + one), forward and the
    gradients of y and of the shared c, k, one by hand."""
    c, k, one = 1.0001, 0.1, 1.0
    real = chain_nodes(nodes)
    result = []

    def forward_backward():
        ys, ons = [0.5], []
        y = 0.5
        for _ in range(nodes // 4):
            z = y * c + k
            on = z > 0
            y = ((z if on else 0.0) + one) ** -1
            ys.append(y)
            ons.append(on)
        g, gc_, gk, gone = 1.0, 0.0, 0.0, 0.0
        for i in range(len(ons) - 1, -1, -1):
            y_out = ys[i + 1]
            g *= -1.0 * y_out * y_out  # d(u ** -1)/du
            gone += g
            if not ons[i]:
                g = 0.0
                break
            gc_ += g * ys[i]
            gk += g
            g *= c
        result[:] = [y + gc_]

    total = timed(forward_backward, repeat)
    return {"total_per_node": total / real, "check": result[0]}


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
                p -= DEMO_VARIANTS['demo']['lr'] * p.grad
        losses.append(total.item())

    return {"seconds": timed(step, repeat), "first_loss": losses[0]}


if __name__ == "__main__":
    run = {"floor": floor_step, "floor-inference": floor_inference, "tanh": tanh_floor,
           "chain": chain_floor, "torch": torch_step}
    args = [int(a) if a.isdigit() else a for a in sys.argv[2:]]
    print(json.dumps(run[sys.argv[1]](*args)))
