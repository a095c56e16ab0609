"""Every activation and every ``to_torch()`` module survives copy.deepcopy, pickle and a
torch.save/torch.load round trip (alone and inside a model) with equal outputs."""

from __future__ import annotations

import copy
import io
import pickle
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

import actlab

from .helpers import case_id
from .reference import REFERENCES

# non-default parameters: the accuracy cases, and for vector entries another axis
VECTOR_CASES: dict[str, dict[str, Any]] = {"maxout": {"pieces": 3, "axis": 0}}
CASES = [(name, {}) for name in actlab.names()] + [
    (name, dict(case)) for name, r in REFERENCES.items() for case in r.cases if case
] + [(name, case) for name, case in VECTOR_CASES.items()] + [
    (name, {"axis": 0}) for name in actlab.names()
    if not actlab.entry(name).elementwise and name not in VECTOR_CASES
]


def sample(act: actlab.Activation) -> np.ndarray:
    x = np.linspace(-3.0, 3.0, 36).reshape(6, 6)
    return np.abs(x) + 0.5 if act.name == "log1mexp" else x  # log1mexp: x > 0 only


def torch_round_trip(obj: Any) -> Any:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    buffer.seek(0)
    return torch.load(buffer, weights_only=False)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[case_id(n, c) for n, c in CASES])
def test_activation_survives_copy_and_pickle(name: str, case: dict[str, Any]) -> None:
    act = actlab.get(name, **case)
    x = sample(act)
    for clone in (copy.deepcopy(act), copy.copy(act), pickle.loads(pickle.dumps(act)),
                  torch_round_trip(act)):
        assert clone == act and dict(clone.params) == dict(act.params)
        np.testing.assert_array_equal(clone(x), act(x))


@pytest.mark.parametrize(("name", "case"), CASES, ids=[case_id(n, c) for n, c in CASES])
def test_module_survives_copy_pickle_and_torch_save(name: str, case: dict[str, Any]) -> None:
    act = actlab.get(name, **case)
    module = act.to_torch().double().eval()  # rrelu: deterministic in evaluation mode
    with torch.no_grad():  # learnable parameters moved off their initial value
        for i, parameter in enumerate(module.parameters()):
            parameter.add_(0.125 * (i + 1))
    x = torch.from_numpy(sample(act))
    expected = module(x)
    for clone in (copy.deepcopy(module), pickle.loads(pickle.dumps(module)),
                  torch_round_trip(module)):
        torch.testing.assert_close(clone(x), expected, rtol=0, atol=0)
        assert [p.detach().tolist() for p in clone.parameters()] == [
            p.detach().tolist() for p in module.parameters()]


@pytest.mark.parametrize("name", actlab.names())
def test_model_containing_the_module_saves_whole_and_by_state_dict(name: str) -> None:
    act = actlab.get(name)
    width = 6
    model = nn.Sequential(nn.Linear(4, width), act.to_torch()).double().eval()
    x = torch.linspace(-2.0, 2.0, 12, dtype=torch.float64).reshape(3, 4)
    if name == "log1mexp":
        x = x.abs() + 0.5
        with torch.no_grad():
            model[0].weight.abs_()
            model[0].bias.abs_()
    expected = model(x)
    torch.testing.assert_close(torch_round_trip(model)(x), expected, rtol=0, atol=0)
    torch.testing.assert_close(copy.deepcopy(model)(x), expected, rtol=0, atol=0)
    fresh = nn.Sequential(nn.Linear(4, width), act.to_torch()).double().eval()
    fresh.load_state_dict(torch_round_trip(model.state_dict()))
    torch.testing.assert_close(fresh(x), expected, rtol=0, atol=0)


def test_averaged_model_copies_a_catalogue_module() -> None:
    """EMA / SWA wrappers deep-copy the model they average (the use that failed first)."""
    model = nn.Sequential(nn.Linear(3, 4), actlab.get("gelu").to_torch())
    averaged = torch.optim.swa_utils.AveragedModel(model)
    x = torch.randn(5, 3)
    torch.testing.assert_close(averaged(x), model(x))
