"""Models of the lab: a neuron, the perceptron, and a NumPy MLP with hand-written backprop.

The PyTorch builders live in :mod:`actlab.models.torch_builders` (not imported
here, so that ``import actlab.models`` does not import torch).
"""

from actlab.models.initialisers import INITIALISERS, initialise
from actlab.models.losses import LOSSES, mse, softmax_cross_entropy
from actlab.models.mlp import MLP
from actlab.models.neuron import Neuron, c2f_neuron
from actlab.models.optimisers import OPTIMISERS, SGD, Adam, Momentum, make_optimiser
from actlab.models.perceptron import Perceptron, max_margin, novikoff_bound

__all__ = [
    "INITIALISERS",
    "LOSSES",
    "MLP",
    "OPTIMISERS",
    "SGD",
    "Adam",
    "Momentum",
    "Neuron",
    "Perceptron",
    "c2f_neuron",
    "initialise",
    "make_optimiser",
    "max_margin",
    "mse",
    "novikoff_bound",
    "softmax_cross_entropy",
]
