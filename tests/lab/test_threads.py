"""The lab runs tiny models with one torch thread and gives the thread count back."""

from __future__ import annotations

import torch

from actlab.lab.threads import single_threaded


def test_single_threaded_sets_one_thread_and_restores() -> None:
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        with single_threaded():
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
        try:
            with single_threaded():
                raise RuntimeError("an experiment failed")
        except RuntimeError:
            pass
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
