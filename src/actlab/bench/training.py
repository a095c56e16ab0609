"""Train a group of bench runs — one configuration, several seeds — into run records.

:func:`train_group` is what a sweep's worker calls.  The rules that make the
comparison of activations fair live here:

* **Paired seeds.**  Seed s fixes the mini-batch sequence (drawn from the seed
  alone: every activation sees the same batches in the same order) and the
  initial weights (see :mod:`actlab.bench.models`).  Every activation gets the
  same number of steps (an epoch budget is converted to steps).
* **Learning rate.**  Fixed, or tuned: every rate of ``lr_grid`` is trained on
  the training split and judged on the validation split (its metric after the
  last step; then its best validation metric; then the smaller rate).  The choice
  is made per seed from that seed's own runs, so a record depends only on its own
  configuration and seed.  The test split is read once, after the choice, for the
  chosen run if it finished.
* **Divergence.**  A run whose training loss (or validation output) becomes NaN or
  infinite is ``diverged``: it is masked out of the summed loss from then on, so a
  packed neighbour never sees it, and its record keeps its curve up to there.
* **Packing.**  An MLP's seeds and rates train together as one
  :class:`~actlab.bench.packed_mlp.PackedMLP`, the MNIST-1D CNN's as one
  :class:`~actlab.bench.packed_cnn.PackedCNN1d` (when the activation is elementwise
  with nothing to learn); the 2-D CNN, factory models and the other CNN cases train
  one network after another.  A packed run gives the record it would give alone, up
  to float rounding.
* **Time.**  A packed step's time is shared equally by the networks trained in
  it; a run's ``wall_seconds`` / ``cpu_seconds`` are the group's totals divided
  by its number of seeds (so tuning's extra rates are charged to the run), and
  ``seconds_to_target`` is the run's share of the training time until its
  validation metric first reached the target.  Validation is evaluated at most 50
  times per run (and after the last step; see :func:`evaluation_interval`), which
  sets the resolution of ``steps_to_target``.

Measured with ``python benchmarks/bench_training.py`` (one torch thread; CPU seconds,
because the 2-core machine was shared with other jobs and wall time ran at 3-5× CPU
time): one group of 5 seeds costs, across the default bench's 8 activations, 7-12 s
for the MNIST-1D MLP at 2000 steps, 6-12 s for the (packed) MNIST-1D CNN at 600 steps
and 4-6 s for the digits MLP at 1000 steps: 181 s of CPU for the full default bench,
about 1.5 minutes on 2 free cores (one-at-a-time CNNs made it 248 s).  The quick
bench (150 / 30 / 150 steps) took 12.5 s of CPU, about 6 s on 2 cores.  Packing 10
seeds instead of training them one at a time was 7.6× faster for a 2-16-16-2 MLP on
moons, 5.5× for 64-32-32-10 and 2.8× for 64-100-100-10 on digits (the larger the
layers, the more the arithmetic, which packing does not save, outweighs the
per-step overhead, which it does).
"""

from __future__ import annotations

import itertools
import math
import platform
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

from actlab.bench.config import RunConfig, TrainingConfig
from actlab.bench.models import build_network, check_model, make_activation, packable
from actlab.bench.records import RunRecord, RunStatus
from actlab.bench.tasks import TaskData, check_task, load_task
from actlab.errors import UserError

if TYPE_CHECKING:
    import torch
    from torch import nn

    from actlab.bench.packed_cnn import PackedCNN1d
    from actlab.bench.packed_mlp import PackedMLP

    PackedNet = PackedMLP | PackedCNN1d

__all__ = ["check_run", "check_task", "train_group"]

ORDER_STREAM = 2  # the stream of a seed's random numbers that orders the mini-batches
EVALUATIONS = 50  # validation evaluations per run at most (plus one after the last step)
# ... and not so often that they cost more than about a tenth of the training: a pass over
# the validation split costs about a third of a training step per batch of its rows
EVALUATION_COST = 3
CURVE_POINTS = 100  # the learning curve is down-sampled to at most this many points
EVAL_CHUNK = 2048  # rows per forward pass when evaluating (bounds memory)
OPTIMISERS = ("sgd", "momentum", "adam", "rmsprop")


# --- the entry point -------------------------------------------------------------------


