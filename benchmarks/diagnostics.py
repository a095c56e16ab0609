"""Overhead of actlab.diagnose on a training step (ratio to the same step without it).

Run:  python benchmarks/diagnostics.py [--width 256] [--depth 6] [--batch 128] [--steps 200]
"""

from __future__ import annotations

import argparse
import time

import torch
from torch import nn

import actlab


def build(width: int, depth: int) -> nn.Sequential:
    layers: list[nn.Module] = [nn.Linear(64, width), nn.ReLU()]
    for _ in range(depth - 1):
        layers += [nn.Linear(width, width), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(width, 10))


def time_steps(model: nn.Module, steps: int, batch: int, diagnose: bool, **options) -> float:
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    x, y = torch.randn(batch, 64), torch.randint(0, 10, (batch,))
    diag = actlab.diagnose(model, **options).attach() if diagnose else None
    start = time.perf_counter()
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(x), y)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if diag is not None:
            diag.step()
    elapsed = time.perf_counter() - start
    if diag is not None:
        diag.detach()
    return elapsed / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(0)
    model = build(args.width, args.depth)
    time_steps(model, 20, args.batch, False)  # warm-up
    runs = {
        "plain": {"diagnose": False},
        "diagnose (no histograms)": {"diagnose": True, "histogram_every": 0},
        "diagnose (histogram every step)": {"diagnose": True, "histogram_every": 1},
        "diagnose (histogram every 10)": {"diagnose": True, "histogram_every": 10},
        "diagnose every 10th step": {"diagnose": True, "every": 10},
    }
    best = {name: min(time_steps(model, args.steps, args.batch, **kw) for _ in range(args.repeat))
            for name, kw in runs.items()}
    base = best["plain"]
    print(f"MLP 64-{args.width}x{args.depth}-10, batch {args.batch}, {args.steps} steps, "
          f"torch threads {torch.get_num_threads()}")
    print(f"{'run':34s} {'ms/step':>9s} {'ratio':>7s}")
    for name, seconds in best.items():
        print(f"{name:34s} {seconds * 1e3:9.3f} {seconds / base:7.2f}")


if __name__ == "__main__":
    main()
