"""PyTorch networks whose activation is chosen by catalogue name.

* :func:`build_mlp`: Linear layers with an activation between them.  Entries
  that shrink their axis (GLU family by 2, maxout by its ``pieces``) get a
  Linear layer that many times wider, so every hidden layer has the width asked for.
* :func:`build_cnn`: the MNIST-1D CNN of Greydanus 2020 (5,210 parameters with
  the defaults), with the activation by name.
* :func:`maxout_mlp`: hidden layers are ``actlab.torch.maxout.Maxout`` layers.

This module imports torch; :mod:`actlab.models` does not import it, so that
``import actlab.models`` stays light.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from actlab.catalogue import Activation
from actlab.models.initialisers import INITIALISERS, initial_variance, initialise
from actlab.models.layer_width import width_factor
from actlab.models.neuron import as_activation


def init_linear(layer: nn.Linear, init: str | None,
                rng: np.random.Generator | None = None) -> None:
    """Our initialiser names on a torch Linear layer (biases to 0); None keeps torch's default.

    The weights come from torch's global generator, or from ``rng`` when given (then they
    are :func:`actlab.models.initialisers.initialise`'s, as the NumPy MLP draws them).
    """
    if init is None:
        return
    if init not in INITIALISERS:
        raise ValueError(f"unknown initialiser {init!r}; choose one of {', '.join(INITIALISERS)}")
    fan_out, fan_in = layer.weight.shape
    std = math.sqrt(initial_variance(init, fan_in, fan_out))
    with torch.no_grad():
        if rng is not None:
            weights = initialise(init, fan_in, fan_out, rng).T  # (fan_in, fan_out) drawn
            layer.weight.copy_(torch.as_tensor(weights, dtype=layer.weight.dtype))
        elif init in ("uniform", "glorot"):
            layer.weight.uniform_(-math.sqrt(3.0) * std, math.sqrt(3.0) * std)
        else:
            layer.weight.normal_(0.0, std)
        if layer.bias is not None:
            layer.bias.zero_()


def build_mlp(
    sizes: Sequence[int],
    activation: str | Activation = "relu",
    output_activation: str | Activation | None = None,
    init: str | None = None,
    rng: np.random.Generator | None = None,
) -> nn.Sequential:
    """Linear(sizes[0], sizes[1]), act, ..., Linear(sizes[-2], sizes[-1]) [, output act].

    ``init`` names the weight initialiser (None: torch's default); with ``rng`` the
    weights are drawn from it, layer by layer, instead of torch's global generator.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list >= 2 layer widths, each >= 1; got {sizes}")
    act = as_activation(activation)
    factor = width_factor(act)
    layers: list[nn.Module] = []
    n_layers = len(sizes) - 1
    for i in range(n_layers):
        hidden = i < n_layers - 1
        linear = nn.Linear(sizes[i], sizes[i + 1] * (factor if hidden else 1))
        init_linear(linear, init, rng)
        layers.append(linear)
        if hidden:
            layers.append(act.to_torch())
    if output_activation is not None:
        out = as_activation(output_activation)
        if out.name != "identity":
            if width_factor(out) != 1:
                raise ValueError(f"{out.name} changes the output width; not an output activation")
            layers.append(out.to_torch())
    return nn.Sequential(*layers)


def maxout_mlp(
    sizes: Sequence[int], pieces: int = 2, init: str | None = None
) -> nn.Sequential:
    """Maxout(sizes[i], sizes[i+1], pieces) hidden layers and a Linear output layer."""
    from actlab.torch.maxout import Maxout

    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list >= 2 layer widths, each >= 1; got {sizes}")
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 2):
        block = Maxout(sizes[i], sizes[i + 1], pieces)
        init_linear(block.linear, init)
        layers.append(block)
    output = nn.Linear(sizes[-2], sizes[-1])
    init_linear(output, init)
    layers.append(output)
    return nn.Sequential(*layers)


# The MNIST-1D CNN's convolutions (Greydanus 2020); the ensemble CNN of
# actlab.models.mnist1d_nets uses the same.
CNN_KERNELS = (5, 3, 3)
CNN_STRIDE, CNN_PADDING = 2, 1


def conv_length(length: int, kernel: int, stride: int, padding: int) -> int:
    """Output length of a 1-D convolution."""
    return (length + 2 * padding - kernel) // stride + 1


def build_cnn(
    in_channels: int = 1,
    length: int = 40,
    n_classes: int = 10,
    activation: str | Activation = "relu",
    channels: int = 25,
) -> nn.Sequential:
    """The MNIST-1D CNN: Conv1d(k5,s2,p1) → Conv1d(k3,s2,p1) → Conv1d(k3,s2,p1) → Linear.

    Takes (n, in_channels, length) or, with one channel, (n, length).  With the
    defaults: 1→25→25→25 channels, lengths 40→19→10→5, Linear(125→10): 5,210 parameters.
    """
    act = as_activation(activation)
    factor = width_factor(act)  # channel-shrinking entries act along the channel axis
    if factor != 1:
        act = as_activation(type(act)(**{**dict(act.params), "axis": 1}))

    lengths = [length]
    for kernel in CNN_KERNELS:
        lengths.append(conv_length(lengths[-1], kernel, CNN_STRIDE, CNN_PADDING))
    if lengths[-1] < 1:
        raise ValueError(f"length {length} is too short for three stride-2 convolutions")
    layers: list[nn.Module] = [AddChannelAxis(in_channels)]
    c_in = in_channels
    for kernel in CNN_KERNELS:
        layers.append(nn.Conv1d(c_in, channels * factor, kernel, stride=CNN_STRIDE,
                                padding=CNN_PADDING))
        layers.append(act.to_torch())
        c_in = channels
    layers += [nn.Flatten(), nn.Linear(channels * lengths[-1], n_classes)]
    return nn.Sequential(*layers)


class AddChannelAxis(nn.Module):
    """(n, length) -> (n, 1, length) for one-channel signals; other shapes pass through."""

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.in_channels = in_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.unsqueeze(1) if x.dim() == 2 and self.in_channels == 1 else x

    def extra_repr(self) -> str:
        return f"in_channels={self.in_channels}"
