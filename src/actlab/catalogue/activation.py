"""The Activation type: one entry of the catalogue, bound to its parameter values.

A subclass states its metadata as class attributes and writes its mathematics
once, against the back-end namespace ``xp`` (NumPy or PyTorch):

* elementwise entries implement ``forward(x, p, xp)`` and ``grad(x, p, xp)``
  (dy/dx, taking the *input* x, like scikit-learn's DERIVATIVES but input-based
  so GELU and Mish fit);
* vector-valued entries implement ``forward`` and ``vjp_(x, g, p, xp)``.

``p`` is the parameter mapping (plain floats for NumPy, tensors for learnable
parameters in PyTorch).  The public methods here add the numerical contract of
docs/design.md: any shape, dtype kept, integers in float64, no RuntimeWarning.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from actlab.catalogue import torch_route
from actlab.catalogue.backend import NUMPY, Array, Backend
from actlab.catalogue.families import Family
from actlab.catalogue.metadata import Documentation, Param, Properties, Reference
from actlab.errors import InvalidType, InvalidValue

if TYPE_CHECKING:
    import torch


_FLOAT32, _FLOAT64 = np.dtype(np.float32), np.dtype(np.float64)


def _to_float_array(x: Any) -> tuple[np.ndarray, np.dtype, bool]:
    """Input -> (float array to compute in, dtype to return, was it a Python scalar).

    float16 is computed in float32 (NumPy has no float16 transcendental kernels
    of its own either); integers and booleans in float64.
    """
    if type(x) is np.ndarray and (x.dtype == _FLOAT32 or x.dtype == _FLOAT64):
        return x, x.dtype, False  # the common case (native byte order), without the checks below
    is_python_scalar = np.isscalar(x) and not isinstance(x, np.generic)
    arr = np.asarray(x)
    kind = arr.dtype.kind
    if kind == "f":
        out_dtype = arr.dtype
        if arr.dtype == np.float16:
            arr = arr.astype(np.float32)
        elif arr.dtype not in (np.float32, np.float64):
            arr = arr.astype(np.float64)  # longdouble: computed in float64
    elif kind in "biu":
        out_dtype = np.dtype(np.float64)
        arr = arr.astype(np.float64)
    else:
        raise InvalidType(
            f"activations take real numbers (float, int or bool); got dtype {arr.dtype}"
        )
    return arr, out_dtype, is_python_scalar


# An elementwise formula makes several passes over its input, each with a temporary of
# the input's size: on large arrays every pass goes to main memory.  Evaluated block by
# block, the temporaries stay in the L2 cache and only the input and the result travel
# (2-3x faster on 10^7 elements); each element's arithmetic is unchanged.
BLOCK_SIZE = 65536


def _blockwise(fn: Any, arr: np.ndarray) -> Any:
    """fn(arr) for an elementwise fn, computed over blocks of ``BLOCK_SIZE`` elements."""
    if arr.size < 2 * BLOCK_SIZE:
        return fn(arr)
    flat = arr.reshape(-1)  # a copy only when arr is not contiguous
    head = flat[:BLOCK_SIZE]
    first = fn(head)
    if first is head:  # the formula returns its input (identity): nothing to compute
        return fn(arr)
    first = np.asarray(first)
    out = np.empty(flat.shape, dtype=first.dtype)
    out[:BLOCK_SIZE] = first  # broadcasts a formula that returned a scalar
    for start in range(BLOCK_SIZE, flat.size, BLOCK_SIZE):
        out[start : start + BLOCK_SIZE] = fn(flat[start : start + BLOCK_SIZE])
    return out.reshape(arr.shape)


def _finish(y: Any, out_dtype: np.dtype, is_python_scalar: bool) -> Any:
    y = np.asarray(y)
    if y.dtype != out_dtype:
        with np.errstate(over="ignore"):  # float16 results beyond 65504 become ±inf
            y = y.astype(out_dtype)
    return y[()] if is_python_scalar else y


class Activation:
    """An activation function with bound parameters (see the module docstring)."""

    name: ClassVar[str]
    family: ClassVar[Family]
    elementwise: ClassVar[bool] = True
    parameters: ClassVar[tuple[Param, ...]] = ()
    doc: ClassVar[Documentation]
    # alias -> parameter values it fixes, e.g. {"swish_1": {}} ; resolved by the registry
    aliases: ClassVar[dict[str, dict[str, Any]]] = {}
    # to_torch()'s autograd function computes the derivative in forward, beside the value
    # (value_and_grad), and saves it instead of the input, so that backward is one
    # multiplication: for entries whose accurate derivative from the input alone would
    # repeat the forward's costly kernels (sigmoid, gelu)
    saves_derivative: ClassVar[bool] = False

    def __init__(self, **params: Any) -> None:
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(params) - set(known))
        if unknown:
            allowed = ", ".join(known) or "none"
            raise InvalidType(
                f"{self.name}: unknown parameter {unknown[0]!r} (parameters: {allowed})"
            )
        values: dict[str, Any] = {}
        for spec in self.parameters:
            value = params.get(spec.name, spec.default)
            value = _coerce(self.name, spec, value)
            if spec.check is not None and value is not None:
                problem = spec.check(value)
                if problem:
                    raise InvalidValue(
                        f"{self.name}: parameter {spec.name}={value!r} {problem}")
            values[spec.name] = value
        self._validate(values)
        self.params: Mapping[str, Any] = MappingProxyType(values)

    def __reduce__(self) -> tuple[Any, ...]:
        # the read-only parameter view cannot be pickled: rebuild from the plain values
        # (copy.deepcopy, pickle, torch.save of a model holding this activation)
        return (_rebuild, (type(self), dict(self.params)))

    def output_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of f(x) for x of ``shape`` (GLU and maxout shrink their axis; override)."""
        return shape

    def _validate(self, params: dict[str, Any]) -> None:
        """Checks that involve several parameters (override; raise InvalidValue)."""

    # --- the mathematics, written once (override) --------------------------------
    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        raise NotImplementedError  # abstract: every registered entry defines it

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        raise NotImplementedError  # abstract: every elementwise entry defines it

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return g * self.grad(x, p, xp)

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        """(f(x), f'(x)) (override where the two share work)."""
        return self.forward(x, p, xp), self.grad(x, p, xp)

    # --- NumPy-only fast paths (override; piecewise-linear entries, numpy_fast.py) ----
    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        """``forward(x, p, NUMPY)`` in fewer NumPy passes, as a fresh array with the same
        values, for a float32 or float64 ``x``; None where there is none for ``p``.
        Only the NumPy API calls it: ``to_torch()`` and the PyTorch route run ``forward``."""
        return None

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        """``grad(x, p, NUMPY)`` in fewer NumPy passes (see ``numpy_forward``)."""
        return None

    def param_grads(self, x: Array, g: Array, p: Mapping[str, Any],
                    xp: Backend) -> dict[str, Array] | None:
        """g times the partial derivative of f(x) by each learnable parameter, per element
        (the module sums them), or None: PyTorch's autograd then differentiates the
        forward formula instead (override for speed)."""
        return None

    # --- public NumPy API ----------------------------------------------------
    def __call__(self, x: Any) -> Any:
        arr, out_dtype, scalar = _to_float_array(x)
        y = self._numpy_evaluate(arr, self.numpy_forward, torch_route.forward, self.forward)
        return _finish(y, out_dtype, scalar)

    def derivative(self, x: Any) -> Any:
        if not self.elementwise:
            raise TypeError(
                f"{self.name} is vector-valued: its Jacobian is not diagonal; "
                "use vjp(x, grad_out)"
            )
        arr, out_dtype, scalar = _to_float_array(x)
        dy = self._numpy_evaluate(arr, self.numpy_grad, torch_route.derivative, self.grad)
        if np.shape(dy) != arr.shape:  # a formula returned a constant: a fresh array
            dy = np.broadcast_to(dy, arr.shape).copy()
        return _finish(dy, out_dtype, scalar)

    def _numpy_evaluate(self, arr: np.ndarray,
                        fast: Callable[[np.ndarray, Mapping[str, Any]], np.ndarray | None],
                        routed: Callable[[Activation, np.ndarray], Any],
                        formula: Callable[[Array, Mapping[str, Any], Backend], Array]) -> Any:
        """f(x) or f'(x) of a float array by the fastest exact way: the entry's NumPy fast
        path, else PyTorch's kernels on the same memory (torch_route), else the formula on
        NumPy, block by block for elementwise entries."""
        p = self.params
        result = fast(arr, p)
        if result is not None:
            return result
        if torch_route.takes(self, arr):
            return routed(self, arr)
        with np.errstate(all="ignore"):
            if self.elementwise:
                return _blockwise(lambda a: formula(a, p, NUMPY), arr)
            return formula(arr, p, NUMPY)

    def vjp(self, x: Any, grad_out: Any) -> Any:
        arr, out_dtype, scalar = _to_float_array(x)
        g = np.asarray(grad_out, dtype=arr.dtype)
        expected = self.output_shape(arr.shape)
        try:
            g = np.broadcast_to(g, expected)
        except ValueError:
            raise InvalidValue(
                f"{self.name}.vjp: grad_out has shape {g.shape}, but f(x) for x of shape "
                f"{arr.shape} has shape {expected} (grad_out must have that shape or "
                "broadcast to it)"
            ) from None
        p = self.params
        if type(self).vjp_ is Activation.vjp_:  # g·f'(x): a fast derivative serves it
            d = self.numpy_grad(arr, p)
            if d is not None:
                with np.errstate(all="ignore"):  # g may hold ±inf or NaN
                    return _finish(np.multiply(d, g, out=d), out_dtype, scalar)
        if arr.size >= torch_route.TORCH_MIN_SIZE:
            out = torch_route.vjp(self, arr, g)
        else:
            with np.errstate(all="ignore"):
                out = self.vjp_(arr, g, p, NUMPY)
        return _finish(out, out_dtype, scalar)

    # --- PyTorch -------------------------------------------------------------
    def to_torch(self, *, second_order: bool = False) -> torch.nn.Module:
        """An ``nn.Module`` computing this activation (native where PyTorch has it).

        Entries with ``saves_derivative`` save f'(x) instead of x for speed, so their
        module has no second derivative (``create_graph=True`` raises a clear error);
        ``second_order=True`` takes the saved-input function instead, which has one.
        """
        from actlab.torch.module import to_module

        return to_module(self, second_order=second_order)

    def torch_native(self) -> torch.nn.Module | None:
        """The native PyTorch module that is exactly this function, or None (override)."""
        return None

    def torch_native_for(self, dtype: torch.dtype) -> torch.nn.Module | None:
        """A native module that is exactly this function on ``dtype`` inputs only, where
        ``torch_native`` has none for every dtype (override); ``to_torch()`` then uses
        it for that dtype and the autograd function for the others."""
        return None

    def torch_native_unless_nan(self) -> Callable[[torch.Tensor], torch.Tensor] | None:
        """PyTorch's own function that is exactly this entry, value and autograd
        derivative, on inputs without NaN (override): ``to_torch()`` calls it on such
        inputs, skipping its autograd function's overhead, and keeps the autograd
        function for the others (sign: torch.sign maps NaN to 0)."""
        return None

    # --- description ---------------------------------------------------------
    @property
    def formula(self) -> str:
        return self.doc.formula

    def describe(self, p: Mapping[str, Any]) -> Properties:
        """The properties with parameter values ``p`` (override where they depend on them;
        the default is ``doc.properties``, which states them for the defaults)."""
        return self.doc.properties

    @property
    def properties(self) -> Properties:
        """Range, monotonicity, smoothness, ... for the bound parameters, with the mean and
        variance of f(z) for z ~ N(0, 1) (computed once per parameter set)."""
        from actlab.catalogue.moments import bound_properties

        return bound_properties(self)

    @property
    def references(self) -> tuple[Reference, ...]:
        return self.doc.references

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"actlab.get({self.name!r}{', ' if args else ''}{args})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Activation)
            and other.name == self.name
            and dict(other.params) == dict(self.params)
        )

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted(self.params.items(), key=lambda kv: kv[0]))))

    def _repr_html_(self) -> str:
        """Jupyter: the formula and a small plot of the function and its derivative."""
        from actlab.plot.jupyter import activation_html

        return activation_html(self)


