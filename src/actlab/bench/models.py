"""The bench's models: a :class:`ModelConfig`, an activation and a seed -> a network.

* ``mlp`` — ``depth`` hidden layers of ``width`` units.  Its seeds (and learning
  rates) are *packed*: :class:`PackedMLP` holds S independent networks as stacked
  weights, one batched matrix product per layer for all of them (the lab's
  ``EnsembleMLP`` idea, extended to activations that shrink their axis and to
  per-layer learnable activation parameters).  With ``hidden_noise`` > 0, noise
  U[-hidden_noise, hidden_noise] is added to every hidden layer's output while
  training (one vector per network and step, drawn from the seed alone), as the
  MNIST-1D paper's activation experiment does to smooth its gradients.
* ``cnn1d`` — the MNIST-1D CNN of :func:`actlab.models.torch_builders.build_cnn`;
  packed too (:class:`~actlab.bench.packed_cnn.PackedCNN1d`) when the activation is
  elementwise with nothing to learn.
* ``cnn2d`` — a small 2-D CNN for images (digits 8×8, MNIST 28×28, CIFAR 32×32×3):
  two 3×3 convolutions of 16 and 32 channels, each followed by the activation and
  a 2×2 max-pool, then a Linear layer.
* ``factory`` — ``package.module:function``, called as
  ``function(activation, input_shape, n_outputs)`` with the activation as a torch
  module; it returns an ``nn.Module`` mapping (batch, *input_shape) to (batch, n_outputs).

Initial weights come from the seed alone (never from the activation), so where
the shapes agree every activation starts from the same weights.  The
activation's own learnable parameters (PReLU's slope, Swish's beta) start at
the catalogue's values.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from actlab.bench.activation_spec import parse_activation
from actlab.bench.config import ModelConfig
from actlab.errors import UserError

if TYPE_CHECKING:
    from torch import nn

    from actlab.catalogue import Activation

if TYPE_CHECKING:
    from actlab.bench.packed_cnn import PackedCNN1d
    from actlab.bench.packed_mlp import PackedMLP

MODEL_KINDS = ("mlp", "cnn1d", "cnn2d", "factory")
INITS = ("default", "uniform", "glorot", "glorot_normal", "he", "lecun")
# the stream of a seed's random numbers that draws the initial weights (the data
# order uses another), so init and batches are independent of each other
INIT_STREAM = 1


# --- activation ------------------------------------------------------------------------


def make_activation(spec: str) -> Activation:
    """The catalogue entry a spec such as ``"elu(alpha=0.5)"`` names; errors are UserErrors."""
    import actlab

    name, texts = parse_activation(spec)
    params = {key: _typed(raw) for key, raw in texts.items()}
    try:
        return actlab.get(name, **params)
    except KeyError as exc:  # ActivationNotFound: its message suggests close names
        raise UserError(f"activation {spec!r}: {exc.args[0] if exc.args else exc}") from None
    except (TypeError, ValueError) as exc:
        raise UserError(f"activation {spec!r}: {exc}") from None


def _typed(raw: object) -> object:
    """A parameter's text -> a number, True/False/None where it reads as one, else the text."""
    if not isinstance(raw, str):
        return raw
    lowered = raw.lower()
    if lowered in ("true", "false", "none"):
        return {"true": True, "false": False, "none": None}[lowered]
    for kind in (int, float):
        try:
            return kind(raw)
        except ValueError:
            continue
    return raw.strip("'\"")


# --- checks ----------------------------------------------------------------------------


def check_model(model: ModelConfig, input_shape: tuple[int, ...] | None = None) -> None:
    """Validate a model up front (kind, sizes, factory path, input shape when given)."""
    if model.kind not in MODEL_KINDS:
        raise UserError(f"unknown model {model.kind!r}; choose one of {', '.join(MODEL_KINDS)}")
    if model.kind == "mlp" and (model.depth < 0 or model.width < 1):
        raise UserError(f"mlp needs depth >= 0 and width >= 1, got depth={model.depth}, "
                        f"width={model.width}")
    if not (math.isfinite(model.hidden_noise) and model.hidden_noise >= 0):
        raise UserError(f"hidden_noise must be a number >= 0, got {model.hidden_noise}")
    if model.hidden_noise and model.kind != "mlp":
        raise UserError(f"only the mlp takes hidden_noise (model {model.kind})")
    if model.kind == "factory":
        load_factory(model.factory)
    elif model.factory is not None:
        raise UserError(f"model {model.kind} takes no factory (only kind=factory does)")
    if input_shape is not None:
        check_input_shape(model, input_shape)


