"""Softmax: probabilities that sum to 1, and why the naive formula fails.

``exp(x) / sum(exp(x))`` overflows for x = [1010, 1000, 990] (exp(1010) = inf,
inf / inf = nan), while subtracting the maximum first gives the right answer:
softmax is invariant to adding a constant to every input.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table

BIG_INPUT = (1010.0, 1000.0, 990.0)  # the classic overflow example


@dataclass(frozen=True)
class Config:
    big_input: tuple[float, ...] = BIG_INPUT  # overflows the naive formula
    n_random: int = 2000  # random vectors for the sum-to-one check
    width: int = 10  # classes per random vector
    scales: tuple[float, ...] = (1.0, 10.0, 100.0, 300.0, 1000.0)  # std of the random logits
    seed: int = 0  # random logits

    @classmethod
    def quick(cls) -> Config:
        return cls(n_random=200)


def naive_softmax(x: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """exp(x) / sum(exp(x)) as the lecture notes write it; returns the output and NumPy's
    warnings."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        e = np.exp(x)
        out = e / e.sum(axis=-1, keepdims=True)
    return out, sorted({str(w.message) for w in caught})


def shifted_softmax(x: np.ndarray) -> np.ndarray:
    """exp(x - max) / sum(exp(x - max)): the same function, no overflow."""
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def reference_softmax(x: tuple[float, ...]) -> list[float]:
    """50-digit softmax with mpmath, the oracle."""
    import mpmath

    with mpmath.workdps(50):
        e = [mpmath.exp(mpmath.mpf(v)) for v in x]
        total = mpmath.fsum(e)
        return [float(v / total) for v in e]


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import actlab

    start = time.perf_counter()
    big = np.array(config.big_input, dtype=np.float64)
    naive, naive_warnings = naive_softmax(big)
    ours = shifted_softmax(big)
    try:
        catalogue: list[float] | None = np.asarray(actlab.get("softmax")(big)).tolist()
    except KeyError:  # the catalogue's softmax entry is optional for this experiment
        catalogue = None
    reference = reference_softmax(config.big_input)
    ours_error = float(np.max(np.abs(ours - np.array(reference))))
    if progress:
        progress(0.3, "overflow example")

    rng = np.random.default_rng(config.seed)
    sum_gap: dict[str, Any] = {"scale": list(config.scales), "naive": [], "shifted": [],
                               "naive_nan_fraction": []}
    for scale in config.scales:
        logits = rng.normal(0.0, scale, size=(config.n_random, config.width))
        p_naive, _ = naive_softmax(logits)
        p_ours = shifted_softmax(logits)
        bad = ~np.all(np.isfinite(p_naive), axis=-1)
        ok = ~bad
        sum_gap["naive"].append(
            float(np.max(np.abs(p_naive[ok].sum(-1) - 1))) if ok.any() else float("nan"))
        sum_gap["shifted"].append(float(np.max(np.abs(p_ours.sum(-1) - 1))))
        sum_gap["naive_nan_fraction"].append(float(bad.mean()))
    if progress:
        progress(0.9, "sums")

    max_gap = max(sum_gap["shifted"])
    naive_broken = not np.all(np.isfinite(naive))
    # arithmetic and floating point, not experiments: checks
    sum_tolerance = 1e-15 * config.width
    claims = [
        Claim.check("softmax probabilities sum to 1", LECTURE_NOTES, f"≤ {sum_tolerance:.1g}",
                    max_gap, holds=max_gap <= sum_tolerance,
                    quantity=f"worst |sum − 1| over {config.n_random} random vectors per scale"),
        Claim.check("naive exp(x)/Σexp(x) overflows (nan) at x = [1010, 1000, 990]",
                    "IEEE 754 arithmetic: exp(1010) overflows to inf", "nan",
                    naive.tolist(), holds=naive_broken, quantity="the naive output"),
        Claim.check("the shifted softmax is right at x = [1010, 1000, 990]",
                    "mpmath 50-digit reference", "≤ 1e-15", ours_error,
                    holds=ours_error <= 1e-15, quantity="max |ours − reference|"),
    ]
    table = Table(["formula", *[f"p{i + 1}" for i in range(big.size)], "sum"],
                  [["naive exp(x)/Σexp(x)", *naive.tolist(), float(naive.sum())],
                   ["shifted exp(x−max)/Σ", *ours.tolist(), float(ours.sum())],
                   ["mpmath (50 digits)", *reference, float(sum(reference))]],
                  caption=f"x = {list(config.big_input)}; NumPy warned: "
                  + ("; ".join(naive_warnings) or "nothing"))
    if catalogue is not None:
        table.rows.insert(2, ["actlab.get('softmax')", *catalogue, float(sum(catalogue))])
    curves = {
        "big_input": {"x": big, "naive": naive, "shifted": ours, "reference": reference,
                      "catalogue": catalogue, "naive_warnings": naive_warnings},
        "sum_to_one": sum_gap,
    }
    metrics = {"naive_output": naive.tolist(), "shifted_output": ours.tolist(),
               "shifted_sum": float(ours.sum()), "max_abs_sum_minus_one": max_gap,
               "naive_warnings": naive_warnings}
    if progress:
        progress(1.0, "done")
    return Result("softmax", asdict(config), metrics, {"overflow": table}, curves, claims,
                  time.perf_counter() - start)
