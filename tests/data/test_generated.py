"""Embedded and generated data: shapes, dtypes, determinism, the sets' defining properties."""

from __future__ import annotations

import numpy as np
import pytest

from actlab.data import GATES, PLANAR, REGRESSION, gate, make_planar, make_regression
from actlab.data.digits import load_digits_split
from actlab.data.mnist1d import make_mnist1d, templates
from actlab.errors import UserError


@pytest.mark.parametrize("name", GATES)
def test_gates_truth_tables(name: str) -> None:
    X, y = gate(name)
    assert X.shape == (4, 2) and y.shape == (4,)
    assert X.dtype == y.dtype == np.float64
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    expected = {"and": a & b, "or": a | b, "nand": ~(a & b), "xor": a ^ b}[name]
    np.testing.assert_array_equal(y, expected.astype(float))


def test_unknown_gate() -> None:
    with pytest.raises(UserError, match="unknown gate"):
        gate("nor")


@pytest.mark.parametrize("name", PLANAR)
def test_planar_shapes_balance_and_determinism(name: str) -> None:
    X, y = make_planar(name, n=200, noise=0.1, seed=3)
    assert X.shape == (200, 2) and X.dtype == np.float64
    assert y.shape == (200,) and y.dtype.kind == "i" and set(np.unique(y)) == {0, 1}
    assert 0.35 < y.mean() < 0.65
    X2, y2 = make_planar(name, n=200, noise=0.1, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make_planar(name, n=200, noise=0.1, seed=4)
    assert not np.array_equal(X, X3)


def test_planar_sets_have_their_geometry_without_noise() -> None:
    X, y = make_planar("circle", n=300, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all(r[y == 1] <= 2.5) and np.all(r[y == 0] >= 3.5)
    X, y = make_planar("xor", n=300, noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] >= 0).astype(int))
    X, y = make_planar("gauss", n=300, noise=0.0)
    assert np.all(X[y == 1].mean(axis=0) > 1.5) and np.all(X[y == 0].mean(axis=0) < -1.5)
    X, y = make_planar("spiral", n=300, noise=0.0)
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 5.0


def test_planar_noise_flips_circle_labels_near_the_boundary() -> None:
    X, y = make_planar("circle", n=2000, noise=0.5, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.any((r <= 2.5) & (y == 0)) or np.any((r >= 3.5) & (y == 1))


def test_planar_bad_arguments() -> None:
    with pytest.raises(UserError, match="unknown planar"):
        make_planar("donut")
    with pytest.raises(UserError, match="noise"):
        make_planar("xor", noise=-1)


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_sets(name: str) -> None:
    x, y = make_regression(name, n=2001, seed=1)
    assert x.shape == y.shape == (2001, 1)
    f = {"square": np.square, "sin": np.sin, "quintic": lambda v: v**5, "abs": np.abs}[name]
    residual = y[:, 0] - f(x[:, 0])
    expected_sd = 0.1 * np.max(np.abs(f(x[:, 0])))  # the default noise rule
    assert abs(residual.std() / expected_sd - 1) < 0.1
    assert x[0, 0] == -10 and x[-1, 0] == 10
    clean = make_regression(name, n=11, noise=0.0)
    np.testing.assert_allclose(clean[1][:, 0], f(np.linspace(-10, 10, 11)))


def test_square_matches_the_seeds_noise_scale() -> None:
    """Seed 000: q_y = x² + 10·N(0, 1) on x = -10 + k/100."""
    x, y = make_regression("square", n=2001, seed=0)
    assert abs((y - x**2).std() - 10) < 0.5


def test_digits_split() -> None:
    split = load_digits_split(test_size=0.2, seed=0)
    assert split.x_train.shape[1] == 64 and len(split.x_train) + len(split.x_test) == 1797
    assert split.x_train.min() >= 0 and split.x_train.max() == 1
    assert split.n_classes == 10
    again = load_digits_split(test_size=0.2, seed=0)
    np.testing.assert_array_equal(split.y_test, again.y_test)


def test_mnist1d_shapes_defaults_and_determinism() -> None:
    data = make_mnist1d()
    assert data.x_train.shape == (4000, 40) and data.x_test.shape == (1000, 40)
    assert data.y_train.shape == (4000,) and data.y_test.shape == (1000,)
    assert set(np.unique(data.y_train)) == set(range(10))
    x_all = np.concatenate([data.x_train, data.x_test])
    assert abs(x_all.mean()) < 1e-10 and abs(x_all.std() - 1) < 1e-10
    again = make_mnist1d()
    np.testing.assert_array_equal(data.x_train, again.x_train)
    other = make_mnist1d(seed=0)
    assert not np.array_equal(data.x_train, other.x_train)


def test_mnist1d_templates_start_and_end_at_zero() -> None:
    t = templates()
    assert t.shape == (10, 12)
    np.testing.assert_allclose(t[:, 0], 0.0, atol=1e-15)
    np.testing.assert_allclose(t[:, -1], 0.0, atol=1e-15)


def test_mnist1d_is_hard_for_a_linear_model() -> None:
    """Greydanus reports logistic regression at 32%: well above chance (10%), far from 100%."""
    from actlab.models import MLP

    data = make_mnist1d()
    logistic = MLP([40, 10], loss="softmax_cross_entropy", optimiser="adam",
                   learning_rate=0.05, seed=0)
    logistic.fit(data.x_train, data.y_train, epochs=100)
    accuracy = logistic.score(data.x_test, data.y_test)
    assert 0.2 < accuracy < 0.5
