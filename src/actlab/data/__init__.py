"""Data for the lab: embedded or generated sets (nothing downloads) and user-file loaders.

Every generator takes a ``seed``; the same seed gives the same arrays.
"""

from actlab.data.gates import GATES, gate
from actlab.data.planar import PLANAR, make_planar
from actlab.data.regression import REGRESSION, make_regression
from actlab.data.split import Split

__all__ = [
    "GATES",
    "PLANAR",
    "REGRESSION",
    "Split",
    "gate",
    "make_planar",
    "make_regression",
]
