"""The batched ensemble trainer: S stacked networks behave exactly like S separate ones."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from actlab.models.ensemble import (
    EnsembleMLP,
    EnsembleOptimiser,
    ensemble_cross_entropy,
    ensemble_error,
    train_ensemble,
)

F64 = torch.float64


def _separate_net(model: EnsembleMLP, s: int, activation: nn.Module) -> nn.Sequential:
    """Network ``s`` of the ensemble rebuilt as an ordinary nn.Sequential (copied weights)."""
    layers: list[nn.Module] = []
    last = len(model.weights) - 1
    for i, (w, b) in enumerate(zip(model.weights, model.biases, strict=True)):
        fan_in, fan_out = w.shape[1:]
        linear = nn.Linear(fan_in, fan_out, dtype=F64)
        with torch.no_grad():
            linear.weight.copy_(w[s].T)  # nn.Linear stores (out, in)
            linear.bias.copy_(b[s, 0])
        layers.append(linear)
        if i < last:
            layers.append(activation)  # the same module object: PReLU's slope is shared
    return nn.Sequential(*layers)


def test_tanh_ensemble_equals_separate_networks_forward_and_gradients() -> None:
    seeds = [3, 11, 12]
    model = EnsembleMLP([4, 6, 6, 5, 3], "tanh", seeds, init="glorot", dtype=F64)
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(len(seeds), 7, 4, generator=gen, dtype=F64)
    target = torch.randn(len(seeds), 7, 3, generator=gen, dtype=F64)
    out = model(x)
    assert out.shape == (len(seeds), 7, 3)
    # networks never interact: the summed loss gives each one its own gradient
    (out - target).square().sum(dim=(1, 2)).sum().backward()
    for s in range(len(seeds)):
        net = _separate_net(model, s, nn.Tanh())
        y = net(x[s])
        torch.testing.assert_close(out[s], y, rtol=1e-12, atol=1e-12)
        (y - target[s]).square().sum().backward()
        linears = [m for m in net if isinstance(m, nn.Linear)]
        for k, linear in enumerate(linears):
            torch.testing.assert_close(model.weights[k].grad[s], linear.weight.grad.T,
                                       rtol=1e-10, atol=1e-12)
            torch.testing.assert_close(model.biases[k].grad[s, 0], linear.bias.grad,
                                       rtol=1e-10, atol=1e-12)


def test_prelu_slope_is_one_learnable_parameter_per_network() -> None:
    seeds = [0, 1]
    model = EnsembleMLP([3, 5, 5, 2], "prelu", seeds, dtype=F64)
    a = model.act_params["a"]
    assert a.shape == (2, 1, 1)
    with torch.no_grad():  # different slopes, so a mix-up between networks would show
        a.copy_(torch.tensor([0.1, 0.4], dtype=F64).view(2, 1, 1))
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(2, 9, 3, generator=gen, dtype=F64)
    out = model(x)
    out.square().sum().backward()
    assert a.grad is not None and a.grad.shape == (2, 1, 1)
    for s in range(2):
        prelu = nn.PReLU(init=float(a[s].detach()), dtype=F64)
        net = _separate_net(model, s, prelu)
        y = net(x[s])
        torch.testing.assert_close(out[s], y, rtol=1e-12, atol=1e-12)
        y.square().sum().backward()
        assert prelu.weight.grad is not None and float(prelu.weight.grad.abs()) > 0
        torch.testing.assert_close(a.grad[s].reshape(1), prelu.weight.grad,
                                   rtol=1e-10, atol=1e-12)


def test_layers_of_equal_shape_get_different_weights_and_seeds_reproduce() -> None:
    sizes = [4, 8, 8, 8, 2]
    first = EnsembleMLP(sizes, "relu", [5, 6], init="he")
    again = EnsembleMLP(sizes, "relu", [5, 6], init="he")
    for w, w_again in zip(first.weights, again.weights, strict=True):
        assert torch.equal(w, w_again)  # the seed alone fixes the initialisation
    # two hidden 8→8 layers drawn from the same stream would be a repeated matrix
    assert not torch.equal(first.weights[1], first.weights[2])
    assert not torch.equal(first.weights[1][0], first.weights[1][1])  # seeds 5 and 6 differ
    other = EnsembleMLP(sizes, "relu", [6], init="he")  # network 6 alone: same weights
    assert torch.equal(other.weights[2][0], first.weights[2][1])


def test_initial_weight_variance_follows_the_scheme() -> None:
    # He: Var = 2 / fan_in; 200 x 300 weights estimate it to about ±1 %
    model = EnsembleMLP([200, 300, 1], "relu", [0], init="he", dtype=F64)
    w = model.weights[0][0]
    assert float(w.detach().var()) == pytest.approx(2 / 200, rel=0.04)
    assert float(model.biases[0].detach().abs().max()) == 0.0


def test_ensemble_cross_entropy_equals_torch_per_network() -> None:
    gen = torch.Generator().manual_seed(2)
    logits = torch.randn(3, 8, 4, generator=gen, dtype=F64)
    labels = torch.randint(0, 4, (3, 8), generator=gen)
    per_model = ensemble_cross_entropy(logits, labels)
    assert per_model.shape == (3,)
    for s in range(3):
        expected = nn.functional.cross_entropy(logits[s], labels[s])
        torch.testing.assert_close(per_model[s], expected)


def test_ensemble_error_on_a_hand_made_case() -> None:
    # one linear layer 2 -> 2: network 0 is the identity, network 1 swaps the classes
    model = EnsembleMLP([2, 2], "relu", [0, 1], dtype=F64)
    with torch.no_grad():
        model.weights[0].copy_(torch.tensor([[[1.0, 0.0], [0.0, 1.0]],
                                             [[0.0, 1.0], [1.0, 0.0]]], dtype=F64))
    x = torch.tensor([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0]], dtype=F64)
    y = torch.tensor([0, 1, 1])
    # identity predicts (0, 1, 0): one wrong; the swap predicts (1, 0, 1): two wrong
    torch.testing.assert_close(ensemble_error(model, x, y),
                               torch.tensor([1 / 3, 2 / 3]), rtol=0, atol=1e-7)


def _fake_gradients(shape: torch.Size, step: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(100 + step)
    return torch.randn(shape, generator=gen, dtype=F64)


@pytest.mark.parametrize("kind", ["sgd", "momentum", "adam"])
def test_optimiser_equals_torch_on_each_networks_slice(kind: str) -> None:
    gen = torch.Generator().manual_seed(4)
    start = torch.randn(3, 4, 5, generator=gen, dtype=F64)
    learning_rates = torch.tensor([0.01, 0.1, 0.3], dtype=F64)
    stacked = nn.Parameter(start.clone())
    ours = EnsembleOptimiser([stacked], learning_rates, kind)
    slices = [nn.Parameter(start[s].clone()) for s in range(3)]
    theirs = [
        torch.optim.Adam([p], lr=float(lr)) if kind == "adam"
        else torch.optim.SGD([p], lr=float(lr), momentum=0.9 if kind == "momentum" else 0.0)
        for p, lr in zip(slices, learning_rates, strict=True)
    ]
    for step in range(3):
        grad = _fake_gradients(start.shape, step)
        ours.zero_grad()
        stacked.grad = grad.clone()
        ours.step()
        for s, (p, opt) in enumerate(zip(slices, theirs, strict=True)):
            opt.zero_grad()
            p.grad = grad[s].clone()
            opt.step()
    for s in range(3):
        torch.testing.assert_close(stacked.detach()[s], slices[s].detach(),
                                   rtol=1e-12, atol=1e-14)
    assert not torch.equal(stacked.detach(), start)


def test_unknown_optimiser_and_wrong_learning_rate_count_are_refused() -> None:
    model = EnsembleMLP([2, 3, 2], "relu", [0, 1])
    with pytest.raises(ValueError, match="optimiser"):
        EnsembleOptimiser(list(model.parameters()), torch.ones(2), "adagrad")
    x, y = torch.zeros(4, 2), torch.zeros(4, dtype=torch.int64)
    with pytest.raises(ValueError, match="learning rates"):
        train_ensemble(model, x, y, steps=1, learning_rates=[0.1, 0.1, 0.1])
    with pytest.raises(ValueError, match="sizes"):
        EnsembleMLP([3], "relu", [0])


def _blobs(n: int = 200) -> tuple[torch.Tensor, torch.Tensor]:
    """Two well-separated Gaussian blobs: class 0 around (-2, -2), class 1 around (2, 2)."""
    gen = torch.Generator().manual_seed(7)
    y = torch.arange(n) % 2
    x = torch.randn(n, 2, generator=gen) * 0.5 + (y[:, None] * 4.0 - 2.0)
    return x, y


def test_training_reduces_the_loss_and_a_zero_learning_rate_freezes_a_network() -> None:
    x, y = _blobs()
    model = EnsembleMLP([2, 8, 2], "tanh", [0, 1, 2])
    before = [p.detach().clone() for p in model.parameters()]
    initial = ensemble_cross_entropy(model(x.expand(3, *x.shape)), y.expand(3, -1)).detach()
    seen: list[int] = []
    last = train_ensemble(model, x, y, steps=60, learning_rates=[0.0, 0.5, 0.5],
                          batch_size=32, seed=0, every=25,
                          on_evaluate=lambda step, m: seen.append(step))
    assert seen == [25, 50, 60]  # every 25 steps and after the last one
    assert last.shape == (3,)
    after = list(model.parameters())
    for p0, p1 in zip(before, after, strict=True):
        assert torch.equal(p0[0], p1.detach()[0])  # lr 0: network 0 has not moved
        assert not torch.equal(p0[1:], p1.detach()[1:])
    final = ensemble_cross_entropy(model(x.expand(3, *x.shape)), y.expand(3, -1)).detach()
    assert final[0] == initial[0]
    assert torch.all(final[1:] < 0.5 * initial[1:])
    assert torch.all(ensemble_error(model, x, y)[1:] <= 0.02)  # the blobs barely overlap


def test_training_is_reproducible_from_the_seeds() -> None:
    x, y = _blobs(60)
    runs = []
    for _ in range(2):
        model = EnsembleMLP([2, 4, 2], "relu", [0, 1])
        train_ensemble(model, x, y, steps=5, learning_rates=[0.1, 0.2], batch_size=8,
                       optimiser="adam", seed=3)
        runs.append(torch.cat([p.detach().flatten() for p in model.parameters()]))
    assert torch.equal(runs[0], runs[1])
