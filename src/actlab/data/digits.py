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
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    x = bunch.data.astype(np.float64) / 16.0  # pixel intensities are 0..16
    y = bunch.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y, test_size=test_size, random_state=seed, stratify=y
    )
    return Split(x_tr, y_tr, x_te, y_te)
