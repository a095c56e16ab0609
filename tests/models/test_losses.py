"""Losses and their gradients against torch."""

from __future__ import annotations

import numpy as np
import torch

from actlab.models import mse, softmax_cross_entropy


def test_mse_matches_torch() -> None:
    rng = np.random.default_rng(0)
    pred, target = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    tp = torch.tensor(pred, requires_grad=True)
    tloss = torch.nn.functional.mse_loss(tp, torch.tensor(target))
    tloss.backward()
    loss, grad = mse(pred, target)
    assert np.isclose(loss, tloss.item(), rtol=1e-14)
    np.testing.assert_allclose(grad, tp.grad.numpy(), rtol=1e-14)


def test_softmax_cross_entropy_matches_torch_even_for_extreme_logits() -> None:
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(6, 4)) * np.array([[1], [10], [100], [1000], [1e5], [1e-3]])
    labels = rng.integers(0, 4, 6)
    tl = torch.tensor(logits, requires_grad=True)
    tloss = torch.nn.functional.cross_entropy(tl, torch.tensor(labels))
    tloss.backward()
    loss, grad = softmax_cross_entropy(logits, labels)
    assert np.isclose(loss, tloss.item(), rtol=1e-12)
    np.testing.assert_allclose(grad, tl.grad.numpy(), rtol=1e-10, atol=1e-300)
    assert np.all(np.isfinite(grad))
