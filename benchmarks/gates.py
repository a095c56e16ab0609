"""The gates experiment's four seed models against the seeds' own formulation.

The seeds (000, 002) train each model separately: a perceptron with a binary
step (a per-sample Python loop, lr 0.01, 1000 epochs) and three Keras models
(single linear unit, single sigmoid unit, 2 sigmoid hidden + linear output;
Adam lr 0.01, MSE, full batch, 1000 epochs).  ``actlab.lab.gates`` trains every
gate and seed of a model at once in one vectorised NumPy loop.

This script times both on the same gates and seeds and checks that they learn
the same thing.  The baseline is Keras when it is installed (``--backend
keras``; any Keras 3 backend), otherwise a plain PyTorch loop doing the same
(``torch.optim.Adam``, MSE, full batch, one model at a time).  The Adam models
start from the very weights actlab draws, so their trained outputs must agree
and their accuracies too, seed by seed (except where an output sits on the 0.5
threshold); the perceptron starts from the seeds' random normal weights, so it
is compared by what it learns (AND and OR perfectly, XOR never above 0.75).

    python benchmarks/gates.py                  # 10 seeds, 1000 epochs
    python benchmarks/gates.py --seeds 5        # quicker
    python benchmarks/gates.py --backend keras  # needs keras (and a backend)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import time
from typing import Any

import numpy as np

from actlab.data.gates import gate
from actlab.lab import gates

GATES = ("and", "or", "xor")
ADAM_MODELS = ("linear", "sigmoid", "hidden_sigmoid")
TIE = 1e-4  # outputs this close to 0.5 are a coin toss between two implementations
LABELS = {"perceptron": "perceptron (step)", "linear": "single linear unit",
          "sigmoid": "single sigmoid unit", "hidden_sigmoid": "2 sigmoid hidden + linear"}


# --- ours ------------------------------------------------------------------------------
def run_ours(n_seeds: int, epochs: int, seed: int) -> tuple[dict[str, float], dict, dict]:
    """The experiment's own code path, timed per model: seconds, accuracy[model][gate]
    (a list over seeds) and, for the Adam models, outputs[model][gate] (seeds x 4 points)."""
    from actlab.models.perceptron import Perceptron

    config = gates.Config(gates=GATES, n_seeds=n_seeds, epochs=epochs, seed=seed)
    seeds = [seed + i for i in range(n_seeds)]
    X = gate(GATES[0])[0]
    Y = np.stack([gate(g)[1] for g in GATES])
    seconds: dict[str, float] = {}
    accuracy: dict[str, dict[str, list[float]]] = {"perceptron": {}}
    outputs: dict[str, dict[str, np.ndarray]] = {}
    started = time.perf_counter()
    for g in GATES:
        Xg, yg = gate(g)
        accuracy["perceptron"][g] = [
            Perceptron(max_epochs=config.perceptron_epochs, seed=s).fit(Xg, yg).score(Xg, yg)
            for s in seeds]
    seconds["perceptron"] = time.perf_counter() - started
    for key, net in _nets(config).items():
        started = time.perf_counter()
        params = gates.train_tiny_nets(net, X, Y, seeds, epochs, config.learning_rate)
        seconds[key] = time.perf_counter() - started
        out = gates.forward(net, params, X)[:, :, 0].reshape(len(GATES), n_seeds, len(X))
        outputs[key] = {g: out[i] for i, g in enumerate(GATES)}
        accuracy[key] = {g: list(np.mean((out[i] >= 0.5) == (Y[i] == 1), axis=1))
                         for i, g in enumerate(GATES)}
    return seconds, accuracy, outputs


def _nets(config: gates.Config) -> dict[str, gates.TinyNet]:
    return {net.key: net for net in config.models() if net.key in ADAM_MODELS}


# --- the seeds' formulation in plain PyTorch --------------------------------------------
def torch_adam_model(net: gates.TinyNet, X: np.ndarray, y: np.ndarray, seed: int,
                     epochs: int, lr: float) -> np.ndarray:
    """One model, one gate, one seed: Adam on MSE, full batch; returns its 4 outputs."""
    import torch

    params = [torch.tensor(p[0], dtype=torch.float64, requires_grad=True)
              for p in gates.initial_parameters(net, [seed])]
    Xt = torch.tensor(X, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.float64).reshape(-1, 1)
    optimiser = torch.optim.Adam(params, lr=lr)

    def forward() -> Any:
        if net.hidden:
            w1, b1, w2, b2 = params
            return torch.sigmoid(Xt @ w1 + b1) @ w2 + b2  # the only hidden net: sigmoid
        w, b = params
        z = Xt @ w + b
        return torch.sigmoid(z) if net.output == "sigmoid" else z

    for _ in range(epochs):
        optimiser.zero_grad()
        loss = torch.mean((forward() - yt) ** 2)
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        return forward()[:, 0].numpy()


def torch_perceptron(X: np.ndarray, y: np.ndarray, seed: int, epochs: int) -> float:
    """The seeds' Perceptron class: random normal start, per-sample updates, lr 0.01."""
    import torch

    rng = np.random.default_rng(seed)
    w = torch.tensor(rng.standard_normal(X.shape[1]))
    b = torch.tensor(rng.standard_normal())
    Xt, yt = torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    for _ in range(epochs):
        for xi, yi in zip(Xt, yt, strict=True):
            prediction = 1.0 if float(xi @ w + b) >= 0 else 0.0  # step(0) = 1, as the seeds
            w += 0.01 * (yi - prediction) * xi
            b += 0.01 * (yi - prediction)
    predicted = ((Xt @ w + b) >= 0).double()
    return float((predicted == yt).double().mean())


