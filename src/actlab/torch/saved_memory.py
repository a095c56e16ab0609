"""What autograd keeps for backward: the storages a computation saves, measured with
``torch.autograd.graph.saved_tensors_hooks`` (the memory a module costs in training)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch


def saved_storages(fn: Callable[[Any], Any], x: Any) -> list[tuple[int, int]]:
    """(data pointer, bytes) of every distinct storage autograd saves while computing
    ``fn(x)``; a storage saved twice (e.g. the input and a view of it) counts once."""
    seen: dict[int, int] = {}

    def pack(t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        seen[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = fn(x)
    del y
    return list(seen.items())
