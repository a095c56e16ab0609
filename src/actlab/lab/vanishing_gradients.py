"""Vanishing gradients: the absolute scale of the signal through depth, at initialisation.

For every elementwise catalogue entry, every initialisation scheme (Glorot,
He, LeCun, and the old "standard" U[-1/√n, 1/√n]) and depths 2..50, fully
connected nets of constant width are evaluated once on Gaussian inputs
(variance 1) with an MSE loss against Gaussian targets.  Per layer l we record

* the *forward* scale: the variance of the activations a_l, relative to the
  first hidden layer's;
* the *backward* scale: the root mean square of the back-propagated gradient
  δ_l = ∂L/∂s_l (s_l: the pre-activations), relative to the top hidden layer's;
* the norm of each layer's weight gradient ‖∂L/∂W_l‖ (for the profiles).

Why not the ratio of the first to the last layer's *weight*-gradient norm?
∂L/∂W_l = a_{l-1}ᵀ δ_l multiplies a forward and a backward factor; when both
shrink with depth (a deep ReLU net with U[±1/√n] weights has every weight
gradient near 1e-20) the ratio stays near 1 and hides it.  Each claim below
therefore has a negative control: an initialisation its statistic must flag.
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
    inits: tuple[str, ...] = ("glorot", "he", "lecun", "uniform")  # weight schemes compared
    activations: tuple[str, ...] = ()  # empty: every elementwise catalogue entry
    seeds: int = 2  # independent networks averaged per cell of the overview tables
    claim_seeds: int = 10  # independent networks behind each claim and its control
    intact_decades: float = 1.0  # "intact": forward and backward scale within 10^this
    vanished_decades: float = 3.0  # "vanished": first layer's δ below 10^-this of the top's
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(depths=(2, 5, 10), width=16, batch=32, seeds=2, claim_seeds=5,
                   activations=("relu", "tanh", "sigmoid"))


@dataclass(frozen=True)
class LayerScales:
    """Per-seed, per-layer scales of one (activation, init, depth) cell."""

    activation_variance: np.ndarray  # (seeds, depth): Var(a_l), hidden layers 1..depth
    delta_rms: np.ndarray  # (seeds, depth + 1): rms of ∂L/∂s_l, hidden layers then output
    weight_gradient_norm: np.ndarray  # (seeds, depth + 1): ‖∂L/∂W_l‖, input layer first

    def forward_decades(self) -> np.ndarray:
        """log10 Var(a_depth) / Var(a_1) per seed: how many decades the activations lost
        (negative) or gained (positive) from the first hidden layer to the deepest."""
        return _difference(_log10(self.activation_variance[:, -1]),
                           _log10(self.activation_variance[:, 0]))

    def backward_decades(self) -> np.ndarray:
        """log10 rms(δ_1) / rms(δ_depth) per seed: the back-propagated gradient reaching the
        first hidden layer relative to the top hidden layer's."""
        return _difference(_log10(self.delta_rms[:, 0]), _log10(self.delta_rms[:, -2]))

    def worst_decades(self) -> np.ndarray:
        """The larger of |forward| and |backward| per seed: 0 when both scales are kept."""
        return np.maximum(np.abs(self.forward_decades()), np.abs(self.backward_decades()))


