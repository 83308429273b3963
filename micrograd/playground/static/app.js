// The playground's page. Every number it shows comes from the server, which computes it
// with the library (draw_dot, explain, a Trainer); this file only chooses what to show
// and when: which step of forward or backward, which point, which curve.
'use strict';

const $ = (id) => document.getElementById(id);

// -- talking to the server ---------------------------------------------------------------

async function call(path, body) {
  const options = body === undefined ? {} : {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)};
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    throw new Error('the playground server does not answer: is it still running?');
  }
  let answer;
  try {
    answer = await response.json();
  } catch (e) {
    throw new Error(`the server answered ${response.status} without JSON`);
  }
  if (!response.ok) throw new Error(answer.error || `the server answered ${response.status}`);
  return answer;
}

function showError(message) {
  const box = document.querySelector('[data-testid="error"]');
  box.textContent = message || '';
  box.hidden = !message;
}

// -- tabs --------------------------------------------------------------------------------

function showTab(name) {
  for (const tab of ['expression', 'training']) {
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === name));
    $(`${tab}-page`).hidden = tab !== name;
  }
  showError('');
  if (name === 'training' && !training.news) refresh();
}

// -- the expression page -----------------------------------------------------------------

const expr = {
  answer: null,      // the server's answer: svg, graph, rows, steps, variables
  drawn: null,       // the expression it answers
  asked: 0,          // drawings asked for: only the answer to the last one is shown
  phase: 'overview', // 'overview' (the finished picture), 'forward' or 'backward'
  k: 0,              // steps taken in the phase
  timer: null,       // play
  parts: {},         // key -> {groups, op, data: [text], grad: [text]} in the SVG
  fit: true,         // shrink a wide picture to the width of its box
};

async function draw(expression = $('expression').value, variables = $('variables').value) {
  const asked = ++expr.asked;
  let answer;
  try {
    answer = await call('/api/expression', {expression, variables});
  } catch (e) {
    if (asked === expr.asked) showError(e.message);
    return;
  }
  if (asked !== expr.asked) return;  // a newer drawing was asked for meanwhile: it counts
  showError('');
  $('expression').value = expression;
  $('variables').value = variables;
  // new values for the same expression keep the step the learner is at
  const same = expr.answer && expr.drawn === expression && expr.answer.steps.length === answer.steps.length;
  expr.answer = answer;
  expr.drawn = expression;
  if (!same) { stop(); expr.phase = 'overview'; expr.k = 0; }
  $('graph').replaceChildren(svgOf(answer.svg));
  fit($('graph'));
  findParts();
  drawTable();
  drawFields();
  const output = answer.graph.nodes.find((n) => n.key === answer.graph.output);
  $('value').textContent = `${output.name} = ${answer.value}`;
  showStep();
}

// a picture up to twice as wide as its box is shrunk to fit, unless the learner asked
// for its own size; a wider one keeps its size (dot's text stays readable) and scrolls
function fit(box) {
  const svg = box.querySelector('svg');
  if (!svg) return;
  if (!svg.dataset.width) {
    svg.dataset.width = svg.width.baseVal.value;
    svg.dataset.height = svg.height.baseVal.value;
  }
  const natural = Number(svg.dataset.width);
  const room = box.clientWidth - 12;
  const shrink = natural > room && room / natural >= 0.5 && expr.fit;
  const scale = shrink ? room / natural : 1;
  svg.setAttribute('width', natural * scale);
  svg.setAttribute('height', Number(svg.dataset.height) * scale);
  $('graph-fit').textContent = shrink ? 'Actual size' : 'Fit to width';
  $('graph-fit').hidden = natural <= room || room / natural < 0.5;
}

function svgOf(text) {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  return document.importNode(doc.documentElement, true);
}

