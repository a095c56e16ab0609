"""The catalogue: every activation, defined once (see docs/design.md, pillar 1).

Importing this package registers every family module.
"""

from actlab.catalogue import (  # noqa: F401  (imported for their registrations)
    classic,
    piecewise_linear,
    rectifiers,
    sigmoidal,
    smooth,
    steps,
    vector,
)
from actlab.catalogue.activation import Activation, VectorActivation
from actlab.catalogue.registry import ActivationNotFound, aliases, entry, get, names

__all__ = [
    "Activation",
    "ActivationNotFound",
    "VectorActivation",
    "aliases",
    "entry",
    "get",
    "names",
]
