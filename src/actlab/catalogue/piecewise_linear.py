"""Linear and piecewise-polynomial activations: clips, hard approximations, shrinks.

Everything here is built from comparisons, additions and one or two
multiplications, so no input can overflow an intermediate (products are
arranged so that x is multiplied by a factor in [0, 1] last, never x·6/6).

Kink convention: at a corner of a clip the derivative is 0, as PyTorch's
Hardtanh, ReLU6, Hardsigmoid, Hardswish and the shrinks return (their
backward masks are open intervals); hard_mish follows timm, its source.
NaN in gives NaN out, also for the derivative (a bare ``where(x > a, ...)``
would send NaN to the else branch).
"""

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
    non_negative,
)
from actlab.catalogue.registry import register
from actlab.errors import InvalidValue

if TYPE_CHECKING:
    import torch
    from torch import nn

INF = float("inf")
SEED_002 = Reference(
    "notes C: study notes 'Activation function' (binary step, linear activation, "
    "the collapse of stacked linear layers)"
)
SEED_003 = Reference(
    "notes D: lecture notes 'Activation function' (table of activations: linear, "
    "piece-wise linear for the SVM)"
)
MOBILENET_V3 = Reference("Searching for MobileNetV3", 2019, "Howard et al.")
KERAS_JAX = "Keras 3 / JAX"


def _inside(x: Array, lo: float, hi: float, slope: float, xp: Backend,
            g: Array | None = None) -> Array:
    """slope on the open interval (lo, hi), 0 outside and at the corners; NaN -> NaN;
    times g when given (a ramp's vector-Jacobian product: on PyTorch one fresh tensor
    fewer than g times the derivative)."""
    return xp.inside(x, lo, hi, slope, g)


def _corner_kinks(lo: float, hi: float, f_lo: float, f_hi: float) -> tuple[Kink, Kink]:
    note = "derivative 0 at the corner, as PyTorch's hard functions"
    return (
        Kink(at=lo, value=f_lo, derivative=0.0, note=note),
        Kink(at=hi, value=f_hi, derivative=0.0, note=note),
    )