// the groups of each value in the picture: its record (and its dashed copies beside far
// uses), its operation, the edges into that operation, and the texts 'data ...', 'grad ...'
function findParts() {
  const parts = {};
  const part = (key) => parts[key] || (parts[key] = {groups: [], op: null, edges: [], data: [], grad: []});
  for (const node of expr.answer.graph.nodes) part(node.key);
  for (const g of $('graph').querySelectorAll('g.node, g.edge')) {
    const title = g.querySelector('title').textContent;
    if (g.classList.contains('edge')) {
      const target = title.split('->')[1];
      if (target.endsWith('op')) part(target.slice(0, -2)).edges.push(g);
      continue;
    }
    if (title.endsWith('op')) { part(title.slice(0, -2)).op = g; continue; }
    const p = parts[title.split('-')[0]];
    if (!p) continue;
    p.groups.push(g);
    for (const t of g.querySelectorAll('text')) {
      t.dataset.shown = t.textContent;
      if (t.textContent.startsWith('data ')) p.data.push(t);
      if (t.textContent.startsWith('grad ')) p.grad.push(t);
    }
  }
  expr.parts = parts;
}

// one row per step, as explain() numbers them; a step's edges are lines in its last cells
function drawTable() {
  const {columns, rows} = expr.answer;
  const table = $('explain');
  const head = document.createElement('thead');
  const tr = head.insertRow();
  for (const c of columns) tr.appendChild(document.createElement('th')).textContent = c;
  const body = document.createElement('tbody');
  for (const row of rows) {
    const r = body.insertRow();
    r.dataset.step = row.step;
    for (const cell of row.cells) r.insertCell().textContent = cell;
    for (let i = 0; i < columns.length - row.cells.length; i++) {
      const cell = r.insertCell();
      for (const edge of row.edges) cell.appendChild(document.createElement('div')).textContent = edge[i] || '\u00a0';
    }
  }
  table.replaceChildren(head, body);
}

// a field per variable; the same variables as before keep their fields (and the focus),
// with the new numbers in them
function drawFields() {
  const table = $('variable-fields');
  const names = expr.answer.variables.map((v) => v.name);
  const rows = [...table.rows];
  if (rows.length !== names.length || rows.some((r, i) => r.dataset.name !== names[i])) {
    table.replaceChildren();
    for (const name of names) {
      const r = table.insertRow();
      r.dataset.name = name;
      r.insertCell().textContent = name;
      const input = document.createElement('input');
      input.inputMode = 'decimal';
      input.spellcheck = false;
      input.dataset.testid = `var-${name}`;
      input.setAttribute('aria-label', `value of ${name}`);
      input.addEventListener('change', () => { if (input.isConnected) setVariable(name, input.value); });
      r.insertCell().appendChild(input);
      r.insertCell();
    }
  }
  expr.answer.variables.forEach((v, i) => {
    const cells = table.rows[i].cells;
    cells[1].firstChild.value = v.value;
    cells[2].textContent = `grad ${v.grad}`;
  });
}

// a variable's new value: the drawn expression again, at the new values (the server reads
// and checks the number)
function setVariable(name, value) {
  const text = expr.answer.variables.map((v) => `${v.name}=${v.name === name ? value.trim() : v.value}`);
  draw(expr.drawn, text.join(' '));
}

function stepCount() {  // one step per value, forward and backward
  return expr.answer ? expr.answer.steps.length : 0;
}