def train_group(runs: Sequence[RunConfig]) -> list[RunRecord]:
    """Train runs that differ only in their seed; one record per run, in order.

    A user's mistake (bad task file, unknown activation, ...) raises UserError;
    a run whose loss becomes NaN or infinite is returned as ``diverged``.
    """
    from actlab.lab.registry import single_threaded

    if not runs:
        return []
    group = runs[0].group_key()
    if any(run.group_key() != group for run in runs):
        raise ValueError("train_group: the runs must differ only in their seed")
    with single_threaded():
        return _train_group(runs)


def check_run(run: RunConfig) -> None:
    """Everything train_group needs, validated up front (one-line UserErrors)."""
    make_activation(run.activation)
    check_training(run.training)
    task = load_task(run.task, run.training.validation_fraction)
    check_model(run.model, task.input_shape)


def check_training(training: TrainingConfig) -> None:
    from actlab.bench.models import INITS

    if training.optimiser not in OPTIMISERS:
        raise UserError(f"unknown optimiser {training.optimiser!r}; choose one of "
                        f"{', '.join(OPTIMISERS)}")
    if not 0 < training.smoothing < 1:
        raise UserError(f"smoothing must be in (0, 1), got {training.smoothing}")
    if training.init not in INITS:
        raise UserError(f"unknown init {training.init!r}; choose one of {', '.join(INITS)}")
    if training.budget < 1 or training.batch_size < 1:
        raise UserError("budget and batch_size must be positive")
    rates = _rates(training)
    if any(not (math.isfinite(r) and r > 0) for r in rates):
        raise UserError(f"learning rates must be positive numbers, got {list(rates)}")
    if len(rates) > 1 and training.validation_fraction <= 0:
        raise UserError("tuning the learning rate needs a validation split "
                        "(validation_fraction > 0)")


def _rates(training: TrainingConfig) -> tuple[float, ...]:
    if training.lr_grid:
        return tuple(training.lr_grid)
    if training.learning_rate is None:
        raise UserError("give a learning_rate, or an lr_grid to tune it on")
    return (training.learning_rate,)


def budget_steps(training: TrainingConfig, n_train: int) -> int:
    """The budget in steps: an epoch budget is converted with the training split's size."""
    if training.budget_unit == "steps":
        return training.budget
    return math.ceil(training.budget * n_train / training.batch_size)


# --- what one trained network leaves behind --------------------------------------------


@dataclass
class Trace:
    """One network's training: a (seed, learning rate) pair of the group."""

    seed: int
    learning_rate: float
    losses: list[float] = field(default_factory=list)  # training loss per step, while finite
    diverged_at: int | None = None  # first step whose loss (or validation output) was not finite
    final_val: float | None = None  # validation metric after the last step
    best_val: float | None = None
    steps_to_target: int | None = None
    seconds_to_target: float | None = None


@dataclass(frozen=True)
class Problem:
    """Everything the training loop needs about the task, as tensors."""

    data: TaskData
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor

    @classmethod
    def of(cls, data: TaskData) -> Problem:
        import torch

        def tensor(array: np.ndarray) -> torch.Tensor:
            # shares the task's read-only arrays (no copy: CIFAR-10 is 600 MB); training
            # only reads them, so torch's warning about non-writable arrays does not apply
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return torch.from_numpy(array)

        return cls(data, tensor(data.x_train), tensor(data.y_train), tensor(data.x_val),
                   tensor(data.y_val))

    @property
    def regression(self) -> bool:
        return self.data.regression


