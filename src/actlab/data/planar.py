"""Two-dimensional classification sets as in TensorFlow Playground, plus scikit-learn's moons.

The generators follow the Playground's ``dataset.ts``: points live in about
[-6, 6]²; ``noise`` is its noise slider divided by 100 (0 to 0.5).  As in the
Playground, circle and xor points are drawn clean and their *label* is taken
from a noise-perturbed copy (so noise flips labels near the boundary), gauss
widens the two clusters (variance 0.5 + 7·noise), and spiral jitters the points.
Labels are 1 for the Playground's positive class and 0 for its negative one.
"""

from __future__ import annotations

import numpy as np

from actlab.errors import UserError

PLANAR = ("circle", "xor", "gauss", "spiral", "moons")
_RADIUS = 5.0


def _circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    n_in = n // 2
    r = np.concatenate(
        [rng.uniform(0, _RADIUS * 0.5, n_in), rng.uniform(_RADIUS * 0.7, _RADIUS, n - n_in)]
    )
    angle = rng.uniform(0, 2 * np.pi, n)
    X = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    jitter = rng.uniform(-_RADIUS, _RADIUS, (n, 2)) * noise
    y = np.hypot(*(X + jitter).T) < _RADIUS * 0.5
    return X, y


def _xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X = rng.uniform(-5, 5, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # the Playground's gap between quadrants
    jitter = rng.uniform(-5, 5, (n, 2)) * noise
    noisy = X + jitter
    y = noisy[:, 0] * noisy[:, 1] >= 0
    return X, y


def _gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    std = np.sqrt(0.5 + 7.0 * noise)  # the Playground maps noise 0..0.5 to variance 0.5..4
    n_pos = n // 2
    centres = np.where(np.arange(n)[:, None] < n_pos, 2.0, -2.0)
    X = centres + rng.normal(0.0, std, (n, 2))
    y = np.arange(n) < n_pos
    return X, y


def _spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    parts, labels = [], []
    for label, (count, delta) in enumerate([(n - n // 2, np.pi), (n // 2, 0.0)]):
        i = np.arange(count) / max(count, 1)
        r = i * 5.0
        t = 1.75 * i * 2 * np.pi + delta
        xy = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
        parts.append(xy + rng.uniform(-1, 1, (count, 2)) * noise)
        labels.append(np.full(count, label, dtype=bool))
    return np.concatenate(parts), np.concatenate(labels)


def make_planar(
    name: str, n: int = 400, noise: float = 0.1, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """X (n, 2) float64 and y (n,) int 0/1, shuffled.

    ``moons`` is :func:`sklearn.datasets.make_moons` (its own coordinates, about
    [-1, 2] × [-0.5, 1], Gaussian noise of standard deviation ``noise``).
    """
    key = name.strip().lower()
    if key not in PLANAR:
        raise UserError(f"unknown planar data set {name!r}; choose one of {', '.join(PLANAR)}")
    if n < 2:
        raise UserError(f"planar data set needs n >= 2 points, got {n}")
    if not 0 <= noise <= 1:
        raise UserError(f"noise must be in [0, 1] (the Playground uses 0 to 0.5), got {noise}")
    rng = np.random.default_rng(seed)
    if key == "moons":
        from sklearn.datasets import make_moons

        X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
        return X.astype(np.float64), y.astype(np.int64)
    builders = {"circle": _circle, "xor": _xor, "gauss": _gauss, "spiral": _spiral}
    X, y = builders[key](n, noise, rng)
    order = rng.permutation(n)
    return X[order].astype(np.float64), y[order].astype(np.int64)
