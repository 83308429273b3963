"""Whether operations record a graph: `no_grad()` switches it off, per thread.

Inference and optimizer updates need no history; under `no_grad()` every result is a
leaf. The switch is per thread, as PyTorch's: one thread's `no_grad` never changes what
another records. Not in engine.py: the reference only asks `is_grad_enabled()`.

Reading a thread-local costs more than reading a global, and the engine asks on every
operation, so `is_grad_enabled()` reads one global first: `_everyone_records` is True
while no thread at all is inside `no_grad()`; only when it is False does a thread look at
its own switch. Compiled with the engine where it is (`grad_mode.pxd`).
"""

import contextlib
import functools
import inspect
import threading


class _GradMode(threading.local):
    enabled = True  # every new thread starts out recording


_mode = _GradMode()
_mode_lock = threading.Lock()
_threads_not_recording = 0
_everyone_records = True


def is_grad_enabled():
    """False inside `no_grad()` in this thread."""
    return _everyone_records or _mode.enabled


def _set_grad_enabled(enabled):
    """Switch this thread's grad mode; returns what it was."""
    global _threads_not_recording, _everyone_records
    was = _mode.enabled
    if was != enabled:
        with _mode_lock:
            _mode.enabled = enabled
            _threads_not_recording += -1 if enabled else 1
            _everyone_records = _threads_not_recording == 0
    return was


class no_grad(contextlib.ContextDecorator):
    """Record no history inside this block (or decorated function): results are leaves.

    For inference and for optimizer updates; as `torch.no_grad`. The switch is per thread,
    as in PyTorch: a `no_grad()` in one thread never changes what another records, and
    each `with` restores its own thread's mode. On a generator function it covers the
    generator's body, each time it runs (not the code that consumes what it yields).

    >>> from micrograd import Value
    >>> with no_grad():
    ...     y = Value(2.0) * 3
    >>> y._prev
    ()
    """

    def __new__(cls, func=None):
        self = super().__new__(cls)
        self._saved = {}  # thread -> the modes to restore, one per `with` (one instance may nest)
        return self(func) if callable(func) else self  # `@no_grad` without brackets

    def __init__(self, func=None):
        pass

    def __enter__(self):
        was = _set_grad_enabled(False)
        self._saved.setdefault(threading.get_ident(), []).append(was)
        return self

    def __exit__(self, *exc):
        thread = threading.get_ident()
        saved = self._saved.get(thread)
        if saved:  # (a generator closed in another thread than it ran in has none here)
            _set_grad_enabled(saved.pop())
            if not saved:
                del self._saved[thread]
        return False

    def __call__(self, func):
        if inspect.isgeneratorfunction(func):
            return _generator_under(self, func)
        return super().__call__(func)


def _generator_under(manager, func):
    """`func`, a generator function, with its body run inside `manager` each time it runs."""
    @functools.wraps(func)
    def generator(*args, **kwargs):
        with manager:
            inner = func(*args, **kwargs)
        to_send, to_throw = None, None
        while True:
            try:
                with manager:
                    if to_throw is None:
                        produced = inner.send(to_send)
                    else:
                        produced = inner.throw(to_throw)
            except StopIteration as stop:
                return stop.value
            to_send, to_throw = None, None
            try:
                to_send = yield produced
            except GeneratorExit:
                with manager:
                    inner.close()
                raise
            except BaseException as error:  # thrown in by the caller: into the body
                to_throw = error
    return generator
