"""graph.py: the helpers the picture, the table and the playground share, and to_json."""

import json
import math
import re

import pytest

from micrograd import Value, explain
from micrograd.graph import node_key, shown_number, to_json, uses
from micrograd.nn import MLP
from micrograd.viz import draw_dot

from conftest import lecture_neuron


def test_nodes_come_in_forward_order_with_the_pictures_numbers():
    o = lecture_neuron()
    g = to_json(o)
    json.dumps(g)  # plain data
    by_name = {n['name']: n for n in g['nodes']}
    assert by_name['o']['data'] == '0.7071' and by_name['o']['grad'] == '1.0000'
    assert by_name['x1']['grad'] == '-1.5000' and by_name['w1']['grad'] == '1.0000'
    assert by_name['x2']['grad'] == '0.5000' and by_name['w2']['grad'] == '0.0000'
    assert g['output'] == g['nodes'][-1]['key']
    assert by_name['o']['role'] == 'output' and by_name['x1']['role'] == 'input'
    position = {n['key']: k for k, n in enumerate(g['nodes'])}
    for n in g['nodes']:  # every input is computed before its value
        assert all(position[k] < position[n['key']] for k in n['inputs'])


def test_keys_are_the_names_in_draw_dots_source_and_steps_are_explains():
    o = lecture_neuron()
    g = to_json(o)
    source = draw_dot(o, show_order=True).source
    for n in g['nodes']:
        line = re.search(rf'^\s*{n["key"]} \[label="{{ #(\d+) \| ([^|]*) \| data ([^ ]+) \| '
                         rf'grad ([^ ]+) }}"', source, re.M)
        assert line, n
        assert (int(line[1]), line[2].strip(), line[3], line[4]) == \
            (n['step'], n['name'], n['data'], n['grad'])
    table = explain(o)
    assert [s.name for s in table] == [n['name'] or f"#{n['step']}" for n in reversed(g['nodes'])]
    assert [s.step for s in table] == [n['step'] for n in reversed(g['nodes'])]


def test_an_input_used_twice_is_two_edges():
    a = Value(3.0, label='a')
    b = a * a
    b.backward()
    g = to_json(b)
    assert g['edges'] == [['v0', 'v1'], ['v0', 'v1']]
    assert g['nodes'][1]['inputs'] == ['v0', 'v0']
    assert uses([a, b])[id(a)] == 2
    assert explain(b).steps[0].sent[1].input_step == 2


def test_parameters_are_named_by_the_model():
    model = MLP(2, [1])
    y = model([1.0, 2.0])
    names = {n['name'] for n in to_json(y, model=model)['nodes'] if n['role'] == 'parameter'}
    assert names == {'layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b'}


@pytest.mark.parametrize('x, text', [(0.0, '0.0000'), (-1e-9, '0.0000'), (2.5, '2.5000'),
                                     (-3.14159, '-3.1416'), (1234567.0, '1.2346e+06'),
                                     (None, 'None'), (math.inf, 'inf')])
def test_numbers_are_shown_as_micrograd_shows_them(x, text):
    assert shown_number(x) == text


def test_to_json_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match='to_json: root must be a Value, got list'):
        to_json([Value(1.0)])
    assert node_key(3) == 'v3'
