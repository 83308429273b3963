"""graph.py: the view of a graph the picture, the table and the playground share, its
helpers, and to_json."""

import json
import math
import re

import pytest

import micrograd.graph
from micrograd import Value, explain, topological_order
from micrograd.graph import GraphView, node_key, shown_number, to_json, uses
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
    assert set(g) == {'nodes', 'edges', 'output'} and all(
        set(n) == {'key', 'name', 'op', 'role', 'step', 'data', 'grad', 'inputs'}
        for n in g['nodes'])
    assert by_name['o']['op'] == 'tanh' and by_name['x1']['op'] == ''
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
                                     (1e6, '1.0000e+06'), (-1e6, '-1.0000e+06'),
                                     (999999.99, '999999.9900'), (1000000.5, '1.0000e+06'),
                                     (None, 'None'), (math.inf, 'inf')])
def test_numbers_are_shown_as_micrograd_shows_them(x, text):
    assert shown_number(x) == text


def test_to_json_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match='to_json: root must be a Value, got list'):
        to_json([Value(1.0)])
    assert node_key(3) == 'v3'


# -- the view ----------------------------------------------------------------------------


def test_a_view_holds_the_order_keys_steps_uses_names_and_roles():
    a = Value(3.0, label='a')
    b = a * a + 1.0
    view = GraphView(b)
    assert view.order == topological_order([b]) and view.roots == [b]
    assert [view.key(v) for v in view.order] == ['v0', 'v1', 'v2', 'v3']
    assert [view.step(v) for v in view.order] == [4, 3, 2, 1]
    assert view.uses[id(a)] == 2 and view.uses[id(b)] == 0
    # the constant 1.0 comes first: a leaf is placed as soon as its value is reached
    assert [view.called(v) for v in view.order] == ['#4', 'a', '#2', '#1']
    assert [view.name(v) for v in view.order] == ['', 'a', '', '']
    assert [view.role(v) for v in view.order] == ['input', 'input', 'intermediate', 'output']
    assert repr(view) == '<GraphView of 4 values>'
    model = MLP(2, [1])
    y = model([1.0, 2.0])
    named = GraphView(y, model)
    assert {named.name(p) for p in model.parameters()} == \
        {'layers.0.neurons.0.w.0', 'layers.0.neurons.0.w.1', 'layers.0.neurons.0.b'}
    assert {named.role(p) for p in model.parameters()} == {'parameter'}


def graphs():
    """(roots, model) of a few kinds: the lecture's neuron, a network with its parameter
    names, a ReLU that is off, a hand-written _backward, two roots sharing a value."""
    model = MLP(3, [4, 1])
    y = model([1.0, -2.0, 0.5])
    (y * y).backward()
    x, w = Value(-2.0, label='x'), Value(5.0, label='w')
    off = x.relu() * w
    off.backward()
    h = Value(0.0, (x,), 'twice')

    def _backward():
        x.grad += 2 * h.grad
    h._backward = _backward
    by_hand = (h + w) * x
    by_hand.backward()
    shared = x * w
    return [([lecture_neuron()], None), ([y], model), ([y], None), ([off], None),
            ([by_hand], None), ([shared + 1.0, shared.tanh()], None)]


@pytest.mark.parametrize('roots, model', graphs())
def test_the_picture_the_table_and_the_json_are_the_same_from_a_view(roots, model):
    view = GraphView(roots, model)
    for options in ({}, {'show_order': True}, {'collapse': True, 'rankdir': 'TB'}):
        assert draw_dot(roots, model=model, view=view, **options).source == \
            draw_dot(roots, model=model, **options).source
    if len(roots) == 1:
        (root,) = roots
        assert to_json(root, view=view) == to_json(root, model=model)
        assert to_json(root, model, view=view) == to_json(root, model=model)
        for grad in (1.0, -2.5):
            made = explain(root, model, grad, view=view)
            assert made.steps == explain(root, model, grad).steps
            assert str(made) == str(explain(root, model, grad))


@pytest.mark.parametrize('roots, model', graphs())
def test_the_values_gradient_reaches_are_backwards_own(roots, model):
    reached = {id(node) for node in micrograd.graph._depth_first(roots, everything=False)}
    assert GraphView(roots, model).reached == reached


def test_a_view_of_another_graph_or_model_is_refused():
    a = Value(2.0)
    b, c = a * 3.0, a + 1.0
    model = MLP(2, [1])
    with pytest.raises(ValueError, match='draw_dot: view= is the view of another graph'):
        draw_dot(b, view=GraphView(c))
    with pytest.raises(ValueError, match='draw_dot: view= is the view of another graph'):
        draw_dot([b, c], view=GraphView([c, b]))
    with pytest.raises(ValueError, match='explain: view= is the view of another graph'):
        explain(b, model=model, view=GraphView(b))
    with pytest.raises(TypeError, match='to_json: view must be a GraphView, got dict'):
        to_json(b, view=to_json(b))
    with pytest.raises(TypeError, match='GraphView: roots must be Values, got float'):
        GraphView([b, 1.0])
    assert draw_dot([b, c], view=GraphView([b, c])).source == draw_dot([b, c]).source
