"""PyTorch builders: shapes, parameter counts (docs/sources.md), activations by name."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from actlab.models.torch_builders import build_cnn, build_mlp, maxout_mlp


def _count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def test_mnist1d_cnn_has_the_published_size() -> None:
    model = build_cnn()
    assert _count(model) == 5210  # Greydanus 2020, docs/sources.md
    assert model(torch.randn(4, 40)).shape == (4, 10)
    assert model(torch.randn(4, 1, 40)).shape == (4, 10)


@pytest.mark.parametrize("name", ["relu", "gelu", "elu", "sigmoid", "mish"])
def test_mlp_with_activation_by_name(name: str) -> None:
    model = build_mlp([40, 100, 100, 10], name)
    assert _count(model) == 15210
    assert model(torch.randn(3, 40)).shape == (3, 10)


def test_activation_module_is_the_catalogue_entry() -> None:
    model = build_mlp([2, 3, 1], "elu", output_activation="sigmoid").double()
    x = torch.randn(5, 2, dtype=torch.float64)
    lin1, _, lin2 = model[0], model[1], model[2]
    h = lin1(x)
    expected = torch.sigmoid(lin2(torch.where(h > 0, h, torch.expm1(h))))
    assert torch.allclose(model(x), expected, rtol=1e-12, atol=1e-14)


def test_shrinking_activations_get_wider_linear_layers() -> None:
    model = build_mlp([4, 6, 2], "glu")
    assert model[0].out_features == 12 and model(torch.randn(3, 4)).shape == (3, 2)
    model = build_mlp([4, 6, 2], "maxout")
    assert model[0].out_features == 12 and model(torch.randn(3, 4)).shape == (3, 2)
    assert build_cnn(activation="swiglu")(torch.randn(2, 40)).shape == (2, 10)


def test_maxout_mlp_doubles_the_hidden_weights() -> None:
    model = maxout_mlp([4, 8, 3], pieces=2)
    assert _count(model) == (4 * 16 + 16) + (8 * 3 + 3)
    assert model(torch.randn(5, 4)).shape == (5, 3)


def test_init_by_name_sets_variance_and_zero_bias() -> None:
    torch.manual_seed(0)
    model = build_mlp([400, 500, 1], "relu", init="he")
    w = model[0].weight
    assert abs(w.var().item() / (2 / 400) - 1) < 0.02  # 200,000 draws: sd of the ratio ≈ 0.003
    assert torch.all(model[0].bias == 0)
    with pytest.raises(ValueError, match="unknown initialiser"):
        build_mlp([2, 1], init="orthogonal")


def test_init_from_a_numpy_generator_is_reproducible_and_matches_initialise() -> None:
    from actlab.models.initialisers import initialise

    a = build_mlp([5, 4, 3], "tanh", init="glorot", rng=np.random.default_rng(7))
    b = build_mlp([5, 4, 3], "tanh", init="glorot", rng=np.random.default_rng(7))
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert torch.equal(p, q)
    rng = np.random.default_rng(7)
    first, second = initialise("glorot", 5, 4, rng), initialise("glorot", 4, 3, rng)
    torch.testing.assert_close(a[0].weight, torch.tensor(first.T, dtype=torch.float32))
    torch.testing.assert_close(a[2].weight, torch.tensor(second.T, dtype=torch.float32))
    assert torch.all(a[0].bias == 0)
