"""Sigmoid and tanh basics: sigmoid' peaks at 0.25, tanh = 2σ(2x) − 1, tanh' = 1 − tanh²,
and the lecture notes' step-function pitfall (``if x > 0`` on an array) with its vectorised fix.

The identities are checked over a grid in the region where both sides are
computed accurately (|x| ≤ 5 by default: beyond it 1 − tanh² and 2σ(2x) − 1 lose
digits to cancellation, a property of the formulas, not of the identities).
"""

from __future__ import annotations

import inspect
import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table

EPS = float(np.finfo(np.float64).eps)


CURVE_POINTS = 1001  # points per stored curve, at most (about)


@dataclass(frozen=True)
class Config:
    x_low: float = -10.0  # plotting range
    x_high: float = 10.0
    n_points: int = 20001  # grid points (odd, so that x = 0 is on the grid)
    identity_range: float = 5.0  # identities checked on [-r, r], the accurate region
    tolerance_eps: float = 8.0  # identities hold to this many machine epsilons (absolute)
    seed: int = 0  # unused (deterministic); kept so every experiment takes --seed

    @classmethod
    def quick(cls) -> Config:
        return cls(n_points=2001)


def naive_step(x: Any) -> int:
    """The lecture notes' step function: fine for one number, fails on an array."""
    if x > 0:
        return 1
    else:
        return 0


def vectorised_step(x: Any) -> np.ndarray:
    """The fix: a comparison on the whole array, no Python ``if``."""
    return np.where(np.asarray(x) > 0, 1.0, 0.0)


def step_pitfall_example() -> dict[str, Any]:
    """Run the naive step on an array, capture the error, and show the fix."""
    x = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    try:
        naive_step(x)
        message = ""
    except ValueError as err:  # "The truth value of an array with more than one element..."
        message = f"{type(err).__name__}: {err}"
    return {
        "input": x,
        "naive_code": _code_of(naive_step),
        "naive_scalar_results": [naive_step(float(v)) for v in x],
        "naive_array_error": message,
        "fixed_code": _code_of(vectorised_step),
        "fixed_output": vectorised_step(x),
        "curve_x": np.linspace(-2.5, 2.5, 501),
        "curve_y": vectorised_step(np.linspace(-2.5, 2.5, 501)),
    }


def _code_of(function: Any) -> str:
    """A function's source without its (one-line) docstring and comments, for display."""
    lines = inspect.getsource(function).splitlines()
    return "\n".join(ln.split("  #")[0] for ln in lines if '"""' not in ln)


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import actlab

    start = time.perf_counter()
    sigmoid, tanh = actlab.get("sigmoid"), actlab.get("tanh")
    x = np.linspace(config.x_low, config.x_high, config.n_points)
    d_sigmoid = sigmoid.derivative(x)
    peak_at = float(x[np.argmax(d_sigmoid)])
    peak = float(d_sigmoid.max())
    if progress:
        progress(0.3, "sigmoid' peak")

    r = config.identity_range
    xi = x[np.abs(x) <= r]
    t = tanh(xi)
    via_sigmoid = 2.0 * sigmoid(2.0 * xi) - 1.0
    tanh_prime = tanh.derivative(xi)
    via_square = 1.0 - t**2
    gap_tanh = float(np.max(np.abs(t - via_sigmoid)))
    gap_prime = float(np.max(np.abs(tanh_prime - via_square)))
    tol = config.tolerance_eps * EPS
    if progress:
        progress(0.7, "identities")

    pitfall = step_pitfall_example()
    # all arithmetic (σ(0)(1 − σ(0)) = 1/4 and two identities) or Python semantics: checks
    claims = [
        Claim.check("sigmoid'(x) peaks at 0.25", LECTURE_NOTES, 0.25, peak,
                    holds=abs(peak - 0.25) <= EPS,
                    quantity=f"max of sigmoid' over {config.n_points} grid points"),
        Claim.check("sigmoid'(x) peaks at x = 0", LECTURE_NOTES, 0.0, peak_at,
                    holds=abs(peak_at) <= 1e-12, quantity="x of the maximum"),
        Claim.check("tanh(x) = 2σ(2x) − 1", LECTURE_NOTES, f"≤ {tol:.2g}", gap_tanh,
                    holds=gap_tanh <= tol,
                    quantity=f"max |difference| on [-{r:g}, {r:g}]",
                    detail=f"{config.tolerance_eps:g} machine epsilons"),
        Claim.check("tanh'(x) = 1 − tanh²(x)", LECTURE_NOTES, f"≤ {tol:.2g}", gap_prime,
                    holds=gap_prime <= tol,
                    quantity=f"max |difference| on [-{r:g}, {r:g}]",
                    detail=f"{config.tolerance_eps:g} machine epsilons"),
        Claim.check("`if x > 0` on an array raises 'truth value ... is ambiguous'",
                    LECTURE_NOTES, "ValueError: The truth value of an array is ambiguous",
                    pitfall["naive_array_error"],
                    holds="truth value of an array" in pitfall["naive_array_error"],
                    quantity="the error NumPy raises"),
    ]
    # the claims use every grid point; the stored curves (for the figures) at most about
    # CURVE_POINTS of them, so that result.json stays small (20001 points: 2 MB)
    every = max(1, (config.n_points - 1) // (CURVE_POINTS - 1))
    xs = x[::every]
    curves = {
        "functions": {"x": xs, "sigmoid": sigmoid(xs), "sigmoid_prime": d_sigmoid[::every],
                      "tanh": tanh(xs), "tanh_prime": tanh.derivative(xs)},
        "identities": {"x": xi[::every],
                       "tanh_minus_2sigma2x_minus_1": (t - via_sigmoid)[::every],
                       "tanh_prime_minus_1_minus_tanh2": (tanh_prime - via_square)[::every]},
        "step_pitfall": pitfall,
    }
    metrics = {"sigmoid_prime_peak": peak, "sigmoid_prime_peak_at": peak_at,
               "max_abs_tanh_identity_gap": gap_tanh, "max_abs_tanh_prime_identity_gap": gap_prime,
               "tolerance": tol, "step_error_message": pitfall["naive_array_error"]}
    table = Table(["input", "naive step (one number at a time)", "vectorised step (array)"],
                  [[float(v), a, float(b)] for v, a, b in zip(
                      pitfall["input"], pitfall["naive_scalar_results"],
                      pitfall["fixed_output"], strict=True)],
                  caption="On the whole array the naive step raises: "
                  + pitfall["naive_array_error"])
    if progress:
        progress(1.0, "done")
    return Result("saturation_basics", asdict(config), metrics, {"step_function": table}, curves,
                  claims, time.perf_counter() - start)
