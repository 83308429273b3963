"""micrograd.interop: an MLP and its PyTorch twin compute the same function and gradients."""

import math
import random
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd import Value
from micrograd.interop import from_torch, to_torch
from micrograd.nn import ACTIVATIONS, MLP

POINTS = [[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1], [1.5, 1.5, -2.5], [0.0, 0.0, 0.0]]


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-14)


def outputs(model, x):
    y = model(x)
    return [y] if isinstance(y, Value) else y


def torch_numbers_in_micrograd_order(torch, net, attribute='data'):
    """The numbers of `net`'s Linear layers (or their gradients) in micrograd's parameter
    order: neuron j's weights weight[j, 0..] then its bias[j], layer by layer."""
    numbers = []
    for module in net:
        if isinstance(module, torch.nn.Linear):
            weight = getattr(module.weight, attribute)
            bias = getattr(module.bias, attribute)
            for j in range(module.out_features):
                numbers += [*weight[j].tolist(), bias[j].item()]
    return numbers


def model_with(activation, output_activation, nouts=(5, 4, 2), seed=0):
    return MLP(3, list(nouts), activation=activation, output_activation=output_activation,
               rng=random.Random(seed))


MODELS = [(act, 'linear') for act in ACTIVATIONS] + [('relu', act) for act in ACTIVATIONS]


@pytest.mark.parametrize("activation, output_activation", MODELS)
@pytest.mark.parametrize("nouts", [(5, 4, 2), (4, 1)])
def test_to_torch_computes_the_same_outputs(torch, activation, output_activation, nouts):
    model = model_with(activation, output_activation, nouts)
    net = to_torch(model)
    for x in POINTS:
        ours = [v.data for v in outputs(model, x)]
        theirs = net(torch.tensor(x, dtype=torch.float64))
        assert theirs.dtype == torch.float64
        assert theirs.shape == (nouts[-1],)
        assert all(close(a, b) for a, b in zip(ours, theirs.tolist())), (ours, theirs)
    batch = net(torch.tensor(POINTS, dtype=torch.float64))  # a batch, row by row
    assert batch.shape == (len(POINTS), nouts[-1])
    for x, row in zip(POINTS, batch.tolist()):
        assert all(close(a.data, b) for a, b in zip(outputs(model, x), row))


@pytest.mark.parametrize("activation, output_activation", MODELS)
def test_to_torch_gives_the_same_parameter_gradients(torch, activation, output_activation):
    model = model_with(activation, output_activation)
    net = to_torch(model)
    targets = [[1.0, -1.0], [0.5, 0.0], [-1.0, 2.0], [0.3, 0.3]]

    loss = Value(0.0)
    for x, t in zip(POINTS, targets):
        for out, target in zip(outputs(model, x), t):
            loss = loss + (out - target) ** 2
    loss.backward()

    predicted = net(torch.tensor(POINTS, dtype=torch.float64))
    torch_loss = ((predicted - torch.tensor(targets, dtype=torch.float64)) ** 2).sum()
    torch_loss.backward()

    assert close(loss.data, torch_loss.item())
    ours = [p.grad for p in model.parameters()]
    theirs = torch_numbers_in_micrograd_order(torch, net, 'grad')
    assert len(ours) == len(theirs) == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2
    assert any(g != 0.0 for g in ours)
    assert all(close(a, b) for a, b in zip(ours, theirs)), list(zip(ours, theirs))


def test_to_torch_layout_and_modules(torch):
    nn = torch.nn
    model = MLP(3, [4, 4, 2], activation='tanh', output_activation='sigmoid',
                rng=random.Random(5))
    net = to_torch(model)
    assert isinstance(net, nn.Sequential)
    assert [type(m) for m in net] == [nn.Linear, nn.Tanh, nn.Linear, nn.Tanh,
                                      nn.Linear, nn.Sigmoid]
    first = net[0]
    assert (first.in_features, first.out_features) == (3, 4)
    for j, neuron in enumerate(model.layers[0].neurons):
        for i, w in enumerate(neuron.w):
            assert first.weight[j, i].item() == w.data
        assert first.bias[j].item() == neuron.b.data
    assert torch_numbers_in_micrograd_order(torch, net) == [p.data for p in model.parameters()]
    assert all(p.requires_grad and p.dtype == torch.float64 for p in net.parameters())
    # a linear layer gets no activation module; relu gets ReLU
    relu_net = to_torch(MLP(2, [3, 1]))
    assert [type(m) for m in relu_net] == [nn.Linear, nn.ReLU, nn.Linear]


