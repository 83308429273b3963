"""The training page's state: a dataset, a network and its optimizer, trained in our engine.

One `Trainer` per browser tab. Its steps run under its lock, one request's steps or its
own thread's (`start`); everything the page reads (the decision boundary, one point's
graph) is computed from a copy of the parameters taken under the lock, outside it, under
`no_grad()`, while training goes on recording in the other thread. That is what the
engine's per-thread grad mode is for. `Sessions` keeps the trainers, one per tab, and
drops those of tabs nobody has asked about for a while.
"""

import itertools
import math
import random
import re
import threading
import time

from .. import data, losses
from ..engine import Value
from ..grad_mode import no_grad
from ..graph import shown_number
from ..nn import MLP
from ..optim import SGD, Adam
from ..viz import draw_dot, render
from .limits import Refusal, cut, shown

DATASETS = {
    'moons': lambda seed: data.make_moons(100, noise=0.1, seed=seed),
    'circles': lambda seed: data.make_circles(100, noise=0.05, factor=0.5, seed=seed),
    'xor': lambda seed: data.xor(25, noise=0.1, seed=seed),
}
ACTIVATIONS = ('relu', 'tanh', 'sigmoid')
OPTIMIZERS = {'sgd': SGD, 'adam': Adam}
LOSSES = {  # scores and classes (0 or 1) in; a Value out. A score above 0 says class 1.
    'hinge': lambda scores, classes: losses.hinge(scores, [2 * c - 1 for c in classes]),
    'mse': lambda scores, classes: losses.mse(scores, [2.0 * c - 1 for c in classes]),
    'bce': lambda scores, classes: losses.binary_cross_entropy_with_logits(scores, classes),
}
DEFAULTS = {'dataset': 'moons', 'hidden': [16, 16], 'activation': 'relu', 'loss': 'hinge',
            'optimizer': 'sgd', 'lr': 0.1, 'batch': 100, 'seed': 1337}

MAX_POINTS = 300           # points in a dataset
MAX_LAYERS = 4             # hidden layers
MAX_WIDTH = 32             # neurons in a hidden layer
MAX_STEPS = 100            # steps in one request
MAX_WORK = 4_000_000       # parameters times points in one request's steps (100 steps of
                           # the default network; 4 of the largest on 300 points)
MAX_RUNNING = 4            # networks training at once (Start), over all tabs
MAX_RUN = 5_000            # steps one `start` runs before it pauses by itself
GRID = 30                  # the boundary is the sign of the score on GRID x GRID points
IDLE_PAUSE = 20.0          # a run pauses when its page has not asked for news this long (s)
RENDER_TIMEOUT = 20        # seconds dot may take to draw a point's graph
SESSION_TTL = 600.0        # seconds a tab nobody asks about keeps its network
MOST_SESSIONS = 32         # tabs with a network at once

NO_POINTS = "there are no points to learn from: add some first"
DROPPED = (f"this tab's network is gone: the playground forgets a network nobody used for "
           f"{SESSION_TTL / 60:.0f} minutes, and keeps at most {MOST_SESSIONS} (the one used "
           f"least recently gives way). Reset starts a new one")


def settings(given):
    """The training settings from the page (a dict), checked, with defaults filled in.
    `hidden` is a list of sizes or text such as '16,16' ('' or []: no hidden layer)."""
    if not isinstance(given, dict):
        raise Refusal("the settings must be a JSON object")
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise Refusal(f"unknown settings: {cut(', '.join(map(str, unknown)))} "
                      f"(known: {', '.join(DEFAULTS)})")
    s = {**DEFAULTS, **given}
    for name, choices in (('dataset', DATASETS), ('activation', ACTIVATIONS),
                          ('loss', LOSSES), ('optimizer', OPTIMIZERS)):
        if not isinstance(s[name], str) or s[name] not in choices:
            raise Refusal(f"{name} must be one of {', '.join(choices)}, got {shown(s[name])}")
    hidden = s['hidden']
    if isinstance(hidden, str):
        parts = [part for part in re.split(r'[\s,]+', hidden.strip()) if part]
        hidden = [int(part) if part.isdecimal() and len(part) < 6 else part for part in parts]
    if (not isinstance(hidden, list) or len(hidden) > MAX_LAYERS
            or not all(type(n) is int and 1 <= n <= MAX_WIDTH for n in hidden)):
        raise Refusal(f"hidden sizes: the playground takes at most {MAX_LAYERS} hidden layers "
                      f"of 1 to {MAX_WIDTH} neurons, such as 16,16; got {shown(s['hidden'])}")
    s['hidden'] = hidden
    s['lr'] = _number(s['lr'], 'learning rate', 0.0, 10.0, above=True)
    s['batch'] = int(_number(s['batch'], 'batch size', 1, MAX_POINTS, whole=True))
    s['seed'] = int(_number(s['seed'], 'seed', 0, 2 ** 32 - 1, whole=True))
    return s


