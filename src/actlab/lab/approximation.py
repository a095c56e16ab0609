"""ReLU networks approximate curves: trained small nets, and Yarotsky's exact construction.

Trained (notes A, C): y = x² + noise on [-10, 10], fitted by a 1-6-1 ReLU
net ("parallel") and a 1-2-2-2-1 ReLU net ("serial"), 19 parameters each, Adam
lr 0.005, batch 32, 100 epochs as in the seeds; over several seeds; the same
for sin x and x⁵.  The targets are standardised for training (x⁵ reaches 1e5)
and the error is the RMSE against the noise-free curve in units of its
standard deviation, so the three curves are comparable.  A ReLU net is
piecewise linear; we also count its linear pieces on [-10, 10].

Constructed (Yarotsky 2017): on [0, 1] the hat g(x) = 2relu(x) − 4relu(x − ½) +
2relu(x − 1) composed s times is a sawtooth g_s with 2^(s−1) teeth, and
f_m(x) = x − Σ_{s=1..m} g_s(x)/4^s is the piecewise-linear interpolant of x² at
2^m + 1 knots, with maximum error 2^(−2m−2).  Here f_m is built as an actual
ReLU network of width 4 and m hidden layers, and its error is measured.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import Claim, Result, Table

ARCHITECTURES = {"parallel": [1, 6, 1], "serial": [1, 2, 2, 2, 1]}  # 19 parameters each


@dataclass(frozen=True)
class Config:
    targets: tuple[str, ...] = ("square", "sin", "quintic")  # from actlab.data.regression
    n_points: int = 2001  # the seeds: x = -10 + k/100, k = 0..2000
    low: float = -10.0
    high: float = 10.0
    epochs: int = 100  # the seeds: 100 epochs, batch 32, Adam lr 0.005
    batch_size: int = 32
    learning_rate: float = 0.005
    n_seeds: int = 5  # initialisations per architecture and target
    yarotsky_depths: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8)  # m: hidden layers of f_m
    seed: int = 0  # noise and initialisations (seed, seed + 1, ...)

    @classmethod
    def quick(cls) -> Config:
        return cls(targets=("square",), n_points=401, epochs=15, n_seeds=2,
                   yarotsky_depths=(1, 2, 3, 4))


# --- the trained nets ------------------------------------------------------------------
def count_linear_pieces(x: np.ndarray, y: np.ndarray, rel_tol: float = 1e-6) -> int:
    """Linear pieces of a piecewise-linear function sampled on a fine grid: one more than
    the number of runs of slope changes (a kink between two grid points shows as one run)."""
    slopes = np.diff(y) / np.diff(x)
    scale = max(float(np.max(np.abs(slopes))), 1e-300)
    bends = np.abs(np.diff(slopes)) > rel_tol * scale
    runs = int(np.sum(bends[1:] & ~bends[:-1]) + (1 if bends.size and bends[0] else 0))
    return runs + 1


def fit_one(target: str, architecture: str, seed: int, config: Config) -> dict[str, Any]:
    """Train one net on ``target`` + noise; return its fit on the grid and its errors."""
    from actlab.data.regression import curve, make_regression
    from actlab.models.mlp import MLP

    x, y = make_regression(target, n=config.n_points, seed=config.seed, low=config.low,
                           high=config.high)
    mean, std = float(y.mean()), float(y.std())
    net = MLP(ARCHITECTURES[architecture], activation="relu", optimiser="adam",
              learning_rate=config.learning_rate, init="glorot", seed=seed)
    if net.n_parameters != 19:
        raise AssertionError(f"{architecture} has {net.n_parameters} parameters, not 19")
    losses = net.fit(x, (y - mean) / std, epochs=config.epochs,
                     batch_size=config.batch_size, seed=seed)
    pred = net.predict(x)[:, 0] * std + mean
    clean = curve(target)(x[:, 0])
    spread = float(clean.std())
    return {
        "prediction": pred,
        "rmse_clean": float(np.sqrt(np.mean((pred - clean) ** 2)) / spread),
        "rmse_noisy": float(np.sqrt(np.mean((pred - y[:, 0]) ** 2)) / spread),
        "pieces": count_linear_pieces(x[:, 0], pred),
        "final_loss": float(losses[-1]),
        "n_parameters": net.n_parameters,
    }


# --- Yarotsky's construction -----------------------------------------------------------
def yarotsky_layers(m: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Weights (in, out) and biases of the ReLU network computing f_m (m >= 1 hidden layers
    of width 4; the last layer is linear).

    Hidden layer k holds relu(g_{k-1}), relu(g_{k-1} − ½), relu(g_{k-1} − 1) (from which
    g_k = 2·u0 − 4·u1 + 2·u2) and relu(f_{k-1}) (f_{k-1} >= x² >= 0 on [0, 1], so the relu
    passes it unchanged); g_0 = f_0 = x.
    """
    if m < 1:
        raise ValueError(f"Yarotsky's construction needs depth m >= 1, got {m}")
    hat = np.array([2.0, -4.0, 2.0])  # g from the three hat units
    shifts = np.array([0.0, -0.5, -1.0, 0.0])
    layers = [(np.array([[1.0, 1.0, 1.0, 1.0]]), shifts.copy())]  # from x: g_0 = f_0 = x
    for k in range(1, m):
        # from (hat units of g_k, f_{k-1}):  g_k = hat·u,  f_k = f_{k-1} − g_k / 4^k
        w = np.zeros((4, 4))
        w[:3, :3] = hat[:, None]  # each of the three new hat units reads g_k
        w[:3, 3] = -hat / 4.0**k
        w[3, 3] = 1.0
        layers.append((w, shifts.copy()))
    out = np.zeros((4, 1))
    out[:3, 0] = -hat / 4.0**m
    out[3, 0] = 1.0
    layers.append((out, np.zeros(1)))
    return layers


