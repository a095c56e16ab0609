"""Experiments run their tiny models with one torch thread and give the count back."""

from __future__ import annotations

import types
from typing import Any

import pytest
import torch

from actlab.lab.registry import Experiment, single_threaded


@pytest.fixture
def two_threads() -> Any:
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(before)


def test_single_threaded_sets_one_thread_and_restores(two_threads: None) -> None:
    with single_threaded():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == 2
    with pytest.raises(RuntimeError), single_threaded():
        raise RuntimeError("an experiment failed")
    assert torch.get_num_threads() == 2


def test_experiment_run_is_single_threaded(two_threads: None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    module = types.SimpleNamespace(run=lambda config, progress=None: seen.append(
        torch.get_num_threads()))
    exp = Experiment("fake", "Fake", "a fake", "nowhere", "nowhere")
    monkeypatch.setattr(Experiment, "load", lambda self: module)
    exp.run(None)
    assert seen == [1]
    assert torch.get_num_threads() == 2
