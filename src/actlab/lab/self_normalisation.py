"""Self-normalisation: SELU keeps activations at mean 0, variance 1 through 100 layers.

Gaussian inputs go through a deep fully connected net with LeCun-normal
weights (std √(1/fan_in)) and zero biases; after every layer we record the
mean and variance of the activations.  Klambauer et al. (2017) chose SELU's
α and λ so that (0, 1) is a stable fixed point of that map; other activations
drift towards zero, blow up, or settle elsewhere.  The constants themselves
are recomputed here from the paper's closed forms with 50-digit arithmetic
and compared with the catalogue's.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import Claim, Result, Table

KLAMBAUER = "Klambauer et al. 2017, Self-normalizing neural networks"
# The constants as printed in the paper and in docs/design.md (32 significant digits).
PUBLISHED_ALPHA = "1.6732632423543772848170429916717"
PUBLISHED_LAMBDA = "1.0507009873554804934193349852946"


@dataclass(frozen=True)
class Config:
    depth: int = 100  # layers
    width: int = 256  # units per layer (docs/sources.md: width >= 256)
    batch: int = 1000  # Gaussian input samples
    activations: tuple[str, ...] = ("selu", "relu", "elu", "tanh", "gelu", "silu", "sigmoid")
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(depth=30, width=64, batch=256, activations=("selu", "relu", "tanh"))


def selu_constants(digits: int = 50) -> tuple[str, str]:
    """α and λ from the closed forms of Klambauer et al. (docs/sources.md), to ``digits`` digits."""
    import mpmath as mp

    with mp.workdps(digits + 10):
        erfc_half = mp.erfc(1 / mp.sqrt(2))
        e = mp.e
        alpha = -mp.sqrt(2 / mp.pi) / (erfc_half * mp.exp(mp.mpf(1) / 2) - 1)
        denominator = (2 + mp.pi - 2 * mp.sqrt(e) * (2 + mp.pi) * erfc_half
                       + e * mp.pi * erfc_half**2 + 2 * e**2 * mp.erfc(mp.sqrt(2)))
        lam = (1 - mp.sqrt(e) * erfc_half) * mp.sqrt(2 * mp.pi / denominator)
        return mp.nstr(alpha, digits), mp.nstr(lam, digits)


def _rounded(value: str, like: str) -> str:
    """``value`` rounded to as many significant digits as ``like`` has."""
    import mpmath as mp

    digits = len(like.replace(".", "").lstrip("0"))
    with mp.workdps(60):
        return mp.nstr(mp.mpf(value), digits)


def selu_moments(alpha: float, lam: float) -> tuple[float, float]:
    """Mean and variance of SELU(z), z ~ N(0, 1), by quadrature: the fixed point is (0, 1)."""
    import mpmath as mp

    def selu(z: mp.mpf) -> mp.mpf:
        return lam * (z if z > 0 else alpha * mp.expm1(z))

    density = mp.npdf
    with mp.workdps(30):
        mean = mp.quad(lambda z: selu(z) * density(z), [-mp.inf, 0, mp.inf])
        second = mp.quad(lambda z: selu(z) ** 2 * density(z), [-mp.inf, 0, mp.inf])
        return float(mean), float(second - mean**2)


def propagate(activation: str, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of the activations after each of ``depth`` layers."""
    import actlab

    act = actlab.get(activation)
    rng = np.random.default_rng(config.seed)
    x = rng.standard_normal((config.batch, config.width))
    means, variances = np.empty(config.depth), np.empty(config.depth)
    for layer in range(config.depth):
        weights = rng.normal(0.0, np.sqrt(1.0 / config.width), (config.width, config.width))
        x = act(x @ weights)
        means[layer], variances[layer] = x.mean(), x.var()
    return means, variances


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import actlab

    start = time.perf_counter()
    curves: dict[str, dict[str, list[float]]] = {}
    for k, name in enumerate(config.activations):
        means, variances = propagate(name, config)
        curves[name] = {"mean": means.tolist(), "variance": variances.tolist()}
        if progress:
            progress((k + 1) / (len(config.activations) + 1), f"{name}: {config.depth} layers")

    alpha_50, lambda_50 = selu_constants(50)
    selu = actlab.get("selu")
    ours_alpha, ours_lambda = selu.params["alpha"], selu.params["scale"]
    moment_mean, moment_var = selu_moments(float(alpha_50), float(lambda_50))
    if progress:
        progress(1.0, "SELU constants")

    final = {name: (c["mean"][-1], c["variance"][-1]) for name, c in curves.items()}
    table = Table(
        columns=["activation", "mean after last layer", "variance after last layer"],
        rows=[[name, round(m, 4), round(v, 4)] for name, (m, v) in final.items()],
        caption=f"{config.depth} layers of width {config.width}, LeCun-normal weights, "
        f"{config.batch} Gaussian inputs (seed {config.seed}).",
    )
    constants = Table(
        columns=["constant", "closed form (50 digits, ours)", "published (32 digits)",
                 "catalogue (float64)"],
        rows=[["α", alpha_50, PUBLISHED_ALPHA, repr(ours_alpha)],
              ["λ", lambda_50, PUBLISHED_LAMBDA, repr(ours_lambda)]],
        caption="SELU's constants recomputed from the closed forms in docs/sources.md.",
    )
    claims = []
    if "selu" in final:
        mean, var = final["selu"]
        claims.append(Claim.check(
            f"SELU activations keep mean ≈ 0 and variance ≈ 1 through {config.depth} layers",
            KLAMBAUER, "(0, 1) is a stable fixed point", f"mean {mean:.3f}, variance {var:.3f}",
            holds=abs(mean) < 0.1 and abs(var - 1) < 0.15,
            partly=abs(mean) < 0.25 and abs(var - 1) < 0.4,
            detail="reproduced when |mean| < 0.1 and |variance − 1| < 0.15 after the last layer"))
        drifting = [n for n, (m, v) in final.items()
                    if n != "selu" and (abs(m) > 0.1 or abs(v - 1) > 0.15)]
        others = [n for n in final if n != "selu"]
        if others:
            claims.append(Claim.check(
                "Other activations drift away from (0, 1) under the same initialisation",
                KLAMBAUER, "they drift", f"{len(drifting)} of {len(others)} drift",
                holds=len(drifting) == len(others), partly=bool(drifting),
                detail="drifting: " + (", ".join(drifting) or "none")))
    claims.append(Claim.check(
        "α and λ from the closed forms equal the published 32-digit constants",
        KLAMBAUER, f"α = {PUBLISHED_ALPHA}, λ = {PUBLISHED_LAMBDA}",
        f"α = {alpha_50[:33]}, λ = {lambda_50[:33]}",
        holds=_rounded(alpha_50, PUBLISHED_ALPHA) == PUBLISHED_ALPHA
        and _rounded(lambda_50, PUBLISHED_LAMBDA) == PUBLISHED_LAMBDA,
        detail="our 50-digit values rounded to the published number of digits"))
    claims.append(Claim.check(
        "The catalogue's float64 constants are the closed forms correctly rounded",
        "docs/design.md", "float(closed form)", f"α {ours_alpha!r}, λ {ours_lambda!r}",
        holds=ours_alpha == float(alpha_50) and ours_lambda == float(lambda_50),
        detail="exact equality of float64 values"))
    claims.append(Claim.compare(
        "With these α, λ the map (mean, var) of SELU(z), z ~ N(0,1), has the fixed point (0, 1)",
        KLAMBAUER, 1.0, moment_var, abs_tol=1e-12,
        detail=f"variance by quadrature; mean {moment_mean:.2e}"))
    return Result(
        experiment="self_normalisation",
        config=asdict(config),
        metrics={"selu_final_mean": final.get("selu", (np.nan,))[0],
                 "selu_final_variance": final.get("selu", (np.nan, np.nan))[1],
                 "fixed_point_mean": moment_mean, "fixed_point_variance": moment_var},
        tables={"final_moments": table, "constants": constants},
        curves=curves,
        claims=claims,
        seconds=time.perf_counter() - start,
    )
