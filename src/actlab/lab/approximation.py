"""ReLU networks approximate curves: trained small nets, and Yarotsky's exact construction.

Trained (the lecture notes): y = x² + noise on [-10, 10], fitted by a 1-6-1
ReLU net ("parallel") and a 1-2-2-2-1 ReLU net ("serial"), 19 parameters each,
Adam lr 0.005, batch 32, 100 epochs as in the notes; over 10 seeds; the same
for sin x and x⁵ over fewer seeds (figures only).  The targets are
standardised for training (x⁵ reaches 1e5) and the error is the RMSE against
the noise-free curve in units of its standard deviation, so the three curves
are comparable.  A ReLU net is piecewise linear, so its smoothness is
measured directly: the number of linear pieces on [-10, 10] (more, smaller
bends look smoother) and the largest bend (the biggest jump of the slope).

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
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table

ARCHITECTURES = {"parallel": [1, 6, 1], "serial": [1, 2, 2, 2, 1]}  # 19 parameters each


@dataclass(frozen=True)
class Config:
    targets: tuple[str, ...] = ("square", "sin", "quintic")  # from actlab.data.regression
    n_points: int = 2001  # the lecture notes: x = -10 + k/100, k = 0..2000
    low: float = -10.0
    high: float = 10.0
    epochs: int = 100  # the lecture notes: 100 epochs, batch 32, Adam lr 0.005
    batch_size: int = 32
    learning_rate: float = 0.005
    n_seeds: int = 10  # initialisations per architecture for x² (the claims)
    other_target_seeds: int = 3  # initialisations for the other targets (figures only)
    fit_threshold: float = 0.1  # "fits": median error (RMSE / std of x²) below this
    yarotsky_depths: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8)  # m: hidden layers of f_m
    seed: int = 0  # noise and initialisations (seed, seed + 1, ...)

    @classmethod
    def quick(cls) -> Config:
        return cls(targets=("square",), n_points=401, epochs=10, n_seeds=5,
                   yarotsky_depths=(1, 2, 3, 4))

    def seeds_for(self, target: str) -> list[int]:
        """The initialisation seeds trained on ``target``."""
        count = self.n_seeds if target == "square" else self.other_target_seeds
        return [self.seed + i for i in range(count)]


# --- the trained nets ------------------------------------------------------------------
def count_linear_pieces(x: np.ndarray, y: np.ndarray, rel_tol: float = 1e-6) -> int:
    """Linear pieces of a piecewise-linear function sampled on a fine grid: one more than
    the number of runs of slope changes (a kink between two grid points shows as one run)."""
    slopes = np.diff(y) / np.diff(x)
    scale = max(float(np.max(np.abs(slopes))), 1e-300)
    bends = np.abs(np.diff(slopes)) > rel_tol * scale
    runs = int(np.sum(bends[1:] & ~bends[:-1]) + (1 if bends.size and bends[0] else 0))
    return runs + 1


def largest_bend(x: np.ndarray, y: np.ndarray) -> float:
    """The largest change of slope between neighbouring grid intervals: the sharpest kink."""
    slopes = np.diff(y) / np.diff(x)
    return float(np.max(np.abs(np.diff(slopes)))) if slopes.size > 1 else 0.0


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
        "largest_bend": largest_bend(x[:, 0], pred),
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
    total = sum(len(config.seeds_for(t)) for t in config.targets) * len(ARCHITECTURES) + 1
    done = 0
    curves: dict[str, Any] = {"fits": {}}
    rows: list[list[Any]] = []
    summary: dict[str, dict[str, dict[str, float]]] = {}
    for target in config.targets:
        x, y = make_regression(target, n=config.n_points, seed=config.seed, low=config.low,
                               high=config.high)
        entry: dict[str, Any] = {"x": x[:, 0], "y": y[:, 0], "clean": curve(target)(x[:, 0])}
        summary[target] = {}
        seeds = config.seeds_for(target)
        for arch in ARCHITECTURES:
            fits = []
            for s in seeds:
                fits.append(fit_one(target, arch, s, config))
                done += 1
                if progress:
                    progress(done / total, f"{target}: {arch} seed {s}")
            errors = np.array([f["rmse_clean"] for f in fits])
            pieces = [f["pieces"] for f in fits]
            bends = [f["largest_bend"] for f in fits]
            entry[arch] = {"predictions": [f["prediction"] for f in fits],
                           "rmse_clean": errors, "pieces": pieces, "largest_bend": bends,
                           "seeds": seeds}
            summary[target][arch] = {"median": float(np.median(errors)),
                                     "min": float(errors.min()), "max": float(errors.max())}
            rows.append([target, arch, " → ".join(map(str, ARCHITECTURES[arch])),
                         fits[0]["n_parameters"], float(np.median(errors)),
                         float(errors.min()), float(errors.max()), float(np.median(pieces)),
                         round(float(np.median(bends)), 3)])
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
                       "worst error", "median linear pieces", "median largest bend"], rows,
                      caption=f"Error: RMSE against the noise-free curve / its std, over "
                      f"{config.n_seeds} seeds for x² and {config.other_target_seeds} for the "
                      f"other curves; Adam lr {config.learning_rate}, batch "
                      f"{config.batch_size}, {config.epochs} epochs. Largest bend: the biggest "
                      "jump of the fitted curve's slope."),
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
        LECTURE_NOTES, 19, counts, holds=all(n == 19 for n in counts.values()))]
    if "square" in summary:
        fits = curves["fits"]["square"]
        parallel, serial = fits["parallel"], fits["serial"]
        claims.append(Claim.effect(
            "on x² + noise the 'parallel' net gives a smoother curve than the 'serial' one",
            LECTURE_NOTES, "parallel smoother (more linear pieces)",
            samples=(parallel["pieces"], serial["pieces"]), paired=False,
            quantity="linear pieces on [-10, 10], parallel minus serial",
            detail=f"{len(parallel['pieces'])} seeds per net, independent initialisations; "
            f"median pieces parallel {np.median(parallel['pieces']):g}, serial "
            f"{np.median(serial['pieces']):g}; median largest bend (slope jump) parallel "
            f"{np.median(parallel['largest_bend']):.3g}, serial "
            f"{np.median(serial['largest_bend']):.3g}"))
        claims.append(_fit_claim(np.asarray(parallel["rmse_clean"], dtype=float), config))
    deepest = yarotsky[-1]
    # a theorem about a fixed construction: the error follows from arithmetic, so no
    # measurement could contradict it — a check of our network, not a claim
    claims.append(Claim.check(
        "Yarotsky's ReLU network f_m approximates x² on [0, 1] with max error 2^(-2m-2)",
        "Yarotsky 2017", deepest["formula"], deepest["max_error"], holds=max(gaps) <= 1e-12,
        quantity=f"max |f_m − x²| on [0, 1] at m = {deepest['n_hidden_layers']}",
        detail=f"max |measured − formula| = {max(gaps):.3g} over m = "
        f"{list(config.yarotsky_depths)}; tolerance 1e-12"))
    return claims


def _fit_claim(errors: np.ndarray, config: Config) -> Claim:
    """'A small ReLU net approximates x²': the median error over seeds below the threshold,
    by a one-sided sign test (the median is below t when significantly more than half the
    seeds are); the interval is the bootstrap interval of the median."""
    from scipy import stats

    from actlab.lab.statistics import bootstrap_median
    from actlab.lab.verdict import TestResult

    below = int(np.sum(errors < config.fit_threshold))
    p = float(stats.binomtest(below, errors.size, 0.5, alternative="greater").pvalue)
    result = TestResult(float(np.median(errors)), p,
                        bootstrap_median(errors.tolist(), 2000, config.seed),
                        int(errors.size), "sign test on the median (one-sided)")
    return Claim.from_test(
        "a small ReLU net (1-6-1, 19 parameters) approximates x² on [-10, 10]", LECTURE_NOTES,
        f"fits (error < {config.fit_threshold:g})", result, direction="less",
        null=config.fit_threshold, quantity="median error (RMSE vs x² / std of x²)",
        detail=f"{below} of {errors.size} seeds below {config.fit_threshold:g}; "
        "interval: bootstrap of the median")
