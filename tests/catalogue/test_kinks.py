"""Kinks and jumps: what an entry documents at a non-differentiable point is what it
returns, and equals what PyTorch's autograd gives there (docs/design.md: "agree with PyTorch
where PyTorch has the function").

The kinks are read from each entry's Documentation (they are stated for the default
parameters), so a new kink record is tested without touching this file.  Covered:
the step, piecewise-linear, rectifier and classic families.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

import actlab
from actlab.catalogue.metadata import Kink
from actlab.torch.module import ActivationModule

FAMILIES = ("steps", "piecewise_linear", "rectifiers", "periodic_and_classic")

# torch functions for entries whose to_torch() is not torch's own module: sign has no
# module; nn.Hardsigmoid is not exact in float64 (its backward uses float32(1/6))
TORCH_FUNCTIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sign": torch.sign,
    "hard_sigmoid": torch.nn.functional.hardsigmoid,
}


def _names() -> list[str]:
    return [n for n in actlab.names() if actlab.entry(n).family in FAMILIES]


def _torch_function(name: str) -> Callable[[torch.Tensor], torch.Tensor] | None:
    """PyTorch's own version of the entry with default parameters, in float64."""
    if name in TORCH_FUNCTIONS:
        return TORCH_FUNCTIONS[name]
    native = actlab.get(name).torch_native()
    if native is None:
        return None
    # eval(): RReLU is random in training mode; double(): PReLU's weight is float32
    return native.eval().double()


def _kink_cases(with_torch: bool) -> list[tuple[str, Kink]]:
    return [
        (name, kink)
        for name in _names()
        if not with_torch or _torch_function(name) is not None
        for kink in actlab.entry(name).doc.kinks
    ]


def _ids(cases: list[tuple[str, Kink]]) -> list[str]:
    return [f"{name}@{kink.at:g}" for name, kink in cases]


ALL_KINKS = _kink_cases(with_torch=False)
TORCH_KINKS = _kink_cases(with_torch=True)


def test_the_families_have_kinks_to_check() -> None:
    # a guard: an import or registry change must not silently empty the tests below
    assert len(ALL_KINKS) >= 25
    assert {name for name, _ in TORCH_KINKS} >= {
        "relu", "leaky_relu", "prelu", "rrelu", "selu", "relu6", "hard_tanh",
        "hard_sigmoid", "hard_swish", "hard_shrink", "soft_shrink", "threshold", "sign",
    }


@pytest.mark.parametrize(("name", "kink"), ALL_KINKS, ids=_ids(ALL_KINKS))
def test_documented_kink_is_what_the_entry_returns(name: str, kink: Kink) -> None:
    act = actlab.get(name)
    x = np.array([kink.at])
    assert act(x)[0] == kink.value
    assert act.derivative(x)[0] == kink.derivative
    # the same through our PyTorch autograd function (the non-native adapter)
    xt = torch.tensor([kink.at], dtype=torch.float64, requires_grad=True)
    out = ActivationModule(act).double()(xt)
    (grad,) = torch.autograd.grad(out.sum(), xt)
    assert out.item() == kink.value
    assert grad.item() == pytest.approx(kink.derivative, rel=1e-15, abs=0.0)


@pytest.mark.parametrize(("name", "kink"), TORCH_KINKS, ids=_ids(TORCH_KINKS))
def test_kink_agrees_with_torch_autograd(name: str, kink: Kink) -> None:
    fn = _torch_function(name)
    assert fn is not None
    xt = torch.tensor([kink.at], dtype=torch.float64, requires_grad=True)
    out = fn(xt)
    (grad,) = torch.autograd.grad(out.sum(), xt)
    act = actlab.get(name)
    ours_value = act(np.array([kink.at]))[0]
    ours_slope = act.derivative(np.array([kink.at]))[0]
    assert ours_value == out.item()
    # torch multiplies its constants in a different order (SELU's scale*alpha): allow
    # one rounding, no more
    assert ours_slope == pytest.approx(grad.item(), rel=2.3e-16, abs=0.0)
