"""Pictures: real SVG from graphviz's dot, parsed as XML."""

import random
import xml.etree.ElementTree as ET

import pytest

import micrograd
from micrograd import Value, topological_order
from micrograd.nn import MLP
from micrograd.viz import COLOURS, GraphTooLargeError, draw_dot, render, save

from conftest import lecture_neuron, require_module, require_program

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", autouse=True)
def oracles():
    require_module("graphviz")
    require_program("dot")


def svg_of(dot):
    return ET.fromstring(render(dot, 'svg'))


def nodes(svg):
    """{title: [text lines]} for every node group of a rendered graph."""
    out = {}
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "node":
            title = g.find(f"{SVG}title").text
            out[title] = [t.text for t in g.iter(f"{SVG}text")]
    return out


def test_records_show_label_data_and_grad():
    o = lecture_neuron()
    dot = draw_dot(o)
    assert isinstance(dot, require_module("graphviz").Digraph)
    drawn = nodes(svg_of(dot))
    values = {title: text for title, text in drawn.items() if len(text) >= 3}
    ops = sorted(text[0] for text in drawn.values() if len(text) == 1)
    # 5 leaves, 2 products, 2 sums, the tanh; and an op node for each of the 5 results
    assert len(values) == len(topological_order([o])) == 10
    assert ops == ['*', '*', '+', '+', 'tanh']
    texts = {tuple(t) for t in values.values()}
    assert ('o', 'data 0.7071', 'grad 1.0000') in texts
    assert ('x1', 'data 2.0000', 'grad -1.5000') in texts
    assert ('w1', 'data -3.0000', 'grad 1.0000') in texts
    assert ('w2', 'data 1.0000', 'grad 0.0000') in texts
    assert ('b', 'data 6.8814', 'grad 0.5000') in texts


def test_edges_go_from_inputs_through_the_op():
    x = Value(3.0, label='x')
    y = x * x
    y.backward()
    svg = svg_of(draw_dot(y))
    edges = [g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]
    # values are named by their place in the topological order: x is v0, y is v1
    assert edges.count("v0->v1op") == 2  # both edges of x*x
    assert edges.count("v1op->v1") == 1
    assert draw_dot(y).source == draw_dot(y).source  # the same picture every time


def test_rankdir_changes_the_layout():
    x = Value(0.5, label='x')
    y = x
    for _ in range(6):
        y = y.tanh()
    sizes = {}
    for rankdir in ('LR', 'TB'):
        svg = svg_of(draw_dot(y, rankdir=rankdir))
        sizes[rankdir] = (float(svg.get("width")[:-2]), float(svg.get("height")[:-2]))
    (lr_w, lr_h), (tb_w, tb_h) = sizes['LR'], sizes['TB']
    assert lr_w > 3 * lr_h and tb_h > 3 * tb_w
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(y, rankdir='RL')


def fills(dot):
    svg = svg_of(dot)
    out = {}
    for g in svg.iter(f"{SVG}g"):
        if g.get("class") == "node":
            poly = g.find(f"{SVG}polygon")
            text = [t.text for t in g.iter(f"{SVG}text")]
            out[text[0] if text[0] and not text[0].startswith('#') else text[1]] = (
                poly.get("fill") if poly is not None else None)
    return out


def test_roles_are_coloured_and_parameters_named():
    model = MLP(2, [2, 1], rng=random.Random(0))
    x = Value(0.5, label='x0')
    y = model([x, 1.0])
    y.label = 'y'
    y.backward()
    coloured = fills(draw_dot(y, model=model))
    assert coloured['y'] == COLOURS['output']
    assert coloured['x0'] == COLOURS['input']
    assert coloured['layers.0.neurons.1.w.0'] == COLOURS['parameter']
    assert coloured['layers.1.neurons.0.b'] == COLOURS['parameter']
    assert all(name in coloured for name, _ in model.named_parameters())


def test_show_order_numbers_values_as_backward_visits_them():
    o = lecture_neuron()
    texts = [t for t in nodes(svg_of(draw_dot(o, show_order=True))).values() if len(t) >= 3]
    assert sorted(int(t[0][1:]) for t in texts) == list(range(1, 11))
    order = {t[1]: int(t[0][1:]) for t in texts if len(t) == 4}  # the labelled ones
    assert order['o'] == 1 and order['n'] == 2
    assert order['w1'] > order['n']  # inputs come after what consumes them


def test_labels_with_record_characters_are_escaped():
    v = Value(1.0, label='{a|b}<c>')
    w = v * 2
    w.backward()
    assert any('{a|b}<c>' in t for t in nodes(svg_of(draw_dot(w))).values())


def test_large_graph_renders():
    random.seed(0)
    model = MLP(2, [8, 8, 1])
    points = [[random.uniform(-1, 1), random.uniform(-1, 1)] for _ in range(40)]
    loss = sum(((model(p) - 1) ** 2 for p in points), Value(0.0))
    loss.backward()
    n = len(topological_order([loss]))
    assert 1000 <= n <= 2000
    svg = svg_of(draw_dot(loss, model=model))
    originals = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "node"
                 and "-" not in g.find(f"{SVG}title").text and len(list(g.iter(f"{SVG}text"))) >= 2]
    assert len(originals) == n  # and dashed copies beside far uses


