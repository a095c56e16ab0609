"""S independent MLPs trained as one module: the bench's packing of seeds.

The weights of S networks of one shape are stacked as (S, fan_in, fan_out) and
each layer is one batched matrix product for all of them (the idea of the lab's
:class:`actlab.models.ensemble.EnsembleMLP`, here with wider pre-activation
layers for activations that shrink their axis, and one learnable activation
parameter per network *and* layer, as separate modules per layer would have).
Nothing couples the networks: network s's output depends on its own weights
only, so the gradient of a sum of per-network losses is each network's own.
Hidden-layer noise (``hidden_noise``) is drawn per network from its seed alone,
so a packed network sees the same noise as it would trained on its own.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from actlab.bench.models import seeded_weights
from actlab.catalogue.backend import torch_backend
from actlab.models.layer_width import width_factor

if TYPE_CHECKING:
    from actlab.catalogue import Activation

# the stream of a seed's random numbers that draws the hidden-layer noise (the initial
# weights and the batch order use others)
NOISE_STREAM = 3


class PackedMLP(nn.Module):
    """S MLPs with one shape and activation: (S, batch, *shape) -> (S, batch, out).

    Network s is initialised from ``seeds[s]`` alone (several networks may share a
    seed: the learning-rate grid trains copies of one seed at different rates).
    """

    n_models: int

    def __init__(self, sizes: Sequence[int], activation: Activation, seeds: Sequence[int],
                 init: str = "default", hidden_noise: float = 0.0) -> None:
        super().__init__()
        self.n_models = len(seeds)
        self.act = activation
        self.hidden_noise = hidden_noise
        # one generator per network, seeded from its seed alone (copies of one seed at
        # different learning rates draw the same noise)
        self.noise_generators = [_noise_generator(s) for s in seeds] if hidden_noise else []
        learnable = [p.name for p in activation.parameters if p.learnable]
        # the catalogue's module where the activation has nothing to learn; otherwise its
        # formula with one parameter per network and layer (below)
        self.module = None if learnable else activation.to_torch()
        factor = width_factor(activation)  # GLU: 2 pre-activations per unit; maxout: pieces
        weights, biases, act_params = [], [], []
        n_layers = len(sizes) - 1
        for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
            hidden = layer < n_layers - 1
            if hidden:
                fan_out *= factor
            drawn = [seeded_weights(init, s, layer, (fan_in, fan_out), fan_in, fan_out)
                     for s in seeds]
            weights.append(nn.Parameter(torch.tensor(
                np.stack([w for w, _ in drawn]), dtype=torch.float32)))
            biases.append(nn.Parameter(torch.tensor(
                np.stack([b for _, b in drawn])[:, None, :], dtype=torch.float32)))
            if hidden:
                act_params.append(nn.ParameterDict({
                    name: nn.Parameter(torch.full((self.n_models, 1, 1),
                                                  float(activation.params[name])))
                    for name in learnable}))
        self.weights = nn.ParameterList(weights)
        self.biases = nn.ParameterList(biases)
        self.act_params = nn.ModuleList(act_params)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (S, batch, *shape), or (1, batch, *shape) to give every network the same batch."""
        h = x.flatten(start_dim=2)
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            if h.shape[0] == self.n_models:
                h = torch.baddbmm(b, h, w)
            else:  # one batch shared by all networks: broadcast it
                h = torch.matmul(h, w) + b
            if i < last:
                h = self._activate(h, i)
                if self.training and self.hidden_noise:
                    h = h + self._noise(h.shape[-1])
        return h

    def _noise(self, width: int) -> torch.Tensor:
        """U[-hidden_noise, hidden_noise], one vector per network: (S, 1, width)."""
        u = torch.stack([torch.rand(1, width, generator=g) for g in self.noise_generators])
        return self.hidden_noise * (2.0 * u - 1.0)

    def _activate(self, h: torch.Tensor, layer: int) -> torch.Tensor:
        if self.module is not None:
            return self.module(h)  # type: ignore[no-any-return]
        learned: nn.ParameterDict = self.act_params[layer]  # type: ignore[assignment]
        params = {**self.act.params, **dict(learned.items())}
        return self.act.forward(h, params, torch_backend())  # type: ignore[no-any-return]


def _noise_generator(seed: int) -> torch.Generator:
    """A torch generator for the hidden-layer noise of the network of ``seed``."""
    state = np.random.SeedSequence([seed, NOISE_STREAM]).generate_state(1, np.uint64)[0]
    return torch.Generator().manual_seed(int(state))
