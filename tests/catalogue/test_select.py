"""The NumPy back end's branch-free select behind ``xp.where`` (backend._select, used
from backend._SELECT_MIN_SIZE elements on) gives exactly the bits of np.where."""

from __future__ import annotations

import numpy as np

import actlab.catalogue.backend as backend_module


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_select_matches_np_where_on_scalars_and_arrays() -> None:
    rng = np.random.default_rng(1)
    for dtype in (np.float32, np.float64):
        x = (rng.standard_normal(5000) * 3).astype(dtype)
        x[::7], x[::11], x[::13] = np.nan, -0.0, -np.inf
        cond = x > 0
        for a, b in ((x, -x), (x, 0.0), (1.0, x), (x, dtype(2)), (1.0, 0.0)):
            expected = np.where(cond, a, b)
            got = backend_module._select(cond, a, b)
            assert same_bits(got, expected)
