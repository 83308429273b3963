"""micrograd: a small scalar reverse-mode autograd engine and neural-net library.

    >>> from micrograd import Value
    >>> x = Value(2.0)
    >>> y = x * x + x.tanh()
    >>> y.backward()
"""

from ._select import select

COMPILED = select()  # True when the compiled engine runs (MICROGRAD_PURE=1: never)

from .engine import Value  # noqa: E402
from .explain import explain  # noqa: E402
from .fused import linear  # noqa: E402
from .grad_mode import is_grad_enabled, no_grad  # noqa: E402
from .gradcheck import GradcheckError, gradcheck, gradgradcheck  # noqa: E402
from .gradients import grad  # noqa: E402
from .graph import topological_order  # noqa: E402
from .viz import draw_dot  # noqa: E402

__version__ = '0.2.0'

__all__ = ['COMPILED', 'Value', 'grad', 'no_grad', 'is_grad_enabled', 'topological_order',
           'gradcheck', 'gradgradcheck', 'GradcheckError', 'draw_dot', 'explain', 'linear']
