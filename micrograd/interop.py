"""Moving a multi-layer perceptron between micrograd and PyTorch.

`to_torch(mlp)` builds an `nn.Sequential` of float64 `nn.Linear` layers, each followed by
its activation module (none after a linear layer), that computes the same function as
the `MLP` with the same numbers; `from_torch(module)` reads such a stack back into an
`MLP`. The layouts match one to one: row `j` of a Linear layer's `weight` holds the
weights of neuron `j` of the micrograd layer, so `weight[j, i]` is `neuron.w[i]` and
`bias[j]` is `neuron.b`.

PyTorch is optional: importing this module does not import it, and the functions raise
an `ImportError` saying how to install it (`pip install micrograd[torch]`).
"""

import random

from .nn import MLP

_ACTIVATION_MODULES = {'relu': 'ReLU', 'tanh': 'Tanh', 'sigmoid': 'Sigmoid'}


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("micrograd.interop needs PyTorch: pip install micrograd[torch]"
                          ) from None
    return torch


def _layer_activation(layer, index):
    """The activation shared by every neuron of `layer` (a torch layer has only one)."""
    kinds = {neuron.activation for neuron in layer.neurons}
    if len(kinds) != 1:
        raise ValueError(f"to_torch(): the neurons of layer {index} mix activations "
                         f"{sorted(kinds)}; a torch layer applies one activation to all")
    return kinds.pop()


def to_torch(mlp):
    """A float64 `torch.nn.Sequential` computing the same function as `mlp`.

    Each micrograd layer becomes an `nn.Linear` (with the same weights and biases)
    followed by `nn.ReLU`, `nn.Tanh` or `nn.Sigmoid`, or by nothing for a linear layer.
    The parameters are copies: training one model leaves the other as it was. The
    module returns a tensor of shape `(..., nout)`, even for one output, where the `MLP`
    returns a `Value`. Building it draws no random numbers from torch's generator.

    >>> import random, torch
    >>> model = MLP(2, [3, 1], rng=random.Random(0))
    >>> net = to_torch(model)
    >>> out = net(torch.tensor([0.5, -1.0], dtype=torch.float64))
    >>> abs(out.item() - model([0.5, -1.0]).data) < 1e-12   # sums taken in another order
    True
    """
    torch = _torch()
    nn = torch.nn
    if not isinstance(mlp, MLP):
        raise TypeError(f"to_torch() takes a micrograd MLP, got {type(mlp).__name__}")
    modules = []
    for index, layer in enumerate(mlp.layers):
        activation = _layer_activation(layer, index)
        nin, nout = len(layer.neurons[0].w), len(layer.neurons)
        # skip_init: no random initialisation to overwrite, so torch's RNG is untouched
        linear = nn.utils.skip_init(nn.Linear, nin, nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons],
                                             dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons],
                                           dtype=torch.float64))
        modules.append(linear)
        if activation != 'linear':
            modules.append(getattr(nn, _ACTIVATION_MODULES[activation])())
    return nn.Sequential(*modules)


def _flatten(module, nn):
    """The leaf modules of nested `nn.Sequential`s, in order."""
    if type(module) is nn.Sequential:
        for child in module:
            yield from _flatten(child, nn)
    else:
        yield module


def from_torch(module):
    """An `MLP` with the same layers, activations and parameters as a torch module.

    `module` is one made by `to_torch`, or any `nn.Sequential` (nested ones are
    flattened) of `nn.Linear` layers, each optionally followed by one `nn.ReLU`,
    `nn.Tanh`, `nn.Sigmoid` or `nn.Identity` (no activation: a linear layer); a lone
    `nn.Linear` is a one-layer linear model. A Linear layer without bias gets bias 0
    (the same function; the micrograd bias is then free to train). Anything else, or
    layer sizes that do not chain, raises a `ValueError` naming it. The numbers are
    copied (as float64, whatever the module's dtype); the torch module is unchanged.

    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Tanh(),
    ...                           torch.nn.Linear(4, 1))
    >>> model = from_torch(net)
    >>> [n.activation for n in (model.layers[0].neurons[0], model.layers[1].neurons[0])]
    ['tanh', 'linear']
    """
    torch = _torch()
    nn = torch.nn
    if not isinstance(module, nn.Module):
        raise TypeError(f"from_torch() takes a torch.nn.Module, got {type(module).__name__}")
    if type(module) not in (nn.Sequential, nn.Linear):
        raise ValueError(f"from_torch() reads an nn.Sequential of Linear layers and "
                         f"activations; {type(module).__name__} is not supported")
    activations = {nn.ReLU: 'relu', nn.Tanh: 'tanh', nn.Sigmoid: 'sigmoid',
                   nn.Identity: 'linear'}
    layers = []  # [linear module, activation name or None while still unset]
    for position, child in enumerate(_flatten(module, nn)):
        kind = type(child)
        if kind is nn.Linear:
            if layers and layers[-1][0].out_features != child.in_features:
                raise ValueError(f"from_torch(): module {position}, {child}, takes "
                                 f"{child.in_features} inputs but the layer before gives "
                                 f"{layers[-1][0].out_features}")
            layers.append([child, None])
        elif kind in activations:
            if not layers:
                raise ValueError(f"from_torch(): module {position}, {child}, comes before "
                                 f"any Linear layer; a micrograd MLP starts with a layer")
            if layers[-1][1] is not None:
                raise ValueError(f"from_torch(): module {position}, {child}, follows another "
                                 f"activation; a micrograd neuron applies only one")
            layers[-1][1] = activations[kind]
        else:
            raise ValueError(f"from_torch(): module {position}, {child} "
                             f"({kind.__module__}.{kind.__name__}), is not supported; "
                             f"use Linear, ReLU, Tanh, Sigmoid or Identity")
    if not layers:
        raise ValueError("from_torch(): the module has no Linear layer")

    sizes = [linear.out_features for linear, _ in layers]
    # a private generator: building the MLP must not draw from the global `random`
    model = MLP(layers[0][0].in_features, sizes, rng=random.Random(0))
    for layer, (linear, activation) in zip(model.layers, layers):
        _copy_linear(layer, linear, activation or 'linear')
    return model


def _copy_linear(layer, linear, activation):
    weights = linear.weight.detach().cpu().double().tolist()
    biases = ([0.0] * linear.out_features if linear.bias is None
              else linear.bias.detach().cpu().double().tolist())
    for neuron, row, bias in zip(layer.neurons, weights, biases):
        neuron.activation = activation
        for w, value in zip(neuron.w, row):
            w.data = float(value)
        neuron.b.data = float(bias)
