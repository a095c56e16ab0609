"""The NumPy API's PyTorch route in the fewest native kernels, for the sigmoid family.

Where one PyTorch kernel (or two) computes an entry's value or derivative to the
accuracy contract, the route runs just that on the caller's memory instead of the
native module's autograd (forward + backward for a derivative) or the formula's
passes:

* σ'(x) = s − s² with s = σ(−|x|) <= 1/2 (no cancellation: s² <= s/2);
* softplus'(x) = σ(βx) and log σ'(x) = σ(−x): ``softplus_backward(1, x, β, t)``
  evaluates z/(z+1), z = e^(βx), and returns 1 where βx > t (σ(40) rounds to 1);
* x·σ(βx) (silu, quick_gelu, swish) is ``softplus_backward(x, x, β, 40)``: one pass;
* d/dx x·σ(βx) = silu'(βx) = σ(z)(1 + z(1 − σ(z))) at z = βx is
  ``silu_backward(1, z)``: the rounding of 1 − σ(z) costs |z|·ε absolutely on a value
  near 1 (at most 40ε, where σ(z) has not rounded to 1), within the contract;
* gelu: Φ(x) = erfc(−x/√2)/2 in place, one temporary (its derivative adds x·φ(x)).

These kernels give inf·0 = NaN at x = ±inf (and where βx overflows): a sum over the
input (one light reduction) tells whether there is any, and only then those elements
are recomputed with the entry's formula, which takes the limits.  The accuracy tests
run every entry through this route (tests/catalogue/test_torch_route.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import torch
import torch.nn.functional as F

from actlab.catalogue.smooth import QUICK_GELU_SCALE
from actlab.catalogue.torch_backend import (
    SIGMOID_SATURATES,
    add_x_normal_pdf_,
    filled_like,
    gated_sigmoid,
    has_non_finite,
    normal_cdf,
    silu_prime_times,
    symmetric_sigmoid_prime,
)

Tensor = torch.Tensor
Params = Mapping[str, Any]
Kernel = Callable[[Tensor, Params], Tensor | None]

_softplus_backward = torch.ops.aten.softplus_backward


def sigmoid_prime(t: Tensor, p: Params) -> Tensor:
    return symmetric_sigmoid_prime(t)


def log_sigmoid_prime(t: Tensor, p: Params) -> Tensor:
    return _softplus_backward(filled_like(1.0, t), t, -1.0, SIGMOID_SATURATES)


def _softplus_threshold(p: Params) -> float | None:
    """The kernel threshold that gives the entry's function, or None (the formula)."""
    t = p["threshold"]
    if t is None:
        return SIGMOID_SATURATES
    return float(t) if t <= SIGMOID_SATURATES else None  # past 40, e^(βx) may overflow


def softplus(t: Tensor, p: Params) -> Tensor | None:
    threshold = _softplus_threshold(p)
    return None if threshold is None else F.softplus(t, p["beta"], threshold)


def softplus_prime(t: Tensor, p: Params) -> Tensor:
    # σ(βx), 1 where βx > threshold; above 40 σ(βx) has rounded to 1 anyway
    threshold = p["threshold"]
    cut = SIGMOID_SATURATES if threshold is None else min(threshold, SIGMOID_SATURATES)
    return _softplus_backward(filled_like(1.0, t), t, p["beta"], cut)


def gated_sigmoid_prime(t: Tensor, beta: float) -> Tensor | None:
    """silu'(βx) = σ(z)(1 + z σ(−z)), z = βx; None where z holds ±inf or NaN."""
    z, over_z = (t, False) if beta == 1.0 else (torch.mul(t, beta), True)
    return silu_prime_times(filled_like(1.0, t), z, over_z=over_z)


def silu(t: Tensor, p: Params) -> Tensor | None:
    return None if has_non_finite(t) else F.silu(t)


def gelu(t: Tensor, p: Params) -> Tensor | None:
    if p["approximate"] != "none" or has_non_finite(t):
        return None
    return normal_cdf(t).mul_(t)  # x·Φ(x), Φ·x last (Φ <= 1: no overflow)


def gelu_prime(t: Tensor, p: Params) -> Tensor | None:
    if p["approximate"] != "none" or has_non_finite(t):
        return None
    return add_x_normal_pdf_(normal_cdf(t), t)


# entry -> (value, derivative) kernels; each returns None where the route's default
# (PyTorch's module, else the formula) must serve
KERNELS: dict[str, tuple[Kernel | None, Kernel | None]] = {
    "sigmoid": (lambda t, p: torch.sigmoid(t), sigmoid_prime),
    "log_sigmoid": (lambda t, p: F.logsigmoid(t), log_sigmoid_prime),
    "softplus": (softplus, softplus_prime),
    "silu": (silu, lambda t, p: gated_sigmoid_prime(t, 1.0)),
    "quick_gelu": (lambda t, p: gated_sigmoid(t, QUICK_GELU_SCALE),
                   lambda t, p: gated_sigmoid_prime(t, QUICK_GELU_SCALE)),
    "swish": (lambda t, p: gated_sigmoid(t, p["beta"]),
              lambda t, p: gated_sigmoid_prime(t, p["beta"])),
    "gelu": (gelu, gelu_prime),
}
