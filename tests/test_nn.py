"""micrograd.nn: the 0.1.0 API plus its fixes (one-neuron hidden layers, input checks)."""

import math
import random
import re

import pytest

from micrograd import Value, grad
from micrograd.nn import MLP, Layer, Module, Neuron, load, save

from conftest import require_module


def test_parameter_order_is_weights_then_bias_per_neuron():
    model = MLP(2, [3, 1])
    expected = []
    for layer in model.layers:
        for neuron in layer.neurons:
            expected += [*neuron.w, neuron.b]
    assert model.parameters() == expected
    assert len(model.parameters()) == 2 * 3 + 3 + 3 + 1


def test_named_parameters():
    model = MLP(2, [3, 1])
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ['layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1',
                         'layers.0.neurons.0.b']
    assert names[-1] == 'layers.1.neurons.0.b'
    assert [p for _, p in model.named_parameters()] == model.parameters()


def test_a_subclass_naming_its_own_parameters_gets_them_from_parameters_too():
    # parameters() lists them without the names, unless a subclass names its own
    class Scaled(Neuron):
        def __init__(self, nin):
            super().__init__(nin)
            self.scale = Value(2.0)

        def named_parameters(self):
            return [*super().named_parameters(), ('scale', self.scale)]

    class Wide(Layer):
        def named_parameters(self):
            return [('extra', extra), *super().named_parameters()]

    extra = Value(-1.0)
    n = Scaled(2)
    assert n.parameters() == [*n.w, n.b, n.scale]
    layer = Wide(2, 2)
    layer.neurons[1] = n
    assert layer.parameters() == [extra, *layer.neurons[0].parameters(), *n.parameters()]
    class Tempered(MLP):
        def named_parameters(self):
            return [*super().named_parameters(), ('temperature', temperature)]

    temperature = Value(1.0)
    model = Tempered(2, [2, 1])
    model.layers[0] = layer
    assert model.parameters() == [p for _, p in model.named_parameters()]
    assert len(model.parameters()) == 1 + 3 + 4 + 3 + 1
    assert model.parameters()[-1] is temperature
    n.zero_grad()
    assert n.scale.grad == 0.0


def test_a_subclass_listing_its_own_parameters_keeps_its_structures_names(tmp_path):
    # micrograd 0.1.0's way: override parameters(). A layer lists each neuron's
    # parameters() as 0.1.0 does; the names (state_dict, save) stay the structure's
    class Gain(Neuron):
        def __init__(self, nin):
            super().__init__(nin)
            self.g = Value(1.0)

        def parameters(self):
            return [*self.w, self.b, self.g]

    class NoDecay(Neuron):  # parameters() built from the names: no recursion
        def parameters(self):
            return [p for name, p in self.named_parameters() if name != 'b']

    layer = Layer(2, 3)
    layer.neurons[1], layer.neurons[2] = Gain(2), NoDecay(2)
    gain, no_decay = layer.neurons[1], layer.neurons[2]
    assert layer.parameters() == [*layer.neurons[0].parameters(), *gain.w, gain.b, gain.g,
                                  *no_decay.w]
    assert [name for name, _ in layer.named_parameters()][3:6] == [
        'neurons.1.w.0', 'neurons.1.w.1', 'neurons.1.b']
    layer.zero_grad()
    assert gain.g.grad == 0.0

    class LastLayerOnly(MLP):  # fine-tuning: train the last layer alone
        def parameters(self):
            return self.layers[-1].parameters()

    model = LastLayerOnly(2, [3, 1])
    assert model.parameters() == [*model.layers[1].neurons[0].w, model.layers[1].neurons[0].b]
    save(model, tmp_path / "m.json")
    assert [p.data for p in load(tmp_path / "m.json").parameters()] == \
           [p.data for _, p in model.named_parameters()]
    # set on an instance: parameters() follows it
    layer = Layer(3, 1)
    n = layer.neurons[0]
    n.parameters = lambda: [n.b]
    assert layer.parameters() == [n.b]

def test_same_initialisation_as_micrograd_with_global_seed():
    # micrograd 0.1.0 draws random.uniform(-1, 1) per weight, neuron by neuron; bias 0
    random.seed(42)
    model = MLP(3, [4, 2])
    random.seed(42)
    draws = []
    for nin, nout in [(3, 4), (4, 2)]:
        for _ in range(nout):
            draws += [random.uniform(-1, 1) for _ in range(nin)] + [0.0]
    assert [p.data for p in model.parameters()] == draws


