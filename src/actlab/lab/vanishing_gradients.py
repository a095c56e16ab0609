"""Vanishing gradients: per-layer gradient norm at initialisation against depth.

For every elementwise catalogue entry, every initialisation scheme (Glorot,
He, LeCun) and depths 2..50, a fully connected net of constant width is
evaluated once on Gaussian inputs with an MSE loss against Gaussian targets,
and the norm of each layer's weight gradient is recorded.  The summary is the
ratio of the first layer's gradient norm to the last layer's (log10): near 0
means the gradient reaches the input layer intact, large negative means it
vanished, large positive means it exploded.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import Claim, Result, Table

GLOROT_BENGIO = "Glorot & Bengio 2010, Understanding the difficulty of training deep FNNs"
HE = "He et al. 2015, Delving deep into rectifiers"


@dataclass(frozen=True)
class Config:
    depths: tuple[int, ...] = (2, 5, 10, 25, 50)  # number of hidden layers
    width: int = 64  # units per hidden layer
    batch: int = 64  # Gaussian input samples
    inits: tuple[str, ...] = ("glorot", "he", "lecun")  # weight schemes compared
    activations: tuple[str, ...] = ()  # empty: every elementwise catalogue entry
    seeds: int = 2  # independent networks averaged per cell
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(depths=(2, 5, 10), width=16, batch=32, seeds=2,
                   activations=("relu", "tanh", "sigmoid"))


def _activations(config: Config) -> list[str]:
    import actlab

    if config.activations:
        return list(config.activations)
    return [name for name in actlab.names() if actlab.get(name).elementwise]


def layer_gradient_norms(activation: str, init: str, depth: int, config: Config) -> np.ndarray:
    """Mean over seeds of ‖∂L/∂W_l‖ for l = 1..depth+1 (input layer first)."""
    import torch

    from actlab.models.ensemble import EnsembleMLP

    seeds = [config.seed * 1000 + s for s in range(config.seeds)]
    sizes = [config.width] * (depth + 1) + [1]
    model = EnsembleMLP(sizes, activation, seeds, init=init, dtype=torch.float64)
    model.eval()  # rrelu: its mean slope, not random slopes
    generator = torch.Generator().manual_seed(config.seed)
    x = torch.randn(len(seeds), config.batch, config.width, generator=generator,
                    dtype=torch.float64)
    target = torch.randn(len(seeds), config.batch, 1, generator=generator, dtype=torch.float64)
    loss = 0.5 * (model(x) - target).square().mean(dim=(1, 2)).sum()
    loss.backward()
    norms = np.array([
        [float(w.grad[s].norm()) if w.grad is not None else 0.0 for s in range(len(seeds))]
        for w in model.weights
    ])
    return norms.mean(axis=1)


def _log_ratio(norms: np.ndarray) -> float:
    first, last = norms[0], norms[-1]
    if last == 0 or first == 0 or not np.isfinite(first) or not np.isfinite(last):
        return float("nan")
    return math.log10(first / last)


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    start = time.perf_counter()
    names = _activations(config)
    cells = [(a, i, d) for a in names for i in config.inits for d in config.depths]
    ratios: dict[str, dict[str, list[float]]] = {i: {a: [] for a in names} for i in config.inits}
    profiles: dict[str, dict[str, list[float]]] = {i: {} for i in config.inits}
    for k, (act, init, depth) in enumerate(cells):
        norms = layer_gradient_norms(act, init, depth, config)
        ratios[init][act].append(_log_ratio(norms))
        if depth == max(config.depths):
            profiles[init][act] = norms.tolist()
        if progress:
            progress((k + 1) / len(cells), f"{act}, {init}, depth {depth}")

    tables = {
        f"log10_ratio_{init}": Table(
            columns=["activation", *[f"depth {d}" for d in config.depths]],
            rows=[[a, *[_round(v) for v in ratios[init][a]]] for a in names],
            caption=f"log10(‖∂L/∂W₁‖ / ‖∂L/∂W_last‖) at initialisation, {init} init: "
            "0 = intact, negative = vanishing, positive = exploding; "
            "blank = no gradient (zero derivative almost everywhere).",
        )
        for init in config.inits
    }
    deepest = max(config.depths)
    metrics: dict[str, float] = {}
    claims: list[Claim] = []
    # (activation, init, statement, source, published, "intact" or "vanishing")
    expectations = (
        ("relu", "he", "He initialisation keeps ReLU gradients from vanishing or exploding "
         "with depth", HE, "variance preserved: ratio ≈ 1", "intact"),
        ("sigmoid", "glorot", "Gradients vanish through deep sigmoid nets (σ' ≤ 1/4 per layer)",
         GLOROT_BENGIO, "vanishing", "vanishing"),
        ("tanh", "glorot", "Glorot's normalised init keeps tanh gradients roughly constant "
         "across layers", GLOROT_BENGIO, "ratio ≈ 1 (Glorot & Bengio Fig. 7)", "intact"),
    )
    for act, init, statement, source, published, expected in expectations:
        if act not in names or init not in config.inits:
            continue
        value = ratios[init][act][-1]
        metrics[f"{act}_{init}_log10_ratio_deepest"] = value
        if expected == "intact":
            holds, partly = abs(value) < 1.0, abs(value) < 2.0
            rule = "reproduced when the first/last gradient-norm ratio is within 10×"
        else:
            holds, partly = value < -3.0, value < -1.0
            rule = "reproduced when the first layer's gradient is < 1/1000 of the last's"
        claims.append(Claim.check(statement, source, published,
                                  f"10^{value:.2f} at depth {deepest}",
                                  holds=bool(holds), partly=bool(partly), detail=rule))
    return Result(
        experiment="vanishing_gradients",
        config=asdict(config),
        metrics=metrics,
        tables=tables,
        curves={"log10_ratio": ratios, "profile_deepest": profiles,
                "depths": list(config.depths), "activations": names},
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def _round(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 2)
