"""Saturation in training: Shapeset-3×2, the per-seed statistics, and claims in epochs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from actlab.data.shapeset import CLASSES, SIZE, draw_shapes, make_shapeset, shape_masks
from actlab.errors import InvalidValue
from actlab.lab import saturation_training


def test_shapeset_has_nine_classes_of_one_or_two_shapes() -> None:
    assert len(CLASSES) == 9 and len(set(CLASSES)) == 9
    assert sum(len(c) == 1 for c in CLASSES) == 3  # single shapes, then unordered pairs
    x, y = make_shapeset(900, seed=3)
    assert x.shape == (900, SIZE * SIZE) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert set(np.unique(y)) == set(range(9))
    again, _ = make_shapeset(900, seed=3)
    np.testing.assert_array_equal(x, again)
    # two grey levels at least (background and shape) in every image
    assert all(len(np.unique(img)) >= 2 for img in x[:50])


def test_shape_masks_are_the_three_shapes() -> None:
    rng = np.random.default_rng(0)
    masks = shape_masks(np.array([0, 1, 2] * 200), rng)
    area = masks.sum(axis=(1, 2)).reshape(200, 3)
    assert np.mean(area > 0) > 0.99  # only a sliver of a shape can miss every pixel centre
    # with the same extent an ellipse (π/4 of its box) covers more than a triangle (1/2)
    assert np.median(area[:, 2]) > np.median(area[:, 0])


def test_second_shape_covers_at_most_half_of_the_first() -> None:
    labels, first, second = draw_shapes(400, np.random.default_rng(5))
    pairs = np.array([len(CLASSES[k]) == 2 for k in labels])
    assert not second[~pairs].any()  # single shapes: no second mask
    overlap = (first & second).sum(axis=(1, 2)) / np.maximum(first.sum(axis=(1, 2)), 1)
    assert np.all(overlap <= 0.5)
    assert np.mean(second[pairs].any(axis=(1, 2))) > 0.95


def test_a_run_of_the_papers_length_measures_inside_its_first_epoch() -> None:
    """The full run (2.2 million updates) judges the "early" claim too: evenly spaced
    snapshots alone would leave only the start inside the first epoch."""
    full = saturation_training.Config(steps=2_200_000)
    taken = full.snapshot_steps()
    first_epoch = [s for s in taken if 0 < s <= saturation_training.UPDATES_PER_EPOCH]
    assert len(first_epoch) >= full.snapshots
    assert taken[0] == 0 and taken[-1] == full.steps
    assert sum(s > saturation_training.UPDATES_PER_EPOCH for s in taken) >= full.snapshots - 1
    # the default run lies inside the first epoch: one even spacing, as before
    assert saturation_training.Config().snapshot_steps() == list(range(0, 601, 10))


def test_quick_run_statistics_and_claims() -> None:
    config = saturation_training.Config.quick()
    result = saturation_training.run(config)
    data = result.curves["sigmoid"]
    assert data["steps"] == config.snapshot_steps() == [0, 10, 20, 30, 40, 50, 60]
    assert data["loss"][0] is None and all(v > 0 for v in data["loss"][1:])
    for series in data["layers"].values():
        assert len(series["mean"]) == len(data["steps"])
        assert series["mean_low"][0] <= series["mean"][0] <= series["mean_high"][0]
        # zero biases and symmetric U[±1/√n] weights: means ≈ 1/2, nothing saturated yet
        assert series["mean"][0] == pytest.approx(0.5, abs=0.1)
        assert series["saturated"][0] < 0.02
    # the run is far shorter than the paper's 100 epochs: the recovery is not judged
    (early,) = result.claims
    assert early.seeds == config.seeds >= 5
    assert "within the first epoch" in early.quantity
    assert "epochs of 20,000 updates" in early.detail
    assert result.metrics["epochs_of_20k_updates"] == pytest.approx(config.steps / 20_000)
    note = result.metrics["recovery"]
    assert note.startswith("not run") and "--set steps=2200000" in note
    assert result.tables["recovery"].rows == [[note]]


def test_recovery_note_estimates_the_full_run_from_the_measured_speed() -> None:
    config = saturation_training.Config()
    note = saturation_training.recovery_not_run(config, seconds_per_update=0.1)
    # 2.2 million updates at 0.1 s, one activation: 61 hours
    assert "about 61 hours" in note and "100 ms per update for 5 nets of 4 × 1000" in note


def test_train_and_watch_repeats_exactly_and_is_per_seed() -> None:
    config = saturation_training.Config(width=8, steps=20, snapshots=2, chunk=7,
                                        probe_size=20, seeds=5)
    first = saturation_training.train_and_watch("tanh", config)
    second = saturation_training.train_and_watch("tanh", config)
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])
    assert first["steps"].tolist() == [0, 10, 20]
    assert first["mean"].shape == (3, config.hidden_layers, 5)
    assert len({round(float(v), 9) for v in first["mean"][-1, -1]}) == 5  # seeds differ
    # chunks of fresh batches: a different chunk size draws a different stream
    other = saturation_training.train_and_watch(
        "tanh", dataclasses.replace(config, chunk=20))
    assert not np.array_equal(other["mean"][-1], first["mean"][-1])


def _watched(top: np.ndarray, steps: list[int], layers: int) -> dict:
    mean = np.zeros((len(steps), layers, top.shape[1]))
    mean[:, -1] = top
    return {"sigmoid": {"mean": mean, "steps": np.array(steps)}}


def test_early_claim_follows_the_top_layer_in_the_first_epoch() -> None:
    config = dataclasses.replace(saturation_training.Config.quick(), steps=40)
    top = np.tile(np.array([0.5, 0.05, 0.03, 0.2, 0.3])[:, None], (1, 5))
    top = top + np.arange(5) * 0.001
    (early,) = saturation_training._claims(_watched(top, [0, 10, 20, 30, 40], 4), config)
    assert early.verdict == "reproduced"  # below 0.1 on every seed
    (early,) = saturation_training._claims(_watched(np.full((5, 5), 0.5),
                                                    [0, 10, 20, 30, 40], 4), config)
    assert early.verdict == "not reproduced"
    # a dip after the first epoch does not count as "early"
    late = dataclasses.replace(config, steps=60_000)
    top = np.tile(np.array([0.5, 0.4, 0.3, 0.02, 0.01])[:, None], (1, 5)) + np.arange(5) * 1e-3
    (early,) = saturation_training._claims(
        _watched(top, [0, 10_000, 20_000, 40_000, 60_000], 4), late)
    assert early.verdict == "not reproduced"


def test_a_run_to_epoch_100_judges_the_recovery() -> None:
    config = dataclasses.replace(saturation_training.Config.quick(), steps=2_200_000)
    steps = [0, 20_000, 1_000_000, 2_200_000]
    top = np.tile(np.array([0.5, 0.03, 0.05, 0.35])[:, None], (1, 5)) + np.arange(5) * 1e-3
    early, recovery = saturation_training._claims(_watched(top, steps, 4), config)
    assert early.verdict == recovery.verdict == "reproduced"
    top[-1] = 0.06  # never recovered
    _, recovery = saturation_training._claims(_watched(top, steps, 4), config)
    assert recovery.verdict == "not reproduced"


def test_lab_run_set_changes_a_field_and_names_mistakes(tmp_path, capsys) -> None:
    from actlab.cli import main
    from actlab.lab.result import Result
    from cli_errors import one_line_error

    out = tmp_path / "out"
    code = main(["lab", "run", "saturation_training", "--quick", "--quiet", "--set",
                 "steps=20", "--set", "snapshots=2", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    saved = Result.from_json((out / "saturation_training" / "result.json").read_text())
    assert saved.config["steps"] == 20 and saved.curves["sigmoid"]["steps"] == [0, 10, 20]
    for setting, message in (("stepz=3", "no such field"), ("steps=many", "expected int"),
                             ("steps", "expected FIELD=VALUE")):
        line = one_line_error(capsys, "lab", "run", "saturation_training", "--quick",
                              "--set", setting, "--out", str(out))
        assert message in line


def test_a_stopped_run_resumes_from_its_checkpoint_with_the_same_result(tmp_path) -> None:
    config = saturation_training.Config(width=8, steps=40, snapshots=4, chunk=5,
                                        probe_size=20, seeds=5)
    whole = saturation_training.train_and_watch("sigmoid", config)
    kept = dataclasses.replace(config, checkpoint=str(tmp_path / "ckpt"), checkpoint_every=2)

    class Stop(Exception):
        """Interrupts the run halfway, as a user's Ctrl-C or a lost machine would."""

    def stop_halfway(fraction: float, message: str) -> None:
        if fraction >= 0.5:  # after the 4th chunk (20 updates): saved at 10 and 20
            raise Stop

    with pytest.raises(Stop):
        saturation_training.train_and_watch("sigmoid", kept, stop_halfway)
    state = torch.load(tmp_path / "ckpt" / "saturation_training-sigmoid.pt", weights_only=False)
    assert state["next_start"] == 20
    resumed = saturation_training.train_and_watch("sigmoid", kept)
    for key in whole:
        np.testing.assert_array_equal(resumed[key], whole[key])
    other = dataclasses.replace(kept, learning_rate=0.5)
    with pytest.raises(InvalidValue, match="another configuration"):
        saturation_training.train_and_watch("sigmoid", other)
