"""Neurons, layers and multi-layer perceptrons built from `Value`s.

Compatible with micrograd 0.1.0: the same names, parameter order (each neuron: its
weights, then its bias), initialisation (`random.uniform(-1, 1)` from the global `random`
module, so `random.seed(1337)` gives the same network) and `repr`. Differences: a layer
of one neuron may be a hidden layer, a model called with the wrong number of inputs
raises `ValueError` instead of silently dropping inputs, the activation can be chosen,
and an optional `rng` (a `random.Random`) makes initialisation reproducible on its own.
"""

import json
import math
import numbers
import random
from pathlib import Path

from .engine import Value, constant
from .fused import _weighted_sum

ACTIVATIONS = ('relu', 'tanh', 'sigmoid', 'linear')


def _named_only(module, cls):
    """Whether `module` names its parameters otherwise than `cls` does and lists them only
    by those names: its class (or the instance) has a `named_parameters` of its own and no
    `parameters`. Then its `parameters()` are the named ones. Else `cls.parameters` lists
    each part's `parameters()`, as micrograd 0.1.0 does, without building names (its
    training loop asks for them three times a step)."""
    if getattr(module.named_parameters, '__func__', None) is cls.named_parameters:
        return False  # (the usual case, first; vars(module) would slow its attributes down)
    return getattr(module.parameters, '__func__', None) is cls.parameters


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
        '0', '1', ... in that order. `Neuron`, `Layer` and `MLP` name what they are made
        of: a subclass of theirs that lists a parameter of its own in `parameters()` only
        has it trained (the optimizers, `zero_grad`), not saved (`state_dict`, `save`),
        unless it names it here too.
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

        Every name, length and number is checked first (numbers must be finite: NaN and
        infinity are refused); on any mismatch a `ValueError` says what, and no parameter
        has changed.
        """
        if not isinstance(state, dict):
            raise TypeError(f"load_state_dict: state must be a dict, got {type(state).__name__}")
        lengths = {key: len(values) for key, values in self.state_dict().items()}
        missing = sorted(lengths.keys() - state.keys())
        unexpected = sorted(state.keys() - lengths.keys(), key=str)
        if missing or unexpected:
            raise ValueError(f"load_state_dict: missing {_few(missing)}, "
                             f"unexpected {_few(unexpected)}")
        _assign(self, _check_state(lengths, state, 'load_state_dict: '))


def _check_state(lengths, state, where):
    """{key: [floats]} from `state`, whose keys are those of `lengths`: each a list of
    `lengths[key]` finite numbers, or a ValueError starting with `where`."""
    checked = {}
    for key, length in lengths.items():
        given = state[key]
        if not isinstance(given, (list, tuple)) or len(given) != length:
            size = len(given) if isinstance(given, (list, tuple)) else type(given).__name__
            raise ValueError(f"{where}{key!r} needs {length} number{'s' if length != 1 else ''}, "
                             f"got {size}")
        checked[key] = [_state_number(x, key, i, where) for i, x in enumerate(given)]
    return checked


def _state_number(x, key, index, where):
    """state[key][index] as a finite float, or a ValueError naming the key and index."""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        try:
            number = float(x)
        except OverflowError:
            pass
        else:
            if math.isfinite(number):
                return number
            raise ValueError(f"{where}{key!r}[{index}] holds {x!r:.40}, which is not finite")
    raise ValueError(f"{where}{key!r}[{index}] holds {_show(x)}, not a float")


def _assign(module, checked):
    """Set each parameter of `module` from the checked {key: [floats]} of `_check_state`."""
    for name, p in module.named_parameters():
        key, index = _state_key(name)
        p.data = checked[key][index]


def _show(x):
    """`x` for an error message: a short repr of a number or string, else its type."""
    if x is None or isinstance(x, (numbers.Number, str)):
        return f"{x!r:.40}"
    return f"a {type(x).__name__}"


def _is_size(n):
    """A layer size: a positive whole number (numpy integers too), never a bool."""
    whole = type(n) is int or (isinstance(n, numbers.Integral) and not isinstance(n, bool))
    return whole and n >= 1


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
    x = [xi if isinstance(xi, Value) else constant(xi) for xi in x]
    if len(x) != nin:
        raise ValueError(f"{type(model).__name__} takes {nin} input{'s' if nin != 1 else ''}, "
                         f"got {len(x)}")
    return x


class Neuron(Module):
    """`activation(w . x + b)`; `nonlin=False` (micrograd's flag) means linear."""

    def __init__(self, nin, nonlin=True, activation=None, rng=None):
        if not _is_size(nin):
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
        act = _weighted_sum(self.w, x, self.b, data, activation == 'relu')
        return act if activation in ('relu', 'linear') else getattr(act, activation)()

    def parameters(self):
        if _named_only(self, Neuron):
            return super().parameters()
        return [*self.w, self.b]

    def named_parameters(self):
        return [(f'w.{i}', w) for i, w in enumerate(self.w)] + [('b', self.b)]

    def __repr__(self):
        name = 'ReLU' if self.activation == 'relu' else self.activation.capitalize()
        return f"{name}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons that see the same inputs; one neuron's layer returns a Value."""

    def __init__(self, nin, nout, **kwargs):
        if not _is_size(nin):
            raise ValueError(f"Layer(nin) needs a positive whole number of inputs, got {nin!r}")
        if not _is_size(nout):
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

    def parameters(self):
        if _named_only(self, Layer):
            return super().parameters()
        return [p for n in self.neurons for p in n.parameters()]

    def named_parameters(self):
        return [(f'neurons.{i}.{name}', p)
                for i, n in enumerate(self.neurons) for name, p in n.named_parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: `activation` hidden layers, then a linear output layer.

    >>> model = MLP(2, [16, 16, 1])       # ReLU hidden layers, as micrograd
    >>> y = model([1.0, -2.0])             # a Value (a list for several outputs)

    Sizes (whole numbers, not bools) and both activations are checked here, at once.
    """

    def __init__(self, nin, nouts, activation='relu', output_activation='linear', rng=None):
        nouts = list(nouts)
        if not _is_size(nin):
            raise ValueError(f"MLP(nin) needs a positive whole number of inputs, got {nin!r}")
        if not nouts:
            raise ValueError("MLP(nouts) needs at least one layer size")
        for i, n in enumerate(nouts):
            if not _is_size(n):
                raise ValueError(f"MLP(nouts) needs positive whole numbers as layer sizes, "
                                 f"got nouts[{i}] = {n!r}")
        for name, value in (('activation', activation), ('output_activation', output_activation)):
            if value not in ACTIVATIONS:
                raise ValueError(f"MLP({name}) must be one of {ACTIVATIONS}, got {value!r}")
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

    def parameters(self):
        if _named_only(self, MLP):
            return super().parameters()
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self):
        return [(f'layers.{i}.{name}', p)
                for i, layer in enumerate(self.layers) for name, p in layer.named_parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


# -- saving and loading -----------------------------------------------------------------

FORMAT = 'micrograd.nn/1'
# What `load` accepts from a file (read at each call: raise them for bigger files you trust)
MAX_PARAMETERS = 1_000_000
MAX_FILE_BYTES = 128 * MAX_PARAMETERS  # save writes under 70 bytes a parameter


def save(model, path):
    """Write an `MLP`'s architecture and parameters to `path` as JSON.

    A model that `load` would refuse (a parameter NaN or infinite, over `MAX_PARAMETERS`
    or `MAX_FILE_BYTES`) is a `ValueError`, and nothing is written.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"save: model must be an MLP, got {type(model).__name__}")
    count = len(model.parameters())
    if count > MAX_PARAMETERS:
        raise ValueError(f"save: the model has {count} parameters, more than load accepts "
                         f"(MAX_PARAMETERS = {MAX_PARAMETERS})")
    state = model.state_dict()
    for key, values in state.items():
        for i, x in enumerate(values):
            if not math.isfinite(x):
                raise ValueError(f"save: {key!r}[{i}] is {x!r}, which is not finite "
                                 f"(load would refuse it)")
    document = {
        'format': FORMAT,
        'nin': len(model.layers[0].neurons[0].w),
        'nouts': [len(layer.neurons) for layer in model.layers],
        'activations': [[n.activation for n in layer.neurons] for layer in model.layers],
        'state': state,
    }
    text = json.dumps(document, indent=1)
    if len(text) > MAX_FILE_BYTES:
        raise ValueError(f"save: the file would be {len(text)} bytes, more than load accepts "
                         f"(MAX_FILE_BYTES = {MAX_FILE_BYTES})")
    Path(path).write_text(text, encoding='utf-8')
    return Path(path)


def load(path):
    """The `MLP` saved in `path` by `save`, with the same parameters and activations.

    The whole file is checked before a model is built: every size against the weights
    in the file, every number finite, at most `MAX_FILE_BYTES` bytes and `MAX_PARAMETERS`
    parameters. Anything wrong with the contents is a `ValueError` naming the file and
    the field. A file that cannot be read raises the `OSError` of `open`, such as
    `FileNotFoundError`.
    """
    with Path(path).open('rb') as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"load: {path} is larger than MAX_FILE_BYTES = {MAX_FILE_BYTES}")
    try:
        document = json.loads(data.decode('utf-8'))
    except (ValueError, RecursionError, MemoryError) as e:  # UnicodeDecodeError, bad JSON
        reason = 'nested too deeply' if isinstance(e, RecursionError) else (
            'too large to parse' if isinstance(e, MemoryError) else e)
        raise ValueError(f"load: {path} is not a model saved by micrograd.nn.save "
                         f"({reason})") from None
    nin, nouts, activations, checked = _check_document(document, path)
    model = MLP(nin, nouts, rng=random.Random(0))
    for layer, names in zip(model.layers, activations):
        for neuron, activation in zip(layer.neurons, names):
            neuron.activation = activation
    _assign(model, checked)
    return model