def test_rng_makes_initialisation_reproducible():
    a = MLP(2, [4, 1], rng=random.Random(7))
    b = MLP(2, [4, 1], rng=random.Random(7))
    c = MLP(2, [4, 1], rng=random.Random(8))
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]


def test_forward_is_relu_hidden_and_linear_output():
    model = MLP(2, [3, 1], rng=random.Random(1))
    x = [0.5, -1.5]
    hidden = [max(0.0, sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data)
              for n in model.layers[0].neurons]
    out = model.layers[1].neurons[0]
    expected = sum(w.data * h for w, h in zip(out.w, hidden)) + out.b.data
    y = model(x)
    assert isinstance(y, Value)
    assert y.data == pytest.approx(expected, rel=1e-14)


def test_several_outputs_give_a_list():
    y = MLP(2, [3, 2])([1.0, 2.0])
    assert isinstance(y, list) and len(y) == 2


def test_one_neuron_hidden_layer_works():
    model = MLP(2, [1, 3, 1], rng=random.Random(3))
    y = model([0.2, 0.4])
    assert isinstance(y, Value)
    y.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)  # as upstream


def test_single_input_may_be_a_lone_number():
    model = MLP(1, [2, 1])
    assert model(0.5).data == model([0.5]).data


@pytest.mark.parametrize("bad", [[1.0], [1.0, 2.0, 3.0], []])
def test_wrong_input_width_is_a_value_error(bad):
    model = MLP(2, [3, 1])
    with pytest.raises(ValueError, match=r"takes 2 inputs, got \d"):
        model(bad)
    with pytest.raises(ValueError, match="takes 2 inputs"):
        Neuron(2)(bad)


def test_width_error_names_the_model():
    with pytest.raises(ValueError, match=r"^MLP takes 3 inputs, got 2$"):
        MLP(3, [2, 1])([1.0, 2.0])
    with pytest.raises(ValueError, match=r"^Layer takes 1 input, got 2$"):
        Layer(1, 4)([1.0, 2.0])


def test_nonlin_flag_and_activation():
    n = Neuron(2)
    n.nonlin = False  # as micrograd: a linear neuron from now on
    assert n.activation == 'linear' and repr(n) == "LinearNeuron(2)"
    with pytest.raises(ValueError, match="contradicts"):
        Neuron(2, nonlin=False, activation='tanh')


@pytest.mark.parametrize("activation, fn", [
    ('relu', lambda z: max(0.0, z)),
    ('tanh', math.tanh),
    ('sigmoid', lambda z: 1 / (1 + math.exp(-z))),
    ('linear', lambda z: z),
])
def test_activations(activation, fn):
    n = Neuron(2, activation=activation, rng=random.Random(0))
    z = n.w[0].data * 0.3 + n.w[1].data * -0.8
    assert n([0.3, -0.8]).data == pytest.approx(fn(z), rel=1e-14)
    assert repr(n).endswith("Neuron(2)")


def test_mlp_hidden_activation_choice():
    model = MLP(2, [3, 1], activation='tanh')
    assert repr(model) == ("MLP of [Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)], "
                           "Layer of [LinearNeuron(3)]]")


def test_nonlin_flag_as_upstream():
    assert repr(Neuron(3, nonlin=False)) == "LinearNeuron(3)"
    assert repr(Neuron(3)) == "ReLUNeuron(3)"
    assert repr(Layer(2, 2, nonlin=False)) == "Layer of [LinearNeuron(2), LinearNeuron(2)]"


@pytest.mark.parametrize("make", [
    lambda: Neuron(2, activation='softplus'),
    lambda: Neuron(0),
    lambda: Layer(2, 0),
    lambda: MLP(2, []),
])
def test_bad_construction_is_a_value_error(make):
    with pytest.raises(ValueError):
        make()


