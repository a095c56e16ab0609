"""Saturation in training: Shapeset-3×2, the per-seed statistics, and claims in epochs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from actlab.data.shapeset import CLASSES, SIZE, draw_shapes, make_shapeset, shape_masks
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


def test_quick_run_statistics_and_claims() -> None:
    config = saturation_training.Config.quick()
    result = saturation_training.run(config)
    data = result.curves["sigmoid"]
    assert data["steps"] == list(range(0, config.steps + 1, config.record_every))
    for series in data["layers"].values():
        assert len(series["mean"]) == len(data["steps"])
        assert series["mean_low"][0] <= series["mean"][0] <= series["mean_high"][0]
        # zero biases and symmetric U[±1/√n] weights: means ≈ 1/2, nothing saturated yet
        assert series["mean"][0] == pytest.approx(0.5, abs=0.1)
        assert series["saturated"][0] < 0.02
    early, recovery = result.claims
    assert early.seeds == recovery.seeds == config.seeds >= 5
    assert "epochs of 20,000 updates" in early.detail
    assert result.metrics["epochs_of_20k_updates"] == pytest.approx(config.steps / 20_000)


def test_train_and_watch_repeats_exactly_and_is_per_seed() -> None:
    config = saturation_training.Config(width=8, steps=20, record_every=10, probe_size=20,
                                        seeds=5)
    first = saturation_training.train_and_watch("tanh", config)
    second = saturation_training.train_and_watch("tanh", config)
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])
    assert first["steps"].tolist() == [0, 10, 20]
    assert first["mean"].shape == (3, config.hidden_layers, 5)
    assert len({round(float(v), 9) for v in first["mean"][-1, -1]}) == 5  # seeds differ


def test_claims_follow_the_top_layer(monkeypatch) -> None:
    config = dataclasses.replace(saturation_training.Config.quick(), steps=40)
    snapshots = 5
    top = np.tile(np.array([0.5, 0.05, 0.03, 0.2, 0.3])[:, None], (1, 5))
    top = top + np.arange(5) * 0.001
    mean = np.zeros((snapshots, config.hidden_layers, 5))
    mean[:, -1] = top
    watched = {"sigmoid": {"mean": mean}}
    early, recovery = saturation_training._claims(watched, config, 40 / 20_000)
    assert early.verdict == "reproduced"  # below 0.1 on every seed
    assert recovery.verdict == "reproduced"  # rose by 0.27 > 0.1 on every seed
    mean[:, -1] = 0.5  # never moves
    early, recovery = saturation_training._claims(watched, config, 40 / 20_000)
    assert early.verdict == recovery.verdict == "not reproduced"