@register
class Identity(Activation):
    name = "identity"
    family = Family.PIECEWISE_LINEAR
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"linear": {}}
    doc = Documentation(
        formula=r"x",
        derivative_formula=r"1",
        summary="No non-linearity: stacked linear layers with it collapse to one linear map "
        "(notes C); used for regression outputs (Adaline, linear regression).",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=0,
        ),
        references=(SEED_002, SEED_003, Reference("Adaptive switching circuits (Adaline)",
                                                  1960, "Widrow & Hoff")),
        equivalents=(
            Equivalent("torch", "torch.nn.Identity()"),
            Equivalent("keras", "keras.activations.linear"),
            Equivalent("jax", "jax.nn.identity"),
            Equivalent("tf_playground", "Linear"),
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return x

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.keep_nan(x, xp.ones_like(x))

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.restore_nan(x, np.ones_like(x))

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Identity()


@register
class PiecewiseLinear(Activation):
    name = "piecewise_linear"
    family = Family.PIECEWISE_LINEAR
    doc = Documentation(
        formula=r"\begin{cases}0 & x \le -\tfrac12\\ x + \tfrac12 & -\tfrac12 < x < \tfrac12"
        r"\\ 1 & x \ge \tfrac12\end{cases}",
        derivative_formula=r"\begin{cases}1 & |x| < \tfrac12\\ 0 & |x| \ge \tfrac12\end{cases}",
        summary="The unit ramp of notes D's table (listed for the support vector machine): "
        "a step with a linear transition of width 1.",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=True,
            smoothness="C0",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(SEED_003,),
        kinks=_corner_kinks(-0.5, 0.5, 0.0, 1.0),
        equivalents=(
            Equivalent("seed", "notes D piece-wise linear table row", "identical"),
            Equivalent("torch", "torch.nn.Hardtanh(0, 1) applied to x + 0.5",
                       "no module of its own"),
        ),
        notes=("x + 1/2 is exact near x = -1/2 (Sterbenz), so the ramp keeps full relative "
               "accuracy at its foot.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.clip(x + 0.5, 0.0, 1.0)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, -0.5, 0.5, 1.0, xp)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, -0.5, 0.5, 1.0, xp, g)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.shift_clip(x, 0.5, 0.0, 1.0)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.inside(x, -0.5, 0.5)


@register
class HardSigmoid(Activation):
    name = "hard_sigmoid"
    family = Family.PIECEWISE_LINEAR
    doc = Documentation(
        formula=r"\operatorname{clip}\!\left(\tfrac{x}{6} + \tfrac12,\, 0,\, 1\right) = "
        r"\tfrac{\operatorname{relu6}(x + 3)}{6}",
        derivative_formula=r"\begin{cases}\tfrac16 & |x| < 3\\ 0 & |x| \ge 3\end{cases}",
        summary="A cheap piecewise-linear stand-in for the sigmoid (MobileNetV3); "
        "the old Keras form 0.2x + 0.5 is steeper.",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=True,
            smoothness="C0",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(
            MOBILENET_V3,
            Reference("BinaryConnect: training deep neural networks with binary weights "
                      "during propagations", 2015, "Courbariaux, Bengio & David"),
        ),
        kinks=_corner_kinks(-3.0, 3.0, 0.0, 1.0),
        equivalents=(
            Equivalent("torch", "torch.nn.Hardsigmoid()",
                       "its float64 backward uses the float32 constant 1/6 "
                       "(0.1666666716...), 3e-8 relative off; so to_torch() uses our own "
                       "autograd function instead"),
            Equivalent("keras", "keras.activations.hard_sigmoid",
                       "Keras 3: same; Keras 2 / tf.keras used clip(0.2x + 0.5, 0, 1) "
                       "(corners at ±2.5)"),
            Equivalent("jax", "jax.nn.hard_sigmoid"),
            Equivalent("timm", "timm.layers.HardSigmoid"),
        ),
        notes=("Computed as clip(x + 3, 0, 6)/6 like PyTorch: x + 3 is exact near -3, so the "
               "foot of the ramp keeps full relative accuracy.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.hard_sigmoid(x)  # clip(x + 3, 0, 6)/6, in one fused kernel where one exists

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, -3.0, 3.0, 1.0 / 6.0, xp)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, -3.0, 3.0, 1.0 / 6.0, xp, g)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.hard_sigmoid(x)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.inside(x, -3.0, 3.0, 1.0 / 6.0)

    # No torch_native: nn.Hardsigmoid's float64 backward returns float32(1/6), 3e-8 off,
    # so it is not an exact equivalent; our autograd function is exact.  In float32 (and
    # float16/bfloat16, computed in float32) that constant is the correctly rounded 1/6.
    def torch_native_for(self, dtype: torch.dtype) -> nn.Module | None:
        import torch
        from torch import nn

        return nn.Hardsigmoid() if dtype == torch.float32 else None


@register
class HardTanh(Activation):
    name = "hard_tanh"
    family = Family.PIECEWISE_LINEAR
    parameters = (
        Param("min_val", -1.0, "lower clip value", finite),
        Param("max_val", 1.0, "upper clip value (> min_val)", finite),
    )
    doc = Documentation(
        formula=r"\operatorname{clip}(x, a, b) = \min(\max(x, a), b)\quad(a = -1,\ b = 1)",
        derivative_formula=r"\begin{cases}1 & a < x < b\\ 0 & \text{otherwise}\end{cases}",
        summary="The identity clipped to [min_val, max_val]: a piecewise-linear tanh.",
        properties=Properties(
            range=(-1.0, 1.0),  # (min_val, max_val) with the defaults
            monotonic=True,
            smoothness="C0",
            zero_centred=True,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(Reference("Natural language processing (almost) from scratch", 2011,
                              "Collobert et al."),),
        kinks=_corner_kinks(-1.0, 1.0, -1.0, 1.0),
        equivalents=(
            Equivalent("torch", "torch.nn.Hardtanh(min_val=-1.0, max_val=1.0)"),
            Equivalent("keras", "keras.activations.hard_tanh", "no parameters"),
            Equivalent("jax", "jax.nn.hard_tanh", "no parameters"),
        ),
        notes=("Exact: a clip rounds nothing.",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        return self.doc.properties.with_changes(range=(p["min_val"], p["max_val"]))

    def _validate(self, params: dict[str, Any]) -> None:
        if not params["min_val"] < params["max_val"]:
            raise InvalidValue(
                f"hard_tanh: min_val={params['min_val']!r} must be < "
                f"max_val={params['max_val']!r}"
            )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.clip(x, p["min_val"], p["max_val"])

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, p["min_val"], p["max_val"], 1.0, xp)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return x.clip(p["min_val"], p["max_val"], out=np.empty_like(x))

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.inside(x, p["min_val"], p["max_val"])

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Hardtanh(self.params["min_val"], self.params["max_val"])


@register
class ReLU6(Activation):
    name = "relu6"
    family = Family.PIECEWISE_LINEAR
    doc = Documentation(
        formula=r"\min(\max(0, x), 6)",
        derivative_formula=r"\begin{cases}1 & 0 < x < 6\\ 0 & \text{otherwise}\end{cases}",
        summary="ReLU capped at 6, for low-precision inference (MobileNets).",
        properties=Properties(
            range=(0.0, 6.0),
            monotonic=True,
            smoothness="C0",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(
            Reference("Convolutional deep belief networks on CIFAR-10", 2010, "Krizhevsky"),
            Reference("MobileNets: efficient convolutional neural networks for mobile vision "
                      "applications", 2017, "Howard et al."),
        ),
        kinks=(
            Kink(at=0.0, value=0.0, derivative=0.0, note="ReLU6'(0) = 0, as PyTorch"),
            Kink(at=6.0, value=6.0, derivative=0.0, note="ReLU6'(6) = 0, as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.ReLU6()"),
            Equivalent("keras", "keras.activations.relu6"),
            Equivalent("jax", "jax.nn.relu6"),
            Equivalent("timm", "timm.layers.create_act_layer('relu6')"),
        ),
        notes=("Exact: a clip only.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.clip(x, 0.0, 6.0)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, 0.0, 6.0, 1.0, xp)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return x.clip(0.0, 6.0, out=np.empty_like(x))

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.inside(x, 0.0, 6.0)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.ReLU6()


@register
class HardSwish(Activation):
    name = "hard_swish"
    family = Family.PIECEWISE_LINEAR
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"hard_silu": {}, "hswish": {}}
    doc = Documentation(
        formula=r"x\,\frac{\operatorname{relu6}(x + 3)}{6}",
        derivative_formula=r"\begin{cases}0 & x \le -3\\ \tfrac{2x + 3}{6} & -3 < x < 3"
        r"\\ 1 & x \ge 3\end{cases}",
        summary="Piecewise-quadratic SiLU/swish approximation of MobileNetV3: no exp, "
        "so cheap on mobile hardware.",
        properties=Properties(
            range=(-0.375, INF),  # minimum -3/8 at x = -3/2
            monotonic=False,
            smoothness="C0",
            zero_centred=True,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=0,
        ),
        references=(MOBILENET_V3,),
        kinks=(
            Kink(at=-3.0, value=0.0, derivative=0.0,
                 note="one-sided slopes 0 and -1/2; 0 as PyTorch"),
            Kink(at=3.0, value=3.0, derivative=1.0,
                 note="one-sided slopes 3/2 and 1; 1 as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.Hardswish()"),
            Equivalent("keras", "keras.activations.hard_silu (alias hard_swish)"),
            Equivalent("jax", "jax.nn.hard_silu (alias jax.nn.hard_swish)"),
            Equivalent("timm", "timm.layers.HardSwish"),
        ),
        notes=(
            "Written x·(clip(x + 3, 0, 6)/6) so that x·6 never overflows for x near the "
            "float maximum, with 0 below -3 so that -inf gives 0, not -inf·0 = NaN.",
            "The derivative is (2x + 3)/6, exact near its zero at -3/2 (PyTorch's "
            "x/3 + 1/2 cancels there).",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x <= -3.0, 0.0, x * (xp.clip(x + 3.0, 0.0, 6.0) / 6.0))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        inner = xp.where(x > -3.0, (2.0 * x + 3.0) / 6.0, 0.0)
        return xp.keep_nan(x, xp.where(x >= 3.0, 1.0, inner))

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Hardswish()


@register
class HardMish(Activation):
    name = "hard_mish"
    family = Family.PIECEWISE_LINEAR
    doc = Documentation(
        formula=r"\tfrac12\,x\,\operatorname{clip}(x + 2, 0, 2)",
        derivative_formula=r"\begin{cases}0 & x < -2\\ x + 1 & -2 \le x \le 0\\ 1 & x > 0"
        r"\end{cases}",
        summary="Piecewise-quadratic approximation of Mish from timm; smooth at 0 "
        "(slope 1 on both sides), a corner at -2.",
        properties=Properties(
            range=(-0.5, INF),  # minimum -1/2 at x = -1
            monotonic=False,
            smoothness="C0",
            zero_centred=True,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=0,
        ),
        references=(
            Reference("timm: layers/activations.py hard_mish (after the Mish author's "
                      "hard-mish experiments)", 2020, "Wightman"),
            Reference("Mish: a self regularized non-monotonic activation function", 2019,
                      "Misra"),
        ),
        kinks=(
            Kink(at=-2.0, value=0.0, derivative=-1.0,
                 note="one-sided slopes 0 and -1; -1 as timm (its hard_mish_bwd mask and "
                 "torch.clamp's autograd both include the corner)"),
        ),
        equivalents=(
            Equivalent("timm", "timm.layers.HardMish()"),
        ),
        notes=("Written x·(clip(x + 2, 0, 2)·1/2) with 0 below -2: no overflow, -inf -> 0.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x <= -2.0, 0.0, x * (xp.clip(x + 2.0, 0.0, 2.0) * 0.5))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        inner = xp.where(x >= -2.0, x + 1.0, 0.0)
        return xp.keep_nan(x, xp.where(x > 0.0, 1.0, inner))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.gated_ramp(x, 2.0, 2.0, 0.5)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        # clip(x + 1, -1, 1) is the formula's x + 1 on [-2, 0] and 1 above (x + 1 rounds
        # as the formula's); below -2 it is -1, and -1 + [x < -2] is the +0.0 there
        d = numpy_fast.shift_clip(x, 1.0, -1.0, 1.0)
        return np.add(d, np.less(x, -2.0), out=d)


@register
class HardShrink(Activation):
    name = "hard_shrink"
    family = Family.PIECEWISE_LINEAR
    parameters = (Param("lambd", 0.5, "half-width of the zeroed band (Keras: threshold)",
                        non_negative),)
    doc = Documentation(
        formula=r"\begin{cases}x & |x| > \lambda\\ 0 & |x| \le \lambda\end{cases}"
        r"\quad(\lambda = \tfrac12)",
        derivative_formula=r"\begin{cases}1 & |x| > \lambda\\ 0 & |x| \le \lambda\end{cases}",
        summary="Hard thresholding: zero out small inputs, keep large ones unchanged "
        "(sparse coding, wavelet denoising).",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="discontinuous",
            zero_centred=True,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=0,
        ),
        references=(Reference("Ideal spatial adaptation by wavelet shrinkage", 1994,
                              "Donoho & Johnstone"),),
        kinks=(
            Kink(at=-0.5, value=0.0, derivative=0.0,
                 note="jump of size lambda; the band is closed, as PyTorch"),
            Kink(at=0.5, value=0.0, derivative=0.0,
                 note="jump of size lambda; the band is closed, as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.Hardshrink(lambd=0.5)"),
            Equivalent("keras", "keras.activations.hard_shrink(x, threshold=0.5)"),
        ),
        notes=("Exact; NaN propagates because |x| <= lambda is False for NaN.",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        if p["lambd"] == 0.0:  # the identity
            return self.doc.properties.with_changes(smoothness="Cinf")
        return self.doc.properties

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(xp.abs(x) <= p["lambd"], 0.0, x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(xp.abs(x) <= p["lambd"], 0.0, xp.keep_nan(x, xp.ones_like(x)))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        # PyTorch's hardshrink kernel, one pass (x·[|x| > λ] + 0.0 takes four NumPy passes)
        return numpy_fast.hard_shrink(x, p["lambd"])

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.outside(x, p["lambd"])

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Hardshrink(self.params["lambd"])


@register
class SoftShrink(Activation):
    name = "soft_shrink"
    family = Family.PIECEWISE_LINEAR
    parameters = (Param("lambd", 0.5, "half-width of the zeroed band (Keras: threshold)",
                        non_negative),)
    doc = Documentation(
        formula=r"\begin{cases}x - \lambda & x > \lambda\\ 0 & |x| \le \lambda\\ x + \lambda"
        r" & x < -\lambda\end{cases}\quad(\lambda = \tfrac12)",
        derivative_formula=r"\begin{cases}1 & |x| > \lambda\\ 0 & |x| \le \lambda\end{cases}",
        summary="Soft thresholding: the proximal operator of lambda·|x| (the lasso, ISTA).",
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
        references=(Reference("De-noising by soft-thresholding", 1995, "Donoho"),),
        kinks=(
            Kink(at=-0.5, value=0.0, derivative=0.0, note="the band is closed, as PyTorch"),
            Kink(at=0.5, value=0.0, derivative=0.0, note="the band is closed, as PyTorch"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.Softshrink(lambd=0.5)"),
            Equivalent("keras", "keras.activations.soft_shrink(x, threshold=0.5)"),
        ),
        notes=("x - lambda is exact near lambda (Sterbenz), so values just outside the band "
               "keep full relative accuracy.",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        if p["lambd"] == 0.0:  # the identity
            return self.doc.properties.with_changes(smoothness="Cinf")
        return self.doc.properties

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        lambd = p["lambd"]
        shrunk = xp.where(x > 0, x - lambd, x + lambd)  # NaN -> x + lambd = NaN
        return xp.where(xp.abs(x) <= lambd, 0.0, shrunk)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(xp.abs(x) <= p["lambd"], 0.0, xp.keep_nan(x, xp.ones_like(x)))

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        # x - clip(x, -λ, λ): x - λ above the band, x + λ below (the same roundings as
        # the formula), x - x = +0.0 inside
        lambd = p["lambd"]
        y = x.clip(-lambd, lambd, out=np.empty_like(x))
        return np.subtract(x, y, out=y)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.outside(x, p["lambd"])

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Softshrink(self.params["lambd"])


SPARSEMAX_REF = Reference(
    "From softmax to sparsemax: a sparse model of attention and multi-label classification",
    2016,
    "Martins & Astudillo",
)
FENCHEL_YOUNG = Reference("Learning with Fenchel-Young losses", 2020,
                          "Blondel, Martins & Niculae")


@register
class SparsePlus(Activation):
    name = "sparse_plus"
    family = Family.PIECEWISE_LINEAR
    doc = Documentation(
        formula=r"\begin{cases}0 & x \le -1\\ \tfrac14 (x + 1)^2 & -1 < x < 1\\ x & x \ge 1"
        r"\end{cases}",
        derivative_formula=r"\operatorname{sparse\_sigmoid}(x) = "
        r"\tfrac12\left(\operatorname{clip}(x, -1, 1) + 1\right)",
        summary="A softplus with exact zeros: piecewise quadratic, C1, whose derivative is "
        "sparse_sigmoid (the 2-D sparsemax of (x, 0)).",
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
        references=(FENCHEL_YOUNG, SPARSEMAX_REF),
        equivalents=(
            Equivalent("keras", "keras.activations.sparse_plus"),
            Equivalent("jax", "jax.nn.sparse_plus"),
        ),
        notes=("(x + 1) is exact near -1 (Sterbenz): full relative accuracy at the foot; "
               "C1, so no kink: the derivative is continuous at ±1.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        c = xp.clip(x, -1.0, 1.0) + 1.0  # NaN stays NaN through clip
        return xp.where(x >= 1.0, x, 0.25 * c * c)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return 0.5 * (xp.clip(x, -1.0, 1.0) + 1.0)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        # max(q, x) with q = (c/2)², c = clip(x, -1, 1) + 1: q >= x everywhere, as
        # (x + 1)²/4 - x = (x - 1)²/4, so the max is the formula's where(x >= 1, x, q)
        # without a select.  Where (1 - x)² is below q's rounding (x within ~1e-2 of 1 in
        # float32, 1e-7 in float64) the rounded q can fall below x and x, 1 ulp above the
        # formula's q and as close to the true value, is returned
        y = self.numpy_grad(x, p)
        np.multiply(y, y, out=y)  # (c/2)² is the formula's (c²)/4 (halving is exact)
        return np.maximum(y, x, out=y)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        y = x.clip(-1.0, 1.0, out=np.empty_like(x))
        np.add(y, 1.0, out=y)
        return np.multiply(y, 0.5, out=y)


@register
class SparseSigmoid(Activation):
    name = "sparse_sigmoid"
    family = Family.PIECEWISE_LINEAR
    doc = Documentation(
        formula=r"\begin{cases}0 & x \le -1\\ \tfrac12 (x + 1) & -1 < x < 1\\ 1 & x \ge 1"
        r"\end{cases}",
        derivative_formula=r"\begin{cases}\tfrac12 & |x| < 1\\ 0 & |x| \ge 1\end{cases}",
        summary="The sigmoid of sparsemax: the first coordinate of sparsemax((x, 0)); "
        "a ramp of slope 1/2 with exact 0 and 1 outside [-1, 1].",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=True,
            smoothness="C0",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(FENCHEL_YOUNG, SPARSEMAX_REF),
        kinks=(
            Kink(at=-1.0, value=0.0, derivative=0.0,
                 note="one-sided slopes 0 and 1/2; 0 as PyTorch's hard functions "
                 "(JAX's clip splits the gradient at a tie)"),
            Kink(at=1.0, value=1.0, derivative=0.0,
                 note="one-sided slopes 1/2 and 0; 0 as PyTorch's hard functions"),
        ),
        equivalents=(
            Equivalent("keras", "keras.activations.sparse_sigmoid"),
            Equivalent("jax", "jax.nn.sparse_sigmoid", "derivative at ±1 may differ"),
        ),
        notes=("Exact except for one rounding in (x + 1)/2; x + 1 is exact near -1.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return 0.5 * xp.clip(x + 1.0, 0.0, 2.0)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, -1.0, 1.0, 0.5, xp)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _inside(x, -1.0, 1.0, 0.5, xp, g)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        y = numpy_fast.shift_clip(x, 1.0, 0.0, 2.0)
        return np.multiply(y, 0.5, out=y)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.inside(x, -1.0, 1.0, 0.5)
