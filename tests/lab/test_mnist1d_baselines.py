"""MNIST-1D baselines: the published models' sizes and wiring, a quick run, the activation
comparison through the bench and its verdict, figures."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from actlab.bench.config import ModelConfig
from actlab.bench.results import load_runs
from actlab.bench.sweep import run_sweep
from actlab.lab import mnist1d_baselines as mb
from actlab.lab.result import Result
from actlab.lab.statistics import t_interval
from actlab.models import mnist1d_nets as nets
from actlab.models.ensemble import select_networks
from actlab.models.torch_builders import build_cnn


@pytest.mark.parametrize(("kind", "count"), [("logistic", 410), ("mlp", 15_210),
                                              ("cnn", 5_210), ("gru", 5_134)])
def test_parameter_counts_match_the_paper(kind: str, count: int) -> None:
    assert nets.build_model(kind, [0, 1, 2]).parameters_per_network() == count


def test_cnn_ensemble_equals_the_torch_cnn() -> None:
    model = nets.EnsembleCNN([3, 4, 5])
    reference = build_cnn()  # nn.Conv1d layers, 5,210 parameters
    assert sum(p.numel() for p in reference.parameters()) == 5_210
    convs = [m for m in reference if isinstance(m, torch.nn.Conv1d)]
    with torch.no_grad():
        for conv, w, b in zip(convs, model.conv_weights, model.conv_biases, strict=True):
            conv.weight.copy_(w[1])
            conv.bias.copy_(b[1, 0])
        reference[-1].weight.copy_(model.weight[1].T)
        reference[-1].bias.copy_(model.bias[1, 0])
        x = torch.randn(3, 7, 40, generator=torch.Generator().manual_seed(0))
        torch.testing.assert_close(model(x)[1], reference(x[1]), atol=1e-5, rtol=1e-5)


def test_gru_ensemble_equals_a_torch_gru_per_network() -> None:
    """Network k of the block-masked ensemble computes what a bidirectional nn.GRU(1 → 6)
    with its blocks computes, followed by Linear(480 → 10) on the time-major outputs."""
    model = nets.EnsembleGRU([3, 4, 5])
    s, h, k = 3, 6, 1
    reference = torch.nn.GRU(1, h, batch_first=True, bidirectional=True)
    with torch.no_grad():
        for (name, p), (_, q) in zip(model.gru.named_parameters(),
                                     reference.named_parameters(), strict=True):
            rows = torch.cat([torch.arange(g * s * h + k * h, g * s * h + (k + 1) * h)
                              for g in range(3)])
            if p.dim() == 1:
                q.copy_(p[rows])
            elif name.startswith("weight_ih"):
                q.copy_(p[rows][:, [k]])
            else:
                q.copy_(p[rows][:, k * h:(k + 1) * h])
        x = torch.randn(s, 7, 40, generator=torch.Generator().manual_seed(3))
        output, _ = reference(x[k].unsqueeze(-1))
        expected = output.reshape(7, -1) @ model.weight[k] + model.bias[k]
        torch.testing.assert_close(model(x)[k], expected, atol=1e-5, rtol=1e-5)
    # the off-diagonal blocks get no gradient: network k never reads another's input
    x.requires_grad_(True)
    model(x)[k].sum().backward()
    assert x.grad is not None
    others = [j for j in range(s) if j != k]
    assert torch.all(x.grad[others] == 0) and torch.any(x.grad[k] != 0)


def test_mlp_second_layer_is_residual() -> None:
    model = nets.EnsembleResidualMLP([7])
    w, b = [p[0] for p in model.weights], [p[0] for p in model.biases]
    x = torch.randn(5, 40, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        h = torch.relu(x @ w[0] + b[0])
        h = h + torch.relu(h @ w[1] + b[1])
        torch.testing.assert_close(model(x.unsqueeze(0))[0], h @ w[2] + b[2])


def test_initialisation_is_pytorch_default_and_seeded() -> None:
    a, b = nets.EnsembleResidualMLP([1, 2]), nets.EnsembleResidualMLP([1, 2])
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    first = a.weights[0][0]
    assert first.abs().max() <= 1 / math.sqrt(40) and first.std() > 0.8 / math.sqrt(3 * 40)
    assert not torch.equal(a.weights[0][0], a.weights[0][1])  # seeds differ


def test_select_networks_keeps_the_chosen_ones() -> None:
    model = nets.EnsembleCNN([0, 1, 2, 3])
    x = torch.randn(4, 6, 40, generator=torch.Generator().manual_seed(2))
    before = model(x).detach()
    select_networks(model, torch.tensor([1, 3]))
    assert model.n_models == 2
    torch.testing.assert_close(model(x[[1, 3]]), before[[1, 3]])


def test_t_interval_by_hand() -> None:
    low, high = t_interval([1.0, 2.0, 3.0])
    half = 4.302652729911275 * 1.0 / math.sqrt(3)  # t(0.975, 2) · s / √n
    assert (low, high) == pytest.approx((2 - half, 2 + half))
    assert t_interval([5.0]) == (5.0, 5.0)


@pytest.fixture(scope="module")
def quick_result() -> Result:
    return mb.run(mb.Config.quick())


def test_quick_run_is_deterministic_and_round_trips(quick_result: Result) -> None:
    again = mb.run(mb.Config.quick())
    strip = lambda r: {**json.loads(r.to_json()), "seconds": 0}  # noqa: E731
    assert strip(again) == strip(quick_result)
    back = Result.from_json(quick_result.to_json())
    assert back.claims == quick_result.claims and back.tables == quick_result.tables


def test_claims_follow_from_the_accuracies(quick_result: Result) -> None:
    claims = quick_result.claims
    kinds = ("logistic", "mlp", "cnn", "gru")
    assert [c.published for c in claims[:4]] == [32.0, 68.0, 94.0, 91.0]
    tol = quick_result.config["tolerance"]
    for claim, kind in zip(claims[:4], kinds, strict=True):
        final = np.asarray(quick_result.curves["models"][kind]["test"][-1])
        assert claim.measured == pytest.approx(final.mean(), abs=0.01)
        assert claim.seeds == final.size >= 5
        low, high = t_interval(final.tolist())
        assert claim.interval == pytest.approx((low, high))
        inside = claim.published - tol <= low and high <= claim.published + tol
        expected = ("reproduced" if inside else
                    "partly" if abs(final.mean() - claim.published) <= tol else
                    "not reproduced")
        assert claim.verdict == expected
        assert "fewer than the paper's" in claim.detail  # the quick run is short: say so
    assert "CNN beats the MLP" in claims[4].statement


def test_the_quick_comparison_runs_through_the_bench(quick_result: Result,
                                                     tmp_path: Path) -> None:
    """The comparison is a bench sweep: swept into a store of our own, the quick spec gives
    one stored run per activation × seed, and the result's runs are exactly those."""
    config = mb.Config.quick()
    spec = mb.comparison_spec(config)
    assert spec.activations == config.compared_activations
    assert len(spec.seeds) == config.comparison_seeds >= 5
    assert spec.models[0] == ModelConfig("mlp", depth=1, width=config.comparison_hidden,
                                         hidden_noise=config.comparison_noise)
    assert spec.training.optimiser == "rmsprop"
    assert spec.training.smoothing == config.comparison_smoothing
    run_sweep(spec, tmp_path / "runs.db", executor="inline", quiet=True)
    records = load_runs(tmp_path / "runs.db")
    assert sorted((r.activation, r.seed) for r in records) == sorted(
        (a, s) for a in spec.activations for s in spec.seeds)  # one row each
    assert all(r.status == "finished" for r in records)
    ours = mb.ActivationComparison.from_dict(quick_result.curves["activations"])
    assert ours == mb.ActivationComparison.from_records(records)


