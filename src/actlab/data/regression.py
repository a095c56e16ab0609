"""One-dimensional regression targets: x² (the seeds' curve), sin x, x⁵ and |x|.

The seeds fit y = x² + 10·N(0, 1) on an even grid over [-10, 10].  Here the
default noise is the same rule for every curve: a standard deviation of one
tenth of the largest |f(x)| on the interval (10 for x² on [-10, 10], as in the
seeds).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from actlab.errors import UserError

REGRESSION = ("square", "sin", "quintic", "abs")

_CURVES: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "square": np.square,
    "sin": np.sin,
    "quintic": lambda x: x**5,
    "abs": np.abs,
}


def curve(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The noise-free target function of a regression set."""
    key = name.strip().lower()
    if key not in _CURVES:
        raise UserError(
            f"unknown regression data set {name!r}; choose one of {', '.join(REGRESSION)}"
        )
    return _CURVES[key]


def make_regression(
    name: str,
    n: int = 200,
    noise: float | None = None,
    seed: int = 0,
    low: float = -10.0,
    high: float = 10.0,
) -> tuple[np.ndarray, np.ndarray]:
    """x (n, 1) on an even grid over [low, high] and y (n, 1) = f(x) + Gaussian noise.

    ``noise`` is the noise standard deviation; None means 0.1·max|f| on the grid.
    """
    f = curve(name)
    if n < 1:
        raise UserError(f"regression data set needs n >= 1 points, got {n}")
    if not low < high:
        raise UserError(f"need low < high, got low={low}, high={high}")
    x = np.linspace(low, high, n)
    clean = f(x)
    scale = 0.1 * float(np.max(np.abs(clean))) if noise is None else float(noise)
    if scale < 0:
        raise UserError(f"noise must be >= 0, got {noise}")
    y = clean + scale * np.random.default_rng(seed).standard_normal(n)
    return x[:, None], y[:, None]
