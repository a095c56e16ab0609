"""Convergence race: iterations to a training-error threshold, per activation.

Krizhevsky, Sutskever & Hinton (2012, Fig. 1): a four-layer CNN with ReLUs
reaches 25 % training error on CIFAR-10 six times faster (in iterations) than
the same network with tanh, each with its own learning rate chosen for the
fastest training, and "the magnitude of the effect varies with network
architecture".  We run the same race on the embedded data sets, and on CIFAR-10 when the
user names its files (``actlab lab run convergence_race --data DIR``):

* an MLP (default 2 hidden layers of 64 units) on MNIST-1D (the 8×8 digits are
  available but off by default: every activation reaches 25 % training error
  there within a few dozen steps, too few to race),
* the MNIST-1D CNN of Greydanus (2020) on MNIST-1D, for a few activations,
* on CIFAR-10, Krizhevsky's own four-layer net: conv 5×5 (32) → max-pool 3/2 →
  conv 5×5 (32) → avg-pool 3/2 → conv 5×5 (64) → avg-pool 3/2 → fully connected
  (10), the layout of cuda-convnet's CIFAR-10 example without response
  normalisation ("no regularisation of any kind"), batches of 128.

Every (activation, learning rate, seed) network is trained by SGD with
momentum 0.9 (as AlexNet) on mini-batches of 100, all of one activation at
once as an ensemble.  The training error is measured on a fixed subset of the
training set at every step at first, then at most 5 % of the step count (and
``eval_every`` steps) apart; a network's *iterations* are the first evaluated
step at which it is at or below the threshold.  A network that never gets
there within ``max_steps`` (or diverges) counts as ``max_steps``: the value is
censored, and a median that involves censored values is a lower bound.  To
save time, the stragglers of a learning rate whose median is known are
censored at ``patience`` × that median (which leaves the median unchanged).

The learning rate is chosen on *selection* seeds and judged on others.  Per
activation, the grid is raced on ``selection_seeds`` networks and the learning
rate with the smallest median iterations wins (to save time, a learning rate is
dropped as soon as its median is certain to be larger than the best median
already known; its table entry is then "≥ n*").  Then ``seeds`` fresh networks
(other initial weights, other mini-batches) are trained at the winning rate
alone, and only they are judged — so the choice cannot flatter the numbers it
is judged on.  The judged networks of every activation share their initial
weights and mini-batches seed by seed, so ReLU and tanh are compared paired by
seed.  The speed-up is the ratio of the judged medians, tanh / ReLU, with a
percentile-bootstrap 95 % interval over seeds.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from actlab.errors import InvalidValue
from actlab.lab.registry import ProgressFn
from actlab.lab.result import Claim, Result, Table
from actlab.lab.statistics import bootstrap_median, bootstrap_ratio, speedup_ratio

KRIZHEVSKY = "Krizhevsky, Sutskever & Hinton 2012, ImageNet classification with deep CNNs, Fig. 1"
VARIES = '"the magnitude of the effect varies with network architecture" (Krizhevsky et al.)'
DATASET_TITLES = {"mnist1d": "MNIST-1D", "digits": "digits 8×8", "cifar10": "CIFAR-10"}
CIFAR_NOT_RUN = "not run: no CIFAR-10 files given (actlab lab run convergence_race --data DIR)"


@dataclass(frozen=True)
class Config:
    # elementwise catalogue entries raced in the MLP (sigmoid, elu, selu: add them at
    # ~15-25 s each; sigmoid needs about 3× ReLU's steps)
    activations: tuple[str, ...] = ("relu", "tanh", "leaky_relu", "gelu", "silu")
    datasets: tuple[str, ...] = ("mnist1d",)  # MLP races: mnist1d and/or digits
    cnn_activations: tuple[str, ...] = ("relu", "tanh")  # MNIST-1D CNN race; () skips it
    learning_rates: tuple[float, ...] = (0.03, 0.1, 0.3, 1.0)  # MLP grid, per activation
    cnn_learning_rates: tuple[float, ...] = (0.03, 0.1, 0.3)  # CNN grid (smaller: it is costly)
    momentum: float = 0.9  # SGD momentum, as AlexNet
    seeds: int = 5  # judged networks per activation, at its chosen learning rate
    selection_seeds: int = 3  # other networks per (activation, learning rate) to choose it
    hidden: tuple[int, ...] = (64, 64)  # MLP hidden widths
    init: str = "uniform"  # MLP weights: U[±1/√fan_in], PyTorch's default (the CNN's too)
    batch_size: int = 100  # mini-batch size
    threshold: float = 0.25  # training error to reach (Krizhevsky: 25 %)
    max_steps: int = 3000  # step budget; networks that never reach it count as this
    patience: float = 3.0  # the winner's stragglers are censored at this × its median
    eval_every: int = 20  # most steps between error measurements (early ones: every 5 %)
    eval_examples: int = 500  # size of the fixed training subset the error is measured on
    bootstrap: int = 2000  # bootstrap resamples for the intervals
    seed: int = 0  # initialisations, mini-batches, bootstrap
    # CIFAR-10 (run only when a directory is given: its cifar-10-batches-py or the parent)
    data_dir: str = ""
    cifar_activations: tuple[str, ...] = ("relu", "tanh")
    cifar_learning_rates: tuple[float, ...] = (0.003, 0.01, 0.03)
    cifar_batch_size: int = 128  # cuda-convnet's CIFAR-10 examples
    cifar_max_steps: int = 20_000

    @classmethod
    def quick(cls) -> Config:
        return cls(activations=("relu", "tanh"), datasets=("digits",), cnn_activations=(),
                   learning_rates=(0.03, 0.1), seeds=5, selection_seeds=2, hidden=(32,),
                   max_steps=200, eval_every=5, eval_examples=300, bootstrap=200,
                   cifar_learning_rates=(0.01,), cifar_max_steps=20, cifar_batch_size=8)

    def __post_init__(self) -> None:
        if self.data_dir:  # a directory without the files fails now, not after the other races
            from actlab.data.files import cifar10_directory

            cifar10_directory(self.data_dir)

    def grid(self, model: str) -> tuple[float, ...]:
        """The learning rates tried for the named model (mlp, cnn or cifar_cnn)."""
        if model == "cifar_cnn":
            return self.cifar_learning_rates
        return self.cnn_learning_rates if model == "cnn" else self.learning_rates


def evaluation_interval(step: int, eval_every: int) -> int:
    """Steps between error measurements around ``step``: every step at first, then at most
    5 % of the step count apart (so iterations are known to 5 %), at most ``eval_every``."""
    return min(eval_every, max(1, step // 20))


def is_evaluation_step(step: int, eval_every: int) -> bool:
    return step % evaluation_interval(step, eval_every) == 0


# --------------------------------------------------------------------------- the race


def _load(dataset: str, eval_examples: int, data_dir: str = ""):  # type: ignore[no-untyped-def]
    import torch

    if dataset == "cifar10":
        from actlab.data.files import load_cifar10

        split = load_cifar10(data_dir)
        x = torch.tensor(split.x_train, dtype=torch.float32)
        x = x - x.mean(dim=0, keepdim=True)  # Krizhevsky subtracted the mean image
        y = torch.tensor(split.y_train, dtype=torch.int64)
        return x, y, x[:eval_examples], y[:eval_examples]
    if dataset == "mnist1d":
        from actlab.data.mnist1d import make_mnist1d

        split = make_mnist1d()
    elif dataset == "digits":
        from actlab.data.digits import load_digits_split

        split = load_digits_split(seed=0)
    else:
        raise ValueError(f"unknown data set {dataset!r}; choose mnist1d or digits")
    x = torch.tensor(split.x_train, dtype=torch.float32)
    y = torch.tensor(split.y_train, dtype=torch.int64)
    return x, y, x[:eval_examples], y[:eval_examples]


def race_one_activation(make_model: Callable[[list[int]], Any], data: tuple,
                        rates: Sequence[float], config: Config, seed: int,
                        init_seeds: Sequence[int] | None = None,
                        max_steps: int | None = None, batch_size: int | None = None) -> dict:
    """Train every (learning rate, seed) network of one activation; see the module docstring.

    Returns per network (learning-rate-major, shape (n_lr, seeds)): ``iterations``
    (censored values as described), ``reached``, ``diverged``, ``pruned``; and the
    training-error history at the evaluation steps (NaN once a network is dropped).
    """
    import torch

    from actlab.models.ensemble import ensemble_cross_entropy, ensemble_error, select_networks

    x, y, x_eval, y_eval = data
    inits = list(init_seeds) if init_seeds is not None else [
        seed * 1000 + j for j in range(config.seeds)]
    budget = config.max_steps if max_steps is None else max_steps
    batch = config.batch_size if batch_size is None else batch_size
    config = replace(config, max_steps=budget)  # the pruning rule reads the budget
    n_lr, n_seed = len(rates), len(inits)
    total = n_lr * n_seed
    group = np.repeat(np.arange(n_lr), n_seed)  # network j uses learning rate group[j]
    model = make_model([inits[j % n_seed] for j in range(total)])  # same inits per lr
    lr = torch.tensor([rates[int(g)] for g in group], dtype=torch.float32)
    active = np.arange(total)  # original indices of the networks still trained
    params = list(model.parameters())
    velocity = [torch.zeros_like(p) for p in params]
    generator = torch.Generator().manual_seed(seed)

    reach = np.full(total, -1)  # first evaluated step at or below the threshold
    diverged = np.zeros(total, dtype=bool)
    stopped = np.full(total, config.max_steps)  # last step each network was trained
    pruned = np.zeros(n_lr, dtype=bool)
    bound = np.zeros(n_lr)  # a dropped (pruned) group's median is at least this
    eval_steps: list[int] = []
    history: list[np.ndarray] = []
    for step in range(1, config.max_steps + 1):
        idx = torch.randint(0, x.shape[0], (active.size, batch), generator=generator)
        losses = ensemble_cross_entropy(model(x[idx]), y[idx])
        grads = torch.autograd.grad(losses.sum(), params)
        with torch.no_grad():
            for p, v, g in zip(params, velocity, grads, strict=True):
                v.mul_(config.momentum).add_(g)  # PyTorch's SGD momentum convention
                p.sub_(lr.view(-1, *[1] * (p.dim() - 1)) * v)
        if not is_evaluation_step(step, config.eval_every) and step != config.max_steps:
            continue
        error = ensemble_error(model, x_eval, y_eval).numpy().astype(float)
        finite = torch.isfinite(losses.detach()).numpy()
        diverged[active[~finite]] = True
        error[~finite] = np.nan
        newly = active[(error <= config.threshold) & (reach[active] < 0)]
        reach[newly] = step
        row = np.full(total, np.nan)
        row[active] = error
        eval_steps.append(step)
        history.append(row)

        drop = _groups_to_drop(reach, diverged, group, n_lr, step, config, pruned, bound)
        if drop.any():
            keep = ~drop[group[active]]
            stopped[active[~keep]] = step
            active = active[keep]
            if active.size == 0:
                break
            keep_t = torch.from_numpy(np.flatnonzero(keep))
            select_networks(model, keep_t)
            params = list(model.parameters())
            velocity = [v[keep_t] for v in velocity]
            lr = lr[keep_t]

    iterations = np.where(reach > 0, reach, stopped)
    iterations[diverged & (reach < 0)] = config.max_steps  # never reaches: counts as the budget
    shape = (n_lr, n_seed)
    return {
        "iterations": iterations.reshape(shape),
        "reached": (reach > 0).reshape(shape),
        "diverged": diverged.reshape(shape),
        "pruned": pruned,
        "bound": bound,
        "eval_steps": np.asarray(eval_steps),
        "history": np.asarray(history).reshape(len(eval_steps), n_lr, n_seed),
    }


def _groups_to_drop(reach: np.ndarray, diverged: np.ndarray, group: np.ndarray, n_lr: int,
                    step: int, config: Config, pruned: np.ndarray,
                    bound: np.ndarray | None = None) -> np.ndarray:
    """Learning-rate groups to stop training now: finished, or certainly not the fastest.

    A group's median is bounded below by giving its unfinished networks the next
    step (or the budget if diverged) and above by giving them infinity.  A group
    whose lower bound exceeds the best upper bound cannot win: it is dropped and
    marked in ``pruned`` (its lower bound goes to ``bound``).  A group whose median
    is known stops at ``patience`` times its median (its stragglers are censored
    there; a median does not change when values above it are censored).  Groups
    dropped earlier have no networks left; dropping them again is harmless.
    """
    next_eval = step + 1
    lower, upper, done = np.empty(n_lr), np.empty(n_lr), np.zeros(n_lr, dtype=bool)
    for g in range(n_lr):
        r, d = reach[group == g], diverged[group == g]
        known = r > 0
        lower[g] = np.median(np.where(known, r, np.where(d, config.max_steps, next_eval)))
        upper[g] = np.median(np.where(known, r, np.where(d, config.max_steps, np.inf)))
        done[g] = bool(np.all(known | d))
    best = upper.min()
    dominated = lower > best
    drop = np.zeros(n_lr, dtype=bool)
    for g in range(n_lr):
        if dominated[g] and not done[g]:
            drop[g] = True
            if not pruned[g] and bound is not None:
                bound[g] = lower[g]
            pruned[g] = True
        elif done[g] or step >= config.patience * upper[g]:
            drop[g] = True
    return drop


def _last_errors(history: np.ndarray) -> np.ndarray:
    """Each network's last measured training error, (n_lr, seeds); inf if never finite."""
    last = np.full(history.shape[1:], np.inf)
    for row in history:
        last = np.where(np.isfinite(row), row, last)
    return last


