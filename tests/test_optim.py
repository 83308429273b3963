"""SGD and Adam step for step against torch.optim; schedules; zero_grad; no graph; bad input.

The problem both engines solve: a 2-3-1 tanh network on four points, written once
(`network_loss`) and run on micrograd Values and on PyTorch float64 scalars alike.
"""

import math
import random

import pytest

import micrograd
from micrograd import Value, no_grad
from micrograd.losses import hinge
from micrograd.nn import MLP
from micrograd.optim import SGD, Adam, linear_decay

from conftest import assert_raises_naming

REL = 1e-10
ABS = 1e-14  # a parameter passing through 0 keeps its rounding from the other terms
STEPS = 30

DATA = [((0.5, -1.0), 1.0), ((-1.5, 2.0), -1.0), ((1.0, 0.25), 0.5), ((0.0, -0.5), -0.5)]
INIT = [random.Random(0).uniform(-1, 1) for _ in range(13)]


def network_loss(w):
    """Mean squared error of a 2-3-1 tanh network with parameters w[0..12]."""
    total = 0.0
    for (x0, x1), y in DATA:
        hidden = [(w[3 * j] * x0 + w[3 * j + 1] * x1 + w[3 * j + 2]).tanh() for j in range(3)]
        out = w[9] * hidden[0] + w[10] * hidden[1] + w[11] * hidden[2] + w[12]
        total = total + (out - y) ** 2
    return total / len(DATA)


def close(expected):
    return pytest.approx(expected, rel=REL, abs=ABS)


def run_both(torch, ours_for, theirs_for, steps=STEPS, scheduler_for=None):
    """Train the same network with both engines; compare parameters after every step.

    Returns our parameters and the losses seen along the way."""
    ours = [Value(v) for v in INIT]
    theirs = [torch.tensor(v, requires_grad=True) for v in INIT]
    opt, topt = ours_for(ours), theirs_for(theirs)
    scheduler = scheduler_for(topt) if scheduler_for else None
    losses = []
    for k in range(steps):
        opt.zero_grad()
        loss = network_loss(ours)
        loss.backward()
        losses.append(loss.data)
        opt.step()
        topt.zero_grad()
        network_loss(theirs).backward()
        topt.step()
        if scheduler:
            scheduler.step()
        assert [p.data for p in ours] == close([t.item() for t in theirs]), f"after step {k}"
    assert opt.steps == steps
    return ours, losses


def moved(params):
    return max(abs(p.data - v) for p, v in zip(params, INIT))


CONFIGS = [
    ("sgd", "SGD", dict(lr=0.1)),
    ("sgd-momentum", "SGD", dict(lr=0.1, momentum=0.9)),
    ("sgd-weight-decay", "SGD", dict(lr=0.1, weight_decay=0.05)),
    ("sgd-momentum-weight-decay", "SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.1)),
    ("adam-defaults", "Adam", dict()),
    ("adam", "Adam", dict(lr=0.02)),
    ("adam-weight-decay", "Adam", dict(lr=0.02, weight_decay=0.1)),
    ("adam-betas-eps", "Adam", dict(lr=0.05, betas=(0.5, 0.9), eps=1e-4)),
    ("adam-beta1-0", "Adam", dict(lr=0.05, betas=(0.0, 0.99), eps=0.0)),
]
OURS = {"SGD": SGD, "Adam": Adam}


@pytest.mark.parametrize(("name", "kind", "kwargs"), CONFIGS, ids=[c[0] for c in CONFIGS])
def test_step_for_step_against_torch(torch, name, kind, kwargs):
    theirs = getattr(torch.optim, kind)
    params, losses = run_both(torch, lambda ps: OURS[kind](ps, **kwargs),
                              lambda ps: theirs(ps, **kwargs))
    assert moved(params) > 1e-3
    assert losses[-1] < losses[0]


def test_the_comparison_can_fail(torch):
    # momentum 0.9 against PyTorch's momentum 0.8: the first step agrees, the second not
    with pytest.raises(AssertionError, match="after step 1"):
        run_both(torch, lambda ps: SGD(ps, lr=0.1, momentum=0.9),
                 lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.8))


