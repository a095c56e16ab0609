"""MNIST-1D baselines: the published models' sizes and wiring, a quick run, figures."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from actlab.lab import mnist1d_baselines as mb
from actlab.lab.result import Result
from actlab.lab.statistics import t_interval
from actlab.models import mnist1d_nets as nets
from actlab.models.ensemble import select_networks
from actlab.models.torch_builders import build_cnn


@pytest.mark.parametrize(("kind", "count"), [("logistic", 410), ("mlp", 15_210),
                                              ("cnn", 5_210)])
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
    assert [c.published for c in claims[:3]] == [32.0, 68.0, 94.0]
    tol = quick_result.config["tolerance"]
    for claim, kind in zip(claims[:3], ("logistic", "mlp", "cnn"), strict=True):
        final = np.asarray(quick_result.curves["models"][kind]["test"][-1])
        assert claim.measured == pytest.approx(final.mean(), abs=0.01)
        low, high = t_interval(final)
        gap = abs(final.mean() - claim.published)
        expected = ("reproduced" if gap <= tol or low <= claim.published <= high
                    else "partly" if gap <= 2 * tol else "not reproduced")
        assert claim.verdict == expected
        assert "fewer than the paper's" in claim.detail  # the quick run is short: say so
    assert len(claims) == 4 and "CNN beats the MLP" in claims[3].statement


def test_figures(quick_result: Result) -> None:
    from actlab.plot.mnist1d_baselines import figures

    figs = figures(quick_result)
    assert set(figs) == {"accuracy", "learning_curves"}
    for fig in figs.values():
        assert isinstance(fig, Figure)
        fig.canvas.draw()


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown model"):
        mb.run(mb.Config(models=("gru",)))