// what the picture, the table and the caption show at (phase, k)
function showStep() {
  if (!expr.answer) return;
  const {graph, steps} = expr.answer;
  const n = steps.length;
  const shown = {};   // key -> {data, grad} text, where it differs from the finished picture
  let current = null, computed = null;
  const receiving = new Set(), changed = new Set();
  if (expr.phase === 'forward') {
    graph.nodes.forEach((node, i) => {
      if (i >= expr.k) shown[node.key] = {data: 'data ?', grad: 'grad ?'};
      else shown[node.key] = {grad: 'grad ?'};
    });
    if (expr.k > 0) {
      current = computed = graph.nodes[expr.k - 1].key;
    }
  } else if (expr.phase === 'backward') {
    const grads = {};  // what backward has collected so far, as the picture shows it
    for (const node of graph.nodes) grads[node.key] = '0.0000';
    for (let i = 0; i < expr.k; i++) {
      const s = steps[i];
      grads[s.key] = s.grad_shown;
      for (const e of s.sent) grads[e.key] = e.total_shown;
    }
    for (const node of graph.nodes) shown[node.key] = {grad: `grad ${grads[node.key]}`};
    if (expr.k > 0) {
      const s = steps[expr.k - 1];
      current = s.key;
      for (const e of s.sent) { receiving.add(e.key); changed.add(e.key); }
    }
  }
  for (const [key, p] of Object.entries(expr.parts)) {
    const text = shown[key] || {};
    for (const t of p.data) setText(t, text.data, key === computed);
    for (const t of p.grad) setText(t, text.grad, changed.has(key));
    const mark = (g, on, name) => g && g.classList.toggle(name, on);
    p.groups.forEach((g) => { mark(g, key === current, 'current'); mark(g, receiving.has(key), 'receives'); });
    mark(p.op, key === current, 'current');
    p.edges.forEach((g) => mark(g, key === current, 'current'));
  }
  const backward = expr.phase === 'backward' ? expr.k : 0;
  for (const r of $('explain').tBodies[0].rows) {
    const on = Number(r.dataset.step) === backward;
    r.classList.toggle('current', on);
    if (on) { r.setAttribute('aria-current', 'step'); r.scrollIntoView({block: 'nearest'}); }
    else r.removeAttribute('aria-current');
  }
  const label = $('current-step');
  label.dataset.step = expr.k;
  label.dataset.phase = expr.phase;
  $('step-detail').replaceChildren(...detail());
  if (expr.k === 0) {
    label.textContent = `Step 0 of ${n}: ` + {overview: 'forward and backward done',
      forward: 'nothing computed yet', backward: 'forward done, backward not started'}[expr.phase];
  } else {
    const node = expr.phase === 'forward' ? graph.nodes[expr.k - 1] : null;
    const name = node ? (node.name || `#${node.step}`) : steps[expr.k - 1].name;
    label.textContent = `${expr.phase === 'forward' ? 'Forward' : 'Backward'} step ${expr.k} of ${n}: ${name}`;
  }
  $('play').textContent = expr.timer ? 'Pause' : 'Play';
}

function setText(t, text, highlight = false) {
  t.textContent = text === undefined ? t.dataset.shown : text;
  t.classList.toggle('pending', (text || '').endsWith('?'));
  t.classList.toggle('changed', highlight);
}

// the caption of the step: in words, with the numbers of the table
function detail() {
  const lines = [];
  const line = (...parts) => {
    const p = document.createElement('div');
    for (const part of parts) {
      if (typeof part === 'string') p.append(part);
      else { const c = document.createElement('code'); c.textContent = part.code; p.append(c); }
    }
    lines.push(p);
  };
  const {graph, steps} = expr.answer;
  if (expr.k === 0) {
    line('Forward ▸ computes the values one by one; Backward ▸ follows the gradient back ' +
         'from the output (which starts with gradient 1), one row of the table at a time.');
  } else if (expr.phase === 'forward') {
    const node = graph.nodes[expr.k - 1];
    const name = node.name || `#${node.step}`;
    if (!node.inputs.length) line({code: name}, ` is an input: data ${node.data}`);
    else {
      const names = node.inputs.map((k) => { const i = graph.nodes.find((m) => m.key === k); return i.name || `#${i.step}`; });
      const formula = names.length === 2 && '+-*/**'.includes(node.op)
        ? `${names[0]} ${node.op} ${names[1]}` : `${node.op}(${names.join(', ')})`;
      line({code: name}, ` = ${formula} = ${node.data}`);
    }
  } else {
    const s = steps[expr.k - 1];
    line({code: s.name}, ` (${s.op}): the gradient that has arrived is ${s.grad}`);
    if (!s.sent.length) line('a leaf: nothing to send on; its gradient is complete');
    for (const e of s.sent) {
      const total = e.fan_out > 1 ? `; ${e.name} has ${e.total} so far (${e.fan_out} uses)` : '';
      line(`to `, {code: e.name}, `: local derivative ${e.local}, sends ${e.local} × ${s.grad} = ${e.sent}${total}`);
    }
  }
  return lines;
}