def test_zero_grad():
    model = MLP(2, [2, 1])
    model([1.0, 1.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert Module().parameters() == []


def test_gradients_match_pytorch(torch):
    model = MLP(3, [4, 4, 1], activation='tanh', rng=random.Random(5))
    x = [0.1, -0.7, 2.0]
    y = model(x)
    y.backward()
    params = [torch.tensor(p.data, requires_grad=True, dtype=torch.float64)
              for p in model.parameters()]
    it = iter(params)
    h = [torch.tensor(v, dtype=torch.float64) for v in x]
    for i, layer in enumerate(model.layers):
        outs = []
        for neuron in layer.neurons:
            ws = [next(it) for _ in neuron.w]
            b = next(it)
            z = sum((w * hi for w, hi in zip(ws, h)), b)
            outs.append(z if i == len(model.layers) - 1 else torch.tanh(z))
        h = outs
    h[0].backward()
    assert y.data == pytest.approx(h[0].item(), rel=1e-12)
    assert [p.grad for p in model.parameters()] == pytest.approx(
        [t.grad.item() for t in params], rel=1e-10, abs=1e-14)


def test_input_gradient_through_model():
    model = MLP(2, [3, 1], activation='sigmoid', rng=random.Random(2))
    x = [Value(0.3), Value(0.9)]
    assert grad(model(x), x) == pytest.approx(
        [(model([0.3 + 1e-6, 0.9]).data - model([0.3 - 1e-6, 0.9]).data) / 2e-6,
         (model([0.3, 0.9 + 1e-6]).data - model([0.3, 0.9 - 1e-6]).data) / 2e-6], rel=1e-6)


# -- state dicts, saving and loading --------------------------------------------------------

def test_state_dict_is_plain_json():
    import json
    model = MLP(2, [3, 1], rng=random.Random(0))
    state = model.state_dict()
    assert list(state) == ['layers.0.neurons.0.w', 'layers.0.neurons.0.b',
                           'layers.0.neurons.1.w', 'layers.0.neurons.1.b',
                           'layers.0.neurons.2.w', 'layers.0.neurons.2.b',
                           'layers.1.neurons.0.w', 'layers.1.neurons.0.b']
    assert state['layers.0.neurons.1.w'] == [p.data for p in model.layers[0].neurons[1].w]
    assert state['layers.1.neurons.0.b'] == [0.0]
    assert json.loads(json.dumps(state)) == state


def test_load_state_dict_copies_every_parameter():
    a = MLP(2, [3, 1], rng=random.Random(0))
    b = MLP(2, [3, 1], rng=random.Random(1))
    b.load_state_dict(a.state_dict())
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert b([0.3, -0.2]).data == a([0.3, -0.2]).data


@pytest.mark.parametrize("spoil, message", [
    (lambda s: s.pop('layers.0.neurons.0.b'), r"missing \['layers.0.neurons.0.b'\]"),
    (lambda s: s.update(extra=[1.0]), r"unexpected \['extra'\]"),
    (lambda s: s['layers.1.neurons.0.w'].append(1.0), r"needs 3 numbers, got 4"),
    (lambda s: s.update({'layers.0.neurons.0.b': 0.5}), r"'layers.0.neurons.0.b' needs 1 number, "
                                                         r"got float$"),
    (lambda s: s['layers.0.neurons.2.w'].__setitem__(1, 'x'), r"holds 'x', not a float"),
    (lambda s: s['layers.1.neurons.0.w'].__setitem__(2, 10**400), r"holds 1000.*, not a float"),
    (lambda s: s['layers.1.neurons.0.w'].__setitem__(2, math.nan),
     r"'layers.1.neurons.0.w'\[2\] holds nan, which is not finite"),
    (lambda s: s['layers.0.neurons.1.w'].__setitem__(0, math.inf),
     r"'layers.0.neurons.1.w'\[0\] holds inf, which is not finite"),
    (lambda s: s['layers.0.neurons.2.b'].__setitem__(0, -math.inf),
     r"'layers.0.neurons.2.b'\[0\] holds -inf, which is not finite"),
    (lambda s: s['layers.0.neurons.1.w'].__setitem__(1, [0.5]), r"\[1\] holds a list, not a float"),
])
def test_bad_state_dict_changes_nothing(spoil, message):
    model = MLP(2, [3, 1], rng=random.Random(0))
    before = [p.data for p in model.parameters()]
    state = MLP(2, [3, 1], rng=random.Random(1)).state_dict()
    spoil(state)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert [p.data for p in model.parameters()] == before
    with pytest.raises(TypeError, match="must be a dict, got list"):
        model.load_state_dict([])


def test_save_and_load_give_identical_predictions(tmp_path):
    from micrograd.nn import load, save
    model = MLP(3, [4, 2, 1], activation='tanh', rng=random.Random(4))
    model.layers[1].neurons[0].activation = 'sigmoid'
    path = save(model, tmp_path / "model.json")
    again = load(path)
    assert repr(again) == repr(model)
    for x in ([0.1, 0.2, 0.3], [-1.0, 2.0, 0.5]):
        assert again(x).data == model(x).data
    (tmp_path / "bad.json").write_text('{"format": "something else"}')
    with pytest.raises(ValueError, match="not a model saved by micrograd"):
        load(tmp_path / "bad.json")
    (tmp_path / "bad.json").write_bytes(b"\x89PNG\x00")
    with pytest.raises(ValueError, match="not a model saved by micrograd"):
        load(tmp_path / "bad.json")
    with pytest.raises(TypeError, match="must be an MLP"):
        save(Neuron(2), tmp_path / "n.json")


@pytest.mark.parametrize("spoil, message", [
    (lambda d: d.pop('nin'), "'nin' and 'nouts' must be positive whole numbers"),
    (lambda d: d.update(nouts=3), "'nin' and 'nouts' must be positive whole numbers"),
    (lambda d: d.update(nouts=[3_000_000, 1]), r"'nouts\[0\]' = 3000000 asks for more than "
                                               r"MAX_PARAMETERS = 1000000 parameters"),
    (lambda d: d.update(nin=True), r"positive whole numbers, got 'nin' = True"),
    (lambda d: d.update(nin=2.0), r"positive whole numbers, got 'nin' = 2.0"),
    (lambda d: d.update(nouts=[3, False]), r"positive whole numbers, got 'nouts\[1\]' = False"),
    (lambda d: d.update(nouts=[4, 1]),
     r"'state' has 8 entries; 5 neurons need 10: missing \['layers.0.neurons.3.b', "
     r"'layers.0.neurons.3.w'\], unexpected nothing"),
    (lambda d: d['state'].update({'layers.0.neurons.9.b': d['state'].pop('layers.0.neurons.0.b')}),
     r"missing \['layers.0.neurons.0.b'\], unexpected \['layers.0.neurons.9.b'\]"),
    (lambda d: d.update(state=[]), "'state' must be a dict"),
    (lambda d: d.update(activations='relu'), "one activation per neuron"),
    (lambda d: d['activations'][0].__setitem__(2, ['relu']),
     r"unknown activation a list at 'activations\[0\]\[2\]'"),
    (lambda d: d['state']['layers.0.neurons.1.w'].__setitem__(1, None),
     r"'layers.0.neurons.1.w'\[1\] holds None, not a float"),
    (lambda d: d['state']['layers.1.neurons.0.b'].__setitem__(0, math.nan),
     r"'layers.1.neurons.0.b'\[0\] holds nan, which is not finite"),
    (lambda d: d['activations'][0].append('relu'), "one activation per neuron"),
    (lambda d: d['activations'][1].__setitem__(0, 'gelu'), "unknown activation 'gelu'"),
    (lambda d: d['state'].pop('layers.0.neurons.0.b'), "'state' has 7 entries"),
    (lambda d: d['state']['layers.1.neurons.0.w'].pop(), "needs 3 numbers, got 2"),
])
def test_load_checks_the_whole_file_first(tmp_path, spoil, message):
    import json

    from micrograd.nn import load, save
    path = save(MLP(2, [3, 1], rng=random.Random(0)), tmp_path / "m.json")
    document = json.loads(path.read_text())
    spoil(document)
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match=f"^load: {re.escape(str(path))}: .*{message}"):
        load(path)


def test_a_module_with_parameters_only_still_has_a_state_dict():
    class Pair(Module):  # written the micrograd 0.1.0 way
        def __init__(self):
            self.a, self.b = Value(1.0), Value(2.0)

        def parameters(self):
            return [self.a, self.b]

    m = Pair()
    assert m.state_dict() == {'0': [1.0], '1': [2.0]}
    m.load_state_dict({'0': [5.0], '1': [6.0]})
    assert (m.a.data, m.b.data) == (5.0, 6.0)
    with pytest.raises(ValueError, match="missing"):
        m.load_state_dict({})


@pytest.mark.parametrize("make, message", [
    (lambda: Neuron(True), r"^Neuron\(nin\) needs a positive whole number of inputs, got True$"),
    (lambda: Layer(True, 2), r"^Layer\(nin\) needs a positive whole number of inputs, got True$"),
    (lambda: Layer(2, True), r"^Layer\(nout\) needs a positive whole number .*, got True$"),
    (lambda: MLP(False, [3]), r"^MLP\(nin\) needs a positive whole number of inputs, got False$"),
    (lambda: MLP(2, [3, True]), r"^MLP\(nouts\) needs positive whole numbers .*nouts\[1\] = True$"),
    (lambda: MLP(2, [0]), r"^MLP\(nouts\) .*, got nouts\[0\] = 0$"),
    (lambda: MLP(2, [3], activation='gleu'), r"^MLP\(activation\) must be one of .*'gleu'$"),
    (lambda: MLP(2, [3, 1], output_activation='softmax'),
     r"^MLP\(output_activation\) must be one of .*'softmax'$"),
])
def test_sizes_are_whole_numbers_not_bools_and_activations_are_checked_up_front(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_numpy_integer_sizes_build_and_round_trip(tmp_path):
    np = pytest.importorskip("numpy")
    from micrograd.nn import load, save
    model = MLP(np.int64(2), [np.int32(3), np.int64(1)], rng=random.Random(0))
    assert repr(model) == repr(MLP(2, [3, 1]))
    again = load(save(model, tmp_path / "m.json"))
    assert again([0.5, -1.0]).data == model([0.5, -1.0]).data


def _never_built(*args, **kwargs):
    raise AssertionError("load built a model before checking the file")


def _document(nin, nouts, state=None):
    """A saved-model document for these sizes, holding one number per state entry."""
    if state is None:
        state = {f'layers.{i}.neurons.{j}.{k}': [0.0]
                 for i, n in enumerate(nouts) for j in range(n) for k in 'wb'}
    return {'format': 'micrograd.nn/1', 'nin': nin, 'nouts': nouts,
            'activations': [['relu'] * n for n in nouts], 'state': state}


@pytest.mark.parametrize("nin, nouts, message", [
    (3_000_000, [3, 1], r"'nin' = 3000000 asks for more than MAX_PARAMETERS = 1000000"),
    (1000, [1000, 1000], r"'nin' and 'nouts' ask for more than MAX_PARAMETERS = 1000000 "
                         r"parameters \(1001000 by 'nouts\[0\]'\)$"),
    # within the limit, but the file's weights do not match 'nin': refused all the same
    (300_000, [3, 1], r"'layers.0.neurons.0.w' needs 300000 numbers, got 1$"),
])
def test_a_small_file_cannot_make_load_build_a_huge_model(tmp_path, monkeypatch, nin, nouts,
                                                          message):
    import json

    from micrograd import nn
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(_document(nin, nouts)))
    monkeypatch.setattr(nn, 'MLP', _never_built)
    monkeypatch.setattr(nn, 'Neuron', _never_built)
    with pytest.raises(ValueError, match=f"^load: {re.escape(str(path))}: {message}"):
        nn.load(path)


@pytest.mark.parametrize("content, reason", [
    (b"[" * 100_000, "nested too deeply"),
    (b'{"format": "micrograd.nn/1", "nin": ' + b"[" * 100_000, "nested too deeply"),
    (b'{"format": "micrograd.nn/1", "nin": 1' + b"0" * 5000 + b"}", "digits"),
    (b"\xff\xfe{}", "can't decode byte 0xff"),
    (b"{", "Expecting property name"),
    (b"", "Expecting value"),
])
def test_unreadable_contents_are_a_value_error_naming_the_file(tmp_path, content, reason):
    from micrograd.nn import load
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=f"^load: {re.escape(str(path))} is not a model saved "
                                         f"by micrograd.nn.save \\(.*{reason}"):
        load(path)


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_load_refuses_non_finite_numbers(tmp_path, monkeypatch, token):
    import json

    from micrograd import nn
    path = nn.save(MLP(2, [3, 1]), tmp_path / "m.json")
    document = json.loads(path.read_text())
    document['state']['layers.0.neurons.1.w'][1] = '@'
    path.write_text(json.dumps(document).replace('"@"', token))
    monkeypatch.setattr(nn, 'MLP', _never_built)
    shown = {'NaN': 'nan', 'Infinity': 'inf', '-Infinity': '-inf', '1e400': 'inf'}[token]
    with pytest.raises(ValueError, match=f"^load: {re.escape(str(path))}: "
                                         rf"'layers.0.neurons.1.w'\[1\] holds {shown}, "
                                         "which is not finite$"):
        nn.load(path)


