"""Catalogue entry -> ``torch.nn.Module``.

Native PyTorch module when one is exactly the same function (it is fastest);
otherwise :class:`ActivationModule`, whose autograd function saves only the
input and recomputes the analytic derivative in backward (the memory-efficient
pattern of timm's ``activations_me.py``), or, for entries whose accurate derivative
shares the forward's costly kernels (``saves_derivative``), computes the derivative
in forward and saves it instead: one tensor the size of the input either way.
Entries with learnable parameters run their formula through ordinary autograd so
that the parameters get gradients.  float16/bfloat16 inputs are computed in float32 and cast back.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from actlab.catalogue.activation import Activation
from actlab.catalogue.backend import torch_backend
from actlab.catalogue.torch_backend import has_non_finite

_LOW_PRECISION = (torch.float16, torch.bfloat16)


class SavedInputFunction(torch.autograd.Function):
    """y = f(x); saves x alone and computes the vector-Jacobian product from it."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, act: Activation) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(x)
        ctx.act = act
        return act.forward(x, act.params, torch_backend())

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> tuple[torch.Tensor, None]:  # type: ignore[override]
        (x,) = ctx.saved_tensors
        act: Activation = ctx.act
        return act.vjp_(x, grad_out, act.params, torch_backend()), None


class SavedDerivativeFunction(torch.autograd.Function):
    """y = f(x) for entries with ``saves_derivative``: computes f'(x) beside f(x), sharing
    the costly kernels, and saves it (one tensor the size of x, as the saved input
    would be); backward is one multiplication.  Once differentiable: to autograd the
    saved f'(x) is a constant, so a second derivative would be silently wrong: backward
    refuses ``create_graph=True`` with a clear error (``to_torch(second_order=True)``
    takes the saved-input function, which has one).

    float16/bfloat16 inputs are converted here, not by autograd around the function:
    backward then multiplies the float32 copy of the cotangent in place and rounds once.
    """

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, act: Activation) -> torch.Tensor:  # type: ignore[override]
        inside = x.float() if x.dtype in _LOW_PRECISION else x
        if not ctx.needs_input_grad[0]:  # inference: no derivative to compute
            y = act.forward(inside, act.params, torch_backend())
        else:
            y, dy = act.value_and_grad(inside, act.params, torch_backend())
            ctx.save_for_backward(dy)
            ctx.act_name = act.name
        return y.to(x.dtype) if inside is not x else y

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> tuple[torch.Tensor, None]:  # type: ignore[override]
        if torch.is_grad_enabled():  # create_graph=True: a second derivative is wanted
            raise RuntimeError(
                f"actlab {ctx.act_name}: this module saves f'(x), not x, so it has no second "
                f"derivative; use actlab.get({ctx.act_name!r}).to_torch(second_order=True)")
        (dy,) = ctx.saved_tensors
        if grad_out.dtype in _LOW_PRECISION:
            return grad_out.float().mul_(dy).to(grad_out.dtype), None
        return grad_out * dy, None


class SavedInputParamFunction(torch.autograd.Function):
    """y = f(x; θ) for learnable scalar parameters θ; saves x (and the 0-d θ) alone and
    computes the gradients of x and θ from the entry's analytic partial derivatives."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, act: Activation, names: tuple[str, ...],
                *values: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(x, *values)
        ctx.act, ctx.names = act, names
        return act.forward(x, _with_values(act, names, values), torch_backend())

    @staticmethod
    def backward(ctx: Any, grad_out: torch.Tensor) -> tuple[torch.Tensor | None, ...]:
        x, *values = ctx.saved_tensors
        act: Activation = ctx.act
        p = _with_values(act, ctx.names, values)
        xp = torch_backend()
        grad_x = act.vjp_(x, grad_out, p, xp)
        partials = act.param_grads(x, grad_out, p, xp) or {}
        grad_values = tuple(partials[name].sum().reshape(value.shape).to(value.dtype)
                            for name, value in zip(ctx.names, values, strict=True))
        return (grad_x, None, None, *grad_values)


def _with_values(act: Activation, names: tuple[str, ...],
                 values: tuple[torch.Tensor, ...] | list[torch.Tensor]) -> dict[str, Any]:
    """The entry's parameters with the learnable ones at the tensors' current values."""
    params: dict[str, Any] = dict(act.params)
    for name, value in zip(names, values, strict=True):
        params[name] = float(value)
    return params


class ActivationModule(nn.Module):
    """A catalogue entry as a module; learnable parameters become ``nn.Parameter``."""

    # set in __init__; the class default serves modules pickled before it existed (they
    # take the saved-input function, which computes the same numbers)
    _saves_derivative: bool = False

    def __init__(self, act: Activation, second_order: bool = False) -> None:
        super().__init__()
        self.act = act
        self._learnable = [p.name for p in act.parameters if p.learnable]
        for name in self._learnable:
            value = torch.tensor(float(act.params[name]), dtype=torch.float32)
            self.register_parameter(name, nn.Parameter(value))
        # learnable parameters with analytic partial derivatives: one autograd function
        # (saving x alone) instead of autograd through every step of the formula
        self._analytic_params = type(act).param_grads is not Activation.param_grads
        # dtype -> PyTorch's own module where it is exact for that dtype only (a plain
        # dict: not registered as submodules, so print(model) and state_dict are unchanged)
        self._native_for: dict[torch.dtype, nn.Module] = {}
        if not self._learnable:
            for dtype in (torch.float32, torch.float64):
                native = act.torch_native_for(dtype)
                if native is not None:
                    self._native_for[dtype] = native
        self._saves_derivative = (act.saves_derivative and not self._learnable
                                  and not self._native_for and not second_order)
        self._native_unless_nan = None if self._learnable else act.torch_native_unless_nan()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        native_unless_nan = getattr(self, "_native_unless_nan", None)  # older pickles lack it
        if native_unless_nan is not None and not has_non_finite(x):
            return native_unless_nan(x)  # exact on finite inputs, in every float dtype
        # converts float16/bfloat16 itself.  Inference (no_grad, or an input without
        # grad) takes the plain path below: inside the function grad mode is always off,
        # so it could not tell a no_grad call from training and would compute f'(x)
        if self._saves_derivative and torch.is_grad_enabled() and x.requires_grad:
            return SavedDerivativeFunction.apply(x, self.act)
        in_dtype = x.dtype
        if in_dtype in _LOW_PRECISION:
            x = x.float()
        native = self._native_for.get(x.dtype)
        if native is not None:
            y = native(x)
        elif self._learnable and self._analytic_params:
            values = [getattr(self, name).to(x.dtype) for name in self._learnable]
            y = SavedInputParamFunction.apply(x, self.act, tuple(self._learnable), *values)
        elif self._learnable:
            params: dict[str, Any] = dict(self.act.params)
            for name in self._learnable:
                params[name] = getattr(self, name).to(x.dtype)
            y = self.act.forward(x, params, torch_backend())
        else:
            y = SavedInputFunction.apply(x, self.act)
        return y.to(in_dtype) if in_dtype in _LOW_PRECISION else y

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v!r}" for k, v in self.act.params.items())

    def _get_name(self) -> str:  # shows as e.g. "Mish(...)" in print(model)
        return "".join(part.capitalize() for part in self.act.name.split("_"))


def to_module(act: Activation, second_order: bool = False) -> nn.Module:
    """Native module where PyTorch has the exact function, else :class:`ActivationModule`
    (``second_order``: never the saved-derivative function, which has no second
    derivative)."""
    native = act.torch_native()
    return native if native is not None else ActivationModule(act, second_order)