// one step on in `phase` ('forward' or 'backward'), starting it if another phase was on;
// false at its end
function stepOn(phase) {
  if (!expr.answer) return false;
  if (expr.phase !== phase) { expr.phase = phase; expr.k = 0; }
  if (expr.k >= stepCount()) return false;
  expr.k += 1;
  showStep();
  return true;
}

function stepBack() {
  if (expr.k === 0) return;
  expr.k -= 1;
  showStep();
}

// back to before anything is computed: Forward ▸ or Backward ▸ start from there
function reset() {
  stop();
  expr.phase = 'forward'; expr.k = 0;
  showStep();
}

function play() {
  if (expr.timer) { stop(); showStep(); return; }
  if (expr.phase === 'backward' && expr.k >= stepCount()) { expr.phase = 'forward'; expr.k = 0; }
  expr.timer = setInterval(() => {
    // forward to the end, then backward to the end
    const moved = expr.phase === 'backward' ? stepOn('backward') : (stepOn('forward') || stepOn('backward'));
    if (!moved) { stop(); showStep(); }
  }, 700);
  showStep();
}

function stop() {
  clearInterval(expr.timer);
  expr.timer = null;
}

// -- the training page -------------------------------------------------------------------

const training = {
  session: sessionId(),
  news: null,        // the server's last answer
  history: [],       // (loss, accuracy) per step
  selected: null,    // index of the point whose graph is shown
  polling: null,     // the timer that asks for news while training runs
  refreshing: false,
  graphAsked: 0,     // when the point's graph was last asked for (ms)
  graphTimer: null,
  graphBusy: false,  // a question about it is on its way
  graphAgain: false, // and another is wanted after it
};

// one id per tab: each tab trains its own network. It is kept in sessionStorage only
// while the page is away (a reload finds it), so that a tab duplicated meanwhile, which
// gets a copy of sessionStorage, finds none and takes an id of its own.
function sessionId() {
  let id = sessionStorage.getItem('micrograd-session');
  sessionStorage.removeItem('micrograd-session');
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  window.addEventListener('pagehide', () => sessionStorage.setItem('micrograd-session', id));
  window.addEventListener('pageshow', () => sessionStorage.removeItem('micrograd-session'));
  return id;
}

async function trainCall(path, body = {}) {
  try {
    const news = await call(path, {session: training.session, since: training.history.length, ...body});
    showError('');
    take(news);
    return news;
  } catch (e) {
    showError(e.message);
    return null;
  }
}

async function refresh() {
  if (training.refreshing) return;  // one question at a time
  training.refreshing = true;
  try {
    take(await call('/api/train/state', {session: training.session, since: training.history.length}));
  } catch (e) {
    showError(e.message);
    clearInterval(training.polling);  // (asked again on the next click)
    training.polling = null;
  } finally {
    training.refreshing = false;
  }
}

function take(news) {
  const shown = training.news;  // an answer older than the one shown (they may cross) is dropped
  if (shown && !news.new && (news.trainer !== shown.trainer || news.version < shown.version ||
                             news.step < shown.step)) return;
  if (news.new) {  // a network the page has not seen yet: its whole history comes
    training.history = [];
    showSettings(news.settings);
  }
  training.history = training.history.slice(0, news.step - news.history.length).concat(news.history);
  training.news = news;
  if (news.problem) showError(news.problem);
  $('step-count').textContent = news.step;
  $('loss').textContent = news.loss === null ? '–' : news.loss.toFixed(4);
  $('accuracy').textContent = news.accuracy === null ? '–' : `${(100 * news.accuracy).toFixed(1)}%`;
  $('point-count').textContent = news.points.length;
  $('train-start').disabled = news.running;
  $('train-pause').disabled = !news.running;
  drawData();
  drawCurves();
  if (news.running && !training.polling) training.polling = setInterval(refresh, 250);
  if (!news.running && training.polling) { clearInterval(training.polling); training.polling = null; }
  if (training.selected !== null && (!shown || shown.step !== news.step)) pointGraph(false);
}

