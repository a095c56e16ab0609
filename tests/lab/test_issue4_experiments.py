"""Issue 4's experiments (why activations matter) in quick configurations: each runs,
round-trips through JSON, computes its verdicts, draws its figures and repeats itself;
then the science in each, checked against mathematics worked out here independently."""

from __future__ import annotations

import dataclasses
import json
import math
from functools import cache

import mpmath as mp
import numpy as np
import pytest
from matplotlib.figure import Figure

import actlab
from actlab.lab import (
    dying_relu,
    self_normalisation,
    zero_centred,
)
from actlab.lab.registry import experiment, experiments
from actlab.lab.result import Result

ISSUE4 = ("vanishing_gradients", "saturation_training", "dying_relu", "self_normalisation",
          "zero_centred", "depth_sweep")
VERDICTS = {"claim": {"reproduced", "partly", "not reproduced"}, "check": {"holds"}}


@cache
def quick_run(name: str) -> tuple[Result, tuple[tuple[float, str], ...]]:
    """The quick configuration's result and the progress reports it made (run once)."""
    exp = experiment(name)
    calls: list[tuple[float, str]] = []
    result = exp.run(exp.config(quick=True), progress=lambda f, m: calls.append((f, m)))
    return result, tuple(calls)


def _text(value: object) -> str:
    """Canonical JSON text: NaN == NaN, and tuples compare equal to lists."""
    return json.dumps(value, sort_keys=True, default=str)


# --- the contract every experiment keeps ---------------------------------------------------
def test_issue4_experiments_are_registered_with_their_modules() -> None:
    registered = {e.name: e for e in experiments()}
    for name in ISSUE4:
        exp = registered[name]
        assert exp.module == f"actlab.lab.{name}"
        assert exp.figures_module == f"actlab.plot.{name}"
        assert exp.title and exp.summary
        assert exp.load().run is not None


@pytest.mark.parametrize("name", ISSUE4)
def test_quick_run_round_trips_claims_and_draws(name: str) -> None:
    exp = experiment(name)
    config = exp.config(quick=True)
    assert dataclasses.is_dataclass(config)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.seed = 1  # type: ignore[misc]

    result, calls = quick_run(name)
    assert result.experiment == name
    assert _text(result.config) == _text(dataclasses.asdict(config))
    fractions = [f for f, _ in calls]
    assert fractions and all(0.0 <= f <= 1.0 for f in fractions)
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)

    again = Result.from_json(result.to_json())
    assert again.experiment == name
    assert _text(again.metrics) == _text(result.metrics)
    assert _text(again.curves) == _text(result.curves)
    assert _text([dataclasses.asdict(c) for c in again.claims]) == \
        _text([dataclasses.asdict(c) for c in result.claims])

    if name != "depth_sweep":  # its quick config has no depth > 15 nor ELU: no claim applies
        assert result.claims
    for claim in result.claims:
        assert claim.verdict in VERDICTS[claim.kind]
        assert claim.statement and claim.source

    figures = exp.figures(again)  # figures are drawn from the JSON alone
    assert figures
    assert all(isinstance(fig, Figure) and fig.axes for fig in figures.values())


@pytest.mark.parametrize("name", ["vanishing_gradients", "dying_relu", "self_normalisation",
                                  "zero_centred"])
def test_quick_runs_repeat_exactly(name: str) -> None:
    exp = experiment(name)
    first, _ = quick_run(name)
    second = exp.run(exp.config(quick=True))
    assert _text(second.metrics) == _text(first.metrics)
    assert _text(second.curves) == _text(first.curves)
    assert [c.verdict for c in second.claims] == [c.verdict for c in first.claims]


# --- dying ReLU -----------------------------------------------------------------------------
@pytest.mark.parametrize(("successes", "n"), [(0, 10), (3, 10), (50, 100), (97, 100), (10, 10)])
def test_wilson_interval_solves_the_score_equation(successes: int, n: int) -> None:
    """Wilson's interval is {p : (p̂ − p)² ≤ z² p(1 − p)/n}: both ends solve it with equality."""
    z = 1.96
    low, high = dying_relu.wilson_interval(np.array([successes]), n, z)
    p_hat = successes / n
    assert 0.0 <= low[0] <= p_hat <= high[0] <= 1.0
    for end in (low[0], high[0]):
        assert (p_hat - end) ** 2 == pytest.approx(z * z * end * (1 - end) / n, abs=1e-12)


