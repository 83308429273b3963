"""micrograd: a small scalar reverse-mode autograd engine and neural-net library.

    >>> from micrograd import Value
    >>> x = Value(2.0)
    >>> y = x * x + x.tanh()
    >>> y.backward()
"""

from .engine import Value, grad, is_grad_enabled, linear, no_grad, topological_order
from .explain import explain
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .viz import draw_dot

__version__ = '0.2.0'

__all__ = ['Value', 'grad', 'no_grad', 'is_grad_enabled', 'topological_order',
           'gradcheck', 'gradgradcheck', 'GradcheckError', 'draw_dot', 'explain', 'linear']
