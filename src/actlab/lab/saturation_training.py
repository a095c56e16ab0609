"""Saturation in training: Glorot & Bengio's Fig. 2 in their own setting, over seeds.

Glorot & Bengio (2010, §3) trained fully connected nets with 1000 sigmoid units
per hidden layer, the "standard" initialisation U[-1/√n, 1/√n] and zero biases,
by plain SGD on mini-batches of 10, on Shapeset-3×2 (32×32 images, 9 classes,
an infinite stream: every example is new).  With four hidden layers they saw
the top hidden layer's mean activation on 300 fixed test examples driven to 0
early in training — within the first of their epochs of 20,000 updates — and
recover only slowly, around epoch 100 (2 million updates); with five layers it
may never escape.

We train that net (``actlab.data.shapeset`` generates the data, every mini-batch
fresh) on several seeds at once as an ensemble, and record each layer's mean,
standard deviation and saturated fraction on 300 fixed examples.  The
published run (100+ epochs of 20,000 updates of a 4 × 1000 net) is far beyond
the report's time budget: ours is the longest that fits, and the claims say
in epochs how much of the paper's run it covers.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import Claim, Result, Table

GLOROT_BENGIO = "Glorot & Bengio 2010, Understanding the difficulty of training deep FNNs, §3"
UPDATES_PER_EPOCH = 20_000  # the paper's epochs: 20k mini-batch updates (Fig. 2)
RECOVERY_EPOCH = 100  # where the paper's top layer desaturates


@dataclass(frozen=True)
class Config:
    activations: tuple[str, ...] = ("sigmoid",)  # add "tanh", "softsign" at ~25 s each
    hidden_layers: int = 4  # the paper's Fig. 2
    width: int = 1000  # the paper: 1000 units per hidden layer
    init: str = "uniform"  # U[-1/√n, 1/√n], the paper's "standard" initialisation
    learning_rate: float = 0.1  # plain SGD (the paper tuned it on validation, unpublished)
    batch_size: int = 10  # the paper's mini-batch size
    steps: int = 200  # updates: as many as the time budget allows (the paper: > 2 million)
    record_every: int = 10  # updates between snapshots
    probe_size: int = 300  # fixed examples the statistics are measured on (as the paper)
    seeds: int = 5  # independent nets per activation
    saturated_mean: float = 0.1  # the top layer counts as saturated at 0 below this mean
    recovered_rise: float = 0.1  # ...and as recovering once its mean rose this much
    saturation_threshold: float = 0.05  # |f'| below it counts as saturated (σ < 0.053 or > 0.947)
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(activations=("sigmoid",), width=32, steps=60, record_every=10,
                   probe_size=100)


def train_and_watch(activation: str, config: Config) -> dict[str, np.ndarray]:
    """Train ``config.seeds`` nets at once on fresh Shapeset batches; per snapshot, layer and
    seed: mean, std and saturated fraction of the activations on the probe examples."""
    import torch

    import actlab
    from actlab.data.shapeset import make_shapeset
    from actlab.models.ensemble import EnsembleMLP, EnsembleOptimiser, ensemble_cross_entropy

    seeds = [config.seed * 1000 + s for s in range(config.seeds)]
    sizes = [32 * 32] + [config.width] * config.hidden_layers + [9]
    model = EnsembleMLP(sizes, activation, seeds, init=config.init)
    optimiser = EnsembleOptimiser(list(model.parameters()),
                                  torch.full((len(seeds),), config.learning_rate), "sgd")
    act = actlab.get(activation)
    probe_x, _ = make_shapeset(config.probe_size, seed=10_000 + config.seed)
    probe = torch.tensor(probe_x).unsqueeze(0).expand(len(seeds), -1, -1)
    # the stream: a fresh mini-batch per update and network (drawn up front, in one go)
    stream_x, stream_y = make_shapeset(config.steps * config.batch_size * len(seeds),
                                       seed=config.seed)
    xs = torch.tensor(stream_x).reshape(config.steps, len(seeds), config.batch_size, -1)
    ys = torch.tensor(stream_y).reshape(config.steps, len(seeds), config.batch_size)
    snapshots, losses = [], []

    def record() -> None:
        with torch.no_grad():
            model(probe, keep_hidden=True)
            stats = []
            for z, a in zip(model.pre_activations, model.hidden, strict=True):
                slope = act.derivative(z.numpy())
                stats.append([a.mean(dim=(1, 2)).numpy(), a.std(dim=(1, 2)).numpy(),
                              (np.abs(slope) < config.saturation_threshold).mean(axis=(1, 2))])
            snapshots.append(np.array(stats))  # (layers, 3, seeds)

    for step in range(config.steps):
        if step % config.record_every == 0:
            record()
        loss = ensemble_cross_entropy(model(xs[step]), ys[step])
        optimiser.zero_grad()
        loss.sum().backward()
        optimiser.step()
        losses.append(loss.detach().numpy())
    record()
    steps = [*range(0, config.steps, config.record_every), config.steps]
    data = np.array(snapshots)  # (snapshots, layers, 3, seeds)
    return {"steps": np.array(steps), "mean": data[:, :, 0], "std": data[:, :, 1],
            "saturated": data[:, :, 2], "loss": np.array(losses)}


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    start = time.perf_counter()
    watched = {}
    for k, name in enumerate(config.activations):
        watched[name] = train_and_watch(name, config)
        if progress:
            progress((k + 1) / len(config.activations), f"{name}: {config.steps} SGD updates")

    epochs = config.steps / UPDATES_PER_EPOCH
    curves: dict[str, dict] = {}
    rows = []
    for name, w in watched.items():
        layers = {}
        for layer in range(config.hidden_layers):
            mean, std, sat = (w[key][:, layer, :] for key in ("mean", "std", "saturated"))
            layers[f"layer {layer + 1}"] = {
                "mean": mean.mean(axis=1).tolist(), "mean_low": mean.min(axis=1).tolist(),
                "mean_high": mean.max(axis=1).tolist(), "std": std.mean(axis=1).tolist(),
                "saturated": sat.mean(axis=1).tolist()}
            rows.append([name, f"layer {layer + 1}", round(float(mean[0].mean()), 3),
                         round(float(mean.min(axis=0).mean()), 3),
                         round(float(mean[-1].mean()), 3), round(float(sat[-1].mean()), 3)])
        curves[name] = {"steps": w["steps"].tolist(), "layers": layers,
                        "loss": w["loss"].mean(axis=1)[::config.record_every].tolist()}
    claims = _claims(watched, config, epochs) if "sigmoid" in watched else []
    return Result(
        experiment="saturation_training",
        config=asdict(config),
        metrics={"epochs_of_20k_updates": epochs,
                 **{f"{n}_final_loss": float(w["loss"][-1].mean()) for n, w in watched.items()}},
        tables={"layer_means": Table(
            columns=["activation", "layer", "mean at start", "lowest mean", "mean at end",
                     "saturated at end"],
            rows=rows,
            caption=f"Activation statistics on {config.probe_size} fixed Shapeset-3×2 images, "
            f"mean over {config.seeds} seeds; {config.hidden_layers}×{config.width} hidden "
            f"units, {config.init} init, SGD lr {config.learning_rate}, batch "
            f"{config.batch_size}, {config.steps} updates = {epochs:.3g} of the paper's epochs "
            f"of {UPDATES_PER_EPOCH:,} updates.")},
        curves=curves,
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def _claims(watched: dict[str, dict[str, np.ndarray]], config: Config,
            epochs: float) -> list[Claim]:
    top = watched["sigmoid"]["mean"][:, config.hidden_layers - 1, :]  # (snapshots, seeds)
    lowest = top.min(axis=0)
    rise = top[-1] - lowest
    covered = (f"our run: {config.steps} updates of {config.batch_size} = {epochs:.3g} of the "
               f"paper's epochs of {UPDATES_PER_EPOCH:,} updates (the longest that fits the "
               f"time budget for a {config.hidden_layers} × {config.width} net on "
               f"{config.seeds} seeds)")
    early = Claim.effect(
        "The top hidden sigmoid layer is driven to saturation at 0 early in training (within "
        "the first epoch)", GLOROT_BENGIO, f"top-layer mean below {config.saturated_mean:g}",
        differences=lowest, direction="less", null=config.saturated_mean,
        quantity="lowest mean activation of the top hidden layer on the probe images",
        detail=f"per seed, the lowest top-layer mean during our run, which lies wholly in the "
        f"paper's first epoch; {covered}")
    recovery = Claim.effect(
        "…and then slowly recovers (it desaturates around epoch 100)", GLOROT_BENGIO,
        f"top-layer mean rises by more than {config.recovered_rise:g}",
        differences=rise, direction="greater", null=config.recovered_rise,
        quantity="rise of the top-layer mean from its lowest point to the end of our run",
        detail=f"{covered}; the paper's recovery comes after about {RECOVERY_EPOCH} epochs, "
        f"{RECOVERY_EPOCH / max(epochs, 1e-12):,.0f}× longer than our run, so this verdict "
        "judges only the stretch we could afford")
    return [early, recovery]