def best_learning_rate(out: dict) -> int:
    """Index of the winning learning rate: smallest median iterations (pruned ones never win);
    ties broken by the mean, then by the last training error."""
    it, last = out["iterations"], _last_errors(out["history"])
    keys = [(bool(out["pruned"][g]), float(np.median(it[g])), float(np.mean(it[g])),
             float(np.median(last[g])), g) for g in range(it.shape[0])]
    return min(keys)[-1]


def _summarise(selection: dict, judged: dict, rates: Sequence[float], config: Config,
               seed: int) -> dict:
    """The chosen learning rate (from the selection race) and the judged networks' numbers
    and curves at it, JSON-ready."""
    g = best_learning_rate(selection)
    it = judged["iterations"][0].astype(float)
    reached = judged["reached"][0]
    hist = judged["history"][:, 0, :]
    rows = np.isfinite(hist).any(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows are cut below
        median, low, high = np.nanmedian(hist, 1), np.nanmin(hist, 1), np.nanmax(hist, 1)
    per_lr = [float(np.median(selection["iterations"][k])) for k in range(len(rates))]
    per_lr_budget = [bool(np.median(np.where(selection["reached"][k], 0, 1)) > 0)
                     for k in range(len(rates))]
    return {
        "best_lr": rates[g],
        "best_at_grid_edge": g in (0, len(rates) - 1) and len(rates) > 1,
        "iterations": it.tolist(),
        "reached": reached.tolist(),
        "censored": int((~reached).sum()),
        "median": float(np.median(it)),
        "interval": list(bootstrap_median(it.tolist(), config.bootstrap, seed)),
        "steps": judged["eval_steps"][rows].tolist(),
        "median_error": median[rows].tolist(),
        "min_error": low[rows].tolist(),
        "max_error": high[rows].tolist(),
        "per_lr_median": per_lr,
        "per_lr_pruned": [bool(p) for p in selection["pruned"]],
        "per_lr_bound": [float(b) for b in selection["bound"]],
        "per_lr_median_censored": per_lr_budget,
    }


def _races(config: Config) -> list[tuple[str, str, tuple[str, ...]]]:
    races = [(d, "mlp", config.activations) for d in config.datasets]
    if config.cnn_activations:
        races.append(("mnist1d", "cnn", config.cnn_activations))
    if config.data_dir:
        races.append(("cifar10", "cifar_cnn", config.cifar_activations))
    return races


def _validate(config: Config) -> None:
    import actlab

    for name in {*config.activations, *config.cnn_activations, *config.cifar_activations}:
        if not actlab.get(name).elementwise:
            raise InvalidValue(f"{name} is not elementwise; the race needs elementwise entries")
    for d in config.datasets:
        if d not in ("mnist1d", "digits"):
            raise InvalidValue(f"unknown data set {d!r}; choose mnist1d or digits")
    for rates in (config.learning_rates, config.cnn_learning_rates,
                  config.cifar_learning_rates):
        if not rates or min(rates) <= 0:
            raise InvalidValue("learning-rate grids must be positive and not empty")
    if config.seeds < 5 or config.selection_seeds < 1:
        raise InvalidValue("the race judges at least 5 seeds and selects on at least 1")
    if config.max_steps < 1 or config.eval_every < 1:
        raise InvalidValue("max_steps and eval_every must be >= 1")
    if not 0 < config.threshold < 1:
        raise InvalidValue(f"threshold must be a training error in (0, 1), got {config.threshold}")


def race_title(dataset: str, model: str, config: Config) -> str:
    if model == "cnn":
        return f"{DATASET_TITLES[dataset]}, CNN"
    if model == "cifar_cnn":
        return "CIFAR-10, Krizhevsky's four-layer CNN"
    return f"{DATASET_TITLES[dataset]}, MLP {'-'.join(map(str, config.hidden))}"


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    start = time.perf_counter()
    _validate(config)
    races = _races(config)
    total = sum(len(acts) for _, _, acts in races)
    results: dict[str, dict] = {}
    done = 0
    selection_inits = [10_000 + config.seed * 1000 + j for j in range(config.selection_seeds)]
    judged_inits = [config.seed * 1000 + j for j in range(config.seeds)]
    for r, (dataset, model_kind, acts) in enumerate(races):
        data = _load(dataset, config.eval_examples, config.data_dir)
        key = f"{dataset}_{model_kind}"
        rates = config.grid(model_kind)
        steps = config.cifar_max_steps if model_kind == "cifar_cnn" else config.max_steps
        batch = config.cifar_batch_size if model_kind == "cifar_cnn" else config.batch_size
        results[key] = {"title": race_title(dataset, model_kind, config),
                        "learning_rates": list(rates), "activations": {},
                        "max_steps": steps}
        judged_seed = config.seed * 100_003 + r * 101  # the same batches for every activation
        for a, act in enumerate(acts):
            make = _model_factory(model_kind, act, data[0].shape[1:], config)
            selection_seed = judged_seed + 50_000 + a
            selection = race_one_activation(make, data, rates, config, selection_seed,
                                            selection_inits, steps, batch)
            best = rates[best_learning_rate(selection)]
            judged = race_one_activation(make, data, [best], config, judged_seed, judged_inits,
                                         steps, batch)
            results[key]["activations"][act] = _summarise(selection, judged, rates, config,
                                                          judged_seed + a)
            done += 1
            if progress:
                progress(done / total, f"{results[key]['title']}: {act}")

    tables: dict[str, Table] = {}
    claims: list[Claim] = []
    metrics: dict[str, Any] = {}
    for key, race in results.items():
        acts = race["activations"]
        tables[f"race_{key}"], tables[f"grid_{key}"] = _tables(race, config)
        if "relu" in acts and "tanh" in acts:
            claim_pair, ratio, interval = _claims(key, race, config)
            claims += claim_pair
            metrics[f"{key}_tanh_over_relu"] = ratio
            metrics[f"{key}_tanh_over_relu_interval"] = list(interval)
            race["ratio"] = {"tanh_over_relu": ratio, "interval": list(interval)}
    if not config.data_dir:
        metrics["cifar10"] = CIFAR_NOT_RUN
        tables["cifar10"] = Table(columns=["CIFAR-10 race"], rows=[[CIFAR_NOT_RUN]],
                                  caption="Krizhevsky et al. raced on CIFAR-10; the lab runs "
                                  "that race only on files the user names (nothing is "
                                  "downloaded).")
    return Result(
        experiment="convergence_race",
        config=asdict(config),
        metrics=metrics,
        tables=tables,
        curves={"races": results, "threshold": config.threshold, "max_steps": config.max_steps},
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def _model_factory(kind: str, activation: str, input_shape: tuple[int, ...],
                   config: Config) -> Callable[[list[int]], Any]:
    """A function from initialisation seeds to an ensemble of the race's model."""
    from actlab.models.ensemble import EnsembleMLP
    from actlab.models.mnist1d_nets import EnsembleCNN

    if kind == "cnn":
        return lambda seeds: EnsembleCNN(seeds, input_shape[0], activation=activation)
    if kind == "cifar_cnn":
        from actlab.models.cifar_net import EnsembleCifarCNN

        return lambda seeds: EnsembleCifarCNN(seeds, activation=activation)
    return lambda seeds: EnsembleMLP([input_shape[0], *config.hidden, 10], activation, seeds,
                                     init=config.init)


def _tables(race: dict, config: Config) -> tuple[Table, Table]:
    acts = race["activations"]
    relu = acts.get("relu", {}).get("median")
    rows = []
    for name, s in acts.items():
        budget = " (censored)" if np.median([0 if r else 1 for r in s["reached"]]) else ""
        edge = " (grid edge)" if s["best_at_grid_edge"] else ""
        rows.append([
            name, f"{s['best_lr']:g}{edge}", f"{s['median']:.0f}{budget}",
            f"[{s['interval'][0]:.0f}, {s['interval'][1]:.0f}]",
            f"{min(s['iterations']):.0f}–{max(s['iterations']):.0f}",
            f"{len(s['reached']) - s['censored']}/{len(s['reached'])}",
            round(s["median"] / relu, 2) if relu else "",
        ])
    summary = Table(
        columns=["activation", "best lr", "median iterations", "95 % interval", "min–max",
                 "reached", "÷ relu"],
        rows=rows,
        caption=f"{race['title']}: SGD steps (momentum {config.momentum}, batch "
        f"{config.batch_size}) to {config.threshold:.0%} training error of {config.seeds} "
        "judged seeds, at the learning rate with the smallest median over "
        f"{config.selection_seeds} other (selection) seeds; measured on "
        f"{config.eval_examples} training examples every step at first, then at most 5 % of "
        f"the step count and {config.eval_every} steps apart. Networks that never reach it "
        f"count as the budget of {config.max_steps} steps, or are censored at "
        f"{config.patience:g}× the median once it is known (a median below the censoring "
        "point is exact; above it, a lower bound). Interval: percentile bootstrap of the "
        "median over seeds. '÷ relu': median iterations relative to ReLU's.")
    grid_rows = []
    for name, s in acts.items():
        cells = []
        for m, pruned, low, budget in zip(s["per_lr_median"], s["per_lr_pruned"],
                                          s["per_lr_bound"], s["per_lr_median_censored"],
                                          strict=True):
            cells.append(f"≥ {low:.0f}*" if pruned else (f"≥ {m:.0f}" if budget else f"{m:.0f}"))
        grid_rows.append([name, *cells])
    grid = Table(
        columns=["activation", *[f"lr {lr:g}" for lr in race["learning_rates"]]],
        rows=grid_rows,
        caption=f"{race['title']}: median iterations to {config.threshold:.0%} training error "
        f"per learning rate, on the {config.selection_seeds} selection seeds. "
        "'≥ n*': dropped once it could no longer win (n: a lower bound "
        "on its median); '≥ n': the median network never reached the threshold (censored).")
    return summary, grid


def _claims(key: str, race: dict, config: Config) -> tuple[list[Claim], float, tuple]:
    relu, tanh = race["activations"]["relu"], race["activations"]["tanh"]
    ratio = speedup_ratio(tanh["iterations"], relu["iterations"])
    interval = bootstrap_ratio(tanh["iterations"], relu["iterations"], config.bootstrap,
                               seed=config.seed + 17)
    budget = race.get("max_steps", config.max_steps)
    censored = f"{relu['censored']} ReLU and {tanh['censored']} tanh networks of " \
        f"{config.seeds} never reached {config.threshold:.0%} within {budget} steps " \
        "and count as the budget"
    if tanh["censored"] and not relu["censored"]:
        censored += " (so the ratio is a lower bound)"
    context = (f"{race['title']}; ReLU {relu['median']:.0f} iterations at lr {relu['best_lr']}, "
               f"tanh {tanh['median']:.0f} at lr {tanh['best_lr']} (judged medians over "
               f"{config.seeds} seeds; each learning rate chosen on {config.selection_seeds} "
               f"other seeds); {censored}. Krizhevsky et al. raced a four-layer CNN on "
               f"CIFAR-10; {VARIES}.")
    compare = Claim.estimate(
        f"ReLU reaches {config.threshold:.0%} training error about 6× faster than tanh "
        f"({race['title']})", KRIZHEVSKY, 6.0, measured=round(ratio, 3),
        interval=(float(interval[0]), float(interval[1])), seeds=config.seeds,
        tolerance=1.5, quantity="iterations to the threshold, tanh / ReLU (ratio of medians)",
        detail=f"95 % bootstrap interval over seeds. {context}")
    log_ratios = np.log(np.asarray(tanh["iterations"], dtype=float)
                        / np.asarray(relu["iterations"], dtype=float))
    faster = Claim.effect(
        f"ReLU reaches the threshold faster than tanh ({race['title']})", KRIZHEVSKY,
        "faster (log ratio > 0)", differences=log_ratios, direction="greater",
        quantity="ln(tanh iterations / ReLU iterations), per seed",
        detail="paired by seed: the two nets of a seed share their initial weights and "
        "mini-batches")
    return [compare, faster], ratio, interval
