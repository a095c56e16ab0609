"""Shared machinery of the catalogue tests: input grids, the cached mpmath reference
tables and the accuracy criterion of docs/design.md.

The criterion, for a result y of an entry at the float x (dtype float64 or float32):

    |y - f(x)| <= tol · (1 + κ) · |f(x)|,    κ = |x f'(x) / f(x)|  (computed in mpmath),

tol = 1e-13 (float64) or 1e-5 (float32); results whose true magnitude is below
``TINY`` (1e-287 / 1e-35) are judged by absolute error |y - f(x)| <= TINY instead.
For the derivative, f is replaced by f' and κ by |x f''(x) / f'(x)|.

Periodic entries (sin, snake) are functions of u = c·x.  When the product c·x is
exact in floating point (c a power of two), nothing forces an error in u, and a
correct sine reduces u exactly; what is left is the condition number with respect
to the reduced argument r = u - kπ (|r| <= π/2), i.e. κ·|r/u|.  Without this, κ
grows like |x| and excuses any answer past |x| ≈ 1e16 -- the mistake that hid
snake's f'(1.2e214) = 0.986 (true 9.76e-5).
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mpmath
import numpy as np

import actlab

from .reference import REFERENCES, Ref, evaluate, second_derivative

TOL = {np.dtype(np.float64): 1e-13, np.dtype(np.float32): 1e-5}
TINY = {np.dtype(np.float64): 1e-287, np.dtype(np.float32): 1e-35}
ACCURACY_DTYPES = (np.float64, np.float32)
LOG_POINTS_PER_SIGN = 400


def elementwise_names() -> list[str]:
    return [n for n in actlab.names() if actlab.entry(n).elementwise]


def vector_names() -> list[str]:
    return [n for n in actlab.names() if not actlab.entry(n).elementwise]


def params_key(params: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(params.items()))


def case_id(name: str, case: Mapping[str, Any]) -> str:
    if not case:
        return name
    return name + "[" + ",".join(f"{k}={v}" for k, v in sorted(case.items())) + "]"


def reference_cases() -> list[tuple[str, dict[str, Any]]]:
    """(entry name, non-default parameters) for every case of every reference."""
    return [(name, dict(case)) for name, r in REFERENCES.items() for case in r.cases]


# --- input grids -----------------------------------------------------------------------


def accuracy_grid(dtype: Any) -> np.ndarray:
    """The whole finite range: ~400 log-spaced magnitudes per sign from the smallest
    normal to the largest finite float, 0, and a denser net where functions bend and
    where implementations switch branches (|x| in 1e-4..1e3 and -30..30)."""
    info = np.finfo(dtype)
    with np.errstate(over="ignore"):  # geomspace's intermediate 10**log10(max)
        wide = np.geomspace(float(info.tiny), float(info.max), LOG_POINTS_PER_SIGN)
    middle = np.geomspace(1e-4, 1e3, 160)
    positive = np.concatenate([wide, middle])
    linear = np.linspace(-30.0, 30.0, 241)
    x = np.concatenate([-positive, [0.0], positive, linear]).astype(dtype)
    x = x[np.isfinite(x)]  # geomspace's end point may round up past max in float32
    return np.unique(x)


def special_inputs(dtype: Any) -> np.ndarray:
    """The inputs no function may warn on: ±inf, NaN, ±max, ±tiny, subnormals, 0."""
    info = np.finfo(dtype)
    sub = float(info.smallest_subnormal)
    values = [0.0, -0.0, np.inf, -np.inf, np.nan, float(info.max), -float(info.max),
              float(info.tiny), -float(info.tiny), sub, -sub, 3 * sub, -3 * sub,
              1.0, -1.0, 0.5, -0.5, 1e4, -1e4]
    with np.errstate(over="ignore"):
        return np.array(values, dtype=np.float64).astype(dtype)


def away_from_kinks(x: np.ndarray, kinks: tuple[float, ...], margin: float) -> np.ndarray:
    """The elements of x at least ``margin`` away from every kink."""
    keep = np.ones(x.shape, dtype=bool)
    for k in kinks:
        keep &= np.abs(x.astype(np.float64) - k) >= margin
    return x[keep]


# --- reference tables -------------------------------------------------------------------


@dataclass
class Table:
    """The reference on one grid: true values (float64, may be ±inf/NaN) and κ."""

    ref: Ref
    params: Mapping[str, Any]
    x: np.ndarray  # the grid, in the tested dtype
    f: np.ndarray
    df: np.ndarray
    kappa_f: np.ndarray

    def kappa_df(self, index: np.ndarray) -> np.ndarray:
        """|x f''/f'| at the given indices (computed on demand: it costs two f' calls)."""
        out = np.zeros(index.shape, dtype=np.float64)
        for j, i in enumerate(index):
            xi = float(self.x[i])
            if xi == 0 or not np.isfinite(self.df[i]) or self.df[i] == 0:
                continue  # κ = 0, or the value is judged exactly / by absolute error
            d = evaluate(self.ref, "df", xi, self.params)
            d2 = second_derivative(self.ref, xi, self.params)
            reduction = reduction_factor(exact_phase(self.ref, self.params), xi)
            out[j] = float(abs(mpmath.mpf(xi) * d2 / d)) * reduction
        return out


_TABLES: dict[tuple[str, tuple[tuple[str, Any], ...], str], Table] = {}


def _to_float(value: Any) -> float:
    return float(value)  # mpmath: huge -> ±inf, tiny -> 0 (judged by absolute error)


def _kappa(x: float, f: Any, df: Any) -> float:
    if x == 0 or not mpmath.isfinite(f) or not mpmath.isfinite(df) or f == 0:
        return 0.0
    return float(abs(mpmath.mpf(x) * df / f))


def exact_phase(ref: Ref, params: Mapping[str, Any]) -> float | None:
    """The phase factor c of a periodic entry when c·x is exact for every float x
    (c a power of two), else None."""
    if ref.phase is None:
        return None
    c = float(ref.phase(params))
    return c if c != 0 and math.frexp(abs(c))[0] == 0.5 else None


def reduction_factor(c: float | None, x: float) -> float:
    """|r/u| for u = c·x and r = u - kπ its reduced argument (1 when c is None)."""
    if c is None or x == 0 or not math.isfinite(x):
        return 1.0
    u = mpmath.mpf(c) * mpmath.mpf(x)
    with mpmath.workdps(mpmath.mp.dps + max(0, int(mpmath.log10(abs(u))))):
        r = u - mpmath.pi * mpmath.nint(u / mpmath.pi)
    return float(abs(r / u))


# The tables take minutes of mpmath at up to thousands of digits; they depend only on
# reference.py, this file, the grid and the parameters, so they are kept on disk
# (in .pytest_cache, ignored by git) under a key that changes when any of those does.
DISK_CACHE = Path(__file__).resolve().parents[2] / ".pytest_cache" / "actlab-reference"
_SOURCES_DIGEST = hashlib.sha1(b"".join(
    (Path(__file__).parent / name).read_bytes() for name in ("reference.py", "helpers.py")
)).hexdigest()[:16]


def _disk_path(key: tuple[str, tuple[tuple[str, Any], ...], str]) -> Path:
    digest = hashlib.sha1(repr((key, _SOURCES_DIGEST)).encode()).hexdigest()[:20]
    return DISK_CACHE / f"{key[0]}-{key[2]}-{digest}.npz"


def _compute_table(r: Ref, params: Mapping[str, Any], x: np.ndarray) -> tuple[np.ndarray, ...]:
    f, df, kappa = [], [], []
    phase = exact_phase(r, params)
    for xi in x.astype(np.float64):
        fv = evaluate(r, "f", float(xi), params)
        dv = evaluate(r, "df", float(xi), params)
        f.append(_to_float(fv))
        df.append(_to_float(dv))
        kappa.append(_kappa(float(xi), fv, dv) * reduction_factor(phase, float(xi)))
    return np.array(f), np.array(df), np.array(kappa)


def reference_table(name: str, params: Mapping[str, Any], dtype: Any) -> Table:
    """The reference for ``name`` with (full) ``params`` on ``accuracy_grid(dtype)``;
    computed once and cached in memory and on disk (see DISK_CACHE)."""
    key = (name, params_key(params), np.dtype(dtype).name)
    if key not in _TABLES:
        r = REFERENCES[name]
        x = accuracy_grid(dtype)
        path = _disk_path(key)
        try:
            with np.load(path) as stored:
                f, df, kappa = stored["f"], stored["df"], stored["kappa"]
            if f.shape != x.shape:
                raise ValueError("stale table")
        except (OSError, ValueError, KeyError):
            f, df, kappa = _compute_table(r, params, x)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(partial, f=f, df=df, kappa=kappa)
            os.replace(partial, path)  # atomic: parallel workers never read half a file
        _TABLES[key] = Table(r, params, x, f, df, kappa)
    return _TABLES[key]


def reference_values(name: str, params: Mapping[str, Any], which: str,
                     x: np.ndarray) -> np.ndarray:
    """f or f' at a few points (float64 result), e.g. to judge a disagreement."""
    r = REFERENCES[name]
    flat = [_to_float(evaluate(r, which, float(v), params)) for v in np.ravel(x)]
    return np.array(flat, dtype=np.float64).reshape(np.shape(x))


