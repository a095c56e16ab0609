"""The bench options a paper's recipe may need: RMSprop with its smoothing constant,
noise on the MLP's hidden layers, no validation split; and run keys that do not change
for runs stored before these options existed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from actlab.bench.config import ModelConfig, RunConfig, TaskConfig, TrainingConfig
from actlab.bench.labels import model_label
from actlab.bench.models import build_packed_mlp, make_activation
from actlab.bench.records import RunRecord
from actlab.bench.spec import spec_from_options
from actlab.bench.store import Store
from actlab.bench.training import train_group
from actlab.models.ensemble import EnsembleOptimiser

MNIST1D = TaskConfig("mnist1d", options=(("n", 400),))
NOISY_MLP = ModelConfig("mlp", depth=1, width=32, hidden_noise=0.1)
RMSPROP = {"optimiser": "rmsprop", "smoothing": 0.4, "learning_rate": 1e-2, "budget": 60,
           "validation_fraction": 0.0}


def _runs(model: ModelConfig = NOISY_MLP, seeds: Sequence[int] = (0, 1, 2),
          activation: str = "relu", **train: Any) -> list[RunConfig]:
    training = TrainingConfig(**{**RMSPROP, **train})
    return [RunConfig(activation, MNIST1D, model, training, seed) for seed in seeds]


def test_keys_of_runs_stored_before_the_new_options_are_unchanged() -> None:
    """The key a run had before hidden_noise and smoothing existed (computed then)."""
    old = RunConfig("relu", TaskConfig("mnist1d"), ModelConfig("mlp"), TrainingConfig(), 3)
    assert old.key() == "3c2394bec30c789f2e76a13c"
    assert "hidden_noise" not in old.canonical() and "smoothing" not in old.canonical()
    noisy = RunConfig("relu", TaskConfig("mnist1d"), ModelConfig("mlp", hidden_noise=0.1),
                      TrainingConfig(), 3)
    smooth = RunConfig("relu", TaskConfig("mnist1d"), ModelConfig("mlp"),
                       TrainingConfig(optimiser="rmsprop", smoothing=0.4), 3)
    assert len({old.key(), noisy.key(), smooth.key()}) == 3
    assert '"hidden_noise":0.1' in noisy.canonical() and '"smoothing":0.4' in smooth.canonical()


def test_a_spec_with_the_paper_options_reads_back_from_the_store(tmp_path: Path) -> None:
    spec = spec_from_options("relu", "mnist1d(n=400)", "mlp(depth=1,width=128,hidden_noise=0.1)",
                             2, {"optimiser": "rmsprop", "smoothing": 0.4,
                                 "validation_fraction": 0})
    run = spec.runs()[0]
    assert run.model == ModelConfig("mlp", depth=1, width=128, hidden_noise=0.1)
    assert (run.training.optimiser, run.training.smoothing) == ("rmsprop", 0.4)
    assert run.training.validation_fraction == 0.0
    assert model_label(run.model) == "mlp(depth=1,width=128,hidden_noise=0.1)"
    with Store(tmp_path / "runs.db") as store:
        store.insert([], spec.runs())
        records = [RunRecord(key=r.key(), activation=r.activation, task="mnist1d",
                             model=model_label(r.model), seed=r.seed, status="finished",
                             metric="test_accuracy", higher_is_better=True, test_metric=0.5)
                   for r in spec.runs()]
        store.insert(records, spec.runs())
        assert store.configs() == {r.key(): r for r in spec.runs()}


def test_hidden_noise_is_drawn_per_seed_so_packed_equals_alone() -> None:
    runs = _runs()
    packed = train_group(runs)
    assert all(r.status == "finished" for r in packed)
    assert packed[0].model == "mlp(depth=1,width=32,hidden_noise=0.1)"
    for run, record in zip(runs, packed, strict=True):
        alone = train_group([run])[0]
        assert alone.test_metric == pytest.approx(record.test_metric, abs=1e-9)
        np.testing.assert_allclose(alone.curve_loss, record.curve_loss, rtol=1e-5)


def test_hidden_noise_changes_training_only_while_training() -> None:
    quiet = train_group(_runs(ModelConfig("mlp", depth=1, width=32), seeds=(0,)))[0]
    noisy = train_group(_runs(seeds=(0,)))[0]
    assert not np.allclose(quiet.curve_loss, noisy.curve_loss)  # the noise reached training

    net = build_packed_mlp(NOISY_MLP, make_activation("relu"), (40,), 10, [0, 1], "default")
    x = torch.randn(2, 5, 40, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        net.eval()
        clean = net(x)
        assert torch.equal(clean, net(x))  # evaluation sees no noise
        net.train()
        first, second = net(x) - clean, net(x) - clean  # the noise times the output layer
    assert not torch.equal(first, second)  # a fresh draw every step
    # one noise vector per network and step: the same shift for every example of a batch
    torch.testing.assert_close(first, first[:, :1].expand_as(first))
    # U[-0.1, 0.1]: the shift is at most 0.1 times the output weights' absolute column sums
    bound = 0.1 * net.weights[1].detach().abs().sum(dim=1)  # (S, 10)
    assert torch.all(first[:, 0].abs() <= bound + 1e-6)
    assert float(first.abs().max()) > 0.02 * float(bound.max())  # and not vanishingly small


def test_rmsprop_with_a_rate_per_network_matches_torch() -> None:
    """The learning-rate grid's optimiser (one rate per packed network) makes the update
    torch.optim.RMSprop makes for each rate alone."""
    torch.manual_seed(0)
    start = torch.randn(2, 3, 4)
    grads = [torch.randn(2, 3, 4) for _ in range(5)]
    packed = torch.nn.Parameter(start.clone())
    ours = EnsembleOptimiser([packed], torch.tensor([1e-2, 1e-1], dtype=torch.float64),
                             "rmsprop", smoothing=0.4)
    alone = [torch.nn.Parameter(start[i].clone()) for i in range(2)]
    theirs = [torch.optim.RMSprop([p], lr=lr, alpha=0.4, eps=1e-8)
              for p, lr in zip(alone, (1e-2, 1e-1), strict=True)]
    for g in grads:
        packed.grad = g.clone()
        ours.step()
        for i, (p, opt) in enumerate(zip(alone, theirs, strict=True)):
            p.grad = g[i].clone()
            opt.step()
    for i in range(2):
        torch.testing.assert_close(packed.detach()[i], alone[i].detach())


def test_a_tuned_rmsprop_run_equals_the_fixed_rate_it_chose() -> None:
    common = {"validation_fraction": 0.1, "budget": 40}
    tuned = train_group(_runs(seeds=(4,), lr_grid=(1e-2, 1e30), learning_rate=None,
                              **common))[0]
    fixed = train_group(_runs(seeds=(4,), **common))[0]
    assert tuned.learning_rate == 1e-2 and tuned.status == fixed.status == "finished"
    np.testing.assert_allclose(tuned.curve_loss, fixed.curve_loss, rtol=1e-3)


def test_mean_training_loss_weights_each_curve_window_by_its_steps() -> None:
    record = train_group(_runs(seeds=(0,), budget=7))[0]
    assert record.curve_steps == tuple(range(1, 8))  # 7 steps: one point each
    assert record.mean_training_loss == pytest.approx(np.mean(record.curve_loss))
    windows = replace(record, curve_steps=(2, 3, 7), curve_loss=(1.0, 4.0, 2.0))
    assert windows.mean_training_loss == pytest.approx((2 * 1.0 + 1 * 4.0 + 4 * 2.0) / 7)
    assert replace(record, curve_steps=(), curve_loss=()).mean_training_loss is None
