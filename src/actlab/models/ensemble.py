"""Many small MLPs trained at once: one batched matrix product per layer for all of them.

The lab's multi-seed, multi-learning-rate experiments train dozens of tiny
networks; one after another they would spend their time in Python overhead.
Stacking the weights of S independent networks as (S, fan_in, fan_out) tensors
and one batched ``torch.matmul`` per layer trains them all in one pass, each with its own
initialisation seed, its own mini-batches and its own learning rate.  The
networks never interact: the total loss is a sum of per-network losses.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import torch
from torch import nn

import actlab
from actlab.catalogue.backend import torch_backend
from actlab.models.initialisers import initialise


class EnsembleMLP(nn.Module):
    """S independent fully connected networks with the same shape and activation."""

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str,
        seeds: Sequence[int],
        init: str = "glorot",
        dtype: torch.dtype = torch.float32,
        **activation_params: float,
    ) -> None:
        super().__init__()
        if len(sizes) < 2:
            raise ValueError("sizes needs at least an input and an output size")
        self.sizes = list(sizes)
        self.n_models = len(seeds)
        self.act = actlab.get(activation, **activation_params)
        self.activation = self.act.to_torch()
        # learnable activation parameters (PReLU's a, Swish's beta): one per network
        self.act_params = nn.ParameterDict({
            p.name: nn.Parameter(torch.full((self.n_models, 1, 1), float(self.act.params[p.name]),
                                            dtype=dtype))
            for p in self.act.parameters if p.learnable
        })
        weights, biases = [], []
        for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(self.sizes)):
            # the layer index is part of the seed: layers of equal shape must not share weights
            stacked = np.stack([
                initialise(init, fan_in, fan_out,
                           np.random.default_rng([seed, layer, fan_in, fan_out]))
                for seed in seeds
            ])
            weights.append(nn.Parameter(torch.tensor(stacked, dtype=dtype)))
            biases.append(nn.Parameter(torch.zeros(self.n_models, 1, fan_out, dtype=dtype)))
        self.weights = nn.ParameterList(weights)
        self.biases = nn.ParameterList(biases)

    def forward(self, x: torch.Tensor, keep_hidden: bool = False) -> torch.Tensor:
        """x: (S, batch, in) -> (S, batch, out).

        With ``keep_hidden`` the pre-activations and activations of every hidden
        layer are kept in ``self.pre_activations`` and ``self.hidden``.
        """
        self.pre_activations: list[torch.Tensor] = []
        self.hidden: list[torch.Tensor] = []
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            x = torch.matmul(x, w) + b
            if i < last:
                if keep_hidden:
                    self.pre_activations.append(x)
                x = self._activate(x)
                if keep_hidden:
                    self.hidden.append(x)
        return x

    def _activate(self, x: torch.Tensor) -> torch.Tensor:
        if not self.act_params:
            return self.activation(x)
        params = {**self.act.params, **self.act_params}
        return self.act.forward(x, params, torch_backend())


@dataclass
class EnsembleOptimiser:
    """SGD, momentum, Adam or RMSprop with a learning rate per network (shape (S,)).

    Each update is the one PyTorch's optimiser of the same name makes (RMSprop:
    ``alpha`` = ``smoothing``, no momentum, eps added after the square root).
    """

    params: list[nn.Parameter]
    learning_rates: torch.Tensor
    kind: str = "sgd"
    momentum: float = 0.9
    betas: tuple[float, float] = (0.9, 0.999)
    eps: float = 1e-8
    smoothing: float = 0.99  # rmsprop: the weight of the past in the mean of g²

    def __post_init__(self) -> None:
        if self.kind not in ("sgd", "momentum", "adam", "rmsprop"):
            raise ValueError(f"unknown optimiser {self.kind!r} (sgd, momentum, adam, rmsprop)")
        self._state = [(torch.zeros_like(p), torch.zeros_like(p)) for p in self.params]
        self._t = 0

    @torch.no_grad()
    def step(self) -> None:
        self._t += 1
        for p, (m, v) in zip(self.params, self._state, strict=True):
            if p.grad is None:
                continue
            lr = self.learning_rates.to(p.dtype).view(-1, *([1] * (p.dim() - 1)))
            g = p.grad
            if self.kind == "sgd":
                p.sub_(lr * g)
            elif self.kind == "momentum":
                m.mul_(self.momentum).add_(g)
                p.sub_(lr * m)
            elif self.kind == "rmsprop":
                v.mul_(self.smoothing).addcmul_(g, g, value=1 - self.smoothing)
                p.sub_(lr * g / (v.sqrt() + self.eps))
            else:
                b1, b2 = self.betas
                m.mul_(b1).add_(g, alpha=1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                m_hat = m / (1 - b1**self._t)
                v_hat = v / (1 - b2**self._t)
                p.sub_(lr * m_hat / (v_hat.sqrt() + self.eps))

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None


def ensemble_cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Per-network mean cross-entropy, shape (S,); logits (S, B, C), labels (S, B)."""
    log_p = torch.log_softmax(logits, dim=-1)
    return -log_p.gather(-1, labels.unsqueeze(-1)).squeeze(-1).mean(dim=1)


def train_ensemble(
    model: EnsembleMLP,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    steps: int,
    learning_rates: Sequence[float] | torch.Tensor,
    batch_size: int = 100,
    optimiser: str = "sgd",
    seed: int = 0,
    every: int = 0,
    on_evaluate: Callable[[int, EnsembleMLP], None] | None = None,
) -> torch.Tensor:
    """Train every network on (x, y) with its own mini-batches; returns the last losses (S,).

    ``on_evaluate(step, model)`` is called every ``every`` steps (and after the last one).
    """
    lrs = torch.as_tensor(learning_rates, dtype=torch.float64)
    if lrs.numel() != model.n_models:
        raise ValueError(f"{lrs.numel()} learning rates for {model.n_models} networks")
    opt = EnsembleOptimiser(list(model.parameters()), lrs, optimiser)
    generator = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    losses = torch.zeros(model.n_models)
    for step in range(1, steps + 1):
        idx = torch.randint(0, n, (model.n_models, batch_size), generator=generator)
        per_model = ensemble_cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        per_model.sum().backward()
        opt.step()
        losses = per_model.detach()
        if on_evaluate is not None and every and (step % every == 0 or step == steps):
            on_evaluate(step, model)
    return losses


@torch.no_grad()
def _predictions(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Predicted class of every network for each row of ``x``, shape (S, N)."""
    n_models = cast(int, model.n_models)  # a plain int attribute (typed Tensor | Module)
    return model(x.unsqueeze(0).expand(n_models, *x.shape)).argmax(-1)


def ensemble_error(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Classification error of each network on the same data, shape (S,)."""
    return (_predictions(model, x) != y.unsqueeze(0)).float().mean(dim=1)


def ensemble_accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> np.ndarray:
    """Accuracy in % of each network on the same data, shape (S,)."""
    return 100.0 * (_predictions(model, x) == y).float().mean(dim=1).numpy()


@torch.no_grad()
def select_networks(model: nn.Module, keep: torch.Tensor) -> None:
    """Slice every parameter of an ensemble (network axis first) to the networks in ``keep``.

    Works for :class:`EnsembleMLP` and the nets of :mod:`actlab.models.mnist1d_nets`.
    """
    for module in model.modules():
        for name, p in list(module.named_parameters(recurse=False)):
            setattr(module, name, nn.Parameter(p.detach()[keep].clone()))
    # a plain attribute; nn.Module's typing of attributes says Tensor | Module
    setattr(model, "n_models", int(keep.numel()))  # noqa: B010

