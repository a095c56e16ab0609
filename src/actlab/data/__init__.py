"""Data for the lab: embedded or generated sets (nothing downloads) and user-file loaders.

Every generator takes a ``seed``; the same seed gives the same arrays.  Heavy
libraries (scikit-learn, SciPy's filters, matplotlib's image reader) are
imported only when the function that needs them runs.
"""

from actlab.data.digits import load_digits_split
from actlab.data.files import load_cifar10, load_csv, load_mnist_idx, read_idx
from actlab.data.gates import GATES, gate
from actlab.data.images import sample_photo
from actlab.data.mnist1d import make_mnist1d
from actlab.data.planar import PLANAR, make_planar
from actlab.data.regression import REGRESSION, curve, make_regression
from actlab.data.split import Split

__all__ = [
    "GATES",
    "PLANAR",
    "REGRESSION",
    "Split",
    "curve",
    "gate",
    "load_cifar10",
    "load_csv",
    "load_digits_split",
    "load_mnist_idx",
    "make_mnist1d",
    "make_planar",
    "make_regression",
    "read_idx",
    "sample_photo",
]