# -- learning-rate schedules ---------------------------------------------------------------

@pytest.mark.parametrize("kind", ["SGD", "Adam"])
def test_callable_schedule_against_torch_lambda_lr(torch, kind):
    schedule = linear_decay(0.2, 0.02, 20)  # the steps past 20 check the plateau
    kwargs = dict(momentum=0.9) if kind == "SGD" else {}
    run_both(torch, lambda ps: OURS[kind](ps, lr=schedule, **kwargs),
             lambda ps: getattr(torch.optim, kind)(ps, lr=1.0, **kwargs),
             scheduler_for=lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, schedule))


def test_schedule_sees_the_step_count_from_0():
    seen = []

    def schedule(step):
        seen.append(step)
        return 0.5

    w = Value(1.0)
    opt = SGD([w], lr=schedule)
    for _ in range(4):
        w.grad = 1.0
        opt.step()
    assert seen == [0, 1, 2, 3]
    assert opt.steps == 4
    assert w.data == 1.0 - 4 * 0.5


def test_schedule_changes_the_step_size():
    w = Value(0.0)
    opt = SGD([w], lr=lambda step: [0.5, 0.25, 0.0][step])
    sizes = []
    for _ in range(3):
        before = w.data
        w.grad = 1.0
        opt.step()
        sizes.append(before - w.data)
    assert sizes == [0.5, 0.25, 0.0]


def test_linear_decay_is_the_demo_schedule_to_the_bit():
    lr = linear_decay(1.0, 0.1, 100)
    assert [lr(k) for k in range(100)] == [1.0 - 0.9 * k / 100 for k in range(100)]
    assert lr(100) == lr(101) == lr(10 ** 6) == 0.1


def test_linear_decay_increasing_and_midpoint():
    lr = linear_decay(0.0, 1.0, 4)
    assert [lr(k) for k in range(6)] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]


def test_lr_can_be_changed_between_steps():
    w = Value(0.0)
    opt = SGD([w], lr=0.1)
    w.grad = 1.0
    opt.step()
    opt.lr = 1.0
    opt.step()
    assert w.data == pytest.approx(-1.1, rel=1e-15)


def test_demo_style_training_with_hinge_and_decay():
    # micrograd's demo in small: an MLP, the hinge loss, SGD with a decaying rate
    rng = random.Random(3)
    xs = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(12)]
    ys = [1 if x0 * x1 > 0 else -1 for x0, x1 in xs]  # not linearly separable
    model = MLP(2, [8, 8, 1], rng=random.Random(5))
    opt = SGD(model.parameters(), lr=linear_decay(0.5, 0.05, 60))

    def loss():
        return hinge([model(x) for x in xs], ys)

    first = loss().data
    for _ in range(60):
        opt.zero_grad()
        loss().backward()
        opt.step()
    assert loss().data < 0.5 * first


# -- zero_grad, and no graph from the updates --------------------------------------------

@pytest.mark.parametrize("kind", ["SGD", "Adam"])
def test_zero_grad(kind):
    params = [Value(v) for v in INIT]
    opt = OURS[kind](params, lr=0.1)
    network_loss(params).backward()
    assert any(p.grad != 0.0 for p in params)
    opt.zero_grad()
    assert all(p.grad == 0.0 for p in params)
    before = [p.data for p in params]
    opt.step()  # zero gradients, no weight decay: nothing moves
    assert [p.data for p in params] == before


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
def test_step_leaves_grad_alone(kind):
    params = [Value(v) for v in INIT]
    network_loss(params).backward()
    grads = [p.grad for p in params]
    OURS[kind](params, lr=0.1).step()
    assert [p.grad for p in params] == grads


