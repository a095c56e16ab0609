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
standard deviation and saturated fraction on 300 fixed examples.  Both claims
are judged in the paper's epochs:

* "early" — within the first epoch: the lowest top-layer mean over the part of
  our run that lies in the first epoch.  The default run (600 updates, 0.03 of
  an epoch) is the longest that fits the report's time budget, and already
  long enough to see it.
* "slowly recovers" — around epoch 100: judged only by a run that reaches
  epoch 100 (2 million updates of five 4 × 1000 nets: days on two cores, so
  ``actlab lab run saturation_training --set steps=2200000 --set checkpoint=DIR``,
  resumable from DIR when stopped; never the
  report).  A shorter run says plainly that the recovery was not run, and how
  long the full run would take here, measured from its own speed.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from actlab.errors import InvalidValue
from actlab.lab.overrides import require_counts
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
    steps: int = 600  # updates: as many as the report's budget allows (the paper: > 2 million)
    snapshots: int = 60  # evenly spaced measurements over the run, as many over its 1st epoch
    chunk: int = 100  # updates whose fresh mini-batches are generated in one go
    # a directory to keep the run's state in and resume from (a multi-day run survives being
    # stopped); "" keeps none.  Saved every checkpoint_every chunks, and when the run ends.
    checkpoint: str = ""
    checkpoint_every: int = 50
    probe_size: int = 300  # fixed examples the statistics are measured on (as the paper)
    seeds: int = 5  # independent nets per activation
    saturated_mean: float = 0.1  # the top layer counts as saturated at 0 below this mean
    recovered_rise: float = 0.1  # ...and as recovering once its mean rose this much
    saturation_threshold: float = 0.05  # |f'| below it counts as saturated (σ < 0.053 or > 0.947)
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(activations=("sigmoid",), width=32, steps=60, snapshots=6, probe_size=100)

    @property
    def epochs(self) -> float:
        """The run's length in the paper's epochs of 20,000 updates."""
        return self.steps / UPDATES_PER_EPOCH

    def snapshot_steps(self) -> list[int]:
        """The updates after which the statistics are measured: 0, evenly spaced over the
        run and over its first epoch, the last.  The "early" claim is judged inside the
        first epoch: spaced over 2 million updates alone, no measurement would fall there."""
        taken = {self.steps}
        for span in (self.steps, min(self.steps, UPDATES_PER_EPOCH)):
            taken.update(range(0, span, max(1, span // max(1, self.snapshots))))
        return sorted(taken)


def train_and_watch(activation: str, config: Config,
                    progress: ProgressFn | None = None) -> dict[str, np.ndarray]:
    """Train ``config.seeds`` nets at once on fresh Shapeset batches; per snapshot, layer and
    seed: mean, std and saturated fraction of the activations on the probe examples, and
    the mean training loss since the previous snapshot."""
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
    snapshot_steps = config.snapshot_steps()
    snapshots: list[np.ndarray] = []
    losses: list[np.ndarray] = []
    since_last: list[np.ndarray] = []  # the training losses since the last snapshot

    def record() -> None:
        with torch.no_grad():
            model(probe, keep_hidden=True)
            stats = []
            for z, a in zip(model.pre_activations, model.hidden, strict=True):
                slope = act.derivative(z.numpy())
                stats.append([a.mean(dim=(1, 2)).numpy(), a.std(dim=(1, 2)).numpy(),
                              (np.abs(slope) < config.saturation_threshold).mean(axis=(1, 2))])
            snapshots.append(np.array(stats))  # (layers, 3, seeds)
        # the loss column of a snapshot: the mean over the updates since the previous one
        losses.append(np.mean(since_last, axis=0) if since_last else np.full(len(seeds), np.nan))
        since_last.clear()

    saved = _load_checkpoint(config, activation)
    if saved is None:
        record()
        first = 0
    else:  # resume: plain SGD keeps no optimiser state, so the weights are the whole state
        model.load_state_dict(saved["model"])
        snapshots[:], losses[:], since_last[:] = saved["snapshots"], saved["losses"], \
            saved["since_last"]
        first = saved["next_start"]
    for start in range(first, config.steps, config.chunk):
        # the stream: a fresh mini-batch per update and network, generated a chunk at a time
        # (a long run could not hold its whole stream in memory)
        count = min(config.chunk, config.steps - start)
        stream_x, stream_y = make_shapeset(count * config.batch_size * len(seeds),
                                           seed=config.seed * 1_000_003 + start)
        xs = torch.tensor(stream_x).reshape(count, len(seeds), config.batch_size, -1)
        ys = torch.tensor(stream_y).reshape(count, len(seeds), config.batch_size)
        for offset in range(count):
            loss = ensemble_cross_entropy(model(xs[offset]), ys[offset])
            optimiser.zero_grad()
            loss.sum().backward()
            optimiser.step()
            since_last.append(loss.detach().numpy())
            if start + offset + 1 in snapshot_steps:
                record()
        done = start + count
        if config.checkpoint and (done == config.steps
                                  or (done // config.chunk) % config.checkpoint_every == 0):
            _save_checkpoint(config, activation, {
                "model": model.state_dict(), "snapshots": snapshots, "losses": losses,
                "since_last": since_last, "next_start": done})
        if progress:
            progress(done / config.steps, f"{activation}: {done:,} of {config.steps:,} updates "
                     f"({done / UPDATES_PER_EPOCH:.3g} epochs)")
    data = np.array(snapshots)  # (snapshots, layers, 3, seeds)
    return {"steps": np.array(snapshot_steps), "mean": data[:, :, 0], "std": data[:, :, 1],
            "saturated": data[:, :, 2], "loss": np.array(losses)}


def _checkpoint_file(config: Config, activation: str) -> Path:
    return Path(config.checkpoint) / f"saturation_training-{activation}.pt"


def _identity(config: Config) -> dict[str, Any]:
    """What a checkpoint must have been made with to be resumed: every field but where
    the checkpoint is kept and how often it is saved."""
    return asdict(replace(config, checkpoint="", checkpoint_every=0))


def _load_checkpoint(config: Config, activation: str) -> dict[str, Any] | None:
    """The saved state of this run, or None when there is none to resume."""
    if not config.checkpoint:
        return None
    path = _checkpoint_file(config, activation)
    if not path.is_file():
        return None
    import torch

    state = torch.load(path, weights_only=False)
    if state.get("identity") != _identity(config):
        raise InvalidValue(f"{path} was saved by a run with another configuration; "
                           "use another checkpoint directory")
    return dict(state)


def _save_checkpoint(config: Config, activation: str, state: dict[str, Any]) -> None:
    """Write the state beside its final name, then rename: a run stopped while saving
    keeps the previous checkpoint whole."""
    import torch

    path = _checkpoint_file(config, activation)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    torch.save({**state, "identity": _identity(config)}, partial)
    os.replace(partial, path)


def _validate(config: Config) -> None:
    """Refuse what ``--set`` could make of the config that no run can mean."""
    from actlab.lab.verdict import MIN_SEEDS
    from actlab.models.initialisers import INITIALISERS

    if not config.activations:
        raise InvalidValue("activations: name at least one activation")
    require_counts({"hidden_layers": config.hidden_layers, "width": config.width,
                    "steps": config.steps, "snapshots": config.snapshots, "chunk": config.chunk,
                    "checkpoint_every": config.checkpoint_every,
                    "batch_size": config.batch_size, "probe_size": config.probe_size})
    if config.seeds < MIN_SEEDS:
        raise InvalidValue(f"seeds must be at least {MIN_SEEDS} (the claims rest on that "
                           f"many), got {config.seeds}")
    if not (math.isfinite(config.learning_rate) and config.learning_rate > 0):
        raise InvalidValue(f"learning_rate must be a number > 0, got {config.learning_rate}")
    if config.init not in INITIALISERS:
        raise InvalidValue(f"unknown init {config.init!r}; choose one of "
                           f"{', '.join(INITIALISERS)}")


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    _validate(config)
    start = time.perf_counter()
    watched = {}
    for k, name in enumerate(config.activations):
        def step(fraction: float, message: str, _k: int = k) -> None:
            if progress:
                progress((_k + fraction) / len(config.activations), message)

        watched[name] = train_and_watch(name, config, step)
    seconds_per_update = (time.perf_counter() - start) / max(1, config.steps * len(watched))

    epochs = config.epochs
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
        loss = w["loss"].mean(axis=1)
        curves[name] = {"steps": w["steps"].tolist(), "layers": layers,
                        "loss": [None if np.isnan(v) else float(v) for v in loss]}
    claims = _claims(watched, config) if "sigmoid" in watched else []
    metrics: dict[str, float | str] = {
        "epochs_of_20k_updates": epochs,
        "seconds_per_update": seconds_per_update,
        **{f"{n}_final_loss": float(w["loss"][-1].mean()) for n, w in watched.items()}}
    tables = {}
    if not _reaches_recovery(config):
        metrics["recovery"] = recovery_not_run(config, seconds_per_update)
        tables["recovery"] = Table(columns=["slow recovery (around epoch 100)"],
                                   rows=[[metrics["recovery"]]],
                                   caption="The paper's second claim needs the paper's run "
                                   "length; this run is too short to judge it either way.")
    return Result(
        experiment="saturation_training",
        config=asdict(config),
        metrics=metrics,
        tables={"layer_means": Table(
            columns=["activation", "layer", "mean at start", "lowest mean", "mean at end",
                     "saturated at end"],
            rows=rows,
            caption=f"Activation statistics on {config.probe_size} fixed Shapeset-3×2 images, "
            f"mean over {config.seeds} seeds; {config.hidden_layers}×{config.width} hidden "
            f"units, {config.init} init, SGD lr {config.learning_rate}, batch "
            f"{config.batch_size}, {config.steps} updates = {epochs:.3g} of the paper's epochs "
            f"of {UPDATES_PER_EPOCH:,} updates."), **tables},
        curves=curves,
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def _reaches_recovery(config: Config) -> bool:
    """Whether the run is long enough to judge the paper's recovery (around epoch 100)."""
    return config.epochs >= RECOVERY_EPOCH


def recovery_not_run(config: Config, seconds_per_update: float) -> str:
    """What a too-short run says about the recovery claim, with the time the full run
    would take on this machine (measured from this run's own speed)."""
    steps = int(RECOVERY_EPOCH * 1.1 * UPDATES_PER_EPOCH)
    hours = seconds_per_update * steps * len(config.activations) / 3600
    return (f"not run: the recovery comes around epoch {RECOVERY_EPOCH} and this run covers "
            f"{config.epochs:.3g} epochs; actlab lab run saturation_training --set "
            f"steps={steps} --set checkpoint=DIR runs {RECOVERY_EPOCH * 1.1:g} epochs, "
            f"resumable from DIR if stopped: about {hours:,.0f} hours "
            f"at this run's speed ({seconds_per_update * 1000:.0f} ms per update for "
            f"{config.seeds} nets of {config.hidden_layers} × {config.width} units)")


def _claims(watched: dict[str, dict[str, np.ndarray]], config: Config) -> list[Claim]:
    steps = watched["sigmoid"]["steps"]
    top = watched["sigmoid"]["mean"][:, config.hidden_layers - 1, :]  # (snapshots, seeds)
    in_first_epoch = steps <= UPDATES_PER_EPOCH
    lowest_early = top[in_first_epoch].min(axis=0)
    covered = (f"our run: {config.steps:,} updates of {config.batch_size} = "
               f"{config.epochs:.3g} of the paper's epochs of {UPDATES_PER_EPOCH:,} updates")
    early = Claim.effect(
        "The top hidden sigmoid layer is driven to saturation at 0 early in training (within "
        "the first epoch)", GLOROT_BENGIO, f"top-layer mean below {config.saturated_mean:g}",
        differences=lowest_early, direction="less", null=config.saturated_mean,
        quantity="lowest mean activation of the top hidden layer on the probe images, "
        "within the first epoch",
        detail=f"per seed, the lowest top-layer mean over the part of our run inside the "
        f"paper's first epoch ({min(config.steps, UPDATES_PER_EPOCH):,} updates); {covered}")
    if not _reaches_recovery(config):
        return [early]
    low_at = top.argmin(axis=0)
    rise = top[-1] - top[low_at, np.arange(top.shape[1])]
    recovery = Claim.effect(
        "…and then slowly recovers (it desaturates around epoch 100)", GLOROT_BENGIO,
        f"top-layer mean rises by more than {config.recovered_rise:g} by epoch "
        f"{config.epochs:.0f}",
        differences=rise, direction="greater", null=config.recovered_rise,
        quantity="rise of the top-layer mean from its lowest point to the end of the run",
        detail=f"per seed; {covered}")
    return [early, recovery]
