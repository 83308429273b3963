"""The compiled engine and Python's cyclic garbage collector.

The compiled engine keeps plain table nodes out of the collector's sight (that was two
thirds of its time) and brings nodes back into sight wherever a reference cycle can form
(micrograd/_collector.py: `settle`, `adopt`). These tests make every kind of cycle we know of, many
times over, on both engines, and check that the memory comes back; and they check the
invariant the walks rely on: below a tracked node, every node is tracked.
"""

import gc
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_compiled import compiled_built, run

import micrograd
from micrograd import Value, nn

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import cycles_script  # noqa: E402

del sys.path[0]


@pytest.mark.parametrize("pure", [False, True], ids=["compiled", "pure"])
@pytest.mark.parametrize("scenario", sorted(cycles_script.SCENARIOS))
def test_cycles_through_values_are_freed(scenario, pure):
    """30 rounds of a graph with a cycle (hundreds of nodes, tens of KB each round): what
    stays allocated after round 10 must not grow with the rounds."""
    if not pure:
        compiled_built()
    done = run(HERE / "cycles_script.py", scenario, 30, pure=pure)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["garbage"] == 0
    assert result["bytes_left"] < 50_000, result  # a leaked graph: megabytes by now
    assert result["first_left"] < 50_000, result  # one graph lost: 60 KB or more


def test_a_million_values_linked_through_a_field_are_freed_without_a_crash():
    """Not through `_prev` (a tuple, which Python frees without deep recursion): through
    a label and a gradient. Freed one by one, that would recurse a million deep in C."""
    code = ("from micrograd import Value\n"
            "for field in ('label', 'grad'):\n"
            "    y = Value(0.0)\n"
            "    for _ in range(1_000_000):\n"
            "        v = Value(1.0); setattr(v, field, y); y = v\n"
            "    del y, v\n"
            "print('freed')")
    for pure in (False, True):
        done = run("-c", code, pure=pure)
        assert done.returncode == 0 and done.stdout.strip() == "freed", (pure, done.stderr)


def tracked(value):
    return gc.is_tracked(value)


def below_every_tracked_node_all_are_tracked(roots):
    """The invariant of the compiled engine's walks, over everything `roots` lead to."""
    for node in micrograd.topological_order(roots):
        if tracked(node):
            assert all(tracked(child) for child in node._prev), node
            if type(node._a) is tuple:  # its inputs in a tuple: in sight where one of them is
                assert gc.is_tracked(node._a) or not any(tracked(child) for child in node._a)


def needs_compiled():
    if not micrograd.COMPILED:
        pytest.skip("the pure engine leaves every node to the collector")


def ran_elsewhere(request):
    """On the compiled engine: False where this process still keeps table nodes out of the
    collector's sight. An earlier test may have ended that for the rest of the process (as
    it is meant to: `_stop_untracking`); then this test has just run in a process of its
    own, and passed there."""
    needs_compiled()
    if not gc.is_tracked(Value(1.0) * 2):
        return False
    assert not os.environ.get("MICROGRAD_FRESH"), "a new node is tracked in a fresh process"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MICROGRAD_FRESH", "1")
        done = run("-m", "pytest", "-q", "-p", "no:cacheprovider",
                   f"{__file__}::{request.node.name}", cwd=Path(__file__).parent)
    assert done.returncode == 0 and "1 passed" in done.stdout, done.stdout + done.stderr
    return True


def test_table_nodes_are_out_of_sight_and_cycles_bring_them_back(request):
    if ran_elsewhere(request):
        return
    x = Value(0.5)
    y = (x * 2 + 1).tanh() ** 2
    assert not any(map(tracked, micrograd.topological_order([y])))
    assert type(y._a) is Value and y._b is None  # its one input in the node: no tuple
    s = micrograd.linear([x, x, x], [1.0, 2.0, 3.0], Value(0.0))  # five inputs: tuples
    assert not tracked(s) and not gc.is_tracked(s._a) and not gc.is_tracked(s._b)
    y.backward(create_graph=True)  # x.grad refers back to x: x and its gradient's graph
    assert tracked(x) and tracked(x.grad)
    below_every_tracked_node_all_are_tracked([x.grad, y])
    z = y * x  # built on a tracked node: tracked, with all below it
    assert tracked(z)
    below_every_tracked_node_all_are_tracked([z])


def test_a_hand_written_backward_is_in_sight_with_all_below_it(request):
    if ran_elsewhere(request):
        return
    a = Value(1.5)
    b = (a * 3).exp()
    out = Value(b.data ** 2, (b,), 'square')
    assert not tracked(out)

    def _backward():
        b.grad += 2 * b.data * out.grad
    out._backward = _backward
    assert tracked(out) and tracked(b) and tracked(a)
    below_every_tracked_node_all_are_tracked([out])


