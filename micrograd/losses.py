"""Loss functions: a model's outputs and the wanted answers in, one `Value` out.

Every loss is written with the engine's own operations (`+ - * /`, `log`, `exp`, `relu`),
so its gradient, and the gradient of that gradient, come from the engine with nothing
more to declare. The definitions are PyTorch's, with mean reduction: `F.mse_loss`,
`F.binary_cross_entropy`, `F.binary_cross_entropy_with_logits` and `F.cross_entropy`.

Why the formulas look the way they do: `exp` of a large logit overflows, and `log(1 + x)`
of a tiny `x` rounds to 0. So `exp` only ever sees numbers <= 0, either by shifting the
logits by their largest value (a plain number: shifting changes neither the value nor
the gradient) or by picking, from the sign of a logit, the form of the formula that
cannot overflow. And `log(1 + x)` goes through `_log1p`, which undoes the rounding.

Predictions may be Values or plain numbers (a number is a constant), one at a time or
as equal-length lists; targets may be numbers or Values (gradients then reach them too,
as in PyTorch). The result is always a Value.

    >>> from micrograd import Value
    >>> p = Value(2.5)
    >>> loss = mse(p, 1.0)
    >>> loss.backward()
    >>> loss.data, p.grad
    (2.25, 3.0)
"""

import math
import numbers

from .engine import Value

LOG_FLOOR = -100.0  # binary_cross_entropy clamps each log here, as PyTorch does

__all__ = ['mse', 'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'hinge',
           'softmax', 'cross_entropy']


# -- the losses ----------------------------------------------------------------------------

def mse(predictions, targets):
    """Mean squared error, mean((prediction - target) ** 2), as `F.mse_loss`.

    >>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data    # (1 + 4) / 2
    2.5
    """
    ps, ts = _predictions_and_targets('mse', predictions, targets)
    return _mean([(p - t) ** 2 for p, t in zip(ps, ts)])


def binary_cross_entropy(probabilities, targets):
    """-mean(t log(p) + (1 - t) log(1 - p)), as `F.binary_cross_entropy`.

    Probabilities and targets must lie in [0, 1] (ValueError otherwise). As in PyTorch,
    each log is clamped at -100, so p = 0 or 1 gives a finite loss of at most 100. Where
    a log is clamped it is a constant, so it contributes no gradient there. Here the
    gradient is always the derivative of the loss; PyTorch's is not where p (1 - p) <
    1e-12 (it divides by max(p (1 - p), 1e-12)), and its second derivative adds 1e-12 to
    p and to 1 - p (off by 2e-4 relative at p = 1e-8).

    >>> round(binary_cross_entropy([Value(0.9), Value(0.2)], [1, 0]).data, 6)
    0.164252
    """
    fn = 'binary_cross_entropy'
    ps, ts = _predictions_and_targets(fn, probabilities, targets, 'probabilities')
    for what, values in (('probabilities', ps), ('targets', ts)):
        for v in values:
            x = v.data if isinstance(v, Value) else v
            if not 0.0 <= x <= 1.0:
                raise ValueError(f"{fn}(): {what} must lie in [0, 1], got {x!r}")
    terms = []
    for p, t in zip(ps, ts):
        # log(p) and log(1 - p), each clamped at -100 (a constant below)
        log_p = p.log() if p.data > 0 and math.log(p.data) >= LOG_FLOOR else Value(LOG_FLOOR)
        log_q = (_log1p(-p) if p.data < 1 and math.log1p(-p.data) >= LOG_FLOOR
                 else Value(LOG_FLOOR))
        terms.append(-(t * log_p + (1 - t) * log_q))
    return _mean(terms)


