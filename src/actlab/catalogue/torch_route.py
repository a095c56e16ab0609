"""The NumPy API on PyTorch's kernels, for large inputs.

NumPy's transcendental kernels are mostly scalar (erfc, expit, log1p, tanh) while
PyTorch's CPU kernels are vectorised and multi-threaded.  From ``TORCH_MIN_SIZE``
elements on, ``act(x)``, ``act.derivative(x)`` and ``act.vjp(x, g)`` run on tensors
that view the caller's arrays (``torch.from_numpy`` copies nothing) and return the
result's memory as a NumPy array.  Below that size NumPy's lower call overhead wins.

Entries with a few-kernel path (torch_route_kernels.py: the sigmoid family, gelu) run
just that: their derivative without autograd's forward + backward.  Otherwise, where
PyTorch's own module computes the entry (``torch_native()``), its fused kernel
gives the value and its autograd backward the derivative, and the few non-finite
and huge inputs (rare) are recomputed with the catalogue's formula, which takes the
limits the contract promises (PyTorch's kernels can give inf·0 = NaN or overflow an
intermediate there); elsewhere the
entry's formula runs on the PyTorch back end.  Every route meets the same accuracy
criterion (tests/catalogue/test_torch_route.py).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch

    from actlab.catalogue.activation import Activation

TORCH_MIN_SIZE = 4096

# (entry, dtype) whose NumPy formula is faster than the PyTorch route on large inputs:
# NumPy's SIMD tanh, exp, sin, arctan, log1p beat PyTorch's CPU kernels (float32 tanh
# and arctan by ~7x), while PyTorch wins wherever a formula needs expit, erfc or a fused
# kernel.  Measured with `python benchmarks/catalogue.py --routes` (10^6 elements, one
# thread, forward + derivative); re-measure when either library changes.  Since the PyTorch
# back end runs NumPy's kernels for tanh, exp, ... itself (torch_numpy_kernels.py), the
# route matters less for those; only flips seen in two runs by more than 20% were taken
# (2026-12-02: exponential, and hard_sigmoid and piecewise_linear in float32, to PyTorch; mish
# to NumPy; after the select-free formulas of squareplus, bent_identity and sin: bent_identity
# and float64 squareplus to NumPy, float32 sin to PyTorch, whose route runs NumPy's sin anyway).
NUMPY_FASTER: frozenset[tuple[str, str]] = frozenset({
    *(("arctan", d) for d in ("float32", "float64")),
    *(("bent_identity", d) for d in ("float32", "float64")),
    *(("bipolar_step", d) for d in ("float32", "float64")),
    *(("celu", d) for d in ("float32",)),
    *(("elu", d) for d in ("float32",)),
    *(("gaussian", d) for d in ("float32", "float64")),
    *(("hard_mish", d) for d in ("float32", "float64")),
    *(("hard_sigmoid", d) for d in ("float64",)),
    *(("hard_tanh", d) for d in ("float32", "float64")),
    *(("heaviside", d) for d in ("float32", "float64")),
    *(("isru", d) for d in ("float32", "float64")),
    *(("lisht", d) for d in ("float32", "float64")),
    *(("log1mexp", d) for d in ("float32", "float64")),
    *(("mish", d) for d in ("float32", "float64")),
    *(("piecewise_linear", d) for d in ("float64",)),
    *(("prelu", d) for d in ("float32", "float64")),
    *(("relu", d) for d in ("float32", "float64")),
    *(("snake", d) for d in ("float32",)),
    *(("softsign", d) for d in ("float32", "float64")),
    *(("sparse_plus", d) for d in ("float32", "float64")),
    *(("sparse_sigmoid", d) for d in ("float32", "float64")),
    *(("squareplus", d) for d in ("float32", "float64")),
    *(("tanh", d) for d in ("float32", "float64")),
    *(("tanh_shrink", d) for d in ("float32", "float64")),
})


def takes(act: Activation, arr: np.ndarray) -> bool:
    """Whether the NumPy API computes ``act`` on ``arr`` through PyTorch."""
    return arr.size >= TORCH_MIN_SIZE and (act.name, arr.dtype.name) not in NUMPY_FASTER


def _as_tensor(arr: np.ndarray) -> torch.Tensor:
    """A tensor viewing ``arr``'s memory (a copy only for layouts torch cannot view)."""
    import torch

    if not arr.dtype.isnative or any(s <= 0 for s in arr.strides):
        arr = np.ascontiguousarray(arr)  # byte-swapped, reversed or broadcast (stride 0)
    if arr.flags.writeable:
        return torch.from_numpy(arr)
    # torch warns that it cannot mark the tensor read-only; nothing here writes into
    # an input, so the warning is noise
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return torch.from_numpy(arr)