@pytest.mark.parametrize("activation, op, merged", [("relu", "ReLU", 0), ("tanh", "tanh", 6)])
def test_collapse_draws_each_neuron_as_one_value(activation, op, merged):
    model = MLP(2, [3, 1], activation=activation, rng=random.Random(0))
    points = [[0.5, -1.0], [0.1, 0.2]]
    loss = sum(((model(p) - 1) ** 2 for p in points), Value(0.0))
    loss.backward()
    full = nodes(svg_of(draw_dot(loss, model=model)))
    collapsed = nodes(svg_of(draw_dot(loss, model=model, collapse=True)))
    ops = [t[0] for t in collapsed.values() if len(t) == 1]
    assert ops.count(f'neuron(2) {op}') == 2 * 3 and ops.count('neuron(3)') == 2
    labels = {t[0] for t in collapsed.values() if len(t) >= 3}
    assert {'layers.0.neurons.2', 'layers.1.neurons.0'} <= labels
    assert not any(label.startswith('layers.0.neurons.0.w') for label in labels)
    # hidden: the 13 parameters, and per sample the 3 hidden sums merged into their
    # tanh (a ReLU neuron is one value already)
    records = lambda drawn: sum(1 for t in drawn.values() if len(t) >= 2)
    assert records(full) == len(topological_order([loss]))
    assert records(collapsed) == records(full) - 13 - merged


def test_a_leaf_used_all_along_a_deep_graph_is_drawn_beside_each_use():
    # Horner's rule: x feeds every level; one x with 300 long edges takes dot minutes
    x = Value(0.5, label='x')
    y = Value(1.0, label='c')
    for _ in range(150):
        y = y * x + 1
    y.backward()
    drawn = nodes(svg_of(draw_dot(y)))  # render() gives up after 60 s: no hang
    copies = [title for title, t in drawn.items() if t[:1] == ['x'] and '-' in title]
    assert 140 <= len(copies) < 150  # the first few uses are near x itself
    assert sum(1 for t in drawn.values() if t[:1] == ['c']) == 1  # used once: not copied


def test_a_value_computed_once_and_used_all_along_is_copied_too():
    x = Value(0.5, label='x')
    t = x.tanh()
    t.label = 't'
    y = Value(1.0)
    for _ in range(100):
        y = y * t + 1.0
    y.backward()
    drawn = nodes(svg_of(draw_dot(y)))
    assert sum(1 for t_ in drawn.values() if t_[:1] == ['t']) > 90
    assert sum(1 for t_ in drawn.values() if t_[:1] == ['tanh']) == 1  # computed once


def test_jupyter_display_goes_through_the_timeout(monkeypatch):
    import micrograd.viz as viz
    calls = []
    monkeypatch.setattr(viz, "render", lambda dot, fmt: calls.append(fmt) or b"<svg/>")
    bundle = draw_dot(Value(1.0) * 2)._repr_mimebundle_()
    assert calls == ['svg'] and bundle["image/svg+xml"] == "<svg/>"


def test_numbers_and_labels_stay_legible():
    big = Value(1e300, label='big & <small>')
    y = big * -1e-310  # -0.0001, shown with a sign
    z = Value(-1e-9, label='line\nbreak')
    w = y + z
    w.backward()
    texts = [t for ts in nodes(svg_of(draw_dot(w))).values() for t in ts]
    assert 'data 1.0000e+300' in texts and 'big & <small>' in texts
    assert 'data 0.0000' in texts and 'data -0.0000' not in texts  # z is -1e-9
    assert 'line break' in texts


def test_collapse_keeps_the_roots_and_marks_hand_built_nodes():
    w, b = [Value(0.5), Value(-1.0)], Value(0.1)
    s = micrograd.linear(w, [1.0, 2.0], b)
    s.label = 's'
    t = s.tanh()
    t.label = 't'
    drawn = nodes(svg_of(draw_dot([s, t], collapse=True)))
    assert {'s', 't'} <= {ts[0] for ts in drawn.values()}
    hand = Value(5.0, (Value(2.0), Value(3.0)), '+', label='c')
    ops_drawn = [ts[0] for ts in nodes(svg_of(draw_dot(hand))).values() if len(ts) == 1]
    assert ops_drawn == ['+ (no rule)']
    assert micrograd.explain(hand)['c'].op == '+ (no rule)'


def test_too_large_graph_is_refused_with_a_clear_message():
    x = Value(1.0)
    y = x
    for _ in range(2100):
        y = y + 1
    with pytest.raises(GraphTooLargeError,
                       match=r"4,201 values, more than max_nodes=2,000.*collapse=True"):
        draw_dot(y)
    assert len(draw_dot(y, max_nodes=5000).source) > 0


def test_save_formats(tmp_path):
    o = lecture_neuron()
    assert ET.parse(save(o, tmp_path / "g.svg")).getroot().tag == f"{SVG}svg"
    assert save(o, tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert save(o, tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"
    assert save(o, tmp_path / "g.dot").read_text().startswith("digraph")
    with pytest.raises(ValueError, match="cannot tell the format"):
        save(o, tmp_path / "g.jpeg")


def test_digraph_works_as_in_micrograds_notebook(tmp_path):
    o = lecture_neuron()
    dot = micrograd.draw_dot(o)  # re-exported at the top level
    assert b"<svg" in dot.pipe(format='svg')
    out = dot.render(str(tmp_path / "gout"))
    assert out.endswith("gout.svg")
    assert "image/svg+xml" in dot._repr_mimebundle_()  # how Jupyter shows it inline


def test_bad_root():
    with pytest.raises(TypeError, match="got float"):
        draw_dot(1.0)