def binary_cross_entropy_with_logits(logits, targets):
    """mean(max(z, 0) - z t + log(1 + exp(-|z|))): binary cross-entropy of sigmoid(z),
    as `F.binary_cross_entropy_with_logits`, for any logit z (no overflow at +-1000).

    The two forms below are that formula on each side of z = 0; choosing one from the
    sign of z (instead of writing max and |z| with relu and abs, whose derivatives at 0
    are 0) keeps the gradient at z = 0 right: sigmoid(0) - t.

    >>> z = Value(0.0)
    >>> loss = binary_cross_entropy_with_logits(z, 1.0)
    >>> loss.backward()
    >>> round(loss.data, 6), z.grad                    # log 2, sigmoid(0) - 1
    (0.693147, -0.5)
    """
    zs, ts = _predictions_and_targets('binary_cross_entropy_with_logits', logits,
                                     targets, 'logits')
    terms = []
    for z, t in zip(zs, ts):
        if z.data >= 0:
            terms.append(z * (1 - t) + _log1p((-z).exp()))
        else:
            terms.append(_log1p(z.exp()) - z * t)
    return _mean(terms)


def hinge(scores, labels):
    """The max-margin (SVM) loss of micrograd's demo: mean(relu(1 - label * score)).

    Labels are the numbers -1 and +1 (ValueError otherwise). The arithmetic is the demo's,
    `sum((1 + -y * s).relu() ...) * (1.0 / n)`, so the numbers agree to the last bit.

    >>> hinge([Value(2.0), Value(0.5)], [1, 1]).data     # (0 + 0.5) / 2
    0.25
    """
    fn = 'hinge'
    ss, ys = _pairs(fn, scores, labels, 'scores', 'labels')
    ss = [_prediction(s, fn, 'scores') for s in ss]
    for y in ys:
        if not isinstance(y, numbers.Real) or isinstance(y, bool):
            raise TypeError(f"{fn}(): labels must be the numbers -1 or +1, "
                            f"got {type(y).__name__}")
        if y not in (-1, 1):
            raise ValueError(f"{fn}(): labels must be -1 or +1, got {y!r}")
    ys = [float(y) for y in ys]  # numpy integers and the like take part as plain floats
    return _total([(1 + -y * s).relu() for s, y in zip(ss, ys)]) * (1.0 / len(ss))


def softmax(logits):
    """exp(z_i) / sum_j exp(z_j) for a list of logits, as a list of Values (`F.softmax`).

    Computed from z_i - max(z) (a constant shift), so logits of +-1000 are fine.

    >>> [round(p.data, 4) for p in softmax([Value(1.0), Value(1.0), Value(1000.0)])]
    [0.0, 0.0, 1.0]
    """
    exps = [s.exp() for s in _shifted(_logits(logits, 'softmax', 'logits'))]
    total = _total(exps)
    return [e / total for e in exps]


def cross_entropy(logits, target):
    """-log(softmax(logits)[target]) = log(sum_j exp(z_j)) - z_target, as `F.cross_entropy`.

    One example: `logits` a list of Values or numbers, `target` the index of the right
    class (an int in range). A batch: a list of such lists and a list of targets, giving
    the mean. The log-sum-exp is shifted by the largest logit, so +-1000 is fine.

    >>> round(cross_entropy([Value(2.0), Value(0.0), Value(-1.0)], 0).data, 6)
    0.169846
    >>> round(cross_entropy([[2.0, 0.0], [0.0, 2.0]], [0, 0]).data, 6)   # batch: the mean
    1.126928
    """
    fn = 'cross_entropy'
    if isinstance(target, (numbers.Number, Value)):
        zs = _logits(logits, fn, 'logits')
        return _cross_entropy(zs, _class_index(target, len(zs), fn))
    rows = _sequence(logits, fn, 'logits')
    targets = _sequence(target, fn, 'targets')
    if len(rows) != len(targets):
        raise ValueError(f"{fn}(): a batch of {len(rows)} logit lists but {len(targets)} "
                         "targets")
    if not rows:
        raise ValueError(f"{fn}(): an empty batch has no mean")
    for row in rows:
        if isinstance(row, (numbers.Number, Value)):
            raise TypeError(f"{fn}(): with a list of targets, logits must be a list of logit "
                            f"lists (one per example), got a {type(row).__name__} in it")
    rows = [_logits(row, fn, 'logits') for row in rows]
    if len({len(row) for row in rows}) > 1:
        raise ValueError(f"{fn}(): every example needs the same number of logits, got "
                         f"{sorted({len(row) for row in rows})}")
    targets = [_class_index(t, len(rows[0]), fn) for t in targets]
    return _mean([_cross_entropy(zs, t) for zs, t in zip(rows, targets)])


