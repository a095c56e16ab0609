"""Krizhevsky's four-layer CIFAR-10 network as an ensemble: S seeds trained at once.

The layout of cuda-convnet's CIFAR-10 example (the network of Krizhevsky, Sutskever &
Hinton 2012, Fig. 1), without response normalisation: conv 5×5 (3 → 32, padding 2) →
max-pool 3, stride 2 → conv 5×5 (32 → 32) → average-pool 3/2 → conv 5×5 (32 → 64) →
average-pool 3/2 → fully connected (64·3·3 → 10), the activation after each convolution.

The S networks run as grouped convolutions (one group per network, each on its own
images); every parameter keeps the network axis first, so
:func:`actlab.models.ensemble.select_networks` can drop networks.  Weights and biases
start as PyTorch's defaults, U[-1/√fan_in, 1/√fan_in], seeded per network and layer.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import torch
from torch import nn

from actlab.models.mnist1d_nets import EnsembleNet, _elementwise_activation

CHANNELS = (3, 32, 32, 64)
KERNEL, PADDING = 5, 2


class EnsembleCifarCNN(EnsembleNet):
    """Input (S, B, 3, 32, 32) -> logits (S, B, 10)."""

    def __init__(self, seeds: Sequence[int], activation: str = "relu",
                 n_out: int = 10, size: int = 32) -> None:
        super().__init__()
        self.n_models = len(seeds)
        self.act = _elementwise_activation(activation)
        weights, biases = [], []
        for i, (c_in, c_out) in enumerate(itertools.pairwise(CHANNELS)):
            fan_in = c_in * KERNEL * KERNEL
            weights.append(self._stacked(seeds, 2 * i, fan_in, (c_out, c_in, KERNEL, KERNEL)))
            biases.append(self._stacked(seeds, 2 * i + 1, fan_in, (c_out,)))
        self.conv_weights = nn.ParameterList(weights)
        self.conv_biases = nn.ParameterList(biases)
        for _ in range(3):  # each pooling: (n - 3) // 2 + 1
            size = (size - 3) // 2 + 1
        flat = CHANNELS[-1] * size * size
        self.weight = self._stacked(seeds, 6, flat, (flat, n_out))
        self.bias = self._stacked(seeds, 7, flat, (1, n_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s, batch = x.shape[0], x.shape[1]
        h = x.transpose(0, 1).reshape(batch, s * x.shape[2], *x.shape[3:])  # groups = networks
        for i, (w, b) in enumerate(zip(self.conv_weights, self.conv_biases, strict=True)):
            weight = w.reshape(-1, *w.shape[2:])  # (S·out, in, k, k)
            h = self.act(nn.functional.conv2d(h, weight, b.reshape(-1), padding=PADDING,
                                              groups=s))
            # max-pooling after the first convolution, average-pooling after the others
            if i == 0:
                h = nn.functional.max_pool2d(h, kernel_size=3, stride=2)
            else:
                h = nn.functional.avg_pool2d(h, kernel_size=3, stride=2)
        h = h.reshape(batch, s, -1).transpose(0, 1)  # (S, B, 64·3·3), channel-major per network
        return torch.baddbmm(self.bias, h, self.weight)
