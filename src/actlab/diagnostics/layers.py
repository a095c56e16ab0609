"""Finding the activation layers of any ``torch.nn.Module`` and the catalogue entry behind each.

A layer is an activation layer when it is an actlab module (it carries its
catalogue entry) or one of PyTorch's own activation modules, which are mapped
here to the catalogue entry with the same parameters, so that the diagnostics
can evaluate the *derivative* at the layer's input (saturation is a statement
about f', not about f).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from torch import nn

import actlab
from actlab.catalogue.activation import Activation

# torch module class name -> (catalogue name, function reading its parameters)
_NATIVE: dict[str, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    "ReLU": ("relu", lambda m: {}),
    "ReLU6": ("relu6", lambda m: {}),
    "LeakyReLU": ("leaky_relu", lambda m: {"negative_slope": m.negative_slope}),
    "PReLU": ("prelu", lambda m: {"a": float(m.weight.detach().mean())}),
    "RReLU": ("rrelu", lambda m: {"lower": m.lower, "upper": m.upper}),
    "ELU": ("elu", lambda m: {"alpha": m.alpha}),
    "CELU": ("celu", lambda m: {"alpha": m.alpha}),
    "SELU": ("selu", lambda m: {}),
    "GELU": ("gelu", lambda m: {"approximate": m.approximate}),
    "SiLU": ("silu", lambda m: {}),
    "Mish": ("mish", lambda m: {}),
    "Sigmoid": ("sigmoid", lambda m: {}),
    "Tanh": ("tanh", lambda m: {}),
    "Softsign": ("softsign", lambda m: {}),
    "Softplus": ("softplus", lambda m: {"beta": m.beta, "threshold": m.threshold}),
    "LogSigmoid": ("log_sigmoid", lambda m: {}),
    "Hardtanh": ("hard_tanh", lambda m: {"min_val": m.min_val, "max_val": m.max_val}),
    "Hardsigmoid": ("hard_sigmoid", lambda m: {}),
    "Hardswish": ("hard_swish", lambda m: {}),
    "Hardshrink": ("hard_shrink", lambda m: {"lambd": m.lambd}),
    "Softshrink": ("soft_shrink", lambda m: {"lambd": m.lambd}),
    "Tanhshrink": ("tanh_shrink", lambda m: {}),
    "Threshold": ("threshold", lambda m: {"t": m.threshold, "value": m.value}),
}


def activation_of(module: nn.Module) -> Activation | None:
    """The elementwise catalogue entry a module computes, or None if it is not one."""
    from actlab.torch.module import ActivationModule

    if isinstance(module, ActivationModule):
        return module.act if module.act.elementwise else None
    spec = _NATIVE.get(type(module).__name__)
    if spec is None or not type(module).__module__.startswith("torch.nn"):
        return None
    name, read_params = spec
    if type(module).__name__ == "ReLU6":
        return actlab.get(name)
    try:
        return actlab.get(name, **read_params(module))
    except (KeyError, TypeError, ValueError):
        return None  # a parameter combination the catalogue does not hold


def activation_layers(model: nn.Module) -> list[tuple[str, nn.Module, Activation]]:
    """(qualified name, module, catalogue entry) for every activation layer, in order."""
    found = []
    for name, module in model.named_modules():
        act = activation_of(module)
        if act is not None:
            found.append((name or type(module).__name__, module, act))
    return found


def weight_layers(model: nn.Module) -> list[tuple[str, nn.Module]]:
    """Modules that own a weight (Linear, Conv, ...), for the gradient-flow record."""
    return [
        (name, module)
        for name, module in model.named_modules()
        if isinstance(getattr(module, "weight", None), nn.Parameter)
        and activation_of(module) is None
    ]
