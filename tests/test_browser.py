"""The playground in a real browser: Playwright driving Debian's Chromium, headless.

The server runs in this process on a free port. Every test fails on a JavaScript error,
and on any console error but the 4xx answers a test provokes on purpose. With
SCREENSHOTS=docs (`make screenshots`) the screenshot test writes the README's pictures.
"""

import math
import os
import re
from pathlib import Path

import pytest

from micrograd import Value

from conftest import require_module, require_program

CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu',
                  '--disable-background-networking', '--disable-component-update',
                  '--disable-sync', '--no-first-run', '--disable-quic']
B = 6.8813735870195432  # the lecture's bias: tanh's input is then 0.8814, its output 1/sqrt(2)


@pytest.fixture(scope='module')
def browser():
    chromium = require_program('chromium')
    sync_api = require_module('playwright.sync_api')
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def expect():
    return require_module('playwright.sync_api').expect


class Page:
    """A tab on the playground that records what the console says."""

    def __init__(self, browser, server, context=None):
        self.context = context or browser.new_context(viewport={'width': 1400, 'height': 900})
        self.page = self.context.new_page()
        self.errors, self.refusals = [], []
        self.page.on('pageerror', lambda e: self.errors.append(f"page error: {e}"))
        self.page.on('console', self._console)
        self.page.goto(server.url)
        self.page.wait_for_selector('[data-testid=graph] svg')

    def _console(self, message):
        if message.type != 'error':
            return
        if re.search(r'status of 4\d\d', message.text):
            self.refusals.append(message.text)  # the answer to a request a test made bad
        else:
            self.errors.append(f"console: {message.text}")

    def __getattr__(self, name):
        return getattr(self.page, name)

    def id(self, testid):
        return self.page.get_by_test_id(testid)

    def record(self, name):
        """The texts of the record of the value called `name` in the expression's SVG."""
        return self.page.evaluate("""(name) => {
            for (const g of document.querySelectorAll('[data-testid=graph] g.node')) {
                const texts = [...g.querySelectorAll('text')].map((t) => t.textContent);
                if (texts.includes(name)) return texts;
            }
            return null;
        }""", name)


@pytest.fixture
def tab(browser, server):
    t = Page(browser, server)
    yield t
    t.context.close()
    assert t.errors == []


def number(text):
    return float(text.split()[-1])


def test_the_svg_shows_the_right_data_and_gradients(tab):
    # y = tanh(x1*w1 + x2*w2 + b) at the lecture's numbers: y = 1/sqrt(2), dy/dn = 1/2
    out = tab.record('out')
    assert number(out[2]) == pytest.approx(1 / math.sqrt(2), abs=1e-4) and out[3] == 'grad 1.0000'
    expected = {'x1': (2, -3 * 0.5), 'w1': (-3, 2 * 0.5), 'x2': (0, 1 * 0.5),
                'w2': (1, 0.0), 'b': (B, 0.5)}
    for name, (data, grad) in expected.items():
        record = tab.record(name)
        assert number(record[2]) == pytest.approx(data, abs=1e-4), record
        assert number(record[3]) == pytest.approx(grad, abs=1e-4), record
    n = tab.record('x1*w1+x2*w2+b')
    assert number(n[2]) == pytest.approx(0.8814, abs=1e-4) and n[3] == 'grad 0.5000'
    rows = tab.id('explain').locator('tbody tr')
    assert rows.count() == 10  # one per step: its edges are lines in its cells
    assert rows.nth(3).locator('td').nth(5).inner_text().split() == ['x1', 'w1']


@pytest.mark.parametrize('k', [1, 3, 10])
def test_k_steps_of_backward_highlight_the_kth_row(tab, expect, k):
    for _ in range(k):
        tab.id('backward-step').click()
    expect(tab.id('current-step')).to_have_text(re.compile(rf'^Backward step {k} of 10\b'))
    expect(tab.id('current-step')).to_have_attribute('data-step', str(k))
    rows = tab.id('explain').locator('tbody tr.current')
    assert rows.count() == 1
    assert rows.first.locator('td').first.inner_text() == str(k)
    assert tab.id('explain').locator('tbody tr').nth(k - 1).get_attribute('class') == 'current'
    assert rows.first.get_attribute('aria-current') == 'step'
    # the node being processed is highlighted in the picture, and it is the k-th row's value
    name = rows.first.locator('td').nth(1).inner_text()
    current = tab.evaluate("""() => [...document.querySelectorAll(
        '[data-testid=graph] g.node.current text')].map((t) => t.textContent)""")
    assert name in current or f'#{k}' in current
    if k == 1:  # backward starts over: the output has its 1, the rest nothing yet
        assert tab.record('out')[3] == 'grad 1.0000'
        assert tab.record('x1')[3] == 'grad 0.0000'
    if k == 10:  # all done: every gradient is the finished one
        assert tab.record('x1')[3] == 'grad -1.5000'
    tab.id('step-back').click()
    expect(tab.id('current-step')).to_have_attribute('data-step', str(k - 1))
    tab.id('backward-reset').click()  # back to before anything is computed
    expect(tab.id('current-step')).to_have_text('Step 0 of 10: nothing computed yet')
    assert tab.id('explain').locator('tbody tr.current').count() == 0
    assert tab.record('out')[2:] == ['data ?', 'grad ?']