def test_wilson_interval_textbook_values() -> None:
    # no successes in n trials: [0, z²/(n + z²)]; all successes: [n/(n + z²), 1]
    low, high = dying_relu.wilson_interval(np.array([0, 20]), 20)
    assert low[0] == pytest.approx(0.0, abs=1e-15)
    assert high[0] == pytest.approx(1.96**2 / (20 + 1.96**2), rel=1e-12)
    assert low[1] == pytest.approx(20 / (20 + 1.96**2), rel=1e-12)
    assert high[1] == pytest.approx(1.0, abs=1e-15)


def test_single_point_width_one_dies_like_coin_flips() -> None:
    """One input, one unit per layer: each layer zeroes the signal with probability 1/2,
    independently, so the first dead layer is geometric: P(dead by L) = 1 − 2^−L."""
    nets = 4000
    config = dying_relu.Config(widths=(1,), max_depth=6, nets=nets)
    died_at = dying_relu.death_depths(1, config, inputs=1, seed=5)
    assert died_at.shape == (nets,)
    assert died_at.min() >= 1 and died_at.max() <= config.max_depth + 1
    for depth in range(1, config.max_depth + 1):
        p = 1 - 0.5**depth
        sigma = math.sqrt(p * (1 - p) / nets)
        assert abs(np.mean(died_at <= depth) - p) < 4 * sigma
    # width 2: both units must be zero at once, probability 1/4 at the first layer
    died_at = dying_relu.death_depths(2, config, inputs=1, seed=6)
    assert abs(np.mean(died_at == 1) - 0.25) < 4 * math.sqrt(0.25 * 0.75 / nets)
    np.testing.assert_array_equal(died_at, dying_relu.death_depths(2, config, inputs=1, seed=6))


def test_born_dead_curves_are_cumulative_and_inside_their_intervals() -> None:
    result, _ = quick_run("dying_relu")
    born = result.curves["born_dead"]
    config = dying_relu.Config.quick()
    assert born["depths"] == list(range(1, config.max_depth + 1))
    for kind in ("domain", "single_point"):
        for c in born[kind].values():
            assert c["p"] == sorted(c["p"])  # dead stays dead: non-decreasing in depth
            assert all(lo <= p <= hi for lo, p, hi in zip(c["low"], c["p"], c["high"],
                                                            strict=True))
    for width, c in born["single_point"].items():
        theory = [1 - (1 - 2.0 ** -int(width)) ** d for d in born["depths"]]
        np.testing.assert_allclose(c["theory"], theory, rtol=1e-12)
    # a layer dies only if every one of its units does, each about independently given the
    # layer below: a wider layer is much harder to kill (q^4 against q^2 at the first layer)
    narrow, wide = born["domain"][str(min(config.widths))], born["domain"][str(max(config.widths))]
    assert all(pw <= pn for pw, pn in zip(wide["p"], narrow["p"], strict=True))


def test_leaky_relu_units_cannot_die_and_relu_dead_means_inactive() -> None:
    result, _ = quick_run("dying_relu")
    acts = result.curves["training"]["activations"]
    # leaky ReLU's slope is 0.01 everywhere below zero: never under the 1e-8 threshold
    assert all(m in (None, 0.0) for m in acts["leaky_relu"]["dead_mean"])
    # ReLU's derivative is zero exactly where it is inactive: the two fractions coincide
    for dead, inactive in zip(acts["relu"]["dead_mean"], acts["relu"]["inactive_mean"],
                              strict=True):
        if dead is not None:
            assert 0.0 <= dead <= 1.0
            assert dead == pytest.approx(inactive, abs=1e-9)


# --- self-normalisation ---------------------------------------------------------------------
ALPHA_31 = "1.6732632423543772848170429916717"  # Klambauer et al. 2017: 31 decimals
LAMBDA_31 = "1.0507009873554804934193349852946"


def _fixed_point_constants(dps: int) -> tuple[mp.mpf, mp.mpf]:
    """α, λ from the fixed-point conditions, solved here with the normal CDF Φ:
    E[SELU(z)] = 0 gives α = φ(0) / (½ − √e·Φ(−1));
    E[SELU(z)²] = 1 gives λ⁻² = ½ + α²·(e²Φ(−2) − 2√e·Φ(−1) + ½)."""
    with mp.workdps(dps):
        phi0 = 1 / mp.sqrt(2 * mp.pi)
        alpha = phi0 / (mp.mpf(1) / 2 - mp.sqrt(mp.e) * mp.ncdf(-1))
        neg = mp.e**2 * mp.ncdf(-2) - 2 * mp.sqrt(mp.e) * mp.ncdf(-1) + mp.mpf(1) / 2
        lam = 1 / mp.sqrt(mp.mpf(1) / 2 + alpha**2 * neg)
        return +alpha, +lam


