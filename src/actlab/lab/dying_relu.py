"""Dying ReLU: nets born dead at initialisation, and units killed by large learning rates.

(a) Born dead.  With weights from a symmetric distribution, a deep ReLU net
is "born dead" — some layer outputs zero for every input, so the net is a
constant — with probability tending to 1 as depth grows (Lu, Shin, Su &
Karniadakis 2019).  Thousands of random nets are pushed through in one
batched pass; the first layer at which each one dies gives the probability
for every depth at once, with Wilson confidence intervals.  For a single
input point (and zero biases) each layer independently kills everything
with probability 2^-width, so P(dead by depth L) = 1 - (1 - 2^-N)^L exactly:
the Monte Carlo estimate must match it, which checks the estimator itself.

(a') Lu et al.'s own numbers.  The same estimator is run in the setting of their
figure (one input, no biases, 1-20 hidden layers, widths 2, 3, 4, 5 and 10) and set
beside their simulated probabilities (:mod:`actlab.lab.lu2019_born_dead`): one claim
per width, judged by the estimate rule at the depth where ours and theirs agree least,
and a check that our probabilities lie between the two bounds of their theorem.

(b) Killed in training.  A 64-100-100-10 MLP on the digits is trained with
SGD at increasing learning rates, several seeds each; afterwards a unit is
*dead* when its derivative is zero on every training example (no gradient can
revive it).  The claim that high learning rates kill units is judged by a
trend test over every learning rate and seed (Kendall's τ between the
learning rate and the dead fraction), not by the two ends alone.  Leaky ReLU,
PReLU and ELU have no zero-derivative region, so they cannot die: checks.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from actlab.errors import InvalidValue
from actlab.lab import verdict as rule
from actlab.lab.lu2019_born_dead import (
    LU_2019_BORN_DEAD,
    LU_2019_SOURCE,
    PublishedBornDead,
    lower_bound,
    upper_bound,
)
from actlab.lab.overrides import require_counts
from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table
from actlab.lab.statistics import wilson_interval

if TYPE_CHECKING:
    import torch

LU_2019 = LU_2019_SOURCE
# A unit is dead when |f'| is below this on every training example: no usable gradient.
DEAD_SLOPE = 1e-8
# How close our probability must stay to each of Lu et al.'s plotted ones. Their figure
# gives neither the number of nets nor error bars; a marker there is 3 pt on a 145.5-pt
# probability axis, i.e. ±0.0103, so a smaller difference could not be seen in it.
# (Capped per width by lu_tolerance, so that a flat zero cannot pass for width 10.)
LU_TOLERANCE = 0.01
# depths of the "published vs ours" table (every depth 1-20 is in the claims and figure)
LU_TABLE_DEPTHS = (2, 5, 10, 20)


@dataclass(frozen=True)
class Config:
    widths: tuple[int, ...] = (2, 3, 4, 5, 10)  # hidden units per layer
    max_depth: int = 50  # hidden layers
    nets: int = 4000  # Monte Carlo networks per width
    inputs: int = 64  # input points per net, uniform on [-√3, √3]^input_dim
    input_dim: int = 2
    bias_std: float = 0.0  # symmetric N(0, bias_std²) biases; 0 = no biases
    train_activations: tuple[str, ...] = ("relu", "leaky_relu", "prelu", "elu")
    learning_rates: tuple[float, ...] = (0.01, 0.03, 0.1, 0.3, 1.0)
    train_seeds: int = 5  # networks per (activation, learning rate)
    bootstrap: int = 1000  # resamples for the interval of Kendall's τ
    train_steps: int = 600
    batch_size: int = 64
    # random nets per width in Lu et al.'s setting (their widths and depths); enough for
    # a Wilson interval of ±0.003 at most, well inside LU_TOLERANCE
    lu_nets: int = 100_000
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(widths=(2, 4), max_depth=10, nets=400, inputs=16, lu_nets=20_000,
                   train_activations=("relu", "leaky_relu"), learning_rates=(0.01, 0.1, 1.0),
                   train_seeds=5, train_steps=100, bootstrap=200)


def death_depths(width: int, config: Config, inputs: int, seed: int) -> np.ndarray:
    """For each random net, the first hidden layer at which all units are zero on all inputs
    (``max_depth + 1`` when it survives)."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    x = (torch.rand(config.nets, inputs, config.input_dim, generator=generator) * 2 - 1) \
        * math.sqrt(3)
    return first_dead_layer(x, width, config.max_depth, config.bias_std, generator)