def test_to_torch_is_float64_whatever_the_default_dtype(torch):
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    try:
        net = to_torch(MLP(2, [3, 1], rng=random.Random(0)))
    finally:
        torch.set_default_dtype(previous)
    assert all(p.dtype == torch.float64 for p in net.parameters())


def test_to_torch_copies_the_parameters(torch):
    model = MLP(2, [3, 1], rng=random.Random(0))
    before = [p.data for p in model.parameters()]
    net = to_torch(model)
    with torch.no_grad():
        for p in net.parameters():
            p.add_(1.0)
    assert [p.data for p in model.parameters()] == before
    model.parameters()[0].data = 42.0
    assert net[0].weight[0, 0].item() != 42.0


def test_to_torch_leaves_torch_random_state_alone(torch):
    state = torch.random.get_rng_state()
    to_torch(MLP(4, [8, 8, 1], rng=random.Random(0)))
    assert torch.equal(torch.random.get_rng_state(), state)


def test_to_torch_rejects_what_torch_cannot_express(torch):
    model = MLP(2, [3, 1], rng=random.Random(0))
    model.layers[0].neurons[1].activation = 'tanh'  # one layer, two activations
    with pytest.raises(ValueError, match=r"layer 0 .*'relu', 'tanh'"):
        to_torch(model)
    with pytest.raises(TypeError, match=r"MLP.*Layer"):
        to_torch(model.layers[0])


@pytest.mark.parametrize("activation, output_activation", MODELS)
def test_round_trip_keeps_everything(torch, activation, output_activation):
    model = model_with(activation, output_activation)
    back = from_torch(to_torch(model))
    assert isinstance(back, MLP)
    assert [(name, p.data) for name, p in back.named_parameters()] == \
           [(name, p.data) for name, p in model.named_parameters()]
    assert [n.activation for layer in back.layers for n in layer.neurons] == \
           [n.activation for layer in model.layers for n in layer.neurons]
    assert repr(back) == repr(model)
    for x in POINTS:  # the same computation in micrograd: the same numbers exactly
        assert [v.data for v in outputs(back, x)] == [v.data for v in outputs(model, x)]
    assert not set(back.parameters()) & set(model.parameters())  # new Values


@given(nin=st.integers(1, 4),
       layers=st.lists(st.tuples(st.integers(1, 5), st.sampled_from(ACTIVATIONS)),
                       min_size=1, max_size=4),
       seed=st.integers(0, 2 ** 32 - 1))
def test_round_trip_for_any_architecture(torch, nin, layers, seed):
    model = MLP(nin, [size for size, _ in layers], rng=random.Random(seed))
    for layer, (_, activation) in zip(model.layers, layers):
        for neuron in layer.neurons:
            neuron.activation = activation
    net = to_torch(model)
    back = from_torch(net)
    assert [p.data for p in back.parameters()] == [p.data for p in model.parameters()]
    assert [n.activation for layer in back.layers for n in layer.neurons] == \
           [n.activation for layer in model.layers for n in layer.neurons]
    x = [random.Random(seed + 1).uniform(-2, 2) for _ in range(nin)]
    theirs = net(torch.tensor(x, dtype=torch.float64)).tolist()
    assert all(close(a.data, b) for a, b in zip(outputs(model, x), theirs))


def test_from_torch_reads_a_hand_built_sequential(torch):
    nn = torch.nn
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 3), nn.Sigmoid(),
                        nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1), nn.Identity())
    net = net.double()
    model = from_torch(net)
    assert [len(layer.neurons) for layer in model.layers] == [4, 3, 2, 1]
    assert [layer.neurons[0].activation for layer in model.layers] == \
           ['relu', 'sigmoid', 'tanh', 'linear']
    assert [p.data for p in model.parameters()] == torch_numbers_in_micrograd_order(torch, net)
    for x in POINTS:
        theirs = net(torch.tensor(x, dtype=torch.float64)).item()
        assert close(model(x).data, theirs)
    # and back again: the same numbers and modules (Identity is just no module)
    again = to_torch(model)
    assert torch_numbers_in_micrograd_order(torch, again) == \
           torch_numbers_in_micrograd_order(torch, net)


