"""Logic gates and XOR: which models can learn AND, OR and XOR.

The lecture notes the project grew from train, on the four points of each gate,
a perceptron with a binary step, a single linear unit, a single sigmoid unit and a
net with two sigmoid hidden units and a linear output (Keras: Adam, lr 0.01, MSE, 1000
epochs, full batch).  A linear separator gets at most 3 of XOR's 4 points;
the hidden layer is what solves it.  A fifth model takes any activation
(``Config.activation``).

Speed: the four tiny nets are trained together, every gate and every seed at
once, by one vectorised Adam loop (:func:`train_tiny_nets`): each model is one
slice of a leading "model" axis.  The arithmetic is the same as
``actlab.models.MLP`` with the same seed (same initial weights, same Adam), so
the accuracies are the ones the MLP gets, in a fraction of the time.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from actlab.errors import UserError
from actlab.lab.registry import ProgressFn
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table

SOURCE = LECTURE_NOTES
ROSENBLATT = "Novikoff 1962 (perceptron convergence theorem)"
MINSKY = "Minsky & Papert 1969 (XOR is not linearly separable)"


@dataclass(frozen=True)
class TinyNet:
    """One of the gate models: ``hidden`` units with ``activation`` (0 = no hidden layer),
    then one output unit with ``output``."""

    key: str
    label: str
    hidden: int
    activation: str
    output: str


@dataclass(frozen=True)
class Config:
    gates: tuple[str, ...] = ("and", "or", "xor")  # from actlab.data.gates.GATES
    activation: str = "tanh"  # hidden activation of the fifth model (any elementwise entry)
    hidden_units: int = 2  # hidden units of the fifth model
    epochs: int = 1000  # as the lecture notes: 1000 epochs, full batch (4 samples)
    learning_rate: float = 0.01  # Adam, as the lecture notes
    n_seeds: int = 100  # initialisations per model and gate (a run is cheap: ~2 s for 100)
    perceptron_epochs: int = 100  # Rosenblatt's rule; stops early once every point is right
    grid_points: int = 61  # per axis, for decision regions and surfaces
    grid_low: float = -0.25  # the plotted square (the gate inputs are 0 and 1)
    grid_high: float = 1.25
    seed: int = 0  # first seed; the models use seed, seed + 1, ..., seed + n_seeds - 1

    @classmethod
    def quick(cls) -> Config:
        return cls(n_seeds=10, grid_points=31)

    def models(self) -> list[TinyNet]:
        return [
            TinyNet("linear", "single linear unit", 0, "identity", "identity"),
            TinyNet("sigmoid", "single sigmoid unit", 0, "identity", "sigmoid"),
            TinyNet("hidden_sigmoid", "2 sigmoid hidden + linear", 2, "sigmoid", "identity"),
            TinyNet("hidden_chosen", f"{self.hidden_units} {self.activation} hidden + linear",
                    self.hidden_units, self.activation, "identity"),
        ]


def _glorot(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    from actlab.models.initialisers import initialise

    return initialise("glorot", fan_in, fan_out, rng)


def initial_parameters(net: TinyNet, seeds: list[int]) -> list[np.ndarray]:
    """Weights as ``MLP(sizes, seed=s, init="glorot")`` draws them, stacked over seeds:
    [W1 (M, 2, H), b1 (M, 1, H), W2 (M, H, 1), b2 (M, 1, 1)] or [W (M, 2, 1), b (M, 1, 1)]."""
    params: list[list[np.ndarray]] = []
    for s in seeds:
        rng = np.random.default_rng(s)
        if net.hidden:
            w1 = _glorot(2, net.hidden, rng)
            w2 = _glorot(net.hidden, 1, rng)
            params.append([w1, np.zeros((1, net.hidden)), w2, np.zeros((1, 1))])
        else:
            params.append([_glorot(2, 1, rng), np.zeros((1, 1))])
    return [np.stack(group) for group in zip(*params, strict=True)]


class _Activations:
    """The two activations of a net, resolved once (identity is skipped: it is free)."""

    def __init__(self, net: TinyNet) -> None:
        import actlab

        self.hidden = actlab.get(net.activation)
        self.output = actlab.get(net.output)
        if not self.hidden.elementwise or not self.output.elementwise:
            raise UserError(f"the gate models take elementwise activations; "
                            f"{net.activation!r} is vector-valued")
        self.output_is_identity = self.output.name == "identity"


def forward(net: TinyNet, params: list[np.ndarray], X: np.ndarray,
            acts: _Activations | None = None, keep: bool = False) -> Any:
    """Outputs (M, n, 1) of every model slice at the inputs X (n, 2)."""
    acts = acts or _Activations(net)
    if net.hidden:
        w1, b1, w2, b2 = params
        z1 = X @ w1 + b1
        a1 = acts.hidden(z1)
        z2 = a1 @ w2 + b2
    else:
        w, b = params
        z1 = a1 = None
        z2 = X @ w + b
    out = z2 if acts.output_is_identity else acts.output(z2)
    return (out, z1, a1, z2) if keep else out


def train_tiny_nets(net: TinyNet, X: np.ndarray, Y: np.ndarray, seeds: list[int],
                    epochs: int, learning_rate: float) -> list[np.ndarray]:
    """Full-batch Adam on MSE for every (target, seed) pair at once.

    ``Y`` is (G, n): one row of targets per gate.  Models are ordered gate-major:
    slice g·S + s is gate g with seed s.  Returns the trained parameters.
    """
    n_gates, n = Y.shape
    initial = [np.concatenate([p] * n_gates) for p in initial_parameters(net, seeds)]
    # every parameter is a view into one flat buffer (and every gradient into another),
    # so that an Adam step is a few operations on one array, not a few per tensor
    sizes = [p.size for p in initial]
    flat, flat_grad = np.concatenate([p.ravel() for p in initial]), np.zeros(sum(sizes))
    offsets = np.cumsum([0, *sizes])
    params = [flat[a:b].reshape(p.shape)
              for a, b, p in zip(offsets[:-1], offsets[1:], initial, strict=True)]
    grads = [flat_grad[a:b].reshape(p.shape)
             for a, b, p in zip(offsets[:-1], offsets[1:], initial, strict=True)]
    targets = np.repeat(Y, len(seeds), axis=0)[:, :, None]  # (M, n, 1)
    acts = _Activations(net)
    m, v = np.zeros_like(flat), np.zeros_like(flat)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    Xt = X.T
    for t in range(1, epochs + 1):
        out, z1, a1, z2 = forward(net, params, X, acts, keep=True)
        delta = (out - targets) * (2.0 / n)  # dL/dout for the mean squared error
        if not acts.output_is_identity:
            delta *= acts.output.derivative(z2)
        if net.hidden:
            w2 = params[2]
            np.matmul(a1.transpose(0, 2, 1), delta, out=grads[2])
            np.sum(delta, axis=1, keepdims=True, out=grads[3])
            delta = (delta @ w2.transpose(0, 2, 1)) * acts.hidden.derivative(z1)
        np.matmul(Xt, delta, out=grads[0])
        np.sum(delta, axis=1, keepdims=True, out=grads[1])
        # Adam with bias correction, as actlab.models.optimisers.Adam (and torch) writes it
        m *= beta1
        m += (1.0 - beta1) * flat_grad
        v *= beta2
        v += (1.0 - beta2) * (flat_grad * flat_grad)
        flat -= (learning_rate / (1.0 - beta1**t)) * m / (
            np.sqrt(v) / np.sqrt(1.0 - beta2**t) + eps)
    return [p.copy() for p in params]


def run(config: Config, progress: ProgressFn | None = None) -> Result:
    from actlab.data.gates import gate
    from actlab.models.perceptron import Perceptron

    start = time.perf_counter()
    seeds = [config.seed + i for i in range(config.n_seeds)]
    data = {g: gate(g) for g in config.gates}
    X = data[config.gates[0]][0]
    Y = np.stack([data[g][1] for g in config.gates])
    labels = Y.astype(np.int64)
    axis = np.linspace(config.grid_low, config.grid_high, config.grid_points)
    gx, gy = np.meshgrid(axis, axis)
    grid = np.column_stack([gx.ravel(), gy.ravel()])

    # accuracy[model][gate] = list over seeds; surfaces[model][gate] = first seed's outputs
    accuracy: dict[str, dict[str, list[float]]] = {}
    surfaces: dict[str, dict[str, Any]] = {}
    train_seconds: dict[str, float] = {}

    t0 = time.perf_counter()
    accuracy["perceptron"], surfaces["perceptron"] = {}, {}
    for g in config.gates:
        Xg, yg = data[g]
        fits = [Perceptron(max_epochs=config.perceptron_epochs, seed=s).fit(Xg, yg)
                for s in seeds]
        accuracy["perceptron"][g] = [p.score(Xg, yg) for p in fits]
        surfaces["perceptron"][g] = fits[0].predict(grid).astype(float).reshape(gx.shape)
    train_seconds["perceptron"] = time.perf_counter() - t0
    models = config.models()
    for k, net in enumerate(models):
        if progress:
            progress((k + 0.5) / (len(models) + 1), f"training {net.label}")
        t0 = time.perf_counter()
        params = train_tiny_nets(net, X, Y, seeds, config.epochs, config.learning_rate)
        train_seconds[net.key] = time.perf_counter() - t0
        out = forward(net, params, X)[:, :, 0]  # (G·S, 4)
        correct = ((out >= 0.5).astype(np.int64) == np.repeat(labels, len(seeds), axis=0))
        acc = correct.mean(axis=1).reshape(len(config.gates), len(seeds))
        first = [p[:: len(seeds)] for p in params]  # the first seed of every gate
        surface = forward(net, first, grid)[:, :, 0]
        accuracy[net.key] = {g: acc[i].tolist() for i, g in enumerate(config.gates)}
        surfaces[net.key] = {g: surface[i].reshape(gx.shape)
                             for i, g in enumerate(config.gates)}

    keys = ["perceptron"] + [n.key for n in models]
    names = {"perceptron": "perceptron (step)", **{n.key: n.label for n in models}}
    rows = []
    for key in keys:
        for g in config.gates:
            accs = np.array(accuracy[key][g])
            rows.append([names[key], g.upper(), float(accs[0]), float(accs.mean()),
                         float(np.mean(accs == 1.0))])
    table = Table(["model", "gate", f"accuracy (seed {config.seed})",
                   f"mean accuracy ({config.n_seeds} seeds)", "fraction of seeds at 1.0"], rows,
                  caption=f"Adam lr {config.learning_rate}, MSE, {config.epochs} full-batch "
                  "epochs (the seeds' Keras settings); perceptron: Rosenblatt's rule.")
    claims = _claims(config, accuracy)
    four = sum(train_seconds[k] for k in ("perceptron", "linear", "sigmoid", "hidden_sigmoid"))
    metrics: dict[str, Any] = {
        "seconds_lecture_note_models": four,
        "seconds_training": dict(train_seconds),
        "n_models_trained": len(keys) * len(config.gates) * config.n_seeds,
    }
    for key in keys:
        for g in config.gates:
            metrics[f"accuracy_{key}_{g}"] = float(np.mean(accuracy[key][g]))
    if "xor" in config.gates:
        metrics["xor_success_fraction_hidden_sigmoid"] = float(
            np.mean(np.array(accuracy["hidden_sigmoid"]["xor"]) == 1.0))
    curves = {
        "grid": {"axis": axis},
        "points": {"X": X, **{g: data[g][1] for g in config.gates}},
        # 4 decimals are plenty for a colour map and keep result.json small (~5x smaller)
        "surfaces": {m: {g: np.round(z, 4) for g, z in per.items()} for m, per in surfaces.items()},
        "accuracy": accuracy,
        "model_labels": names,
    }
    if progress:
        progress(1.0, "done")
    return Result("gates", asdict(config), metrics, {"accuracy": table}, curves, claims,
                  time.perf_counter() - start)


def _claims(config: Config, accuracy: dict[str, dict[str, list[float]]]) -> list[Claim]:
    """One claim (the hidden layer learns XOR: it could fail to, it is trained) and checks
    (what a linear separator can and cannot do is geometry, not an experiment)."""
    claims: list[Claim] = []
    seeds = f"{config.n_seeds} seeds"
    for g in ("and", "or"):
        if g in config.gates:
            worst = float(min(accuracy["perceptron"][g]))
            claims.append(Claim.check(
                f"the perceptron with a binary step learns {g.upper()} (accuracy 1.0)",
                ROSENBLATT, 1.0, worst, holds=worst == 1.0, seeds=config.n_seeds,
                quantity=f"worst training accuracy over {seeds}",
                detail=f"{g.upper()} is linearly separable, so Rosenblatt's rule converges"))
    if "xor" in config.gates:
        perceptron_xor = float(max(accuracy["perceptron"]["xor"]))
        claims.append(Claim.check(
            "the perceptron cannot learn XOR (at most 3 of 4 points)", MINSKY,
            "≤ 0.75", perceptron_xor, holds=perceptron_xor <= 0.75, seeds=config.n_seeds,
            quantity=f"best training accuracy over {seeds}",
            detail="the lecture notes print an error of 0.25 after 1000 epochs, i.e. an "
            "accuracy of 0.75, the most any straight line gets on XOR"))
        sigmoid_xor = float(max(accuracy["sigmoid"]["xor"]))
        claims.append(Claim.check(
            "a single sigmoid unit cannot learn XOR (at most 3 of 4 points)", MINSKY,
            "≤ 0.75", sigmoid_xor, holds=sigmoid_xor <= 0.75, seeds=config.n_seeds,
            quantity=f"best training accuracy over {seeds}",
            detail="its decision boundary σ(w·x + b) = 0.5 is a straight line"))
        solved = int(np.sum(np.array(accuracy["hidden_sigmoid"]["xor"]) == 1.0))
        claims.append(Claim.rate(
            "2 sigmoid hidden units + a linear output learn XOR in most initialisations", SOURCE,
            "learns XOR", successes=solved, trials=config.n_seeds, null=0.5,
            quantity=f"fraction of {seeds} reaching accuracy 1.0",
            detail="reproduced when significantly more than half of the initialisations "
            f"learn XOR with the notes' settings (Adam lr {config.learning_rate}, MSE, "
            f"{config.epochs} epochs)"))
    return claims
