"""The command line.

    python -m micrograd demo [--steps 100] [--seed 1337] [--dataset moons] [--out out]
    python -m micrograd example
    python -m micrograd graph "tanh(a*b + c)" a=2 b=-3 c=10 -o graph.svg [--explain]
    python -m micrograd playground [--port 8000] [--host 127.0.0.1] [--no-browser]
"""

import argparse
import sys

from .engine import Value

EXIT_USAGE = 2


def example():
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


def _assignment(text):
    """'a=2' -> ('a', 2.0), for argparse."""
    from .parse import assignment
    try:
        return assignment(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def graph(args):
    """Build the expression, run backward, draw it, print the gradients."""
    from . import viz
    from .explain import explain
    from .graph import GraphView
    from .parse import build, variables

    try:
        viz.format_for(args.output)  # a bad -o is a usage error, found before any work
        root, leaves = build(args.expression, variables(args.variables, args.expression))
    except ValueError as e:  # ExpressionError, or the format of -o
        print(f"micrograd graph: {e}", file=sys.stderr)
        return EXIT_USAGE
    root.backward()
    print(f"{args.expression.strip()} = {root.data:.6g}")
    for name, leaf in leaves.items():
        print(f"  d/d{name} = {leaf.grad:.6g}")
    view = GraphView(root)  # sorted once, for the table and the picture
    if args.explain:
        print()
        print(explain(root, view=view))
    try:
        path = viz.save(root, args.output, rankdir=args.rankdir, show_order=args.order,
                        view=view)
    except (ValueError, ImportError, OSError, RuntimeError) as e:
        print(f"micrograd graph: cannot draw {args.output}: {e}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


def playground(args):
    """Serve the playground until Ctrl-C."""
    import shutil

    from .playground.server import serve
    try:
        import graphviz  # noqa: F401  (it draws the graphs)
    except ImportError:
        print("micrograd playground: drawing graphs needs the graphviz package: "
              "pip install 'micrograd[web]'", file=sys.stderr)
        return 1
    if shutil.which('dot') is None:
        print("micrograd playground: graphviz's dot program is missing: install it with "
              "'apt-get install graphviz' (or 'brew install graphviz')", file=sys.stderr)
        return 1
    if not 0 <= args.port <= 65535:
        print(f"micrograd playground: --port must be 0 to 65535, got {args.port}",
              file=sys.stderr)
        return EXIT_USAGE
    return serve(args.host, args.port, open_browser=not args.no_browser)


def main(argv=None):
    """Run the command line with `argv` (default: sys.argv); returns the exit code."""
    parser = argparse.ArgumentParser(prog='python -m micrograd',
                                     description='micrograd: a tiny autograd engine')
    commands = parser.add_subparsers(dest='command', required=True)
    d = commands.add_parser('demo', help='train MLP(2, [16, 16, 1]) and draw what it learned',
                            description='Train MLP(2, [16, 16, 1]) with the hinge loss, L2 '
                            'and SGD, and write pictures of the result.')
    d.add_argument('--steps', type=int, default=100, help='training steps (default 100)')
    d.add_argument('--seed', type=int, default=1337, help='data and weights (default 1337)')
    d.add_argument('--dataset', choices=('moons', 'circles', 'xor'), default='moons')
    d.add_argument('--out', default='out', help='folder for the pictures (default out)')
    commands.add_parser('example', help='a worked example of backpropagation')
    g = commands.add_parser('graph', help='draw an expression and its gradients',
                            description='Draw EXPR (numbers, variables, + - * / **, '
                            'exp log sqrt tanh sigmoid relu sin cos abs) and print the '
                            'gradient of every variable.')
    g.add_argument('expression', metavar='EXPR',
                   help='such as "tanh(a*b + c)"; one that starts with "-" goes after "--"')
    g.add_argument('variables', metavar='NAME=NUMBER', nargs='*', type=_assignment,
                   help='the value of each variable')
    g.add_argument('-o', '--output', default='graph.svg',
                   help='picture to write; .svg, .png, .pdf or .dot (default graph.svg)')
    g.add_argument('--explain', action='store_true', help='print the backward pass step by step')
    g.add_argument('--order', action='store_true', help='number values in backward order')
    g.add_argument('--rankdir', choices=('LR', 'TB'), default='LR', help='layout direction')
    p = commands.add_parser('playground', help='step through backward in the browser',
                            description='Serve the playground: step through backward on '
                            'an expression, and train a network on points you place.')
    p.add_argument('--port', type=int, default=8000, help='port (default 8000; 0: any free one)')
    p.add_argument('--host', default='127.0.0.1',
                   help='address to listen on (default 127.0.0.1: this machine only)')
    p.add_argument('--no-browser', action='store_true', help='do not open a browser')
    args = parser.parse_args(argv)
    if args.command == 'playground':
        return playground(args)
    if args.command == 'demo':
        from .demo import run
        try:
            run(args.steps, args.seed, args.dataset, args.out)
        except (ValueError, OSError) as e:
            print(f"micrograd demo: {e}", file=sys.stderr)
            return EXIT_USAGE
        return 0
    if args.command == 'example':
        example()
        return 0
    return graph(args)


if __name__ == '__main__':
    sys.exit(main())
