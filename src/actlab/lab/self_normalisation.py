"""Self-normalisation: SELU keeps activations at mean 0, variance 1 through 100 layers.

Gaussian inputs go through a deep fully connected net with LeCun-normal
weights (std √(1/fan_in)) and zero biases; after every layer we record the
mean and variance of the activations.  Every seed draws its own weights and
inputs; the seeds run together as one batched product per layer, and the
claims use the mean over seeds with a 95 % t-interval.  Klambauer et al. (2017) chose SELU's
α and λ so that (0, 1) is a stable fixed point of that map; other activations
drift towards zero, blow up, or settle elsewhere.  The constants themselves
are recomputed here from the paper's closed forms with 50-digit arithmetic
and compared with the catalogue's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
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
    width: int = 256  # units per layer
    batch: int = 64  # Gaussian input samples per seed
    activations: tuple[str, ...] = ("selu", "relu", "elu", "tanh", "gelu", "silu", "sigmoid")
    seeds: int = 10  # independent nets (weights and inputs) per activation
    mean_tolerance: float = 0.1  # |mean| within it counts as "mean ≈ 0"
    variance_tolerance: float = 0.15  # |variance − 1| within it counts as "variance ≈ 1"
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(depth=30, width=64, batch=64, seeds=5, activations=("selu", "relu", "tanh"))


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
    """Mean and variance of the activations after each of ``depth`` layers, per seed:
    two arrays of shape (seeds, depth)."""
    return propagate_all((activation,), config)[activation]


def propagate_all(activations: Sequence[str], config: Config,
                  ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """:func:`propagate` for several activations at once: every activation sees the same
    inputs and the same weights (drawn once per layer, the costly part), so the seeds
    are paired across activations."""
    import torch

    import actlab

    modules = {name: actlab.get(name).to_torch() for name in activations}
    generator = torch.Generator().manual_seed(config.seed)
    shape = (config.seeds, config.batch, config.width)
    start = torch.randn(shape, generator=generator, dtype=torch.float32)
    x = dict.fromkeys(activations, start)
    moments = {name: (np.empty((config.seeds, config.depth)),
                      np.empty((config.seeds, config.depth))) for name in activations}
    std = (1.0 / config.width) ** 0.5
    with torch.no_grad():
        for layer in range(config.depth):
            weights = torch.randn(config.seeds, config.width, config.width,
                                  generator=generator, dtype=torch.float32) * std
            for name, module in modules.items():
                x[name] = module(torch.bmm(x[name], weights))
                flat = x[name].flatten(1)
                means, variances = moments[name]
                means[:, layer] = flat.mean(dim=1).numpy()
                variances[:, layer] = flat.var(dim=1, unbiased=False).numpy()
    return moments


def distance_from_fixed_point(mean: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """How far (mean, variance) lies from (0, 1): |mean| + |log variance| (0 at the fixed
    point; a variance that halves or doubles counts as much as a mean of 0.69)."""
    return np.abs(mean) + np.abs(np.log(np.maximum(variance, 1e-300)))


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import actlab

    start = time.perf_counter()
    curves: dict[str, dict[str, list]] = {}
    final: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # per seed, after the last layer
    moments = propagate_all(config.activations, config)
    for name, (means, variances) in moments.items():
        final[name] = (means[:, -1], variances[:, -1])
        curves[name] = {"mean": means.mean(axis=0).tolist(),
                        "mean_low": means.min(axis=0).tolist(),
                        "mean_high": means.max(axis=0).tolist(),
                        "variance": variances.mean(axis=0).tolist(),
                        "variance_low": variances.min(axis=0).tolist(),
                        "variance_high": variances.max(axis=0).tolist(),
                        "final_mean": means[:, -1].tolist(),
                        "final_variance": variances[:, -1].tolist()}
    if progress:
        progress(0.9, f"{len(config.activations)} activations through {config.depth} layers")

    alpha_50, lambda_50 = selu_constants(50)
    selu = actlab.get("selu")
    ours_alpha, ours_lambda = selu.params["alpha"], selu.params["scale"]
    moment_mean, moment_var = selu_moments(float(alpha_50), float(lambda_50))
    if progress:
        progress(1.0, "SELU constants")

    table = Table(
        columns=["activation", "mean after last layer", "95 % interval",
                 "variance after last layer", "95 % interval"],
        rows=[[name, round(float(m.mean()), 4), _interval_text(m),
               round(float(v.mean()), 4), _interval_text(v)]
              for name, (m, v) in final.items()],
        caption=f"{config.depth} layers of width {config.width}, LeCun-normal weights, "
        f"{config.batch} Gaussian inputs per net; mean over {config.seeds} independent nets "
        "(seeds) with a 95 % t-interval.",
    )
    constants = Table(
        columns=["constant", "closed form (50 digits, ours)", "published (32 digits)",
                 "catalogue (float64)"],
        rows=[["α", alpha_50, PUBLISHED_ALPHA, repr(ours_alpha)],
              ["λ", lambda_50, PUBLISHED_LAMBDA, repr(ours_lambda)]],
        caption="SELU's constants recomputed from the paper's closed forms.",
    )
    claims = _claims(config, final)
    claims.append(Claim.check(
        "α and λ from the closed forms equal the published 32-digit constants",
        KLAMBAUER, f"α = {PUBLISHED_ALPHA}, λ = {PUBLISHED_LAMBDA}",
        f"α = {alpha_50[:33]}, λ = {lambda_50[:33]}",
        holds=_rounded(alpha_50, PUBLISHED_ALPHA) == PUBLISHED_ALPHA
        and _rounded(lambda_50, PUBLISHED_LAMBDA) == PUBLISHED_LAMBDA,
        detail="our 50-digit values rounded to the published number of digits"))
    claims.append(Claim.check(
        "The catalogue's float64 constants are the closed forms correctly rounded",
        "the catalogue's SELU entry", "float(closed form)",
        f"α {ours_alpha!r}, λ {ours_lambda!r}",
        holds=ours_alpha == float(alpha_50) and ours_lambda == float(lambda_50),
        detail="exact equality of float64 values"))
    claims.append(Claim.check(
        "With these α, λ the map (mean, var) of SELU(z), z ~ N(0,1), has the fixed point (0, 1)",
        KLAMBAUER, "mean 0, variance 1", f"mean {moment_mean:.2e}, variance {moment_var:.15f}",
        holds=abs(moment_mean) < 1e-12 and abs(moment_var - 1.0) < 1e-12,
        detail="moments by quadrature (30 digits); tolerance 1e-12"))
    selu_final = final.get("selu")
    return Result(
        experiment="self_normalisation",
        config=asdict(config),
        metrics={"selu_final_mean": float(selu_final[0].mean()) if selu_final else np.nan,
                 "selu_final_variance": float(selu_final[1].mean()) if selu_final else np.nan,
                 "fixed_point_mean": moment_mean, "fixed_point_variance": moment_var},
        tables={"final_moments": table, "constants": constants},
        curves=curves,
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def _claims(config: Config, final: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[Claim]:
    """SELU's final mean and variance (estimates over seeds), and the others' drift (paired
    by seed: every activation sees the same weights and inputs for a given seed)."""
    if "selu" not in final:
        return []
    mean, var = final["selu"]
    claims = [
        Claim.estimate(
            f"SELU activations keep mean ≈ 0 through {config.depth} layers", KLAMBAUER, 0.0,
            samples=mean, tolerance=config.mean_tolerance, quantity="mean of the activations",
            detail=f"mean of the activations after layer {config.depth}, width "
            f"{config.width}, LeCun-normal weights; one value per seed"),
        Claim.estimate(
            f"SELU activations keep variance ≈ 1 through {config.depth} layers", KLAMBAUER, 1.0,
            samples=var, tolerance=config.variance_tolerance,
            quantity="variance of the activations",
            detail=f"variance of the activations after layer {config.depth}; one value per "
            "seed"),
    ]
    others = [n for n in final if n != "selu"]
    if others:
        selu_distance = distance_from_fixed_point(mean, var)
        gaps = np.stack([distance_from_fixed_point(*final[n]) - selu_distance for n in others])
        closest = [others[i] for i in np.argmin(gaps, axis=0)]
        claims.append(Claim.effect(
            "Other activations end further from (0, 1) than SELU under the same "
            "initialisation", KLAMBAUER, "further (difference > 0)",
            differences=gaps.min(axis=0),
            quantity="distance from (0, 1), rival minus SELU",
            detail="per seed: the smallest, over " + ", ".join(others) + ", of their "
            "distance from (0, 1) minus SELU's, distance = |mean| + |ln variance| after the "
            "last layer; closest rival per seed: " + ", ".join(closest)))
    return claims


def _interval_text(values: np.ndarray) -> str:
    from actlab.lab.statistics import t_interval

    low, high = t_interval(values.tolist())
    return f"[{low:.4g}, {high:.4g}]"