def check_input_shape(model: ModelConfig, input_shape: tuple[int, ...]) -> None:
    """The CNNs need signals (length,) or images (channels, height, width)."""
    if model.kind == "cnn1d":
        if not (len(input_shape) == 1 or (len(input_shape) == 2 and input_shape[0] == 1)):
            raise UserError(f"cnn1d needs 1-D signals (length,), but the task's inputs are "
                            f"{input_shape}")
        from actlab.models.torch_builders import CNN_KERNELS, CNN_PADDING, CNN_STRIDE, conv_length

        length = input_shape[-1]
        for kernel in CNN_KERNELS:
            length = conv_length(length, kernel, CNN_STRIDE, CNN_PADDING)
        if length < 1:
            raise UserError(f"cnn1d's three stride-2 convolutions need longer signals than the "
                            f"task's {input_shape[-1]} values")
    if model.kind == "cnn2d" and len(input_shape) != 3:
        raise UserError(f"cnn2d needs images (channels, height, width), but the task's inputs "
                        f"are {input_shape}")


def load_factory(path: str | None) -> Callable[..., Any]:
    """``package.module:function`` -> the function; a bad path is a one-line UserError."""
    if not path or path.count(":") != 1 or not all(path.split(":")):
        raise UserError(f"model factory must be package.module:function, got {path!r}")
    module_name, function_name = path.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UserError(f"model factory {path}: cannot import {module_name} ({exc})") from None
    function = getattr(module, function_name, None)
    if function is None or not callable(function):
        raise UserError(f"model factory {path}: {module_name} has no function {function_name}")
    return function  # type: ignore[no-any-return]


# --- the packed MLP --------------------------------------------------------------------


def packable(model: ModelConfig, activation: Activation) -> bool:
    """Whether seeds of this model train together in one batched network: the MLP always,
    the MNIST-1D CNN with an elementwise activation that has nothing to learn."""
    from actlab.bench.packed_cnn import cnn1d_packable

    return model.kind == "mlp" or (model.kind == "cnn1d" and cnn1d_packable(activation))


def seeded_weights(init: str, seed: int, layer: int, shape: tuple[int, ...], fan_in: int,
                   fan_out: int) -> tuple[np.ndarray, np.ndarray]:
    """(weights of ``shape``, bias (shape[-1],)) of one layer, drawn from the seed alone.

    ``default`` is PyTorch's: weights and biases U[-1/√fan_in, 1/√fan_in]; the
    named schemes (:mod:`actlab.models.initialisers`) draw the weights and zero the biases.
    """
    from actlab.models.initialisers import initial_variance

    rng = np.random.default_rng([seed, INIT_STREAM, layer])
    if init == "default":
        bound = 1.0 / math.sqrt(fan_in)
        return rng.uniform(-bound, bound, shape), rng.uniform(-bound, bound, shape[-1])
    std = math.sqrt(initial_variance(init, fan_in, fan_out))
    if init in ("uniform", "glorot"):  # U[-a, a] has variance a²/3
        weights = rng.uniform(-math.sqrt(3.0) * std, math.sqrt(3.0) * std, shape)
    else:
        weights = rng.normal(0.0, std, shape)
    return weights, np.zeros(shape[-1])


def mlp_sizes(input_shape: tuple[int, ...], model: ModelConfig, n_outputs: int) -> list[int]:
    return [math.prod(input_shape), *[model.width] * model.depth, n_outputs]


def build_packed_mlp(model: ModelConfig, activation: Activation, input_shape: tuple[int, ...],
                     n_outputs: int, seeds: Sequence[int], init: str) -> PackedMLP:
    """S MLPs of this model, network s initialised from ``seeds[s]``, as one module."""
    from actlab.bench.packed_mlp import PackedMLP

    return PackedMLP(mlp_sizes(input_shape, model, n_outputs), activation, seeds, init,
                     hidden_noise=model.hidden_noise)


# --- one network at a time (CNNs, factories) -------------------------------------------


def build_network(model: ModelConfig, activation: Activation, input_shape: tuple[int, ...],
                  n_outputs: int, seed: int, init: str) -> nn.Module:
    """One network: (batch, *input_shape) -> (batch, n_outputs), initialised from ``seed``.

    It is built under torch's generator seeded by ``seed`` (PyTorch's default
    initialisation, the same for every activation where shapes agree); a named
    ``init`` then redraws every Linear / Conv weight from the seed and zeroes the biases.
    """
    import torch
    from torch import nn

    check_input_shape(model, input_shape)
    if model.hidden_noise:  # the bench trains every MLP packed: the noise lives there
        raise ValueError("build_network: an MLP with hidden_noise trains as a PackedMLP")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if model.kind == "cnn1d":
            net: nn.Module = _cnn1d(activation, input_shape, n_outputs, seed, init)
        elif model.kind == "cnn2d":
            net = _small_cnn2d(activation, input_shape, n_outputs)
        elif model.kind == "mlp":
            net = _plain_mlp(model, activation, input_shape, n_outputs, seed, init)
        else:
            factory = load_factory(model.factory)
            net = factory(activation.to_torch(), tuple(input_shape), n_outputs)
            if not isinstance(net, nn.Module):
                raise UserError(f"model factory {model.factory} returned "
                                f"{type(net).__name__}, not a torch.nn.Module")
    if init != "default" and model.kind not in ("mlp", "cnn1d"):
        _redraw(net, init, seed)
    return net