# -- building blocks -----------------------------------------------------------------------

def _log1p(x):
    """log(1 + x) for a Value x in (-1, 1], accurate even where 1 + x rounds to 1.

    u = 1 + x is rounded, but for such x both `u - 1` and `(u - 1) - x` are exact, so the
    latter is the rounding error, and log(1 + x) = log(u) - ((u - 1) - x) / u to within
    a rounding. Plain log(u) would give 0 for log(1 + 1e-20) and lose digits nearby.
    """
    u = 1 + x
    return u.log() - ((u - 1) - x) / u


def _shifted(zs):
    """z - max(z) for each logit, the max taken as a number: exp of the results <= 1."""
    top = max(z.data for z in zs)
    return [z - top for z in zs]


def _cross_entropy(zs, target):
    shifted = _shifted(zs)
    return _total([s.exp() for s in shifted]).log() - shifted[target]


def _total(values):
    """v0 + v1 + ... as Values (no `0 +` node in front, unlike `sum`)."""
    total = values[0]
    for v in values[1:]:
        total = total + v
    return total


def _mean(terms):
    return _total(terms) / len(terms) if len(terms) > 1 else terms[0]


# -- checking the arguments ----------------------------------------------------------------

def _is_single(x):
    return isinstance(x, (Value, numbers.Number))


def _sequence(x, fn, what):
    """`x` as a list, or a TypeError naming its type."""
    if isinstance(x, (str, bytes)) or not hasattr(x, '__iter__'):
        raise TypeError(f"{fn}(): {what} must be a list of Values or numbers, "
                        f"got {type(x).__name__}")
    return list(x)


def _prediction(x, fn, what):
    """A Value as it is; a number as a constant Value (so the loss is always a Value)."""
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return Value(x)
    raise TypeError(f"{fn}(): {what} must be Values or real numbers, got {type(x).__name__}")


def _target(x, fn, what):
    """A Value as it is (gradients reach it); a number as a float."""
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return float(x)
    raise TypeError(f"{fn}(): {what} must be real numbers or Values, got {type(x).__name__}")


def _pairs(fn, first, second, first_name, second_name):
    """Two equal-length, non-empty lists, from two single values or from two lists."""
    if _is_single(first) and _is_single(second):
        return [first], [second]
    single = (first_name if _is_single(first) else second_name if _is_single(second)
              else None)
    first = [first] if _is_single(first) else _sequence(first, fn, first_name)
    second = [second] if _is_single(second) else _sequence(second, fn, second_name)
    if single is not None:
        raise ValueError(f"{fn}(): {single} is a single value but the other argument is a "
                         "list; pass two lists of equal length, or two single values")
    if len(first) != len(second):
        raise ValueError(f"{fn}(): {len(first)} {first_name} but {len(second)} {second_name}")
    if not first:
        raise ValueError(f"{fn}(): empty lists: there is nothing to average")
    return first, second


def _predictions_and_targets(fn, predictions, targets, pname='predictions', tname='targets'):
    """`_pairs`, then predictions as Values and targets as numbers or Values."""
    ps, ts = _pairs(fn, predictions, targets, pname, tname)
    return [_prediction(p, fn, pname) for p in ps], [_target(t, fn, tname) for t in ts]


def _logits(x, fn, what):
    """A non-empty list of logits as Values."""
    zs = _sequence(x, fn, what)
    if not zs:
        raise ValueError(f"{fn}(): needs at least one logit, got an empty list")
    return [_prediction(z, fn, what) for z in zs]


def _class_index(target, classes, fn):
    if isinstance(target, bool) or not isinstance(target, numbers.Integral):
        raise TypeError(f"{fn}(): a target must be a class index (an int), "
                        f"got {type(target).__name__}")
    if not 0 <= target < classes:
        raise ValueError(f"{fn}(): target {target} is out of range for {classes} classes "
                         f"(0 to {classes - 1})")
    return int(target)
