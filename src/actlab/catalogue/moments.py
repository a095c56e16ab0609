"""The properties of a bound activation, completed with the mean and variance of its
output for a standard normal input.

Whether an activation "centres" its outputs is a question about E[f(z)]: GELU passes
through 0 and takes both signs, yet E[GELU(z)] ≈ 0.28 for z ~ N(0, 1).  These numbers
are integrals against the normal density, computed with ``scipy.integrate.quad`` on the
bound parameters and cached per parameter set.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np

from actlab.catalogue.metadata import Properties

if TYPE_CHECKING:
    from actlab.catalogue.activation import Activation

# φ(z) < 1e-300 beyond |z| = 37.5: the integrals over [-40, 40] are the whole-line ones
# (every entry grows at most exponentially, and e^|z|·φ(z) is negligible there too).
INTEGRATION_LIMIT = 40.0
# where functions bend or jump; quad places its first subdivisions there
BREAKPOINTS = (-6.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0, 6.0)
_NORMAL_SCALE = 1.0 / math.sqrt(2.0 * math.pi)


def _normal_density(z: float) -> float:
    return _NORMAL_SCALE * math.exp(-0.5 * z * z)


def normal_moments(act: Activation) -> tuple[float, float] | None:
    """(E[f(z)], Var[f(z)]) for z ~ N(0, 1), or None where they are not defined."""
    if not act.elementwise:
        return None
    # NaN anywhere on the line (log1mexp's domain is x >= 0): no moments
    probe = np.asarray(act(np.linspace(-INTEGRATION_LIMIT, INTEGRATION_LIMIT, 4001)))
    if not np.all(np.isfinite(probe)):
        return None
    from scipy.integrate import quad

    def f(z: float) -> float:
        return float(act(z))

    breakpoints = sorted({*BREAKPOINTS, *_parameter_breakpoints(act)})
    options = {"points": breakpoints, "limit": 400, "epsabs": 1e-12, "epsrel": 1e-10}
    mean, _ = quad(lambda z: f(z) * _normal_density(z), -INTEGRATION_LIMIT,
                   INTEGRATION_LIMIT, **options)
    second, _ = quad(lambda z: (f(z) - mean) ** 2 * _normal_density(z), -INTEGRATION_LIMIT,
                     INTEGRATION_LIMIT, **options)
    return _clean(mean), _clean(second)


def _parameter_breakpoints(act: Activation) -> list[float]:
    """Kinks that move with the parameters: thresholds and band edges given as numbers."""
    points = [k.at for k in act.doc.kinks if math.isfinite(k.at)]
    for key in ("t", "lambd", "min_val", "max_val"):
        value = act.params.get(key)
        if isinstance(value, float) and abs(value) < INTEGRATION_LIMIT:
            points += [value, -value] if key == "lambd" else [value]
    return [p for p in points if -INTEGRATION_LIMIT < p < INTEGRATION_LIMIT]


def _clean(value: float) -> float:
    """Integration noise around an exact 0 (odd functions) shown as 0."""
    return 0.0 if abs(value) < 1e-12 else float(value)


@functools.lru_cache(maxsize=512)
def bound_properties(act: Activation) -> Properties:
    """``act.describe(act.params)`` with the Gaussian moments and the zero-centred flag
    (f(0) = 0 and both signs) computed from the function itself."""
    props = act.describe(act.params)
    moments = normal_moments(act)
    if moments is None:
        return props
    lo, hi = props.range
    zero_centred = bool(act(0.0) == 0.0) and lo < 0.0 < hi
    return props.with_changes(normal_mean=moments[0], normal_variance=moments[1],
                              zero_centred=zero_centred)
