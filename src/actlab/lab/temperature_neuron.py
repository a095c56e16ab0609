"""The temperature neuron: Celsius to Fahrenheit, by hand and learned.

The lecture notes the project grew from build their first neuron as a converter:
net input z = 9/5 · C + 32 and an "activation function" that clamps the output at
32 °F (a thermometer that reads nothing below freezing). On their test temperatures
C = [-20, -10, 0, 36.5, 40, 50, 100] it prints F = [32, 32, 32, 97.7, 104, 122, 212].
With its weights fixed that is arithmetic, so it is a check here.

What can fail is learning: a linear neuron z = w · C + b, started at w = b = 0, is
fitted by full-batch gradient descent on the mean squared error to noisy thermometer
readings (the formula plus Gaussian reading noise), one independent set of readings
per seed. The claim is that it recovers the notes' weights, w = 9/5 and b = 32, each
within a stated tolerance, our 95 % interval over the seeds inside it.

Speed: the MSE is quadratic in (w, b), so its gradient is
2 · (H · (w, b) − g) with H and g the readings' second moments; each step costs a 2 × 2
product whatever the number of readings (the same gradient as summing over them).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table

NOTES_CELSIUS = (-20.0, -10.0, 0.0, 36.5, 40.0, 50.0, 100.0)
NOTES_FAHRENHEIT = (32.0, 32.0, 32.0, 97.7, 104.0, 122.0, 212.0)  # as the notes print them
SLOPE, INTERCEPT = 9.0 / 5.0, 32.0  # the definition of the Fahrenheit scale
DEFINITION = "the Fahrenheit scale: F = 9/5 · C + 32 (as the lecture notes' neuron)"


@dataclass(frozen=True)
class Config:
    readings: int = 50  # (C, F) pairs per seed
    celsius_low: float = -20.0  # readings drawn uniformly from this range
    celsius_high: float = 100.0
    noise_f: float = 1.0  # standard deviation of a reading's error, °F
    steps: int = 60_000  # full-batch gradient-descent steps
    step_size: float = 0.9  # as a fraction of 1/L, L the largest curvature of the MSE
    seeds: int = 10  # independent sets of readings (a run is cheap)
    slope_tolerance: float = 0.05  # °F per °C: "recovers 9/5"
    intercept_tolerance: float = 1.0  # °F: "recovers 32"
    snapshots: int = 60  # log-spaced steps at which the weights are stored for the figure
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(seeds=5, snapshots=30)


def fixed_neuron_outputs(celsius: Any) -> np.ndarray:
    """The lecture notes' neuron: threshold(t=32, value=32) of 9/5 · C + 32."""
    from actlab.models import c2f_neuron

    return np.asarray(c2f_neuron()(np.asarray(celsius, dtype=np.float64)))