def relu_network(layers: list[tuple[np.ndarray, np.ndarray]], x: np.ndarray) -> np.ndarray:
    """Forward pass: ReLU (the catalogue's) after every layer but the last."""
    import actlab

    relu = actlab.get("relu")
    a = x[:, None]
    for i, (w, b) in enumerate(layers):
        a = a @ w + b
        if i < len(layers) - 1:
            a = relu(a)
    return a[:, 0]


def yarotsky_error(m: int, resolution: int = 4) -> dict[str, Any]:
    """Max |f_m(x) − x²| on a dyadic grid of [0, 1] fine enough to hold every interval
    midpoint (where the interpolation error peaks); float64 is exact on it for small m."""
    x = np.linspace(0.0, 1.0, 2 ** (m + resolution) + 1)
    layers = yarotsky_layers(m)
    approx = relu_network(layers, x)
    err = np.abs(approx - x**2)
    n_params = sum(w.size + b.size for w, b in layers)
    return {"x": x, "approx": approx, "max_error": float(err.max()),
            "formula": 2.0 ** (-2 * m - 2), "n_parameters": n_params,
            "n_hidden_layers": m}


# --- the experiment -------------------------------------------------------------------
def run(config: Config, progress: ProgressFn | None = None) -> Result:
    from actlab.data.regression import curve, make_regression

    start = time.perf_counter()
    seeds = [config.seed + i for i in range(config.n_seeds)]
    total = len(config.targets) * len(ARCHITECTURES) * len(seeds) + 1
    done = 0
    curves: dict[str, Any] = {"fits": {}}
    rows: list[list[Any]] = []
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for target in config.targets:
        x, y = make_regression(target, n=config.n_points, seed=config.seed, low=config.low,
                               high=config.high)
        entry: dict[str, Any] = {"x": x[:, 0], "y": y[:, 0], "clean": curve(target)(x[:, 0])}
        summary[target] = {}
        for arch in ARCHITECTURES:
            fits = []
            for s in seeds:
                fits.append(fit_one(target, arch, s, config))
                done += 1
                if progress:
                    progress(done / total, f"{target}: {arch} seed {s}")
            errors = np.array([f["rmse_clean"] for f in fits])
            pieces = [f["pieces"] for f in fits]
            entry[arch] = {"predictions": [f["prediction"] for f in fits],
                           "rmse_clean": errors, "pieces": pieces, "seeds": seeds}
            summary[target][arch] = {"median": float(np.median(errors)),
                                     "min": float(errors.min()), "max": float(errors.max())}
            rows.append([target, arch, " → ".join(map(str, ARCHITECTURES[arch])),
                         fits[0]["n_parameters"], float(np.median(errors)),
                         float(errors.min()), float(errors.max()), float(np.median(pieces))])
        curves["fits"][target] = entry

    yarotsky = [yarotsky_error(m) for m in config.yarotsky_depths]
    curves["yarotsky"] = {
        "depth": list(config.yarotsky_depths),
        "max_error": [y["max_error"] for y in yarotsky],
        "formula": [y["formula"] for y in yarotsky],
        "n_parameters": [y["n_parameters"] for y in yarotsky],
        # the first three approximants, for the figure
        "examples": {str(y["n_hidden_layers"]): {"x": y["x"], "approx": y["approx"]}
                     for y in yarotsky[:3]},
    }
    if progress:
        progress(1.0, "Yarotsky's construction")
    gaps = [abs(y["max_error"] - y["formula"]) for y in yarotsky]
    claims = _claims(config, curves, summary, yarotsky, gaps)
    tables = {
        "fits": Table(["target", "net", "layers", "parameters", "median error", "best error",
                       "worst error", "median linear pieces"], rows,
                      caption=f"Error: RMSE against the noise-free curve / its std, over "
                      f"{config.n_seeds} seeds; Adam lr {config.learning_rate}, batch "
                      f"{config.batch_size}, {config.epochs} epochs."),
        "yarotsky": Table(["hidden layers m", "parameters", "max |f_m − x²| measured",
                           "2^(−2m−2)", "|difference|"],
                          [[y["n_hidden_layers"], y["n_parameters"], y["max_error"],
                            y["formula"], g] for y, g in zip(yarotsky, gaps, strict=True)],
                          caption="Yarotsky's ReLU network of width 4 for x² on [0, 1]."),
    }
    metrics: dict[str, Any] = {"yarotsky_max_abs_gap": max(gaps)}
    for target, archs in summary.items():
        for arch, stats in archs.items():
            metrics[f"{target}_{arch}_median_error"] = stats["median"]
    return Result("approximation", asdict(config), metrics, tables, curves, claims,
                  time.perf_counter() - start)


