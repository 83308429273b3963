"""Neurons, layers and multi-layer perceptrons built from `Value`s.

Compatible with micrograd 0.1.0: the same names, parameter order (each neuron: its
weights, then its bias), initialisation (`random.uniform(-1, 1)` from the global `random`
module, so `random.seed(1337)` gives the same network) and `repr`. Differences: a layer
of one neuron may be a hidden layer, a model called with the wrong number of inputs
raises `ValueError` instead of silently dropping inputs, the activation can be chosen,
and an optional `rng` (a `random.Random`) makes initialisation reproducible on its own.
"""

import json
import numbers
import random
from pathlib import Path

from .engine import Value, _weighted_sum

ACTIVATIONS = ('relu', 'tanh', 'sigmoid', 'linear')


class Module:
    """Something with parameters: `parameters()`, `named_parameters()`, `zero_grad()`."""

    def zero_grad(self):
        """Set the gradient of every parameter to zero."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        """The parameters as a list of Values, in a fixed order."""
        return [p for _, p in self.named_parameters()]

    def named_parameters(self):
        """(name, Value) pairs, such as ('layers.0.neurons.3.w.1', Value(...)).

        A module that only defines `parameters()`, as in micrograd 0.1.0, gets the names
        '0', '1', ... in that order.
        """
        if type(self).parameters is Module.parameters:
            return []
        return [(str(i), p) for i, p in enumerate(self.parameters())]

    def state_dict(self):
        """The parameters as a plain dict of lists of floats (JSON-serialisable).

        Keys group a neuron's weights: {'layers.0.neurons.0.w': [...], '...b': [0.0], ...}.
        """
        state = {}
        for name, p in self.named_parameters():
            key, index = _state_key(name)
            values = state.setdefault(key, [])
            values.extend([None] * (index + 1 - len(values)))
            values[index] = float(p.data)
        return state

    def load_state_dict(self, state):
        """Set every parameter from `state` (as made by `state_dict`).

        Every name, length and number is checked first; on any mismatch a `ValueError`
        says what, and no parameter has changed.
        """
        if not isinstance(state, dict):
            raise TypeError(f"load_state_dict: state must be a dict, got {type(state).__name__}")
        mine = self.state_dict()
        missing, unexpected = sorted(mine.keys() - state.keys()), sorted(state.keys() - mine)
        if missing or unexpected:
            raise ValueError(f"load_state_dict: missing {_few(missing)}, "
                             f"unexpected {_few(unexpected)}")
        numbers_ = {}
        for key, values in mine.items():
            given = state[key]
            if not isinstance(given, (list, tuple)) or len(given) != len(values):
                size = len(given) if isinstance(given, (list, tuple)) else type(given).__name__
                raise ValueError(f"load_state_dict: {key!r} needs {len(values)} numbers, "
                                 f"got {size}")
            numbers_[key] = [_state_number(key, x) for x in given]
        for name, p in self.named_parameters():
            key, index = _state_key(name)
            p.data = numbers_[key][index]


def _state_number(key, x):
    """A state-dict entry as a float, or a ValueError naming the key (checked up front)."""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        try:
            return float(x)
        except OverflowError:
            pass
    raise ValueError(f"load_state_dict: {key!r} holds {x!r:.40}, not a float")


def _few(names, most=5):
    """A short listing of names for an error message."""
    if not names:
        return 'nothing'
    shown = ', '.join(repr(n) for n in names[:most])
    return f"[{shown}{f', ... ({len(names)} in all)' if len(names) > most else ''}]"


def _state_key(name):
    """'layers.0.neurons.3.w.1' -> ('layers.0.neurons.3.w', 1); 'x.b' -> ('x.b', 0)."""
    key, _, last = name.rpartition('.')
    return (key, int(last)) if key and last.isdigit() else (name, 0)


def _inputs(x, nin, model):
    """`x` as a list of `nin` Values (numbers become leaves once, shared by all neurons);
    a lone number or Value counts as a list of one."""
    if isinstance(x, (Value, numbers.Real)):
        x = [x]
    x = [xi if isinstance(xi, Value) else Value(xi) for xi in x]
    if len(x) != nin:
        raise ValueError(f"{type(model).__name__} takes {nin} input{'s' if nin != 1 else ''}, "
                         f"got {len(x)}")
    return x


class Neuron(Module):
    """`activation(w . x + b)`; `nonlin=False` (micrograd's flag) means linear."""

    def __init__(self, nin, nonlin=True, activation=None, rng=None):
        if not isinstance(nin, numbers.Integral) or nin < 1:
            raise ValueError(f"Neuron(nin) needs a positive whole number of inputs, got {nin!r}")
        if activation is None:
            activation = 'relu' if nonlin else 'linear'
        elif not nonlin and activation != 'linear':
            raise ValueError(f"Neuron: nonlin=False contradicts activation={activation!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"Neuron(activation) must be one of {ACTIVATIONS}, got {activation!r}")
        rng = rng or random
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.activation = activation

    @property
    def nonlin(self):
        """micrograd's flag: False for a linear neuron; setting it picks relu or linear."""
        return self.activation != 'linear'

    @nonlin.setter
    def nonlin(self, value):
        self.activation = 'relu' if value else 'linear'

    def __call__(self, x):
        return self.forward(_inputs(x, len(self.w), self))

    def forward(self, x, data=None):
        """The output for a checked list of input Values (`data`: their numbers, when at
        hand). One node, the same numbers as micrograd's `sum((wi * xi for ...), self.b)`
        and the ReLU after it; a tanh or sigmoid neuron has a node of its own for that."""
        if data is None:
            data = [v.data for v in x]
        activation = self.activation
        act = _weighted_sum(self.w, x, self.b, data, relu=activation == 'relu')
        return act if activation in ('relu', 'linear') else getattr(act, activation)()

    def named_parameters(self):
        return [(f'w.{i}', w) for i, w in enumerate(self.w)] + [('b', self.b)]

    def __repr__(self):
        name = 'ReLU' if self.activation == 'relu' else self.activation.capitalize()
        return f"{name}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons that see the same inputs; one neuron's layer returns a Value."""

    def __init__(self, nin, nout, **kwargs):
        if not isinstance(nout, numbers.Integral) or nout < 1:
            raise ValueError(f"Layer(nout) needs a positive whole number of neurons, got {nout!r}")
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        out = self.forward(x)
        return out[0] if len(out) == 1 else out

    def forward(self, x):
        """The outputs as a list, even for a single neuron."""
        return self._forward(_inputs(x, len(self.neurons[0].w), self))

    def _forward(self, x):
        data = [v.data for v in x]  # read once for all the neurons
        return [n.forward(x, data) for n in self.neurons]

    def named_parameters(self):
        return [(f'neurons.{i}.{name}', p)
                for i, n in enumerate(self.neurons) for name, p in n.named_parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: `activation` hidden layers, then a linear output layer.

    >>> model = MLP(2, [16, 16, 1])       # ReLU hidden layers, as micrograd
    >>> y = model([1.0, -2.0])             # a Value (a list for several outputs)
    """

    def __init__(self, nin, nouts, activation='relu', output_activation='linear', rng=None):
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP(nouts) needs at least one layer size")
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng=rng,
                             activation=output_activation if i == last else activation)
                       for i in range(len(nouts))]

    def __call__(self, x):
        x = _inputs(x, len(self.layers[0].neurons[0].w), self)
        for layer in self.layers:
            x = layer._forward(x)
        return x[0] if len(x) == 1 else x

    def named_parameters(self):
        return [(f'layers.{i}.{name}', p)
                for i, layer in enumerate(self.layers) for name, p in layer.named_parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


# -- saving and loading -----------------------------------------------------------------

FORMAT = 'micrograd.nn/1'


def save(model, path):
    """Write an `MLP`'s architecture and parameters to `path` as JSON."""
    if not isinstance(model, MLP):
        raise TypeError(f"save: model must be an MLP, got {type(model).__name__}")
    document = {
        'format': FORMAT,
        'nin': len(model.layers[0].neurons[0].w),
        'nouts': [len(layer.neurons) for layer in model.layers],
        'activations': [[n.activation for n in layer.neurons] for layer in model.layers],
        'state': model.state_dict(),
    }
    Path(path).write_text(json.dumps(document, indent=1))
    return Path(path)


def load(path):
    """The `MLP` saved in `path` by `save`, with the same parameters and activations.

    The whole file is checked before a model is built: a `ValueError` names the file and
    what is wrong with it.
    """
    try:
        document = json.loads(Path(path).read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"load: {path} is not a model saved by micrograd.nn.save ({e})") from None
    nin, nouts, activations = _check_document(document, path)
    model = MLP(nin, nouts, rng=random.Random(0))
    for layer, names in zip(model.layers, activations):
        for neuron, activation in zip(layer.neurons, names):
            neuron.activation = activation
    try:
        model.load_state_dict(document['state'])
    except (TypeError, ValueError) as e:
        raise ValueError(f"load: {path}: {e}") from None
    return model


def _check_document(document, path):
    """(nin, nouts, activations) of a saved model, or a ValueError saying what is wrong."""
    def bad(what):
        return ValueError(f"load: {path}: {what}")

    if not isinstance(document, dict) or document.get('format') != FORMAT:
        raise ValueError(f"load: {path} is not a model saved by micrograd.nn.save")
    nin, nouts = document.get('nin'), document.get('nouts')
    activations, state = document.get('activations'), document.get('state')
    sizes = [nin, *nouts] if isinstance(nouts, list) and nouts else None
    if not sizes or not all(type(n) is int and n > 0 for n in sizes):
        raise bad(f"'nin' and 'nouts' must be positive whole numbers, got {nin!r}, {nouts!r}")
    if not isinstance(state, dict):
        raise bad("'state' must be a dict of lists of numbers")
    expected = 2 * sum(nouts)  # a weights list and a bias list per neuron
    if len(state) != expected:
        raise bad(f"'state' has {len(state)} entries; {nouts} neurons need {expected}")
    if (not isinstance(activations, list) or [len(a) if isinstance(a, list) else None
                                              for a in activations] != nouts):
        raise bad("'activations' must list one activation per neuron")
    for layer in activations:
        for name in layer:
            if name not in ACTIVATIONS:
                raise bad(f"unknown activation {name!r}")
    return nin, nouts, activations
