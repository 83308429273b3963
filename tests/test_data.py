"""micrograd.data: the same points as scikit-learn, Gaussian noise, the tutorial sets."""

import math
import random

import pytest

from micrograd.data import (
    make_circles,
    make_moons,
    summation,
    three_input_and_not,
    xor,
)

from conftest import assert_raises_naming, require_module

SIZES = [2, 3, 4, 5, 10, 11, 100, 101]


def sklearn_datasets():
    return require_module("sklearn.datasets")


def assert_points_close(ours, theirs, tol=1e-12):
    assert len(ours) == len(theirs)
    for p, q in zip(ours, theirs):
        assert len(p) == len(q) == 2
        assert all(type(c) is float for c in p)
        assert all(abs(a - float(b)) <= tol for a, b in zip(p, q)), (p, list(q))


@pytest.mark.parametrize("n", SIZES)
def test_moons_equal_sklearn(n):
    X_ref, y_ref = sklearn_datasets().make_moons(n_samples=n, shuffle=False, noise=None)
    X, y = make_moons(n)
    assert_points_close(X, X_ref)
    assert y == [int(v) for v in y_ref]
    assert all(type(v) is int for v in y)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("factor", [0.8, 0.3, 0.999])
def test_circles_equal_sklearn(n, factor):
    X_ref, y_ref = sklearn_datasets().make_circles(n_samples=n, shuffle=False, noise=None,
                                                   factor=factor)
    X, y = make_circles(n, factor=factor)
    assert_points_close(X, X_ref)
    assert y == [int(v) for v in y_ref]


def test_circles_default_factor_is_sklearns():
    X_ref, _ = sklearn_datasets().make_circles(n_samples=20, shuffle=False)
    assert_points_close(make_circles(20)[0], X_ref)


@pytest.mark.parametrize("make", [make_moons, make_circles])
def test_labels_parameter_renames_the_classes(make):
    _, y = make(7)
    X, y_pm = make(7, labels=(-1, 1))
    assert X == make(7)[0]
    assert y_pm == [-1 if v == 0 else 1 for v in y]
    assert y_pm == [-1, -1, -1, 1, 1, 1, 1]  # the smaller half first, as scikit-learn


def test_moons_shape_by_hand():
    # n = 6: three angles 0, pi/2, pi on each moon
    X, y = make_moons(6)
    expected = [[1, 0], [0, 1], [-1, 0], [0, 0.5], [1, -0.5], [2, 0.5]]
    assert_points_close(X, expected, tol=1e-15)
    assert y == [0, 0, 0, 1, 1, 1]


def test_circles_radii():
    X, y = make_circles(50, factor=0.25)
    radii = [math.hypot(*p) for p in X]
    assert all(abs(r - (1.0 if label == 0 else 0.25)) < 1e-15 for r, label in zip(radii, y))


def noise_residuals(make, n, noise, seed, **kwargs):
    clean, _ = make(n, **kwargs)
    noisy, _ = make(n, noise=noise, seed=seed, **kwargs)
    return ([p[0] - q[0] for p, q in zip(noisy, clean)],
            [p[1] - q[1] for p, q in zip(noisy, clean)])


@pytest.mark.parametrize("make", [make_moons, make_circles])
@pytest.mark.parametrize("noise", [0.05, 0.3])
def test_noise_is_gaussian_with_the_given_std(make, noise):
    n = 4000
    dx, dy = noise_residuals(make, n, noise, seed=12345)
    for residuals in (dx, dy):  # both coordinates get noise
        m = len(residuals)
        mean = sum(residuals) / m
        std = math.sqrt(sum((r - mean) ** 2 for r in residuals) / (m - 1))
        assert abs(mean) < 5 * noise / math.sqrt(m)
        assert abs(std / noise - 1) < 0.1  # the sample std varies by ~1% here
        # the shape of a normal distribution: 68.3% within 1 std, 95.4% within 2
        # (uniform noise of the same std would give 57.7% and 100%)
        within1 = sum(abs(r) < noise for r in residuals) / m
        within2 = sum(abs(r) < 2 * noise for r in residuals) / m
        assert abs(within1 - 0.6827) < 0.04
        assert abs(within2 - 0.9545) < 0.02
    # the two coordinates are drawn independently
    corr = sum(a * b for a, b in zip(dx, dy)) / math.sqrt(sum(a * a for a in dx) *
                                                           sum(b * b for b in dy))
    assert abs(corr) < 0.1


@pytest.mark.parametrize("make", [make_moons, make_circles, xor])
def test_noise_is_reproducible_by_seed(make):
    a = make(noise=0.1, seed=7)
    assert a == make(noise=0.1, seed=7)
    assert a[0] != make(noise=0.1, seed=8)[0]
    assert make(noise=0.1, seed=None)[0] != make(noise=0.1, seed=None)[0]
    assert a == make(noise=0.1, seed=random.Random(7))  # a generator works as a seed


