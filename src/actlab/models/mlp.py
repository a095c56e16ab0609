"""A multilayer perceptron in NumPy with hand-written backpropagation.

This is the training loop of notes D (``z1 = X·w1; a1 = σ(z1); ...;
d1 = d2·w2ᵀ·a1(1-a1)``) made general and correct: any catalogue entry in any
layer, the derivative taken from the catalogue (``grad`` of the *pre-activation*
z, so GELU and Mish fit, not only σ written through its output), biases, a
mean-reduced loss, mini-batches and a choice of optimiser and initialiser.

Layer l computes z_l = a_{l-1}·W_l + b_l and a_l = h_l(z_l), with W_l of shape
(fan_in, fan_out).  Backward, with δ_l = ∂L/∂z_l:

    ∂L/∂W_l = a_{l-1}ᵀ·δ_l,   ∂L/∂b_l = Σ_rows δ_l,
    δ_{l-1} = h'_{l-1}(z_{l-1}) ⊙ (δ_l·W_lᵀ)        (elementwise h)
    δ_{l-1} = vjp_{h_{l-1}}(z_{l-1}, δ_l·W_lᵀ)       (vector-valued h, e.g. softmax)

With ``loss="softmax_cross_entropy"`` the last layer's z are the logits and
δ = (softmax(z) - onehot(y))/n, the fused, stable gradient.

Speed: the per-step cost matters (the gates experiment trains thousands of
steps on 4 samples), so the layers call the entries' back-end formulas
(``act.forward(z, act.params, NUMPY)`` and ``act.grad``) directly inside one
``np.errstate`` block instead of the public ``act(z)``, which re-checks dtypes
and opens an errstate per call (the piecewise-linear entries' NumPy fast paths,
``numpy_forward`` and ``numpy_grad``, first).  Inputs are already float arrays of the
network's dtype, which is all the public wrapper would ensure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from actlab.catalogue import Activation
from actlab.catalogue.backend import NUMPY
from actlab.models.initialisers import initialise
from actlab.models.layer_width import width_factor
from actlab.models.losses import LOSSES, mse, softmax_cross_entropy
from actlab.models.neuron import as_activation
from actlab.models.optimisers import SGD, Adam, Momentum, make_optimiser

ActivationSpec = str | Activation
ProgressFn = Callable[[float, str], None]

_IDENTITY = "identity"
# the output activations a softmax-cross-entropy head may name: its logits are z either way
_LOGIT_HEADS = ("identity", "softmax")


class _Layer:
    """How one layer applies and differentiates its activation (chosen once, not per step).

    ``factor`` > 1 for entries that shrink the axis (GLU family, maxout): the layer
    then has width·factor pre-activations, as in :func:`~actlab.models.torch_builders.build_mlp`.
    """

    def __init__(self, act: Activation) -> None:
        self.act = act
        self.params = act.params
        self.is_identity = act.name == _IDENTITY
        self.elementwise = act.elementwise
        self.factor = width_factor(act)

    def forward(self, z: np.ndarray) -> np.ndarray:
        if self.is_identity:
            return z
        a = self.act.numpy_forward(z, self.params)  # the entry's NumPy fast path, if any
        if a is None:
            a = self.act.forward(z, self.params, NUMPY)
        return a if a.dtype == z.dtype else a.astype(z.dtype)

    def backward(self, z: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        if self.is_identity:
            return grad_a
        if self.elementwise:
            slope = self.act.numpy_grad(z, self.params)
            if slope is None:
                slope = self.act.grad(z, self.params, NUMPY)
            return grad_a * slope
        return self.act.vjp_(z, grad_a, self.params, NUMPY)


class MLP:
    """A fully connected network trained by hand-written backprop (see the module docstring).

    ``activation`` is one entry for every hidden layer or a sequence with one
    per hidden layer; entries with learnable parameters use their values as
    constants; entries that shrink their axis (GLU family, maxout) get a layer
    that many times wider before them.  Weights start from ``init`` (see
    :mod:`actlab.models.initialisers`); biases start at 0.

    >>> from actlab.data import gate
    >>> X, y = gate("xor")
    >>> net = MLP([2, 2, 1], activation="sigmoid", optimiser="adam", learning_rate=0.05)
    >>> losses = net.fit(X, y, epochs=2000)
    >>> net.score(X, y)
    1.0
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: ActivationSpec | Sequence[ActivationSpec] = "relu",
        output_activation: ActivationSpec | None = "identity",
        loss: str = "mse",
        optimiser: str | SGD | Momentum | Adam = "sgd",
        learning_rate: float = 0.1,
        init: str = "glorot",
        seed: int = 0,
        dtype: Any = np.float64,
    ) -> None:
        self.sizes = [int(s) for s in sizes]
        if len(self.sizes) < 2 or min(self.sizes) < 1:
            raise ValueError(f"sizes must list >= 2 layer widths, each >= 1; got {list(sizes)}")
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
        self.loss = loss

        n_hidden = len(self.sizes) - 2
        if isinstance(activation, (str, Activation)):
            hidden = [as_activation(activation)] * n_hidden
        else:
            hidden = [as_activation(a) for a in activation]
            if len(hidden) != n_hidden:
                raise ValueError(
                    f"{len(hidden)} activations given for {n_hidden} hidden layers"
                )
        out_act = as_activation(_IDENTITY if output_activation is None else output_activation)
        if loss == "softmax_cross_entropy" and out_act.name not in _LOGIT_HEADS:
            raise ValueError(
                "softmax_cross_entropy takes the logits: output_activation must be "
                f"'identity' or 'softmax', got {out_act.name!r}"
            )
        self.activations = [*hidden, out_act]
        self._layers = [_Layer(act) for act in self.activations]
        # pre-activation width of each layer: its output width times the shrink factor
        self._z_widths = [
            width * layer.factor for width, layer in zip(self.sizes[1:], self._layers, strict=True)
        ]

        rng = np.random.default_rng(seed)
        weights = [
            initialise(init, fan_in, fan_out, rng)
            for fan_in, fan_out in zip(self.sizes[:-1], self._z_widths, strict=True)
        ]
        biases = [np.zeros(width) for width in self._z_widths]
        self._pack(weights, biases)
        self.optimiser = (
            make_optimiser(optimiser, learning_rate) if isinstance(optimiser, str) else optimiser
        )

    # --- parameters live in one flat buffer ----------------------------------------------
    # weights_[i] and biases_[i] are views into one vector (and their gradients into
    # another), so that an optimiser step is a handful of array operations on one
    # array, not a handful per layer: on tiny nets that per-call overhead dominates.
    def _pack(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        shapes = [s for w, b in zip(weights, biases, strict=True) for s in (w.shape, b.shape)]
        total = sum(int(np.prod(shape)) for shape in shapes)
        self._flat = np.empty(total, dtype=self.dtype)
        self._flat_grad = np.zeros(total, dtype=self.dtype)
        views, grad_views, offset = [], [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            views.append(self._flat[offset : offset + size].reshape(shape))
            grad_views.append(self._flat_grad[offset : offset + size].reshape(shape))
            offset += size
        values = [p for pair in zip(weights, biases, strict=True) for p in pair]
        for view, value in zip(views, values, strict=True):
            view[...] = value
        self.weights_ = views[0::2]
        self.biases_ = views[1::2]
        self._grads_w = grad_views[0::2]
        self._grads_b = grad_views[1::2]
        self._views = views

    def _sync(self) -> None:
        """Re-pack if a user replaced an array in weights_ or biases_ (not just edited it)."""
        views = self._views
        if any(a is not v for a, v in zip(self.weights_, views[0::2], strict=True)) or any(
            a is not v for a, v in zip(self.biases_, views[1::2], strict=True)
        ):
            weights = [np.asarray(w, dtype=self.dtype) for w in self.weights_]
            biases = [np.asarray(b, dtype=self.dtype) for b in self.biases_]
            expected = list(zip(self.sizes[:-1], self._z_widths, strict=True))
            if [w.shape for w in weights] != expected or [b.shape for b in biases] != [
                (n,) for n in self._z_widths
            ]:
                raise ValueError("weights_/biases_ were replaced by arrays of the wrong shapes")
            self._pack(weights, biases)

    # --- shapes and bookkeeping --------------------------------------------------------
    @property
    def n_parameters(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights_, self.biases_, strict=True))

    @property
    def flat_parameters(self) -> np.ndarray:
        """Every weight and bias in one vector [W1, b1, W2, b2, ...] (a view: edits stick)."""
        self._sync()
        return self._flat

    def _inputs(self, X: Any) -> np.ndarray:
        X = np.asarray(X, dtype=self.dtype)
        if X.ndim == 1 and self.sizes[0] == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (n, {self.sizes[0]}), got {X.shape}")
        return X

    def _targets(self, Y: Any, n: int) -> np.ndarray:
        if self.loss == "softmax_cross_entropy":
            labels = np.asarray(Y)
            if labels.shape != (n,):
                raise ValueError(f"labels must have shape ({n},), got {labels.shape}")
            labels = labels.astype(np.int64)
            if labels.min(initial=0) < 0 or labels.max(initial=0) >= self.sizes[-1]:
                raise ValueError(f"labels must be integers in [0, {self.sizes[-1]})")
            return labels
        Y = np.asarray(Y, dtype=self.dtype)
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y[:, None]
        if Y.shape != (n, self.sizes[-1]):
            raise ValueError(f"Y must have shape ({n}, {self.sizes[-1]}), got {Y.shape}")
        return Y

    # --- forward and backward ----------------------------------------------------------
    def _forward(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Pre-activations z_1..z_L and activations a_0 = X, a_1..a_L."""
        zs: list[np.ndarray] = []
        activations = [X]
        a = X
        for W, b, layer in zip(self.weights_, self.biases_, self._layers, strict=True):
            z = a @ W
            z += b
            a = layer.forward(z)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def layer_outputs(self, X: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(pre-activations per layer, activations per layer incl. the input): for diagnostics."""
        with np.errstate(all="ignore"):
            return self._forward(self._inputs(X))

    def forward(self, X: Any) -> np.ndarray:
        """The network's output (logits, or probabilities with a softmax head)."""
        with np.errstate(all="ignore"):
            return self._forward(self._inputs(X))[1][-1]

    def _backward(
        self, X: np.ndarray, Y: np.ndarray
    ) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """Loss and gradients, written into the gradient buffer (views returned)."""
        zs, activations = self._forward(X)
        if self.loss == "softmax_cross_entropy":
            loss, delta = softmax_cross_entropy(zs[-1], Y)  # fused with the softmax
        else:
            loss, grad_out = mse(activations[-1], Y)
            delta = self._layers[-1].backward(zs[-1], grad_out)
        grads_w, grads_b = self._grads_w, self._grads_b
        for i in range(len(grads_w) - 1, -1, -1):
            np.matmul(activations[i].T, delta, out=grads_w[i])
            np.add.reduce(delta, axis=0, out=grads_b[i])
            if i > 0:
                delta = self._layers[i - 1].backward(zs[i - 1], delta @ self.weights_[i].T)
        return loss, grads_w, grads_b

    def gradients(self, X: Any, Y: Any) -> tuple[float, list[np.ndarray], list[np.ndarray]]:
        """(loss, ∂L/∂W per layer, ∂L/∂b per layer) at the current weights."""
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        self._sync()
        with np.errstate(all="ignore"):
            loss, grads_w, grads_b = self._backward(X, Y)
        return loss, [g.copy() for g in grads_w], [g.copy() for g in grads_b]

    def loss_value(self, X: Any, Y: Any) -> float:
        """The loss at the current weights, without a step."""
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        with np.errstate(all="ignore"):
            zs, activations = self._forward(X)
        if self.loss == "softmax_cross_entropy":
            return softmax_cross_entropy(zs[-1], Y)[0]
        return mse(activations[-1], Y)[0]

    # --- training ----------------------------------------------------------------------
    def _step(self, X: np.ndarray, Y: np.ndarray) -> float:
        loss = self._backward(X, Y)[0]
        self.optimiser.step([self._flat], [self._flat_grad])
        return loss

    def step(self, X: Any, Y: Any) -> float:
        """One optimiser step on (X, Y); returns the loss before the step."""
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        self._sync()
        with np.errstate(all="ignore"):
            return self._step(X, Y)

    def fit(
        self,
        X: Any,
        Y: Any,
        epochs: int,
        batch_size: int | None = None,
        seed: int = 0,
        progress: ProgressFn | None = None,
        callback: Callable[[int, MLP], None] | None = None,
    ) -> list[float]:
        """Train for ``epochs`` passes; returns the mean training loss of each epoch.

        ``batch_size=None`` is full-batch gradient descent; otherwise the samples
        are reshuffled every epoch (seeded).  ``progress(fraction, message)`` is
        called about a hundred times; ``callback(epoch, self)`` after every epoch.
        """
        X = self._inputs(X)
        Y = self._targets(Y, X.shape[0])
        n = X.shape[0]
        rng = np.random.default_rng(seed)
        full_batch = batch_size is None or batch_size >= n
        if batch_size is not None and batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        report_every = max(1, epochs // 100)
        self._sync()
        history: list[float] = []
        with np.errstate(all="ignore"):
            for epoch in range(epochs):
                if full_batch:
                    epoch_loss = self._step(X, Y)
                else:
                    order = rng.permutation(n)
                    total = 0.0
                    for start in range(0, n, batch_size):  # type: ignore[arg-type]
                        idx = order[start : start + batch_size]  # type: ignore[operator]
                        total += self._step(X[idx], Y[idx]) * len(idx)
                    epoch_loss = total / n
                history.append(epoch_loss)
                if callback is not None:
                    callback(epoch, self)
                    self._sync()  # in case the callback replaced weights
                if progress is not None and (epoch + 1) % report_every == 0:
                    message = f"epoch {epoch + 1}/{epochs} loss {epoch_loss:.4g}"
                    progress((epoch + 1) / epochs, message)
        return history

    # --- prediction --------------------------------------------------------------------
    def predict(self, X: Any) -> np.ndarray:
        """Class labels for a softmax-cross-entropy net; the output itself for an MSE net."""
        out = self.forward(X)
        if self.loss == "softmax_cross_entropy":
            return out.argmax(axis=1)
        return out

    def score(self, X: Any, y: Any, threshold: float = 0.5) -> float:
        """Accuracy against integer labels.

        Several outputs: the label is the argmax.  One output (an MSE net on 0/1
        targets, like the gates): the label is 1 where the output is >= ``threshold``.
        """
        out = self.forward(X)
        y = np.asarray(y).reshape(-1)
        if out.shape[1] == 1:
            pred = (out[:, 0] >= threshold).astype(np.int64)
        else:
            pred = out.argmax(axis=1)
        return float(np.mean(pred == y))

    def __repr__(self) -> str:
        names = [a.name for a in self.activations]
        return f"MLP(sizes={self.sizes}, activations={names}, loss={self.loss!r})"
