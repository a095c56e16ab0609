"""The convergence race: ratio and bootstrap by hand, pruning rule, a quick run, figures."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from actlab.lab import convergence_race as cr
from actlab.lab.result import Result
from cifar_files import write_fake_cifar10


def test_speedup_ratio_is_ratio_of_medians() -> None:
    tanh = [100, 300, 200]  # median 200
    relu = [20, 1000, 10]  # median 20
    assert cr.speedup_ratio(tanh, relu) == pytest.approx(10.0)
    assert cr.speedup_ratio([50, 70], [10, 30]) == pytest.approx(60 / 20)


def test_bootstrap_ratio_hand_cases() -> None:
    # identical seeds: every resample gives the same ratio
    assert cr.bootstrap_ratio([600] * 5, [100] * 5, 500, seed=1) == pytest.approx((6.0, 6.0))
    slow, fast = [100, 120, 140, 160, 180], [20, 25, 30, 35, 40]
    low, high = cr.bootstrap_ratio(slow, fast, 2000, seed=3)
    # medians of resamples stay inside the data, so the ratio is between these extremes
    assert 100 / 40 <= low <= cr.speedup_ratio(slow, fast) <= high <= 180 / 20
    assert (low, high) == cr.bootstrap_ratio(slow, fast, 2000, seed=3)  # seeded
    assert cr.bootstrap_median([7, 7, 7], 100, seed=0) == pytest.approx((7.0, 7.0))


def test_evaluation_schedule_is_fine_early_and_capped() -> None:
    assert [cr.evaluation_interval(s, 20) for s in (1, 19, 40, 100, 399, 5000)] == \
        [1, 1, 2, 5, 19, 20]
    evaluated = [s for s in range(1, 101) if cr.is_evaluation_step(s, 20)]
    assert evaluated[:20] == list(range(1, 21))
    gaps = np.diff(evaluated)
    assert np.all(gaps <= np.maximum(1, np.asarray(evaluated[1:]) // 20))


def test_groups_to_drop_prunes_only_certain_losers() -> None:
    config = cr.Config(seeds=3, patience=3.0, max_steps=1000)
    group = np.repeat(np.arange(3), 3)
    # group 0: median known (50); group 1: one network reached at 40, two not yet;
    # group 2: only one reached -> its median is > 60 (next step 61), loses to 50
    reach = np.array([40, 50, 60, 40, -1, -1, 30, -1, -1])
    diverged = np.zeros(9, dtype=bool)
    pruned = np.zeros(3, dtype=bool)
    drop = cr._groups_to_drop(reach, diverged, group, 3, 60, config, pruned)
    assert drop.tolist() == [True, True, True]  # group 0 done; 1 and 2 cannot beat 50
    assert pruned.tolist() == [False, True, True]
    # earlier, at step 45, nobody's median is known: nothing can be dropped
    reach_early = np.array([40, -1, -1, 40, -1, -1, 30, -1, -1])
    pruned = np.zeros(3, dtype=bool)
    drop = cr._groups_to_drop(reach_early, diverged, group, 3, 45, config, pruned)
    assert not drop.any() and not pruned.any()
    # the winner's straggler is censored at patience x median
    reach_slow = np.array([40, 50, -1, -1, -1, -1, -1, -1, -1])
    pruned = np.zeros(3, dtype=bool)
    assert cr._groups_to_drop(reach_slow, diverged, group, 3, 149, config, pruned)[0] == \
        np.False_
    assert cr._groups_to_drop(reach_slow, diverged, group, 3, 150, config, pruned)[0]


@pytest.fixture(scope="module")
def quick_result() -> Result:
    return cr.run(cr.Config.quick())


def test_quick_run_is_deterministic_and_round_trips(quick_result: Result) -> None:
    again = cr.run(cr.Config.quick())
    strip = lambda r: {**json.loads(r.to_json()), "seconds": 0}  # noqa: E731
    assert strip(again) == strip(quick_result)
    back = Result.from_json(quick_result.to_json())
    assert back.claims == quick_result.claims
    assert back.tables == quick_result.tables
    assert back.metrics == quick_result.metrics


def test_ratio_and_verdicts_follow_from_the_iterations(quick_result: Result) -> None:
    race = quick_result.curves["races"]["digits_mlp"]
    relu, tanh = race["activations"]["relu"], race["activations"]["tanh"]
    ratio = quick_result.metrics["digits_mlp_tanh_over_relu"]
    assert ratio == pytest.approx(np.median(tanh["iterations"]) / np.median(relu["iterations"]))
    low, high = quick_result.metrics["digits_mlp_tanh_over_relu_interval"]
    assert low <= ratio <= high
    compare, faster = quick_result.claims
    assert compare.published == 6 and compare.measured == pytest.approx(ratio, abs=1e-3)
    assert compare.interval == pytest.approx((low, high))
    inside = 6 - 1.5 <= low and high <= 6 + 1.5
    assert compare.verdict == ("reproduced" if inside else
                               "partly" if abs(ratio - 6) <= 1.5 else "not reproduced")
    logs = np.log(np.asarray(tanh["iterations"]) / np.asarray(relu["iterations"]))
    assert faster.measured == pytest.approx(logs.mean()) and faster.seeds == 5
    assert "varies with network architecture" in compare.detail
    # every seed's iterations are evaluation steps within the budget
    for s in (relu, tanh):
        assert len(s["iterations"]) == quick_result.config["seeds"]
        assert all(1 <= i <= quick_result.config["max_steps"] for i in s["iterations"])


def test_the_learning_rate_is_chosen_on_other_seeds_than_the_judged() -> None:
    """_summarise takes the learning rate from the selection race and every judged number
    from the judged networks: a selection seed that would flatter a rate cannot leak in."""
    config = cr.Config.quick()
    steps = np.array([10, 20])
    selection = {  # two learning rates, two selection seeds: lr index 1 is faster
        "iterations": np.array([[50, 60], [10, 12]]), "reached": np.ones((2, 2), bool),
        "pruned": np.array([False, False]), "bound": np.zeros(2), "eval_steps": steps,
        "history": np.full((2, 2, 2), 0.5)}
    judged = {  # the chosen rate alone, five fresh seeds
        "iterations": np.array([[30, 31, 32, 33, 34]]), "reached": np.ones((1, 5), bool),
        "pruned": np.array([False]), "bound": np.zeros(1), "eval_steps": steps,
        "history": np.full((2, 1, 5), 0.3)}
    summary = cr._summarise(selection, judged, (0.03, 0.1), config, seed=0)
    assert summary["best_lr"] == 0.1
    assert summary["iterations"] == [30, 31, 32, 33, 34] and summary["median"] == 32
    assert summary["per_lr_median"] == [55.0, 11.0]  # the grid table shows the selection


def test_quick_report_says_cifar_was_not_run(quick_result: Result) -> None:
    assert quick_result.metrics["cifar10"].startswith("not run: no CIFAR-10 files given")
    assert quick_result.tables["cifar10"].rows == [[cr.CIFAR_NOT_RUN]]
    assert not any("CIFAR" in c.statement for c in quick_result.claims)


def test_cifar_race_runs_on_named_files(tmp_path) -> None:
    write_fake_cifar10(tmp_path, rows=12, cue=True)
    config = dataclasses.replace(cr.Config.quick(), datasets=(), data_dir=str(tmp_path),
                                 cifar_max_steps=15, cifar_batch_size=4, eval_examples=20,
                                 threshold=0.6)
    result = cr.run(config)
    race = result.curves["races"]["cifar10_cifar_cnn"]
    assert set(race["activations"]) == {"relu", "tanh"}
    assert race["max_steps"] == 15
    for s in race["activations"].values():
        assert len(s["iterations"]) == 5 and all(1 <= i <= 15 for i in s["iterations"])
    assert "cifar10" not in result.metrics  # it ran: no "not run" note
    assert any("CIFAR-10" in c.statement for c in result.claims)


def test_cifar_ensemble_matches_one_torch_network() -> None:
    from actlab.models.cifar_net import EnsembleCifarCNN

    model = EnsembleCifarCNN([1, 2, 3])
    k = 2
    x = torch.randn(3, 4, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    h = x[k]
    with torch.no_grad():
        for i, (w, b) in enumerate(zip(model.conv_weights, model.conv_biases, strict=True)):
            h = torch.relu(torch.nn.functional.conv2d(h, w[k], b[k], padding=2))
            pool = torch.nn.functional.max_pool2d if i == 0 else torch.nn.functional.avg_pool2d
            h = pool(h, kernel_size=3, stride=2)
        expected = h.flatten(1) @ model.weight[k] + model.bias[k]
        torch.testing.assert_close(model(x)[k], expected, atol=1e-5, rtol=1e-5)
    assert model.parameters_per_network() == (
        3 * 32 * 25 + 32 + 32 * 32 * 25 + 32 + 32 * 64 * 25 + 64 + 576 * 10 + 10)


def test_cli_data_option_runs_the_cifar_race(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from actlab.cli import app

    write_fake_cifar10(tmp_path / "data", rows=12, cue=True)
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["lab", "run", "convergence_race", "--quick", "--quiet",
                                      "--data", "data", "--out", str(out)])
    assert result.exit_code == 0, result.output
    saved = Result.from_json((out / "convergence_race" / "result.json").read_text())
    assert "cifar10_cifar_cnn" in saved.curves["races"]
    # a relative directory is recorded as the absolute one it named
    assert saved.config["data_dir"] == str((tmp_path / "data").resolve())
    # (gates reads no data files: tests/lab/test_config_overrides.py checks that error)


def test_a_data_directory_without_the_cifar_files_fails_at_once(tmp_path) -> None:
    """Checked when the config is made, before the other races spend their time."""
    from actlab.errors import UserError

    write_fake_cifar10(tmp_path, rows=12, cue=True)
    (tmp_path / "cifar-10-batches-py" / "test_batch").unlink()
    with pytest.raises(UserError, match="missing CIFAR-10 batch files: test_batch"):
        cr.Config(data_dir=str(tmp_path))


def test_figures(quick_result: Result) -> None:
    from actlab.plot.convergence_race import figures

    figs = figures(quick_result)
    assert set(figs) == {"training_error", "iterations"}
    for fig in figs.values():
        assert isinstance(fig, Figure)
        fig.canvas.draw()  # Agg renders without error


def test_bad_config_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="data set"):
        cr.run(dataclasses.replace(cr.Config.quick(), datasets=("cifar",)))
    with pytest.raises(ValueError, match="elementwise"):
        cr.run(dataclasses.replace(cr.Config.quick(), activations=("softmax",)))