def _train_group(runs: Sequence[RunConfig]) -> list[RunRecord]:
    import torch

    wall0, cpu0 = time.perf_counter(), time.process_time()
    first = runs[0]
    training = first.training
    check_training(training)
    activation = make_activation(first.activation)
    data = load_task(first.task, training.validation_fraction)
    check_model(first.model, data.input_shape)
    problem = Problem.of(data)
    steps = budget_steps(training, len(data.x_train))
    seeds = [run.seed for run in runs]
    rates = _rates(training)
    pairs = [(seed, rate) for seed in dict.fromkeys(seeds) for rate in rates]

    packed = packable(first.model, activation)
    if packed:
        from actlab.bench.models import build_packed_cnn1d, build_packed_mlp
        from actlab.models.ensemble import select_networks

        pair_seeds = [seed for seed, _ in pairs]
        net: PackedNet = (
            build_packed_mlp(first.model, activation, data.input_shape, data.n_outputs,
                             pair_seeds, training.init)
            if first.model.kind == "mlp" else
            build_packed_cnn1d(activation, data.input_shape, data.n_outputs, pair_seeds,
                               training.init))
        traces = fit_networks(net, pairs, problem, training, steps)
        chosen = _choose(traces, problem.regression)
        # the test split, once, for the chosen networks that finished
        keep = [i for i in chosen.values() if traces[i].diverged_at is None]
        test = {}
        if keep:
            select_networks(net, torch.tensor(keep))
            metrics = _evaluate(net, data.x_test, data.y_test, problem.regression)
            test = {k: float(m) for k, m in zip(keep, metrics, strict=True)}
    else:
        traces, nets = [], []
        for seed, rate in pairs:
            single = _Single(build_network(first.model, activation, data.input_shape,
                                           data.n_outputs, seed, training.init))
            traces += fit_networks(single, [(seed, rate)], problem, training, steps)
            nets.append(single)
        chosen = _choose(traces, problem.regression)
        test = {i: float(_evaluate(nets[i], data.x_test, data.y_test, problem.regression)[0])
                for i in chosen.values() if traces[i].diverged_at is None}

    wall = (time.perf_counter() - wall0) / len(seeds)
    cpu = (time.process_time() - cpu0) / len(seeds)
    environment = _environment(len(pairs) if packed else 1)
    return [_record(run, traces[chosen[run.seed]], test.get(chosen[run.seed]), data, wall, cpu,
                    environment) for run in runs]


def _choose(traces: Sequence[Trace], regression: bool) -> dict[int, int]:
    """seed -> index of its chosen trace, judged on the validation split alone.

    Finished runs beat diverged ones; among finished, the best validation metric
    after the last step, then the best seen, then the smaller rate.  If every
    rate diverged, the one that lasted longest (then the smaller rate).
    """
    sign = -1.0 if regression else 1.0

    def merit(i: int) -> tuple[float, ...]:
        t = traces[i]
        if t.diverged_at is not None:
            return (0.0, float(t.diverged_at), 0.0, -t.learning_rate)
        final = -math.inf if t.final_val is None else sign * t.final_val
        best = -math.inf if t.best_val is None else sign * t.best_val
        return (1.0, final, best, -t.learning_rate)

    chosen: dict[int, int] = {}
    for i, trace in enumerate(traces):
        if trace.seed not in chosen or merit(i) > merit(chosen[trace.seed]):
            chosen[trace.seed] = i
    return chosen


# --- the training loop -----------------------------------------------------------------


class BatchOrder:
    """A seed's endless sequence of mini-batches: a fresh permutation of the training split
    every epoch, cut into batches (a batch may span two epochs).  Drawn from the seed alone."""

    def __init__(self, seed: int, n: int, batch_size: int) -> None:
        self.rng = np.random.default_rng([seed, ORDER_STREAM])
        self.n, self.batch_size = n, batch_size
        self.buffer = np.empty(0, dtype=np.int64)
        self.position = 0

    def next(self) -> np.ndarray:
        if self.position + self.batch_size > len(self.buffer):
            epochs = [self.buffer[self.position:]]
            have = len(epochs[0])
            while have < self.batch_size:
                epochs.append(self.rng.permutation(self.n))
                have += self.n
            self.buffer, self.position = np.concatenate(epochs), 0
        batch = self.buffer[self.position:self.position + self.batch_size]
        self.position += self.batch_size
        return batch


class _Single:
    """One ordinary network seen as a pack of one: (1, batch, ...) -> (1, batch, out)."""

    n_models = 1

    def __init__(self, net: nn.Module) -> None:
        self.net = net

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x[0]).unsqueeze(0)  # type: ignore[no-any-return]

    def parameters(self) -> list[nn.Parameter]:
        return list(self.net.parameters())

    def train(self) -> None:
        self.net.train()

    def eval(self) -> None:
        self.net.eval()


