"""The bench's models: initial weights from the seed alone, the packed MLP is the plain MLP,
CNNs, and the user's factory with its errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from actlab.bench.config import ModelConfig
from actlab.bench.models import (
    build_network,
    build_packed_cnn1d,
    build_packed_mlp,
    check_model,
    load_factory,
    make_activation,
    packable,
)
from actlab.errors import UserError

MLP = ModelConfig("mlp", depth=2, width=12)


def _weights(net: nn.Module) -> list[np.ndarray]:
    """The weights and biases of the layers (not an activation's own parameters)."""
    layers = [m for m in net.modules() if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d))]
    if layers:  # an ordinary network
        return [p.detach().numpy().copy() for m in layers for p in m.parameters()]
    return [p.detach().numpy().copy() for name, p in net.named_parameters()
            if not name.startswith("act")]


def test_activation_specs_are_parsed_with_their_parameters() -> None:
    act = make_activation("leaky_relu(negative_slope=0.2)")
    assert act.name == "leaky_relu" and act.params["negative_slope"] == 0.2
    assert make_activation("elu").params["alpha"] == 1.0
    for bad, message in [("relux", "did you mean relu"), ("elu(beta=1)", "unknown parameter"),
                         ("elu(alpha=1", "bad activation"), ("os.system('ls')", "bad activation")]:
        with pytest.raises(UserError, match=message):
            make_activation(bad)


def test_packed_mlp_initial_weights_depend_on_the_seed_alone() -> None:
    relu = build_packed_mlp(MLP, make_activation("relu"), (5,), 3, [0, 1, 2], "default")
    tanh = build_packed_mlp(MLP, make_activation("tanh"), (5,), 3, [0, 1, 2], "default")
    prelu = build_packed_mlp(MLP, make_activation("prelu"), (5,), 3, [2, 1, 0], "default")
    for a, b, c in zip(_weights(relu), _weights(tanh), _weights(prelu), strict=True):
        np.testing.assert_array_equal(a, b)  # same seeds: same weights, whatever the activation
        np.testing.assert_array_equal(a[::-1], c)  # network order follows the seeds
        assert not np.array_equal(a[0], a[1])  # another seed: other weights
    # a named scheme draws other weights, again from the seed alone
    he = build_packed_mlp(MLP, make_activation("relu"), (5,), 3, [0], "he")
    assert not np.array_equal(_weights(he)[0][0], _weights(relu)[0][0])
    assert all(torch.all(b == 0) for b in he.biases)  # biases start at zero


def test_cnn_initial_weights_depend_on_the_seed_alone() -> None:
    cnn = ModelConfig("cnn1d")
    a = build_network(cnn, make_activation("relu"), (40,), 10, seed=3, init="default")
    b = build_network(cnn, make_activation("gelu"), (40,), 10, seed=3, init="default")
    c = build_network(cnn, make_activation("relu"), (40,), 10, seed=4, init="default")
    for wa, wb, wc in zip(_weights(a), _weights(b), _weights(c), strict=True):
        np.testing.assert_array_equal(wa, wb)
        assert not np.array_equal(wa, wc)
    # building does not disturb torch's global generator
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    build_network(cnn, make_activation("relu"), (40,), 10, seed=3, init="glorot")
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("activation", ["relu", "gelu", "prelu", "glu", "softmax",
                                        "swish(beta=1.5)"])
def test_each_packed_network_is_the_plain_mlp_with_its_seed(activation: str) -> None:
    act = make_activation(activation)
    packed = build_packed_mlp(MLP, act, (5,), 3, [7, 8], "glorot")
    x = torch.randn(2, 9, 5)
    out = packed(x)
    for index, seed in enumerate([7, 8]):
        plain = build_network(MLP, act, (5,), 3, seed=seed, init="glorot")
        torch.testing.assert_close(out[index], plain(x[index]), rtol=1e-5, atol=1e-6)
    # one batch for every network broadcasts: the same as giving each network that batch
    torch.testing.assert_close(packed(x[:1]), packed(x[:1].expand(2, 9, 5)))


def test_packed_networks_learn_their_activation_parameters_independently() -> None:
    packed = build_packed_mlp(MLP, make_activation("prelu"), (5,), 3, [0, 1], "default")
    slopes = [p for name, p in packed.named_parameters() if name.startswith("act_params")]
    assert len(slopes) == 2 and slopes[0].shape == (2, 1, 1)  # per layer, per network
    x = torch.randn(2, 9, 5)
    packed(x)[0].sum().backward()  # a loss of network 0 alone
    for slope in slopes:
        assert slope.grad is not None and slope.grad[1].abs().item() == 0
        assert slope.grad[0].abs().item() > 0


