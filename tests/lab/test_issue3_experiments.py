"""The source material's experiments (issue 3) in their quick configurations: each runs,
round-trips through JSON, computes its verdicts and draws its figures; then what each one
must show."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest
from matplotlib.figure import Figure

from actlab.lab.registry import experiment
from actlab.lab.result import Result

ISSUE3 = ("gallery", "saturation_basics", "gates", "linear_collapse", "approximation",
          "derivatives", "softmax")
VERDICTS = {"claim": {"reproduced", "partly", "not reproduced"}, "check": {"holds"}}


@cache
def quick_result(name: str) -> Result:
    exp = experiment(name)
    return exp.run(exp.config(quick=True))


@pytest.mark.parametrize("name", ISSUE3)
def test_quick_run_round_trips_and_draws(name: str) -> None:
    exp = experiment(name)
    config = exp.config(quick=True)
    # the Config contract: frozen, every field has a default, quick() is smaller or equal
    assert dataclasses.is_dataclass(config)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.seed = 1  # type: ignore[misc]
    calls: list[tuple[float, str]] = []
    result = exp.run(config, progress=lambda f, m: calls.append((f, m)))
    assert result.experiment == name
    assert calls and all(0.0 <= f <= 1.0 for f, _ in calls)

    again = Result.from_json(result.to_json())
    assert again.to_json() == result.to_json()  # (NaN != NaN, so compare the text)
    assert [c.verdict for c in again.claims] == [c.verdict for c in result.claims]

    assert result.claims, "every issue-3 experiment sets numbers beside a claim or a check"
    for claim in result.claims:
        assert claim.verdict in VERDICTS[claim.kind]
        assert claim.statement and claim.source

    figures = exp.figures(again)  # figures come from the JSON alone
    assert figures
    assert all(isinstance(fig, Figure) for fig in figures.values())


def test_quick_runs_are_deterministic() -> None:
    exp = experiment("gates")
    first = exp.run(exp.config(quick=True, n_seeds=5, epochs=50))
    second = exp.run(exp.config(quick=True, n_seeds=5, epochs=50))
    assert first.curves["accuracy"] == second.curves["accuracy"]


def _claim(result: Result, words: str):
    matches = [c for c in result.claims if words in c.statement]
    assert len(matches) == 1, [c.statement for c in result.claims]
    return matches[0]


# --- gates -----------------------------------------------------------------------------
def test_gates_perceptron_and_or_xor() -> None:
    acc = quick_result("gates").curves["accuracy"]["perceptron"]
    assert min(acc["and"]) == 1.0
    assert min(acc["or"]) == 1.0
    assert max(acc["xor"]) <= 0.75  # no straight line separates XOR


def test_gates_hidden_layer_learns_xor_in_most_seeds() -> None:
    result = quick_result("gates")
    xor = np.array(result.curves["accuracy"]["hidden_sigmoid"]["xor"])
    assert np.mean(xor == 1.0) >= 0.5
    assert max(result.curves["accuracy"]["sigmoid"]["xor"]) <= 0.75  # one unit cannot
    claim = _claim(result, "2 sigmoid hidden")
    # a trained net can fail: a claim on every seed, judged by an exact binomial test
    assert claim.kind == "claim" and claim.seeds == len(xor) >= 5
    assert claim.measured == pytest.approx(np.mean(xor == 1.0))
    assert claim.interval is not None and claim.interval[0] < claim.measured < claim.interval[1]
    from scipy.stats import binomtest

    p = binomtest(int(np.sum(xor == 1.0)), len(xor), 0.5, alternative="greater").pvalue
    assert claim.verdict == ("reproduced" if p < 0.05 else "partly")


def test_gates_linear_separators_are_checks_not_claims() -> None:
    result = quick_result("gates")
    for words in ("learns AND", "learns OR", "perceptron cannot learn XOR",
                  "single sigmoid unit cannot"):
        claim = _claim(result, words)
        assert (claim.kind, claim.verdict) == ("check", "holds")
    xor = _claim(result, "perceptron cannot learn XOR")
    # the same quantity on both sides: accuracies, not the notes' error beside our accuracy
    assert xor.published == "≤ 0.75" and xor.measured <= 0.75
    assert "accuracy" in xor.quantity


def test_gates_vectorised_training_equals_the_mlp() -> None:
    from actlab.data.gates import gate
    from actlab.lab.gates import TinyNet, forward, train_tiny_nets
    from actlab.models.mlp import MLP

    X, y = gate("xor")
    net = TinyNet("t", "t", 3, "tanh", "sigmoid")
    params = train_tiny_nets(net, X, np.stack([y, 1 - y]), seeds=[5, 6], epochs=200,
                             learning_rate=0.01)
    ours = forward(net, params, X)[:, :, 0]  # slices: (xor, 5), (xor, 6), (xnor, 5), ...
    for slice_, (target, seed) in enumerate([(y, 5), (y, 6), (1 - y, 5), (1 - y, 6)]):
        mlp = MLP([2, 3, 1], activation="tanh", output_activation="sigmoid",
                  optimiser="adam", learning_rate=0.01, seed=seed)
        mlp.fit(X, target, epochs=200)
        np.testing.assert_allclose(ours[slice_], mlp.forward(X)[:, 0], rtol=1e-12, atol=1e-14)


# --- linear collapse -------------------------------------------------------------------
def test_linear_collapse_is_exact_to_rounding() -> None:
    result = quick_result("linear_collapse")
    assert result.metrics["max_rel_diff"] < 1e-13
    assert result.metrics["nonlinear_affine_fit_gap"] > 1e-2  # ReLU between layers: not affine
    assert _claim(result, "equal one linear layer").verdict == "holds"
    assert all(c.kind == "check" for c in result.claims)  # arithmetic, not a measurement


def test_collapse_formula_on_a_hand_example() -> None:
    from actlab.lab.linear_collapse import collapse, forward

    w1, b1 = np.array([[2.0, 0.0], [0.0, 3.0]]), np.array([1.0, -1.0])
    w2, b2 = np.array([[1.0], [1.0]]), np.array([0.5])
    w, b = collapse([(w1, b1), (w2, b2)])
    np.testing.assert_array_equal(w, [[2.0], [3.0]])
    np.testing.assert_array_equal(b, [0.5])  # (1 - 1) + 0.5
    x = np.array([[1.0, 2.0]])
    np.testing.assert_array_equal(forward([(w1, b1), (w2, b2)], x), x @ w + b)


# --- approximation ---------------------------------------------------------------------
def test_approximation_nets_have_19_parameters_and_yarotsky_matches_formula() -> None:
    result = quick_result("approximation")
    assert all(row[3] == 19 for row in result.tables["fits"].rows)
    data = result.curves["yarotsky"]
    for m, measured in zip(data["depth"], data["max_error"], strict=True):
        assert abs(measured - 2.0 ** (-2 * m - 2)) <= 1e-12
    yarotsky = _claim(result, "Yarotsky")
    assert (yarotsky.kind, yarotsky.verdict) == ("check", "holds")


def test_yarotsky_network_is_a_relu_net_of_width_4() -> None:
    from actlab.lab.approximation import relu_network, yarotsky_layers

    layers = yarotsky_layers(3)
    assert len(layers) == 4  # 3 hidden layers + a linear output
    assert all(w.shape[1] in (4, 1) for w, _ in layers)
    knots = np.linspace(0, 1, 2**3 + 1)
    np.testing.assert_allclose(relu_network(layers, knots), knots**2, atol=1e-15)


def test_count_linear_pieces() -> None:
    from actlab.lab.approximation import count_linear_pieces

    x = np.linspace(-3, 3, 601)
    assert count_linear_pieces(x, 2 * x + 1) == 1
    assert count_linear_pieces(x, np.abs(x)) == 2
    assert count_linear_pieces(x, np.maximum(0, x - 1) + np.maximum(0, -x - 1)) == 3


# --- derivatives -----------------------------------------------------------------------
def test_derivative_error_is_v_shaped_with_minima_in_range() -> None:
    result = quick_result("derivatives")
    for name in result.config["activations"]:
        data = result.curves[f"error_vs_h_{name}"]
        h, fwd, cen = (np.asarray(data[k], dtype=float) for k in ("h", "forward", "central"))
        assert -9 <= np.log10(h[np.argmin(fwd)]) <= -7
        assert -6 <= np.log10(h[np.argmin(cen)]) <= -4
        # V-shape: both ends are far worse than the bottom
        assert fwd[0] > 100 * fwd.min() and fwd[-1] > 100 * fwd.min()
        assert result.metrics[f"{name}_error_forward_at_seed_h"] > 1e-2
    optimum = [c for c in result.claims if "error smallest" in c.statement]
    assert optimum and all(c.kind == "claim" and c.seeds == 1 and c.interval is None
                           and c.verdict == "reproduced" for c in optimum)


# --- saturation basics -----------------------------------------------------------------
def test_saturation_basics_values_and_captured_error() -> None:
    result = quick_result("saturation_basics")
    assert result.metrics["sigmoid_prime_peak"] == pytest.approx(0.25, abs=1e-15)
    assert result.metrics["max_abs_tanh_identity_gap"] < 1e-14
    assert result.metrics["max_abs_tanh_prime_identity_gap"] < 1e-14
    message = result.metrics["step_error_message"]
    assert message.startswith("ValueError") and "truth value of an array" in message
    assert all(c.kind == "check" and c.verdict == "holds" for c in result.claims)


# --- softmax ---------------------------------------------------------------------------
def test_softmax_naive_overflows_and_shifted_sums_to_one() -> None:
    result = quick_result("softmax")
    naive = np.asarray(result.metrics["naive_output"], dtype=float)
    shifted = np.asarray(result.metrics["shifted_output"], dtype=float)
    assert not np.all(np.isfinite(naive))
    assert np.all(np.isfinite(shifted))
    assert abs(shifted.sum() - 1.0) < 1e-15
    assert shifted[0] == pytest.approx(1 / (1 + np.exp(-10) + np.exp(-20)), rel=1e-15)
    assert all(c.kind == "check" and c.verdict == "holds" for c in result.claims)


# --- gallery ---------------------------------------------------------------------------
def test_gallery_figures_keyed_by_canonical_name() -> None:
    result = quick_result("gallery")
    names = set(result.config["activations"])
    figures = experiment("gallery").figures(result)
    assert set(figures) == names
    assert not result.curves["softmax"]["elementwise"]
    # softmax([x, 0])₀ is the sigmoid: the slice is a real softmax, not a placeholder
    np.testing.assert_allclose(result.curves["softmax"]["y"], result.curves["sigmoid"]["y"],
                               rtol=1e-12)


def test_gallery_photo_encoding_round_trips_to_8_bits() -> None:
    from actlab.lab.gallery import decode_image, encode_image

    image = np.linspace(-3, 3, 48).reshape(6, 8)
    image[2, 3] = np.nan
    back = decode_image(encode_image(image))
    assert np.isnan(back[2, 3])
    finite = np.isfinite(image)
    assert np.max(np.abs(back[finite] - image[finite])) <= 6 / 255 / 2 + 1e-12