def test_forward_shows_values_in_the_order_they_are_computed(tab, expect):
    for _ in range(3):
        tab.id('forward-step').click()
    expect(tab.id('current-step')).to_have_text(re.compile(r'^Forward step 3 of 10'))
    shown = tab.evaluate("""() => expr.answer.graph.nodes.map((n) => {
        const texts = expr.parts[n.key].data.map((t) => t.textContent);
        return texts[0];
    })""")
    assert all(t != 'data ?' for t in shown[:3]) and all(t == 'data ?' for t in shown[3:])


def test_editing_a_value_changes_the_numbers(tab, expect):
    field = tab.id('var-x1')
    field.fill('3')
    field.dispatch_event('change')
    expect(tab.id('variables')).to_have_value(re.compile(r'\bx1=3\b'))
    expect(tab.id('value')).not_to_have_text(re.compile('0.707107'))
    x1, w1 = Value(3.0), Value(-3.0)
    y = (x1 * w1 + Value(0.0) * Value(1.0) + Value(B)).tanh()
    y.backward()
    assert tab.id('value').inner_text() == f"out = {y.data:.6g}"
    record = tab.record('w1')
    assert number(record[3]) == pytest.approx(w1.grad, abs=1e-4)
    assert number(tab.record('x1')[2]) == 3.0


def test_a_bad_expression_gives_an_inline_error_and_the_page_still_works(tab, expect):
    before = tab.id('graph').inner_html()
    tab.id('expression').fill('tanh(x1*w1 + ')
    tab.id('draw').click()
    expect(tab.id('error')).to_be_visible()
    expect(tab.id('error')).to_contain_text('syntax error')
    tab.id('expression').fill('log(x1 - 5)')
    tab.id('draw').click()
    expect(tab.id('error')).to_contain_text('log() is defined for positive numbers only')
    assert tab.id('graph').inner_html() == before  # the last good picture stays
    tab.id('expression').fill('x1 * q')
    tab.id('draw').click()
    expect(tab.id('error')).to_contain_text("unknown name 'q'")
    tab.id('expression').fill('x1 * w1 + b')
    tab.id('draw').click()
    expect(tab.id('error')).to_be_hidden()
    expect(tab.id('current-step')).to_have_text(re.compile('of 5'))
    assert number(tab.record('x1')[3]) == -3.0
    assert len(tab.refusals) == 3


def test_only_the_last_drawing_asked_for_is_shown(tab, expect):
    # answers that come back out of order: the older one must not overwrite the newer
    tab.evaluate("""() => {
        const real = window.fetch;
        window.fetch = (url, options) => {
            const slow = options && options.body && options.body.includes('slow');
            const wait = slow ? 800 : 0;
            return new Promise((done) => setTimeout(() => done(real(url, options)), wait));
        };
        draw('slow * 2', 'slow=1');
        draw('fast * 3', 'fast=1');
    }""")
    expect(tab.id('value')).to_have_text('fast*3 = 3')
    tab.wait_for_timeout(1200)
    expect(tab.id('value')).to_have_text('fast*3 = 3')
    expect(tab.id('expression')).to_have_value('fast * 3')


def test_an_older_training_answer_is_not_shown_over_a_newer_one(tab, expect):
    start_training(tab, expect)
    tab.evaluate("""() => {
        const real = window.fetch;
        window.fetch = (url, options) => {
            const slow = options && options.body && options.body.includes('"action":"add"');
            return real(url, options).then((answer) => new Promise(
                (done) => setTimeout(() => done(answer), slow ? 800 : 0)));
        };
        trainCall('/api/train/points', {action: 'add', x: 0, y: 0, label: 1});
        setTimeout(() => trainCall('/api/train/points', {action: 'remove', index: 0}), 100);
    }""")
    # the server adds, then removes; the add's answer comes back last, and is not shown
    tab.wait_for_timeout(1500)
    expect(tab.id('point-count')).to_have_text('100')