@pytest.mark.parametrize("init", ["default", "he"])
def test_each_packed_cnn_is_the_plain_cnn_with_its_seed(init: str) -> None:
    act = make_activation("elu(alpha=0.5)")
    packed = build_packed_cnn1d(act, (40,), 10, [5, 6], init)
    x = torch.randn(2, 7, 40)
    out = packed(x)
    for index, seed in enumerate([5, 6]):
        plain = build_network(ModelConfig("cnn1d"), act, (40,), 10, seed=seed, init=init)
        torch.testing.assert_close(out[index], plain(x[index]), rtol=1e-4, atol=1e-5)
        # an activation that cannot be packed (it learns its slope) starts from the same weights
        prelu = build_network(ModelConfig("cnn1d"), make_activation("prelu"), (40,), 10,
                              seed=seed, init=init)
        for a, b in zip(_weights(plain), _weights(prelu), strict=True):
            np.testing.assert_array_equal(a, b)
    assert packable(ModelConfig("cnn1d"), act)
    assert not packable(ModelConfig("cnn1d"), make_activation("prelu"))
    assert not packable(ModelConfig("cnn1d"), make_activation("glu"))
    assert packable(MLP, make_activation("glu"))
    assert not packable(ModelConfig("cnn2d"), act)


def test_small_cnn2d_for_images() -> None:
    act = make_activation("silu")
    for shape in [(1, 8, 8), (1, 28, 28), (3, 32, 32)]:
        net = build_network(ModelConfig("cnn2d"), act, shape, 10, seed=0, init="he")
        assert net(torch.zeros(4, *shape)).shape == (4, 10)
    glu = build_network(ModelConfig("cnn2d"), make_activation("glu"), (1, 8, 8), 10, 0,
                        "default")
    assert glu(torch.zeros(2, 1, 8, 8)).shape == (2, 10)


def test_model_and_input_shape_mismatches_are_user_errors() -> None:
    with pytest.raises(UserError, match="cnn2d needs images"):
        check_model(ModelConfig("cnn2d"), (40,))
    with pytest.raises(UserError, match="cnn1d needs 1-D signals"):
        check_model(ModelConfig("cnn1d"), (3, 32, 32))
    with pytest.raises(UserError, match="need longer signals than the task's 2 values"):
        check_model(ModelConfig("cnn1d"), (2,))  # a planar set
    check_model(ModelConfig("cnn1d"), (40,))
    with pytest.raises(UserError, match="unknown model 'transformer'"):
        check_model(ModelConfig("transformer"))
    with pytest.raises(UserError, match="takes no factory"):
        check_model(ModelConfig("mlp", factory="a.b:c"))


FACTORY_MODULE = '''
from torch import nn

def tiny(activation, input_shape, n_outputs):
    return nn.Sequential(nn.Flatten(), nn.Linear(input_shape[-1], 6), activation,
                         nn.Linear(6, n_outputs))

def not_a_module(activation, input_shape, n_outputs):
    return "a network"

NOT_CALLABLE = 3
'''


@pytest.fixture
def factory_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "bench_test_factories.py").write_text(FACTORY_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    return "bench_test_factories"


def test_factory_receives_activation_shape_and_outputs(factory_module: str) -> None:
    model = ModelConfig("factory", factory=f"{factory_module}:tiny")
    check_model(model, (4,))
    act = make_activation("leaky_relu(negative_slope=0.3)")
    net = build_network(model, act, (4,), 3, seed=1, init="default")
    assert net(torch.zeros(5, 4)).shape == (5, 3)
    slope = [m for m in net.modules() if isinstance(m, nn.LeakyReLU)]
    assert slope and slope[0].negative_slope == 0.3
    again = build_network(model, make_activation("tanh"), (4,), 3, seed=1, init="default")
    for a, b in zip(_weights(net), _weights(again), strict=True):
        np.testing.assert_array_equal(a, b)  # seeded: same weights for another activation


def test_factory_errors_are_one_line_user_errors(factory_module: str) -> None:
    cases = [
        ("no_colon_here", "must be package.module:function"),
        ("a:b:c", "must be package.module:function"),
        ("surely_not_a_module_xyz:f", "cannot import surely_not_a_module_xyz"),
        (f"{factory_module}:missing", "has no function missing"),
        (f"{factory_module}:NOT_CALLABLE", "has no function NOT_CALLABLE"),
    ]
    for path, message in cases:
        with pytest.raises(UserError, match=message) as caught:
            load_factory(path)
        assert "\n" not in str(caught.value)
    model = ModelConfig("factory", factory=f"{factory_module}:not_a_module")
    with pytest.raises(UserError, match=r"returned str, not a torch\.nn\.Module"):
        build_network(model, make_activation("relu"), (4,), 3, seed=0, init="default")
