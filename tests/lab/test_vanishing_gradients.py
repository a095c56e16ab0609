"""Vanishing gradients: per-layer scales against closed forms and autograd, and the claims'
negative controls (an initialisation each claim's statistic must flag)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from actlab.lab import vanishing_gradients


# --- vanishing gradients -------------------------------------------------------------------
def _grad_config(**overrides) -> vanishing_gradients.Config:
    return vanishing_gradients.Config(width=12, batch=16, seeds=2, **overrides)


def _ensemble_weights(activation: str, init: str, depth: int,
                      config: vanishing_gradients.Config) -> list[torch.Tensor]:
    from actlab.models.ensemble import EnsembleMLP

    seeds = [config.seed * 1000 + s for s in range(config.seeds)]
    sizes = [config.width] * (depth + 1) + [1]
    model = EnsembleMLP(sizes, activation, seeds, init=init, dtype=torch.float64)
    return [w.detach() for w in model.weights]


def _gaussian_data(config: vanishing_gradients.Config) -> tuple[torch.Tensor, torch.Tensor]:
    """The documented inputs: Gaussian x, then Gaussian targets, from one seeded generator."""
    gen = torch.Generator().manual_seed(config.seed)
    x = torch.randn(config.seeds, config.batch, config.width, generator=gen, dtype=torch.float64)
    t = torch.randn(config.seeds, config.batch, 1, generator=gen, dtype=torch.float64)
    return x, t


def test_linear_net_gradient_norms_match_the_closed_form() -> None:
    """Identity activation: y = x W_1 ... W_L, loss ½·mean(r²), r = y − t, so
    ∂L/∂W_l = (x W_1…W_{l−1})ᵀ (r / B) (W_{l+1}…W_L)ᵀ — plain matrix products, no autograd."""
    config, depth = _grad_config(), 4
    norms = vanishing_gradients.layer_gradient_norms("identity", "lecun", depth, config)
    assert norms.shape == (depth + 1,)
    weights = _ensemble_weights("identity", "lecun", depth, config)
    x, t = _gaussian_data(config)
    expected = np.zeros(depth + 1)
    for s in range(config.seeds):
        ws = [w[s].numpy() for w in weights]
        xs, ts = x[s].numpy(), t[s].numpy()
        r = (xs @ np.linalg.multi_dot(ws) - ts) / config.batch
        for layer in range(depth + 1):
            before = xs @ (np.linalg.multi_dot(ws[:layer]) if layer > 1 else
                           ws[0] if layer == 1 else np.eye(config.width))
            after = ws[layer + 1:]
            tail = (np.linalg.multi_dot(after) if len(after) > 1 else after[0] if after
                    else np.eye(1))
            expected[layer] += np.linalg.norm(before.T @ r @ tail.T) / config.seeds
    np.testing.assert_allclose(norms, expected, rtol=1e-10)


def test_tanh_gradient_norms_match_torch_autograd_on_separate_nets() -> None:
    config, depth = _grad_config(), 3
    norms = vanishing_gradients.layer_gradient_norms("tanh", "glorot", depth, config)
    weights = _ensemble_weights("tanh", "glorot", depth, config)
    x, t = _gaussian_data(config)
    expected = np.zeros(depth + 1)
    for s in range(config.seeds):
        ws = [w[s].clone().requires_grad_(True) for w in weights]
        h = x[s]
        for k, w in enumerate(ws):
            h = h @ w
            if k < depth:
                h = torch.tanh(h)
        (0.5 * (h - t[s]).square().mean()).backward()
        expected += np.array([float(w.grad.norm()) for w in ws]) / config.seeds
    np.testing.assert_allclose(norms, expected, rtol=1e-10)


def test_sigmoid_gradient_ratio_falls_with_depth() -> None:
    """σ' ≤ 1/4 at every layer: with Glorot weights (spectral norm ≈ 2 at this width) each
    layer shrinks the backward signal by at least about half."""
    config = _grad_config()
    ratios = [vanishing_gradients._log_ratio(
        vanishing_gradients.layer_gradient_norms("sigmoid", "glorot", depth, config))
        for depth in (2, 6, 12)]
    assert ratios[0] > ratios[1] > ratios[2]
    assert ratios[2] < -2.5  # 0.5^12 ≈ 10^-3.6 at most, give or take the activations' scale


def test_heaviside_passes_no_gradient_below_the_output_layer() -> None:
    norms = vanishing_gradients.layer_gradient_norms("heaviside", "he", 3, _grad_config())
    assert np.all(norms[:-1] == 0.0)  # zero derivative almost everywhere
    assert norms[-1] > 0.0  # the output layer still sees its 0/1 inputs
    assert math.isnan(vanishing_gradients._log_ratio(norms))  # shown blank, not as a number


def test_weight_gradient_ratio_hides_a_dead_relu_net_but_the_scales_do_not() -> None:
    """The issue's example: ReLU with U[±1/√n] weights. Every weight gradient is tiny, so
    their first/last ratio looks intact; the forward and backward scales flag it."""
    config = vanishing_gradients.Config(width=64, batch=64, seeds=5)
    scales = vanishing_gradients.layer_scales("relu", "uniform", 30, config)
    weights = scales.weight_gradient_norm.mean(axis=0)
    assert np.all(weights < 1e-8)  # every layer's gradient is near zero...
    assert abs(vanishing_gradients._log_ratio(weights)) < 3  # ...yet the old ratio is small
    # n·Var[w]/2 = 1/6 per layer: 29 layers lose 29·log10(6) ≈ 22.6 decades of variance
    assert np.mean(scales.forward_decades()) == pytest.approx(-29 * math.log10(6), abs=3)
    assert np.all(scales.worst_decades() > 10)


def test_linear_net_backward_scale_by_hand() -> None:
    """Identity activation: δ_l = δ_{l+1} W_{l+1}ᵀ, so with Var[w] = 1/n (LeCun) the rms of δ
    is kept layer to layer in expectation; here we check the exact products."""
    config, depth = vanishing_gradients.Config(width=12, batch=16, seeds=2), 3
    scales = vanishing_gradients.layer_scales("identity", "lecun", depth, config)
    weights = _ensemble_weights("identity", "lecun", depth, config)
    x, t = _gaussian_data(config)
    for s in range(config.seeds):
        ws = [w[s].numpy() for w in weights]
        out = x[s].numpy() @ np.linalg.multi_dot(ws)
        delta = (out - t[s].numpy()) / config.batch  # ∂L/∂out for L = ½·mean(r²)
        expected = [np.sqrt(np.mean(delta**2))]
        for w in ws[:0:-1]:
            delta = delta @ w.T
            expected.append(np.sqrt(np.mean(delta**2)))
        np.testing.assert_allclose(scales.delta_rms[s], expected[::-1], rtol=1e-10)


def test_every_quick_claim_flags_its_negative_control() -> None:
    result = vanishing_gradients.run(vanishing_gradients.Config.quick())
    claims = [c for c in result.claims if c.kind == "claim"]
    assert len(claims) == len(vanishing_gradients.EXPECTATIONS)
    for claim in claims:
        assert "flagged, as it must be" in claim.detail, claim.statement
        assert claim.seeds == 5 and claim.interval is not None
    check = next(c for c in result.claims if c.kind == "check")
    assert check.verdict == "holds"
    # the controls' statistics sit on the other side of the claims' thresholds
    assert result.metrics["control_relu_uniform_intact_statistic"] > 1.0
    assert result.metrics["control_tanh_uniform_intact_statistic"] > 1.0
    assert result.metrics["control_relu_he_vanishing_statistic"] > -3.0


def test_expectation_claim_marks_an_unflagged_control() -> None:
    """Feed the control the claimed cell's own scales: the rule cannot tell them apart, and
    the claim says so."""
    config = vanishing_gradients.Config(width=16, batch=32, claim_seeds=5)
    good = vanishing_gradients.layer_scales("relu", "he", 5, config, 5)
    expectation = vanishing_gradients.EXPECTATIONS[0]
    claim, control = vanishing_gradients.expectation_claim(expectation, good, good, 5, 5,
                                                           config)
    assert control.verdict == claim.verdict
    flagged = control.verdict == "not reproduced"
    assert ("flagged, as it must be" in claim.detail) == flagged
    assert ("NOT flagged" in claim.detail) == (not flagged)


