"""Private fields of Values set by hand to odd values, then every operation on the graph.

`python odd_fields_script.py`: one line per case, `field=value on node, operation:
outcome` (`ok`, or the exception's type). tests/test_compiled.py runs it on both engines:
neither may crash (a segfault ends the process), whatever a user writes into a field.
"""

import copy
import pickle
import sys

import micrograd
from micrograd import Value, draw_dot, explain, grad
from micrograd.graph import to_json, topological_order


def nodes():
    """Fresh nodes of each layout: a leaf, one input, two inputs, a tuple of inputs."""
    x, w = Value(0.5, label='x'), Value(-1.5, label='w')
    return {'leaf': x, 'one input': x.tanh(), 'two inputs': x * w,
            'tuple': micrograd.linear([w, x, w], [x, 2.0, w], Value(0.25))}


def odd_values(node):
    return {'None': None, '(None,)': (None,), '5': 5, "'x'": 'x', '(5,)': (5,),
            'itself': (node,), '()': (), '[node]': [node], 'object()': object(),
            'nan': float('nan'), '(node, None)': (node, None)}


OPERATIONS = {
    'backward': lambda out, leaf: out.backward(),
    'backward twice': lambda out, leaf: (out.backward(), out.backward()),
    'grad': lambda out, leaf: grad(out, [leaf]),
    'create_graph': lambda out, leaf: out.backward(create_graph=True),
    'order': lambda out, leaf: topological_order([out]),
    '_prev': lambda out, leaf: out._prev,
    '_local': lambda out, leaf: out._local,
    '_backward()': lambda out, leaf: out._backward(),
    'repr': lambda out, leaf: repr(out),
    'to_json': lambda out, leaf: to_json(out),
    'explain': lambda out, leaf: explain(out),
    'pickle': lambda out, leaf: pickle.loads(pickle.dumps(out)),
    'deepcopy': lambda out, leaf: copy.deepcopy(out),
    'copy': lambda out, leaf: copy.copy(out),
    'arithmetic': lambda out, leaf: (out * 2 + leaf).tanh(),
}
if '--draw' in sys.argv:
    OPERATIONS['draw_dot'] = lambda out, leaf: draw_dot(out).source


def main():
    print(f"compiled {micrograd.COMPILED}", file=sys.stderr)
    for field in ('_a', '_da', '_b', '_db', '_rule', '_mark', '_op', 'label', 'data', 'grad'):
        for kind in nodes():
            for name in odd_values(None):
                for operation, run in OPERATIONS.items():
                    graph = nodes()
                    node, leaf = graph[kind], graph['leaf']
                    out = node * 3.0 + 1.0  # the odd node inside a graph
                    try:
                        setattr(node, field, odd_values(node)[name])
                        run(out, leaf)
                        outcome = 'ok'
                    except Exception as error:  # any Python error is fine: no crash
                        outcome = type(error).__name__
                    print(f"{field}={name} on {kind}, {operation}: {outcome}", flush=True)


if __name__ == '__main__':
    main()