def test_file_and_parameter_limits_are_module_constants(tmp_path, monkeypatch):
    import json

    from micrograd import nn
    model = MLP(2, [3, 1], rng=random.Random(0))
    path = nn.save(model, tmp_path / "m.json")
    size = path.stat().st_size
    monkeypatch.setattr(nn, 'MAX_FILE_BYTES', size - 1)
    with pytest.raises(ValueError, match=f"^load: {re.escape(str(path))} is larger than "
                                         f"MAX_FILE_BYTES = {size - 1}$"):
        nn.load(path)
    with pytest.raises(ValueError, match=f"^save: the file would be {size} bytes, more than "
                                         f"load accepts \\(MAX_FILE_BYTES = {size - 1}\\)$"):
        nn.save(model, tmp_path / "not-written.json")
    monkeypatch.setattr(nn, 'MAX_FILE_BYTES', size)
    assert repr(nn.load(path)) == repr(MLP(2, [3, 1]))
    monkeypatch.setattr(nn, 'MAX_PARAMETERS', 12)  # the model has 13
    with pytest.raises(ValueError, match=r"^load: .*: 'nin' and 'nouts' ask for more than "
                                         r"MAX_PARAMETERS = 12 parameters \(13 by 'nouts\[1\]'\)$"):
        nn.load(path)
    with pytest.raises(ValueError, match=r"^save: the model has 13 parameters, more than load "
                                         r"accepts \(MAX_PARAMETERS = 12\)$"):
        nn.save(MLP(2, [3, 1]), tmp_path / "not-written.json")
    assert not (tmp_path / "not-written.json").exists()
    monkeypatch.setattr(nn, 'MAX_FILE_BYTES', 10**6)
    chain = tmp_path / "chain.json"  # many small layers: counted, and stopped, as they come
    chain.write_text(json.dumps(_document(1, [1] * 1000)))
    with pytest.raises(ValueError, match=r"MAX_PARAMETERS = 12 parameters \(14 by 'nouts\[6\]'\)$"):
        nn.load(chain)


