"""Losses with their gradients, for the hand-written backprop of :mod:`actlab.models.mlp`.

Both average over the batch, as PyTorch's default ``reduction="mean"`` does.
"""

from __future__ import annotations

import numpy as np

LOSSES = ("mse", "softmax_cross_entropy")


def mse(pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over every element, and its gradient 2(pred - target)/size."""
    diff = pred - target
    loss = float(np.vdot(diff, diff)) / diff.size
    return loss, diff * (2.0 / diff.size)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise log-softmax, shifted by the row maximum so that nothing overflows."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Cross-entropy of softmax(logits) against integer labels, and d loss / d logits.

    The fused gradient (softmax(z) - onehot(y)) / n never forms log(0) or 0/0.
    """
    n = logits.shape[0]
    logp = log_softmax(logits)
    rows = np.arange(n)
    loss = -float(logp[rows, labels].sum()) / n
    grad = np.exp(logp)
    grad[rows, labels] -= 1.0
    grad /= n
    return loss, grad