def _optimiser(net: PackedNet | _Single, rates: Sequence[float],
               training: TrainingConfig) -> _Stepper:
    """torch's optimiser when every network has the same rate (fused Adam: the fewest
    operations per step); otherwise one learning rate per network of the pack."""
    import torch

    kind = training.optimiser
    if len(set(rates)) == 1:
        params = list(net.parameters())
        if kind == "adam":
            return torch.optim.Adam(params, lr=rates[0], fused=True)
        if kind == "rmsprop":
            return torch.optim.RMSprop(params, lr=rates[0], alpha=training.smoothing, eps=1e-8,
                                       foreach=True)
        return torch.optim.SGD(params, lr=rates[0], momentum=0.9 if kind == "momentum" else 0.0,
                               foreach=True)
    from actlab.models.ensemble import EnsembleOptimiser

    # elementwise updates, network s at rates[s]: what each network would get alone
    return EnsembleOptimiser(list(net.parameters()), torch.tensor(rates, dtype=torch.float64),
                             kind, smoothing=training.smoothing)


class _Stepper(Protocol):  # what the loop needs of an optimiser (torch's and EnsembleOptimiser)
    def step(self) -> object: ...

    def zero_grad(self) -> None: ...


def _per_network_loss(out: torch.Tensor, y: torch.Tensor, regression: bool) -> torch.Tensor:
    """Mean loss of each network over its batch, shape (S,): MSE or cross-entropy."""
    import torch

    if regression:
        return ((out - y) ** 2).mean(dim=(1, 2))
    log_p = torch.log_softmax(out, dim=-1)
    return -log_p.gather(-1, y.unsqueeze(-1)).squeeze(-1).mean(dim=1)


def fit_networks(net: PackedNet | _Single, pairs: Sequence[tuple[int, float]],
                 problem: Problem, training: TrainingConfig, steps: int) -> list[Trace]:
    """Train the S networks of ``net`` (network i is ``pairs[i]`` = (seed, rate)) for ``steps``.

    Network i draws its mini-batches from ``BatchOrder(seed)``; its validation metric is
    noted every :func:`evaluation_interval` steps and after the last one.
    """
    import torch

    n_nets = len(pairs)
    traces = [Trace(seed, rate) for seed, rate in pairs]
    optimiser = _optimiser(net, [rate for _, rate in pairs], training)
    orders = {seed: BatchOrder(seed, len(problem.x_train), training.batch_size)
              for seed, _ in pairs}
    row_of_seed = {seed: row for row, seed in enumerate(orders)}
    rows = torch.tensor([row_of_seed[seed] for seed, _ in pairs])
    alive = torch.ones(n_nets, dtype=torch.bool)
    losses = torch.empty(steps, n_nets)
    every = evaluation_interval(steps, len(problem.x_val), training.batch_size)
    has_val = len(problem.x_val) > 0
    target = training.target
    elapsed = 0.0  # this pack's training time so far
    net.train()
    for step in range(1, steps + 1):
        started = time.perf_counter()
        batches = torch.from_numpy(np.stack([order.next() for order in orders.values()]))[rows]
        out = net(problem.x_train[batches])
        per_network = _per_network_loss(out, problem.y_train[batches], problem.regression)
        alive &= torch.isfinite(per_network.detach())
        # a diverged network is masked out: its neighbours' gradients never see its NaN
        total = torch.where(alive, per_network, torch.zeros_like(per_network)).sum()
        optimiser.zero_grad()
        total.backward()  # type: ignore[no-untyped-call]
        optimiser.step()
        losses[step - 1] = per_network.detach()
        last = step == steps
        if step % every == 0 or last:
            living = alive.tolist()
            if has_val and any(living):
                metrics = _evaluate(net, problem.data.x_val, problem.data.y_val,
                                    problem.regression)
                net.train()
                for i, metric in enumerate(metrics):
                    if not living[i]:
                        continue
                    if not math.isfinite(metric):  # NaN outputs: it diverged in this step
                        alive[i] = False
                        traces[i].diverged_at = step
                        continue
                    _note_validation(traces[i], float(metric), step,
                                     (elapsed + time.perf_counter() - started) / n_nets,
                                     target, problem.regression, last)
            if not bool(alive.any()):
                steps = step
                break
        elapsed += time.perf_counter() - started
    _close_traces(traces, losses[:steps].numpy())
    return traces