function toScreen(x, y) {
  const [x0, x1, y0, y1] = training.news.view;
  const c = $('dataset-canvas');
  return [(x - x0) / (x1 - x0) * c.width, (y1 - y) / (y1 - y0) * c.height];
}

function toData(px, py) {
  const [x0, x1, y0, y1] = training.news.view;
  const c = $('dataset-canvas');
  return [x0 + px / c.width * (x1 - x0), y1 - py / c.height * (y1 - y0)];
}

function drawData() {
  const c = $('dataset-canvas');
  const g = c.getContext('2d');
  const {boundary, points} = training.news;
  const n = boundary.length;
  // the scores as an n x n image, stretched smoothly over the canvas
  const cells = new ImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const s = boundary[j][i];
      const strength = s === null ? 0.3 : Math.min(1, Math.abs(s)) * 0.55 + 0.15;
      const [r, gr, b] = s === null ? [150, 150, 150] : (s > 0 ? [31, 119, 180] : [214, 39, 40]);
      cells.data.set([r, gr, b, Math.round(255 * strength)], 4 * (j * n + i));
    }
  }
  const small = document.createElement('canvas');
  small.width = small.height = n;
  small.getContext('2d').putImageData(cells, 0, 0);
  g.clearRect(0, 0, c.width, c.height);
  g.imageSmoothingEnabled = true;
  g.drawImage(small, 0, 0, c.width, c.height);
  points.forEach(([x, y, label], index) => {
    const [px, py] = toScreen(x, y);
    g.beginPath();
    g.arc(px, py, index === training.selected ? 7 : 4.5, 0, 2 * Math.PI);
    g.fillStyle = label === 1 ? '#1f77b4' : '#d62728';
    g.fill();
    g.lineWidth = index === training.selected ? 3 : 1;
    g.strokeStyle = index === training.selected ? '#000' : '#fff';
    g.stroke();
  });
}

function drawCurves() {
  const c = $('curves');
  const g = c.getContext('2d');
  const h = training.history;
  g.clearRect(0, 0, c.width, c.height);
  g.font = '11px Helvetica';
  g.fillStyle = '#5b6577';
  let most = 1e-9;  // (a loop: spreading a long history into Math.max overflows the stack)
  for (const [loss] of h) if (loss !== null && loss > most) most = loss;
  g.fillText(`loss (orange, 0 to ${most.toPrecision(3)}), accuracy (green, 0 to 100%), ` +
             `over ${h.length} steps`, 8, 14);
  if (h.length < 1) return;
  const top = 22, bottom = c.height - 8, left = 8, right = c.width - 8;
  const x = (i) => left + (right - left) * (h.length === 1 ? 0.5 : i / (h.length - 1));
  const curve = (value, colour) => {
    g.beginPath();
    h.forEach((row, i) => {
      const v = value(row);
      const y = bottom - (bottom - top) * (v === null ? 0 : v);
      i ? g.lineTo(x(i), y) : g.moveTo(x(i), y);
    });
    g.strokeStyle = colour; g.lineWidth = 1.5; g.stroke();
  };
  curve(([loss]) => (loss === null ? null : loss / most), '#e8590c');
  curve(([, accuracy]) => accuracy, '#2b8a3e');
}

function nearestPoint(px, py) {
  let best = null, distance = 12;
  training.news.points.forEach(([x, y], index) => {
    const [sx, sy] = toScreen(x, y);
    const d = Math.hypot(sx - px, sy - py);
    if (d <= distance) { best = index; distance = d; }
  });
  return best;
}

