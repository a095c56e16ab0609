"""The MNIST-1D baselines of Greydanus (2020) as ensembles: S seeds of one model at once.

* :class:`EnsembleLogistic`: Linear(40 → 10), 410 parameters;
* :class:`EnsembleResidualMLP`: h = act(W₁x); h = h + act(W₂h); W₃h — 40-100-100-10,
  15,210 parameters;
* :class:`EnsembleCNN`: the CNN of :func:`actlab.models.torch_builders.build_cnn`
  (same kernels, strides and padding), 5,210 parameters;
* :class:`EnsembleGRU`: a bidirectional GRU of 6 hidden units reading the signal one
  value per time step, its 40 × 2 × 6 outputs flattened into Linear(480 → 10),
  5,134 parameters (the paper code's ``GRUBase``).

Parameters are stacked along a leading "network" axis and every network keeps
PyTorch's default initialisation U[-1/√fan_in, 1/√fan_in], seeded per network
and layer.  Adam, being elementwise, updates each network exactly as if it were
trained alone.  Used by the ``mnist1d_baselines`` experiment and the
convergence race; any elementwise catalogue activation can replace ReLU.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from actlab.models.ensemble import select_networks
from actlab.models.torch_builders import CNN_KERNELS, CNN_PADDING, CNN_STRIDE, conv_length


def _elementwise_activation(name: str) -> nn.Module:
    import actlab

    act = actlab.get(name)
    if not act.elementwise:
        raise ValueError(f"{name} is not elementwise; the ensemble models need one")
    return act.to_torch()


def _torch_default_uniform(seed: int, layer: int, fan_in: int,
                           shape: tuple[int, ...]) -> np.ndarray:
    """PyTorch's default Linear/Conv initialisation U[-1/√fan_in, 1/√fan_in], seeded per layer."""
    bound = 1.0 / math.sqrt(fan_in)
    return np.random.default_rng([seed, layer]).uniform(-bound, bound, shape)


class EnsembleNet(nn.Module):
    """S networks of the same shape; every parameter has the network axis first."""

    n_models: int

    def _stacked(self, seeds: Sequence[int], layer: int, fan_in: int,
                 shape: tuple[int, ...]) -> nn.Parameter:
        data = np.stack([_torch_default_uniform(s, layer, fan_in, shape) for s in seeds])
        return nn.Parameter(torch.tensor(data, dtype=torch.float32))

    def parameters_per_network(self) -> int:
        return sum(p[0].numel() for p in self.parameters())

    @torch.no_grad()
    def select(self, keep: torch.Tensor) -> None:
        """Keep only the networks at indices ``keep`` (drops the others for good)."""
        select_networks(self, keep)


