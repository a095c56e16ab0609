"""Fast NumPy kernels for the NumPy API of the piecewise-linear entries and the
exponential rectifiers (ELU, CELU, SELU).

A piecewise-linear entry's formula, written once for NumPy and PyTorch (``forward``,
``grad``), is a chain of comparisons, masks and selects: on a million elements each
is a pass over memory, and ``np.where`` on a mask of random signs mispredicts half its
branches.  The entries' ``numpy_forward`` / ``numpy_grad`` compute the same values with
the fewest NumPy passes, each writing into one fresh output, using a few exact
identities:

* ``np.clip`` with scalar bounds is NumPy's fastest kernel here (its loop is SIMD,
  ``np.maximum``'s with a scalar is not: ~3x faster in float32, ~1.6x in float64),
  and keeps NaN; called as the method ``x.clip``, which skips
  ``np.clip``'s dispatch (~1.5 µs a call);
* a step [x > 0] is ``clip(ceil(x), 0, 1)``: ``ceil`` sends every positive float,
  however small, to at least 1 and every other one to at most -0.0; NaN stays NaN, so
  no separate NaN pass.  ``np.heaviside`` does it in one call, but ~20x slower;
* [x > 0]·(1 - s) + s for 0 < s <= 1 (a leaky slope) is ``clip(ceil(x), s, 1)``;
* ``+ 0.0`` turns -0.0 into +0.0 and changes nothing else, where a clip or a product
  leaves a -0.0 that the formula returns as +0.0;
* a comparison written into a float output loses NaN: ``restore_nan`` puts it back,
  after one cheap ``max`` reduction says whether there is any;
* where PyTorch has one CPU kernel for what takes NumPy several passes, that kernel runs
  on the array's memory (``torch.from_numpy`` copies nothing) and writes into the fresh
  NumPy output, for contiguous arrays of ``TORCH_MIN_SIZE`` elements or more: an
  open-interval indicator is ``hardtanh_backward`` over the value broadcast from one
  element (its grad where lo < x < hi, else 0), [|x| > λ] ``hardshrink_backward``; the
  hard sigmoid, the hard shrink, float32 sign and float64 max(x, s·x) are PyTorch's
  ``hardsigmoid``, ``hardshrink``, ``sign`` and ``leaky_relu`` kernels.  The backward
  kernels send NaN to their grad (a comparison with NaN is false), so NaN is restored
  after them as after a comparison.  Kept only where the NumPy API benchmark measured
  them faster (a kernel plus the NaN reduction reads x twice; on a cold cache NumPy's
  in-place passes over a hot output can win: [x > t], [x >= t], 2·max(x, 0) stayed).

Every fast path returns exactly the bits of the entry's formula on the NumPy back end,
except that a NaN may carry another payload, and sparse_plus's forward, within 1 ulp
(see there); tests/catalogue/test_numpy_fast.py holds them to it.
They take float32 or float64 arrays of any shape (0-d included) and never warn.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch

NDArray = np.ndarray[Any, Any]
INF = float("inf")

# From this size on one PyTorch kernel beats NumPy's chain of passes; below it the
# kernel's call overhead (~10 µs, and torch's import on first use) does not pay
TORCH_MIN_SIZE = 4096


def _as_tensors(x: NDArray, out: NDArray) -> tuple[torch.Tensor, torch.Tensor] | None:
    """Tensors on the memory of x and of the fresh ``out``, or None where the NumPy
    path is the better one (small arrays, non-contiguous or byte-swapped layouts)."""
    if x.size < TORCH_MIN_SIZE or not x.flags.c_contiguous or not x.dtype.isnative:
        return None
    import torch

    with warnings.catch_warnings():  # torch cannot mark a tensor read-only: nothing writes x
        warnings.simplefilter("ignore", UserWarning)
        return torch.from_numpy(x), torch.from_numpy(out)


def _torch_kernel(x: NDArray,
                  kernel: Callable[[torch.Tensor, torch.Tensor], object]) -> NDArray | None:
    """kernel(x, out) on tensors viewing x and a fresh output, which is returned; None
    where the NumPy path is the better one (see ``_as_tensors``)."""
    out = np.empty_like(x)
    tensors = _as_tensors(x, out)
    if tensors is None:
        return None
    kernel(*tensors)
    return out


def _broadcast(value: float, t: torch.Tensor) -> torch.Tensor:
    """``value`` in t's shape and dtype, from one element (imported late: this module
    loads without torch)."""
    from actlab.catalogue.torch_backend import filled_like

    return filled_like(value, t)


def _aten() -> Any:
    import torch

    return torch.ops.aten


def restore_nan(x: NDArray, out: NDArray) -> NDArray:
    """out, with NaN wherever x is NaN (NaN is rare: one reduction decides)."""
    largest = np.maximum.reduce(x, axis=None) if x.size else 0.0
    if largest != largest:  # NaN (np.isnan on a scalar costs a ufunc call)
        np.copyto(out, x, where=np.isnan(x))
    return out


# Below this size one np.maximum call costs less than a clip and an add (their call
# overhead); above it np.maximum's slower loop (~3x a clip per element) costs more.
SMALL = 8192


def relu(x: NDArray) -> NDArray:
    """max(x, 0) with max(-0.0, 0) = +0.0: ``np.maximum(x, 0.0)``, or in ~half its time a
    clip, whose -0.0 + 0.0 is +0.0."""
    if x.size < SMALL:
        return np.maximum(x, 0.0, out=np.empty_like(x))
    out = x.clip(0.0, INF, out=np.empty_like(x))
    return np.add(out, 0.0, out=out)


def step_up(x: NDArray, t: float = 0.0) -> NDArray:
    """1.0 where x > t, else +0.0; NaN -> NaN."""
    if t != 0.0:
        out = np.greater(x, t, out=np.empty_like(x))
        return restore_nan(x, out)
    out = np.ceil(x, out=np.empty_like(x))
    out.clip(0.0, 1.0, out=out)
    return np.add(out, 0.0, out=out)  # ceil(-0.5) = -0.0


def step_at_least(x: NDArray, t: float) -> NDArray:
    """1.0 where x >= t, else +0.0; NaN -> NaN."""
    return restore_nan(x, np.greater_equal(x, t, out=np.empty_like(x)))


def sign(x: NDArray) -> NDArray:
    """-1, 0 or 1 (±0.0 -> +0.0); NaN -> NaN: ``np.sign``, except for large float32 arrays
    PyTorch's sign (NumPy's float32 loop is not vectorised) with NaN restored, as
    torch.sign maps it to 0.  (In float64 np.sign was as fast: kept.)"""
    import torch

    out = None
    if x.dtype == np.float32:
        out = _torch_kernel(x, lambda tx, to: torch.sign(tx, out=to))
    if out is None:
        return np.sign(x, out=np.empty_like(x))
    return restore_nan(x, out)


def hard_shrink(x: NDArray, lambd: float) -> NDArray:
    """+0.0 where |x| <= λ, else x (NaN stays NaN): one pass of PyTorch's hardshrink;
    small or non-contiguous arrays ``np.where`` (whose branches cost less there)."""
    out = _torch_kernel(x, lambda tx, to: _aten().hardshrink.out(tx, lambd, out=to))
    return np.where(np.abs(x) <= lambd, 0.0, x) if out is None else out


def two_slopes(x: NDArray, slope: float) -> NDArray:
    """x for x > 0, slope·x below, for 0 < slope <= 1: PyTorch's leaky_relu kernel (that
    select, one pass), or max(x, slope·x) (two NumPy passes, the same values)."""
    if x.dtype == np.float64:  # in float32 the two NumPy passes were as fast
        fast = _torch_kernel(x, lambda tx, to: _aten().leaky_relu.out(tx, slope, out=to))
        if fast is not None:
            return fast
    out = np.multiply(x, slope, out=np.empty_like(x))
    return np.maximum(x, out, out=out)


def two_slopes_derivative(x: NDArray, slope: float) -> NDArray:
    """1 for x > 0, slope for x <= 0 (0 < slope <= 1); NaN -> NaN."""
    out = np.ceil(x, out=np.empty_like(x))
    return out.clip(slope, 1.0, out=out)


def inside(x: NDArray, lo: float, hi: float, value: float = 1.0) -> NDArray:
    """``value`` on the open interval (lo, hi), +0.0 outside and at its ends; NaN -> NaN.

    Large arrays: one pass of PyTorch's ``hardtanh_backward`` (its ``grad`` where
    lo < x < hi, else 0) over ``value`` broadcast from one element, where NumPy needs
    three to five (10^6 elements: 0.16 against 0.30 ms in float32, 0.44 against 1.07
    in float64); it sends NaN to ``grad``, so NaN is restored as after a comparison."""
    fast = _torch_kernel(x, lambda tx, to: _aten().hardtanh_backward.grad_input(
        _broadcast(value, tx), tx, lo, hi, grad_input=to))
    if fast is not None:
        return restore_nan(x, fast)
    out = np.empty_like(x)
    if lo == -hi:  # a symmetric interval: one comparison of |x|
        np.abs(x, out=out)
        np.less(out, hi, out=out)
    else:
        mask = np.greater(x, lo, out=np.empty(x.shape, dtype=bool))  # an array also if 0-d
        np.logical_and(mask, np.less(x, hi), out=mask)
        np.copyto(out, mask)
    if value != 1.0:
        np.multiply(out, value, out=out)
    return restore_nan(x, out)


def hard_sigmoid(x: NDArray) -> NDArray:
    """clip(x + 3, 0, 6)/6: large arrays in one pass of PyTorch's ``hardsigmoid``, which
    computes it in that order (the same bits; 0.13 against 0.30 ms at 10^6 in float32,
    0.35 against 0.83 in float64), else three NumPy passes."""
    fast = _torch_kernel(x, lambda tx, to: _aten().hardsigmoid.out(tx, out=to))
    if fast is not None:
        return fast
    out = np.empty_like(x)
    np.add(x, 3.0, out=out)
    out.clip(0.0, 6.0, out=out)
    return np.divide(out, 6.0, out=out)


def outside(x: NDArray, half_width: float) -> NDArray:
    """1.0 where |x| > half_width, +0.0 elsewhere; NaN -> NaN (the shrinks' derivative)."""
    ones = _torch_kernel(x, lambda tx, to: _aten().hardshrink_backward.grad_input(
        _broadcast(1.0, tx), tx, half_width, grad_input=to))
    if ones is not None:
        return restore_nan(x, ones)
    out = np.abs(x, out=np.empty_like(x))
    np.greater(out, half_width, out=out)
    return restore_nan(x, out)


def shift_clip(x: NDArray, shift: float, lo: float, hi: float) -> NDArray:
    """clip(x + shift, lo, hi): the ramps (x + shift is exact near the foot)."""
    out = np.add(x, shift, out=np.empty_like(x))
    return out.clip(lo, hi, out=out)


def gated_ramp(x: NDArray, shift: float, top: float, scale: float) -> NDArray:
    """x·(clip(x + shift, 0, top)·scale), +0.0 for x <= -shift (-inf included), -0.0 at
    -0.0: the hard mish (2, 2, 1/2).  The gate is computed as clip(-shift - x, -top, 0)
    times -scale, the same magnitude, but -0.0 below the ramp, so that x·gate is +0.0
    there without a pass to fix the sign."""
    out = np.subtract(-shift, x, out=np.empty_like(x))
    out.clip(-top, 0.0, out=out)
    np.multiply(out, -scale, out=out)
    with np.errstate(invalid="ignore"):  # -inf·0, replaced below
        np.multiply(out, x, out=out)
    lowest = np.minimum.reduce(x, axis=None) if x.size else 0.0
    if lowest == -INF or lowest != lowest:  # rare (NaN hides a -inf): one reduction decides
        np.copyto(out, 0.0, where=x == -INF)
    return out


def exp_linear(x: NDArray, inner: float, outer: float, slope: float = 1.0) -> NDArray:
    """outer·expm1(min(x, 0)/inner) + slope·max(x, 0), without a select: each term is ±0
    where the other one applies (ELU: inner 1, outer α; CELU: α, α; SELU: 1, λα, λ)."""
    with np.errstate(over="ignore"):  # x/inner and slope·x may round to ±inf, as the formula
        neg = x.clip(-INF, 0.0, out=np.empty_like(x))
        np.add(neg, 0.0, out=neg)  # min(-0.0, 0.0) is +0.0 in the formula
        if inner != 1.0:
            np.divide(neg, inner, out=neg)
        np.expm1(neg, out=neg)
        if outer != 1.0:
            np.multiply(neg, outer, out=neg)
        # -0.0 below 0, so that a -0.0 from neg (an underflow) stays -0.0 as in the formula
        pos = x.clip(-0.0, INF, out=np.empty_like(x))
        if slope != 1.0:
            np.multiply(pos, slope, out=pos)
        return np.add(neg, pos, out=neg)


def exp_linear_derivative(x: NDArray, inner: float) -> NDArray:
    """exp(min(x, 0)/inner): 1 for x > 0 and e^(x/inner) below (ELU with α = 1, CELU)."""
    d = x.clip(-INF, 0.0, out=np.empty_like(x))
    if inner != 1.0:
        with np.errstate(over="ignore"):
            np.divide(d, inner, out=d)
    return np.exp(d, out=d)


def exp_linear_jump_derivative(x: NDArray, outer: float, slope: float) -> NDArray:
    """slope for x > 0, outer·e^x for x <= 0 (SELU: λ and λα): with m = [x > 0] from
    ``step_up``, outer·e^min(x, 0)·(1 - m) + slope·m, exact since m is 0 or 1."""
    m = np.ceil(x, out=np.empty_like(x))
    m.clip(0.0, 1.0, out=m)  # [x > 0], -0.0 for x in (-1, 0]: harmless in 1 - m and slope·m
    d = x.clip(-INF, 0.0, out=np.empty_like(x))
    np.exp(d, out=d)
    np.multiply(d, outer, out=d)
    d *= np.subtract(1.0, m)
    np.multiply(m, slope, out=m)
    return np.add(d, m, out=d)
