"""Shared test helpers: oracles (torch, dot) that must be present in CI."""

import contextlib
import importlib
import os
import shutil
import threading

import pytest
from hypothesis import HealthCheck, settings

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

settings.register_profile("default", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, max_examples=200, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if IN_CI else "default")


def pytest_configure(config):
    """Under mutmut (`make mutate`, which sets MUTANT_UNDER_TEST) only: the limits on a
    mutant's run, and a check of the engine under test (tests/mutate.py)."""
    if "MUTANT_UNDER_TEST" in os.environ:
        import mutate
        mutate.limit_mutant_run()


def missing_oracle(what):
    """Skip the test where `what` is missing, except in CI, where that fails it."""
    message = f"{what} is not installed; `make test` installs it"
    if IN_CI:
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


def require_module(name):
    """Import an oracle module such as torch, or skip (locally) / fail (in CI)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing_oracle(name)


def require_program(name):
    """The path of a program such as graphviz's `dot`, or skip (locally) / fail (in CI)."""
    path = shutil.which(name)
    if path is None:
        missing_oracle(name)
    return path


@pytest.fixture(scope="session")
def torch():
    """PyTorch in float64, the reference engine."""
    module = require_module("torch")
    module.set_default_dtype(module.float64)
    return module


def assert_raises_naming(call, error, words):
    """`call()` raises `error`, and its message names every one of `words`."""
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


@contextlib.contextmanager
def another_thread_in_no_grad():
    """Inside this block another thread sits inside `no_grad()`; yields what
    `is_grad_enabled()` said there."""
    from micrograd import is_grad_enabled, no_grad
    inside, leave, seen = threading.Event(), threading.Event(), []

    def hold():
        with no_grad():
            seen.append(is_grad_enabled())
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert inside.wait(10)
        yield seen
    finally:
        leave.set()
        thread.join(10)


def lecture_neuron():
    """The lecture's neuron, o = tanh(n), n = x1*w1 + x2*w2 + b, after backward: its
    published numbers are o = 0.7071, do/dn = 0.5, do/dx1 = -1.5, do/dw1 = 1."""
    from micrograd import Value
    x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')
    w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    n = x1 * w1 + x2 * w2 + b
    n.label = 'n'
    o = n.tanh()
    o.label = 'o'
    o.backward()
    return o


@pytest.fixture(scope="module")
def server():
    """The playground's server on a free port of this machine, in a thread of its own."""
    require_program("dot")
    from micrograd.playground.server import start
    server = start()
    yield server
    server.shutdown()
    server.server_close()