class EnsembleLogistic(EnsembleNet):
    """Logistic regression (a Linear layer; softmax in the loss): 410 parameters for 40 → 10."""

    def __init__(self, seeds: Sequence[int], n_in: int = 40, n_out: int = 10) -> None:
        super().__init__()
        self.n_models = len(seeds)
        self.weight = self._stacked(seeds, 0, n_in, (n_in, n_out))
        self.bias = self._stacked(seeds, 1, n_in, (1, n_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (S, B, in) -> (S, B, out)
        return torch.baddbmm(self.bias, x, self.weight)


class EnsembleResidualMLP(EnsembleNet):
    """Greydanus's MLP: h = act(W₁x); h = h + act(W₂h); out = W₃h (15,210 parameters)."""

    def __init__(self, seeds: Sequence[int], n_in: int = 40, hidden: int = 100,
                 n_out: int = 10, activation: str = "relu") -> None:
        super().__init__()
        self.n_models = len(seeds)
        self.act = _elementwise_activation(activation)
        sizes = [(n_in, hidden), (hidden, hidden), (hidden, n_out)]
        self.weights = nn.ParameterList(
            [self._stacked(seeds, 2 * i, a, (a, b)) for i, (a, b) in enumerate(sizes)])
        self.biases = nn.ParameterList(
            [self._stacked(seeds, 2 * i + 1, a, (1, b)) for i, (a, b) in enumerate(sizes)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w, b = self.weights, self.biases
        h = self.act(torch.baddbmm(b[0], x, w[0]))
        h = h + self.act(torch.baddbmm(b[1], h, w[1]))
        return torch.baddbmm(b[2], h, w[2])


class EnsembleCNN(EnsembleNet):
    """The MNIST-1D CNN, S copies at once (5,210 parameters each by default).

    Input (S, B, length): network s reads x[s].  Conv weights are stored as
    (S, out, in, kernel), like ``nn.Conv1d``'s with the network axis in front.
    Each convolution is an im2col batched matrix product in a channels-last
    layout, about 1.5× faster on a CPU than one grouped ``conv1d`` for all networks.
    """

    KERNELS, STRIDE, PADDING = CNN_KERNELS, CNN_STRIDE, CNN_PADDING

    def __init__(self, seeds: Sequence[int], length: int = 40, channels: int = 25,
                 n_out: int = 10, activation: str = "relu") -> None:
        super().__init__()
        self.n_models = len(seeds)
        self.act = _elementwise_activation(activation)
        conv_w, conv_b = [], []
        c_in, out_len = 1, length
        for i, k in enumerate(self.KERNELS):
            fan_in = c_in * k
            conv_w.append(self._stacked(seeds, 2 * i, fan_in, (channels, c_in, k)))
            conv_b.append(self._stacked(seeds, 2 * i + 1, fan_in, (1, channels)))
            c_in, out_len = channels, conv_length(out_len, k, self.STRIDE, self.PADDING)
        if out_len < 1:
            raise ValueError(f"length {length} is too short for three stride-2 convolutions")
        flat = channels * out_len
        self.conv_weights = nn.ParameterList(conv_w)
        self.conv_biases = nn.ParameterList(conv_b)
        self.weight = self._stacked(seeds, 6, flat, (flat, n_out))
        self.bias = self._stacked(seeds, 7, flat, (1, n_out))

    def _conv(self, h: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        """(S, B, L, C_in) -> (S, B, L_out, C_out): Conv1d(stride 2, padding 1) per network."""
        s, batch, length, c_in = h.shape
        c_out, k = w.shape[1], w.shape[3]
        l_out = conv_length(length, k, self.STRIDE, self.PADDING)
        padded = nn.functional.pad(h, (0, 0, self.PADDING, self.PADDING))
        # tap j of output position t reads input position STRIDE·t + j (of the padded signal)
        patches = torch.cat([padded[:, :, j:j + self.STRIDE * (l_out - 1) + 1:self.STRIDE]
                             for j in range(k)], dim=-1)  # (S, B, L_out, k·C_in), tap-major
        kernel = w.permute(0, 3, 2, 1).reshape(s, k * c_in, c_out)  # same (tap, channel) order
        out = torch.baddbmm(b, patches.reshape(s, batch * l_out, k * c_in), kernel)
        return out.reshape(s, batch, l_out, c_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s, batch = x.shape[0], x.shape[1]
        h = x.unsqueeze(-1)  # one input channel, channels last
        for w, b in zip(self.conv_weights, self.conv_biases, strict=True):
            h = self.act(self._conv(h, w, b))
        h = h.transpose(2, 3).reshape(s, batch, -1)  # flatten channel-major, as nn.Flatten
        return torch.baddbmm(self.bias, h, self.weight)


class EnsembleGRU(EnsembleNet):
    """The MNIST-1D GRU baseline, S copies at once (5,134 parameters each by default).

    All S networks run as one ``nn.GRU`` whose hidden state is the S hidden states side by
    side: its weight matrices are masked to be block-diagonal, so network s reads only its
    own input channel and its own hidden units (the off-diagonal blocks stay zero and get
    no gradient).  One fused recurrent call per direction instead of S.  Every block is
    initialised as PyTorch initialises a GRU of ``hidden`` units: U[-1/√hidden, 1/√hidden].
    """

    def __init__(self, seeds: Sequence[int], length: int = 40, hidden: int = 6,
                 n_out: int = 10) -> None:
        super().__init__()
        s = self.n_models = len(seeds)
        self.hidden, self.length = hidden, length
        self.gru = nn.GRU(input_size=s, hidden_size=s * hidden, batch_first=True,
                          bidirectional=True)
        bound = 1.0 / math.sqrt(hidden)
        masks: dict[str, torch.Tensor] = {}
        with torch.no_grad():
            for name, p in self.gru.named_parameters():
                # a block per network: gate rows (r, z, n) × the network's own columns
                blocks = np.zeros(tuple(p.shape))
                for k, seed in enumerate(seeds):
                    rng = np.random.default_rng([seed, 100 + len(masks)])
                    rows = np.concatenate([np.arange(g * s * hidden + k * hidden,
                                                     g * s * hidden + (k + 1) * hidden)
                                           for g in range(3)])
                    if p.dim() == 1:
                        blocks[rows] = rng.uniform(-bound, bound, rows.size)
                    else:
                        cols = (np.array([k]) if name.startswith("weight_ih") else
                                np.arange(k * hidden, (k + 1) * hidden))
                        blocks[np.ix_(rows, cols)] = rng.uniform(-bound, bound,
                                                                 (rows.size, len(cols)))
                mask = np.zeros(tuple(p.shape))
                mask[blocks != 0] = 1.0
                if p.dim() == 1:
                    mask[:] = 1.0
                masks[name] = torch.tensor(mask, dtype=torch.float32)
                p.copy_(torch.tensor(blocks, dtype=torch.float32))
        self._masks = masks
        flat = 2 * hidden * length
        self.weight = self._stacked(seeds, 50, flat, (flat, n_out))
        self.bias = self._stacked(seeds, 51, flat, (1, n_out))

    def parameters_per_network(self) -> int:
        """Parameters of one network: its GRU blocks and its linear layer."""
        gru = sum(int(mask.sum().item()) for mask in self._masks.values()) // self.n_models
        return gru + self.weight[0].numel() + self.bias[0].numel()

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (S, B, length) -> (S, B, out)
        s, batch, length = x.shape
        weights = {name: p * self._masks[name] for name, p in self.gru.named_parameters()}
        sequence = x.permute(1, 2, 0)  # (B, length, S): network s's signal in channel s
        output, _ = torch.func.functional_call(self.gru, weights, (sequence,))
        # (B, length, 2, S, hidden) -> per network (S, B, length · 2 · hidden), time-major
        # as the paper's flatten of (length, 2·hidden)
        output = output.reshape(batch, length, 2, s, self.hidden).permute(3, 0, 1, 2, 4)
        return torch.baddbmm(self.bias, output.reshape(s, batch, -1), self.weight)

    @torch.no_grad()
    def select(self, keep: torch.Tensor) -> None:
        raise NotImplementedError("the GRU ensemble cannot drop networks")


def build_model(kind: str, seeds: Sequence[int], n_in: int = 40,
                activation: str = "relu") -> EnsembleNet:
    """An ensemble of the named baseline (logistic, mlp, cnn, gru)."""
    if kind == "logistic":
        return EnsembleLogistic(seeds, n_in)
    if kind == "mlp":
        return EnsembleResidualMLP(seeds, n_in, activation=activation)
    if kind == "cnn":
        return EnsembleCNN(seeds, n_in, activation=activation)
    if kind == "gru":
        return EnsembleGRU(seeds, n_in)
    raise ValueError(f"unknown model {kind!r}; choose logistic, mlp, cnn or gru")