def _number(x, what, low, high, whole=False, above=False):
    """`x` (a number, or text of one) checked to lie in [low, high] (`above`: in
    (low, high]); a Refusal that names `what` and the range otherwise."""
    given = x
    if isinstance(x, str):
        try:
            x = float(x)
        except ValueError:
            x = None
    kind = 'whole number' if whole else 'number'
    if (type(x) not in (int, float) or not _finite(x) or (whole and x != int(x))
            or not low <= x <= high or (above and x == low)):
        raise Refusal(f"the {what} must be a {kind} {'above' if above else 'from'} {low} "
                      f"{'and at most' if above else 'to'} {high}, got {shown(given)}")
    return x


def _finite(x):
    try:
        return math.isfinite(x)
    except OverflowError:  # an int too large for a float
        return False


def since_of(arguments):
    """The step count after which the page wants the history (`since`, default 0)."""
    since = arguments.get('since', 0)
    if isinstance(since, str) and since.isdigit() and len(since) < 10:
        since = int(since)
    if type(since) is not int or since < 0:
        raise Refusal(f"since must be a step count (a whole number, at least 0), "
                      f"got {shown(since)}")
    return since


def _work(settings, points):
    """The cost of one step, in parameter-points: the batch times the network's size."""
    sizes = [2, *settings['hidden'], 1]
    parameters = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
    return parameters * min(settings['batch'], max(points, 1))


_TRAINERS = itertools.count(1)


class Diverged(Refusal):
    """The loss overflowed: the learning rate is too high for the network."""


