"""Rosenblatt's perceptron on the gates, and Novikoff's bound on random separable data."""

from __future__ import annotations

import numpy as np
import pytest

from actlab.data import gate
from actlab.models import Perceptron, max_margin, novikoff_bound


@pytest.mark.parametrize("name", ["and", "or", "nand"])
def test_learns_separable_gates_and_stops_early(name: str) -> None:
    X, y = gate(name)
    p = Perceptron(max_epochs=1000, seed=0).fit(X, y)
    assert p.score(X, y) == 1.0
    assert p.converged_
    assert p.mistakes_per_epoch_[-1] == 0
    assert len(p.mistakes_per_epoch_) < 1000
    assert p.n_updates_ == sum(p.mistakes_per_epoch_)


def test_cannot_learn_xor() -> None:
    X, y = gate("xor")
    p = Perceptron(max_epochs=200, seed=0).fit(X, y)
    assert not p.converged_
    assert len(p.mistakes_per_epoch_) == 200
    assert min(p.mistakes_per_epoch_) >= 1
    assert p.score(X, y) <= 0.75
    assert novikoff_bound(X, y) is None


def test_novikoff_bound_of_and_and_or_by_hand() -> None:
    """Augmented inputs (x1, x2, 1): R² = 3.  AND's max-margin separator is 2x1 + 2x2 - 3
    (every point at distance 1/√17), OR's is 2x1 + 2x2 - 1 (margin 1/3)."""
    assert novikoff_bound(*gate("and")) == pytest.approx(3 * 17, rel=1e-6)
    assert novikoff_bound(*gate("or")) == pytest.approx(3 * 9, rel=1e-6)
    u, gamma = max_margin(*gate("and"))
    np.testing.assert_allclose(u, np.array([2, 2, -3]) / np.sqrt(17), atol=1e-6)
    assert gamma == pytest.approx(1 / np.sqrt(17), rel=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_updates_never_exceed_novikoff_bound(seed: int) -> None:
    rng = np.random.default_rng(seed)
    w_true, b_true = rng.normal(size=3), rng.normal()
    X = rng.uniform(-2, 2, size=(300, 3))
    score = X @ w_true + b_true
    keep = np.abs(score) > 0.2 * np.linalg.norm(w_true)  # a margin, so training ends quickly
    X, y = X[keep][:60], (score[keep][:60] >= 0).astype(int)
    bound = novikoff_bound(X, y)
    assert bound is not None
    p = Perceptron(max_epochs=100_000, seed=seed).fit(X, y)
    assert p.converged_ and p.score(X, y) == 1.0
    assert 1 <= p.n_updates_ <= bound


def test_same_seed_same_run_and_learning_rate_does_not_change_predictions() -> None:
    X, y = gate("nand")
    a = Perceptron(seed=3).fit(X, y)
    b = Perceptron(seed=3).fit(X, y)
    c = Perceptron(seed=3, learning_rate=0.1).fit(X, y)  # from w = 0 the rate only scales w
    assert a.mistakes_per_epoch_ == b.mistakes_per_epoch_ == c.mistakes_per_epoch_
    np.testing.assert_allclose(c.weights_, 0.1 * a.weights_)


def test_rejects_labels_other_than_0_and_1() -> None:
    with pytest.raises(ValueError, match="0 or 1"):
        Perceptron().fit(np.zeros((2, 2)), [1, -1])