def test_noise_ignores_and_keeps_the_global_random_state():
    random.seed(1)
    first = make_moons(30, noise=0.2, seed=3)
    random.seed(2)
    state = random.getstate()
    second = make_moons(30, noise=0.2, seed=3)
    assert first == second
    assert random.getstate() == state


@pytest.mark.parametrize("make", [make_moons, make_circles])
def test_zero_noise_is_no_noise(make):
    assert make(9, noise=0, seed=1) == make(9)
    assert make(9, noise=0.0) == make(9, noise=None)


def test_xor():
    X, y = xor()
    assert X == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    assert y == [0, 1, 1, 0]
    assert xor(labels=(-1, 1))[1] == [-1, 1, 1, -1]
    X3, y3 = xor(repeats=3)
    assert X3 == X * 3 and y3 == y * 3
    noisy, y_noisy = xor(repeats=50, noise=0.1, seed=0)
    assert y_noisy == y * 50
    assert all(abs(a - b) < 0.6 for p, q in zip(noisy, X * 50) for a, b in zip(p, q))
    assert noisy != X * 50


def test_three_input_and_not_truth_table():
    X, y = three_input_and_not()
    table = [  # x1, x2, x3, target = x3 AND NOT (x1 AND x2)
        (-1, -1, -1, -1),
        (-1, -1, +1, +1),
        (-1, +1, -1, -1),
        (-1, +1, +1, +1),
        (+1, -1, -1, -1),
        (+1, -1, +1, +1),
        (+1, +1, -1, -1),
        (+1, +1, +1, -1),
    ]
    assert X == [[float(a), float(b), float(c)] for a, b, c, _ in table]
    assert y == [float(t) for *_, t in table]
    assert all(type(v) is float for row in X for v in row) and all(type(t) is float for t in y)


def test_summation():
    X, y = summation()
    assert X == [[1.0, 4.0], [2.0, 7.0], [3.0, 5.0]]
    assert y == [5.0, 9.0, 8.0]
    assert all(type(v) is float for row in X for v in row) and all(type(t) is float for t in y)


@pytest.mark.parametrize("make", [summation, three_input_and_not, xor, make_moons])
def test_each_call_returns_fresh_lists(make):
    X, y = make()
    X[0][0] = 99.0
    y[0] = 99
    X2, y2 = make()
    assert X2[0][0] != 99.0 and y2[0] != 99


@pytest.mark.parametrize("call, error, words", [
    (lambda: make_moons(1), ValueError, ["make_moons", "n_samples", "1"]),
    (lambda: make_moons(0), ValueError, ["make_moons", "n_samples", "0"]),
    (lambda: make_moons(-5), ValueError, ["make_moons", "-5"]),
    (lambda: make_moons(10.0), TypeError, ["make_moons", "n_samples", "float"]),
    (lambda: make_moons("10"), TypeError, ["make_moons", "str"]),
    (lambda: make_moons(10, noise=-0.1), ValueError, ["make_moons", "noise", "-0.1"]),
    (lambda: make_moons(10, noise=math.nan), ValueError, ["make_moons", "noise", "nan"]),
    (lambda: make_moons(10, noise=math.inf), ValueError, ["make_moons", "noise", "inf"]),
    (lambda: make_moons(10, noise="0.1"), TypeError, ["make_moons", "noise", "str"]),
    (lambda: make_moons(10, seed=1.5), TypeError, ["make_moons", "seed", "float"]),
    (lambda: make_moons(10, labels=(1,)), ValueError, ["make_moons", "labels", "(1,)"]),
    (lambda: make_moons(10, labels=(1, 1)), ValueError, ["make_moons", "labels", "(1, 1)"]),
    (lambda: make_circles(1), ValueError, ["make_circles", "n_samples", "1"]),
    (lambda: make_circles(10, noise=-1), ValueError, ["make_circles", "noise", "-1"]),
    (lambda: make_circles(10, factor=0), ValueError, ["make_circles", "factor", "0"]),
    (lambda: make_circles(10, factor=1), ValueError, ["make_circles", "factor", "1"]),
    (lambda: make_circles(10, factor=1.5), ValueError, ["make_circles", "factor", "1.5"]),
    (lambda: make_circles(10, factor=-0.5), ValueError, ["make_circles", "factor", "-0.5"]),
    (lambda: make_circles(10, factor=math.nan), ValueError, ["make_circles", "nan"]),
    (lambda: make_circles(10, factor=None), TypeError, ["make_circles", "factor", "NoneType"]),
    (lambda: xor(0), ValueError, ["xor", "repeats", "0"]),
    (lambda: xor(noise=-2.0), ValueError, ["xor", "noise", "-2.0"]),
])
def test_argument_errors_name_the_function_and_the_value(call, error, words):
    assert_raises_naming(call, error, words)


def test_a_numpy_integer_seed_works_like_an_int():
    np = require_module("numpy")
    assert make_moons(20, noise=0.1, seed=np.int64(3)) == make_moons(20, noise=0.1, seed=3)