class Trainer:
    """A dataset, a network and its optimizer: the state of one training page."""

    def __init__(self, given=None):
        self.settings = s = settings({} if given is None else given)
        self.lock = threading.Lock()
        X, y = DATASETS[s['dataset']](s['seed'])
        self.points = points = [[float(a), float(b), int(c)] for (a, b), c in zip(X, y)]
        self.version = 0                 # counts changes of the points
        self.view = _view(points)        # fixed at reset, so that clicks land where they seem
        self.rng = random.Random(s['seed'])
        self.model = MLP(2, [*s['hidden'], 1], activation=s['activation'], rng=self.rng)
        self.optimizer = OPTIMIZERS[s['optimizer']](self.model.parameters(), lr=s['lr'])
        self.history = []                # (loss, accuracy) per step
        self.running = False
        self.thread = None
        self.problem = None              # why the last run stopped by itself, if it did
        self.announced = False           # whether `news` has been asked for
        self.id = next(_TRAINERS)        # tells the page which network an answer is of
        self.retired = False             # replaced by a reset, or dropped: no more runs
        self.seen = time.monotonic()     # when the page last asked for news
        self._boundary = (None, None)    # (what it was computed for, the grid)

    # -- training ----------------------------------------------------------------------

    def step(self, count=1):
        """Take `count` steps (at most MAX_STEPS, and MAX_WORK parameter-points in all).
        A loss that overflows stops them before its step changes anything: `problem`
        says so, and `news` tells the page."""
        with self.lock:
            most = max(1, min(MAX_STEPS, MAX_WORK // _work(self.settings, len(self.points))))
            if type(count) is not int or not 1 <= count <= most:
                raise Refusal(f"steps must be a whole number from 1 to {most} per request "
                              f"for this network and batch, got {shown(count)}")
            self.problem = None
            try:
                for _ in range(count):
                    self._step()
            except Diverged as e:
                self.problem = str(e)

    def _step(self):
        points = self.points
        if not points:
            raise Refusal(NO_POINTS)
        batch = self.settings['batch']
        chosen = points if batch >= len(points) else self.rng.sample(points, batch)
        scores = [self.model(p[:2]) for p in chosen]
        loss = LOSSES[self.settings['loss']](scores, [p[2] for p in chosen])
        if not math.isfinite(loss.data):  # before anything changes
            raise Diverged(f"the loss is {loss.data} at step {len(self.history) + 1}: the "
                          f"learning rate is too high for this network; reset with a lower one")
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        if chosen is not points:  # the accuracy is over every point, not the batch
            with no_grad():
                scores = [self.model(p[:2]) for p in points]
        right = sum((s.data > 0) == (p[2] == 1) for s, p in zip(scores, points))
        self.history.append((loss.data, right / len(points)))

    def start(self, running=0):
        """Train in a thread of its own until `pause`, MAX_RUN steps, a problem (such as
        a loss that overflowed) or a page that stopped asking for news. `running`: how
        many other trainers run now (at most MAX_RUNNING may)."""
        with self.lock:
            if self.retired:  # a reset replaced it meanwhile: the new one is the page's
                return
            if not self.running and running >= MAX_RUNNING:
                raise Refusal(f"{MAX_RUNNING} networks are training already, the "
                              f"playground's limit: pause one first", 429)
            if not self.points:
                raise Refusal(NO_POINTS)
            self.seen = time.monotonic()
            self.problem = None
            if self.running:  # its thread is still in its loop: it checks under the lock
                return
            self.running = True
            self.thread = threading.Thread(target=self._run, daemon=True,
                                           name='micrograd-playground-training')
            self.thread.start()

    def _run(self):
        me, taken = threading.current_thread(), 0
        while True:
            with self.lock:
                if self.thread is not me:  # paused, then started again: a new thread runs
                    return
                if (self.retired or not self.running or taken >= MAX_RUN or not self.points
                        or time.monotonic() - self.seen > IDLE_PAUSE):
                    self.running = False
                    return
                try:
                    self._step()
                except Exception as e:  # shown on the page; the run stops
                    self.problem = str(e) if isinstance(e, Refusal) else _problem(e)
                    self.running = False
                    return
            taken += 1
            time.sleep(0.002)  # let the requests that serve the page have the interpreter

    def pause(self, retire=False):
        """Stop the run (if any) after its current step; `retire`: for good."""
        with self.lock:
            self.running = False
            self.retired = self.retired or retire
        thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(10)

    # -- the points --------------------------------------------------------------------

    def add(self, x, y, label):
        """Add the point (x, y) of class `label` (0 or 1)."""
        x = _number(x, 'x coordinate', -1e6, 1e6)
        y = _number(y, 'y coordinate', -1e6, 1e6)
        if type(label) is not int or label not in (0, 1):
            raise Refusal(f"a point's class must be 0 or 1, got {shown(label)}")
        with self.lock:
            if len(self.points) >= MAX_POINTS:
                raise Refusal(f"the dataset already has {MAX_POINTS} points, the "
                              f"playground's limit: remove some first")
            self.points.append([float(x), float(y), label])
            self.version += 1

    def remove(self, index):
        """Remove the point at `index`."""
        with self.lock:
            self._check_index(index)
            del self.points[index]
            self.version += 1

    def _check_index(self, index):
        if type(index) is not int or not 0 <= index < len(self.points):
            raise Refusal(f"no point {shown(index)}: there are {len(self.points)} points")

    # -- what the page shows -----------------------------------------------------------

    def news(self, since=0):
        """What the page needs to redraw: the points, the steps after `since`, the
        boundary (recomputed only when the parameters or the points changed). The first
        news of a trainer says `new`: a page that had trained meanwhile knows its network
        was dropped (a tab left alone too long)."""
        with self.lock:
            new, self.announced = not self.announced, True
            if new:  # the page's `since` counted another network's steps
                since = 0
            self.seen = time.monotonic()
            done = len(self.history)
            tag = (done, self.version)
            answer = {'step': done, 'running': self.running, 'version': self.version,
                      'points': [list(p) for p in self.points], 'view': self.view,
                      'history': self.history[since:], 'settings': self.settings,
                      'problem': self.problem, 'new': new, 'trainer': self.id,
                      'loss': self.history[-1][0] if self.history else None,
                      'accuracy': self.history[-1][1] if self.history else None}
            known, grid = self._boundary
            state = self.model.state_dict() if known != tag else None
        if state is not None:  # the parameters or the points changed since: a new one
            grid = self._grid(state)
            with self.lock:
                self._boundary = (tag, grid)
        answer['boundary'] = grid
        return answer

    def _copy(self, state):
        """A network with the parameters of `state` (a copy: training goes on meanwhile)."""
        s = self.settings
        model = MLP(2, [*s['hidden'], 1], activation=s['activation'], rng=random.Random(0))
        model.load_state_dict(state)
        return model

    def _grid(self, state):
        """The scores on GRID x GRID points over the view, rows from the top, under no_grad."""
        model = self._copy(state)
        x0, x1, y0, y1 = self.view
        xs = [x0 + (x1 - x0) * (i + 0.5) / GRID for i in range(GRID)]
        ys = [y1 - (y1 - y0) * (j + 0.5) / GRID for j in range(GRID)]
        with no_grad():
            return [[model([a, b]).data for a in xs] for b in ys]

    def point_graph(self, index):
        """The graph of one point's loss for the current parameters, neurons collapsed
        (`draw_dot(collapse=True)`), as SVG, with that point's numbers."""
        with self.lock:
            self._check_index(index)
            state = self.model.state_dict()
            x, y, label = self.points[index]
            step = len(self.history)
        model = self._copy(state)
        inputs = [Value(x, label='x'), Value(y, label='y')]
        score = model(inputs)
        score.label = 'score'
        loss = LOSSES[self.settings['loss']]([score], [label])
        loss.label = 'loss'
        loss.backward()
        svg = render(draw_dot(loss, collapse=True, model=model), 'svg', RENDER_TIMEOUT)
        return {'svg': svg.decode(), 'index': index, 'step': step, 'point': [x, y, label],
                'score': shown_number(score.data), 'loss': shown_number(loss.data)}


def _problem(e):
    return f"training stopped: {type(e).__name__}: {e}"


def _view(points):
    """The part of the plane drawn: the points' box with a margin, at least 2 wide."""
    xs = [p[0] for p in points] or [0.0]
    ys = [p[1] for p in points] or [0.0]
    (x0, x1), (y0, y1) = [(min(v), max(v)) for v in (xs, ys)]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0, 2.0) / 2 + 0.5
    return [cx - half, cx + half, cy - half, cy + half]


class Sessions:
    """The trainers of the open tabs, by the id each tab chose; a trainer nobody asked
    about for `ttl` seconds is dropped (its run paused), and there are at most `most`
    (when full, a new tab takes the place of the one least recently used that is not
    training)."""

    ID = re.compile(r'[A-Za-z0-9_-]{8,64}')

    def __init__(self, ttl=SESSION_TTL, most=MOST_SESSIONS):
        self.ttl, self.most = ttl, most
        self.lock = threading.Lock()
        self.trainers = {}  # id -> (Trainer, when last used)

    def get(self, session, create=False):
        """The trainer of tab `session`; with `create`, a new one (default settings) if
        there is none, else a Refusal (410) that says the tab's network was dropped."""
        return self._put(session, None, create)

    def replace(self, session, trainer):
        """Give tab `session` a new trainer (a reset), pausing the old one's run."""
        self._put(session, trainer)

    def _put(self, session, trainer, create=True):
        if not isinstance(session, str) or not self.ID.fullmatch(session):
            raise Refusal("session must be 8 to 64 letters, digits, '-' or '_'")
        self.sweep()
        dropped = []
        with self.lock:
            old = self.trainers.get(session, (None,))[0]
            if old is None and trainer is None and not create:
                raise Refusal(DROPPED, 410)
            if old is None and len(self.trainers) >= self.most:
                # full: the tab used least recently gives way, unless every one is training
                idle = [(used, k) for k, (t, used) in self.trainers.items() if not t.running]
                if not idle:
                    raise Refusal(f"{self.most} pages are training already, the "
                                  f"playground's limit: pause one, or wait", 503)
                dropped.append(self.trainers.pop(min(idle)[1])[0])
            new = trainer or old or Trainer()
            self.trainers[session] = (new, time.monotonic())
        if old is not None and old is not new:
            dropped.append(old)
        for t in dropped:
            t.pause(retire=True)
        return new

    def running(self):
        """How many trainers run now."""
        with self.lock:
            return sum(t.running for t, _ in self.trainers.values())

    def sweep(self):
        """Drop the trainers of tabs abandoned for longer than `ttl`."""
        now = time.monotonic()
        with self.lock:
            gone = [k for k, (_, used) in self.trainers.items() if now - used > self.ttl]
            dropped = [self.trainers.pop(k)[0] for k in gone]
        for trainer in dropped:
            trainer.pause(retire=True)

    def close(self):
        """Pause every run (the server is stopping)."""
        with self.lock:
            trainers = [t for t, _ in self.trainers.values()]
            self.trainers.clear()
        for trainer in trainers:
            trainer.pause(retire=True)
