"""Stacked linear layers collapse into one: the product of the weight matrices.

A deep net with the identity activation computes x W1 W2 ... Wk + (a combined
bias), one affine map.  We build random deep linear nets, collapse them into a
single layer, and compare outputs (float64: equal to rounding).  With the same
weights and a ReLU between the layers the net is no longer affine: the 1-D
slice shows a bent line, the collapsed linear net a straight one.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from itertools import pairwise

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table


@dataclass(frozen=True)
class Config:
    input_size: int = 8  # features of x
    width: int = 32  # hidden units per layer
    output_size: int = 4  # outputs
    depths: tuple[int, ...] = (1, 2, 3, 5, 10, 20, 50)  # numbers of linear layers compared
    n_samples: int = 1000  # inputs the outputs are compared on
    nonlinear_activation: str = "relu"  # the contrast: the same weights with this between layers
    contrast_depth: int = 3  # depth of the nets the contrast claim is judged on
    tolerance: float = 1e-12  # relative difference counted as "equal to machine precision"
    seed: int = 0  # weights and inputs

    @classmethod
    def quick(cls) -> Config:
        return cls(depths=(1, 3, 10), n_samples=100)


def random_layers(sizes: list[int], rng: np.random.Generator) -> list[tuple[np.ndarray,
                                                                            np.ndarray]]:
    """Weights of shape (in, out) with variance 1/in (so the outputs stay O(1)), biases N(0,1)."""
    return [(rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out)),
             rng.normal(0.0, 1.0, size=n_out)) for n_in, n_out in pairwise(sizes)]


def forward(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray,
            activation: object = None) -> np.ndarray:
    """Layer by layer; ``activation`` (a callable) between the layers, none after the last."""
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        if activation is not None and i < len(layers) - 1:
            x = activation(x)  # type: ignore[operator]
    return x


def collapse(layers: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The single layer equal to a stack of linear ones: W = W1 W2 ... Wk,
    b = (((b1 W2 + b2) W3 + b3) ...)."""
    w_total, b_total = layers[0]
    for w, b in layers[1:]:
        w_total = w_total @ w
        b_total = b_total @ w + b
    return w_total, b_total


def _affine_fit_gap(config: Config, rng: np.random.Generator, activation: object) -> float:
    """Relative max error of the best affine fit to a net with ``activation`` between layers."""
    sizes = ([config.input_size] + [config.width] * (config.contrast_depth - 1)
             + [config.output_size])
    x = rng.normal(size=(config.n_samples, config.input_size))
    bent = forward(random_layers(sizes, rng), x, activation)
    design = np.hstack([x, np.ones((len(x), 1))])
    fit, *_ = np.linalg.lstsq(design, bent, rcond=None)
    return float(np.max(np.abs(design @ fit - bent)) / np.max(np.abs(bent)))


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    import actlab

    start = time.perf_counter()
    rng = np.random.default_rng(config.seed)
    x = rng.normal(size=(config.n_samples, config.input_size))
    nonlinear = actlab.get(config.nonlinear_activation)
    rows, abs_diffs, rel_diffs, nonlinear_gaps = [], [], [], []
    for i, depth in enumerate(config.depths):
        sizes = [config.input_size] + [config.width] * (depth - 1) + [config.output_size]
        layers = random_layers(sizes, rng)
        deep = forward(layers, x)
        w, b = collapse(layers)
        single = x @ w + b
        abs_diff = float(np.max(np.abs(deep - single)))
        rel_diff = abs_diff / float(np.max(np.abs(deep)))
        # the contrast: the best single affine map fitted to the ReLU net misses it
        bent = forward(layers, x, nonlinear)
        design = np.hstack([x, np.ones((len(x), 1))])
        fit, *_ = np.linalg.lstsq(design, bent, rcond=None)
        gap = float(np.max(np.abs(design @ fit - bent)) / np.max(np.abs(bent)))
        abs_diffs.append(abs_diff)
        rel_diffs.append(rel_diff)
        nonlinear_gaps.append(gap)
        rows.append([depth, sum(w.size + b.size for w, b in layers), w.size + b.size, abs_diff,
                     rel_diff, gap])
        if progress:
            progress((i + 1) / (len(config.depths) + 1), f"depth {depth}")

    # a 1-D slice for the figure: scalar input and output, depth 4, linear vs ReLU
    slice_layers = random_layers([1, config.width, config.width, config.width, 1], rng)
    t = np.linspace(-3, 3, 601)[:, None]
    w, b = collapse(slice_layers)
    curves = {
        "by_depth": {"depth": list(config.depths), "max_abs_diff": abs_diffs,
                     "max_rel_diff": rel_diffs, "nonlinear_rel_gap": nonlinear_gaps},
        "slice": {"x": t[:, 0], "linear_deep": forward(slice_layers, t)[:, 0],
                  "linear_collapsed": (t @ w + b)[:, 0],
                  "nonlinear": forward(slice_layers, t, nonlinear)[:, 0],
                  "activation": config.nonlinear_activation},
    }
    worst = max(rel_diffs)
    contrast = _affine_fit_gap(config, rng, nonlinear)
    # both are arithmetic (a product of matrices; a kink of ReLU), so they are checks
    claims = [
        Claim.check("stacked linear layers equal one linear layer (outputs, float64)",
                    LECTURE_NOTES, f"≤ {config.tolerance:g}", worst,
                    holds=worst <= config.tolerance,
                    quantity="max |deep − collapsed| / max |deep| over all depths and inputs",
                    detail="W = W1·W2·…·Wk: equal up to rounding"),
        Claim.check(f"with {config.nonlinear_activation} between the layers no single linear "
                    "layer matches", LECTURE_NOTES, "> 1e-3", contrast,
                    holds=contrast > 1e-3,
                    quantity=f"relative max error of the least-squares affine fit, "
                    f"{config.contrast_depth} layers"),
    ]
    table = Table(["layers", "parameters (deep)", "parameters (collapsed)", "max |diff|",
                   "max relative diff", f"best affine fit to the {config.nonlinear_activation} "
                   "net (rel. error)"], rows,
                  caption="Deep linear net vs its collapsed single layer, float64. The last "
                  "column puts the same weights with the non-linearity between the layers; "
                  "very deep random nets drift towards a constant (their bias dominates), so "
                  "the contrast claim uses moderate depth.")
    metrics = {"max_abs_diff": max(abs_diffs), "max_rel_diff": worst,
               "nonlinear_affine_fit_gap": contrast}
    if progress:
        progress(1.0, "done")
    return Result("linear_collapse", asdict(config), metrics, {"by_depth": table}, curves,
                  claims, time.perf_counter() - start)
