"""Watch a sigmoid MLP saturate — actlab.diagnose on an ordinary PyTorch training loop.

Run:  python examples/diagnose_mlp.py [--activation sigmoid] [--steps 300] [--out diag-out]

Trains a 4-hidden-layer MLP on scikit-learn's digits with Glorot & Bengio's
"standard" initialisation, records per-layer statistics with actlab.diagnose,
prints the table of the last step, and writes three figures.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import torch
from sklearn.datasets import load_digits
from torch import nn

import actlab
from actlab.plot.diagnostics import (
    plot_gradient_flow,
    plot_histograms_over_time,
    plot_statistics_over_time,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activation", default="sigmoid")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("diag-out"))
    args = parser.parse_args()

    torch.manual_seed(0)
    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target)

    sizes = [64, 100, 100, 100, 100, 10]
    layers: list[nn.Module] = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        linear = nn.Linear(fan_in, fan_out)
        bound = fan_in ** -0.5  # Glorot & Bengio's "standard" U[-1/sqrt(n), 1/sqrt(n)]
        nn.init.uniform_(linear.weight, -bound, bound)
        nn.init.zeros_(linear.bias)
        layers += [linear, actlab.get(args.activation).to_torch()]
    model = nn.Sequential(*layers[:-1])  # no activation after the output layer
    optimiser = torch.optim.SGD(model.parameters(), lr=0.1)

    generator = torch.Generator().manual_seed(0)
    with actlab.diagnose(model, window=20) as diag:
        for _ in range(args.steps):
            batch = torch.randint(0, len(x), (64,), generator=generator)
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            diag.step()

    print(diag.log.table())
    args.out.mkdir(parents=True, exist_ok=True)
    for name, figure in {
        "histograms": plot_histograms_over_time(diag.log),
        "statistics": plot_statistics_over_time(diag.log),
        "gradient_flow": plot_gradient_flow(diag.log),
    }.items():
        figure.savefig(args.out / f"{name}.png", dpi=110)
    print(f"figures written to {args.out}/")


if __name__ == "__main__":
    main()