def _check_document(document, path):
    """(nin, nouts, activations, checked state) of a saved model, or a ValueError saying
    what is wrong; nothing is built, so a small file cannot ask for a huge model."""
    def bad(what):
        return ValueError(f"load: {path}: {what}")

    if not isinstance(document, dict) or document.get('format') != FORMAT:
        raise ValueError(f"load: {path} is not a model saved by micrograd.nn.save")
    nin, nouts = document.get('nin'), document.get('nouts')
    activations, state = document.get('activations'), document.get('state')
    sizes = _check_sizes(nin, nouts, bad)
    if not isinstance(state, dict):
        raise bad("'state' must be a dict of lists of numbers")
    lengths = {}
    for i, n in enumerate(nouts):
        for j in range(n):
            lengths[f'layers.{i}.neurons.{j}.w'] = sizes[i]
            lengths[f'layers.{i}.neurons.{j}.b'] = 1
    missing = sorted(lengths.keys() - state.keys())
    unexpected = sorted(state.keys() - lengths.keys())
    if missing or unexpected:
        raise bad(f"'state' has {len(state)} entries; {sum(nouts)} neurons need "
                  f"{len(lengths)}: missing {_few(missing)}, unexpected {_few(unexpected)}")
    if (not isinstance(activations, list) or len(activations) != len(nouts)
            or [len(a) if isinstance(a, list) else None for a in activations] != nouts):
        raise bad("'activations' must list one activation per neuron")
    for i, layer in enumerate(activations):
        for j, name in enumerate(layer):
            if name not in ACTIVATIONS:
                raise bad(f"unknown activation {_show(name)} at 'activations[{i}][{j}]'")
    return nin, nouts, activations, _check_state(lengths, state, f"load: {path}: ")


def _check_sizes(nin, nouts, bad):
    """[nin, *nouts], checked as sizes (as `MLP` checks them) and as at most
    `MAX_PARAMETERS` parameters in all, or bad(...) naming the field."""
    if not isinstance(nouts, list) or not nouts:
        raise bad(f"'nin' and 'nouts' must be positive whole numbers, "
                  f"got 'nouts' = {_show(nouts)}")
    sizes = [nin, *nouts]
    total = 0
    for i, n in enumerate(sizes):
        field = f"'nouts[{i - 1}]'" if i else "'nin'"
        if not _is_size(n):
            raise bad(f"'nin' and 'nouts' must be positive whole numbers, got {field} = {_show(n)}")
        if n > MAX_PARAMETERS:  # checked alone first: a huge size makes a huge product
            raise bad(f"{field} = {_show(n)} asks for more than MAX_PARAMETERS = {MAX_PARAMETERS} "
                      f"parameters")
        total += (sizes[i - 1] + 1) * n if i else 0
        if total > MAX_PARAMETERS:
            raise bad(f"'nin' and 'nouts' ask for more than MAX_PARAMETERS = {MAX_PARAMETERS} "
                      f"parameters ({total} by {field})")
    return sizes
