"""train_group: paired seeds, divergence of one network only, packed == unpacked, lr tuning
that never reads the test split, target timing, records."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from actlab.bench import training
from actlab.bench.config import ModelConfig, RunConfig, TaskConfig, TrainingConfig
from actlab.bench.models import build_packed_mlp, make_activation
from actlab.bench.records import RunRecord
from actlab.bench.tasks import TaskData, load_task
from actlab.bench.training import (
    BatchOrder,
    Problem,
    budget_steps,
    check_run,
    evaluation_interval,
    fit_networks,
    train_group,
)
from actlab.errors import UserError

MOONS = TaskConfig("moons", options=(("n", 300), ("noise", 0.3)))
SMALL_MLP = ModelConfig("mlp", depth=2, width=16)


def _runs(activation: str = "gelu", seeds: Sequence[int] = (0, 1, 2), task: TaskConfig = MOONS,
          model: ModelConfig = SMALL_MLP, **train: Any) -> list[RunConfig]:
    config = TrainingConfig(**{"budget": 100, **train})
    return [RunConfig(activation, task, model, config, seed) for seed in seeds]


def _outcome(record: RunRecord) -> tuple[Any, ...]:
    """What training decides (not the clock or the host)."""
    return (record.key, record.status, record.test_metric, record.best_val_metric,
            record.learning_rate, record.steps_to_target, record.curve_steps, record.curve_loss)


def _assert_same_outcome(a: RunRecord, b: RunRecord) -> None:
    assert (a.key, a.status, a.learning_rate, a.curve_steps, a.steps_to_target) == \
        (b.key, b.status, b.learning_rate, b.curve_steps, b.steps_to_target)
    for x, y in [(a.test_metric, b.test_metric), (a.best_val_metric, b.best_val_metric)]:
        assert (x is None) == (y is None)
        if x is not None:
            assert x == pytest.approx(y, rel=1e-6, abs=1e-9)
    np.testing.assert_allclose(a.curve_loss, b.curve_loss, rtol=1e-5, atol=1e-7)


# --- the data order --------------------------------------------------------------------


def test_batch_order_is_the_seeds_alone_and_covers_each_epoch() -> None:
    a, b, c = BatchOrder(5, 30, 7), BatchOrder(5, 30, 7), BatchOrder(6, 30, 7)
    first = np.concatenate([a.next() for _ in range(30)])  # 210 indices = 7 epochs
    np.testing.assert_array_equal(first, np.concatenate([b.next() for _ in range(30)]))
    assert not np.array_equal(first, np.concatenate([c.next() for _ in range(30)]))
    for epoch in first.reshape(7, 30):  # every epoch is a permutation of the split
        assert sorted(epoch.tolist()) == list(range(30))


class _RecordingOrder(BatchOrder):
    log: ClassVar[list[tuple[int, tuple[int, ...]]]] = []

    def __init__(self, seed: int, n: int, batch_size: int) -> None:
        super().__init__(seed, n, batch_size)
        self.seed = seed

    def next(self) -> np.ndarray:
        batch = super().next()
        self.log.append((self.seed, tuple(batch.tolist())))
        return batch


@pytest.mark.parametrize("model", [SMALL_MLP, ModelConfig("cnn1d")])
def test_same_seed_same_batches_and_initial_weights_for_every_activation(
        model: ModelConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    task = MOONS if model.kind == "mlp" else TaskConfig("mnist1d", options=(("n", 300),))
    monkeypatch.setattr(training, "BatchOrder", _RecordingOrder)
    initial: list[list[np.ndarray]] = []

    def spy(build: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            net = build(*args, **kwargs)
            initial.append([p.detach().numpy().copy() for n, p in net.named_parameters()
                            if not n.startswith("act")])
            return net
        return wrapped

    import actlab.bench.models as models
    monkeypatch.setattr(models, "build_packed_mlp", spy(models.build_packed_mlp))
    monkeypatch.setattr(models, "build_packed_cnn1d", spy(models.build_packed_cnn1d))
    monkeypatch.setattr(training, "build_network", spy(training.build_network))
    logs, weights = [], []
    for activation in ("relu", "tanh", "elu(alpha=0.5)"):
        _RecordingOrder.log = []
        initial.clear()
        train_group(_runs(activation, seeds=(3, 4), task=task, model=model, budget=12))
        logs.append(list(_RecordingOrder.log))
        weights.append(list(initial))
    assert logs[0] == logs[1] == logs[2]
    batches_of = {seed: [b for s, b in logs[0] if s == seed] for seed in (3, 4)}
    assert len(batches_of[3]) == 12 and batches_of[3] != batches_of[4]
    assert all(len(built) == 1 for built in weights)  # one packed network per group
    for other in weights[1:]:
        for net_a, net_b in zip(weights[0], other, strict=True):
            for a, b in zip(net_a, net_b, strict=True):
                np.testing.assert_array_equal(a, b)


# --- divergence ------------------------------------------------------------------------


def test_a_nan_learning_rate_diverges_that_network_only() -> None:
    data = load_task(MOONS, 0.1)
    config = TrainingConfig(optimiser="sgd")

    def fit(rates: list[float]) -> list[training.Trace]:
        net = build_packed_mlp(SMALL_MLP, make_activation("relu"), data.input_shape,
                               data.n_outputs, [0, 1, 2], "default")
        return fit_networks(net, list(zip([0, 1, 2], rates, strict=True)), Problem.of(data),
                            config, steps=60)

    poisoned = fit([0.1, 1e30, 0.1])  # 1e30: the weights overflow, the loss becomes NaN
    healthy = fit([0.1, 1e-3, 0.1])
    assert poisoned[1].diverged_at is not None and poisoned[1].diverged_at <= 3
    assert all(np.isfinite(poisoned[1].losses))  # its curve up to there
    assert poisoned[1].final_val is None
    for i in (0, 2):
        assert poisoned[i].diverged_at is None
        assert poisoned[i].losses == healthy[i].losses  # exactly: no NaN leaked into them
        assert poisoned[i].final_val == healthy[i].final_val


def test_diverged_runs_are_records_with_their_curve_up_to_there() -> None:
    records = train_group(_runs("relu", optimiser="sgd", learning_rate=1e30))
    for record in records:
        assert record.status == "diverged"
        assert record.test_metric is None
        assert record.learning_rate == 1e30
        assert 0 < len(record.curve_loss) < 100 and all(np.isfinite(record.curve_loss))
        assert record.curve_steps[-1] < 100


# --- packing ---------------------------------------------------------------------------


@pytest.mark.parametrize("train", [{}, {"lr_grid": (3e-3, 3e-2, 1e30), "optimiser": "sgd"},
                                   {"optimiser": "momentum", "init": "he"}])
def test_packed_and_unpacked_give_the_same_records(train: dict[str, Any]) -> None:
    runs = _runs("prelu", seeds=(0, 1, 2), **train)
    packed = train_group(runs)
    assert [r.environment["packed_networks"] for r in packed] == \
        [str(3 * len(train.get("lr_grid", (0,))))] * 3
    for run, record in zip(runs, packed, strict=True):
        alone = train_group([run])[0]
        assert alone.environment["packed_networks"] == str(len(train.get("lr_grid", (0,))))
        _assert_same_outcome(record, alone)


def test_the_mnist1d_cnn_is_packed_like_its_one_network_version(
        monkeypatch: pytest.MonkeyPatch) -> None:
    mnist1d = TaskConfig("mnist1d", options=(("n", 300),))
    runs = _runs("silu", seeds=(0, 1), task=mnist1d, model=ModelConfig("cnn1d"), budget=20)
    packed = train_group(runs)
    assert [r.status for r in packed] == ["finished", "finished"]
    assert packed[0].environment["packed_networks"] == "2"
    assert packed[0].model == "cnn1d" and 0 <= packed[0].test_metric <= 1
    _assert_same_outcome(packed[1], train_group(runs[1:])[0])
    # one ordinary nn.Conv1d network per seed: the same weights and batches; only the
    # convolution's arithmetic (im2col products against torch's conv1d) rounds differently
    monkeypatch.setattr(training, "packable", lambda model, activation: False)
    alone = train_group(runs)
    assert alone[0].environment["packed_networks"] == "1"
    for a, b in zip(packed, alone, strict=True):
        np.testing.assert_allclose(a.curve_loss, b.curve_loss, rtol=1e-3)
        assert a.test_metric == pytest.approx(b.test_metric, abs=2 / 60)


def test_cnn_with_learnable_activation_and_factory_models_train_one_after_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mnist1d = TaskConfig("mnist1d", options=(("n", 300),))
    runs = _runs("prelu", seeds=(0, 1), task=mnist1d, model=ModelConfig("cnn1d"), budget=20)
    records = train_group(runs)
    assert [r.status for r in records] == ["finished", "finished"]
    assert records[0].environment["packed_networks"] == "1"
    _assert_same_outcome(records[1], train_group(runs[1:])[0])

    (tmp_path / "bench_training_factory.py").write_text(
        "from torch import nn\n"
        "def net(activation, input_shape, n_outputs):\n"
        "    return nn.Sequential(nn.Linear(input_shape[0], 8), activation,\n"
        "                         nn.Linear(8, n_outputs))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    factory = ModelConfig("factory", factory="bench_training_factory:net")
    made = train_group(_runs("tanh", seeds=(0,), model=factory, budget=30))
    assert made[0].status == "finished" and made[0].model == "factory(bench_training_factory:net)"
    assert made[0].environment["packed_networks"] == "1"


# --- the learning-rate policy ----------------------------------------------------------


def test_tuning_chooses_on_validation_and_never_reads_the_test_split(
        monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _runs("relu", seeds=(0, 1, 2), lr_grid=(1e-4, 3e-2, 1e30), optimiser="sgd",
                 budget=80)
    honest = train_group(runs)
    assert all(r.status == "finished" for r in honest)
    assert {r.learning_rate for r in honest} == {3e-2}  # 1e-4 barely moves; 1e30 diverges

    real_load = training.load_task

    def altered_test_split(task: TaskConfig, fraction: float) -> TaskData:
        data = real_load(task, fraction)
        rng = np.random.default_rng(99)
        return dataclasses.replace(
            data, x_test=rng.normal(size=data.x_test.shape).astype(np.float32) * 50,
            y_test=(1 - data.y_test))  # every test label flipped

    monkeypatch.setattr(training, "load_task", altered_test_split)
    altered = train_group(runs)
    for a, b in zip(honest, altered, strict=True):
        assert a.learning_rate == b.learning_rate
        assert a.best_val_metric == b.best_val_metric and a.curve_loss == b.curve_loss
        assert a.test_metric != b.test_metric  # the test split was read, after the choice


def test_tuned_record_equals_the_fixed_rate_it_chose() -> None:
    tuned = train_group(_runs("silu", seeds=(4,), lr_grid=(1e-2, 1e30), optimiser="sgd"))[0]
    fixed = train_group(_runs("silu", seeds=(4,), learning_rate=1e-2, optimiser="sgd"))[0]
    assert tuned.learning_rate == 1e-2
    # the same network and batches; only the optimiser's rounding may differ
    assert tuned.test_metric == pytest.approx(fixed.test_metric, abs=0.02)
    np.testing.assert_allclose(tuned.curve_loss, fixed.curve_loss, rtol=1e-3)


# --- what a record holds ---------------------------------------------------------------


def test_record_fields_and_target_timing() -> None:
    runs = _runs("gelu", seeds=(0, 1), budget=150, target=0.6)
    records = train_group(runs)
    for run, record in zip(runs, records, strict=True):
        assert record.key == run.key() and record.seed == run.seed
        assert record.task == "moons(n=300,noise=0.3)"
        assert record.model == "mlp(depth=2,width=16)"
        assert record.metric == "test_accuracy" and record.higher_is_better
        assert record.status == "finished" and 0.6 <= record.test_metric <= 1
        assert record.best_val_metric is not None and record.best_val_metric >= 0.6
        assert record.steps_to_target is not None and 1 <= record.steps_to_target <= 150
        assert record.steps_to_target % 3 == 0 or record.steps_to_target == 150  # every 3 steps
        assert 0 < record.seconds_to_target <= record.wall_seconds
        assert 0 < record.cpu_seconds and record.learning_rate == 1e-2
        assert len(record.curve_steps) == len(record.curve_loss) == 100
        assert record.curve_steps[-1] == 150 and list(record.curve_steps) == sorted(
            record.curve_steps)
        assert {"actlab", "torch", "numpy", "python", "host"} <= set(record.environment)
    unreachable = train_group(_runs("gelu", seeds=(0,), budget=30, target=1.5))[0]
    assert unreachable.steps_to_target is None and unreachable.seconds_to_target is None


def test_regression_records_report_the_test_loss() -> None:
    curve = TaskConfig("square", options=(("n", 200),))
    record = train_group(_runs("tanh", seeds=(0,), task=curve, budget=200, target=0.5))[0]
    assert record.metric == "test_loss" and not record.higher_is_better
    assert record.status == "finished" and 0 <= record.test_metric < 1  # below the variance
    assert record.steps_to_target is not None  # the validation loss fell below 0.5


def test_validation_is_evaluated_at_most_50_times_and_never_dominates() -> None:
    assert evaluation_interval(2000, 400, 100) == 40  # 50 evaluations
    assert evaluation_interval(150, 400, 100) == 12  # 400 rows cost 4/3 of a step
    assert evaluation_interval(30, 10, 100) == 1


def test_an_epoch_budget_is_converted_to_steps() -> None:
    assert budget_steps(TrainingConfig(budget=2, budget_unit="epochs", batch_size=100), 270) == 6
    assert budget_steps(TrainingConfig(budget=7), 270) == 7
    record = train_group(_runs("relu", seeds=(0,), budget=3, budget_unit="epochs",
                               batch_size=50))[0]
    n_train = len(load_task(MOONS, 0.1).x_train)
    assert record.curve_steps[-1] == -(-3 * n_train // 50)


def test_group_rules_and_user_errors() -> None:
    assert train_group([]) == []
    mixed = _runs("relu", seeds=(0,)) + _runs("tanh", seeds=(1,))
    with pytest.raises(ValueError, match="differ only in their seed"):
        train_group(mixed)
    for run, message in [
        (_runs("relux", seeds=(0,))[0], "did you mean relu"),
        (_runs(seeds=(0,), optimiser="lbfgs")[0], "unknown optimiser 'lbfgs'"),
        (_runs(seeds=(0,), lr_grid=(1e-2, 1e-1), validation_fraction=0.0)[0],
         "needs a validation split"),
        (_runs(seeds=(0,), learning_rate=None)[0], "give a learning_rate"),
        (_runs(seeds=(0,), model=ModelConfig("cnn2d"))[0], "cnn2d needs images"),
    ]:
        with pytest.raises(UserError, match=message):
            check_run(run)
        with pytest.raises(UserError, match=message):
            train_group([run])
