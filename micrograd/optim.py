"""Optimizers: change parameters against their gradients, as `torch.optim` does.

An optimizer keeps a list of parameters (leaf Values) and whatever running numbers its
rule needs (momentum, Adam's moment estimates), as plain floats. `step()` reads each
parameter's `.grad` and changes its `.data` in place under `no_grad()`, recording
nothing: the parameters stay leaves, and the next forward pass builds a fresh graph on
top of them. `zero_grad()` clears the gradients, since `backward()` adds to them.

    >>> from micrograd import Value
    >>> w = Value(3.0)
    >>> opt = SGD([w], lr=0.1)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (w * w).backward()             # d(w*w)/dw = 2w
    ...     opt.step()                     # w -= 0.1 * 2w
    >>> round(w.data, 12), opt.steps
    (1.92, 2)

The learning rate may be a number or a function of the step count (0 for the first
step), such as `linear_decay(1.0, 0.1, 100)`, the schedule of micrograd's demo.
"""

import math
import numbers

from .engine import Value
from .grad_mode import no_grad

__all__ = ['Optimizer', 'SGD', 'Adam', 'linear_decay']


class Optimizer:
    """What SGD and Adam share: the parameters, the learning rate, the step count.

    `params` is any iterable of leaf Values (such as `model.parameters()`); it is kept
    as a tuple in `.params`, fixed once the optimizer is made. `lr` is a number >= 0 or
    a callable `lr(step) -> float`; it may be changed between steps. `.steps` counts
    the steps taken.
    """

    def __init__(self, params, lr):
        self.params = _parameters(params, type(self).__name__)
        self.lr = lr
        self.steps = 0

    @property
    def lr(self):
        """The learning rate: a number, or a callable taking the step count."""
        return self._lr

    @lr.setter
    def lr(self, lr):
        if not callable(lr):
            lr = _hyperparameter(lr, 'lr', type(self).__name__)
        self._lr = lr

    def zero_grad(self):
        """Set every parameter's gradient to 0."""
        for p in self.params:
            p.grad = 0.0

    def step(self):
        """Update every parameter from its `.grad` (by the rule of the subclass); one whose
        `.grad` is None (no gradient computed) is skipped, as in PyTorch."""
        lr = self._lr
        if callable(lr):
            lr = self._scheduled(lr)
        with no_grad():
            self._update(lr, [None if p.grad is None else _number(p.grad) for p in self.params])
        self.steps += 1

    def _scheduled(self, schedule):
        lr = schedule(self.steps)
        if isinstance(lr, (bool, Value)) or not isinstance(lr, numbers.Real):
            raise TypeError(f"{type(self).__name__}: the schedule lr({self.steps}) returned "
                            f"a {type(lr).__name__}; a learning rate must be a number >= 0")
        if not lr >= 0:
            raise ValueError(f"{type(self).__name__}: the schedule lr({self.steps}) returned "
                             f"{lr!r}; a learning rate must be a number >= 0")
        return float(lr)

    def _update(self, lr, grads):
        raise NotImplementedError

    def __repr__(self):
        lr = 'a schedule' if callable(self._lr) else repr(self._lr)
        return f"{type(self).__name__}({len(self.params)} parameters, lr={lr})"


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum and L2 weight decay.

    PyTorch's rule (`torch.optim.SGD` without dampening or Nesterov): for each parameter
    `g = grad + weight_decay * p`; with momentum `buf = g` at the first step and
    `buf = momentum * buf + g` after, and `g = buf`; then `p -= lr * g`.

    >>> w = Value(1.0)
    >>> opt = SGD([w], lr=0.5, momentum=0.9)
    >>> w.grad = 1.0
    >>> opt.step(); opt.step()             # buf = 1, then 0.9 * 1 + 1
    >>> round(w.data, 12)                  # 1 - 0.5 * 1 - 0.5 * 1.9
    -0.45
    """

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(params, lr)
        self.momentum = _hyperparameter(momentum, 'momentum', 'SGD')
        self.weight_decay = _hyperparameter(weight_decay, 'weight_decay', 'SGD')
        self._buffers = [None] * len(self.params)

    def _update(self, lr, grads):
        momentum, decay, buffers = self.momentum, self.weight_decay, self._buffers
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if g is None:
                continue
            if decay:
                g = g + decay * p.data
            if momentum:
                g = buffers[i] = g if buffers[i] is None else momentum * buffers[i] + g
            p.data = p.data - lr * g


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradient and of its square.

    PyTorch's rule (`torch.optim.Adam`, L2 weight decay added to the gradient, no
    amsgrad): at step t = 1, 2, ... for each parameter
    `g = grad + weight_decay * p`, `m = b1 * m + (1 - b1) * g`,
    `v = b2 * v + (1 - b2) * g * g`, then with the bias corrections
    `m_hat = m / (1 - b1 ** t)` and `v_hat = v / (1 - b2 ** t)`,
    `p -= lr * m_hat / (sqrt(v_hat) + eps)`. Where that is 0 / 0 (eps = 0 and only zero
    gradients so far) the parameter is left alone; PyTorch would make it nan.

    >>> w = Value(1.0)
    >>> opt = Adam([w], lr=0.1)
    >>> w.grad = 3.0
    >>> opt.step()                         # the first step moves by about lr
    >>> round(w.data, 6)
    0.9
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        self.betas = _betas(betas)
        self.eps = _hyperparameter(eps, 'eps', 'Adam')
        self.weight_decay = _hyperparameter(weight_decay, 'weight_decay', 'Adam')
        self._m = [0.0] * len(self.params)
        self._v = [0.0] * len(self.params)

    def _update(self, lr, grads):
        b1, b2 = self.betas
        eps, decay = self.eps, self.weight_decay
        t = self.steps + 1
        correction1, correction2 = 1.0 - b1 ** t, 1.0 - b2 ** t
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if g is None:
                continue
            if decay:
                g = g + decay * p.data
            m = self._m[i] = b1 * self._m[i] + (1.0 - b1) * g
            v = self._v[i] = b2 * self._v[i] + (1.0 - b2) * g * g
            denominator = math.sqrt(v / correction2) + eps
            if denominator:
                p.data = p.data - lr * (m / correction1) / denominator


def linear_decay(start, end, steps):
    """A learning-rate schedule: `start` at step 0, falling in a straight line to `end` at
    step `steps`, and `end` from then on. Pass it as `lr`.

    `linear_decay(1.0, 0.1, 100)` is micrograd demo's `1.0 - 0.9 * k / 100`, to the bit.

    >>> lr = linear_decay(1.0, 0.1, 100)
    >>> lr(0), lr(25), lr(50), lr(100), lr(500)
    (1.0, 0.775, 0.55, 0.1, 0.1)
    """
    start = _number(start, 'linear_decay(start)')
    end = _number(end, 'linear_decay(end)')
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 1:
        raise ValueError(f"linear_decay(steps) must be a whole number >= 1, got {steps!r}")

    def lr(step):
        return start + (end - start) * step / steps if step < steps else end

    return lr


# -- checking the arguments ----------------------------------------------------------------

def _parameters(params, owner):
    if isinstance(params, Value) or not hasattr(params, '__iter__'):
        hint = " (pass model.parameters())" if hasattr(params, 'parameters') else ""
        raise TypeError(f"{owner}(params) must be an iterable of Values{hint}, "
                        f"got {type(params).__name__}")
    params = list(params)
    if not params:
        raise ValueError(f"{owner}(params) is an empty list: nothing to optimize")
    for p in params:
        if not isinstance(p, Value):
            raise TypeError(f"{owner}(params) must hold Values, got {type(p).__name__}")
        if p._prev:
            raise ValueError(f"{owner}(params): {p!r} is computed from other Values; only "
                             "leaves (parameters) can be optimized")
    if len(set(params)) != len(params):
        raise ValueError(f"{owner}(params) holds the same Value more than once")
    return tuple(params)  # fixed: the optimizer's state is sized to it


def _number(x, what='a gradient'):
    """A real number as a float; a Value's gradient may itself be a Value (create_graph)."""
    if isinstance(x, Value):
        return x.data
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    raise TypeError(f"{what} must be a real number, got {type(x).__name__}")


def _hyperparameter(x, name, owner):
    """A number >= 0 as a float: a TypeError naming the type, or a ValueError naming `name`."""
    if isinstance(x, (bool, Value)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{owner}({name}) must be a real number, got {type(x).__name__}")
    if not x >= 0:
        raise ValueError(f"{owner}({name}) must be >= 0, got {x!r}")
    return float(x)


def _betas(betas):
    try:
        b1, b2 = betas
    except (TypeError, ValueError):
        raise TypeError(f"Adam(betas) must be a pair of numbers, got {betas!r}") from None
    b1, b2 = _number(b1, 'Adam(betas)'), _number(b2, 'Adam(betas)')
    for b in (b1, b2):
        if not 0.0 <= b < 1.0:
            raise ValueError(f"Adam(betas) must each lie in [0, 1), got {betas!r}")
    return (b1, b2)