def first_dead_layer(x: torch.Tensor, width: int, max_depth: int, bias_std: float,
                     generator: torch.Generator) -> np.ndarray:
    """Push ``x`` (nets, inputs, input_dim) through one random He-normal ReLU net per row;
    for each net the first hidden layer whose units are all zero on every input
    (``max_depth + 1`` when none is)."""
    import torch

    n, _, fan_in = x.shape
    died_at = torch.full((n,), max_depth + 1, dtype=torch.int64)
    for layer in range(1, max_depth + 1):
        # He-normal weights: symmetric, variance 2/fan_in
        w = torch.randn(n, fan_in, width, generator=generator) * math.sqrt(2.0 / fan_in)
        x = torch.matmul(x, w)
        if bias_std > 0:
            x = x + torch.randn(n, 1, width, generator=generator) * bias_std
        x = torch.relu(x)
        dead_now = (x == 0).flatten(1).all(dim=1) & (died_at > max_depth)
        died_at[dead_now] = layer
        fan_in = width
    return died_at.numpy()


def born_dead_lu_setting(config: Config, published: PublishedBornDead,
                         progress: ProgressFn | None = None) -> dict:
    """P(born dead) at 1..20 hidden layers in Lu et al.'s setting, beside their numbers.

    One input, no biases, He-normal weights (their figure says only "symmetric
    distributions"; without biases the scale of the weights cannot matter, only the shape
    of their law). The inputs are the two ends of [-√3, √3], which is exact for the
    whole interval: a bias-free ReLU net with one input is positively homogeneous,
    N(x) = x·N(1) for x > 0 and |x|·N(-1) for x < 0, so it is constant on the interval
    exactly when both ends die.
    """
    import torch

    depths = np.arange(1, published.max_hidden_layers + 1)
    n = config.lu_nets
    widths: dict[str, dict[str, list[float]]] = {}
    for k, width in enumerate(published.widths):
        generator = torch.Generator().manual_seed(config.seed * 7919 + 101 * width + 1)
        ends = torch.tensor([[math.sqrt(3)], [-math.sqrt(3)]]).expand(n, 2, 1)
        died_at = first_dead_layer(ends, width, len(depths), 0.0, generator)
        dead = (died_at[None, :] <= depths[:, None]).sum(axis=1)
        low, high = wilson_interval(dead, n)
        widths[str(width)] = {
            "dead": dead.tolist(), "p": (dead / n).tolist(),
            "low": low.tolist(), "high": high.tolist(),
            "published": list(published.simulated[width]),
            "lower_bound": [lower_bound(width, int(d)) for d in depths],
            "upper_bound": [upper_bound(width, int(d)) for d in depths],
        }
        if progress:
            progress(0.3 + 0.15 * (k + 1) / len(published.widths),
                     f"Lu et al.'s setting: width {width}")
    return {"hidden_layers": depths.tolist(), "nets": n, "widths": widths}


def born_dead_curves(config: Config, progress: ProgressFn | None) -> dict:
    depths = np.arange(1, config.max_depth + 1)
    curves: dict[str, dict] = {"depths": depths.tolist(), "domain": {}, "single_point": {}}
    for k, width in enumerate(config.widths):
        for kind, inputs in (("domain", config.inputs), ("single_point", 1)):
            died_at = death_depths(width, config, inputs, seed=config.seed * 7919 + width)
            dead = (died_at[None, :] <= depths[:, None]).sum(axis=1)
            low, high = wilson_interval(dead, config.nets)
            curves[kind][str(width)] = {
                "p": (dead / config.nets).tolist(), "low": low.tolist(), "high": high.tolist(),
            }
        point = curves["single_point"][str(width)]
        point["theory"] = (1 - (1 - 2.0 ** -width) ** depths).tolist()
        # the check's interval: 99.9 % jointly over all (width, depth) cells (Bonferroni), so
        # a miss means a bug and not one unlucky cell among hundreds
        from scipy.special import ndtri

        cells = len(config.widths) * config.max_depth
        z = float(ndtri(1 - 0.0005 / cells))
        dead_point = np.round(np.asarray(point["p"]) * config.nets)
        low, high = wilson_interval(dead_point, config.nets, z=z)
        point["low_check"], point["high_check"] = low.tolist(), high.tolist()
        if progress:
            progress(0.3 * (k + 1) / len(config.widths), f"born dead: width {width}")
    return curves


