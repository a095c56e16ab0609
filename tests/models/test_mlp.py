"""The NumPy MLP: a step worked by hand, XOR, and gradients equal to torch autograd's."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import actlab
from actlab.catalogue.backend import torch_backend
from actlab.data import gate
from actlab.models import MLP


def _sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def test_one_sgd_step_worked_by_hand() -> None:
    """2-2-1 sigmoid net, one sample, MSE, lr 0.5: every number from explicit formulas."""
    w1 = [[0.15, 0.25], [0.20, 0.30]]  # w1[i][j]: input i -> hidden j
    b1 = [0.35, -0.10]
    w2 = [0.40, -0.45]  # hidden j -> output
    b2 = 0.60
    x = [0.05, 0.10]
    t = 0.01
    lr = 0.5

    h = [_sigmoid(x[0] * w1[0][j] + x[1] * w1[1][j] + b1[j]) for j in range(2)]
    o = _sigmoid(h[0] * w2[0] + h[1] * w2[1] + b2)
    loss = (o - t) ** 2
    delta_o = 2.0 * (o - t) * o * (1.0 - o)  # dL/dz_out
    g_w2 = [delta_o * h[j] for j in range(2)]
    g_b2 = delta_o
    delta_h = [delta_o * w2[j] * h[j] * (1.0 - h[j]) for j in range(2)]
    g_w1 = [[x[i] * delta_h[j] for j in range(2)] for i in range(2)]
    g_b1 = delta_h

    net = MLP([2, 2, 1], activation="sigmoid", output_activation="sigmoid",
              optimiser="sgd", learning_rate=lr)
    net.weights_[0][...] = w1
    net.biases_[0][...] = b1
    net.weights_[1][...] = np.array(w2)[:, None]
    net.biases_[1][...] = b2
    got = net.step([x], [t])

    assert got == pytest.approx(loss, rel=1e-14)
    np.testing.assert_allclose(net.weights_[0], np.array(w1) - lr * np.array(g_w1), rtol=1e-14)
    np.testing.assert_allclose(net.biases_[0], np.array(b1) - lr * np.array(g_b1), rtol=1e-14)
    np.testing.assert_allclose(net.weights_[1][:, 0], np.array(w2) - lr * np.array(g_w2),
                               rtol=1e-14)
    assert net.biases_[1][0] == pytest.approx(b2 - lr * g_b2, rel=1e-14)


def test_xor_learnt_by_two_sigmoid_hidden_units() -> None:
    """The seeds' network: 2 sigmoid hidden units and a linear output solve XOR."""
    X, y = gate("xor")
    net = MLP([2, 2, 1], activation="sigmoid", output_activation="identity",
              optimiser="adam", learning_rate=0.05, seed=0)
    losses = net.fit(X, y, epochs=2000)
    assert net.score(X, y) == 1.0
    assert losses[-1] < 1e-3 < losses[0]
    np.testing.assert_allclose(net.forward(X)[:, 0], y, atol=0.1)


def test_single_sigmoid_neuron_cannot_learn_xor() -> None:
    X, y = gate("xor")
    net = MLP([2, 1], output_activation="sigmoid", optimiser="adam", learning_rate=0.05)
    net.fit(X, y, epochs=1000)
    assert net.score(X, y) <= 0.75


def test_softmax_classifier_learns_and_predicts_labels() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2)) + np.repeat([[3, 0], [-3, 0], [0, 3]], 20, axis=0)
    y = np.repeat([0, 1, 2], 20)
    net = MLP([2, 8, 3], "tanh", loss="softmax_cross_entropy", optimiser="adam",
              learning_rate=0.05)
    net.fit(X, y, epochs=200, batch_size=16, seed=1)
    assert net.score(X, y) > 0.95
    assert net.predict(X).shape == (60,)