class VectorActivation(Activation):
    """An activation over an axis (softmax, GLU, maxout): derivative only through vjp."""

    elementwise: ClassVar[bool] = False

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        raise TypeError(f"{self.name} is vector-valued; use vjp")

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        raise NotImplementedError  # abstract: every vector-valued entry defines it


def _rebuild(cls: type[Activation], params: dict[str, Any]) -> Activation:
    """Unpickling: the entry class with its parameter values."""
    return cls(**params)


def _finite_float(value: Any) -> float:
    """A real number that is not NaN or ±inf, else TypeError/ValueError for _coerce."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError
    number = float(value)
    if not math.isfinite(number):
        raise _NotFinite
    return number


class _NotFinite(Exception):
    """A float parameter given as NaN or ±inf (no entry gives them a meaning)."""


def _coerce(name: str, spec: Param, value: Any) -> Any:
    """Parameter value -> the Python type its kind asks for, or a clear TypeError."""
    try:
        if spec.kind == "float":
            return _finite_float(value)
        if spec.kind == "optional_float":
            return None if value is None else _finite_float(value)
        if spec.kind == "int":
            if isinstance(value, bool) or int(value) != value:
                raise TypeError
            return int(value)
        if spec.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError
            return bool(value)
        if not isinstance(value, str):
            raise TypeError
        return value
    except _NotFinite:
        raise InvalidValue(
            f"{name}: parameter {spec.name}={value!r} must be a finite number"
        ) from None
    except (TypeError, ValueError, OverflowError):
        raise InvalidType(
            f"{name}: parameter {spec.name} must be {spec.kind.replace('_', ' ')}, "
            f"got {value!r}"
        ) from None
