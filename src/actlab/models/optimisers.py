"""Optimisers that update NumPy parameter arrays in place, following ``torch.optim``.

* ``SGD``       p ← p - lr·g
* ``Momentum``  v ← μ·v + g;  p ← p - lr·v   (torch's SGD with momentum, no dampening)
* ``Adam``      Kingma & Ba 2015 with bias correction, eps added to √v̂ (as torch)

State (velocities, moments) belongs to the position of the array in ``params``,
so always pass the same list in the same order.
"""

from __future__ import annotations

import math

import numpy as np

OPTIMISERS = ("sgd", "momentum", "adam")


class SGD:
    """Plain gradient descent."""

    def __init__(self, lr: float = 0.1) -> None:
        self.lr = lr

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        for p, g in zip(params, grads, strict=True):
            p -= self.lr * g


class Momentum:
    """Heavy-ball momentum, in PyTorch's form."""

    def __init__(self, lr: float = 0.1, momentum: float = 0.9) -> None:
        self.lr = lr
        self.momentum = momentum
        self._velocity: list[np.ndarray] | None = None

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self._velocity is None:
            # torch starts the buffer at the first gradient: v1 = g1
            self._velocity = [g.copy() for g in grads]
        else:
            for v, g in zip(self._velocity, grads, strict=True):
                v *= self.momentum
                v += g
        for p, v in zip(params, self._velocity, strict=True):
            p -= self.lr * v


class Adam:
    """Adaptive moments with bias correction."""

    def __init__(
        self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.t = 0
        self._m: list[np.ndarray] = []
        self._v: list[np.ndarray] = []

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self.t == 0:
            self._m = [np.zeros_like(p) for p in params]
            self._v = [np.zeros_like(p) for p in params]
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        correction1 = 1.0 - b1**self.t
        step_size = self.lr / correction1
        root_correction2 = math.sqrt(1.0 - b2**self.t)
        for p, g, m, v in zip(params, grads, self._m, self._v, strict=True):
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * (g * g)
            # p -= lr · m̂ / (√v̂ + eps), written as torch does
            p -= step_size * m / (np.sqrt(v) / root_correction2 + self.eps)


def make_optimiser(name: str, lr: float) -> SGD | Momentum | Adam:
    """An optimiser by name with its other settings at their defaults."""
    key = name.strip().lower()
    if key == "sgd":
        return SGD(lr)
    if key == "momentum":
        return Momentum(lr)
    if key == "adam":
        return Adam(lr)
    raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMISERS)}")
