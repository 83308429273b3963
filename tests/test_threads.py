"""Threads: the grad mode is per thread, and grad() writes nothing to a shared graph."""

import sys
import threading

import pytest

import micrograd
from micrograd import Value, grad, no_grad


def run_together(*targets):
    """Run each function in its own thread, all released at once; re-raise any error."""
    start = threading.Barrier(len(targets))
    errors = []

    def wrapped(target):
        try:
            start.wait()
            target()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]


def test_overlapping_no_grad_blocks_in_two_threads_restore_recording():
    # the first enters, then the second; the first leaves, then the second: with one
    # global switch the second saved "off" on entering and restored it for the process
    first_inside, second_inside, first_left = (threading.Event() for _ in range(3))

    def first():
        with no_grad():
            first_inside.set()
            second_inside.wait(timeout=10)
        first_left.set()

    def second():
        first_inside.wait(timeout=10)
        with no_grad():
            second_inside.set()
            first_left.wait(timeout=10)

    run_together(first, second)
    x = Value(2.0)
    (x * x).backward()
    assert micrograd.is_grad_enabled() and x.grad == 4.0


def test_a_thread_inside_no_grad_does_not_stop_another_from_recording():
    inside, done = threading.Event(), threading.Event()
    seen = {}

    def idle_in_no_grad():
        with no_grad():
            inside.set()
            done.wait(timeout=30)
            seen['recorded inside'] = (Value(1.0) * 2)._prev != ()

    def train():
        inside.wait(timeout=30)
        try:
            w = Value(0.5)
            grads = []
            for _ in range(200):
                w.grad = 0.0
                loss = (w * 3.0 + 1.0).relu() * (w - 2.0)
                loss.backward()
                grads.append(w.grad)
            seen['grads'] = grads
            seen['enabled'] = micrograd.is_grad_enabled()
        finally:
            done.set()

    run_together(idle_in_no_grad, train)
    assert seen['enabled'] and seen['recorded inside'] is False
    assert all(g != 0.0 for g in seen['grads']) and len(seen['grads']) == 200


def test_one_no_grad_instance_shared_by_threads():
    guard = no_grad()
    both_inside = threading.Barrier(2)
    states = []

    def body():
        with guard:
            both_inside.wait()
            states.append(micrograd.is_grad_enabled())
        states.append(micrograd.is_grad_enabled())

    run_together(body, body)
    assert sorted(states) == [False, False, True, True]
    assert micrograd.is_grad_enabled()


def test_no_grad_on_a_generator_covers_its_body_and_not_the_consumer():
    @no_grad()
    def doubled(values):
        for v in values:
            assert not micrograd.is_grad_enabled()
            got = yield v * 2
            if got is not None:
                yield got * 10
        return 'finished'

    gen = doubled([Value(1.0), Value(2.0)])
    first = next(gen)
    assert first._prev == () and micrograd.is_grad_enabled()  # the consumer records
    assert (first * 3)._prev != ()
    assert gen.send(Value(5.0))._prev == ()
    assert next(gen).data == 4.0
    with pytest.raises(StopIteration) as stop:
        next(gen)
    assert stop.value.value == 'finished' and micrograd.is_grad_enabled()


def test_no_grad_generator_gets_thrown_errors_and_closes_inside_no_grad():
    seen = []

    @no_grad
    def body():
        try:
            yield 1
        except KeyError:
            seen.append(('caught', micrograd.is_grad_enabled()))
            yield 2
        finally:
            seen.append(('closed', micrograd.is_grad_enabled()))

    gen = body()
    assert next(gen) == 1
    assert gen.throw(KeyError('k')) == 2
    gen.close()
    assert seen == [('caught', False), ('closed', False)] and micrograd.is_grad_enabled()


@pytest.fixture
def switch_often():
    """Threads switch every microsecond, so that races show up."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def test_grad_from_many_threads_on_a_shared_graph(switch_often):
    params = [Value(0.1 * (i + 1)) for i in range(200)]
    shared = sum(p * p for p in params)
    expected = [2 * p.data for p in params]
    results = []

    def worker(scale):
        def run():
            for _ in range(100):
                results.append((scale, grad(shared * scale, params)))
        return run

    run_together(*(worker(float(k)) for k in range(1, 5)))
    assert len(results) == 400
    for scale, found in results:
        assert found == [scale * e for e in expected]
    assert all(p.grad == 0.0 for p in params) and shared.grad == 0.0


def test_grad_writes_nothing_to_the_graph_not_even_marks():
    x = Value(1.5)
    y = (x * x).relu() + micrograd.linear([x], [2.0], Value(0.5), relu=True)
    before = [(n.grad, n._mark) for n in micrograd.topological_order([y])]
    assert grad(y, [x]) == [2 * 1.5 + 2.0]
    assert grad(grad(y, [x], create_graph=True)[0], [x]) == [2.0]
    assert [(n.grad, n._mark) for n in micrograd.topological_order([y])] == before


def test_grad_on_hand_written_nodes_from_many_threads(switch_often):
    def square_by_hand(x):
        out = Value(x.data ** 2, (x,), 'square')

        def _backward():
            x.grad += 2 * x.data * out.grad
        out._backward = _backward
        return out

    params = [Value(float(i)) for i in range(1, 6)]
    total = sum(square_by_hand(p) for p in params)
    results = []

    def run():
        for _ in range(50):
            results.append(grad(total * 3.0, params))

    run_together(run, run, run)
    assert all(found == [6.0 * p.data for p in params] for found in results)
    assert all(p.grad == 0.0 for p in params)


def test_deep_graphs_pickle_in_new_threads_at_once():
    """Each thread keeps its own list of the Values being pickled (a new thread's is made
    when it first pickles)."""
    import pickle
    results = {}

    def work(name):
        y = Value(1.0)
        for _ in range(3_000):  # deeper than the recursion limit would allow one by one
            y = y * 1.0 + 0.5
        again = pickle.loads(pickle.dumps(y))
        results[name] = (again.data == y.data, len(micrograd.topological_order(again)))
    run_together(lambda: work('first'), lambda: work('second'))
    assert results == {'first': (True, 12_001), 'second': (True, 12_001)}
