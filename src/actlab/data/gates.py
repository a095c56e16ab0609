"""The two-input logic gates of the seeds: AND, OR, NAND (linearly separable) and XOR (not)."""

from __future__ import annotations

import numpy as np

from actlab.errors import UserError

GATES = ("and", "or", "nand", "xor")

# The four input pairs, always in this order.
_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
_TRUTH_TABLES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "xor": (0, 1, 1, 0),
}


def gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Inputs X (4, 2) and targets y (4,) of a gate, both float64.

    >>> X, y = gate("xor")
    >>> y.tolist()
    [0.0, 1.0, 1.0, 0.0]
    """
    key = name.strip().lower()
    if key not in _TRUTH_TABLES:
        raise UserError(f"unknown gate {name!r}; choose one of {', '.join(GATES)}")
    return _INPUTS.copy(), np.array(_TRUTH_TABLES[key], dtype=np.float64)
