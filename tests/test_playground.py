"""The playground's server, without a browser: its answers, its refusals, its limits, its
files, its trainers and threads, and the command that starts it."""

import http.client
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from micrograd import Value, draw_dot, explain, is_grad_enabled
from micrograd.graph import to_json
from micrograd.parse import build
from micrograd.playground import expression, training
from micrograd.playground.server import FILES, MAX_BODY, start
from micrograd.playground.training import MAX_POINTS, MAX_STEPS, Sessions, Trainer
from micrograd.viz import render

from conftest import another_thread_in_no_grad, require_program

ROOT = Path(__file__).resolve().parent.parent
NEURON = ('tanh(x1*w1 + x2*w2 + b)', 'x1=2 x2=0 w1=-3 w2=1 b=6.8813735870195432')


def ask(server, method, path, body=None, raw=None, headers=None):
    """(status, answer): the answer as JSON where it is JSON, else bytes."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=60)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    if method == 'POST':
        headers = {'Content-Type': 'application/json', **(headers or {})}
    connection.request(method, path, body=data, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    kind = response.getheader('Content-Type', '')
    connection.close()
    return response.status, json.loads(content) if kind == 'application/json' else content


def error_of(server, path, body, status=400):
    got, answer = ask(server, 'POST', path, body)
    assert got == status, answer
    assert set(answer) == {'error'} and 'Traceback' not in answer['error']
    return answer['error']


# -- the expression page's answer ----------------------------------------------------------

def test_the_lecture_neuron_has_its_published_numbers():
    a = expression.answer(*NEURON)
    assert a['value'] == '0.707107'
    grads = {v['name']: float(v['grad']) for v in a['variables']}
    assert grads == pytest.approx({'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0, 'b': 0.5},
                                  abs=1e-6)
    assert re.search(r'>data 0\.7071<.*?>grad 1\.0000<', a['svg'], re.S)
    assert '>grad &#45;1.5000<' in a['svg'] or '>grad -1.5000<' in a['svg']


def test_steps_and_rows_are_explains_own():
    a = expression.answer('a*a + b', 'a=3 b=1')
    root, _ = build('a*a + b', {'a': 3, 'b': 1})
    root.backward()
    table = explain(root)
    lines = [[*r['cells'], *edge] if k == 0 else [''] * 5 + edge
             for r in a['rows'] for k, edge in enumerate(r['edges'] or [[''] * 4])]
    assert lines == table.table()
    assert [r['step'] for r in a['rows']] == [1, 2, 3, 4]
    first, square = a['steps'][0], a['steps'][1]
    assert (first['name'], first['op'], first['grad']) == ('a*a+b', '+', '1')
    # a*a sends 3 to a twice; the running total on the second edge is 6
    assert [(e['name'], e['local'], e['sent'], e['total']) for e in square['sent']] == \
        [('a', '3', '3', '3'), ('a', '3', '3', '6')]
    keys = [n['key'] for n in a['graph']['nodes']]
    assert [s['key'] for s in a['steps']] == keys[::-1]  # backward visits in reverse
    assert square['sent'][0]['key'] == next(n['key'] for n in a['graph']['nodes']
                                            if n['name'] == 'a')


def test_an_answer_sorts_its_graph_once_and_says_what_each_part_says_alone(monkeypatch):
    """The picture, the JSON and the table come from one GraphView: one sort for all three
    (they once sorted four times), and the same as draw_dot, to_json and explain alone."""
    require_program("dot")
    import micrograd.graph
    sorts, depth_first = [], micrograd.graph._depth_first

    def counted(roots, everything):
        sorts.append(everything)
        return depth_first(roots, everything)
    for name in ('graph', 'viz', 'explain', 'playground.expression'):
        module = sys.modules[f'micrograd.{name}']  # (micrograd.explain is the function)
        if hasattr(module, '_depth_first'):  # also where it is imported by name
            monkeypatch.setattr(module, '_depth_first', counted)
    expr, values = 'relu(a*b) + tanh(a - c) * a', 'a=2 b=-3 c=1'  # a ReLU that is off
    a = expression.answer(expr, values)
    assert sorts == [True]
    monkeypatch.undo()
    root, _ = build(expr, {'a': 2, 'b': -3, 'c': 1})
    root.backward()
    assert a['graph'] == to_json(root)
    assert a['svg'] == render(draw_dot(root, show_order=True), 'svg').decode()
    table = explain(root)
    assert [s['name'] for s in a['steps']] == [s.name for s in table]
    assert [e['sent'] for s in a['steps'] for e in s['sent']] == \
        [f"{e.contribution:.6g}" for s in table for e in s.sent]
    lines = [[*r['cells'], *edge] if k == 0 else [''] * 5 + edge
             for r in a['rows'] for k, edge in enumerate(r['edges'] or [[''] * 4])]
    assert lines == table.table()


def test_a_relu_that_is_off_sends_zeros_as_backward_does():
    a = expression.answer('relu(x) * y', 'x=-2 y=5')
    relu = next(s for s in a['steps'] if s['op'] == 'ReLU')
    assert relu['grad'] == '5'
    assert [(e['local'], e['sent']) for e in relu['sent']] == [('0', '0')]
    assert {v['name']: v['grad'] for v in a['variables']} == {'x': '0', 'y': '0'}


# -- the server: the page, its files, hostile paths ---------------------------------------

def test_the_page_and_its_files_are_served(server):
    status, page = ask(server, 'GET', '/')
    assert status == 200 and b'data-testid="expression"' in page
    for name in ('app.js', 'style.css'):
        status, content = ask(server, 'GET', f'/static/{name}')
        assert status == 200 and content == FILES[name].read_bytes()


@pytest.mark.parametrize('path', [
    '/static/../engine.py', '/static/%2e%2e/engine.py', '/static/%2E%2E%2Fengine.py',
    '/../micrograd/engine.py', '/%2e%2e/%2e%2e/etc/passwd', '/static/..%2f..%2fsetup.py',
    '/static//etc/passwd', '/static/%252e%252e/engine.py', '/etc/passwd', '/static/',
    '/static/app.js/..', '/static/..\\engine.py', '/static/.%2e/server.py', '/index.html%00',
    '/playground/server.py', '/static/nothing.js'])
def test_hostile_paths_are_404(server, path):
    status, _ = ask(server, 'GET', path)
    assert status == 404


def test_api_refusals_are_json_and_the_server_goes_on(server):
    assert ask(server, 'GET', '/api/nothing')[0] == 404
    status, answer = ask(server, 'GET', '/api/expression')
    assert status == 405 and 'POST' in answer['error']
    status, answer = ask(server, 'POST', '/api/expression', raw=b'{not json')
    assert status == 400 and answer == {'error': 'the body is not JSON'}
    status, answer = ask(server, 'POST', '/api/expression', raw=b'[1, 2]')
    assert status == 400 and 'JSON object' in answer['error']
    status, answer = ask(server, 'POST', '/api/expression', raw=b'x' * (MAX_BODY + 1))
    assert status == 413 and f'{MAX_BODY:,}' in answer['error']
    status, answer = ask(server, 'POST', '/api/expression', raw=b'[' * 5000 + b']' * 5000)
    assert status == 400 and answer == {'error': 'the body is not JSON'}
    assert ask(server, 'GET', '/api/health') == (200, {'ok': True})


@pytest.mark.parametrize('expr, variables, words', [
    ('a +', 'a=1', ['syntax error']),
    ('a * q', 'a=1', ["unknown name 'q'", 'variables: a']),
    ('a * b', 'a=1', ["unknown name 'b'"]),
    ('log(x)', 'x=-1', ['log', '-1']),
    ('1 / x', 'x=0', ['division']),
    ('__import__("os")', '', ["unknown function '__import__'"]),
    ('().__class__', '', ['Attribute is not allowed']),
    ('open("setup.py")', '', ["unknown function 'open'"]),
    ('a', 'a=two', ['name=number', "'a=two'"]),
    ('a', 'a=1 a=2', ['a given more than once']),
    ('', '', ['type an expression']),
    ('a' * (expression.MAX_LENGTH + 1), 'a=1', [f'{expression.MAX_LENGTH:,}', 'limit']),
    ('+'.join(['a'] * 500), 'a=1', ['more than 400 values', 'the most the playground draws']),
    (3, '', ['must be text']),
])
def test_bad_expressions_get_a_message(server, expr, variables, words):
    message = error_of(server, '/api/expression', {'expression': expr, 'variables': variables})
    for word in words:
        assert word in message, message
    status, answer = ask(server, 'POST', '/api/expression',
                         {'expression': NEURON[0], 'variables': NEURON[1]})
    assert status == 200 and answer['value'] == '0.707107'


def test_an_unexpected_failure_is_one_line_not_a_traceback(server, monkeypatch, capsys):
    def broken(expr, variables):
        raise KeyError('boom')
    monkeypatch.setattr(expression, 'answer', broken)
    message = error_of(server, '/api/expression', {'expression': 'a', 'variables': 'a=1'}, 500)
    assert message == "the server failed: KeyError: 'boom'"
    monkeypatch.undo()
    assert ask(server, 'GET', '/api/health') == (200, {'ok': True})


# -- training: the calls, the limits ------------------------------------------------------

def session(name):
    return f'test-{name}-0000'


def test_thirty_steps_lower_the_loss_and_change_the_boundary(server):
    s = session('thirty')
    status, first = ask(server, 'POST', '/api/train/reset', {'session': s, 'settings': {}})
    assert status == 200 and first['step'] == 0 and len(first['points']) == 100
    status, news = ask(server, 'POST', '/api/train/step', {'session': s, 'steps': 30})
    assert status == 200 and news['step'] == 30 and len(news['history']) == 30
    losses = [loss for loss, _ in news['history']]
    assert losses[-1] < 0.6 * losses[0]
    assert news['accuracy'] > 0.8
    flips = sum((a > 0) != (b > 0) for r0, r1 in zip(first['boundary'], news['boundary'])
                for a, b in zip(r0, r1))
    assert flips > 0


def test_points_are_added_and_removed(server):
    s = session('points')
    ask(server, 'POST', '/api/train/reset', {'session': s, 'settings': {'dataset': 'xor'}})
    status, news = ask(server, 'POST', '/api/train/points',
                       {'session': s, 'action': 'add', 'x': 0.5, 'y': -0.25, 'label': 1})
    assert status == 200 and news['points'][-1] == [0.5, -0.25, 1]
    count = len(news['points'])
    status, news = ask(server, 'POST', '/api/train/points',
                       {'session': s, 'action': 'remove', 'index': 0})
    assert len(news['points']) == count - 1
    for body, words in [({'action': 'add', 'x': 'left', 'y': 0, 'label': 1}, ['x coordinate']),
                        ({'action': 'add', 'x': 0, 'y': 0, 'label': 2}, ['class', '0 or 1']),
                        ({'action': 'remove', 'index': 999}, ['no point 999']),
                        ({'action': 'paint'}, ["'add' or 'remove'"])]:
        message = error_of(server, '/api/train/points', {'session': s, **body})
        assert all(w in message for w in words), message


def test_every_limit_is_named(server):
    s = session('limits')
    ask(server, 'POST', '/api/train/reset', {'session': s, 'settings': {}})
    cases = [
        ('/api/train/step', {'steps': MAX_STEPS + 1}, [f'1 to {MAX_STEPS}']),
        ('/api/train/step', {'steps': '5'}, ['whole number']),
        ('/api/train/reset', {'settings': {'hidden': [64]}}, ['at most 4 hidden layers', '32']),
        ('/api/train/reset', {'settings': {'hidden': '8,8,8,8,8'}}, ['at most 4']),
        ('/api/train/reset', {'settings': {'hidden': 'big'}}, ["got 'big'"]),
        ('/api/train/reset', {'settings': {'hidden': '9' * 5000}}, ["'99999", "9...", '16,16']),
        ('/api/train/reset', {'settings': {'dataset': 'mnist'}}, ['moons, circles, xor']),
        ('/api/train/reset', {'settings': {'dataset': ['moons']}}, ["dataset must be one of"]),
        ('/api/train/reset', {'settings': {'optimizer': {}}}, ["optimizer must be one of"]),
        ('/api/train/reset', {'settings': {'lr': 0}}, ['learning rate', 'above 0']),
        ('/api/train/reset', {'settings': {'lr': 'fast'}}, ['learning rate']),
        ('/api/train/reset', {'settings': {'batch': 0}}, ['batch size', 'from 1 to 300']),
        ('/api/train/reset', {'settings': {'batch': '1e999'}}, ['batch size', "'1e999'"]),
        ('/api/train/reset', {'settings': {'batch': True}}, ['batch size']),
        ('/api/train/reset', {'settings': {'depth': 3}}, ['unknown settings: depth']),
        ('/api/train/graph', {'index': -1}, ['no point -1']),
    ]
    for path, body, words in cases:
        message = error_of(server, path, {'session': s, **body})
        assert all(w in message for w in words), (path, body, message)
        assert len(message) < 300
    # a refused call changes nothing: its arguments are checked before it acts
    for path, body in [('/api/train/step', {'steps': 5, 'since': -1}),
                       ('/api/train/points', {'action': 'add', 'x': 0, 'y': 0, 'label': 1,
                                              'since': 'x'}),
                       ('/api/train/start', {'since': None})]:
        assert 'since must be a step count' in error_of(server, path, {'session': s, **body})
    _, news = ask(server, 'POST', '/api/train/state', {'session': s})
    assert (news['step'], len(news['points']), news['running']) == (0, 100, False)
    # the work of one request is bounded by the network's size too
    ask(server, 'POST', '/api/train/reset',
        {'session': s, 'settings': {'hidden': [32] * 4, 'batch': 300}})
    message = error_of(server, '/api/train/step', {'session': s, 'steps': 40})
    assert 'from 1 to 12 per request for this network and batch' in message
    message = error_of(server, '/api/train/step', {'session': '../../etc', 'steps': 1})
    assert 'session' in message
    trainer = server.sessions.get(s)
    trainer.points[:] = [[0.0, 0.0, 0]] * MAX_POINTS
    message = error_of(server, '/api/train/points',
                       {'session': s, 'action': 'add', 'x': 0, 'y': 0, 'label': 1})
    assert f'{MAX_POINTS} points' in message and len(trainer.points) == MAX_POINTS


def test_a_point_shows_its_graph_with_neurons_collapsed(server):
    s = session('graph')
    ask(server, 'POST', '/api/train/reset',
        {'session': s, 'settings': {'hidden': '4', 'loss': 'bce'}})
    status, g = ask(server, 'POST', '/api/train/graph', {'session': s, 'index': 3})
    assert status == 200 and g['index'] == 3
    assert g['svg'].count('neuron(2) ReLU') == 4 and 'neuron(4)' in g['svg']
    trainer = server.sessions.get(s)
    x, y, label = trainer.points[3]
    score = trainer.model([x, y]).data
    assert float(g['score']) == pytest.approx(score, abs=1e-4)
    assert float(g['loss']) == pytest.approx(math.log1p(math.exp(-score if label else score)),
                                             abs=1e-4)


def test_two_tabs_have_their_own_state(server):
    a, b = session('tab-a'), session('tab-b')
    ask(server, 'POST', '/api/train/reset', {'session': a, 'settings': {'dataset': 'circles'}})
    ask(server, 'POST', '/api/train/reset', {'session': b, 'settings': {'dataset': 'xor'}})
    ask(server, 'POST', '/api/train/step', {'session': a, 'steps': 3})
    _, news_a = ask(server, 'POST', '/api/train/state', {'session': a})
    _, news_b = ask(server, 'POST', '/api/train/state', {'session': b})
    assert (news_a['step'], news_a['settings']['dataset']) == (3, 'circles')
    assert (news_b['step'], news_b['settings']['dataset']) == (0, 'xor')


def test_abandoned_tabs_are_dropped_and_their_number_is_bounded():
    sessions = Sessions(most=2)
    first = sessions.get('tab-one-0000', create=True)
    first.start()
    assert first.news()['new'] and not first.news()['new']  # the page learns it once
    second = sessions.get('tab-two-0000', create=True)
    third = sessions.get('tab-three-00', create=True)  # full: the idle tab gives way
    assert set(sessions.trainers) == {'tab-one-0000', 'tab-three-00'} and second.retired
    with pytest.raises(ValueError, match="this tab's network is gone") as gone:
        sessions.get('tab-two-0000')  # its page asks again: told, not given a new one
    assert gone.value.status == 410 and 'Reset starts a new one' in str(gone.value)
    third.start()
    with pytest.raises(ValueError, match='2 pages are training already') as refused:
        sessions.get('tab-four-000', create=True)
    assert refused.value.status == 503
    for key, (trainer, _) in list(sessions.trainers.items()):  # ten minutes pass
        sessions.trainers[key] = (trainer, time.monotonic() - training.SESSION_TTL - 1)
    assert sessions.get('tab-four-000', create=True).news()['new']
    assert set(sessions.trainers) == {'tab-four-000'}
    for trainer in (first, third):
        trainer.thread.join(10)
        assert trainer.retired and not trainer.running and not trainer.thread.is_alive()
    first.start()  # a dropped trainer never runs again
    assert not first.running
    sessions.close()


def test_only_the_pages_first_question_makes_a_network(server):
    status, answer = ask(server, 'GET', f"/api/train/state?session={session('get')}")
    assert status == 405 and 'POST' in answer['error']  # (any page can make a GET)
    before = set(server.sessions.trainers)
    for path, body in [('/api/train/step', {'steps': 0}), ('/api/train/step', {'steps': 1}),
                       ('/api/train/points', {'action': 'jump'}),
                       ('/api/train/graph', {'index': 0}), ('/api/train/start', {})]:
        message = error_of(server, path, {'session': session('stranger'), **body}, 410)
        assert "this tab's network is gone" in message
    assert set(server.sessions.trainers) == before
    status, news = ask(server, 'POST', '/api/train/state', {'session': session('first')})
    assert status == 200 and news['new'] and news['step'] == 0


def test_a_loss_that_overflows_stops_the_steps_before_its_own(server):
    s = session('diverge')
    ask(server, 'POST', '/api/train/reset', {'session': s, 'settings': {
        'loss': 'mse', 'lr': 10, 'hidden': '32,32', 'batch': 20}})
    status, news = ask(server, 'POST', '/api/train/step', {'session': s, 'steps': 12})
    assert status == 200 and 'learning rate is too high' in news['problem']
    assert 0 < news['step'] < 12 and len(news['history']) == news['step']
    assert all(math.isfinite(loss) for loss, _ in news['history'])
    trainer = server.sessions.get(s)
    assert all(math.isfinite(p.data) for p in trainer.model.parameters())
    status, g = ask(server, 'POST', '/api/train/graph', {'session': s, 'index': 0})
    assert status == 200 and isinstance(g['score'], str)  # 'inf' or a number, as shown


def test_the_server_answers_to_its_own_names_only(server):
    port = server.server_address[1]
    for host in (f'127.0.0.1:{port}', f'localhost:{port}', f'LOCALHOST:{port}',
                 f'[::1]:{port}', f'10.1.2.3:{port}', f'{socket.gethostname()}:{port}'):
        assert server.answers_to(host), host
    for host in (f'evil.example:{port}', f'localhost.evil.example:{port}', 'localhost:1',
                 'localhost', '', f'127.0.0.1.evil.example:{port}'):
        assert not server.answers_to(host), host


def test_at_most_four_networks_train_at_once():
    sessions = Sessions()
    trainers = [sessions.get(f'tab-run-{k:04}', create=True)
                for k in range(training.MAX_RUNNING + 1)]
    try:
        for t in trainers[:-1]:
            t.start(sessions.running())
        with pytest.raises(ValueError, match='4 networks are training already') as refused:
            trainers[-1].start(sessions.running())
        assert refused.value.status == 429 and not trainers[-1].running
    finally:
        sessions.close()


def test_a_page_from_elsewhere_is_refused(server):
    host, port = server.server_address[:2]
    for headers, words in [({'Host': f'evil.example:{port}'}, ['answers to', 'evil.example']),
                           ({'Origin': 'http://evil.example'}, ["'http://evil.example'"])]:
        status, answer = ask(server, 'POST', '/api/train/step',
                             {'session': session('evil'), 'steps': 1}, headers=headers)
        assert status == 403 and all(w in answer['error'] for w in words), answer
    assert 'test-evil-0000' not in server.sessions.trainers
    status, answer = ask(server, 'POST', '/api/expression', raw=b'{"expression": "1"}',
                         headers={'Content-Type': 'text/plain'})
    assert status == 415 and 'application/json' in answer['error']
    status, answer = ask(server, 'POST', '/api/expression', raw=b'{}',
                         headers={'Origin': f'http://{host}:{port}'})
    assert status == 400 and 'type an expression' in answer['error']  # its own page
    status, answer = ask(server, 'GET', '/', headers={'Host': f'localhost:{port}'})
    assert status == 200


def test_a_body_that_never_comes_or_comes_in_chunks_is_refused(server, monkeypatch):
    from micrograd.playground.server import Handler
    monkeypatch.setattr(Handler, 'timeout', 0.5)
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=10) as c:
        c.sendall(b'POST /api/expression HTTP/1.1\r\nHost: ' + f'{host}:{port}'.encode()
                  + b'\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a"')
        started = time.monotonic()
        assert c.recv(1000) == b'' and time.monotonic() - started < 5  # closed, not hung
    status, answer = ask(server, 'POST', '/api/expression', raw=b'{}',
                         headers={'Transfer-Encoding': 'chunked'})
    assert status == 411 and 'Content-Length' in answer['error']
    assert ask(server, 'GET', '/api/health') == (200, {'ok': True})


def test_a_run_starts_pauses_and_stops_when_the_loss_overflows(server):
    s = session('run')
    ask(server, 'POST', '/api/train/reset', {'session': s, 'settings': {}})
    status, news = ask(server, 'POST', '/api/train/start', {'session': s})
    assert status == 200 and news['running']
    deadline = time.monotonic() + 30
    while news['step'] < 5 and time.monotonic() < deadline:
        _, news = ask(server, 'POST', '/api/train/state', {'session': s})
    _, news = ask(server, 'POST', '/api/train/pause', {'session': s})
    assert not news['running'] and news['step'] >= 5
    steps = news['step']
    time.sleep(0.2)
    assert ask(server, 'POST', '/api/train/state', {'session': s})[1]['step'] == steps
    # a learning rate far too high: the run stops with a message, the parameters intact
    ask(server, 'POST', '/api/train/reset',
        {'session': s, 'settings': {'loss': 'mse', 'lr': 10, 'optimizer': 'sgd'}})
    ask(server, 'POST', '/api/train/start', {'session': s})
    deadline = time.monotonic() + 60
    while news.get('problem') is None and time.monotonic() < deadline:
        _, news = ask(server, 'POST', '/api/train/state', {'session': s})
    assert not news['running'] and 'learning rate is too high' in news['problem']
    trainer = server.sessions.get(s)
    assert all(math.isfinite(p.data) for p in trainer.model.parameters())


def test_training_records_in_its_thread_while_another_runs_under_no_grad():
    trainer = Trainer({'hidden': [8], 'seed': 3})
    with another_thread_in_no_grad() as seen:
        assert seen == [False] and is_grad_enabled()
        before = [p.data for p in trainer.model.parameters()]
        trainer.step(5)
        assert [p.data for p in trainer.model.parameters()] != before
    # and the other way round: the page's requests read under no_grad while a run records
    trainer.start()
    grids, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            grids.append(trainer.news()['boundary'])
            assert is_grad_enabled()  # this thread's mode is back after each no_grad
    readers = [threading.Thread(target=read) for _ in range(2)]
    for r in readers:
        r.start()
    deadline = time.monotonic() + 30
    while len(trainer.history) < 40 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for r in readers:
        r.join()
    trainer.pause()
    losses = [loss for loss, _ in trainer.history]
    assert len(losses) >= 40 and losses[-1] < losses[5]
    assert grids and all(len(g) == training.GRID for g in grids)
    x = Value(2.0)
    assert (x * x)._prev  # this thread records


# -- the command ---------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def playground(*args):
    return subprocess.Popen([sys.executable, '-m', 'micrograd', 'playground', '--no-browser',
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_the_command_serves_and_stops_on_ctrl_c():
    require_program('dot')
    port = free_port()
    process = playground('--port', str(port))
    try:
        line = process.stdout.readline()
        assert line.strip() == f'micrograd playground: http://127.0.0.1:{port}/  (Ctrl-C stops it)'
        connection = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        connection.request('GET', '/api/health')
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0 and 'stopped' in out and err == ''


def test_it_serves_on_ipv6_too():
    if not socket.has_ipv6:
        pytest.skip('this machine has no IPv6')
    try:
        server = start('::1')
    except OSError as e:  # no ::1 configured here
        pytest.skip(f'::1 is not available: {e}')
    try:
        assert server.url.startswith('http://[::1]:')
        assert ask(server, 'GET', '/api/health') == (200, {'ok': True})
    finally:
        server.shutdown()
        server.server_close()


def test_a_port_in_use_is_one_line_naming_it():
    require_program('dot')
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        out, err = playground('--port', str(port)).communicate(timeout=60)
    assert out == '' and err == (f"micrograd playground: port {port} is in use: stop what "
                                 f"uses it, or pass --port with another\n")
    _, err = playground('--port', '70000').communicate(timeout=60)
    assert err == 'micrograd playground: --port must be 0 to 65535, got 70000\n'


def test_the_page_is_package_data_in_the_wheel(tmp_path):
    env = {**os.environ, 'MICROGRAD_PURE': '1'}  # no compile: only the files matter here
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps',
                    '--no-build-isolation', '-w', str(tmp_path), str(ROOT)],
                   check=True, env=env, capture_output=True, timeout=600)
    (wheel,) = tmp_path.glob('micrograd-*.whl')
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in FILES:
        assert f'micrograd/playground/static/{name}' in names
    assert 'micrograd/playground/server.py' in names and 'micrograd/graph.py' in names
