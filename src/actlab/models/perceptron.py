"""Rosenblatt's perceptron and Novikoff's bound on the number of its updates.

Rule (labels 0/1, heaviside step with step(0) = 1): for each sample in turn,
predict ŷ = step(w·x + b); on a mistake, w ← w + η(y - ŷ)x and b ← b + η(y - ŷ).
Training stops after the first epoch without a mistake.

Novikoff (1962): if some unit vector u in the augmented space (x, 1) separates
the data with margin γ = min_i s_i u·(x_i, 1) > 0 (s_i = ±1) and R = max |(x_i, 1)|,
a perceptron started from w = 0 makes at most (R/γ)² updates, whatever η.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _check_xy(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n, d), got {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), got {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("perceptron labels must be 0 or 1")
    return X, y.astype(np.float64)


class Perceptron:
    """A single threshold unit trained by Rosenblatt's rule (weights start at 0)."""

    def __init__(
        self,
        max_epochs: int = 100,
        learning_rate: float = 1.0,
        seed: int = 0,
        shuffle: bool = True,
    ) -> None:
        self.max_epochs = max_epochs
        self.learning_rate = learning_rate
        self.seed = seed
        self.shuffle = shuffle

    def fit(self, X: Any, y: Any) -> Perceptron:
        X, y = _check_xy(X, y)
        n, d = X.shape
        rng = np.random.default_rng(self.seed)
        # augmented form: the bias is the weight of a constant input 1
        Xa = np.hstack([X, np.ones((n, 1))])
        w = np.zeros(d + 1)
        mistakes: list[int] = []
        converged = False
        for _ in range(self.max_epochs):
            order = rng.permutation(n) if self.shuffle else np.arange(n)
            Xo, yo = Xa[order], y[order]
            count = 0
            start = 0
            # Sequential rule, vectorised between mistakes: find the next sample the
            # current weights misclassify, update on it, continue after it.
            while start < n:
                pred = (Xo[start:] @ w >= 0).astype(np.float64)
                wrong = np.flatnonzero(pred != yo[start:])
                if wrong.size == 0:
                    break
                i = start + int(wrong[0])
                w += self.learning_rate * (yo[i] - pred[wrong[0]]) * Xo[i]
                count += 1
                start = i + 1
            mistakes.append(count)
            if count == 0:
                converged = True
                break
        self.weights_ = w[:d].copy()
        self.bias_ = float(w[d])
        self.mistakes_per_epoch_ = mistakes
        self.n_updates_ = int(sum(mistakes))
        self.converged_ = converged
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """The net input w·x + b."""
        return np.asarray(X, dtype=np.float64) @ self.weights_ + self.bias_

    def predict(self, X: Any) -> np.ndarray:
        """0/1 predictions (step(0) = 1)."""
        return (self.decision_function(X) >= 0).astype(np.int64)

    def score(self, X: Any, y: Any) -> float:
        """Accuracy."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


def max_margin(X: Any, y: Any) -> tuple[np.ndarray, float] | None:
    """(unit separator u in the augmented space, its margin γ), or None when not separable.

    First a linear program finds any u with s_i u·x_i >= 1 (infeasible means not
    separable); then SLSQP minimises |u|² under the same constraints (the hard-margin
    SVM without a free bias).  γ is the margin u actually achieves, so it never
    overstates the optimum.
    """
    from scipy.optimize import linprog, minimize

    X, y = _check_xy(X, y)
    A = (2.0 * y - 1.0)[:, None] * np.hstack([X, np.ones((X.shape[0], 1))])
    dim = A.shape[1]
    lp = linprog(
        np.zeros(dim), A_ub=-A, b_ub=-np.ones(len(A)), bounds=[(None, None)] * dim, method="highs"
    )
    if lp.status != 0:
        return None
    best = lp.x
    qp = minimize(
        lambda u: float(u @ u),
        best,
        jac=lambda u: 2.0 * u,
        constraints=[{"type": "ineq", "fun": lambda u: A @ u - 1.0, "jac": lambda u: A}],
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-12},
    )

    def margin(u: np.ndarray) -> float:
        return float(np.min(A @ u) / np.linalg.norm(u))

    if qp.success and margin(qp.x) > margin(best):
        best = qp.x
    gamma = margin(best)
    if gamma <= 0:
        return None
    return best / np.linalg.norm(best), gamma


def novikoff_bound(X: Any, y: Any) -> float | None:
    """(R/γ)²: Novikoff's bound on the perceptron's updates; None if not linearly separable."""
    found = max_margin(X, y)
    if found is None:
        return None
    X = np.asarray(X, dtype=np.float64)
    radius = float(np.max(np.linalg.norm(np.hstack([X, np.ones((len(X), 1))]), axis=1)))
    return (radius / found[1]) ** 2
