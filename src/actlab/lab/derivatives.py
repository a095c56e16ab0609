"""Numerical versus analytic derivatives: the V-shaped error curve of finite differences.

The lecture notes the project grew from differentiate the sigmoid with a forward difference and
h = 1e-15 and get a visibly wrong curve.  Here the error of the forward and
central differences is measured against the analytic derivative for every step
h from 1e-1 down to 1e-16 (float64): truncation error falls with h, rounding
error grows like eps/h, so the total is V-shaped with its minimum near
sqrt(eps) ~ 1e-8 (forward) and eps^(1/3) ~ 1e-5 (central).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table

# the optimal steps balance truncation (h or h²) against rounding (eps/h)
NUMERICAL_ANALYSIS = ("numerical analysis: optimal h ≈ eps^(1/2) (forward), eps^(1/3) "
                      "(central); e.g. Press et al. 2007, Numerical Recipes, §5.7")


@dataclass(frozen=True)
class Config:
    activations: tuple[str, ...] = ("sigmoid", "tanh")  # functions to differentiate
    h_max_log10: float = -1.0  # largest step: 10**h_max_log10
    h_min_log10: float = -16.0  # smallest step
    steps_per_decade: int = 10  # resolution of the h axis
    x_low: float = -5.0  # the lecture notes' grid: -5 + k/100
    x_high: float = 5.0
    n_points: int = 1001  # points on the x grid
    seed_h: float = 1e-15  # the lecture notes' step, marked in the figure
    seed: int = 0  # unused (deterministic); kept so every experiment takes --seed

    @classmethod
    def quick(cls) -> Config:
        return cls(activations=("sigmoid",), steps_per_decade=4, n_points=201)


def forward_difference(f: Any, x: np.ndarray, h: float) -> np.ndarray:
    """(f(x + h) - f(x)) / h, vectorised over x."""
    return (f(x + h) - f(x)) / h


def central_difference(f: Any, x: np.ndarray, h: float) -> np.ndarray:
    """(f(x + h) - f(x - h)) / (2h), vectorised over x."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


def relative_error(approx: np.ndarray, exact: np.ndarray) -> float:
    """Largest error over the grid, relative to the largest |f'| (no division by ~0)."""
    return float(np.max(np.abs(approx - exact)) / np.max(np.abs(exact)))


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import actlab

    start = time.perf_counter()
    x = np.linspace(config.x_low, config.x_high, config.n_points)
    n_h = round((config.h_max_log10 - config.h_min_log10) * config.steps_per_decade) + 1
    hs = np.logspace(config.h_max_log10, config.h_min_log10, n_h)
    curves: dict[str, Any] = {}
    metrics: dict[str, Any] = {}
    rows: list[list[Any]] = []
    claims: list[Claim] = []
    for i, name in enumerate(config.activations):
        act = actlab.get(name)
        exact = act.derivative(x)
        fwd = np.array([relative_error(forward_difference(act, x, h), exact) for h in hs])
        cen = np.array([relative_error(central_difference(act, x, h), exact) for h in hs])
        best_fwd, best_cen = float(hs[np.argmin(fwd)]), float(hs[np.argmin(cen)])
        at_seed = relative_error(forward_difference(act, x, config.seed_h), exact)
        curves[f"error_vs_h_{name}"] = {"h": hs, "forward": fwd, "central": cen}
        curves[f"seed_plot_{name}"] = {
            "x": x, "analytic": exact,
            "numerical": forward_difference(act, x, config.seed_h), "h": config.seed_h,
        }
        metrics[f"{name}_best_h_forward"] = best_fwd
        metrics[f"{name}_best_h_central"] = best_cen
        metrics[f"{name}_min_error_forward"] = float(fwd.min())
        metrics[f"{name}_min_error_central"] = float(cen.min())
        metrics[f"{name}_error_forward_at_seed_h"] = at_seed
        rows.append([name, best_fwd, float(fwd.min()), best_cen, float(cen.min()), at_seed])
        # deterministic numerics (one grid, no randomness): exact claims, in decades
        claims += [
            Claim.exact(
                f"forward difference of {name}: error smallest near h ≈ 1e-8",
                NUMERICAL_ANALYSIS, -8.0, float(np.log10(best_fwd)), tolerance=1.0,
                quantity="log10 of the best step h", detail="±1 decade"),
            Claim.exact(
                f"central difference of {name}: error smallest near h ≈ 1e-5",
                NUMERICAL_ANALYSIS, -5.0, float(np.log10(best_cen)), tolerance=1.0,
                quantity="log10 of the best step h", detail="±1 decade"),
            # rounding alone costs about eps/h ≈ 0.2 at h = 1e-15: arithmetic, a check
            Claim.check(
                f"forward difference of {name} with h = {config.seed_h:g} is visibly wrong",
                LECTURE_NOTES, "> 0.01", at_seed, holds=at_seed > 1e-2,
                quantity="max |error| / max |f'| over the grid"),
        ]
        if progress:
            progress((i + 1) / len(config.activations), f"{name} differentiated")
    table = Table(
        ["function", "best h (forward)", "min error (forward)", "best h (central)",
         "min error (central)", f"error at h = {config.seed_h:g} (forward)"],
        rows, caption="Error = max |numerical - analytic| / max |analytic| over the grid.")
    return Result("derivatives", asdict(config), metrics, {"summary": table}, curves, claims,
                  time.perf_counter() - start)
