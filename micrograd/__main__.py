"""The command line: `python -m micrograd demo`."""

import argparse
import sys

from .engine import Value


def demo():
    """A worked example: build an expression, run backward, print every gradient."""
    print("A worked example: one neuron, y = tanh(x1*w1 + x2*w2 + b)\n")
    x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')
    w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    n = x1 * w1 + x2 * w2 + b
    y = n.tanh()
    y.backward()
    print(f"forward:  n = {n.data:.4f}, y = tanh(n) = {y.data:.4f}")
    print("backward: dy/dn = 1 - y**2 = %.4f" % (1 - y.data ** 2))
    for v in (x1, w1, x2, w2, b):
        print(f"  dy/d{v.label:<3}= {v.grad:8.4f}")
    print("\nmicrograd's README example:")
    a, b = Value(-4.0), Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    print(f"  g = {g.data:.4f}, dg/da = {a.grad:.4f}, dg/db = {b.grad:.4f}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m micrograd', description=__doc__)
    commands = parser.add_subparsers(dest='command', required=True)
    commands.add_parser('demo', help='a worked example of backpropagation')
    args = parser.parse_args(argv)
    if args.command == 'demo':
        demo()
    return 0


if __name__ == '__main__':
    sys.exit(main())
