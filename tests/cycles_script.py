"""Reference cycles through Values, made over and over: does the collector free them?

The compiled engine keeps table nodes out of the garbage collector's sight
(micrograd/_collector.py); every way a cycle can be made
must bring its nodes back into sight, or the memory is never freed. Each scenario builds
a graph with a cycle through it, drops it and collects, many times; the script prints,
per scenario, the bytes still allocated after the last round beyond those after the
tenth. `tests/test_collector.py` runs it on both engines, one process per scenario
(some scenarios change the engine for the rest of the process).

    python tests/cycles_script.py SCENARIO [ROUNDS]
"""

import gc
import json
import pickle
import sys
import tracemalloc

# micrograd 0.1.0's way: a node with a hand-written `_backward` (a cycle through it)
from compat_script import tanh as closure_op  # tests/: the folder of this script

from micrograd import nn
from micrograd.engine import Value


def body(n=300):
    """A graph of table nodes: the part a leak would keep."""
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = (y * 1.001 + 0.01).tanh()
    return x, y


def closures():
    x, y = body()
    z = closure_op(y) * 2 + closure_op(x)
    z.backward()


def closures_above_and_below():
    x = Value(0.3)
    y = closure_op(x)
    for _ in range(100):
        y = closure_op((y * 0.5).tanh())
    y.backward()


def create_graph():
    _, y = body()
    (y * y).backward(create_graph=True)  # x.grad refers back to x, through the graph


def gradient_set_by_hand():
    x, y = body()
    x.grad = y * 2  # a gradient with a history that holds x


def label_holding_its_graph():
    x, y = body()
    x.label = [y]  # a container (this stops the untracking for the process)


def label_filled_later():
    history = []
    x = Value(1.0)
    x.label = history
    _, y = body()
    y = y * x
    history.append(y)  # made after the container was put into a label: in sight


def tuple_of_inputs_in_a_label():
    x, y = body()
    x.label = (y * 2)._prev  # a tuple Python may have untracked, holding the graph


def container_as_op_name():
    tag = []
    x = Value(0.5, (), tag)  # `_op` given a list: the list may come to hold the graph
    y = x
    for _ in range(300):
        y = (y * 1.001).tanh()
    tag.append(y)


def nested_containers():
    x, y = body(1000)
    x.label = {'a': [((y,),)]}  # Values inside containers inside containers


class Box:
    def __init__(self, held):
        self.held = held


def object_holding_the_graph():
    x, y = body(1000)
    x.label = Box(y)


def inputs_set_by_hand():
    x, y = body()
    x._prev = (y,)  # a cycle through `_prev` itself


class Scaled(Value):
    """A subclass with attributes of its own."""

    def __mul__(self, other):
        result = Scaled(super().__mul__(other).data, (self, other), '*')
        result.note = self
        return result


def subclass():
    x, y = body()
    s = Scaled(2.0)
    z = s * y * x
    z.backward()
    s.partner = z  # a cycle through a subclass's __dict__


def unpickled():
    _, y = body(100)
    (y * y).backward(create_graph=True)
    copied = pickle.loads(pickle.dumps(y))
    copied.backward()


def network():
    model = nn.MLP(3, [8, 8, 1], activation='tanh')
    loss = sum((model([0.1 * i, 0.2, -0.3]) - 1) ** 2 for i in range(5))
    loss.backward(create_graph=True)  # every parameter's gradient holds the graph


SCENARIOS = {f.__name__: f for f in (closures, closures_above_and_below, create_graph,
                                      gradient_set_by_hand, label_holding_its_graph,
                                      label_filled_later, tuple_of_inputs_in_a_label,
                                      container_as_op_name, nested_containers,
                                      object_holding_the_graph, inputs_set_by_hand, subclass,
                                      unpickled, network)}


def main(name, rounds=60):
    """`bytes_left`: what the rounds after the tenth left allocated; `first_left`: what
    the first round left (a graph lost once, where the engine changes its ways)."""
    scenario = SCENARIOS[name]
    body(1000)[1].backward()  # first-time costs (caches, interned numbers), no cycle
    gc.collect()
    tracemalloc.start()
    scenario()
    gc.collect()
    first = tracemalloc.get_traced_memory()[0]
    after_ten = None
    for k in range(1, rounds):
        scenario()
        gc.collect()
        if k == 9:
            after_ten = tracemalloc.get_traced_memory()[0]
    left = tracemalloc.get_traced_memory()[0] - after_ten
    tracemalloc.stop()
    gc.collect()
    print(json.dumps({"scenario": name, "bytes_left": left, "first_left": first,
                      "rounds": rounds, "garbage": len(gc.garbage)}))


if __name__ == "__main__":
    main(sys.argv[1], *map(int, sys.argv[2:]))