@pytest.mark.parametrize(("kind", "kwargs"), [("SGD", dict(momentum=0.9, weight_decay=0.1)),
                                              ("Adam", dict(weight_decay=0.1))])
def test_updates_record_no_graph(kind, kwargs):
    params = [Value(v) for v in INIT]
    opt = OURS[kind](params, lr=0.1, **kwargs)
    for _ in range(3):
        opt.zero_grad()
        network_loss(params).backward()
        opt.step()
    for p in params:
        assert p._prev == ()
        assert p._op == ''
        assert type(p.data) is float
    assert micrograd.is_grad_enabled()


@pytest.mark.parametrize(("kind", "kwargs"), [("SGD", dict(momentum=0.9, weight_decay=0.1)),
                                              ("Adam", dict(weight_decay=0.1))])
def test_gradients_with_a_history_count_by_their_number(kind, kwargs):
    # backward(create_graph=True) leaves Values in .grad: the step uses their .data and
    # makes no history, so the parameters are plain floats and equal to the float run
    plain = [Value(v) for v in INIT]
    graphs = [Value(v) for v in INIT]
    opt_plain = OURS[kind](plain, lr=0.1, **kwargs)
    opt_graphs = OURS[kind](graphs, lr=0.1, **kwargs)
    for _ in range(3):
        opt_plain.zero_grad()
        opt_graphs.zero_grad()
        network_loss(plain).backward()
        network_loss(graphs).backward(create_graph=True)
        assert all(isinstance(p.grad, Value) for p in graphs)
        opt_plain.step()
        opt_graphs.step()
        for p, q in zip(plain, graphs):
            assert type(q.data) is float
            assert q._prev == ()
            assert q.data == pytest.approx(p.data, rel=1e-13, abs=1e-15)


def test_step_under_no_grad_and_restores_the_switch():
    w = Value(1.0)
    opt = Adam([w], lr=0.1)
    w.grad = 2.0
    with no_grad():
        opt.step()
        assert not micrograd.is_grad_enabled()
    assert micrograd.is_grad_enabled()
    assert w.data == pytest.approx(0.9, rel=1e-7)


def test_params_may_be_any_iterable():
    params = [Value(1.0), Value(2.0)]
    opt = SGD((p for p in params), lr=0.1)
    assert opt.params == tuple(params)  # a tuple: the state is sized to it
    model = MLP(2, [3, 1])
    assert Adam(model.parameters()).params == tuple(model.parameters())


def test_adam_with_eps_0_and_zero_gradient_stays_put():
    # 0 / 0 in the update: the parameter is left alone (PyTorch would make it nan)
    w, u = Value(1.0), Value(1.0)
    opt = Adam([w, u], lr=0.1, eps=0.0)
    w.grad, u.grad = 0.0, 2.0
    opt.step()
    assert w.data == 1.0
    assert u.data == pytest.approx(0.9, rel=1e-15)


def test_sgd_matches_the_rule_by_hand():
    # g = grad + wd p; buf = g, then momentum buf + g; p -= lr buf
    w = Value(2.0)
    opt = SGD([w], lr=0.1, momentum=0.5, weight_decay=0.25)
    w.grad = 1.0
    opt.step()
    buf = 1.0 + 0.25 * 2.0
    expected = 2.0 - 0.1 * buf
    assert w.data == expected
    opt.step()
    buf = 0.5 * buf + (1.0 + 0.25 * expected)
    assert w.data == expected - 0.1 * buf


def test_adam_matches_the_rule_by_hand():
    w = Value(1.0)
    lr, (b1, b2), eps = 0.01, (0.8, 0.9), 1e-3
    opt = Adam([w], lr=lr, betas=(b1, b2), eps=eps)
    m = v = 0.0
    p = 1.0
    for t, g in enumerate([0.5, -2.0, 3.0], start=1):
        w.grad = g
        opt.step()
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        p -= lr * (m / (1 - b1 ** t)) / (math.sqrt(v / (1 - b2 ** t)) + eps)
        assert w.data == pytest.approx(p, rel=1e-14)