def test_a_subclass_node_is_in_sight_with_all_below_it():
    needs_compiled()
    class Mine(Value):
        pass

    a = Value(2.0)
    c = a * 3
    m = Mine(1.0, (c,))
    assert tracked(m) and tracked(c) and tracked(a)


def runs_to_ok(code):
    """`code`, in a process of its own on the compiled engine, prints 'ok' (its asserts
    hold): for what changes the engine for the rest of the process."""
    compiled_built()
    done = run("-c", code)
    assert done.stdout.strip() == "ok", done.stderr


def test_the_untracking_stops_once_a_container_is_put_into_a_field():
    code = ("import gc; from micrograd import Value\n"
            "a = (Value(1.0) * 2)\nassert not gc.is_tracked(a)\n"
            "a.label = ['a list']\nassert gc.is_tracked(a)\n"
            "b = Value(3.0) * 4\nassert gc.is_tracked(b), 'tracked from birth now'\n"
            "print('ok')")
    runs_to_ok(code)


def test_derivatives_and_inputs_set_by_hand_from_lists_keep_the_untracking():
    """They are kept as tuples: no list stays in a field, so none ends the untracking."""
    code = ("import gc; from micrograd import Value\n"
            "u = Value(0.5).tanh()\nu._local = [0.25]\nu._prev = [Value(2.0)]\n"
            "assert u._local == (0.25,) and gc.is_tracked(u)\n"
            "z = Value(3.0) * 4\nassert not gc.is_tracked(z), 'still untracked'\n"
            "print('ok')")
    runs_to_ok(code)


def test_a_closure_holding_functions_and_classes_keeps_the_untracking():
    """micrograd 0.1.0's custom ops often hold `math.exp`, a class or a module in their
    closure: those live as long as the program, so no cycle is feared through them."""
    code = ("import gc, math; from micrograd import Value\n"
            "def op(a, f=math.exp, kind=Value, m=math):\n"
            "    out = Value(f(a.data), (a,), 'f')\n"
            "    def _backward():\n"
            "        a.grad += kind(m.e).data * f(a.data) * out.grad\n"
            "    out._backward = _backward\n"
            "    return out\n"
            "y = op(Value(1.0) * 2)\nassert gc.is_tracked(y)\n"
            "z = Value(3.0) * 4\nassert not gc.is_tracked(z), 'still untracked'\n"
            "print('ok')")
    runs_to_ok(code)


def test_the_process_collector_is_left_as_it_was():
    before = gc.isenabled(), gc.get_threshold()
    model = nn.MLP(2, [4, 1])
    loss = sum(model([0.5, -0.5]) for _ in range(3))
    loss.backward()
    assert (gc.isenabled(), gc.get_threshold()) == before


operations = st.lists(st.tuples(st.sampled_from(
    ['mul', 'add', 'tanh', 'pow', 'relu', 'closure', 'grad_graph', 'grad_number',
     'label', 'sub_class', 'prev', 'backward', 'create_graph']),
    st.integers(0, 1000)), min_size=1, max_size=40)


class Sub(Value):
    pass


@given(operations)
def test_the_invariant_holds_after_any_mix_of_operations_and_assignments(steps):
    needs_compiled()
    pool = [Value(0.5), Value(-1.25)]
    for name, k in steps:
        a, b = pool[k % len(pool)], pool[(k // 7) % len(pool)]
        if name == 'mul':
            pool.append(a * b)
        elif name == 'add':
            pool.append(a + 1.5)
        elif name == 'tanh':
            pool.append(a.tanh())
        elif name == 'pow':
            pool.append(a ** 2)
        elif name == 'relu':
            pool.append(a.relu())
        elif name == 'closure':
            pool.append(cycles_script.closure_op(a))
        elif name == 'grad_graph':
            a.grad = b * 2
        elif name == 'grad_number':
            a.grad = Value(1.0)
        elif name == 'label':
            a.label = f'node {k}'
        elif name == 'sub_class':
            pool.append(Sub(1.0, (a, b)))
        elif name == 'prev' and a is not b and not a._prev and not b._prev:
            a._prev = (b,)  # a leaf made a node by hand
        elif name == 'backward':
            a.backward()
        elif name == 'create_graph':
            try:
                a.backward(create_graph=True)
            except RuntimeError:  # through a hand-written _backward: refused
                continue
    below_every_tracked_node_all_are_tracked(pool)
