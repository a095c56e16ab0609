"""Array back ends: one formula, written once, runs on NumPy and on PyTorch.

Every catalogue entry writes its forward and derivative against the namespace
``xp``, an object satisfying the :class:`Backend` protocol below, so the NumPy
reference and the PyTorch autograd function evaluate the very same expression.
Two implementations exist:

* :data:`NUMPY` (:class:`NumpyBackend`, this file): NumPy and SciPy kernels; the
  catalogue uses it for small inputs, where NumPy's call overhead is lowest, and
  the NumPy MLP of ``actlab.models`` trains with it;
* :func:`torch_backend` (:class:`~actlab.catalogue.torch_backend.TorchBackend`):
  PyTorch's vectorised CPU kernels, for ``to_torch()`` modules and for large
  NumPy inputs (``torch.from_numpy`` shares their memory, so there is no copy).

The compound helpers (``sigmoid``, ``softplus``, ``sigmoid_prime``, ``sech2``, ...)
are written here in their numerically stable forms; a back end may compute them
with fused library kernels as long as every element gets the same accuracy.

The formulas are generic over both libraries, so the protocol types arrays as
``Array`` (any array-like); each implementation is typed with its own array type.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import scipy.special as sc

if TYPE_CHECKING:
    from actlab.catalogue.torch_backend import TorchBackend

Array = Any  # np.ndarray or torch.Tensor: the formulas run unchanged on both
Scalar = float | Any  # a Python float, or a 0-d tensor (a learnable parameter)


class Backend(Protocol):
    """The operations a catalogue formula may use (see the module docstring)."""

    name: str

    # --- elementary functions -------------------------------------------------
    def exp(self, x: Array) -> Array: ...
    def expm1(self, x: Array) -> Array: ...
    def log(self, x: Array) -> Array: ...
    def log1p(self, x: Array) -> Array: ...
    def sqrt(self, x: Array) -> Array: ...
    def tanh(self, x: Array) -> Array: ...
    def cosh(self, x: Array) -> Array: ...
    def sin(self, x: Array) -> Array: ...
    def cos(self, x: Array) -> Array: ...
    def arctan(self, x: Array) -> Array: ...
    def erf(self, x: Array) -> Array: ...
    def erfc(self, x: Array) -> Array: ...
    def abs(self, x: Array) -> Array: ...
    def sign(self, x: Array) -> Array: ...
    def square(self, x: Array) -> Array: ...
    def isnan(self, x: Array) -> Array: ...
    def isinf(self, x: Array) -> Array: ...
    def any_non_finite(self, x: Array) -> bool:
        """Whether x holds a NaN or ±inf (one cheap reduction: they propagate into a sum)."""
    def largest_is_non_finite(self, x: Array) -> bool:
        """For an x whose elements are positive or NaN (a square root of 1 + ...): whether
        it holds +inf or NaN, from its maximum (NaN propagates into it); NumPy's max loop
        is twice as fast as the sum of ``any_non_finite``."""
    def hypot(self, x: Array, y: Array | float) -> Array: ...

    # --- structure ---------------------------------------------------------------
    def where(self, cond: Array, a: Array | Scalar, b: Array | Scalar) -> Array: ...
    def maximum(self, x: Array, y: Array | float) -> Array: ...
    def minimum(self, x: Array, y: Array | float) -> Array: ...
    def clip(self, x: Array, lo: float | None, hi: float | None) -> Array: ...
    def zeros_like(self, x: Array) -> Array: ...
    def ones_like(self, x: Array) -> Array: ...
    def full_like(self, x: Array, value: float) -> Array: ...
    def astype_like(self, cond: Array, x: Array) -> Array: ...
    def amax(self, x: Array, axis: int) -> Array: ...
    def sum(self, x: Array, axis: int) -> Array: ...
    def split_halves(self, x: Array, axis: int) -> tuple[Array, Array]: ...
    def concat(self, parts: list[Array], axis: int) -> Array: ...
    def sort_desc(self, x: Array, axis: int) -> Array: ...
    def cumsum(self, x: Array, axis: int) -> Array: ...
    def arange_like(self, x: Array, axis: int) -> Array: ...
    def keep_nan(self, x: Array, y: Array) -> Array: ...
    def inside(self, x: Array, lo: float, hi: float, slope: float,
               g: Array | None = None) -> Array:
        """slope on the open interval (lo, hi), 0 outside and at its ends; NaN -> NaN;
        times g when given (the vector-Jacobian product of a clip)."""
        ...
    def hard_sigmoid(self, x: Array) -> Array:
        """clip(x + 3, 0, 6)/6, computed in that order (x + 3 is exact near -3)."""
        ...
    def gated(self, x: Array, gate: Array) -> Array: ...
    def patch_abs_below(self, y: Array, x: Array, bound: float,
                        formula: Callable[[Array, Backend], Array]) -> Array:
        """y (a fresh array of x's shape, written into) with ``formula(x[i], xp)`` at the
        elements with |x| < bound (NaN: not): a formula only a few elements need."""
        ...

    # --- stable compound helpers ---------------------------------------------------
    def sigmoid(self, x: Array) -> Array: ...
    def scaled_sigmoid(self, x: Array, beta: float, g: Array | None = None) -> Array: ...
    def softplus(self, x: Array, beta: float = 1.0) -> Array: ...
    def log_sigmoid(self, x: Array) -> Array: ...
    def sigmoid_prime(self, x: Array, g: Array | None = None) -> Array: ...
    def sigmoid_and_prime(self, x: Array) -> tuple[Array, Array]: ...
    def sech2(self, x: Array, g: Array | None = None) -> Array: ...
    def ndtr(self, x: Array) -> Array: ...
    def npdf(self, x: Array) -> Array: ...

    # --- fused sequences of a library's kernels (None: compute the formula as written) -
    def gelu_fused(self, x: Array, approximate: str) -> Array | None: ...
    def gelu_prime_fused(self, x: Array, approximate: str, g: Array) -> Array | None: ...
    def gelu_and_prime_fused(self, x: Array,
                             approximate: str) -> tuple[Array, Array] | None: ...
    def gated_sigmoid_fused(self, x: Array, beta: float) -> Array | None:
        """x·σ(βx) in one fused pass, or None (then the formula)."""
        ...
    def silu_prime_fused(self, z: Array, g: Array) -> Array | None:
        """g·(σ(z) + z·σ'(z)) in one fused pass, or None (then the formula)."""
        ...


# np.where branches on every element: on a mask of random signs (an activation's input)
# half the branches are mispredicted, which makes it ~10x slower than a copy.  Selecting
# the bits instead, b ^ ((a ^ b) & mask) on the integer views, has no branch at all and
# gives the very same bits (NaN payloads and signed zeros included).
_SELECT_MIN_SIZE = 4096  # below this np.where's lower call overhead wins
_SAME_WIDTH_INT: dict[np.dtype[Any], type[np.signedinteger[Any]]] = {
    np.dtype(np.float32): np.int32,
    np.dtype(np.float64): np.int64,
}


def _select(cond: Any, a: Any, b: Any) -> Any:
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


NDArray = np.ndarray[Any, Any]


def _patch_abs_below_numpy(y: NDArray, x: NDArray, bound: float,
                           formula: Callable[[Array, Backend], Array]) -> NDArray:
    """Backend.patch_abs_below on NumPy arrays (also the memory of CPU tensors): one
    comparison and flatnonzero find the elements, ``formula`` runs on them alone."""
    flat_x = x.reshape(-1)  # a view, or a copy of a non-contiguous x (read only)
    if not (isinstance(y, np.ndarray) and y.flags.c_contiguous and y.flags.writeable):
        y = np.array(y, order="C")  # a NumPy scalar (0-d input) or a strided array
    flat_y = y.reshape(-1)  # a view: written into
    near = np.flatnonzero(np.abs(flat_x) < bound)
    if near.size:
        with np.errstate(all="ignore"):
            flat_y[near] = formula(flat_x[near], NUMPY)
    return y


class NumpyBackend:
    """The :class:`Backend` on NumPy arrays (SciPy for erf, erfc and expit)."""

    name = "numpy"

    # --- elementary functions -------------------------------------------------
    def exp(self, x: NDArray) -> NDArray:
        return np.exp(x)

    def expm1(self, x: NDArray) -> NDArray:
        return np.expm1(x)

    def log(self, x: NDArray) -> NDArray:
        return np.log(x)

    def log1p(self, x: NDArray) -> NDArray:
        return np.log1p(x)

    def sqrt(self, x: NDArray) -> NDArray:
        return np.sqrt(x)

    def tanh(self, x: NDArray) -> NDArray:
        return np.tanh(x)

    def cosh(self, x: NDArray) -> NDArray:
        return np.cosh(x)

    def sin(self, x: NDArray) -> NDArray:
        return np.sin(x)

    def cos(self, x: NDArray) -> NDArray:
        return np.cos(x)

    def arctan(self, x: NDArray) -> NDArray:
        return np.arctan(x)

    def erf(self, x: NDArray) -> NDArray:
        return np.asarray(sc.erf(x))

    def erfc(self, x: NDArray) -> NDArray:
        return np.asarray(sc.erfc(x))

    def abs(self, x: NDArray) -> NDArray:
        return np.abs(x)

    def sign(self, x: NDArray) -> NDArray:
        return np.sign(x)

    def square(self, x: NDArray) -> NDArray:
        return np.square(x)

    def isnan(self, x: NDArray) -> NDArray:
        return np.isnan(x)

    def isinf(self, x: NDArray) -> NDArray:
        return np.isinf(x)

    def hypot(self, x: NDArray, y: NDArray | float) -> NDArray:
        return np.hypot(x, y)

    def any_non_finite(self, x: NDArray) -> bool:
        with np.errstate(all="ignore"):
            return bool(np.size(x)) and not np.isfinite(np.sum(x))

    def largest_is_non_finite(self, x: NDArray) -> bool:
        return bool(np.size(x)) and not math.isfinite(float(np.max(x)))

    # --- structure -------------------------------------------------------------
    def where(self, cond: NDArray, a: NDArray | float, b: NDArray | float) -> NDArray:
        return np.asarray(_select(cond, a, b))

    def maximum(self, x: NDArray, y: NDArray | float) -> NDArray:
        return np.maximum(x, y)

    def minimum(self, x: NDArray, y: NDArray | float) -> NDArray:
        return np.minimum(x, y)

    def clip(self, x: NDArray, lo: float | None, hi: float | None) -> NDArray:
        return np.clip(x, lo, hi)

    def zeros_like(self, x: NDArray) -> NDArray:
        return np.zeros_like(x)

    def ones_like(self, x: NDArray) -> NDArray:
        return np.ones_like(x)

    def full_like(self, x: NDArray, value: float) -> NDArray:
        return np.full_like(x, value)

    def astype_like(self, cond: NDArray, x: NDArray) -> NDArray:
        """Boolean mask -> 0/1 array in the dtype of ``x``."""
        return cond.astype(x.dtype)

    # reductions along one axis, keeping the axis (for vector-valued entries)
    def amax(self, x: NDArray, axis: int) -> NDArray:
        return np.max(x, axis=axis, keepdims=True)

    def sum(self, x: NDArray, axis: int) -> NDArray:
        return np.sum(x, axis=axis, keepdims=True)

    def split_halves(self, x: NDArray, axis: int) -> tuple[NDArray, NDArray]:
        a, b = np.split(x, 2, axis=axis)
        return a, b

    def concat(self, parts: list[NDArray], axis: int) -> NDArray:
        return np.concatenate(parts, axis=axis)

    def sort_desc(self, x: NDArray, axis: int) -> NDArray:
        return -np.sort(-x, axis=axis)

    def cumsum(self, x: NDArray, axis: int) -> NDArray:
        return np.cumsum(x, axis=axis)

    def arange_like(self, x: NDArray, axis: int) -> NDArray:
        """1, 2, ..., n along ``axis``, broadcastable against ``x``."""
        n = x.shape[axis]
        shape = [1] * x.ndim
        shape[axis] = n
        return np.arange(1, n + 1, dtype=x.dtype).reshape(shape)

    def keep_nan(self, x: NDArray, y: NDArray) -> NDArray:
        """y, with NaN wherever x is NaN (comparisons send NaN to the wrong branch).

        NaN inputs are rare: one cheap isnan pass decides, and y is returned as it is
        when there are none."""
        nan = np.isnan(x)
        if not nan.any() and isinstance(y, np.ndarray) and y.shape == np.shape(x) \
                and y.dtype == np.result_type(x, y):
            return y
        return np.where(nan, x, y)

    def inside(self, x: NDArray, lo: float, hi: float, slope: float,
               g: NDArray | None = None) -> NDArray:
        d = self.keep_nan(x, self.astype_like((x > lo) & (x < hi), x) * slope)
        return d if g is None else g * d

    def hard_sigmoid(self, x: NDArray) -> NDArray:
        return np.clip(x + 3.0, 0.0, 6.0) / 6.0

    def gated(self, x: NDArray, gate: NDArray) -> NDArray:
        """x·gate, with 0·(±inf) taken as a zero of the sign of x (the gate's limit wins).

        Only x = ±inf with gate = 0 differs from the plain product: one cheap isinf pass
        decides, and the fix-up runs only when there is an infinite input."""
        y = x * gate
        infinite = np.isinf(x)
        if infinite.any():
            y = np.where(infinite & (gate == 0), gate * np.clip(x, -1.0, 1.0), y)
        return y

    def patch_abs_below(self, y: NDArray, x: NDArray, bound: float,
                        formula: Callable[[Array, Backend], Array]) -> NDArray:
        return _patch_abs_below_numpy(y, x, bound, formula)

    # --- stable compound helpers ---------------------------------------------------
    def sigmoid(self, x: NDArray) -> NDArray:
        """σ(x), from scipy's expit: one fused pass of the stable formula 1/(1+e^-x)."""
        return np.asarray(sc.expit(x))

    def scaled_sigmoid(self, x: NDArray, beta: float, g: NDArray | None = None) -> NDArray:
        """σ(βx), times g when given (the vector-Jacobian product of softplus)."""
        s = self.sigmoid(beta * x)
        return s if g is None else g * s

    def softplus(self, x: NDArray, beta: float = 1.0) -> NDArray:
        """log(1+e^(βx))/β exactly for every x: max(x,0) + log1p(e^-β|x|)/β."""
        return np.maximum(x, 0.0) + np.log1p(np.exp(-beta * np.abs(x))) / beta

    def log_sigmoid(self, x: NDArray) -> NDArray:
        """log σ(x) = -softplus(-x) = min(x,0) - log1p(e^-|x|)."""
        return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))

    def sigmoid_prime(self, x: NDArray, g: NDArray | None = None) -> NDArray:
        """σ'(x) = σ(x)σ(-x) = e/(1+e)² with e = e^-|x| (even, accurate in both tails),
        times g when given."""
        e = np.exp(-np.abs(x))
        r = 1.0 / (1.0 + e)
        d = e * r * r
        return d if g is None else g * d

    def sigmoid_and_prime(self, x: NDArray) -> tuple[NDArray, NDArray]:
        """(σ(x), σ'(x)) as ``sigmoid`` and ``sigmoid_prime``, sharing their one exp."""
        e = np.exp(-np.abs(x))
        r = 1.0 / (1.0 + e)
        er = e * r
        return self.where(x >= 0, r, er), er * r

    def sech2(self, x: NDArray, g: NDArray | None = None) -> NDArray:
        """sech²(x) = 4e/(1+e)² with e = e^-2|x|, accurate where 1 - tanh² is not;
        times g when given."""
        e = np.exp(-2.0 * np.abs(x))
        r = 1.0 / (1.0 + e)
        d = 4.0 * e * r * r
        return d if g is None else g * d

    def ndtr(self, x: NDArray) -> NDArray:
        """Φ(x), the standard normal CDF, accurate in the lower tail."""
        return 0.5 * self.erfc(-x / math.sqrt(2.0))

    def npdf(self, x: NDArray) -> NDArray:
        """φ(x), the standard normal density."""
        return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)

    # --- no fused sequences here: every formula runs as written -----------------------
    def gelu_fused(self, x: NDArray, approximate: str) -> NDArray | None:
        return None

    def gelu_prime_fused(self, x: NDArray, approximate: str, g: NDArray) -> NDArray | None:
        return None

    def gelu_and_prime_fused(self, x: NDArray,
                             approximate: str) -> tuple[NDArray, NDArray] | None:
        return None

    def gated_sigmoid_fused(self, x: NDArray, beta: float) -> NDArray | None:
        return None

    def silu_prime_fused(self, z: NDArray, g: NDArray) -> NDArray | None:
        return None


NUMPY: Backend = NumpyBackend()


_torch_backend: TorchBackend | None = None


def torch_backend() -> TorchBackend:
    """The PyTorch back end, created on first use so that importing actlab stays light."""
    global _torch_backend
    if _torch_backend is None:
        from actlab.catalogue.torch_backend import TorchBackend

        _torch_backend = TorchBackend()
    return _torch_backend