# -- bad arguments ---------------------------------------------------------------------------

def params():
    return [Value(1.0), Value(2.0)]


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: SGD([], lr=0.1), ValueError, ["SGD", "empty"]),
    (lambda: Adam(iter([])), ValueError, ["Adam", "empty"]),
    (lambda: SGD([Value(1.0), 2.0], lr=0.1), TypeError, ["SGD", "float"]),
    (lambda: SGD(Value(1.0), lr=0.1), TypeError, ["SGD", "Value"]),
    (lambda: SGD(None, lr=0.1), TypeError, ["SGD", "NoneType"]),
    (lambda: Adam(MLP(2, [1])), TypeError, ["Adam", "MLP", "parameters()"]),
    (lambda: SGD([Value(1.0) * 2], lr=0.1), ValueError, ["SGD", "leaves"]),
    (lambda: SGD(2 * [Value(1.0)], lr=0.1), ValueError, ["SGD", "more than once"]),
    (lambda: SGD(params(), lr=-0.1), ValueError, ["SGD", "lr", "-0.1"]),
    (lambda: SGD(params(), lr=math.nan), ValueError, ["SGD", "lr", "nan"]),
    (lambda: SGD(params(), lr="0.1"), TypeError, ["SGD", "lr", "str"]),
    (lambda: SGD(params(), lr=Value(0.1)), TypeError, ["SGD", "lr", "Value"]),
    (lambda: SGD(params(), lr=0.1, momentum=-0.5), ValueError, ["SGD", "momentum", "-0.5"]),
    (lambda: SGD(params(), lr=0.1, weight_decay=-1), ValueError, ["SGD", "weight_decay"]),
    (lambda: Adam(params(), lr=-1e-3), ValueError, ["Adam", "lr"]),
    (lambda: Adam(params(), betas=(1.0, 0.999)), ValueError, ["Adam", "betas"]),
    (lambda: Adam(params(), betas=(0.9, -0.1)), ValueError, ["Adam", "betas"]),
    (lambda: Adam(params(), betas=(0.9, 1.5)), ValueError, ["Adam", "betas"]),
    (lambda: Adam(params(), betas=(0.9,)), TypeError, ["Adam", "betas"]),
    (lambda: Adam(params(), betas=0.9), TypeError, ["Adam", "betas"]),
    (lambda: Adam(params(), betas=(0.9, "x")), TypeError, ["Adam", "betas", "str"]),
    (lambda: Adam(params(), eps=-1e-8), ValueError, ["Adam", "eps"]),
    (lambda: Adam(params(), weight_decay=-0.1), ValueError, ["Adam", "weight_decay"]),
    (lambda: linear_decay(1.0, 0.1, 0), ValueError, ["linear_decay", "steps"]),
    (lambda: linear_decay(1.0, 0.1, 2.5), ValueError, ["linear_decay", "steps"]),
    (lambda: linear_decay("1", 0.1, 10), TypeError, ["linear_decay", "start", "str"]),
], ids=lambda x: None)
def test_bad_arguments(call, error, words):
    assert_raises_naming(call, error, words)


def test_setting_a_bad_lr_later_fails_and_keeps_the_old_one():
    opt = SGD(params(), lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0
    assert opt.lr == 0.1


@pytest.mark.parametrize("bad, error", [(-0.5, ValueError), (math.nan, ValueError),
                                        ("0.1", TypeError), (None, TypeError)])
def test_a_schedule_returning_a_bad_lr_fails_at_the_step(bad, error):
    w = Value(1.0)
    opt = SGD([w], lr=lambda step: bad)
    w.grad = 1.0
    with pytest.raises(error, match=r"lr\(0\)"):
        opt.step()
    assert w.data == 1.0
    assert opt.steps == 0
