"""Depth sweep: test accuracy of deep fully connected nets against depth, per activation.

For each activation and depth, several seeds of a constant-width MLP are
trained together (one batched pass, see ``actlab.models.ensemble``) with Adam
on the digits; every seed sees the same initial weights (where the scheme is
the same) and the same mini-batches under every activation, so comparisons are
paired by seed.  We record the test accuracy (the metric the papers report)
and the final training loss.

* Ramachandran, Zoph & Le (2017) report Swish (SiLU) above ReLU in very deep
  (> 40 layers) fully connected nets on MNIST: judged at 50 layers.
* Misra (2019) reports Mish above ReLU for deep (> 15 layers) fully connected
  nets on MNIST: judged at 25 layers.
* Hendrycks & Gimpel (2016) report GELU with the lowest median training loss
  on an 8-layer, 128-unit MLP against ReLU and ELU: judged on the training loss.

The papers trained for many epochs; within the report's time budget ours are
trained for a few hundred steps, which the claims' details say.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import Claim, Result, Table

MISRA = "Misra 2019, Mish: a self regularized non-monotonic activation function"
RAMACHANDRAN = "Ramachandran, Zoph & Le 2017, Searching for activation functions"
HENDRYCKS = "Hendrycks & Gimpel 2016, Gaussian error linear units (GELUs)"

if TYPE_CHECKING:
    import torch

    # x_train, y_train, x_test, y_test
    Data = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]

# The initialisation each activation is usually paired with.
INIT_FOR = {"selu": "lecun", "tanh": "glorot", "sigmoid": "glorot"}


@dataclass(frozen=True)
class Config:
    activations: tuple[str, ...] = ("relu", "silu", "mish", "gelu", "elu")
    depths: tuple[int, ...] = (2, 25, 50)  # hidden layers
    width: int = 64  # units per hidden layer
    swish_depth: int = 50  # Ramachandran et al.: Swish ahead of ReLU beyond 40 layers
    mish_depth: int = 25  # Misra: Mish ahead of ReLU beyond 15 layers
    gelu_check_width: int = 128  # the 8-layer, 128-unit MLP of Hendrycks & Gimpel
    steps: int = 200  # Adam steps
    learning_rate: float = 1e-3
    batch_size: int = 64
    seeds: int = 5
    tail: int = 50  # final loss = mean of the last `tail` steps' mini-batch losses
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(activations=("relu", "silu", "gelu", "elu"), depths=(2, 6), width=16,
                   swish_depth=6, mish_depth=6, gelu_check_width=16, steps=40, seeds=5,
                   tail=10)


@dataclass(frozen=True)
class Outcome:
    """Per seed: the final training loss and the test accuracy (%)."""

    final_loss: np.ndarray
    test_accuracy: np.ndarray


def train(activation: str, depth: int, width: int, config: Config, data: Data) -> Outcome:
    """Train ``config.seeds`` nets at once; ``data`` = (x_train, y_train, x_test, y_test)."""
    import torch

    from actlab.models.ensemble import EnsembleMLP, ensemble_accuracy, ensemble_cross_entropy

    x, y, x_test, y_test = data
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
    loss = torch.nan_to_num(tail, nan=np.inf).numpy().astype(float)
    accuracy = np.nan_to_num(ensemble_accuracy(model, x_test, y_test).astype(float), nan=0.0)
    return Outcome(loss, accuracy)


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import torch

    from actlab.data.digits import load_digits_split

    start = time.perf_counter()
    split = load_digits_split(seed=config.seed)
    data = (torch.tensor(split.x_train, dtype=torch.float32),
            torch.tensor(split.y_train, dtype=torch.int64),
            torch.tensor(split.x_test, dtype=torch.float32),
            torch.tensor(split.y_test, dtype=torch.int64))
    jobs = [(a, d) for a in config.activations for d in config.depths]
    gelu_rivals = [a for a in ("gelu", "relu", "elu") if a in config.activations]
    total = len(jobs) + len(gelu_rivals)
    accuracy: dict[str, dict[str, list[float]]] = {a: {} for a in config.activations}
    losses: dict[str, dict[str, list[float]]] = {a: {} for a in config.activations}
    for k, (act, depth) in enumerate(jobs):
        outcome = train(act, depth, config.width, config, data)
        accuracy[act][str(depth)] = outcome.test_accuracy.tolist()
        losses[act][str(depth)] = outcome.final_loss.tolist()
        if progress:
            progress((k + 1) / total, f"{act}, {depth} hidden layers")
    eight_layer: dict[str, list[float]] = {}
    for k, act in enumerate(gelu_rivals):
        eight_layer[act] = train(act, 8, config.gelu_check_width, config,
                                 data).final_loss.tolist()
        if progress:
            progress((len(jobs) + k + 1) / total, f"8 × {config.gelu_check_width}: {act}")

    claims = _claims(config, accuracy, eight_layer)
    mean_acc = {a: {d: float(np.mean(v)) for d, v in per.items()} for a, per in accuracy.items()}
    rows = [[a, *[round(mean_acc[a][str(d)], 1) for d in config.depths]]
            for a in config.activations]
    deepest = str(max(config.depths))
    return Result(
        experiment="depth_sweep",
        config=asdict(config),
        metrics={f"{a}_test_accuracy_depth_{deepest}": mean_acc[a][deepest]
                 for a in config.activations},
        tables={"test_accuracy": Table(
            columns=["activation", *[f"{d} layers" for d in config.depths]],
            rows=rows,
            caption=f"Mean test accuracy (%) on the digits over {config.seeds} seeds after "
            f"{config.steps} Adam steps (lr {config.learning_rate:g}, batch "
            f"{config.batch_size}), width {config.width}.")},
        curves={"accuracy": accuracy, "losses": losses, "eight_layer": eight_layer,
                "depths": list(config.depths)},
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def _claims(config: Config, accuracy: dict[str, dict[str, list[float]]],
            eight_layer: dict[str, list[float]]) -> list[Claim]:
    claims = []
    budget = (f"{config.seeds} seeds paired (same initial weights and mini-batches), "
              f"{config.steps} Adam steps on the digits — far shorter than the papers' "
              "training")
    for rival, depth, source, threshold in (("silu", config.swish_depth, RAMACHANDRAN, 40),
                                            ("mish", config.mish_depth, MISRA, 15)):
        key = str(depth)
        if rival not in accuracy or "relu" not in accuracy or key not in accuracy["relu"]:
            continue
        claims.append(Claim.effect(
            f"Deep (> {threshold} layers) fully connected nets reach a higher test accuracy "
            f"with {rival} than with ReLU", source, f"{rival} above ReLU",
            samples=(accuracy[rival][key], accuracy["relu"][key]),
            quantity=f"test accuracy (%) at {depth} hidden layers, {rival} minus ReLU",
            detail=f"width {config.width}; {budget}"))
    if len(eight_layer) == 3:
        gelu = np.asarray(eight_layer["gelu"])
        best_rival = np.minimum(eight_layer["relu"], eight_layer["elu"])
        claims.append(Claim.effect(
            f"GELU has the lowest training loss on an 8-layer, {config.gelu_check_width}-unit "
            "MLP (vs ReLU, ELU)", HENDRYCKS, "GELU lowest (difference < 0)",
            differences=gelu - best_rival, direction="less",
            quantity="training loss, GELU minus the lower of ReLU and ELU",
            detail="per seed; median losses: " + ", ".join(
                f"{a} {np.median(v):.4f}" for a, v in eight_layer.items()) + f"; {budget}"))
    return claims
