"""Depth sweep: how the final training loss of deep fully connected nets depends on depth.

For each activation and depth, several seeds of a constant-width MLP are
trained together (one batched pass, see ``actlab.models.ensemble``) with Adam
on the digits; the final training loss (mean over the last steps) is recorded.
Misra (2019) reports that deep (> 15 layers) fully connected nets train better
with Mish and Swish than with ReLU; Hendrycks & Gimpel report GELU with the
lowest median training loss on an 8-layer, 128-unit MLP against ReLU and ELU.
Both are small effects: the verdicts use the spread over seeds.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import Claim, Result, Table

MISRA = "Misra 2019, Mish: a self regularized non-monotonic activation function"
HENDRYCKS = "Hendrycks & Gimpel 2016, Gaussian error linear units (GELUs)"

# The initialisation each activation is usually paired with.
INIT_FOR = {"selu": "lecun", "tanh": "glorot", "sigmoid": "glorot"}


@dataclass(frozen=True)
class Config:
    activations: tuple[str, ...] = ("relu", "silu", "mish", "gelu", "selu", "tanh", "elu")
    depths: tuple[int, ...] = (2, 6, 12, 18, 25)  # hidden layers
    width: int = 64  # units per hidden layer
    gelu_check_width: int = 128  # the 8-layer, 128-unit MLP of Hendrycks & Gimpel
    steps: int = 200  # Adam steps
    learning_rate: float = 1e-3
    batch_size: int = 64
    seeds: int = 3
    tail: int = 50  # final loss = mean of the last `tail` steps' mini-batch losses
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(activations=("relu", "tanh", "gelu"), depths=(2, 6), width=16,
                   gelu_check_width=16, steps=40, seeds=2, tail=10)


def final_losses(activation: str, depth: int, width: int, config: Config, data) -> np.ndarray:
    """Final training loss of each seed, shape (seeds,)."""
    import torch

    from actlab.models.ensemble import EnsembleMLP, ensemble_cross_entropy

    x, y = data
    seeds = [config.seed * 1000 + s for s in range(config.seeds)]
    sizes = [x.shape[1]] + [width] * depth + [10]
    model = EnsembleMLP(sizes, activation, seeds, init=INIT_FOR.get(activation, "he"))
    optimiser = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    generator = torch.Generator().manual_seed(config.seed)
    history = []
    for _ in range(config.steps):
        idx = torch.randint(0, len(x), (len(seeds), config.batch_size), generator=generator)
        per_model = ensemble_cross_entropy(model(x[idx]), y[idx])
        optimiser.zero_grad()
        per_model.sum().backward()  # networks are independent: the sum separates
        optimiser.step()
        history.append(per_model.detach())
    tail = torch.stack(history[-config.tail:]).mean(dim=0)
    return torch.nan_to_num(tail, nan=np.inf).numpy().astype(float)


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import torch

    from actlab.data.digits import load_digits_split

    start = time.perf_counter()
    split = load_digits_split(seed=config.seed)
    data = (torch.tensor(split.x_train, dtype=torch.float32),
            torch.tensor(split.y_train, dtype=torch.int64))
    jobs = [(a, d) for a in config.activations for d in config.depths]
    gelu_rivals = [a for a in ("gelu", "relu", "elu") if a in config.activations]
    total = len(jobs) + len(gelu_rivals)
    losses: dict[str, dict[str, list[float]]] = {a: {} for a in config.activations}
    for k, (act, depth) in enumerate(jobs):
        losses[act][str(depth)] = final_losses(act, depth, config.width, config, data).tolist()
        if progress:
            progress((k + 1) / total, f"{act}, {depth} hidden layers")
    eight_layer = {}
    for k, act in enumerate(gelu_rivals):
        eight_layer[act] = final_losses(act, 8, config.gelu_check_width, config, data).tolist()
        if progress:
            progress((len(jobs) + k + 1) / total, f"8 × {config.gelu_check_width}: {act}")

    median = {a: {d: float(np.median(v)) for d, v in per.items()} for a, per in losses.items()}
    rows = [[a, *[round(median[a][str(d)], 4) for d in config.depths]] for a in config.activations]
    claims = []
    deep = [d for d in config.depths if d > 15]
    if deep and "relu" in losses:
        for rival in ("mish", "silu"):
            if rival not in losses:
                continue
            wins = sum(np.median(losses[rival][str(d)]) < np.median(losses["relu"][str(d)])
                       for d in deep)
            separated = sum(max(losses[rival][str(d)]) < min(losses["relu"][str(d)])
                            for d in deep)
            claims.append(Claim.check(
                f"Deep (> 15 layers) fully connected nets train better with {rival} than ReLU",
                MISRA, f"{rival} below ReLU",
                f"{rival}'s median loss below ReLU's at {wins} of {len(deep)} depths > 15 "
                f"({separated} with every seed below)",
                holds=separated == len(deep), partly=wins > len(deep) / 2,
                detail="reproduced only when every seed of the rival beats every ReLU seed"))
    if len(eight_layer) == 3:
        med = {a: float(np.median(v)) for a, v in eight_layer.items()}
        best = min(med, key=med.__getitem__)
        claims.append(Claim.check(
            f"GELU has the lowest median training loss on an 8-layer, "
            f"{config.gelu_check_width}-unit MLP (vs ReLU, ELU)", HENDRYCKS, "GELU lowest",
            ", ".join(f"{a} {m:.4f}" for a, m in med.items()),
            holds=best == "gelu", partly=med["gelu"] < max(med.values()),  # not the worst
            detail=f"{config.seeds} seeds, {config.steps} Adam steps on the digits; "
            "docs/sources.md expects differences inside seed noise on small data"))
    return Result(
        experiment="depth_sweep",
        config=asdict(config),
        metrics={f"{a}_loss_depth_{max(config.depths)}": median[a][str(max(config.depths))]
                 for a in config.activations},
        tables={"median_final_loss": Table(
            columns=["activation", *[f"{d} layers" for d in config.depths]],
            rows=rows,
            caption=f"Median over {config.seeds} seeds of the training loss (mean of the last "
            f"{config.tail} steps) after {config.steps} Adam steps, width {config.width}.")},
        curves={"losses": losses, "eight_layer": eight_layer, "depths": list(config.depths)},
        claims=claims,
        seconds=time.perf_counter() - start,
    )