def _to_numpy(y: Any, inputs: list[torch.Tensor], arrays: tuple[np.ndarray, ...]) -> Any:
    import torch

    if not isinstance(y, torch.Tensor):
        return np.asarray(y)  # a formula may return a constant
    if y.data_ptr() == inputs[0].data_ptr() and y.shape == inputs[0].shape:
        return arrays[0]  # the input itself (identity): keep the caller's array and flags
    return y.detach().numpy()


def _formula(fn: Callable[..., Any], *arrays: np.ndarray) -> Any:
    """fn(tensors..., torch back end) on views of ``arrays``; the result as NumPy."""
    from actlab.catalogue.backend import torch_backend

    tensors = [_as_tensor(a) for a in arrays]
    return _to_numpy(fn(*tensors, torch_backend()), tensors, arrays)


@functools.lru_cache(maxsize=256)
def native_module(act: Activation, dtype: torch.dtype) -> torch.nn.Module | None:
    """PyTorch's own module for an elementwise entry without learnable parameters on
    ``dtype`` inputs, in evaluation mode (rrelu: the mean slope), or None."""
    if not act.elementwise or any(p.learnable for p in act.parameters):
        return None
    module = act.torch_native() or act.torch_native_for(dtype)
    if module is None or any(True for _ in module.parameters()):
        return None
    return module.eval()


# |x| beyond which PyTorch's kernels may overflow an intermediate (hardswish's x·(x + 3)
# past 1.8e19 in float32); the catalogue's formulas are arranged never to
HUGE = 1e15


def _patch_extremes(out: torch.Tensor, t: torch.Tensor,
                    formula: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """out, with formula(t) where t is NaN, ±inf or beyond ±HUGE (rare: a cheap check)."""
    import torch

    if t.numel() == 0:
        return out
    low, high = torch.aminmax(t)  # one reduction; NaN propagates into both
    if -HUGE <= float(low) and float(high) <= HUGE:
        return out
    bad = ~(t.abs() <= HUGE)
    out = out.clone()
    out[bad] = formula(t[bad]).to(out.dtype)
    return out


def _kernel(act: Activation, which: int, t: torch.Tensor) -> torch.Tensor | None:
    """The entry's value (which = 0) or derivative (1) from its few-kernel path
    (torch_route_kernels), or None."""
    from actlab.catalogue.torch_route_kernels import KERNELS

    kernels = KERNELS.get(act.name)
    kernel = None if kernels is None else kernels[which]
    return None if kernel is None else kernel(t, act.params)


def forward(act: Activation, arr: np.ndarray) -> Any:

    from actlab.catalogue.backend import torch_backend

    t = _as_tensor(arr)
    y = _kernel(act, 0, t)
    if y is not None:
        return y.numpy()
    native = native_module(act, t.dtype)
    if native is None:
        return _formula(lambda t, xp: act.forward(t, act.params, xp), arr)
    y = native(t)  # t does not require grad: no graph (a no_grad block costs more)
    y = _patch_extremes(y, t, lambda v: act.forward(v, act.params, torch_backend()))
    return _to_numpy(y, [t], (arr,))


def derivative(act: Activation, arr: np.ndarray) -> Any:
    import torch

    from actlab.catalogue.backend import torch_backend
    from actlab.catalogue.torch_backend import filled_like

    t = _as_tensor(arr)
    dy = _kernel(act, 1, t)
    if dy is not None:
        return dy.numpy()
    native = native_module(act, t.dtype)
    if native is None:
        return _formula(lambda t, xp: act.grad(t, act.params, xp), arr)
    x = t.detach().requires_grad_(True)  # a new leaf on the same memory
    with torch.enable_grad():
        y = native(x)
    (dy,) = torch.autograd.grad(y, x, filled_like(1.0, y))  # ones without a ones array
    dy = _patch_extremes(dy, t, lambda v: act.grad(v, act.params, torch_backend()))
    return _to_numpy(dy, [t], (arr,))


def vjp(act: Activation, arr: np.ndarray, g: np.ndarray) -> Any:
    return _formula(lambda t, tg, xp: act.vjp_(t, tg, act.params, xp), arr, g)
