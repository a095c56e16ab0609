"""The NumPy API on large inputs runs the formulas on PyTorch's kernels over the
caller's memory (activation.TORCH_MIN_SIZE).  That route must keep the whole NumPy
contract: the accuracy criterion against the 50-digit reference for the function
and its derivative, dtypes, read-only and non-contiguous inputs, no warnings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import actlab.catalogue.activation as activation_module

from .helpers import (
    ACCURACY_DTYPES,
    case_id,
    check_entry_accuracy,
    reference_cases,
)

CASES = reference_cases()


@pytest.fixture
def torch_route(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every call, however small, takes the PyTorch route."""
    monkeypatch.setattr(activation_module, "TORCH_MIN_SIZE", 0)


@pytest.mark.parametrize("dtype", ACCURACY_DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize(("name", "case"), CASES, ids=[case_id(n, c) for n, c in CASES])
def test_torch_route_meets_the_accuracy_criterion(
    name: str, case: dict[str, Any], dtype: Any, torch_route: None
) -> None:
    problems = check_entry_accuracy(name, case, dtype)
    assert not problems, "\n".join(problems)
