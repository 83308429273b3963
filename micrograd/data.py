"""Small datasets for trying out models, in pure Python (no numpy).

Each function returns `(X, y)`: `X` a list of points, each a list of floats, and `y` a
list with one label or target per point. Random ones take a `seed` and draw from their
own `random.Random(seed)`, never from the global `random` state, so a seed alone fixes
the result and training code that seeds `random` is not disturbed.

`make_moons` and `make_circles` follow the formulas of scikit-learn's functions of the
same names with `shuffle=False`: the same points in the same order, so with `noise=None`
they agree with scikit-learn to rounding. Noise is Gaussian with the same standard
deviation, but drawn from Python's generator, so its numbers differ from scikit-learn's.
"""

import itertools
import math
import numbers
import random


def _check_count(fn, name, value, least):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}(): {name} must be a whole number, got {type(value).__name__}")
    if value < least:
        raise ValueError(f"{fn}(): {name} must be at least {least}, got {value}")
    return int(value)


def _check_noise(fn, noise):
    if noise is None:
        return 0.0
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
        raise TypeError(f"{fn}(): noise must be None or a real number, "
                        f"got {type(noise).__name__}")
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"{fn}(): noise must be a finite number >= 0, got {noise!r}")
    return float(noise)


def _check_labels(fn, labels):
    try:
        negative, positive = labels
    except (TypeError, ValueError):
        raise ValueError(f"{fn}(): labels must be a pair (label of class 0, label of "
                         f"class 1), got {labels!r}") from None
    if negative == positive:
        raise ValueError(f"{fn}(): the two labels must differ, got {labels!r}")
    return negative, positive


def _rng(fn, seed):
    """A private generator: `random.Random(seed)`, or `seed` itself if it is one."""
    if isinstance(seed, random.Random):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)):
        return random.Random(None if seed is None else int(seed))  # int: numpy integers too
    raise TypeError(f"{fn}(): seed must be None, an int or a random.Random, "
                    f"got {type(seed).__name__}")


def _linspace(stop, num, endpoint=True):
    """`num` evenly spaced numbers from 0 to `stop` (as numpy.linspace with start 0)."""
    steps = num - 1 if endpoint else num
    if steps <= 0:
        return [0.0] * num
    step = stop / steps
    points = [i * step for i in range(num)]
    if endpoint:
        points[-1] = stop
    return points


def _add_noise(X, noise, rng):
    """Add Gaussian noise of standard deviation `noise` to every coordinate, point by
    point (the order in which scikit-learn draws its noise)."""
    if noise:
        gauss = rng.gauss
        for point in X:
            for k in range(len(point)):
                point[k] += gauss(0.0, noise)
    return X


def _two_halves(n_samples):
    """Class sizes: the first class gets the smaller half (scikit-learn's split)."""
    n_first = n_samples // 2
    return n_first, n_samples - n_first


def make_moons(n_samples=100, noise=None, seed=None, labels=(0, 1)):
    """Two interleaving half circles in the plane: a classic non-linear problem.

    The upper moon, `(cos t, sin t)` for `n_samples // 2` angles `t` evenly spaced over
    [0, pi], has label `labels[0]`; the lower moon, `(1 - cos t, 0.5 - sin t)` for the
    remaining points, has label `labels[1]`, and comes second (no shuffling), as
    scikit-learn's `make_moons(shuffle=False)`. `noise` is the standard deviation of
    Gaussian noise added to each coordinate; `seed` (an int, or a `random.Random`) makes
    it reproducible. For micrograd's demo, which learns targets -1 and +1, pass
    `labels=(-1, 1)`.

    >>> X, y = make_moons(4)
    >>> X[1], y
    ([-1.0, 1.2246467991473532e-16], [0, 0, 1, 1])
    >>> X, y = make_moons(100, noise=0.1, seed=1, labels=(-1, 1))
    >>> len(X), sorted(set(y))
    (100, [-1, 1])
    """
    fn = 'make_moons'
    n_samples = _check_count(fn, 'n_samples', n_samples, 2)
    noise = _check_noise(fn, noise)
    negative, positive = _check_labels(fn, labels)
    rng = _rng(fn, seed)
    n_outer, n_inner = _two_halves(n_samples)
    X = [[math.cos(t), math.sin(t)] for t in _linspace(math.pi, n_outer)]
    X += [[1 - math.cos(t), 1 - math.sin(t) - 0.5] for t in _linspace(math.pi, n_inner)]
    y = [negative] * n_outer + [positive] * n_inner
    return _add_noise(X, noise, rng), y


