"""Draws the pictures in README.md: `python docs/pictures.py` (needs graphviz's dot)."""

import random
from pathlib import Path

from micrograd import Value
from micrograd.__main__ import main
from micrograd.nn import MLP
from micrograd.viz import save

HERE = Path(__file__).parent

# one tanh neuron, from the command line
main(["graph", "tanh(x1*w1 + x2*w2 + b)", "x1=2", "x2=0", "w1=-3", "w2=1",
      "b=6.8813735870195432", "-o", str(HERE / "neuron.svg"), "--order"])

# a whole network on two points, each neuron drawn as one value
model = MLP(2, [4, 4, 1], rng=random.Random(0))
loss = sum(((model(x) - t) ** 2 for x, t in [([0.5, -1.0], 1.0), ([-0.3, 0.8], -1.0)]),
           Value(0.0))
loss.label = 'loss'
loss.backward()
save(loss, HERE / "mlp.svg", model=model, collapse=True)
print(f"wrote {HERE / 'mlp.svg'}")
