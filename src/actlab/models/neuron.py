"""A single artificial neuron: y = h(w·x + b), and notes B's temperature-converter neuron."""

from __future__ import annotations

from typing import Any

import numpy as np

from actlab.catalogue import Activation, get


def as_activation(activation: str | Activation) -> Activation:
    """A catalogue name (or alias) or a ready Activation -> Activation."""
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str):
        return get(activation)
    raise TypeError(f"activation must be a name or an Activation, got {type(activation).__name__}")


class Neuron:
    """One neuron with fixed weights: net input z = x·w + b, output h(z).

    ``x`` is one sample of shape (d,) or a batch (n, d).  A neuron with one input
    (d = 1) also takes a 1-D array of n scalar samples and returns n outputs.

    >>> n = Neuron([1.0, 1.0], -1.5, "relu")
    >>> n([[1, 1], [0, 1]]).tolist()
    [0.5, 0.0]
    """

    def __init__(self, weights: Any, bias: float, activation: str | Activation) -> None:
        self.weights = np.atleast_1d(np.asarray(weights, dtype=np.float64))
        if self.weights.ndim != 1:
            raise ValueError(f"weights must be a vector, got shape {self.weights.shape}")
        self.bias = float(bias)
        self.activation = as_activation(activation)

    def net_input(self, x: Any) -> np.ndarray:
        """z = x·w + b for one sample or a batch."""
        arr = np.asarray(x, dtype=np.float64)
        d = self.weights.shape[0]
        if d == 1 and arr.ndim <= 1:
            return arr * self.weights[0] + self.bias  # scalar samples
        if arr.shape[-1] != d:
            raise ValueError(f"the neuron has {d} inputs; got x of shape {arr.shape}")
        return arr @ self.weights + self.bias

    def __call__(self, x: Any) -> np.ndarray:
        return self.activation(self.net_input(x))

    def __repr__(self) -> str:
        return (
            f"Neuron(weights={self.weights.tolist()}, bias={self.bias}, "
            f"activation={self.activation!r})"
        )


def c2f_neuron() -> Neuron:
    """Seed 001's Celsius-to-Fahrenheit neuron: threshold(t=32, value=32) of 9/5·C + 32.

    The clamp at 32 °F is the seed's "activation function"; below 0 °C the
    neuron stays at 32, like a thermometer that cannot go lower.

    >>> c2f_neuron()([-20, -10, 0, 36.5, 40, 50, 100]).round(1).tolist()
    [32.0, 32.0, 32.0, 97.7, 104.0, 122.0, 212.0]
    """
    return Neuron([9.0 / 5.0], 32.0, get("threshold", t=32.0, value=32.0))