def make_circles(n_samples=100, noise=None, factor=0.8, seed=None, labels=(0, 1)):
    """A circle inside another: a classic problem that no straight line separates.

    The outer circle, of radius 1, holds `n_samples // 2` points at angles evenly spaced
    over [0, 2 pi) with label `labels[0]`; the inner circle, of radius `factor` (strictly
    between 0 and 1), holds the rest with label `labels[1]`, and comes second (no
    shuffling), as scikit-learn's `make_circles(shuffle=False)`. `noise` is the standard
    deviation of Gaussian noise added to each coordinate; `seed` (an int, or a
    `random.Random`) makes it reproducible.

    >>> X, y = make_circles(4, factor=0.5)
    >>> X[0], X[2], y
    ([1.0, 0.0], [0.5, 0.0], [0, 0, 1, 1])
    """
    fn = 'make_circles'
    n_samples = _check_count(fn, 'n_samples', n_samples, 2)
    noise = _check_noise(fn, noise)
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real):
        raise TypeError(f"{fn}(): factor must be a real number, got {type(factor).__name__}")
    if not 0 < factor < 1:
        raise ValueError(f"{fn}(): factor must lie strictly between 0 and 1, got {factor!r}")
    negative, positive = _check_labels(fn, labels)
    rng = _rng(fn, seed)
    n_outer, n_inner = _two_halves(n_samples)
    X = [[math.cos(t), math.sin(t)]
         for t in _linspace(2 * math.pi, n_outer, endpoint=False)]
    X += [[math.cos(t) * factor, math.sin(t) * factor]
          for t in _linspace(2 * math.pi, n_inner, endpoint=False)]
    y = [negative] * n_outer + [positive] * n_inner
    return _add_noise(X, noise, rng), y


def xor(repeats=1, noise=None, seed=None, labels=(0, 1)):
    """The four points of exclusive or, the problem a single neuron cannot learn.

    `(0, 0)`, `(0, 1)`, `(1, 0)`, `(1, 1)` with labels `labels[0]`, `labels[1]`,
    `labels[1]`, `labels[0]`, in that order, the whole set `repeats` times over. `noise`
    is the standard deviation of Gaussian noise added to each coordinate (useful with
    repeats, to make clouds around the corners); `seed` makes it reproducible.

    >>> xor()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    >>> X, y = xor(repeats=25, noise=0.1, seed=0, labels=(-1, 1))
    >>> len(X), y[:4]
    (100, [-1, 1, 1, -1])
    """
    fn = 'xor'
    repeats = _check_count(fn, 'repeats', repeats, 1)
    noise = _check_noise(fn, noise)
    negative, positive = _check_labels(fn, labels)
    rng = _rng(fn, seed)
    X, y = [], []
    for _ in range(repeats):
        for a, b in ((0, 0), (0, 1), (1, 0), (1, 1)):
            X.append([float(a), float(b)])
            y.append(positive if a != b else negative)
    return _add_noise(X, noise, rng), y


def three_input_and_not():
    """Three inputs in {-1, +1} and the target `x3 AND NOT (x1 AND x2)`, +1 for true and
    -1 for false: all 8 rows, in this order (floats, for a tanh output)::

        x1  x2  x3   target
        -1  -1  -1     -1
        -1  -1  +1     +1
        -1  +1  -1     -1
        -1  +1  +1     +1
        +1  -1  -1     -1
        +1  -1  +1     +1
        +1  +1  -1     -1
        +1  +1  +1     -1

    >>> X, y = three_input_and_not()
    >>> X[7], y[7]
    ([1.0, 1.0, 1.0], -1.0)
    """
    X, y = [], []
    for x1, x2, x3 in itertools.product((-1.0, 1.0), repeat=3):
        both = x1 > 0 and x2 > 0
        X.append([x1, x2, x3])
        y.append(1.0 if x3 > 0 and not both else -1.0)
    return X, y


def summation():
    """Learn to add two numbers: (1, 4) -> 5, (2, 7) -> 9, (3, 5) -> 8 (floats).

    A linear neuron fits it exactly, with both weights 1 and bias 0.

    >>> summation()
    ([[1.0, 4.0], [2.0, 7.0], [3.0, 5.0]], [5.0, 9.0, 8.0])
    """
    return [[1.0, 4.0], [2.0, 7.0], [3.0, 5.0]], [5.0, 9.0, 8.0]
