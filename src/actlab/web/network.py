"""The playground's network: features -> hidden layers (catalogue activations) -> output.

The network is a plain ``nn.Sequential`` of ``nn.Linear`` layers and the
catalogue's own torch modules (``actlab.get(name, **params).to_torch()``), so
every activation behaves exactly as everywhere else in actlab, and the exported
``state_dict`` loads into the same Sequential rebuilt from the exported script.
Initial weights depend only on the layer sizes and the weight seed, never on
the activations: two networks that differ only in their activation start from
the same weights (compare mode).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

import actlab
from actlab.catalogue import Activation
from actlab.errors import UserError
from actlab.models.torch_builders import init_linear
from actlab.web.protocol import ActivationChoice

INITIAL_BIAS = 0.1  # as TensorFlow Playground: a small positive bias keeps ReLUs alive at first


def activation(choice: ActivationChoice) -> Activation:
    """The catalogue entry a page asked for; only elementwise entries fit a neuron."""
    try:
        act = actlab.get(choice.name, **choice.params)
    except actlab.ActivationNotFound as err:
        raise UserError(str(err.args[0]) if err.args else str(err)) from None
    except (TypeError, ValueError) as err:
        raise UserError(f"{choice.name}: {err}") from None
    if not act.elementwise:
        raise UserError(f"{act.name} is not elementwise (it mixes neurons), so a layer "
                        "of single neurons cannot use it")
    return act


@dataclass(frozen=True)
class Architecture:
    inputs: int
    hidden: tuple[tuple[int, Activation], ...]  # (units, activation) per hidden layer
    outputs: int

    def widths(self) -> list[int]:
        return [self.inputs, *(units for units, _ in self.hidden), self.outputs]


def build(arch: Architecture, weight_seed: int) -> nn.Sequential:
    """The network, with Glorot-uniform weights drawn from ``weight_seed`` and biases 0.1."""
    rng = np.random.default_rng(weight_seed)
    modules: list[nn.Module] = []
    widths = arch.widths()
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
        linear = nn.Linear(fan_in, fan_out)
        init_linear(linear, "glorot", rng)
        with torch.no_grad():
            linear.bias.fill_(INITIAL_BIAS)
        modules.append(linear)
        if index < len(arch.hidden):
            modules.append(arch.hidden[index][1].to_torch())
    return nn.Sequential(*modules)


def linear_layers(model: nn.Sequential) -> list[nn.Linear]:
    return [m for m in model if isinstance(m, nn.Linear)]


def check_size(arch: Architecture, max_layers: int, max_units: int) -> None:
    if len(arch.hidden) > max_layers or any(u > max_units for u, _ in arch.hidden):
        raise UserError(f"at most {max_layers} hidden layers of {max_units} neurons")


def rebuild_script(arch: Architecture, feature_code: list[str], feature_names: list[str],
                   problem: str) -> str:
    """Python code that rebuilds the network with actlab modules and loads the state_dict.

    Only numbers and catalogue names (already resolved by :func:`actlab.get`) go
    into the code; nothing the page typed is copied into it as text.
    """
    lines = [
        '"""Rebuild the network trained in the actlab playground.',
        "",
        "    python model.py            # loads model.pt beside this file, prints 3 outputs",
        '"""',
        "",
        "from pathlib import Path",
        "",
        "import torch",
        "from torch import nn",
        "",
        "import actlab",
        "",
        f"FEATURES = {feature_names!r}",
        f"PROBLEM = {problem!r}",
        "",
        "",
        "def features(points: torch.Tensor) -> torch.Tensor:",
        '    """The network\'s inputs from points (n, 2) in the plane."""',
        "    x1, x2 = points[:, 0], points[:, 1]",
        f"    return torch.stack([{', '.join(feature_code)}], dim=1)",
        "",
        "",
        "def build() -> nn.Sequential:",
        "    return nn.Sequential(",
    ]
    widths = arch.widths()
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(widths)):
        lines.append(f"        nn.Linear({fan_in}, {fan_out}),")
        if index < len(arch.hidden):
            act = arch.hidden[index][1]
            params = ", ".join(f"{k}={v!r}" for k, v in act.params.items())
            lines.append(f"        actlab.get({act.name!r}{', ' if params else ''}{params})"
                         ".to_torch(),")
    lines += [
        "    )",
        "",
        "",
        "def load(path: str | Path = Path(__file__).with_name('model.pt')) -> nn.Sequential:",
        "    model = build()",
        "    model.load_state_dict(torch.load(path, weights_only=True))",
        "    return model.eval()",
        "",
        "",
        'if __name__ == "__main__":',
        "    model = load()",
        "    points = torch.tensor([[0.0, 0.0], [1.0, -2.0], [-3.0, 4.0]])",
        "    with torch.no_grad():",
        "        print(model(features(points)))",
        "",
    ]
    return "\n".join(lines)