def test_fit_is_deterministic_and_minibatches_cover_the_data() -> None:
    X, y = gate("or")
    runs = [MLP([2, 3, 1], "tanh", seed=3).fit(X, y, epochs=20, batch_size=3, seed=5)
            for _ in range(2)]
    assert runs[0] == runs[1]
    assert len(runs[0]) == 20


def test_progress_and_callback_are_called() -> None:
    X, y = gate("and")
    seen: list[float] = []
    epochs: list[int] = []
    MLP([2, 2, 1]).fit(X, y, epochs=300, progress=lambda f, msg: seen.append(f),
                        callback=lambda e, net: epochs.append(e))
    assert seen[-1] == 1.0 and len(seen) <= 101
    assert epochs == list(range(300))


def test_replaced_weight_arrays_are_used_by_training() -> None:
    X, y = gate("and")
    net = MLP([2, 2, 1], "relu")
    net.weights_[0] = np.zeros((2, 2))  # replaced, not edited in place
    _, gw, _ = net.gradients(X, y)
    assert np.all(gw[0] == 0)  # zero first layer and ReLU'(0) = 0: no gradient reaches it
    net.step(X, y)
    assert net.weights_[0] is net._views[0]


def test_float32_network_stays_float32() -> None:
    X, y = gate("xor")
    net = MLP([2, 4, 1], "tanh", dtype=np.float32, optimiser="adam", learning_rate=0.05)
    net.fit(X, y, epochs=10)
    assert net.forward(X).dtype == np.float32
    assert all(w.dtype == np.float32 for w in net.weights_)


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="hidden layers"):
        MLP([2, 3, 3, 1], activation=["relu"])
    with pytest.raises(ValueError, match="logits"):
        MLP([2, 3], loss="softmax_cross_entropy", output_activation="sigmoid")
    with pytest.raises(ValueError, match="shape"):
        MLP([2, 1]).step(np.zeros((3, 5)), np.zeros(3))
    with pytest.raises(KeyError):
        MLP([2, 1], activation="relu_please")


def test_n_parameters() -> None:
    assert MLP([40, 100, 100, 10]).n_parameters == 15210  # Greydanus's MLP, docs/sources.md


def test_shrinking_activations_get_wider_layers() -> None:
    """GLU halves its axis, maxout (pieces=3) divides it by 3: the layers before widen."""
    net = MLP([2, 4, 1], activation="glu")
    assert net.weights_[0].shape == (2, 8) and net.forward(np.zeros((5, 2))).shape == (5, 1)
    net = MLP([2, 4, 1], activation=actlab.get("maxout", pieces=3))
    assert net.weights_[0].shape == (2, 12) and net.n_parameters == 2 * 12 + 12 + 4 + 1


# --- gradients against torch autograd ------------------------------------------------

ELEMENTWISE = [n for n in actlab.names() if actlab.get(n).elementwise]


VECTOR_VALUED = [n for n in actlab.names() if not actlab.get(n).elementwise]


def _torch_params(act: actlab.Activation) -> dict[str, object]:
    """Parameters as the torch back end sees them: learnable ones as (constant) tensors."""
    learnable = {spec.name for spec in act.parameters if spec.learnable}
    return {
        k: torch.tensor(v, dtype=torch.float64) if k in learnable else v
        for k, v in act.params.items()
    }


def _torch_gradients(net: MLP, X: np.ndarray, Y: np.ndarray) -> tuple[float, list[np.ndarray]]:
    """Loss and gradients by torch autograd through each entry's forward formula."""
    backend = torch_backend()
    Ws = [torch.tensor(w, requires_grad=True) for w in net.weights_]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases_]
    a = torch.tensor(X)
    z = a
    for W, b, act in zip(Ws, bs, net.activations, strict=True):
        z = a @ W + b
        a = act.forward(z, _torch_params(act), backend)
    if net.loss == "softmax_cross_entropy":
        loss = torch.nn.functional.cross_entropy(z, torch.tensor(Y))
    else:
        loss = ((a - torch.tensor(Y)) ** 2).mean()
    grads = torch.autograd.grad(loss, Ws + bs, allow_unused=True)
    params = Ws + bs
    return float(loss.detach()), [
        np.zeros(p.shape) if g is None else g.numpy() for g, p in zip(grads, params, strict=True)
    ]