def dead_after_training(config: Config, progress: ProgressFn | None) -> dict:
    import torch

    from actlab.data.digits import load_digits_split
    from actlab.models.ensemble import EnsembleMLP, train_ensemble

    split = load_digits_split(seed=config.seed)
    x = torch.tensor(split.x_train, dtype=torch.float32)
    y = torch.tensor(split.y_train, dtype=torch.int64)
    lrs = [lr for lr in config.learning_rates for _ in range(config.train_seeds)]
    seeds = [config.seed * 100 + s for _ in config.learning_rates
             for s in range(config.train_seeds)]
    results: dict[str, dict[str, Any]] = {}
    for k, name in enumerate(config.train_activations):
        model = EnsembleMLP([x.shape[1], 100, 100, 10], name, seeds, init="he")
        train_ensemble(model, x, y, steps=config.train_steps, learning_rates=lrs,
                       batch_size=config.batch_size, optimiser="sgd", seed=config.seed)
        with torch.no_grad():
            model(x.unsqueeze(0).expand(len(seeds), *x.shape), keep_hidden=True)
            # a run whose weights blew up to inf/NaN diverged: reported apart, not as "dead"
            diverged = ~torch.stack([torch.isfinite(p).flatten(1).all(dim=1)
                                     for p in model.weights]).all(dim=0)
            dead_parts, inactive_parts = [], []
            for z in model.pre_activations:  # (S, examples, units)
                if name == "prelu":
                    slope = torch.where(z >= 0, 1.0, model.act_params["a"])
                else:
                    slope = model.act.grad(z, model.act.params, _torch_backend())
                dead = torch.abs(slope) < DEAD_SLOPE
                dead_parts.append(dead.all(dim=1).float().mean(dim=1))
                inactive_parts.append((z <= 0).all(dim=1).float().mean(dim=1))
            dead_all = torch.stack(dead_parts).mean(dim=0).numpy()
            inactive_all = torch.stack(inactive_parts).mean(dim=0).numpy()
        shape = (len(config.learning_rates), config.train_seeds)
        ok = ~diverged.numpy().reshape(shape)
        per_lr_dead = np.where(ok, dead_all.reshape(shape), np.nan)
        per_lr_inactive = np.where(ok, inactive_all.reshape(shape), np.nan)
        results[name] = {
            "dead": [[None if np.isnan(v) else float(v) for v in row] for row in per_lr_dead],
            "dead_mean": _nan_stat(np.nanmean, per_lr_dead),
            "dead_min": _nan_stat(np.nanmin, per_lr_dead),
            "dead_max": _nan_stat(np.nanmax, per_lr_dead),
            "inactive_mean": _nan_stat(np.nanmean, per_lr_inactive),
            "diverged": (~ok).sum(axis=1).tolist(),
        }
        if progress:
            progress(0.45 + 0.55 * (k + 1) / len(config.train_activations),
                     f"training: {name}")
    return {"learning_rates": list(config.learning_rates), "activations": results}


def _nan_stat(stat, values: np.ndarray) -> list[float | None]:
    """Per-row statistic ignoring diverged runs; None where every run diverged."""
    return [None if np.isnan(row).all() else float(stat(row)) for row in values]


def _torch_backend():  # small indirection keeps the import lazy
    from actlab.catalogue.backend import torch_backend

    return torch_backend()


