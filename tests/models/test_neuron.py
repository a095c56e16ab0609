"""A single neuron and notes B's temperature converter."""

from __future__ import annotations

import numpy as np
import pytest

from actlab.models import Neuron, c2f_neuron


def test_c2f_reproduces_seed_001() -> None:
    celsius = [-20, -10, 0, 36.5, 40, 50, 100]
    printed = [32, 32, 32.0, 97.7, 104.0, 122.0, 212.0]  # the seed's print(test_f)
    np.testing.assert_allclose(c2f_neuron()(celsius), printed, rtol=1e-12)


def test_c2f_is_the_linear_formula_above_freezing_and_clamped_below() -> None:
    c = np.linspace(-100, 100, 2001)
    f = c2f_neuron()(c)
    np.testing.assert_allclose(f, np.where(c > 0, 9 / 5 * c + 32, 32.0), rtol=1e-12)


def test_neuron_batch_and_single_sample() -> None:
    n = Neuron([1.0, -2.0], 0.5, "relu")
    np.testing.assert_allclose(n([[1, 0], [0, 1], [3, 1]]), [1.5, 0.0, 1.5])
    assert float(n([1.0, 0.0])) == 1.5
    with pytest.raises(ValueError, match="2 inputs"):
        n([[1, 2, 3]])