def _claims(config: Config, curves: dict[str, Any], summary: dict[str, Any],
            yarotsky: list[dict[str, Any]], gaps: list[float]) -> list[Claim]:
    from actlab.models.mlp import MLP

    counts = {arch: MLP(sizes).n_parameters for arch, sizes in ARCHITECTURES.items()}
    claims = [Claim.check(
        "the 'parallel' 1-6-1 and the 'serial' 1-2-2-2-1 ReLU nets both have 19 parameters",
        "notes A, C (Keras summary)", 19, counts,
        holds=all(n == 19 for n in counts.values()))]
    if "square" in summary:
        parallel = np.array(curves["fits"]["square"]["parallel"]["rmse_clean"])
        serial = np.array(curves["fits"]["square"]["serial"]["rmse_clean"])
        wins = float(np.mean(parallel < serial))
        better = summary["square"]["parallel"]["median"] < summary["square"]["serial"]["median"]
        claims.append(Claim.check(
            "on x² + noise the 'parallel' net fits better (looks smoother) than the 'serial' "
            "one", "notes A, C", "parallel smoother",
            {"median error parallel": summary["square"]["parallel"]["median"],
             "median error serial": summary["square"]["serial"]["median"],
             "fraction of seeds parallel better": wins},
            holds=better and wins >= 0.5, partly=better or wins >= 0.5,
            detail=f"seed-paired errors over {config.n_seeds} seeds; error = RMSE vs x² / "
            "std(x²)"))
        best = summary["square"]["parallel"]["min"]
        claims.append(Claim.check(
            "a small ReLU net approximates x² on [-10, 10]", "notes A, C", "fits",
            best, holds=best < 0.1, partly=best < 0.3,
            detail="best parallel-net error (RMSE / std of x²) below 0.1"))
    claims.append(Claim.check(
        "Yarotsky's ReLU network f_m approximates x² on [0, 1] with max error 2^(-2m-2)",
        "Yarotsky 2017", [y["formula"] for y in yarotsky], [y["max_error"] for y in yarotsky],
        holds=max(gaps) <= 1e-12,
        detail=f"max |measured − formula| = {max(gaps):.3g} over m = "
        f"{list(config.yarotsky_depths)} (tolerance 1e-12)"))
    return claims