# --- the seeds' formulation in Keras --------------------------------------------------------
def keras_adam_model(net: gates.TinyNet, X: np.ndarray, y: np.ndarray, seed: int,
                     epochs: int, lr: float) -> np.ndarray:
    """The seeds' Keras code, started from actlab's initial weights; returns its 4 outputs."""
    import keras

    layers: list[Any] = [keras.layers.Input(shape=(2,))]
    if net.hidden:
        layers += [keras.layers.Dense(net.hidden, activation="sigmoid"), keras.layers.Dense(1)]
    else:
        layers += [keras.layers.Dense(1, activation="sigmoid" if net.output == "sigmoid"
                                      else None)]
    model = keras.Sequential(layers)
    initial = gates.initial_parameters(net, [seed])
    model.set_weights([p[0].reshape(w.shape) for p, w in zip(initial, model.get_weights(),
                                                             strict=True)])
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=lr))
    model.fit(X, y, epochs=epochs, batch_size=len(X), verbose=0, shuffle=False)
    return np.asarray(model.predict(X, verbose=0), dtype=np.float64)[:, 0]


def run_baseline(backend: str, n_seeds: int, epochs: int, seed: int,
                 threads: int) -> tuple[dict[str, float], dict, dict]:
    config = gates.Config(gates=GATES, n_seeds=n_seeds, epochs=epochs, seed=seed)
    seeds = [seed + i for i in range(n_seeds)]
    if backend == "torch":
        import torch

        torch.set_num_threads(threads)
    train = keras_adam_model if backend == "keras" else torch_adam_model
    seconds: dict[str, float] = {}
    accuracy: dict[str, dict[str, list[float]]] = {}
    outputs: dict[str, dict[str, np.ndarray]] = {}
    started = time.perf_counter()
    accuracy["perceptron"] = {
        g: [torch_perceptron(*gate(g), s, epochs) for s in seeds] for g in GATES}
    seconds["perceptron"] = time.perf_counter() - started
    for key, net in _nets(config).items():
        started = time.perf_counter()
        outputs[key] = {g: np.array([train(net, *gate(g), s, epochs, config.learning_rate)
                                     for s in seeds]) for g in GATES}
        seconds[key] = time.perf_counter() - started
        accuracy[key] = {g: list(np.mean((outputs[key][g] >= 0.5) == (gate(g)[1] == 1), axis=1))
                         for g in GATES}
        print(f"  baseline {LABELS[key]}: {seconds[key]:.1f} s", flush=True)
    return seconds, accuracy, outputs