def test_a_field_redraws_the_drawn_expression_and_play_starts_again(tab, expect):
    tab.id('expression').fill('x1 * x1')  # typed, not drawn
    field = tab.id('var-w1')
    field.fill('inf')
    field.dispatch_event('change')
    expect(tab.id('variables')).to_have_value(re.compile(r'\bw1=inf\b'), timeout=20_000)
    expect(tab.id('value')).to_have_text('out = 1')  # tanh(2 * inf + ...): the drawn one's
    expect(tab.id('expression')).to_have_value('tanh(x1*w1 + x2*w2 + b)')
    field = tab.id('var-w1')
    assert field.input_value() == 'inf'
    field.fill('-1e400')
    field.dispatch_event('change')
    expect(tab.id('variables')).to_have_value(re.compile(r'\bw1=-1e400\b'), timeout=20_000)
    expect(tab.id('error')).to_be_hidden()
    expect(tab.id('value')).to_have_text('out = -1')
    field = tab.id('var-w1')
    field.fill('minus three')
    field.dispatch_event('change')
    expect(tab.id('error')).to_contain_text("'w1=minus'")
    tab.id('expression').fill('x1 * w1')
    tab.id('variables').fill('x1=2 w1=-3')
    tab.id('draw').click()
    expect(tab.id('error')).to_be_hidden()
    for _ in range(3):
        tab.id('backward-step').click()
    expect(tab.id('current-step')).to_have_text(re.compile(r'^Backward step 3 of 3'))
    assert tab.evaluate("expr.timer === null")
    tab.id('play').click()  # at the end: from the start again, forward first
    expect(tab.id('current-step')).to_have_text(re.compile(r'^Forward step 1 of 3'))
    tab.id('play').click()
    expect(tab.id('play')).to_have_text('Play')


def test_a_tab_whose_network_was_dropped_says_so(tab, server, expect):
    start_training(tab, expect)
    tab.id('train-step').click()
    expect(tab.id('train-step-count')).to_have_text('1')
    tab.id('hidden').fill('3')
    expect(tab.id('settings-pending')).to_be_visible()  # not applied until a reset
    server.sessions.trainers.pop(tab.evaluate("training.session"))  # as after 10 minutes
    tab.id('train-step').click()
    expect(tab.id('error')).to_contain_text("this tab's network is gone")
    tab.id('train-reset').click()
    expect(tab.id('error')).to_be_hidden()
    expect(tab.id('train-step-count')).to_have_text('0')
    expect(tab.id('settings-pending')).to_be_hidden()
    trainer = server.sessions.get(tab.evaluate("training.session"))
    assert trainer.settings['hidden'] == [3]


def test_a_reload_keeps_the_tabs_network(tab, server, expect):
    start_training(tab, expect)
    tab.id('train-step').click()
    expect(tab.id('train-step-count')).to_have_text('1')
    session = tab.evaluate("training.session")
    tab.reload()
    tab.wait_for_selector('[data-testid=graph] svg')
    assert tab.evaluate("training.session") == session
    tab.id('tab-training').click()
    expect(tab.id('train-step-count')).to_have_text('1')
    assert tab.evaluate("training.history.length") == 1


def start_training(tab, expect):
    tab.id('tab-training').click()
    expect(tab.id('point-count')).to_have_text('100')
    return tab.id('dataset-canvas')


def test_clicks_add_points_and_steps_lower_the_loss_and_move_the_boundary(tab, expect):
    canvas = start_training(tab, expect)
    canvas.click(position={'x': 40, 'y': 40})
    expect(tab.id('point-count')).to_have_text('101')
    tab.id('tool-add-1').check()
    canvas.click(position={'x': 400, 'y': 400})
    expect(tab.id('point-count')).to_have_text('102')
    classes = tab.evaluate("training.news.points.slice(-2).map((p) => p[2])")
    assert classes == [0, 1]
    picture = canvas.evaluate("(c) => c.toDataURL()")
    tab.id('train-step').click()
    expect(tab.id('train-step-count')).to_have_text('1')
    first = float(tab.id('loss').inner_text())
    for k in range(2, 31):
        tab.id('train-step').click()
        expect(tab.id('train-step-count')).to_have_text(str(k))
    assert float(tab.id('loss').inner_text()) < 0.8 * first
    assert canvas.evaluate("(c) => c.toDataURL()") != picture
    tab.id('tool-remove').check()
    x, y = tab.evaluate("toScreen(...training.news.points.at(-1))")
    canvas.click(position={'x': x, 'y': y})
    expect(tab.id('point-count')).to_have_text('101')


