"""actlab.diagnose on small models whose statistics we know by construction."""

from __future__ import annotations

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

import actlab
from actlab.errors import UserError
from actlab.plot.diagnostics import (
    plot_gradient_flow,
    plot_histograms_over_time,
    plot_statistics_over_time,
)


def _relu_net_with_dead_units(n_dead: int, width: int = 8) -> nn.Sequential:
    torch.manual_seed(0)
    first = nn.Linear(3, width)
    with torch.no_grad():
        first.weight.mul_(0.01)
        first.bias[:n_dead] = -100.0  # these units can never fire for |x| ~ 1
        first.bias[n_dead:] = 100.0  # these always fire
    return nn.Sequential(first, nn.ReLU(), nn.Linear(width, 1))


def test_dead_fraction_counts_units_that_never_fire() -> None:
    model = _relu_net_with_dead_units(n_dead=3)
    with actlab.diagnose(model) as diag:
        for _ in range(3):
            model(torch.randn(16, 3)).sum().backward()
            diag.step()
    rows = diag.log.rows
    assert len(rows) == 3
    assert all(row["dead_batch"] == pytest.approx(3 / 8) for row in rows)
    assert rows[-1]["dead_window"] == pytest.approx(3 / 8)
    # saturation of ReLU is about f': the dead units sit where f' = 0
    assert rows[-1]["saturated"] == pytest.approx(3 / 8)


def test_mean_std_and_gradient_norms_match_direct_computation() -> None:
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 6), actlab.get("elu").to_torch(), nn.Linear(6, 2))
    x = torch.randn(32, 4)
    with actlab.diagnose(model, histogram_every=1, bins=10) as diag:
        hidden = model[1](model[0](x))
        hidden.retain_grad()
        out = model[2](hidden)
        out.square().sum().backward()
        diag.step()
    row = diag.log.rows[0]
    assert row["activation"] == "elu"
    assert row["mean"] == pytest.approx(float(hidden.detach().mean()), rel=1e-5)
    assert row["std"] == pytest.approx(float(hidden.detach().std()), rel=1e-5)
    assert row["grad_norm"] == pytest.approx(float(hidden.grad.norm()), rel=1e-5)
    weight_norms = {r["layer"]: r["weight_grad_norm"] for r in diag.log.gradient_rows}
    assert weight_norms["0"] == pytest.approx(float(model[0].weight.grad.norm()), rel=1e-5)
    assert weight_norms["2"] == pytest.approx(float(model[2].weight.grad.norm()), rel=1e-5)
    (_, counts), = diag.log.histograms["1"]
    assert sum(counts) == hidden.numel()


def test_saturated_fraction_of_sigmoid_follows_input_scale() -> None:
    layer = nn.Sequential(nn.Identity(), nn.Sigmoid())
    with actlab.diagnose(layer) as diag:
        layer(torch.full((10, 5), 50.0))
        diag.step()
        layer(torch.zeros(10, 5))
        diag.step()
    saturated = diag.log.series("1", "saturated")
    assert saturated.tolist() == [1.0, 0.0]


def test_detach_stops_recording_and_errors_are_clear() -> None:
    model = _relu_net_with_dead_units(n_dead=0)
    diag = actlab.diagnose(model).attach()
    model(torch.randn(4, 3))
    diag.step()
    diag.detach()
    model(torch.randn(4, 3))
    diag.step()
    assert len(diag.log.rows) == 1
    with pytest.raises(UserError, match="no activation layer"):
        actlab.diagnose(nn.Linear(2, 2))
    with pytest.raises(UserError, match=r"torch\.nn\.Module"):
        actlab.diagnose("not a model")  # type: ignore[arg-type]


def test_figures_are_built_from_the_log() -> None:
    model = _relu_net_with_dead_units(n_dead=2)
    with actlab.diagnose(model) as diag:
        for _ in range(4):
            model(torch.randn(8, 3)).sum().backward()
            diag.step()
    for builder in (plot_histograms_over_time, plot_statistics_over_time, plot_gradient_flow):
        figure = builder(diag.log.to_dict())
        assert isinstance(figure, Figure)
        assert figure.axes
    assert "relu" in diag.log.table()


def test_every_records_only_every_nth_step() -> None:
    model = _relu_net_with_dead_units(n_dead=1)
    with actlab.diagnose(model, every=3) as diag:
        for _ in range(7):
            model(torch.randn(8, 3)).sum().backward()
            diag.step()
    assert sorted({row["step"] for row in diag.log.rows}) == [0, 3, 6]
    assert sorted({row["step"] for row in diag.log.gradient_rows}) == [0, 3, 6]
    assert diag.log.rows[-1]["dead_window"] == pytest.approx(1 / 8)
