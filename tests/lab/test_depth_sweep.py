"""Depth sweep: training outcome per seed, and claims paired by seed on the test accuracy."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from actlab.lab import depth_sweep
from actlab.lab.result import Result


@pytest.fixture(scope="module")
def digits() -> depth_sweep.Data:
    from actlab.data.digits import load_digits_split

    split = load_digits_split(seed=0)
    return (torch.tensor(split.x_train, dtype=torch.float32),
            torch.tensor(split.y_train, dtype=torch.int64),
            torch.tensor(split.x_test, dtype=torch.float32),
            torch.tensor(split.y_test, dtype=torch.int64))


def test_training_lowers_the_loss_and_raises_test_accuracy(digits) -> None:
    short = depth_sweep.Config(seeds=5, steps=5, tail=2, learning_rate=3e-3)
    longer = dataclasses.replace(short, steps=150)
    early = depth_sweep.train("relu", 2, 16, short, digits)
    late = depth_sweep.train("relu", 2, 16, longer, digits)
    assert early.final_loss.shape == late.test_accuracy.shape == (5,)
    assert np.all(late.final_loss < early.final_loss)
    assert np.all(late.test_accuracy > early.test_accuracy)
    assert np.all(late.test_accuracy > 60)  # digits: far above the 10 % of guessing
    again = depth_sweep.train("relu", 2, 16, short, digits)
    np.testing.assert_array_equal(early.test_accuracy, again.test_accuracy)


def _sweep(monkeypatch, accuracy: dict[str, float], loss: dict[str, float]) -> Result:
    """The sweep with train() replaced: fixed accuracies and losses per seed."""
    def fake(activation, depth, width, config, data):
        spread = np.arange(config.seeds) * 0.1
        return depth_sweep.Outcome(np.full(config.seeds, loss.get(activation, 1.0)) + spread,
                                   np.full(config.seeds, accuracy.get(activation, 50.0))
                                   + spread)

    monkeypatch.setattr(depth_sweep, "train", fake)
    config = depth_sweep.Config(activations=tuple(accuracy), depths=(2, 25, 50), seeds=5)
    return depth_sweep.run(config)


def _claim(result: Result, words: str):  # type: ignore[no-untyped-def]
    matches = [c for c in result.claims if words in c.statement]
    assert len(matches) == 1, [c.statement for c in result.claims]
    return matches[0]


def test_deep_net_claims_compare_test_accuracy_paired_by_seed(monkeypatch) -> None:
    result = _sweep(monkeypatch, {"relu": 60.0, "silu": 70.0, "mish": 55.0, "gelu": 60.0,
                                  "elu": 60.0}, {})
    swish = _claim(result, "with silu")
    assert swish.verdict == "reproduced" and swish.measured == pytest.approx(10.0)
    assert "50 hidden layers" in swish.quantity and swish.seeds == 5
    assert _claim(result, "with mish").verdict == "not reproduced"


def test_gelu_claim_needs_gelu_below_both_rivals(monkeypatch) -> None:
    acc = {"relu": 60.0, "gelu": 60.0, "elu": 60.0}
    lowest = _sweep(monkeypatch, acc, {"gelu": 0.1, "relu": 0.2, "elu": 0.3})
    assert _claim(lowest, "GELU has the lowest").verdict == "reproduced"
    middle = _sweep(monkeypatch, acc, {"gelu": 0.25, "relu": 0.2, "elu": 0.3})
    assert _claim(middle, "GELU has the lowest").verdict == "not reproduced"


def test_full_config_reaches_fifty_layers() -> None:
    config = depth_sweep.Config()
    assert max(config.depths) >= 50 and config.seeds >= 5
    assert config.swish_depth in config.depths and config.mish_depth in config.depths
