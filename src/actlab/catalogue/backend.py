"""Array back ends: one formula, written once, runs on NumPy and on PyTorch.

Every catalogue entry writes its forward and derivative against the small
namespace ``xp`` defined here, so the NumPy reference and the PyTorch
autograd function evaluate the very same expression.  Only operations whose
names or signatures differ between the two libraries live here; the helpers
``sigmoid`` and ``softplus`` are written once, on top of the primitives, in
their numerically stable forms.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.special as sc

Array = Any  # np.ndarray or torch.Tensor; kept loose so formulas type-check on both


# np.where branches on every element: on a mask of random signs (an activation's input)
# half the branches are mispredicted, which makes it ~10x slower than a copy.  Selecting
# the bits instead, b ^ ((a ^ b) & mask) on the integer views, has no branch at all and
# gives the very same bits (NaN payloads and signed zeros included).
_SELECT_MIN_SIZE = 4096  # below this np.where's lower call overhead wins
_SAME_WIDTH_INT = {np.dtype(np.float32): np.int32, np.dtype(np.float64): np.int64}


def _select(cond: Array, a: Array | float, b: Array | float) -> Array:
    """np.where(cond, a, b), branch-free for large float32/float64 selections."""
    if np.size(cond) < _SELECT_MIN_SIZE:
        return np.where(cond, a, b)
    dtype = np.result_type(a, b)
    int_type = _SAME_WIDTH_INT.get(dtype)
    if int_type is None:
        return np.where(cond, a, b)
    a_bits = np.asarray(a, dtype=dtype).view(int_type)
    b_bits = np.asarray(b, dtype=dtype).view(int_type)
    mask = np.asarray(cond).astype(int_type)  # 1 / 0
    np.negative(mask, out=mask)  # all bits set / none
    if mask.shape != np.broadcast_shapes(mask.shape, a_bits.shape, b_bits.shape):
        return np.where(cond, a, b)  # cond smaller than a or b: rare, not worth the code
    np.bitwise_and(mask, np.bitwise_xor(a_bits, b_bits), out=mask)
    np.bitwise_xor(mask, b_bits, out=mask)
    return mask.view(dtype)


class Backend:
    """Primitive operations shared by NumPy and PyTorch (NumPy implementation)."""

    name = "numpy"

    # --- elementary functions -------------------------------------------------
    exp = staticmethod(np.exp)
    expm1 = staticmethod(np.expm1)
    log = staticmethod(np.log)
    log1p = staticmethod(np.log1p)
    sqrt = staticmethod(np.sqrt)
    tanh = staticmethod(np.tanh)
    cosh = staticmethod(np.cosh)
    sin = staticmethod(np.sin)
    cos = staticmethod(np.cos)
    arctan = staticmethod(np.arctan)
    erf = staticmethod(sc.erf)
    erfc = staticmethod(sc.erfc)
    abs = staticmethod(np.abs)
    sign = staticmethod(np.sign)
    square = staticmethod(np.square)
    isnan = staticmethod(np.isnan)
    isinf = staticmethod(np.isinf)
    hypot = staticmethod(np.hypot)

    # --- structure -------------------------------------------------------------
    @staticmethod
    def where(cond: Array, a: Array | float, b: Array | float) -> Array:
        return _select(cond, a, b)

    @staticmethod
    def maximum(x: Array, y: Array | float) -> Array:
        return np.maximum(x, y)

    @staticmethod
    def minimum(x: Array, y: Array | float) -> Array:
        return np.minimum(x, y)

    @staticmethod
    def clip(x: Array, lo: float | None, hi: float | None) -> Array:
        return np.clip(x, lo, hi)

    @staticmethod
    def zeros_like(x: Array) -> Array:
        return np.zeros_like(x)

    @staticmethod
    def ones_like(x: Array) -> Array:
        return np.ones_like(x)

    @staticmethod
    def full_like(x: Array, value: float) -> Array:
        return np.full_like(x, value)

    @staticmethod
    def astype_like(cond: Array, x: Array) -> Array:
        """Boolean mask -> 0/1 array in the dtype of ``x``."""
        return cond.astype(x.dtype)

    # reductions along one axis, keeping the axis (for vector-valued entries)
    @staticmethod
    def amax(x: Array, axis: int) -> Array:
        return np.max(x, axis=axis, keepdims=True)

    @staticmethod
    def sum(x: Array, axis: int) -> Array:
        return np.sum(x, axis=axis, keepdims=True)

    @staticmethod
    def split_halves(x: Array, axis: int) -> tuple[Array, Array]:
        a, b = np.split(x, 2, axis=axis)
        return a, b

    @staticmethod
    def concat(parts: list[Array], axis: int) -> Array:
        return np.concatenate(parts, axis=axis)

    @staticmethod
    def sort_desc(x: Array, axis: int) -> Array:
        return -np.sort(-x, axis=axis)

    @staticmethod
    def cumsum(x: Array, axis: int) -> Array:
        return np.cumsum(x, axis=axis)

    @staticmethod
    def arange_like(x: Array, axis: int) -> Array:
        """1, 2, ..., n along ``axis``, broadcastable against ``x``."""
        n = x.shape[axis]
        shape = [1] * x.ndim
        shape[axis] = n
        return np.arange(1, n + 1, dtype=x.dtype).reshape(shape)

    @staticmethod
    def keep_nan(x: Array, y: Array) -> Array:
        """y, with NaN wherever x is NaN (comparisons send NaN to the wrong branch).

        NaN inputs are rare: one cheap isnan pass decides, and y is returned as it is
        when there are none."""
        nan = np.isnan(x)
        if not nan.any() and isinstance(y, np.ndarray) and y.shape == np.shape(x) \
                and y.dtype == np.result_type(x, y):
            return y
        return np.where(nan, x, y)

    @staticmethod
    def gated(x: Array, gate: Array) -> Array:
        """x·gate, with 0·(±inf) taken as a zero of the sign of x (the gate's limit wins).

        Only x = ±inf with gate = 0 differs from the plain product: one cheap isinf pass
        decides, and the fix-up runs only when there is an infinite input."""
        y = x * gate
        infinite = np.isinf(x)
        if infinite.any():
            y = np.where(infinite & (gate == 0), gate * np.clip(x, -1.0, 1.0), y)
        return y

    # --- stable compound helpers (written once, on the primitives) -----------------
    def sigmoid(self, x: Array) -> Array:
        """σ(x), from scipy's expit: one fused pass, the same stable formula below."""
        return sc.expit(x)

    def stable_sigmoid(self, x: Array) -> Array:
        """σ(x) = 1/(1+e^-x) with one exp and no overflow: e = e^-|x|."""
        e = self.exp(-self.abs(x))
        r = 1.0 / (1.0 + e)
        return self.where(x >= 0, r, e * r)

    def softplus(self, x: Array) -> Array:
        """log(1+e^x) exactly for every x: max(x,0) + log1p(e^-|x|)."""
        return self.maximum(x, 0.0) + self.log1p(self.exp(-self.abs(x)))

    def log_sigmoid(self, x: Array) -> Array:
        """log σ(x) = -softplus(-x) = min(x,0) - log1p(e^-|x|)."""
        return self.minimum(x, 0.0) - self.log1p(self.exp(-self.abs(x)))

    def sigmoid_prime(self, x: Array) -> Array:
        """σ'(x) = σ(x)σ(-x) = e/(1+e)² with e = e^-|x| (even, accurate in both tails)."""
        e = self.exp(-self.abs(x))
        r = 1.0 / (1.0 + e)
        return e * r * r

    def sigmoid_and_prime(self, x: Array) -> tuple[Array, Array]:
        """(σ(x), σ'(x)) as ``sigmoid`` and ``sigmoid_prime``, sharing their one exp."""
        e = self.exp(-self.abs(x))
        r = 1.0 / (1.0 + e)
        er = e * r
        return self.where(x >= 0, r, er), er * r

    def sech2(self, x: Array) -> Array:
        """sech²(x) = 4e/(1+e)² with e = e^-2|x|, accurate where 1 - tanh² is not."""
        e = self.exp(-2.0 * self.abs(x))
        r = 1.0 / (1.0 + e)
        return 4.0 * e * r * r

    def ndtr(self, x: Array) -> Array:
        """Φ(x), the standard normal CDF, accurate in the lower tail."""
        return 0.5 * self.erfc(-x / math.sqrt(2.0))

    def npdf(self, x: Array) -> Array:
        """φ(x), the standard normal density."""
        return self.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


class TorchBackend(Backend):
    """The same primitives on ``torch.Tensor``."""

    name = "torch"

    def __init__(self) -> None:
        import torch

        self._t = torch
        self.exp = torch.exp  # type: ignore[assignment]
        self.expm1 = torch.expm1  # type: ignore[assignment]
        self.log = torch.log  # type: ignore[assignment]
        self.log1p = torch.log1p  # type: ignore[assignment]
        self.sqrt = torch.sqrt  # type: ignore[assignment]
        self.tanh = torch.tanh  # type: ignore[assignment]
        self.cosh = torch.cosh  # type: ignore[assignment]
        self.sin = torch.sin  # type: ignore[assignment]
        self.cos = torch.cos  # type: ignore[assignment]
        self.arctan = torch.atan  # type: ignore[assignment]
        self.erf = torch.erf  # type: ignore[assignment]
        self.erfc = torch.erfc  # type: ignore[assignment]
        self.abs = torch.abs  # type: ignore[assignment]
        self.sign = torch.sign  # type: ignore[assignment]
        self.square = torch.square  # type: ignore[assignment]
        self.isnan = torch.isnan  # type: ignore[assignment]
        self.isinf = torch.isinf  # type: ignore[assignment]

    def where(self, cond: Array, a: Array | float, b: Array | float) -> Array:  # type: ignore[override]
        return self._t.where(cond, a, b)

    def keep_nan(self, x: Array, y: Array) -> Array:  # type: ignore[override]
        return self._t.where(self._t.isnan(x), x, y)

    def gated(self, x: Array, gate: Array) -> Array:  # type: ignore[override]
        # no data-dependent branch: autograd differentiates this (swish's learnable beta)
        return self._t.where(gate == 0, gate * self._t.clamp(x, -1.0, 1.0), x * gate)

    def sigmoid(self, x: Array) -> Array:
        return self.stable_sigmoid(x)

    def hypot(self, x: Array, y: Array | float) -> Array:
        if not isinstance(y, self._t.Tensor):
            y = self._t.full_like(x, y)
        return self._t.hypot(x, y)

    def maximum(self, x: Array, y: Array | float) -> Array:  # type: ignore[override]
        if isinstance(y, self._t.Tensor):
            return self._t.maximum(x, y)
        return self._t.clamp(x, min=y)

    def minimum(self, x: Array, y: Array | float) -> Array:  # type: ignore[override]
        if isinstance(y, self._t.Tensor):
            return self._t.minimum(x, y)
        return self._t.clamp(x, max=y)

    def clip(self, x: Array, lo: float | None, hi: float | None) -> Array:  # type: ignore[override]
        return self._t.clamp(x, min=lo, max=hi)

    def zeros_like(self, x: Array) -> Array:  # type: ignore[override]
        return self._t.zeros_like(x)

    def ones_like(self, x: Array) -> Array:  # type: ignore[override]
        return self._t.ones_like(x)

    def full_like(self, x: Array, value: float) -> Array:  # type: ignore[override]
        return self._t.full_like(x, value)

    def astype_like(self, cond: Array, x: Array) -> Array:  # type: ignore[override]
        return cond.to(x.dtype)

    def amax(self, x: Array, axis: int) -> Array:  # type: ignore[override]
        return self._t.amax(x, dim=axis, keepdim=True)

    def sum(self, x: Array, axis: int) -> Array:  # type: ignore[override]
        return self._t.sum(x, dim=axis, keepdim=True)

    def split_halves(self, x: Array, axis: int) -> tuple[Array, Array]:  # type: ignore[override]
        a, b = self._t.chunk(x, 2, dim=axis)
        return a, b

    def concat(self, parts: list[Array], axis: int) -> Array:  # type: ignore[override]
        return self._t.cat(parts, dim=axis)

    def sort_desc(self, x: Array, axis: int) -> Array:  # type: ignore[override]
        return self._t.sort(x, dim=axis, descending=True).values

    def cumsum(self, x: Array, axis: int) -> Array:  # type: ignore[override]
        return self._t.cumsum(x, dim=axis)

    def arange_like(self, x: Array, axis: int) -> Array:  # type: ignore[override]
        n = x.shape[axis]
        shape = [1] * x.dim()
        shape[axis] = n
        return self._t.arange(1, n + 1, dtype=x.dtype, device=x.device).reshape(shape)


NUMPY = Backend()

_torch_backend: TorchBackend | None = None


def torch_backend() -> TorchBackend:
    """The PyTorch back end, created on first use so that importing actlab stays light."""
    global _torch_backend
    if _torch_backend is None:
        _torch_backend = TorchBackend()
    return _torch_backend