def evaluation_interval(steps: int, n_val: int, batch_size: int) -> int:
    """Steps between validation evaluations: at most EVALUATIONS of them, and at least
    EVALUATION_COST·n_val/batch_size steps apart (a short budget would otherwise spend
    more time validating than training).  The same for every activation of a cell."""
    return max(1, steps // EVALUATIONS, math.ceil(EVALUATION_COST * n_val / batch_size))


def _note_validation(trace: Trace, metric: float, step: int, seconds: float,
                     target: float | None, regression: bool, last: bool) -> None:
    better = (lambda a, b: a < b) if regression else (lambda a, b: a > b)
    if trace.best_val is None or better(metric, trace.best_val):
        trace.best_val = metric
    if last:
        trace.final_val = metric
    reached = target is not None and (metric <= target if regression else metric >= target)
    if reached and trace.steps_to_target is None:
        trace.steps_to_target, trace.seconds_to_target = step, seconds


def _close_traces(traces: list[Trace], losses: np.ndarray) -> None:
    """Each trace diverged at its first non-finite loss (or validation output, noted
    during training); its loss curve runs up to the step before."""
    for i, trace in enumerate(traces):
        column = losses[:, i]
        bad = np.flatnonzero(~np.isfinite(column))
        if len(bad):
            first = int(bad[0]) + 1
            trace.diverged_at = min(first, trace.diverged_at or first)
        end = len(column) if trace.diverged_at is None else trace.diverged_at - 1
        trace.losses = column[:end].tolist()
        if trace.diverged_at is not None:
            trace.final_val = None


def _evaluate(net: PackedNet | _Single, x: np.ndarray, y: np.ndarray,
              regression: bool) -> np.ndarray:
    """Each network's metric on (x, y): accuracy (a fraction) or mean squared error, (S,)."""
    import torch

    net.eval()
    total = np.zeros(net.n_models)
    with torch.no_grad():
        for start in range(0, len(x), EVAL_CHUNK):
            xb = torch.from_numpy(x[start:start + EVAL_CHUNK].copy()).unsqueeze(0)
            yb = torch.from_numpy(y[start:start + EVAL_CHUNK].copy())
            out = net(xb)
            if regression:
                err = ((out - yb.unsqueeze(0)) ** 2).sum(dim=(1, 2)) / yb.shape[1]
            else:
                err = (out.argmax(-1) == yb.unsqueeze(0)).sum(dim=1).to(torch.float64)
                err = torch.where(torch.isfinite(out).all(dim=(1, 2)), err, math.nan)
            total += err.double().numpy()
    return total / max(len(x), 1)


# --- records ---------------------------------------------------------------------------


def _record(run: RunConfig, trace: Trace, test_metric: float | None, data: TaskData,
            wall: float, cpu: float, environment: dict[str, str]) -> RunRecord:
    from actlab.bench.labels import model_label

    status: RunStatus = "diverged" if trace.diverged_at is not None else "finished"
    steps, loss = _down_sample(trace.losses)
    return RunRecord(
        key=run.key(),
        activation=run.activation,
        task=data.label,
        model=model_label(run.model),
        seed=run.seed,
        status=status,
        metric=data.metric,
        higher_is_better=data.higher_is_better,
        test_metric=test_metric if status == "finished" else None,
        best_val_metric=trace.best_val,
        learning_rate=trace.learning_rate,
        steps_to_target=trace.steps_to_target,
        seconds_to_target=trace.seconds_to_target,
        curve_steps=steps,
        curve_loss=loss,
        wall_seconds=wall,
        cpu_seconds=cpu,
        environment=environment,
    )


def _down_sample(losses: Sequence[float]) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """At most CURVE_POINTS (step, mean loss over the window ending there) pairs."""
    n = len(losses)
    if n == 0:
        return (), ()
    edges = np.linspace(0, n, min(CURVE_POINTS, n) + 1).round().astype(int)
    values = np.asarray(losses)
    means = [float(values[a:b].mean()) for a, b in itertools.pairwise(edges.tolist())]
    return tuple(int(b) for b in edges[1:]), tuple(means)


def _environment(packed_networks: int) -> dict[str, str]:
    import torch

    import actlab

    return {
        "actlab": actlab.__version__,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "host": platform.node(),
        "platform": platform.platform(),
        "torch_threads": str(torch.get_num_threads()),
        "packed_networks": str(packed_networks),  # networks trained together (time is shared)
    }
