"""S MNIST-1D CNNs trained as one module: the bench's packing of the ``cnn1d`` model.

The lab's :class:`actlab.models.mnist1d_nets.EnsembleCNN` stacks the parameters of S
copies of the MNIST-1D CNN and runs each convolution as one batched matrix product;
here its activation is the bench's (any elementwise catalogue entry with its
parameters), and its initial weights are exactly those
:func:`actlab.bench.models.build_network` gives one ``cnn1d`` of the same seed, so
packed and one-at-a-time training start from the same place.  Activations with
learnable parameters are not packed (one module would share them across networks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch

from actlab.bench.models import seeded_weights
from actlab.models.mnist1d_nets import EnsembleCNN

if TYPE_CHECKING:
    from actlab.catalogue import Activation


def cnn1d_packable(activation: Activation) -> bool:
    """Elementwise and nothing to learn: one activation module can serve every network."""
    return activation.elementwise and not any(p.learnable for p in activation.parameters)


class PackedCNN1d(EnsembleCNN):
    """S MNIST-1D CNNs: (S, batch, length) or (S, batch, 1, length) -> (S, batch, outputs)."""

    def __init__(self, activation: Activation, length: int, n_outputs: int,
                 seeds: Sequence[int], init: str = "default") -> None:
        super().__init__(seeds, length=length, n_out=n_outputs)
        self.act = activation.to_torch()
        if init != "default":
            self._redraw(init, seeds)

    @torch.no_grad()
    def _redraw(self, init: str, seeds: Sequence[int]) -> None:
        """A named scheme, drawn per seed as build_network draws it; biases zero."""
        for layer, weight in enumerate([*self.conv_weights, self.weight]):
            conv = layer < len(self.conv_weights)
            # torch's layout of one network's weight: (out, in, kernel) or (out, in)
            shape = tuple(weight.shape[1:]) if conv else tuple(weight.shape[1:][::-1])
            receptive = shape[2] if conv else 1
            fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
            drawn = np.stack([seeded_weights(init, s, layer, shape, fan_in, fan_out)[0]
                              for s in seeds])
            if not conv:
                drawn = drawn.transpose(0, 2, 1)  # stored as (S, in, out)
            weight.copy_(torch.as_tensor(drawn))
        for bias in [*self.conv_biases, self.bias]:
            bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (S, batch, ...), or (1, batch, ...) to give every network the same batch."""
        x = x.flatten(start_dim=2)
        if x.shape[0] != self.n_models:
            x = x.expand(self.n_models, *x.shape[1:])
        return super().forward(x)

    @torch.no_grad()
    def copy_network_into(self, index: int, net: torch.nn.Module) -> None:
        """Network ``index``'s weights into an ordinary ``build_cnn`` network of one seed."""
        convs = [m for m in net.modules() if isinstance(m, torch.nn.Conv1d)]
        linear = [m for m in net.modules() if isinstance(m, torch.nn.Linear)][-1]
        for conv, w, b in zip(convs, self.conv_weights, self.conv_biases, strict=True):
            assert conv.bias is not None  # build_cnn's convolutions have biases
            conv.weight.copy_(w[index])
            conv.bias.copy_(b[index, 0])
        linear.weight.copy_(self.weight[index].T)
        linear.bias.copy_(self.bias[index, 0])