def test_selecting_a_point_shows_its_graph(tab, expect):
    canvas = start_training(tab, expect)
    tab.id('tool-inspect').check()
    x, y = tab.evaluate("toScreen(...training.news.points[7])")
    canvas.click(position={'x': x, 'y': y})
    graph = tab.id('point-graph').locator('svg')
    expect(graph).to_contain_text('neuron(2) ReLU')
    expect(graph).to_contain_text('loss')
    expect(tab.id('point-caption')).to_contain_text('point 7')
    tab.id('train-step').click()
    expect(tab.id('point-caption')).to_contain_text('after step 1')


def test_start_and_pause(tab, expect):
    start_training(tab, expect)
    tab.id('train-start').click()
    expect(tab.id('train-step-count')).not_to_have_text('0', timeout=20_000)
    tab.wait_for_function(
        "() => Number(document.querySelector('[data-testid=train-step-count]').textContent) >= 5",
        timeout=30_000)
    tab.id('train-pause').click()
    expect(tab.id('train-start')).to_be_enabled()
    steps = tab.id('train-step-count').inner_text()
    tab.wait_for_timeout(600)
    assert tab.id('train-step-count').inner_text() == steps
    assert tab.evaluate("training.history.length") == int(steps)


def test_two_tabs_train_their_own_networks(browser, server, expect):
    context = browser.new_context()
    one = Page(browser, server, context)
    two = Page(browser, server, context)
    try:
        start_training(one, expect)
        start_training(two, expect)
        one.id('train-step').click()
        expect(one.id('train-step-count')).to_have_text('1')
        two.id('tab-expression').click()
        two.id('tab-training').click()
        two.evaluate("refresh()")
        expect(two.id('train-step-count')).to_have_text('0')
        assert one.evaluate("training.session") != two.evaluate("training.session")
    finally:
        context.close()
    assert one.errors == [] and two.errors == []


@pytest.mark.parametrize('path', ['/static/%2e%2e/server.py', '/static/..%2fserver.py',
                                  '/..%2f..%2fsetup.py', '/static/nothing.js'])
def test_hostile_paths_get_404_in_the_browser(tab, server, path):
    response = tab.goto(server.url.rstrip('/') + path)
    assert response.status == 404
    tab.refusals.clear()


def test_screenshot_of_both_pages(browser, server, expect, tmp_path):
    folder = Path(os.environ.get('SCREENSHOTS') or tmp_path)
    tab = Page(browser, server, browser.new_context(viewport={'width': 1800, 'height': 900}))
    for _ in range(4):
        tab.id('backward-step').click()
    expect(tab.id('current-step')).to_have_text(re.compile(r'^Backward step 4 of 10'))
    expect(tab.id('graph-fit')).to_have_text('Actual size')  # the picture fits its box
    tab.screenshot(path=folder / 'playground-expression.png')
    canvas = start_training(tab, expect)
    for k in range(1, 4):
        tab.id('train-step').click()
        expect(tab.id('train-step-count')).to_have_text(str(k))
    tab.evaluate("trainCall('/api/train/step', {steps: 60})")
    expect(tab.id('train-step-count')).to_have_text('63')
    tab.id('tool-inspect').check()
    # the point with the largest loss: its graph has gradients to show
    trainer = server.sessions.get(tab.evaluate("training.session"))
    margins = [(2 * c - 1) * trainer.model([x, y]).data for x, y, c in trainer.points]
    worst = margins.index(min(margins))
    x, y = tab.evaluate(f"toScreen(...training.news.points[{worst}])")
    canvas.click(position={'x': x, 'y': y})
    expect(tab.id('point-caption')).to_contain_text(f'point {worst} ')
    tab.screenshot(path=folder / 'playground-training.png', full_page=True)
    tab.context.close()
    assert tab.errors == []
    for name in ('playground-expression.png', 'playground-training.png'):
        data = (folder / name).read_bytes()
        assert data[:8] == b'\x89PNG\r\n\x1a\n' and len(data) > 20_000
