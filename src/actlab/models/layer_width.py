"""How wide a linear layer must be to feed an activation that shrinks its axis."""

from __future__ import annotations

import numpy as np

from actlab.catalogue import Activation
from actlab.catalogue.backend import NUMPY

_PROBE_WIDTH = 720  # divisible by every small shrink factor (2, 3, 4, 5, 6, 8, 9, 10, ...)


def width_factor(act: Activation) -> int:
    """Inputs per output along the activation's axis: 1 for elementwise entries and
    softmax, 2 for the GLU family, ``pieces`` for maxout.  A layer of width w before
    such an activation needs w·factor pre-activations."""
    if act.elementwise:
        return 1
    with np.errstate(all="ignore"):
        out = np.asarray(act.forward(np.zeros((1, _PROBE_WIDTH)), act.params, NUMPY))
    if out.ndim != 2 or out.shape[0] != 1 or out.shape[1] == 0:
        raise ValueError(f"{act.name}: cannot size a layer for it (output shape {out.shape})")
    factor, rest = divmod(_PROBE_WIDTH, out.shape[1])
    if rest:
        raise ValueError(f"{act.name}: cannot size a layer for it (width {out.shape[1]})")
    return factor
