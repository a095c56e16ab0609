"""Tiny CIFAR-10 files in the python layout, for the tests that read user-named data."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np

BATCHES = (*(f"data_batch_{i}" for i in range(1, 6)), "test_batch")


def write_fake_cifar10(parent: Path, rows: int = 4, test_rows: int | None = None,
                       seed: int = 0, cue: bool = False) -> dict[str, np.ndarray]:
    """Write ``parent/cifar-10-batches-py`` with ``rows`` random images per training batch
    (``test_rows`` in the test batch) and return each batch's pixel rows by file name.

    With ``cue`` the first ten pixels encode the label, so a short run can learn something.
    """
    rng = np.random.default_rng(seed)
    folder = parent / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    written = {}
    for name in BATCHES:
        n = rows if name != "test_batch" or test_rows is None else test_rows
        labels = rng.integers(0, 10, n)
        data = rng.integers(0, 256, (n, 3072), dtype=np.uint8)
        if cue:
            data[:, :10] = (labels * 25)[:, None].astype(np.uint8)
        with open(folder / name, "wb") as stream:
            pickle.dump({b"data": data, b"labels": labels.tolist()}, stream)
        written[name] = data
    return written