def draw_readings(config: Config, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """One seed's thermometer readings: C uniform on the range, F with reading noise."""
    rng = np.random.default_rng([config.seed, seed])
    celsius = rng.uniform(config.celsius_low, config.celsius_high, config.readings)
    fahrenheit = SLOPE * celsius + INTERCEPT + rng.normal(0.0, config.noise_f, config.readings)
    return celsius, fahrenheit


def mse_gradient(w: float, b: float, celsius: np.ndarray,
                 fahrenheit: np.ndarray) -> tuple[float, float]:
    """d/dw and d/db of mean((w·C + b − F)²), summed over the readings (the reference the
    moment form of :func:`gradient_descent` is tested against)."""
    residual = w * celsius + b - fahrenheit
    return float(2 * np.mean(residual * celsius)), float(2 * np.mean(residual))


def gradient_descent(celsius: np.ndarray, fahrenheit: np.ndarray, steps: int,
                     step_size: float, record_at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch gradient descent on the MSE from w = b = 0, for every seed at once.

    ``celsius`` and ``fahrenheit`` are (seeds, readings). The step is ``step_size / L``
    with L the largest eigenvalue of the MSE's Hessian (stable below 2 / L). Returns the
    final (w, b) per seed, (seeds, 2), and the weights at the steps ``record_at``,
    (len(record_at), seeds, 2).
    """
    mean_c, mean_cc = celsius.mean(axis=1), (celsius * celsius).mean(axis=1)
    hessian = 2 * np.stack([np.stack([mean_cc, mean_c], -1),
                            np.stack([mean_c, np.ones_like(mean_c)], -1)], -2)  # (S, 2, 2)
    target = 2 * np.stack([(celsius * fahrenheit).mean(axis=1), fahrenheit.mean(axis=1)], -1)
    rate = step_size / np.linalg.eigvalsh(hessian)[:, -1]  # per seed: its own curvature
    theta = np.zeros_like(target)
    recorded = np.empty((len(record_at), *theta.shape))
    wanted = {int(s): i for i, s in enumerate(record_at)}
    if 0 in wanted:
        recorded[wanted[0]] = theta
    for step in range(1, steps + 1):
        gradient = np.einsum("sij,sj->si", hessian, theta) - target
        theta = theta - rate[:, None] * gradient
        if step in wanted:
            recorded[wanted[step]] = theta
    return theta, recorded


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    start = time.perf_counter()
    fixed = fixed_neuron_outputs(NOTES_CELSIUS)
    fixed_gap = float(np.max(np.abs(fixed - np.asarray(NOTES_FAHRENHEIT))))
    if progress:
        progress(0.1, "the notes' neuron")

    readings = [draw_readings(config, s) for s in range(config.seeds)]
    celsius = np.stack([c for c, _ in readings])
    fahrenheit = np.stack([f for _, f in readings])
    record_at = np.unique(np.concatenate([[0], np.geomspace(1, config.steps, config.snapshots)
                                          .round().astype(int)]))
    final, path = gradient_descent(celsius, fahrenheit, config.steps, config.step_size,
                                   record_at)
    w, b = final[:, 0], final[:, 1]
    # the best any method could do on the same readings: least squares, closed form
    least_squares = np.array([np.polyfit(c, f, 1) for c, f in readings])
    if progress:
        progress(0.8, "gradient descent")

    learned_outputs = np.maximum(np.outer(w, NOTES_CELSIUS) + b[:, None], 32.0)
    claims = [
        # fixed weights: arithmetic, so a check
        Claim.check("the notes' C2F neuron maps C = [-20, -10, 0, 36.5, 40, 50, 100] to "
                    "F = [32, 32, 32, 97.7, 104, 122, 212]", LECTURE_NOTES,
                    list(NOTES_FAHRENHEIT), [round(float(v), 10) for v in fixed],
                    holds=fixed_gap <= 1e-9, quantity="outputs in °F",
                    detail="9/5 · C + 32, clamped at 32 °F below freezing"),
        Claim.estimate("gradient descent recovers the slope w = 9/5 from noisy readings",
                       DEFINITION, SLOPE, samples=w, tolerance=config.slope_tolerance,
                       quantity="learned w, °F per °C",
                       detail=f"{config.readings} readings per seed with "
                       f"{config.noise_f:g} °F noise; {config.steps} steps from w = b = 0"),
        Claim.estimate("gradient descent recovers the intercept b = 32 °F from noisy readings",
                       DEFINITION, INTERCEPT, samples=b, tolerance=config.intercept_tolerance,
                       quantity="learned b, °F",
                       detail=f"{config.readings} readings per seed with "
                       f"{config.noise_f:g} °F noise; {config.steps} steps from w = b = 0"),
    ]
    rows = [[s, float(w[s]), float(b[s]), float(least_squares[s, 0]),
             float(least_squares[s, 1])] for s in range(config.seeds)]
    table = Table(["seed", "learned w", "learned b (°F)", "least-squares w",
                   "least-squares b (°F)"], rows,
                  caption=f"{config.readings} readings per seed, C uniform on "
                  f"[{config.celsius_low:g}, {config.celsius_high:g}] °C, reading noise "
                  f"{config.noise_f:g} °F; gradient descent from w = b = 0, step "
                  f"{config.step_size:g}/L, {config.steps} steps. Least squares is the "
                  "exact minimum of the same error on the same readings.")
    notes_table = Table(["C (°C)", "the notes' print (°F)", "fixed neuron (°F)",
                         "learned neurons, mean (°F)"],
                        [[c, p, float(f), float(m)] for c, p, f, m in zip(
                            NOTES_CELSIUS, NOTES_FAHRENHEIT, fixed,
                            learned_outputs.mean(axis=0), strict=True)],
                        caption="The notes' test temperatures through the fixed neuron and "
                        "through the learned ones (with the same clamp at 32 °F).")
    grid = np.linspace(-100.0, 100.0, 401)
    curves = {
        "neuron": {"celsius": grid, "fixed": fixed_neuron_outputs(grid),
                   "formula": SLOPE * grid + INTERCEPT},
        "notes": {"celsius": list(NOTES_CELSIUS), "fahrenheit": list(NOTES_FAHRENHEIT)},
        "readings": {"celsius": celsius[0], "fahrenheit": fahrenheit[0]},
        "path": {"step": record_at, "w": path[:, :, 0], "b": path[:, :, 1]},
        "final": {"w": w, "b": b, "least_squares_w": least_squares[:, 0],
                  "least_squares_b": least_squares[:, 1]},
        "target": {"w": SLOPE, "b": INTERCEPT, "w_tolerance": config.slope_tolerance,
                   "b_tolerance": config.intercept_tolerance},
    }
    metrics = {
        "fixed_neuron_max_gap": fixed_gap,
        "learned_w_mean": float(w.mean()), "learned_b_mean": float(b.mean()),
        "max_gap_to_least_squares_w": float(np.max(np.abs(w - least_squares[:, 0]))),
        "max_gap_to_least_squares_b": float(np.max(np.abs(b - least_squares[:, 1]))),
    }
    if progress:
        progress(1.0, "done")
    return Result("temperature_neuron", asdict(config), metrics,
                  {"learned": table, "notes": notes_table}, curves, claims,
                  time.perf_counter() - start)
