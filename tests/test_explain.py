"""explain(): the backward pass as a table, checked number by number by hand."""

import math
import random

import pytest

from micrograd import Value, explain
from micrograd.nn import MLP

# the classic worked example: inputs 0.6 and 0.7, sigmoid layers of 3, 2 and 1 neurons,
# no biases, target 0.9, E = (t - o)^2 / 2
X = {1: 0.6, 2: 0.7}
W = {(1, 3): -1.0, (2, 3): 1.0, (1, 4): 2.5, (2, 4): 0.4, (1, 5): 1.0, (2, 5): -1.5,
     (3, 6): 2.2, (4, 6): -1.4, (5, 6): 0.56, (3, 7): 0.34, (4, 7): 1.05, (5, 7): 3.1,
     (6, 8): 0.75, (7, 8): -0.22}
LAYERS = [[1, 2], [3, 4, 5], [6, 7], [8]]
TARGET = 0.9


def by_hand():
    """Forward outputs o_j and deltas d_j = -dE/dnet_j, with plain floats, as on paper."""
    o = dict(X)
    for prev, layer in zip(LAYERS, LAYERS[1:]):
        for j in layer:
            o[j] = 1 / (1 + math.exp(-sum(W[i, j] * o[i] for i in prev)))
    delta = {8: (TARGET - o[8]) * o[8] * (1 - o[8])}
    for layer, nxt in zip(LAYERS[2:0:-1], LAYERS[3:0:-1]):
        for i in layer:
            delta[i] = o[i] * (1 - o[i]) * sum(W[i, j] * delta[j] for j in nxt)
    return o, delta


def network():
    values = {i: Value(x, label=f"x{i}") for i, x in X.items()}
    weights = {ij: Value(w, label=f"w{ij[0]}{ij[1]}") for ij, w in W.items()}
    for prev, layer in zip(LAYERS, LAYERS[1:]):
        for j in layer:
            net = sum((weights[i, j] * values[i] for i in prev[1:]),
                      weights[prev[0], j] * values[prev[0]])
            net.label = f"net{j}"
            values[j] = net.sigmoid()
            values[j].label = f"o{j}"
    error = (TARGET - values[8]) ** 2 / 2
    error.label = 'E'
    return error, values, weights


def test_every_delta_of_the_hand_calculation():
    o, delta = by_hand()
    error, _, weights = network()
    table = explain(error)
    assert table['E'].step == 1 and table['E'].grad == 1.0
    for j in range(3, 9):
        assert table[f"o{j}"].data == pytest.approx(o[j], rel=1e-14)
        # the gradient arriving at net_j is -delta_j
        assert table[f"net{j}"].grad == pytest.approx(-delta[j], rel=1e-12)
        sigmoid = table[f"o{j}"]
        assert sigmoid.op == 'sigmoid'
        (sent,) = sigmoid.sent
        assert sent.input == f"net{j}"
        assert sent.local == pytest.approx(o[j] * (1 - o[j]), rel=1e-14)
        assert sent.contribution == pytest.approx(-delta[j], rel=1e-12)
    for (i, j), w in weights.items():
        assert table[w.label].grad == pytest.approx(-delta[j] * o[i], rel=1e-12)
        assert table[w.label].op == ''


def test_running_totals_where_a_value_fans_out():
    _, delta = by_hand()
    error, _, _ = network()
    table = explain(error)
    # o3 feeds net6 and net7: two contributions, and the total after the second is dE/do3
    into_o3 = [s for step in table for s in step.sent if s.input == 'o3']
    assert len(into_o3) == 2 and all(s.fan_out == 2 for s in into_o3)
    assert into_o3[0].total == pytest.approx(into_o3[0].contribution)
    assert into_o3[1].total == pytest.approx(-(W[3, 6] * delta[6] + W[3, 7] * delta[7]),
                                             rel=1e-12)
    assert table['o3'].grad == into_o3[1].total


def test_steps_follow_backward_order_and_change_no_grad():
    error, _, weights = network()
    table = explain(error)
    assert [s.step for s in table] == list(range(1, len(table) + 1))
    seen = set()
    for step in table:  # a value is explained only after everything that consumes it
        for sent in step.sent:
            assert sent.input not in seen
        seen.add(step.name)
    assert all(w.grad == 0.0 for w in weights.values()) and error.grad == 0.0
    error.backward()
    assert table['w13'].grad == weights[1, 3].grad


def test_text_markdown_and_html():
    a = Value(3.0, label='a')
    b = a * a
    b.label = 'b'
    text = str(explain(b)).splitlines()
    assert text[0].split() == ['step', 'value', 'op', 'data', 'grad', 'input', 'local',
                               'sent', 'total']
    assert text[2].split() == ['1', 'b', '*', '9', '1', 'a', '3', '3', '3']
    assert text[3].split() == ['a', '3', '3', '6']
    assert text[4].split() == ['2', 'a', 'leaf', '3', '6']
    md = explain(b)._repr_markdown_().splitlines()
    assert md[0].startswith('| step | value |') and md[1].startswith('| --- |')
    assert '<td>leaf</td>' in explain(b)._repr_html_()


def test_unnamed_values_get_step_numbers_and_parameters_their_names():
    model = MLP(2, [1], rng=random.Random(0))
    y = model([1.0, 2.0])
    table = explain(y, model=model)
    names = [s.name for s in table]
    assert names[0] == '#1'
    assert {'w.0', 'w.1', 'b'} <= {n.split('neurons.0.')[-1] for n in names}
    with pytest.raises(KeyError):
        table['nope']
    with pytest.raises(TypeError, match="got list"):
        explain([y])