def _validate(config: Config) -> None:
    """Refuse what ``--set`` could make of the config that no run can mean."""
    require_counts({"max_depth": config.max_depth, "nets": config.nets, "inputs": config.inputs,
                    "input_dim": config.input_dim, "train_seeds": config.train_seeds,
                    "bootstrap": config.bootstrap, "train_steps": config.train_steps,
                    "batch_size": config.batch_size, "lu_nets": config.lu_nets})
    if not config.widths or min(config.widths) < 1:
        raise InvalidValue("widths: give at least one width, each at least 1")
    if not config.learning_rates or not all(math.isfinite(r) and r > 0
                                            for r in config.learning_rates):
        raise InvalidValue("learning_rates: give at least one rate, each a number > 0")
    if not (math.isfinite(config.bias_std) and config.bias_std >= 0):
        raise InvalidValue(f"bias_std must be a number >= 0, got {config.bias_std}")


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    _validate(config)
    start = time.perf_counter()
    born = born_dead_curves(config, progress)
    lu = born_dead_lu_setting(config, LU_2019_BORN_DEAD, progress)
    trained = dead_after_training(config, progress)

    deepest = config.max_depth
    narrow, wide = str(min(config.widths)), str(max(config.widths))
    p_narrow = born["domain"][narrow]["p"][-1]
    p_wide = born["domain"][wide]["p"][-1]
    rows = [[int(w), *[round(born["domain"][w]["p"][d - 1], 3)
                       for d in _checkpoints(config.max_depth)]]
            for w in born["domain"]]
    claims = [
        Claim.rate(
            "A deep ReLU net with symmetric initialisation is born dead with probability "
            "→ 1 as depth grows", LU_2019, "→ 1 (above 0.9 at this depth)",
            successes=round(p_narrow * config.nets), trials=config.nets, null=0.9,
            quantity=f"P(born dead by depth {deepest}) at width {narrow}",
            detail=f"{config.nets} random nets, {config.inputs} inputs each, He-normal "
            "weights; exact binomial test against 0.9, Wilson interval"),
        _width_claim(born, narrow, wide, config),
    ]
    # the estimator against the exact single-point formula, at every width and depth
    inside = [
        lo - 1e-12 <= th <= hi + 1e-12
        for w, c in born["single_point"].items()
        for lo, hi, th in zip(c["low_check"], c["high_check"], c["theory"], strict=True)
    ]
    claims.append(Claim.check(
        "Single input point: Monte Carlo matches P = 1 − (1 − 2^−N)^L", "derived here "
        "(each layer is all-zero with probability 2^−N, independently)", "exact formula",
        f"{sum(inside)} of {len(inside)} (width, depth) cells inside their intervals",
        holds=all(inside), seeds=config.nets,
        detail="a check of the Monte Carlo estimator itself; Wilson intervals with a joint "
        "99.9 % level over all cells (Bonferroni), so a miss means a bug rather than bad "
        "luck"))
    claims.extend(lu_published_claims(lu, LU_2019_BORN_DEAD))
    claims.append(lu_bounds_check(lu))
    claims.append(lu_bounds_transcription_check(LU_2019_BORN_DEAD))

    acts = trained["activations"]
    lr_rows = [[name, *[_cell(m, d, config.train_seeds) for m, d in
                        zip(acts[name]["dead_mean"], acts[name]["diverged"], strict=True)]]
               for name in acts]
    if "relu" in acts:
        claims.append(_learning_rate_claim(acts["relu"], config))
    present = [n for n in ("leaky_relu", "prelu") if n in acts]
    if present:
        worst = max((m for n in present for m in acts[n]["dead_mean"] if m is not None),
                    default=float("nan"))
        claims.append(Claim.check(
            "Leaky ReLU and PReLU units do not die", LECTURE_NOTES, "no dead units",
            f"largest dead fraction ({', '.join(present)}): {worst:.1%}",
            holds=worst == 0.0, seeds=config.train_seeds,
            detail=f"a slope of at least 0.01 everywhere, so no unit can be dead (|f'| < "
            f"{DEAD_SLOPE:g} on every training example); diverged runs left out"))
    if "elu" in acts:
        claims.append(_elu_claim(acts["elu"], config))
    return Result(
        experiment="dying_relu",
        config=asdict(config),
        metrics={"p_born_dead_narrow_deepest": p_narrow, "p_born_dead_wide_deepest": p_wide},
        tables={
            "born_dead": Table(
                columns=["width", *[f"depth {d}" for d in _checkpoints(config.max_depth)]],
                rows=rows,
                caption=f"P(born dead), {config.nets} random nets per width, "
                f"{config.inputs} inputs on [-√3, √3]^{config.input_dim}."),
            "lu_2019_born_dead": lu_table(lu, LU_2019_BORN_DEAD),
            "dead_after_training": Table(
                columns=["activation", *[f"lr {lr}" for lr in config.learning_rates]],
                rows=lr_rows,
                caption=f"Mean fraction of dead hidden units after {config.train_steps} SGD "
                f"steps on digits (64-100-100-10, He init, {config.train_seeds} seeds)."),
        },
        curves={"born_dead": born, "lu_2019": lu, "training": trained},
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def lu_tolerance(published: PublishedBornDead, width: int,
                 tolerance: float = LU_TOLERANCE) -> float:
    """The tolerance of one width's claim: ``tolerance``, but at most half the largest
    probability they plotted for that width. Width 10's curve never exceeds 0.0076, well
    inside ±0.01 of zero, so without the cap a net that never dies (P = 0 at every depth)
    would reproduce it; with it, the claim can fail."""
    return min(tolerance, max(published.simulated[width]) / 2)


def lu_published_claims(lu: dict, published: PublishedBornDead,
                        tolerance: float = LU_TOLERANCE) -> list[Claim]:
    """One claim per width of Lu et al.'s figure: their simulated P(born dead) at every
    depth 1..20 against ours, judged by the estimate rule at the depth whose verdict is
    the lowest (ties: the depth where our interval reaches furthest from theirs), so the
    claim is reproduced only when every depth is."""
    n = lu["nets"]
    claims = []
    for width in published.widths:
        ours = lu["widths"][str(width)]
        allowed = lu_tolerance(published, width, tolerance)

        def weakness(i: int, ours: dict = ours, width: int = width,
                     allowed: float = allowed) -> tuple[int, float]:
            theirs = published.value(width, i + 1)
            verdict = rule.estimate_verdict(theirs, ours["p"][i],
                                            (ours["low"][i], ours["high"][i]), allowed)
            reach = max(theirs - ours["low"][i], ours["high"][i] - theirs)
            return rule.VERDICT_RANK[verdict], -reach

        i = min(range(len(ours["p"])), key=weakness)
        depth = i + 1
        gaps = [abs(p - q) for p, q in zip(ours["p"], published.simulated[width],
                                           strict=True)]
        claims.append(Claim.estimate(
            f"A net of width {width} (d_in = 1, no biases) is born dead with the "
            f"probabilities Lu et al. simulated at 1–{published.max_hidden_layers} hidden "
            "layers", published.source, published.value(width, depth),
            tolerance=allowed, measured=ours["p"][i], interval=(ours["low"][i],
                                                                  ours["high"][i]),
            seeds=n,
            quantity=f"P(born dead) at {depth} hidden layers, width {width} (the depth of "
            f"1–{published.max_hidden_layers} where ours and theirs agree least)",
            detail=f"tolerance ±{allowed:.2g}: half a marker of their figure, which states "
            f"no number of nets, and at most half their largest value for this width; their "
            f"values read off it to ±{published.reading:g}; {n} "
            f"random nets per width, Wilson intervals; largest |ours − theirs| over the "
            f"{len(gaps)} depths: {max(gaps):.4f}"))
    return claims


def lu_bounds_check(lu: dict) -> Claim:
    """'P(born dead) lies between the bounds of their theorem', at every width and depth.

    A check, not a claim: the bounds are a theorem, and the upper one is the death of a
    single input, which a net dead on the whole interval has too, so only a bug in our
    estimator could break them. It holds when every (width, depth) estimate is consistent
    with the bounds: its Wilson interval, at a joint 99.9 % level over all cells
    (Bonferroni), meets [lower, upper] (so a miss means a bug rather than bad luck; where
    the lower bound is attained, at 1 and 2 hidden layers, the estimate may sit on it)."""
    from scipy.special import ndtri

    n = lu["nets"]
    cells = [(int(width), depth, dead, low, up)
             for width, c in lu["widths"].items()
             for depth, dead, low, up in zip(lu["hidden_layers"], c["dead"], c["lower_bound"],
                                             c["upper_bound"], strict=True)]
    z = float(ndtri(1 - 0.0005 / len(cells)))
    lows, highs = wilson_interval(np.array([cell[2] for cell in cells]), n, z=z)
    outside = [f"width {w}, {d} hidden layers: {dead / n:.4f} not in [{low:.4f}, {up:.4f}]"
               for (w, d, dead, low, up), lo, hi in zip(cells, lows, highs, strict=True)
               if hi < low or lo > up]
    strictly = sum(low <= dead / n <= up for _, _, dead, low, up in cells)
    return Claim.check(
        "P(born dead) lies between the lower and upper bounds of their theorem (d_in = 1, "
        f"no biases), at every width and 1–{len(lu['hidden_layers'])} hidden layers",
        LU_2019, "between the bounds",
        f"{len(cells) - len(outside)} of {len(cells)} (width, depth) cells consistent with "
        f"them; {strictly} estimates strictly between",
        holds=not outside, seeds=n,
        detail=f"{n} nets per width; Wilson intervals at a joint 99.9 % level over the "
        f"{len(cells)} cells (Bonferroni)"
        + (f"; outside: {'; '.join(outside[:3])}" if outside else ""))


def lu_bounds_transcription_check(published: PublishedBornDead) -> Claim:
    """Their bounds as we evaluate them against the bound curves drawn in their figure:
    arithmetic, so a check (it tests our transcription of the theorem)."""
    gaps = [abs(f(width, depth) - drawn)
            for width, by_depth in published.plotted_bounds.items()
            for depth, pair in by_depth.items()
            for f, drawn in zip((lower_bound, upper_bound), pair, strict=True)]
    limit = 2 * published.reading
    return Claim.check(
        "Their theorem's bounds, evaluated here, are the bound curves drawn in their figure",
        LU_2019, f"within ±{limit:g} (twice the reading precision)",
        f"largest difference {max(gaps):.4f} over {len(gaps)} points",
        holds=max(gaps) <= limit,
        detail="upper 1 − (1 − 2^−N)^h and their lower bound for h hidden layers, at "
        f"2, 5, 10 and 20 hidden layers and widths {', '.join(map(str, published.widths))}")


def lu_table(lu: dict, published: PublishedBornDead,
             tolerance: float = LU_TOLERANCE) -> Table:
    """'Published vs ours' at a few of the depths they report, with the per-cell verdict
    of the estimate rule."""
    rows = []
    for width in published.widths:
        ours = lu["widths"][str(width)]
        for depth in (d for d in LU_TABLE_DEPTHS if d <= published.max_hidden_layers):
            i = depth - 1
            theirs = published.value(width, depth)
            interval = (ours["low"][i], ours["high"][i])
            allowed = lu_tolerance(published, width, tolerance)
            rows.append([width, depth, theirs, round(ours["p"][i], 4),
                         f"[{interval[0]:.4f}, {interval[1]:.4f}]",
                         round(ours["lower_bound"][i], 4), round(ours["upper_bound"][i], 4),
                         f"±{allowed:.2g}",
                         rule.estimate_verdict(theirs, ours["p"][i], interval, allowed)])
    return Table(
        columns=["width", "hidden layers", "Lu et al. (read off)", "ours", "our 95 % interval",
                 "their lower bound", "their upper bound", "tolerance", "verdict"],
        rows=rows,
        caption=f"P(born dead) in Lu et al.'s setting (d_in = 1, no biases, symmetric "
        f"weights): their simulated values beside ours ({lu['nets']} nets per width, "
        f"Wilson 95 % intervals). Theirs are read off the {published.where} to "
        f"±{published.reading:g}; width 10 is among the widths they report. Every depth "
        f"1–{published.max_hidden_layers} is in the claims and the figure; the table shows "
        f"{', '.join(map(str, LU_TABLE_DEPTHS))}.")


def _width_claim(born: dict, narrow: str, wide: str, config: Config) -> Claim:
    """'The probability falls fast with width': the narrowest and the widest width at the
    deepest layer, two independent Monte Carlo samples; Fisher's exact test (one-sided)."""
    from scipy import stats

    from actlab.lab.verdict import TestResult

    n = config.nets
    dead_narrow = round(born["domain"][narrow]["p"][-1] * n)
    dead_wide = round(born["domain"][wide]["p"][-1] * n)
    table = [[dead_wide, n - dead_wide], [dead_narrow, n - dead_narrow]]
    p = float(stats.fisher_exact(table, alternative="less").pvalue)
    difference = (dead_wide - dead_narrow) / n
    half = 1.96 * np.sqrt((dead_wide * (n - dead_wide) + dead_narrow * (n - dead_narrow))
                          / n**3)
    result = TestResult(difference, p, (float(difference - half), float(difference + half)), n,
                        "Fisher's exact test (one-sided)")
    return Claim.from_test(
        "The probability of being born dead falls fast with width", LU_2019,
        "falls with width", result, direction="less",
        quantity=f"P(born dead by depth {config.max_depth}), width {wide} minus width "
        f"{narrow}",
        detail=f"{n} nets per width: width {narrow} {dead_narrow / n:.3f}, width {wide} "
        f"{dead_wide / n:.3f}; Wald interval of the difference")


def _elu_claim(elu: dict, config: Config) -> Claim:
    """'ELU units do not die': ELU's slope α·eˣ never reaches zero, but it falls below any
    threshold for very negative inputs, so training can saturate units for good. Per seed
    the largest dead fraction over the learning rates, against 0 within 1 % of the units."""
    per_seed = np.array([[np.nan if v is None else v for v in row] for row in elu["dead"]])
    worst = np.nanmax(np.where(np.isnan(per_seed), -np.inf, per_seed), axis=0)
    worst = np.where(np.isfinite(worst), worst, np.nan)
    return Claim.estimate(
        "ELU units do not die", LECTURE_NOTES, 0.0, samples=worst[np.isfinite(worst)],
        tolerance=0.01, quantity="largest fraction of dead units over the learning rates",
        detail=f"dead = |f'| < {DEAD_SLOPE:g} on every training example; mean dead fraction "
        "per learning rate: " + ", ".join(
            "–" if m is None else f"{m:.1%}" for m in elu["dead_mean"]))


def _learning_rate_claim(relu: dict, config: Config) -> Claim:
    """'High learning rates kill ReLU units': Kendall's τ between the learning rate and the
    dead fraction over every (learning rate, seed) run that did not diverge, one-sided;
    the interval of τ is a bootstrap over runs."""
    from scipy import stats

    from actlab.lab.verdict import TestResult

    pairs = [(lr, dead) for lr, row in zip(config.learning_rates, relu["dead"], strict=True)
             for dead in row if dead is not None]
    lrs = np.array([lr for lr, _ in pairs], dtype=float)
    dead = np.array([d for _, d in pairs], dtype=float)
    if len(pairs) < 3 or np.ptp(lrs) == 0:
        tau, p, interval = float("nan"), 1.0, (float("nan"), float("nan"))
    else:
        result = stats.kendalltau(lrs, dead, alternative="greater")
        tau = float(result.statistic) if np.isfinite(result.statistic) else 0.0
        p = float(result.pvalue) if np.isfinite(result.pvalue) else 1.0
        rng = np.random.default_rng(config.seed)
        draws = []
        for _ in range(config.bootstrap):
            pick = rng.integers(0, len(pairs), len(pairs))
            t = stats.kendalltau(lrs[pick], dead[pick]).statistic
            if np.isfinite(t):
                draws.append(t)
        interval = ((float(np.percentile(draws, 2.5)), float(np.percentile(draws, 97.5)))
                    if draws else (float("nan"), float("nan")))
    diverged = sum(relu["diverged"])
    result = TestResult(tau, p, interval, len(pairs), "Kendall's τ trend test (one-sided)")
    return Claim.from_test(
        "High learning rates kill ReLU units", LECTURE_NOTES, "more dead units at higher "
        "learning rates (τ > 0)", result, direction="greater",
        quantity="Kendall's τ between learning rate and dead fraction",
        detail=f"{len(pairs)} runs over the learning rates {list(config.learning_rates)} "
        f"({config.train_seeds} seeds each; {diverged} diverged runs left out); mean dead "
        "fraction per rate: " + ", ".join(
            "–" if m is None else f"{m:.1%}" for m in relu["dead_mean"]))


def _cell(dead: float | None, diverged: int, seeds: int) -> str:
    text = "–" if dead is None else f"{dead:.1%}"
    return f"{text} ({diverged}/{seeds} diverged)" if diverged else text


def _checkpoints(max_depth: int) -> list[int]:
    return sorted({d for d in (1, 2, 5, 10, 20, 30, 50, max_depth) if d <= max_depth})