# --- the criterion ----------------------------------------------------------------------


def failure_mask(computed: np.ndarray, true: np.ndarray, kappa: np.ndarray,
                 dtype: Any) -> np.ndarray:
    """True where ``computed`` (in dtype) misses the criterion against ``true`` (float64)."""
    dtype = np.dtype(dtype)
    tol, tiny = TOL[dtype], TINY[dtype]
    y = np.asarray(computed).astype(np.float64)
    info = np.finfo(dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        allowed = tol * (1.0 + kappa) * np.abs(true)
        err = np.abs(y - true)
        ok_finite = np.isfinite(y) & np.isfinite(true) & (
            (err <= allowed) | ((np.abs(true) < tiny) & (err <= tiny))
        )
        # the true value overflows the dtype: ±inf of the right sign is correct
        overflows = np.isfinite(true) & (np.abs(true) > float(info.max))
        ok_overflow = overflows & (
            (np.isinf(y) & (np.sign(y) == np.sign(true)))
            | (np.isfinite(y) & (err <= allowed))
        )
        ok_special = (np.isnan(true) & np.isnan(y)) | (np.isinf(true) & (y == true))
    return ~(ok_finite | ok_overflow | ok_special)


def describe_failures(label: str, x: np.ndarray, computed: np.ndarray, true: np.ndarray,
                      kappa: np.ndarray, mask: np.ndarray, dtype: Any, limit: int = 6) -> str:
    """A readable list of the worst failures (by error relative to what is allowed)."""
    idx = np.flatnonzero(mask)
    tol = TOL[np.dtype(dtype)]
    y = np.asarray(computed).astype(np.float64)
    with np.errstate(all="ignore"):
        ratio = np.abs(y[idx] - true[idx]) / np.maximum(tol * (1 + kappa[idx]) * np.abs(true[idx]),
                                                        TINY[np.dtype(dtype)])
    ratio = np.where(np.isnan(ratio), np.inf, ratio)
    worst = idx[np.argsort(-ratio)][:limit]
    lines = [f"{label}: {idx.size} of {x.size} points fail ({np.dtype(dtype).name})"]
    for i in worst:
        with np.errstate(all="ignore"):
            rel = abs(y[i] - true[i]) / abs(true[i]) if true[i] != 0 else np.inf
        lines.append(f"  x={float(x[i])!r}: got {y[i]!r}, true {true[i]!r}, rel err {rel:.3g}, "
                     f"kappa {kappa[i]:.3g}")
    return "\n".join(lines)


def check(label: str, x: np.ndarray, computed: np.ndarray, true: np.ndarray,
          kappa: np.ndarray, dtype: Any,
          refine_kappa: Callable[[np.ndarray], np.ndarray] | None = None,
          skip: np.ndarray | None = None) -> str | None:
    """None if every point passes, else a description.  ``refine_kappa(indices)``
    supplies κ lazily for points that fail with the given (lower-bound) κ."""
    kappa = kappa.copy()
    mask = failure_mask(computed, true, kappa, dtype)
    if skip is not None:
        mask &= ~skip
    if mask.any() and refine_kappa is not None:
        idx = np.flatnonzero(mask)
        kappa[idx] = refine_kappa(idx)
        mask = failure_mask(computed, true, kappa, dtype)
        if skip is not None:
            mask &= ~skip
    if not mask.any():
        return None
    return describe_failures(label, x, computed, true, kappa, mask, dtype)


def check_entry_accuracy(name: str, case: Mapping[str, Any], dtype: Any) -> list[str]:
    """Forward and derivative of one entry against the reference; the failure reports."""
    act = actlab.get(name, **case)
    table = reference_table(name, act.params, dtype)
    x = table.x
    problems = []
    y = np.asarray(act(x))
    problem = check(f"{case_id(name, case)} forward", x, y, table.f, table.kappa_f, dtype)
    if problem:
        problems.append(problem)
    dy = np.asarray(act.derivative(x))
    kinks = table.ref.kinks(act.params)
    at_kink = np.isin(x.astype(np.float64), np.array(kinks, dtype=np.float64))
    problem = check(f"{case_id(name, case)} derivative", x, dy, table.df,
                    np.zeros_like(table.df), dtype, refine_kappa=table.kappa_df, skip=at_kink)
    if problem:
        problems.append(problem)
    return problems