def test_selu_constants_equal_the_published_ones_and_the_fixed_point() -> None:
    alpha, lam = self_normalisation.selu_constants(50)
    with mp.workdps(60):
        ours_alpha, ours_lambda = _fixed_point_constants(60)
        assert abs(mp.mpf(alpha) - ours_alpha) < mp.mpf(10) ** -45
        assert abs(mp.mpf(lam) - ours_lambda) < mp.mpf(10) ** -45
        # as printed in the paper: 31 decimals, 32 significant digits
        assert mp.nstr(mp.mpf(alpha), 32) == ALPHA_31
        assert mp.nstr(mp.mpf(lam), 32) == LAMBDA_31
    assert len(alpha.replace(".", "")) == 50
    selu = actlab.get("selu")
    assert selu.params["alpha"] == float(ALPHA_31)
    assert selu.params["scale"] == float(LAMBDA_31)


def test_selu_moments_fixed_point_and_elu_by_closed_form() -> None:
    mean, var = self_normalisation.selu_moments(float(ALPHA_31), float(LAMBDA_31))
    assert abs(mean) < 1e-10
    assert abs(var - 1.0) < 1e-10
    # α = λ = 1 is ELU: E = φ(0) + √e·Φ(−1) − ½, E[·²] = ½ + e²Φ(−2) − 2√e·Φ(−1) + ½
    mean, var = self_normalisation.selu_moments(1.0, 1.0)
    sqrt_e, cdf1, cdf2 = math.sqrt(math.e), float(mp.ncdf(-1)), float(mp.ncdf(-2))
    elu_mean = 1 / math.sqrt(2 * math.pi) + sqrt_e * cdf1 - 0.5
    elu_second = 1.0 + math.e**2 * cdf2 - 2 * sqrt_e * cdf1
    assert mean == pytest.approx(elu_mean, abs=1e-12)
    assert var == pytest.approx(elu_second - elu_mean**2, abs=1e-12)


# --- zero-centred outputs -------------------------------------------------------------------
def test_sigmoid_inputs_force_same_signed_updates_and_tanh_inputs_do_not() -> None:
    """Update = −lr·δ·h: with h = σ(z) > 0 both components share δ's sign, always; with
    h = tanh(z) the components' signs are independent coin flips."""
    config = zero_centred.Config(steps=400)
    sigmoid = zero_centred.train_trajectory("sigmoid", config, seed=0)
    assert sigmoid["same_sign"].shape == (400,)
    assert sigmoid["same_sign"].all()
    tanh = zero_centred.train_trajectory("tanh", config, seed=0)
    assert 0.35 < tanh["same_sign"].mean() < 0.65  # 1/2 ± 6σ for 400 flips


def test_tanh_inputs_reach_opposite_signed_weights_sooner() -> None:
    """Noise-free LMS converges at a rate set by E[hhᵀ]'s eigenvalues along w* − w:
    tanh's is ≈ diag(0.39, 0.39); sigmoid's has eigenvalue ≈ 0.04 along (1, −1)."""
    config = zero_centred.Config(steps=400)
    target = np.asarray(config.target_weights)
    final = {name: np.linalg.norm(
        zero_centred.train_trajectory(name, config, seed=1)["path"][-1] - target)
        for name in ("sigmoid", "tanh")}
    assert final["tanh"] < 1e-3
    assert final["sigmoid"] > 10 * final["tanh"]


def test_zero_centred_quick_result_agrees_with_the_mathematics() -> None:
    result, _ = quick_run("zero_centred")
    assert result.metrics["sigmoid_same_sign_fraction"] == 1.0
    assert result.metrics["tanh_same_sign_fraction"] < 0.8
    assert result.metrics["tanh_median_steps"] < result.metrics["sigmoid_median_steps"]
    same_sign = next(c for c in result.claims if "same way" in c.statement)
    assert (same_sign.kind, same_sign.verdict) == ("check", "holds")
    faster = next(c for c in result.claims if "faster" in c.statement)
    steps = result.curves["steps_by_seed"]
    differences = np.subtract(steps["sigmoid"], steps["tanh"])
    assert faster.kind == "claim" and faster.seeds == len(differences) >= 5
    assert faster.measured == pytest.approx(differences.mean())
    assert faster.verdict == "reproduced"  # every seed: tanh reaches w* hundreds of steps sooner
    assert np.all(differences > 0)
    path = np.asarray(result.curves["paths"]["sigmoid"]["path"])
    assert path.shape[1] == 2 and np.all(path[0] == 0.0)