def _compare(net: MLP, X: np.ndarray, Y: np.ndarray) -> None:
    loss, gw, gb = net.gradients(X, Y)
    t_loss, t_grads = _torch_gradients(net, X, Y)
    assert np.isfinite(loss)
    assert loss == pytest.approx(t_loss, rel=1e-10, abs=1e-300)
    for ours, theirs in zip(gw + gb, t_grads, strict=True):
        scale = float(np.max(np.abs(theirs), initial=0.0))
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12 + 1e-10 * scale)


def _positive_domain(name: str) -> bool:
    """Entries defined for x > 0 only (log1mexp) are NaN at negative inputs."""
    return bool(np.isnan(actlab.get(name)(-0.5)))


def _net_and_data(
    hidden: str, output: str, loss: str = "mse", seed: int = 0, positive: bool = False
) -> tuple[MLP, np.ndarray, np.ndarray]:
    """A 3-5-3 net with random weights and biases; ``positive``: every z > 0."""
    rng = np.random.default_rng(seed)
    net = MLP([3, 5, 3], activation=hidden, output_activation=output, loss=loss, seed=seed)
    X = rng.normal(size=(7, 3))
    for b in net.biases_:
        b[...] = rng.normal(scale=0.3, size=b.shape)
    if positive:
        X = np.abs(X) + 0.1
        for w, b in zip(net.weights_, net.biases_, strict=True):
            np.abs(w, out=w)
            b[...] = np.abs(b) + 0.1
    Y = rng.integers(0, 3, 7) if loss == "softmax_cross_entropy" else rng.normal(size=(7, 3))
    return net, X, Y


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_gradients_equal_torch_autograd_for_every_elementwise_entry(name: str) -> None:
    if _positive_domain(name):
        # log1mexp maps x > 0 to negative values: hidden layer with an identity head,
        # and a softplus hidden layer (positive outputs) feeding it at the head
        _compare(*_net_and_data(name, "identity", positive=True))
        _compare(*_net_and_data("softplus", name, positive=True))
    else:
        _compare(*_net_and_data(name, name))  # the entry in the hidden layer and at the output


@pytest.mark.parametrize("name", VECTOR_VALUED)
def test_gradients_equal_torch_autograd_for_vector_valued_entries(name: str) -> None:
    net, X, Y = _net_and_data("tanh", name)  # at the output (MSE), through vjp
    _compare(net, X, Y)
    net, X, Y = _net_and_data(name, "identity")  # and as hidden layers
    _compare(net, X, Y)


@pytest.mark.parametrize("head", ["identity", "softmax"])
def test_softmax_cross_entropy_gradients_equal_torch(head: str) -> None:
    net, X, Y = _net_and_data("gelu", head, loss="softmax_cross_entropy")
    _compare(net, X, Y)


def test_mixed_activations_per_layer_equal_torch() -> None:
    rng = np.random.default_rng(1)
    net = MLP([3, 4, 4, 4, 2], activation=["elu", "sigmoid", "leaky_relu"],
              output_activation="tanh")
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    _compare(net, X, Y)


def test_softmax_cross_entropy_is_stable_for_huge_logits() -> None:
    net = MLP([1, 2], loss="softmax_cross_entropy")
    net.weights_[0][...] = [[1e4, -1e4]]
    loss, gw, gb = net.gradients([[1.0], [-1.0]], [0, 0])
    assert np.isfinite(loss) and loss == pytest.approx(1e4, rel=1e-12)
    assert np.all(np.isfinite(gw[0])) and np.all(np.isfinite(gb[0]))