def agreement(key: str, ours: dict, theirs: dict, ours_out: dict, theirs_out: dict) -> str:
    """Do both learn the same?  The Adam models start from the same weights: their outputs
    must agree, and so must their accuracies except where an output sits on the 0.5
    threshold (XOR's linear fixed point outputs 0.5 everywhere: rounding decides).  The
    perceptron starts elsewhere: it must learn AND and OR and fail XOR in both."""
    if key == "perceptron":
        same = (all(min(ours[g]) == min(theirs[g]) == 1.0 for g in ("and", "or"))
                and max(ours["xor"]) <= 0.75 and max(theirs["xor"]) <= 0.75)
        return "same outcome" if same else "DIFFERENT"
    gap = max(float(np.max(np.abs(ours_out[g] - theirs_out[g]))) for g in GATES)
    differing = 0
    for g in GATES:
        tie = np.any(np.abs(ours_out[g] - 0.5) < TIE, axis=1)
        differing += int(np.sum((np.array(ours[g]) != np.array(theirs[g])) & ~tie))
    verdict = "accuracies equal" if differing == 0 else f"{differing} accuracies DIFFER"
    return f"{verdict}; max |output gap| {gap:.1e}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds per model and gate")
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0, help="first seed")
    parser.add_argument("--backend", choices=("auto", "torch", "keras"), default="auto",
                        help="baseline: keras when installed (auto), else plain PyTorch")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--json", help="write the numbers to this file")
    args = parser.parse_args()
    backend = args.backend
    if backend == "auto":
        backend = "keras" if importlib.util.find_spec("keras") else "torch"

    print(f"gates benchmark: {len(GATES)} gates x {args.seeds} seeds x 4 models, "
          f"{args.epochs} epochs; baseline: {backend}", flush=True)
    ours_seconds, ours_acc, ours_out = run_ours(args.seeds, args.epochs, args.seed)
    print(f"  actlab.lab.gates: {sum(ours_seconds.values()):.2f} s", flush=True)
    base_seconds, base_acc, base_out = run_baseline(backend, args.seeds, args.epochs, args.seed,
                                          args.threads)

    header = (f"{'model':28s} {'actlab s':>9s} {backend + ' s':>9s} {'speed-up':>9s}  "
              "mean accuracy AND/OR/XOR (actlab | baseline)   agreement")
    print("\n" + header + "\n" + "-" * len(header))
    rows = []
    for key in ("perceptron", *ADAM_MODELS):
        ours_mean = "/".join(f"{np.mean(ours_acc[key][g]):.2f}" for g in GATES)
        base_mean = "/".join(f"{np.mean(base_acc[key][g]):.2f}" for g in GATES)
        ratio = base_seconds[key] / max(ours_seconds[key], 1e-9)
        verdict = agreement(key, ours_acc[key], base_acc[key], ours_out.get(key, {}),
                            base_out.get(key, {}))
        print(f"{LABELS[key]:28s} {ours_seconds[key]:9.3f} {base_seconds[key]:9.2f} "
              f"{ratio:8.0f}x  {ours_mean} | {base_mean}   {verdict}")
        rows.append({"model": key, "actlab_seconds": ours_seconds[key],
                     "baseline_seconds": base_seconds[key], "speedup": ratio,
                     "actlab_accuracy": _plain(ours_acc[key]),
                     "baseline_accuracy": _plain(base_acc[key]),
                     "agreement": verdict})
    total_ours, total_base = sum(ours_seconds.values()), sum(base_seconds.values())
    print(f"{'all four':28s} {total_ours:9.3f} {total_base:9.2f} "
          f"{total_base / max(total_ours, 1e-9):8.0f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"backend": backend, "seeds": args.seeds, "epochs": args.epochs,
                       "models": rows}, f, indent=1)


def _plain(accuracy: dict[str, list[float]]) -> dict[str, list[float]]:
    return {g: [float(a) for a in values] for g, values in accuracy.items()}


if __name__ == "__main__":
    main()
