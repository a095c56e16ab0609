"""Rectifiers: identity for positive inputs, something cheap and bounded-below for negative ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from actlab.catalogue import numpy_fast
from actlab.catalogue.activation import Activation
from actlab.catalogue.backend import Array, Backend
from actlab.catalogue.families import Family
from actlab.catalogue.metadata import (
    Documentation,
    Equivalent,
    Kink,
    Param,
    Properties,
    Reference,
    finite,
    positive,
)
from actlab.catalogue.registry import register
from actlab.errors import InvalidValue

if TYPE_CHECKING:
    from torch import nn

INF = float("inf")
NAIR_HINTON = Reference(
    "Rectified linear units improve restricted Boltzmann machines", 2010, "Nair & Hinton"
)


def _two_slopes(props: Properties, slope: float) -> Properties:
    """x for x > 0 and slope·x below: the properties of that shape for any real slope.

    slope 1 is the identity; 0 is ReLU; a negative slope folds the left half up
    (slope -1 is |x|): not monotonic, and bounded below by 0.
    """
    if slope == 1.0:
        return props.with_changes(smoothness="Cinf")
    if slope > 0.0:
        return props
    return props.with_changes(range=(0.0, INF), monotonic=slope == 0.0, bounded_below=True,
                              saturates_left=slope == 0.0)


@register
class ReLU(Activation):
    name = "relu"
    family = Family.RECTIFIERS
    doc = Documentation(
        formula=r"\max(0, x)",
        derivative_formula=r"\begin{cases}1 & x > 0\\ 0 & x \le 0\end{cases}",
        summary="The default hidden activation: cheap, non-saturating for x > 0, "
        "sparse (exact zeros), but units can die.",
        properties=Properties(
            range=(0.0, INF),
            monotonic=True,
            smoothness="C0",
            zero_centred=False,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=0,
        ),
        references=(
            NAIR_HINTON,
            Reference("Deep sparse rectifier neural networks", 2011, "Glorot, Bordes & Bengio"),
        ),
        kinks=(Kink(at=0.0, value=0.0, derivative=0.0, note="ReLU'(0) = 0, as PyTorch"),),
        equivalents=(
            Equivalent("torch", "torch.nn.ReLU()"),
            Equivalent("keras", "keras.activations.relu"),
            Equivalent("jax", "jax.nn.relu"),
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # maximum(x, 0) keeps NaN (np.maximum and torch.clamp both propagate it)
        return xp.maximum(x, 0.0)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.keep_nan(x, xp.astype_like(x > 0, x))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.relu(x)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.step_up(x)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.ReLU()


@register
class LeakyReLU(Activation):
    name = "leaky_relu"
    family = Family.RECTIFIERS
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"lrelu": {}}
    parameters = (
        Param("negative_slope", 0.01, "slope for x < 0 (torch 0.01; Keras function 0.2, "
              "layer 0.3)"),
    )
    doc = Documentation(
        formula=r"\begin{cases}x & x \ge 0\\ s\,x & x < 0\end{cases}",
        derivative_formula=r"\begin{cases}1 & x > 0\\ s & x \le 0\end{cases}",
        summary="ReLU with a small slope for negative inputs, so that units cannot die.",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="C0",
            zero_centred=True,  # f(0) = 0 and both signs (metadata.py)
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=0,
        ),
        references=(
            Reference(
                "Rectifier nonlinearities improve neural network acoustic models",
                2013,
                "Maas, Hannun & Ng",
            ),
        ),
        kinks=(Kink(at=0.0, value=0.0, derivative=0.01,
                    note="slope s at 0 (torch's backward tests x > 0), as PyTorch"),),
        equivalents=(
            Equivalent("torch", "torch.nn.LeakyReLU(negative_slope=0.01)"),
            Equivalent("keras", "keras.activations.leaky_relu(negative_slope=0.2)",
                       "default slope 0.2 (layer LeakyReLU: 0.3)"),
            Equivalent("jax", "jax.nn.leaky_relu(negative_slope=0.01)"),
        ),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        return _two_slopes(self.doc.properties, p["negative_slope"])

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        s = p["negative_slope"]
        if 0.0 < s <= 1.0:  # s*x >= x for x < 0 (s = 0 would give 0*inf = NaN): branch-free
            return xp.maximum(x, s * x)
        return xp.where(x >= 0, x, s * x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # x > 0, not x >= 0: PyTorch returns the negative slope at 0
        # full_like: torch.where of two Python floats would be float32 whatever x is
        return xp.keep_nan(x, xp.where(x > 0, 1.0, xp.full_like(x, p["negative_slope"])))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        s = p["negative_slope"]
        return numpy_fast.two_slopes(x, s) if 0.0 < s <= 1.0 else None

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        s = p["negative_slope"]
        return numpy_fast.two_slopes_derivative(x, s) if 0.0 < s <= 1.0 else None

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.LeakyReLU(self.params["negative_slope"])


@register
class ELU(Activation):
    name = "elu"
    family = Family.RECTIFIERS
    parameters = (Param("alpha", 1.0, "value approached as x -> -inf is -alpha", positive),)
    doc = Documentation(
        formula=r"\begin{cases}x & x > 0\\ \alpha\,(e^{x} - 1) & x \le 0\end{cases}",
        derivative_formula=r"\begin{cases}1 & x > 0\\ \alpha e^{x} & x \le 0\end{cases}",
        summary="Smooth negative branch pushing mean activations towards zero; "
        "C1 only when alpha = 1.",
        properties=Properties(
            range=(-1.0, INF),  # -alpha with the default alpha = 1
            monotonic=True,
            smoothness="C1",
            zero_centred=True,  # f(0) = 0 and both signs (metadata.py)
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=1,
        ),
        references=(
            Reference(
                "Fast and accurate deep network learning by exponential linear units (ELUs)",
                2015,
                "Clevert, Unterthiner & Hochreiter",
            ),
        ),
        kinks=(
            Kink(at=0.0, value=0.0, derivative=1.0,
                 note="alpha at 0- and 1 at 0+ differ unless alpha = 1; "
                 "we return alpha*e^0 = alpha at 0, as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.ELU(alpha=1.0)"),
            Equivalent("keras", "keras.activations.elu(alpha=1.0)",
                       "derivative near 0 from e^x - 1, not expm1 (loses accuracy)"),
            Equivalent("jax", "jax.nn.elu(alpha=1.0)"),
        ),
        notes=("expm1 for the negative branch: accurate near 0, where e^x - 1 cancels; "
               "never alpha*e^x - 1 (a third-party defect that makes ELU(0) = alpha - 1).",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        # slopes alpha at 0- and 1 at 0+: continuously differentiable only for alpha = 1
        return self.doc.properties.with_changes(
            range=(-p["alpha"], INF), smoothness="C1" if p["alpha"] == 1.0 else "C0")

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x > 0, x, p["alpha"] * xp.expm1(xp.minimum(x, 0.0)))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x > 0, 1.0, p["alpha"] * xp.exp(xp.minimum(x, 0.0)))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.exp_linear(x, 1.0, p["alpha"])

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        if p["alpha"] == 1.0:  # e^min(x, 0) is 1 above 0: no jump
            return numpy_fast.exp_linear_derivative(x, 1.0)
        return numpy_fast.exp_linear_jump_derivative(x, p["alpha"], 1.0)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.ELU(self.params["alpha"])


@register
class PReLU(Activation):
    name = "prelu"
    family = Family.RECTIFIERS
    parameters = (
        Param("a", 0.25, "slope for x <= 0, learned by backprop (torch init=0.25)",
              learnable=True),
    )
    doc = Documentation(
        formula=r"\begin{cases}x & x > 0\\ a\,x & x \le 0\end{cases}\quad(a = 0.25)",
        derivative_formula=r"\frac{\partial f}{\partial x} = \begin{cases}1 & x > 0\\ a & "
        r"x \le 0\end{cases},\qquad \frac{\partial f}{\partial a} = \begin{cases}0 & x > 0\\ "
        r"x & x \le 0\end{cases}",
        summary="Leaky ReLU whose negative slope is a trained parameter (one per layer "
        "here; per channel in the paper and with torch's num_parameters).",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,  # for a >= 0
            smoothness="C0",
            zero_centred=True,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            learnable=("a",),
            cost=0,
        ),
        references=(
            Reference("Delving deep into rectifiers: surpassing human-level performance on "
                      "ImageNet classification", 2015, "He, Zhang, Ren & Sun"),
            Reference("notes D: lecture notes 'Activation function' (LReLU & PReLU, "
                      "f(x) = max(αx, x))"),
            Reference("notes A: blog post '활성화 함수란?' (prelu(x, alpha) with alpha = 0.1)",
                      2022, "하성민 (Ha Seong-min)"),
        ),
        kinks=(
            Kink(at=0.0, value=0.0, derivative=0.25,
                 note="slope a at 0 (torch's backward tests x > 0), as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.PReLU(num_parameters=1, init=0.25)",
                       "its weight is float32: call .double() for float64 input"),
            Equivalent("keras", "keras.layers.PReLU()",
                       "alpha initialised to 0 and one slope per unit by default"),
            Equivalent("seed", "notes A, C prelu(x, alpha)", "alpha = 0.1, not learned"),
        ),
        notes=("max(αx, x) (notes D) equals this only for a <= 1; the where() form holds for "
               "every a.",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        return _two_slopes(self.doc.properties, p["a"])

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # a may be a tensor (nn.Parameter): autograd then gives df/da = x for x <= 0
        return xp.where(x > 0, x, p["a"] * x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.keep_nan(x, xp.where(x > 0, 1.0, p["a"] * xp.ones_like(x)))

    # where(x > 0, x, a·x) is max(x, a·x) for 0 < a <= 1 (-0.0 and NaN included)
    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        return numpy_fast.two_slopes(x, p["a"]) if 0.0 < p["a"] <= 1.0 else None

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        a = p["a"]
        return numpy_fast.two_slopes_derivative(x, a) if 0.0 < a <= 1.0 else None

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.PReLU(num_parameters=1, init=self.params["a"])


@register
class RReLU(Activation):
    name = "rrelu"
    family = Family.RECTIFIERS
    parameters = (
        Param("lower", 1.0 / 8.0, "lower bound of the random slope", finite),
        Param("upper", 1.0 / 3.0, "upper bound of the random slope (>= lower)", finite),
    )
    doc = Documentation(
        formula=r"\begin{cases}x & x > 0\\ \tfrac{l + u}{2}\,x & x \le 0\end{cases}"
        r"\quad(\text{evaluation};\ \text{training: slope} \sim U(l, u))",
        derivative_formula=r"\begin{cases}1 & x > 0\\ \tfrac{l + u}{2} & x \le 0\end{cases}",
        summary="Randomised leaky ReLU: a random negative slope per element while training "
        "(a regulariser), its mean (lower + upper)/2 at evaluation. The NumPy reference "
        "is the evaluation mode.",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="C0",
            zero_centred=True,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=0,
        ),
        references=(
            Reference("Empirical evaluation of rectified activations in convolutional network",
                      2015, "Xu, Wang, Chen & Li"),
        ),
        kinks=(
            Kink(at=0.0, value=0.0, derivative=(1.0 / 8.0 + 1.0 / 3.0) / 2.0,
                 note="mean slope at 0 in evaluation mode, as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.RReLU(lower=1/8, upper=1/3)",
                       "to_torch() returns it: random in training mode (module.train(), the "
                       "default), equal to ours only after module.eval()"),
        ),
        notes=("The randomness lives in the PyTorch module only; the NumPy reference and "
               "its derivative are deterministic (evaluation mode).",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        # evaluation mode, the function the NumPy reference computes
        return _two_slopes(self.doc.properties, 0.5 * (p["lower"] + p["upper"]))

    def _validate(self, params: dict[str, Any]) -> None:
        if not params["lower"] <= params["upper"]:
            raise InvalidValue(
                f"rrelu: lower={params['lower']!r} must be <= upper={params['upper']!r}"
            )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        slope = 0.5 * (p["lower"] + p["upper"])
        return xp.where(x > 0, x, slope * x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        slope = 0.5 * (p["lower"] + p["upper"])
        return xp.keep_nan(x, xp.where(x > 0, 1.0, slope * xp.ones_like(x)))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        slope = 0.5 * (p["lower"] + p["upper"])
        return numpy_fast.two_slopes(x, slope) if 0.0 < slope <= 1.0 else None

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        slope = 0.5 * (p["lower"] + p["upper"])
        return numpy_fast.two_slopes_derivative(x, slope) if 0.0 < slope <= 1.0 else None

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.RReLU(self.params["lower"], self.params["upper"])


# The fixed point constants of Klambauer et al. (2017), to the precision of PyTorch's source.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


@register
class SELU(Activation):
    name = "selu"
    family = Family.RECTIFIERS
    parameters = (
        Param("alpha", SELU_ALPHA, "ELU alpha (1.6732632423543772848170429916717)", positive),
        Param("scale", SELU_SCALE, "lambda, the output scale "
              "(1.0507009873554804934193349852946)", positive),
    )
    doc = Documentation(
        formula=r"\lambda\begin{cases}x & x > 0\\ \alpha\,(e^{x} - 1) & x \le 0\end{cases}"
        r"\quad(\alpha \approx 1.67326,\ \lambda \approx 1.05070)",
        derivative_formula=r"\lambda\begin{cases}1 & x > 0\\ \alpha e^{x} & x \le 0"
        r"\end{cases}",
        summary="Scaled ELU whose constants make zero mean and unit variance a stable fixed "
        "point of deep fully-connected nets (self-normalising, with LeCun-normal init and "
        "alpha-dropout).",
        properties=Properties(
            range=(-SELU_SCALE * SELU_ALPHA, INF),
            monotonic=True,
            smoothness="C0",  # slopes lambda*alpha and lambda meet at 0
            zero_centred=True,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=1,
        ),
        references=(
            Reference("Self-normalizing neural networks", 2017,
                      "Klambauer, Unterthiner, Mayr & Hochreiter"),
            Reference("notes D: lecture notes 'Activation function' (SELU: "
                      "λ(αe^x − α) for x <= 0)"),
        ),
        kinks=(
            Kink(at=0.0, value=0.0, derivative=SELU_SCALE * SELU_ALPHA,
                 note="one-sided slopes lambda*alpha and lambda; lambda*alpha at 0, "
                 "as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.SELU()", "constants fixed (no parameters)"),
            Equivalent("keras", "keras.activations.selu",
                       "negative branch from e^x - 1 (inaccurate near 0)"),
            Equivalent("jax", "jax.nn.selu"),
        ),
        notes=("expm1 for the negative branch: accurate near 0, where λα(e^x - 1) cancels.",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        # slopes lambda*alpha at 0- and lambda at 0+: C1 only for alpha = 1
        return self.doc.properties.with_changes(
            range=(-p["scale"] * p["alpha"], INF),
            smoothness="C1" if p["alpha"] == 1.0 else "C0")

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        scale = p["scale"]
        neg = (scale * p["alpha"]) * xp.expm1(xp.minimum(x, 0.0))
        return xp.where(x > 0, scale * x, neg)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        neg = (p["scale"] * p["alpha"]) * xp.exp(xp.minimum(x, 0.0))
        return xp.where(x > 0, p["scale"], neg)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.exp_linear(x, 1.0, p["scale"] * p["alpha"], p["scale"])

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.exp_linear_jump_derivative(x, p["scale"] * p["alpha"], p["scale"])

    def torch_native(self) -> nn.Module | None:
        from torch import nn

        is_standard = self.params["alpha"] == SELU_ALPHA and self.params["scale"] == SELU_SCALE
        return nn.SELU() if is_standard else None


@register
class CELU(Activation):
    name = "celu"
    family = Family.RECTIFIERS
    parameters = (Param("alpha", 1.0, "value approached as x -> -inf is -alpha", positive),)
    doc = Documentation(
        formula=r"\max(0, x) + \min\!\left(0,\ \alpha\,(e^{x/\alpha} - 1)\right)",
        derivative_formula=r"\begin{cases}1 & x > 0\\ e^{x/\alpha} & x \le 0\end{cases}",
        summary="ELU reparametrised so that it is C1 for every alpha (slope 1 on both "
        "sides of 0) and scale-consistent in alpha.",
        properties=Properties(
            range=(-1.0, INF),  # -alpha with the default alpha = 1
            monotonic=True,
            smoothness="C1",
            zero_centred=True,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=1,
        ),
        references=(Reference("Continuously differentiable exponential linear units", 2017,
                              "Barron"),),
        equivalents=(
            Equivalent("torch", "torch.nn.CELU(alpha=1.0)"),
            Equivalent("keras", "keras.activations.celu(alpha=1.0)"),
            Equivalent("jax", "jax.nn.celu(alpha=1.0)"),
        ),
        notes=("expm1 for the negative branch, accurate near 0; no kink: the derivative is "
               "1 on both sides of 0 (PyTorch returns 1 there too).",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        return self.doc.properties.with_changes(range=(-p["alpha"], INF))

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        alpha = p["alpha"]
        return xp.where(x > 0, x, alpha * xp.expm1(xp.minimum(x, 0.0) / alpha))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x > 0, 1.0, xp.exp(xp.minimum(x, 0.0) / p["alpha"]))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.exp_linear(x, p["alpha"], p["alpha"])

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.exp_linear_derivative(x, p["alpha"])

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.CELU(self.params["alpha"])


@register
class ReLUSquared(Activation):
    name = "relu_squared"
    family = Family.RECTIFIERS
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"squared_relu": {}, "relu2": {}}
    doc = Documentation(
        formula=r"\max(0, x)^2",
        derivative_formula=r"2\max(0, x)",
        summary="Squared ReLU, found by architecture search for Transformer feed-forward "
        "layers (Primer); C1, zero for x <= 0.",
        properties=Properties(
            range=(0.0, INF),
            monotonic=True,
            smoothness="C1",
            zero_centred=False,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=0,
        ),
        references=(
            Reference("Primer: searching for efficient transformers for language modeling",
                      2021, "So, Mańke, Liu, Dai, Shazeer & Le"),
        ),
        equivalents=(
            Equivalent("torch", "torch.square(torch.relu(x))", "no module"),
        ),
        notes=("No kink: value and slope are 0 on both sides of 0. Overflows to inf only "
               "where the true square exceeds the float range.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        r = xp.maximum(x, 0.0)  # keeps NaN
        return r * r

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return 2.0 * xp.maximum(x, 0.0)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        r = x.clip(0.0, INF, out=np.empty_like(x))  # -0.0 squares to +0.0
        with np.errstate(over="ignore"):  # x² beyond the float range is inf
            return np.multiply(r, r, out=r)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        r = numpy_fast.relu(x)
        with np.errstate(over="ignore"):
            return np.multiply(r, 2.0, out=r)
