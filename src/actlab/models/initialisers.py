"""Weight initialisers: a (fan_in, fan_out) matrix drawn from a seeded generator.

* ``uniform``  U[-1/√fan_in, 1/√fan_in]: the "standard" initialisation of
  Glorot & Bengio 2010 (variance 1/(3·fan_in)).  (Seed 003's hard-coded bounds,
  0.058 for 784→1000 and 0.077 for 1000→10, are in fact Glorot's √(6/(in+out)).)
* ``glorot``   U[-√(6/(in+out)), √(6/(in+out))], variance 2/(in+out) ("Xavier").
* ``glorot_normal``  N(0, 2/(in+out)).
* ``he``       N(0, 2/fan_in) (He et al. 2015, for ReLU).
* ``lecun``    N(0, 1/fan_in) (LeCun 1998; the one SELU needs).
"""

from __future__ import annotations

import math

import numpy as np

INITIALISERS = ("uniform", "glorot", "glorot_normal", "he", "lecun")


def initial_variance(name: str, fan_in: int, fan_out: int) -> float:
    """The variance of each weight under the named scheme."""
    if name == "uniform":
        return 1.0 / (3.0 * fan_in)
    if name in ("glorot", "glorot_normal"):
        return 2.0 / (fan_in + fan_out)
    if name == "he":
        return 2.0 / fan_in
    if name == "lecun":
        return 1.0 / fan_in
    raise ValueError(f"unknown initialiser {name!r}; choose one of {', '.join(INITIALISERS)}")


def initialise(name: str, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """A float64 weight matrix of shape (fan_in, fan_out)."""
    if fan_in < 1 or fan_out < 1:
        raise ValueError(f"layer sizes must be >= 1, got fan_in={fan_in}, fan_out={fan_out}")
    variance = initial_variance(name, fan_in, fan_out)
    shape = (fan_in, fan_out)
    if name in ("uniform", "glorot"):
        bound = math.sqrt(3.0 * variance)  # U[-a, a] has variance a²/3
        return rng.uniform(-bound, bound, shape)
    return rng.normal(0.0, math.sqrt(variance), shape)