def test_from_torch_reads_float32_nested_and_lone_linear(torch):
    nn = torch.nn
    torch.manual_seed(1)
    net = nn.Sequential(nn.Sequential(nn.Linear(2, 3, dtype=torch.float32), nn.Tanh()),
                        nn.Linear(3, 1, dtype=torch.float32))
    model = from_torch(net)
    assert [p.data for p in model.parameters()] == torch_numbers_in_micrograd_order(
        torch, [net[0][0], net[1]])
    assert [layer.neurons[0].activation for layer in model.layers] == ['tanh', 'linear']
    assert math.isclose(model([0.25, -0.5]).data,
                        net(torch.tensor([0.25, -0.5], dtype=torch.float32)).item(),
                        rel_tol=1e-5)

    lone = nn.Linear(3, 2, dtype=torch.float64)
    single = from_torch(lone)
    assert len(single.layers) == 1 and single.layers[0].neurons[0].activation == 'linear'
    assert [p.data for p in single.parameters()] == torch_numbers_in_micrograd_order(
        torch, [lone])


def test_from_torch_linear_without_bias_gets_zero_bias(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 2, bias=False, dtype=torch.float64), nn.ReLU())
    model = from_torch(net)
    assert [n.b.data for n in model.layers[0].neurons] == [0.0, 0.0]
    assert [w.data for n in model.layers[0].neurons for w in n.w] == \
           net[0].weight.flatten().tolist()


def test_from_torch_copies_and_leaves_random_states_alone(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3, dtype=torch.float64), nn.ReLU(),
                        nn.Linear(3, 1, dtype=torch.float64))
    before = [p.clone() for p in net.parameters()]
    random.seed(3)
    state = random.getstate()
    torch_state = torch.random.get_rng_state()
    model = from_torch(net)
    assert random.getstate() == state
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    for p in model.parameters():
        p.data += 1.0
    assert all(torch.equal(a, b) for a, b in zip(before, net.parameters()))


def unsupported_cases(torch):
    nn = torch.nn

    class TwoLayers(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Linear(2, 2)

        def forward(self, x):
            return self.a(x)

    return [
        (nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(), nn.Linear(3, 1)), "LeakyReLU"),
        (nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5)), "Dropout"),
        (nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=-1)), "Softmax"),
        (nn.Sequential(nn.Conv1d(1, 1, 2)), "Conv1d"),
        (nn.Sequential(nn.ReLU(), nn.Linear(2, 1)), "before any Linear"),
        (nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Tanh()), "follows another activation"),
        (nn.Sequential(nn.Linear(2, 3), nn.Linear(4, 1)), "takes 4 inputs.*gives 3"),
        (nn.Sequential(), "no Linear layer"),
        (nn.Tanh(), "Tanh"),
        (TwoLayers(), "TwoLayers"),
    ]


def test_from_torch_rejects_unsupported_modules(torch):
    for module, words in unsupported_cases(torch):
        with pytest.raises(ValueError, match=words):
            from_torch(module)
    with pytest.raises(TypeError, match="list"):
        from_torch([torch.nn.Linear(2, 1)])


def test_consecutive_linear_layers_are_two_linear_layers(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)).double()
    model = from_torch(net)
    assert [layer.neurons[0].activation for layer in model.layers] == ['linear', 'linear']
    assert close(model([1.0, 2.0]).data, net(torch.tensor([1.0, 2.0], dtype=torch.float64)).item())


def test_without_torch_import_works_and_calls_say_how_to_install():
    # a fresh interpreter in which `import torch` fails
    script = textwrap.dedent("""
        import sys
        sys.modules['torch'] = None
        import micrograd.interop as interop
        from micrograd.nn import MLP
        for call in (lambda: interop.to_torch(MLP(2, [1])), lambda: interop.from_torch(None)):
            try:
                call()
            except ImportError as error:
                print(error)
            else:
                print('no error')
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert all("pip install micrograd[torch]" in line for line in lines), lines