def _log10(values: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(values > 0, np.log10(np.where(values > 0, values, 1.0)), -np.inf)


def _difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a − b, NaN where both are infinite (no signal at either end: nothing to compare)."""
    with np.errstate(invalid="ignore"):
        return a - b


def _activations(config: Config) -> list[str]:
    import actlab

    if config.activations:
        return list(config.activations)
    return [name for name in actlab.names() if actlab.get(name).elementwise]


def layer_scales(activation: str, init: str, depth: int, config: Config,
                 seeds: int | None = None) -> LayerScales:
    """One forward and backward pass of ``seeds`` nets (default ``config.seeds``) at once."""
    import torch

    from actlab.models.ensemble import EnsembleMLP

    count = config.seeds if seeds is None else seeds
    seed_list = [config.seed * 1000 + s for s in range(count)]
    sizes = [config.width] * (depth + 1) + [1]
    model = EnsembleMLP(sizes, activation, seed_list, init=init, dtype=torch.float64)
    model.eval()  # rrelu: its mean slope, not random slopes
    generator = torch.Generator().manual_seed(config.seed)
    x = torch.randn(count, config.batch, config.width, generator=generator,
                    dtype=torch.float64)
    target = torch.randn(count, config.batch, 1, generator=generator, dtype=torch.float64)
    output = model(x, keep_hidden=True)
    pre = [*model.pre_activations, output]
    for s in pre:
        s.retain_grad()
    loss = 0.5 * (output - target).square().mean(dim=(1, 2)).sum()
    loss.backward()
    with torch.no_grad():
        variance = torch.stack([a.flatten(1).var(dim=1, unbiased=False)
                                for a in model.hidden], dim=1)
        delta = torch.stack([_rms(s.grad) for s in pre], dim=1)
        weight = torch.stack([w.grad.flatten(1).norm(dim=1) if w.grad is not None
                              else torch.zeros(count, dtype=torch.float64)
                              for w in model.weights], dim=1)
    return LayerScales(variance.numpy(), delta.numpy(), weight.numpy())


def _rms(grad):  # type: ignore[no-untyped-def]
    import torch

    if grad is None:
        return torch.zeros(1)
    return grad.flatten(1).square().mean(dim=1).sqrt()


def layer_gradient_norms(activation: str, init: str, depth: int, config: Config) -> np.ndarray:
    """Mean over seeds of ‖∂L/∂W_l‖ for l = 1..depth+1 (input layer first)."""
    return layer_scales(activation, init, depth, config).weight_gradient_norm.mean(axis=0)


def _log_ratio(norms: np.ndarray) -> float:
    """log10 of the first over the last entry (NaN when either is zero or not finite)."""
    first, last = norms[0], norms[-1]
    if last == 0 or first == 0 or not np.isfinite(first) or not np.isfinite(last):
        return float("nan")
    return math.log10(first / last)


# (statement, source, published, claimed cell, negative control) for each claim; a cell is
# (activation, init, depth or None for the deepest); "intact" claims use the worst of the
# forward and backward scales, "vanishing" claims the backward scale.
@dataclass(frozen=True)
class Expectation:
    statement: str
    source: str
    published: str
    kind: str  # "intact" or "vanishing"
    cell: tuple[str, str, int | None]
    control: tuple[str, str, int | None]
    why: str  # why the control must be flagged


EXPECTATIONS = (
    Expectation("He initialisation keeps the forward and backward signal of a deep ReLU net "
                "at its scale", HE, "variance preserved at every depth", "intact",
                ("relu", "he", None), ("relu", "uniform", None),
                "U[±1/√n] gives n·Var[w]/2 = 1/6 per layer"),
    Expectation("Glorot's normalised initialisation keeps tanh activations and back-"
                "propagated gradients at their scale across the paper's 5 layers",
                GLOROT_BENGIO, "roughly constant across layers (Fig. 6, 7)", "intact",
                ("tanh", "glorot", 5), ("tanh", "uniform", 5),
                "the paper's 'standard' U[±1/√n] gives n·Var[w] = 1/3 per layer"),
    Expectation("Back-propagated gradients vanish through deep sigmoid nets (σ' ≤ 1/4 per "
                "layer)", GLOROT_BENGIO, "vanishing", "vanishing",
                ("sigmoid", "glorot", None), ("relu", "he", None),
                "a ReLU net with He weights keeps its gradient"),
)


def expectation_claim(expectation: Expectation, claimed: LayerScales, control: LayerScales,
                      depth: int, control_depth: int, config: Config) -> tuple[Claim, Claim]:
    """The claim on its cell and the same rule applied to the negative control (which must
    come out not reproduced: the statistic can tell the two apart)."""
    claims = []
    for scales, cell_depth, cell in ((claimed, depth, expectation.cell),
                                     (control, control_depth, expectation.control)):
        label = f"{cell[0]}, {cell[1]} init, {cell_depth} hidden layers"
        if expectation.kind == "intact":
            claims.append(Claim.effect(
                expectation.statement, expectation.source, expectation.published,
                differences=scales.worst_decades(), direction="less",
                null=config.intact_decades,
                quantity="decades lost or gained, the worse of forward and backward",
                detail=f"{label}; per seed the larger of |log10 Var(a_deepest)/Var(a_1)| "
                "and |log10 rms(δ_1)/rms(δ_top)|; intact below "
                f"{config.intact_decades:g} decade"))
        else:
            claims.append(Claim.effect(
                expectation.statement, expectation.source, expectation.published,
                differences=scales.backward_decades(), direction="less",
                null=-config.vanished_decades,
                quantity="log10 rms(δ_1) / rms(δ_top)",
                detail=f"{label}; vanished when the first hidden layer's back-propagated "
                f"gradient is below 10^-{config.vanished_decades:g} of the top's"))
    claim, control_claim = claims
    flagged = control_claim.verdict == "not reproduced"
    flag = "flagged, as it must be" if flagged else "NOT flagged"
    note = (f" Negative control ({expectation.control[0]}, {expectation.control[1]} init, "
            f"{control_depth} hidden layers; {expectation.why}): measured "
            f"{control_claim.measured:.3g}, {control_claim.verdict} — {flag}.")
    return (Claim(**{**asdict(claim), "detail": claim.detail + note}), control_claim)


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    start = time.perf_counter()
    names = _activations(config)
    cells = [(a, i, d) for a in names for i in config.inits for d in config.depths]
    deepest = max(config.depths)
    backward: dict[str, dict[str, list[float]]] = {i: {a: [] for a in names}
                                                    for i in config.inits}
    forward: dict[str, dict[str, list[float]]] = {i: {a: [] for a in names}
                                                   for i in config.inits}
    profiles: dict[str, dict[str, dict[str, list[float]]]] = {i: {} for i in config.inits}
    steps = len(cells) + 2 * len(EXPECTATIONS)
    for k, (act, init, depth) in enumerate(cells):
        scales = layer_scales(act, init, depth, config)
        backward[init][act].append(_finite_mean(scales.backward_decades()))
        forward[init][act].append(_finite_mean(scales.forward_decades()))
        if depth == deepest:
            profiles[init][act] = {
                "activation_variance": scales.activation_variance.mean(axis=0).tolist(),
                "delta_rms": scales.delta_rms.mean(axis=0).tolist(),
                "weight_gradient_norm": scales.weight_gradient_norm.mean(axis=0).tolist()}
        if progress:
            progress((k + 1) / steps, f"{act}, {init}, depth {depth}")

    claims: list[Claim] = []
    controls: list[tuple[str, str]] = []
    metrics: dict[str, float] = {}
    for e, expectation in enumerate(EXPECTATIONS):
        (act, init, cell_depth), (c_act, c_init, c_cell_depth) = (expectation.cell,
                                                                  expectation.control)
        if not {act, c_act} <= set(names):
            continue
        depth, c_depth = cell_depth or deepest, c_cell_depth or deepest
        claimed = layer_scales(act, init, depth, config, config.claim_seeds)
        control = layer_scales(c_act, c_init, c_depth, config, config.claim_seeds)
        claim, control_claim = expectation_claim(expectation, claimed, control, depth,
                                                 c_depth, config)
        claims.append(claim)
        controls.append((f"{c_act}, {c_init} init, {c_depth} layers", control_claim.verdict))
        metrics[f"{act}_{init}_{expectation.kind}_statistic"] = claim.measured
        metrics[f"control_{c_act}_{c_init}_{expectation.kind}_statistic"] = (
            control_claim.measured)
        if progress:
            progress((len(cells) + 2 * (e + 1)) / steps, f"claim: {act}, {init}")
    if controls:
        flagged = [verdict == "not reproduced" for _, verdict in controls]
        claims.append(Claim.check(
            "Every claim's negative control is flagged by the claim's own statistic",
            "a test of the measurement", "all controls not reproduced",
            "; ".join(f"{cell}: {verdict}" for cell, verdict in controls),
            holds=all(flagged), seeds=config.claim_seeds,
            detail="a statistic that cannot flag a known bad initialisation cannot support "
            "a claim that a good one is fine"))

    tables = {}
    for init in config.inits:
        tables[f"backward_{init}"] = Table(
            columns=["activation", *[f"depth {d}" for d in config.depths]],
            rows=[[a, *[_round(v) for v in backward[init][a]]] for a in names],
            caption=f"log10 rms(∂L/∂s₁) / rms(∂L/∂s_top) at initialisation, {init} init: "
            "0 = the back-propagated gradient is kept, negative = vanishing, positive = "
            f"exploding; blank = no gradient. Mean over {config.seeds} nets.")
        tables[f"forward_{init}"] = Table(
            columns=["activation", *[f"depth {d}" for d in config.depths]],
            rows=[[a, *[_round(v) for v in forward[init][a]]] for a in names],
            caption=f"log10 Var(a_deepest) / Var(a₁) at initialisation, {init} init: 0 = the "
            "forward signal is kept, negative = it dies out, positive = it grows; blank = "
            f"every activation constant. Mean over {config.seeds} nets.")
    return Result(
        experiment="vanishing_gradients",
        config=asdict(config),
        metrics=metrics,
        tables=tables,
        curves={"backward_decades": backward, "forward_decades": forward,
                "profile_deepest": profiles, "depths": list(config.depths),
                "activations": names},
        claims=claims,
        seconds=time.perf_counter() - start,
    )


def _finite_mean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size == values.size else float("nan")


def _round(value: float) -> float | None:
    return None if not np.isfinite(value) else round(float(value), 2)