async function clickData(event) {
  if (!training.news) return;
  const c = $('dataset-canvas');
  const box = c.getBoundingClientRect();
  const px = (event.clientX - box.left) * c.width / box.width;
  const py = (event.clientY - box.top) * c.height / box.height;
  const tool = document.querySelector('input[name="tool"]:checked').value;
  if (tool.startsWith('add')) {
    const [x, y] = toData(px, py);
    await trainCall('/api/train/points', {action: 'add', x, y, label: Number(tool.slice(4))});
    return;
  }
  const index = nearestPoint(px, py);
  if (index === null) { showError('no point there: click on a point'); return; }
  if (tool === 'remove') {
    const selected = training.selected;
    if (selected === index) clearSelection();
    else if (selected !== null && selected > index) training.selected -= 1;
    await trainCall('/api/train/points', {action: 'remove', index});
    if (selected !== null && selected > index) pointGraph(true);  // its number changed
  } else {
    training.selected = index;
    drawData();
    pointGraph(true);
  }
}

function clearSelection() {
  training.selected = null;
  clearTimeout(training.graphTimer);
  $('point-graph').replaceChildren();
  $('point-caption').textContent = "Choose “shows a point's graph”, then click a point.";
}

// the graph of the selected point's loss, asked for again after each step; while
// training runs, at most twice a second, and always once more after the last step
function pointGraph(now) {
  if (training.selected === null) return;
  const wait = now ? 0 : Math.max(0, 500 - (Date.now() - training.graphAsked));
  clearTimeout(training.graphTimer);
  training.graphTimer = setTimeout(askPointGraph, wait);
}

async function askPointGraph() {
  if (training.graphBusy) { training.graphAgain = true; return; }
  training.graphBusy = true;
  training.graphAsked = Date.now();
  try {
    const g = await call('/api/train/graph', {session: training.session, index: training.selected});
    if (g.index !== training.selected) return;
    $('point-graph').replaceChildren(svgOf(g.svg));
    const [x, y, label] = g.point;
    $('point-caption').textContent = `point ${g.index} at (${x.toFixed(2)}, ${y.toFixed(2)}), class ${label}: ` +
      `score ${g.score}, loss ${g.loss}, after step ${g.step}`;
  } catch (e) {
    showError(e.message);
  } finally {
    training.graphBusy = false;
    if (training.graphAgain) { training.graphAgain = false; pointGraph(false); }
  }
}

function showSettings(settings) {  // the form says what the server trains
  const form = $('settings');
  for (const [name, value] of Object.entries(settings)) {
    if (form.elements[name]) form.elements[name].value = Array.isArray(value) ? value.join(',') : value;
  }
  training.applied = formText();
  $('settings-pending').hidden = true;
}

function formText() {  // the settings form's fields, as one string to compare
  return new URLSearchParams(new FormData($('settings'))).toString();
}

function settingsChanged() {  // the form no longer says what the server trains
  $('settings-pending').hidden = formText() === training.applied;
}

function settingsFromForm() {  // as text: the server reads and checks the numbers
  return Object.fromEntries(new FormData($('settings')).entries());
}

// -- wiring ------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('tab-expression').addEventListener('click', () => showTab('expression'));
  $('tab-training').addEventListener('click', () => showTab('training'));
  $('expression-form').addEventListener('submit', (e) => { e.preventDefault(); draw(); });
  $('forward-step').addEventListener('click', () => { stop(); stepOn('forward'); showStep(); });
  $('backward-step').addEventListener('click', () => { stop(); stepOn('backward'); showStep(); });
  $('step-back').addEventListener('click', () => { stop(); stepBack(); });
  $('play').addEventListener('click', play);
  $('graph-fit').addEventListener('click', () => { expr.fit = !expr.fit; fit($('graph')); });
  window.addEventListener('resize', () => fit($('graph')));
  $('backward-reset').addEventListener('click', reset);
  $('settings').addEventListener('submit', (e) => {
    e.preventDefault();
    clearSelection();
    training.history = [];
    trainCall('/api/train/reset', {settings: settingsFromForm()});
  });
  $('settings').addEventListener('input', settingsChanged);
  $('train-start').addEventListener('click', () => trainCall('/api/train/start'));
  $('train-pause').addEventListener('click', () => trainCall('/api/train/pause'));
  $('train-step').addEventListener('click', () => trainCall('/api/train/step', {steps: 1}));
  $('dataset-canvas').addEventListener('click', clickData);
  draw();
});