def test_the_comparison_claim_carries_seeds_interval_and_the_bench_tests(
        quick_result: Result) -> None:
    claim = next(c for c in quick_result.claims if "rank by mean training loss" in c.statement)
    comparison = mb.ActivationComparison.from_dict(quick_result.curves["activations"])
    loss, _ = comparison.boards()
    assert claim.kind == "claim"
    assert claim.seeds == mb.Config.quick().comparison_seeds
    assert claim.interval is not None and claim.interval[0] <= claim.measured <= claim.interval[1]
    # the measured gap is the bench's paired mean difference of one adjacent pair, and the
    # claim's verdict is the lowest of the pairs' verdicts in the table
    order = quick_result.tables["activation_order"]
    gaps = {row[0]: row[2] for row in order.rows}
    names = mb.published_order(mb.Config.quick().compared_activations)
    assert names == ["relu", "tanh", "sigmoid"]
    differences = {f"{a} < {b}": -loss.comparison(a, b).mean_difference
                   for a, b in itertools.pairwise(names)}
    assert gaps == pytest.approx({k: round(v, 4) for k, v in differences.items()})
    assert any(claim.measured == pytest.approx(d) for d in differences.values())
    rank = {"not reproduced": 0, "partly": 1, "reproduced": 2}
    assert rank[claim.verdict] == min(rank[row[-1]] for row in order.rows)
    leaders = quick_result.tables["activation_leaders"].rows
    assert [row[0] for row in leaders] == ["mean training loss", "test accuracy"]


def _synthetic(losses: dict[str, float], seeds: int = 10) -> mb.ActivationComparison:
    """Paired runs whose mean training losses sit at ``losses`` (plus tiny seed noise)."""
    rng = np.random.default_rng(0)
    runs = tuple(mb.ComparisonRun(name, seed, "finished", 0.5, loss + 1e-3 * rng.normal())
                 for name, loss in losses.items() for seed in range(seeds))
    return mb.ActivationComparison("mnist1d", "mlp", runs)


def test_the_verdict_follows_the_measured_order() -> None:
    published = mb.PUBLISHED_MEAN_LOSS
    agreeing = mb.order_claim(_synthetic(dict(published)).boards()[0])
    assert agreeing is not None
    assert agreeing[0].verdict == "reproduced"  # 10 seeds, every pair 10-0: Holm p 0.029
    # relu and sigmoid swapped: two links of the published order now point the wrong way
    swapped = {**published, "relu": published["sigmoid"], "sigmoid": published["relu"]}
    contradicted = mb.order_claim(_synthetic(swapped).boards()[0])
    assert contradicted is not None
    claim, table = contradicted
    assert claim.verdict == "not reproduced" and claim.measured < 0
    assert [row[-1] for row in table.rows].count("not reproduced") == 2
    # the same order on 5 seeds cannot pass Holm over 15 pairs: never easier with fewer
    few = mb.order_claim(_synthetic(dict(published), seeds=5).boards()[0])
    assert few is not None and few[0].verdict == "partly"


def test_figures(quick_result: Result) -> None:
    from actlab.plot.mnist1d_baselines import figures

    figs = figures(quick_result)
    assert set(figs) == {"accuracy", "learning_curves", "activation_comparison"}
    for fig in figs.values():
        assert isinstance(fig, Figure)
        fig.canvas.draw()


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        mb.run(mb.Config(models=("lstm",)))
