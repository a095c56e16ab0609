"""scikit-learn's bundled 8×8 handwritten digits (1797 images), scaled to [0, 1]."""

from __future__ import annotations

import numpy as np

from actlab.data.split import Split
from actlab.errors import UserError


def load_digits_split(test_size: float = 0.2, seed: int = 0) -> Split:
    """A stratified train/test split; x has shape (n, 64), float64 in [0, 1]; y int 0-9."""
    if not 0 < test_size < 1:
        raise UserError(f"test_size must be in (0, 1), got {test_size}")
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x = bunch.data.astype(np.float64) / 16.0  # pixel intensities are 0..16
    y = bunch.target.astype(np.int64)
    # stratified: the same fraction of every class goes to the test part
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        test[members[: round(test_size * len(members))]] = True
    train_idx = rng.permutation(np.flatnonzero(~test))
    test_idx = rng.permutation(np.flatnonzero(test))
    return Split(x[train_idx], y[train_idx], x[test_idx], y[test_idx])