def _cnn1d(activation: Activation, input_shape: tuple[int, ...], n_outputs: int, seed: int,
           init: str) -> nn.Module:
    """The MNIST-1D CNN with the packed CNN's initial weights for ``seed`` (the same for
    every activation, packed or not); GLU-like entries double the channels and draw their own."""
    from torch import nn

    from actlab.bench.packed_cnn import PackedCNN1d
    from actlab.models.layer_width import width_factor
    from actlab.models.torch_builders import build_cnn

    net = nn.Sequential(nn.Flatten(start_dim=1), build_cnn(
        length=input_shape[-1], n_classes=n_outputs, activation=activation))
    if width_factor(activation) == 1:
        relu = make_activation("relu")  # a stand-in: the weights do not depend on it
        PackedCNN1d(relu, input_shape[-1], n_outputs, [seed], init).copy_network_into(0, net)
    elif init != "default":
        _redraw(net, init, seed)
    return net


def build_packed_cnn1d(activation: Activation, input_shape: tuple[int, ...], n_outputs: int,
                       seeds: Sequence[int], init: str) -> PackedCNN1d:
    """S MNIST-1D CNNs, network s initialised from ``seeds[s]`` as :func:`build_network`
    initialises one."""
    from actlab.bench.packed_cnn import PackedCNN1d

    check_input_shape(ModelConfig("cnn1d"), input_shape)
    return PackedCNN1d(activation, input_shape[-1], n_outputs, seeds, init)


def _plain_mlp(model: ModelConfig, activation: Activation, input_shape: tuple[int, ...],
               n_outputs: int, seed: int, init: str) -> nn.Module:
    """The MLP as an ordinary ``nn.Sequential`` with the packed MLP's weights for ``seed``."""
    import torch
    from torch import nn

    from actlab.models.torch_builders import build_mlp

    sizes = mlp_sizes(input_shape, model, n_outputs)
    body = build_mlp(sizes, activation)
    linears = [m for m in body if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for layer, linear in enumerate(linears):
            fan_in, fan_out = linear.in_features, linear.out_features
            w, b = seeded_weights(init, seed, layer, (fan_in, fan_out), fan_in, fan_out)
            linear.weight.copy_(torch.as_tensor(w.T))
            linear.bias.copy_(torch.as_tensor(b))
    return nn.Sequential(nn.Flatten(start_dim=1), body)


def _small_cnn2d(activation: Activation, input_shape: tuple[int, ...],
                 n_outputs: int) -> nn.Module:
    from torch import nn

    from actlab.models.layer_width import width_factor
    from actlab.models.neuron import as_activation

    channels, height, width = input_shape
    factor = width_factor(activation)
    if factor != 1:  # GLU / maxout act along the channel axis
        activation = as_activation(type(activation)(**{**dict(activation.params), "axis": 1}))
    layers: list[nn.Module] = []
    c_in = channels
    for c_out in (16, 32):
        layers += [nn.Conv2d(c_in, c_out * factor, 3, padding=1), activation.to_torch()]
        if height >= 2 and width >= 2:
            layers.append(nn.MaxPool2d(2))
            height, width = height // 2, width // 2
        c_in = c_out
    layers += [nn.Flatten(), nn.Linear(c_in * height * width, n_outputs)]
    return nn.Sequential(*layers)


def _redraw(net: nn.Module, init: str, seed: int) -> None:
    """Every Linear / Conv weight redrawn with the named scheme from the seed; biases zero."""
    import torch
    from torch import nn

    layers = [m for m in net.modules() if isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d))]
    with torch.no_grad():
        for layer, module in enumerate(layers):
            weight = module.weight
            receptive = math.prod(weight.shape[2:])
            fan_in, fan_out = weight.shape[1] * receptive, weight.shape[0] * receptive
            w, _ = seeded_weights(init, seed, layer, tuple(weight.shape), fan_in, fan_out)
            weight.copy_(torch.as_tensor(w))
            if module.bias is not None:
                module.bias.zero_()
