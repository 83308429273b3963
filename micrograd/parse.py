"""Build a graph from an arithmetic expression written as text, safely.

`build("tanh(a*b + c)", {'a': 2, 'b': -3, 'c': 10})` parses with Python's `ast` and
walks the tree itself: only numbers, the given variables, `+ - * / **`, unary minus and
the engine's functions (`exp log sqrt tanh sigmoid relu sin cos abs`, called as
`tanh(x)` or `x.tanh()`) are accepted. Nothing is ever passed to `eval`, so text such as
`__import__('os')` is an error, not a program.
"""

import ast
import keyword

from .engine import Value

FUNCTIONS = ('exp', 'log', 'sqrt', 'tanh', 'sigmoid', 'relu', 'sin', 'cos', 'abs')

_BINARY = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
           ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
           ast.Pow: lambda a, b: a ** b}
_UNARY = {ast.USub: lambda a: -a, ast.UAdd: lambda a: a}

#: intermediate values are labelled with their own text when it is at most this long
LABEL_WIDTH = 16


class ExpressionError(ValueError):
    """A problem with the text of an expression; `column` (1-based) points at it."""

    def __init__(self, message, text, column=None):
        self.text, self.column = text, column
        where = f" at column {column}" if column else ""
        shown = text if len(text) <= 80 else text[:77] + '...'
        super().__init__(f"{message}{where}: {shown}")


def build(text, variables):
    """The Value computed by `text` from `variables` ({name: number}), and those leaves.

    Returns `(root, leaves)`, `leaves` mapping each variable name to its labelled Value.

    >>> root, leaves = build("a*b + tanh(a)", {'a': 2, 'b': -3})
    >>> round(root.data, 4), leaves['a'].label
    (-5.036, 'a')
    """
    try:
        tree = ast.parse(text.strip(), mode='eval')
    except SyntaxError as e:
        raise ExpressionError(f"syntax error ({e.msg})", text, e.offset) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is too long or too deeply nested", text) from None
    leaves = {}
    for name, number in variables.items():
        if not name.isidentifier() or keyword.iskeyword(name) or name in FUNCTIONS:
            raise ExpressionError(f"{name!r} cannot be a variable name", text)
        leaves[name] = Value(number, label=name)
    source = text.strip()

    def fail(message, node):
        raise ExpressionError(message, text, node.col_offset + 1 + text.find(source))

    def label(node, value):
        segment = (ast.get_source_segment(source, node) or '').replace(' ', '')
        if not value.label and len(segment) <= LABEL_WIDTH:
            value.label = segment
        return value

    def visit(node):
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                fail(f"{node.value!r} is not a number", node)
            return Value(node.value, label=repr(node.value))
        if isinstance(node, ast.Name):
            if node.id not in leaves:
                known = ', '.join(leaves) or 'none given'
                fail(f"unknown name {node.id!r} (variables: {known})", node)
            return leaves[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return label(node, _BINARY[type(node.op)](visit(node.left), visit(node.right)))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
            return label(node, _UNARY[type(node.op)](visit(node.operand)))
        if isinstance(node, ast.Call):
            return label(node, visit_call(node))
        fail(f"{type(node).__name__} is not allowed (only numbers, variables, "
             f"+ - * / ** and {', '.join(FUNCTIONS)})", node)

    def visit_call(node):
        if isinstance(node.func, ast.Name):  # tanh(x)
            name, args = node.func.id, node.args
        elif isinstance(node.func, ast.Attribute):  # x.tanh()
            name, args = node.func.attr, [node.func.value, *node.args]
        else:
            fail("only the engine's functions can be called", node)
        if name not in FUNCTIONS:
            fail(f"unknown function {name!r} (functions: {', '.join(FUNCTIONS)})", node)
        if len(args) != 1 or node.keywords:
            fail(f"{name}() takes exactly one argument", node)
        arg = visit(args[0])
        return abs(arg) if name == 'abs' else getattr(arg, name)()

    try:
        root = visit(tree.body)
        if not root.label:
            root.label = 'out'
    except ExpressionError:
        raise
    except (ValueError, ZeroDivisionError, OverflowError) as e:
        raise ExpressionError(str(e), text) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is too long or too deeply nested", text) from None
    return root, leaves