def test_save_refuses_a_non_finite_parameter(tmp_path):
    from micrograd.nn import save
    model = MLP(2, [3, 1], rng=random.Random(0))
    model.layers[0].neurons[1].w[0].data = math.nan
    with pytest.raises(ValueError, match=r"^save: 'layers.0.neurons.1.w'\[0\] is nan, which is "
                                         r"not finite \(load would refuse it\)$"):
        save(model, tmp_path / "m.json")
    assert not (tmp_path / "m.json").exists()


def test_a_missing_file_is_file_not_found(tmp_path):
    from micrograd.nn import load
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "nowhere.json")


@pytest.mark.parametrize("where", ["bias", "weight"])
@pytest.mark.parametrize("bad", [None, 0.5])
def test_a_neuron_with_a_parameter_set_to_a_non_value_names_its_type(where, bad):
    n = Neuron(2)
    if where == "bias":
        n.b = bad
    else:
        n.w[1] = bad
    message = f"a neuron: weights and bias must be Values, got {type(bad).__name__}"
    with pytest.raises(TypeError, match=message):
        n([1.0, 2.0])


def test_a_neuron_takes_its_inputs_numbers_as_any_sequence():
    np = require_module("numpy")
    n = Neuron(2, activation='tanh')
    x = [Value(1.0), Value(-2.0)]
    expected = n.forward(x).data
    assert n.forward(x, (1.0, -2.0)).data == expected
    assert n.forward(x, np.array([1.0, -2.0])).data == expected
