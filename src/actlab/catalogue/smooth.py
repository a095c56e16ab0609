"""Smooth self-gated and rectifier-like entries: x times a sigmoid-shaped gate, and
squareplus.

Most entries here are x·g(x) with a gate g -> 0 at -inf and -> 1 at +inf, so
two details recur:

* the forward returns ±0 where the gate has underflowed to 0 (x·0 would be NaN
  at x = -inf; for finite x it is ±0 anyway);
* the derivative g(x) + x·g'(x) is evaluated on x clipped to where g' has
  already underflowed to exactly 0, which gives the limits 0 and 1 at ±inf
  without inf·0 and keeps powers of x from overflowing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from actlab.catalogue.activation import Activation
from actlab.catalogue.backend import Array, Backend
from actlab.catalogue.families import Family
from actlab.catalogue.metadata import (
    Documentation,
    Equivalent,
    Param,
    Properties,
    Reference,
    finite,
    non_negative,
    one_of,
)
from actlab.catalogue.registry import register

if TYPE_CHECKING:
    from torch import nn

INF = float("inf")
FAMILY = Family.SELF_GATED

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
GELU_TANH_CUBIC = 0.044715
QUICK_GELU_SCALE = 1.702
# |z| beyond which σ'(z) = e^-|z|/(1+e^-|z|)² is exactly 0 in float32 and float64
SIGMOID_GATE_CLIP = 800.0
# |x| beyond which φ(x) = e^(-x²/2)/√(2π) is exactly 0 (and Φ(x) exactly 0 or 1)
NORMAL_GATE_CLIP = 40.0
# |x| beyond which the tanh-GELU gate σ(2u) is exactly 0 or 1 and its slope 0
GELU_TANH_CLIP = 100.0
# min over x of x·σ(x), at x ≈ -1.27846 (Swish's minimum is this divided by beta)
SILU_MINIMUM = -0.27846454276

HENDRYCKS_GIMPEL = Reference("Gaussian error linear units (GELUs)", 2016, "Hendrycks & Gimpel")
RAMACHANDRAN = Reference("Searching for activation functions", 2017,
                         "Ramachandran, Zoph & Le")
ELFWING = Reference(
    "Sigmoid-weighted linear units for neural network function approximation in "
    "reinforcement learning",
    2018,
    "Elfwing, Uchibe & Doya",
)


def _sigmoid_gated_grad(z: Array, xp: Backend) -> Array:
    """d/dz [z σ(z)] = σ(z) + z σ'(z), on z clipped to where σ' is exactly 0."""
    zc = xp.clip(z, -SIGMOID_GATE_CLIP, SIGMOID_GATE_CLIP)
    s, ds = xp.sigmoid_and_prime(zc)
    return s + zc * ds


def _sigmoid_for_autograd(z: Array, xp: Backend) -> Array:
    """σ(z) as accurate as ``xp.sigmoid``, in a form torch autograd differentiates right at 0.

    ``xp.sigmoid`` goes through e^-|z|, and autograd takes |z|' = 0 at z = 0, so the
    derivative it derives there is 0 instead of 1/4; selecting the branch with ``where``
    instead of |z| avoids that (it matters for learnable beta = 0 in swish).
    """
    right = z >= 0
    e_right = xp.exp(-xp.where(right, z, 0.0))  # e^-z for z >= 0, else 1 (unused)
    e_left = xp.exp(xp.where(right, 0.0, z))  # e^z for z < 0, else 1 (unused)
    return xp.where(right, 1.0 / (1.0 + e_right), e_left / (1.0 + e_left))


def _self_gated_properties(minimum: float) -> Properties:
    return Properties(
        range=(minimum, INF),
        monotonic=False,
        smoothness="Cinf",
        zero_centred=True,  # f(0) = 0 and takes both signs (the catalogue's definition)
        bounded_below=True,
        bounded_above=False,
        saturates_left=True,
        saturates_right=False,
        cost=1,
    )


@register
class GELU(Activation):
    name = "gelu"
    family = FAMILY
    parameters = (
        Param("approximate", "none",
              "'none': exact x·Φ(x); 'tanh': the tanh approximation (JAX's default)",
              one_of("none", "tanh"), kind="str"),
    )
    doc = Documentation(
        formula=r"x\,\Phi(x) = \frac{x}{2}\operatorname{erfc}\!\left(-\frac{x}{\sqrt2}\right)"
        r"\quad\text{tanh: } \frac{x}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,"
        r"(x + 0.044715x^3)\right)\right)",
        derivative_formula=r"\Phi(x) + x\,\varphi(x)\quad\text{tanh: } \sigma(2u) + "
        r"2x\,u'\,\sigma'(2u),\ u = \sqrt{2/\pi}\,(x + 0.044715x^3)",
        summary="Gaussian error linear unit: x weighted by the probability that a standard "
        "normal is below it; the transformer default.",
        properties=_self_gated_properties(-0.16997120747),  # at x ≈ -0.75179
        references=(HENDRYCKS_GIMPEL,),
        equivalents=(
            Equivalent("torch", "torch.nn.GELU(approximate='none')"),
            Equivalent("keras", "keras.activations.gelu(x, approximate=False)"),
            Equivalent("jax", "jax.nn.gelu(x, approximate=True)",
                       "default is the tanh approximation"),
            Equivalent("timm", "timm.layers.GELU / GELUTanh"),
        ),
        notes=(
            "Φ(x) = erfc(-x/√2)/2: relatively accurate in the lower tail, where 1 + erf "
            "cancels; the error left is the condition number ≈ x² of the tail itself.",
            "tanh variant as x·σ(2u) (1 + tanh u = 2σ(2u)): no cancellation for x < 0.",
            "Derivative on x clipped to ±40 (tanh: ±100), beyond which it is exactly 0 or 1.",
        ),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        if p["approximate"] == "tanh":  # its minimum, at x ≈ -0.75246, is a little lower
            return self.doc.properties.with_changes(range=(-0.17004075057, INF))
        return self.doc.properties

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        fused = xp.gelu_fused(x, p["approximate"])
        return self._stable_forward(x, p, xp) if fused is None else fused

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return self._stable_grad(x, p, xp)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        fused = xp.gelu_prime_fused(x, p["approximate"], g)
        return g * self._stable_grad(x, p, xp) if fused is None else fused

    # to_torch(): Φ(x) (an erfc, the costly kernel) serves the value and the derivative
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        fused = xp.gelu_and_prime_fused(x, p["approximate"])
        if fused is None:
            return self.forward(x, p, xp), self.grad(x, p, xp)
        return fused

    @staticmethod
    def _stable_forward(x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        if p["approximate"] == "tanh":
            u = SQRT_2_OVER_PI * x * (1.0 + GELU_TANH_CUBIC * x * x)
            return xp.gated(x, xp.sigmoid(2.0 * u))
        return xp.gated(x, xp.ndtr(x))

    @staticmethod
    def _stable_grad(x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        if p["approximate"] == "tanh":
            xc = xp.clip(x, -GELU_TANH_CLIP, GELU_TANH_CLIP)
            x2 = xc * xc
            u = SQRT_2_OVER_PI * xc * (1.0 + GELU_TANH_CUBIC * x2)
            du = SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_CUBIC * x2)
            s, ds = xp.sigmoid_and_prime(2.0 * u)
            return s + 2.0 * xc * du * ds
        xc = xp.clip(x, -NORMAL_GATE_CLIP, NORMAL_GATE_CLIP)
        return xp.ndtr(xc) + xc * xp.npdf(xc)

    def torch_native(self) -> nn.Module | None:
        # not the native module: nn.GELU computes ½x(1 + erf) / ½x(1 + tanh), which cancel in the
        # left tail (0 at x = -10 in float64, true -7.6e-23);
        # actlab's autograd function gives the accurate NumPy numbers
        return None


@register
class QuickGELU(Activation):
    name = "quick_gelu"
    family = FAMILY
    doc = Documentation(
        formula=r"x\,\sigma(1.702\,x)",
        derivative_formula=r"\sigma(1.702x) + 1.702\,x\,\sigma'(1.702x)",
        summary="The sigmoid approximation of GELU (CLIP's activation): one exp instead "
        "of erf.",
        properties=_self_gated_properties(-0.16361018960),  # at x ≈ -0.75115
        references=(
            HENDRYCKS_GIMPEL,
            Reference("Learning transferable visual models from natural language supervision",
                      2021, "Radford et al."),
        ),
        equivalents=(
            Equivalent("timm", "timm.layers.QuickGELU"),
            Equivalent("torch", "x * torch.sigmoid(1.702 * x)", "no module"),
        ),
        notes=("σ from one exp of -|z| (no overflow); gate 0 -> output 0 exactly; derivative "
               "via z = 1.702x on the clipped range where σ'(z) is exactly 0 beyond.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        fused = xp.gated_sigmoid_fused(x, QUICK_GELU_SCALE)
        return xp.gated(x, xp.sigmoid(QUICK_GELU_SCALE * x)) if fused is None else fused

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # d/dx [x σ(cx)] = d/dz [z σ(z)] at z = cx
        return _sigmoid_gated_grad(QUICK_GELU_SCALE * x, xp)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        z = QUICK_GELU_SCALE * x
        fused = xp.silu_prime_fused(z, g)
        return g * _sigmoid_gated_grad(z, xp) if fused is None else fused


@register
class SiLU(Activation):
    name = "silu"
    family = FAMILY
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"swish_1": {}}
    doc = Documentation(
        formula=r"x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
        derivative_formula=r"\sigma(x) + x\,\sigma(x)\,\sigma(-x)",
        summary="Sigmoid-weighted linear unit (Swish with β = 1): smooth, non-monotonic "
        "dip to -0.2785 at x ≈ -1.2785, linear for large x.",
        properties=_self_gated_properties(-0.27846454276),  # at x ≈ -1.27846
        references=(ELFWING, HENDRYCKS_GIMPEL, RAMACHANDRAN, Reference("notes D")),
        equivalents=(
            Equivalent("torch", "torch.nn.SiLU()"),
            Equivalent("keras", "keras.activations.silu", "also exported as swish"),
            Equivalent("jax", "jax.nn.silu", "also exported as jax.nn.swish"),
            Equivalent("timm", "timm.layers.Swish / SiLU"),
        ),
        notes=("x·σ(x) with σ from one exp of -|x|; derivative σ + xσ(x)σ(-x) with the "
               "two-tailed-accurate σ', on x clipped to ±800 (exactly 0 / 1 beyond).",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.gated(x, xp.sigmoid(x))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _sigmoid_gated_grad(x, xp)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.SiLU()


@register
class Swish(Activation):
    name = "swish"
    family = FAMILY
    parameters = (
        Param("beta", 1.0, "gate sharpness: beta = 1 is SiLU, beta -> inf is ReLU, "
              "beta = 0 is x/2", finite, learnable=True),
    )
    doc = Documentation(
        formula=r"x\,\sigma(\beta x)",
        derivative_formula=r"\sigma(\beta x) + \beta x\,\sigma'(\beta x)",
        summary="Swish: x gated by a sigmoid of learnable sharpness β, interpolating "
        "between x/2 (β = 0) and ReLU (β -> inf).",
        properties=Properties(
            range=(-0.27846454276, INF),  # with the default beta = 1 (silu); min/beta in general
            monotonic=False,
            smoothness="Cinf",
            zero_centred=True,  # f(0) = 0 and takes both signs
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            learnable=("beta",),
            cost=1,
        ),
        references=(RAMACHANDRAN,),
        equivalents=(
            Equivalent("keras", "keras.activations.swish", "no beta: it is silu (β = 1)"),
            Equivalent("jax", "jax.nn.swish", "no beta: it is silu (β = 1)"),
            Equivalent("torch", "x * torch.sigmoid(beta * x)",
                       "no module (nn.SiLU is β = 1, not learnable)"),
            Equivalent("timm", "timm.layers.Swish", "no beta: it is silu"),
        ),
        notes=(
            "x·σ(βx) with σ from one exp of -|βx|; β·(±inf) with β = 0 is taken as 0 "
            "(the function is x/2 there), not NaN.",
            "The PyTorch module is actlab's ActivationModule, beta an nn.Parameter.",
        ),
    )

    @staticmethod
    def _scaled(x: Array, beta: Any, xp: Backend) -> Array:
        """βx, with 0·inf (β = 0) taken as 0."""
        z = beta * x
        if not xp.any_non_finite(z):  # the usual case: nothing to fix
            return z
        return xp.where(xp.isnan(z) & ~xp.isnan(x), 0.0, z)


    def describe(self, p: Mapping[str, Any]) -> Properties:
        beta = p["beta"]
        props = self.doc.properties
        if beta == 0.0:  # x/2
            return props.with_changes(range=(-INF, INF), monotonic=True, bounded_below=False,
                                      saturates_left=False)
        if beta > 0.0:  # min over x of x·σ(βx) is silu's minimum / β
            return props.with_changes(range=(SILU_MINIMUM / beta, INF))
        # β < 0: x·σ(βx) = -silu(|β|(-x))/|β|, silu mirrored through the origin
        return props.with_changes(range=(-INF, -SILU_MINIMUM / -beta), bounded_below=False,
                                  bounded_above=True, saturates_left=False,
                                  saturates_right=True)

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # This forward is also differentiated by torch autograd (beta is learnable), so ±inf
        # take their limits through a separate branch: computing with them inside would
        # put inf·0 = NaN into the gradients of x and beta.
        beta = p["beta"]
        if isinstance(beta, float):  # no autograd through beta: the direct form
            fused = xp.gated_sigmoid_fused(x, beta)
            if fused is not None:
                return fused
            return xp.gated(x, xp.sigmoid(self._scaled(x, beta, xp)))
        infinite = xp.isinf(x)
        x_finite = xp.where(infinite, 0.0, x)
        y = xp.gated(x_finite, _sigmoid_for_autograd(beta * x_finite, xp))
        signed_zero = 0.0 * xp.clip(x, -1.0, 1.0)
        limit = xp.where(beta == 0, 0.5 * x, xp.where(beta * x > 0, x, signed_zero))
        return xp.where(infinite, limit, y)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _sigmoid_gated_grad(self._scaled(x, p["beta"], xp), xp)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # the fused pass checks βx for ±inf/NaN itself (then None: the formula's limits)
        fused = xp.silu_prime_fused(p["beta"] * x, g)
        if fused is not None:
            return fused
        return g * _sigmoid_gated_grad(self._scaled(x, p["beta"], xp), xp)

    def param_grads(self, x: Array, g: Array, p: Mapping[str, Any],
                    xp: Backend) -> dict[str, Array]:
        """g·∂f/∂β = g·x²σ'(βx) per element (0 at x = ±inf, where f no longer depends
        on β, and x²/4 at β = 0)."""
        z = p["beta"] * x
        xs = x
        if xp.any_non_finite(z):  # one check: βx is finite only where x is
            z = self._scaled(x, p["beta"], xp)
            xs = xp.where(xp.isinf(x), 0.0, x)
        return {"beta": xp.sigmoid_prime(z, g * xs) * xs}


@register
class Mish(Activation):
    name = "mish"
    family = FAMILY
    doc = Documentation(
        formula=r"x \tanh\left(\operatorname{softplus}(x)\right) = "
        r"x\,\frac{e^{x}(e^{x} + 2)}{e^{x}(e^{x} + 2) + 2}",
        derivative_formula=r"g + x\,g',\quad g = \tanh(\operatorname{softplus} x),\ "
        r"g' = \operatorname{sech}^2(\operatorname{softplus} x)\,\sigma(x)",
        summary="Mish: a self-regularised non-monotonic gate, like SiLU with a slightly "
        "deeper dip (-0.3088 at x ≈ -1.1924).",
        properties=_self_gated_properties(-0.30884341300),  # at x ≈ -1.19243
        references=(Reference("Mish: a self regularized non-monotonic activation function",
                              2019, "Misra"),),
        equivalents=(
            Equivalent("torch", "torch.nn.Mish()"),
            Equivalent("keras", "keras.activations.mish"),
            Equivalent("jax", "jax.nn.mish"),
            Equivalent("timm", "timm.layers.Mish"),
        ),
        notes=(
            "Gate in closed form from a = e^-|x| (one exp, no overflow): for x <= 0, "
            "n = a(a+2), g = n/(n+2); for x > 0, g = (1+2a)/(1+2a+2a²). All terms positive: "
            "no cancellation, unlike x·tanh(softplus(x)) whose tanh rounds the tail.",
            "g' = sech²(softplus x)·σ(x) in closed form: 4a(1+a)/(a²+2a+2)² for x <= 0, "
            "4a²(1+a)/(1+2a+2a²)² for x > 0 (never 1 - g², which cancels for large x).",
        ),
    )

    @staticmethod
    def _gate(x: Array, xp: Backend) -> Array:
        """g = tanh(softplus x) alone (the forward needs no slope): as in _gate_and_slope."""
        a = xp.exp(-xp.abs(x))
        positive = x > 0
        # one division: g = num/(num + rest), num and rest of _gate_and_slope's branches
        num = xp.where(positive, 1.0 + 2.0 * a, a * (a + 2.0))
        return num / (num + xp.where(positive, 2.0 * a * a, 2.0))

    @staticmethod
    def _gate_and_slope(x: Array, xp: Backend) -> tuple[Array, Array]:
        """g = tanh(softplus x) and g' in closed form from a = e^-|x|."""
        a = xp.exp(-xp.abs(x))
        right_den = 1.0 + 2.0 * a + 2.0 * a * a  # x > 0: n + 2 = right_den / a²
        left_den = a * a + 2.0 * a + 2.0  # x <= 0: n + 2
        positive = x > 0
        g = xp.where(positive, (1.0 + 2.0 * a) / right_den, a * (a + 2.0) / left_den)
        dg = xp.where(
            positive,
            4.0 * a * a * (1.0 + a) / (right_den * right_den),
            4.0 * a * (1.0 + a) / (left_den * left_den),
        )
        return g, dg

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.gated(x, self._gate(x, xp))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        xc = xp.clip(x, -SIGMOID_GATE_CLIP, SIGMOID_GATE_CLIP)
        g, dg = self._gate_and_slope(xc, xp)
        return g + xc * dg

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Mish()


@register
class Squareplus(Activation):
    name = "squareplus"
    family = Family.SIGMOIDAL  # an algebraic softplus, not a gate
    parameters = (
        Param("b", 4.0, "curvature near 0: squareplus(0) = √b/2; b = 0 is ReLU",
              non_negative),
    )
    doc = Documentation(
        formula=r"\frac{x + \sqrt{x^2 + b}}{2}",
        derivative_formula=r"\frac{1}{2}\left(1 + \frac{x}{\sqrt{x^2 + b}}\right)",
        summary="An algebraic softplus: one square root, no exponentials; positive, "
        "linear for large x, decays like b/(4|x|) for x -> -inf.",
        properties=Properties(
            range=(0.0, INF),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=1,
        ),
        references=(Reference("Squareplus: a softplus-like algebraic rectifier", 2021,
                              "Barron"),),
        equivalents=(
            Equivalent("keras", "keras.activations.squareplus(x, b=4)"),
            Equivalent("jax", "jax.nn.squareplus(x, b=4)"),
            Equivalent("torch", "0.5 * (x + torch.sqrt(x * x + b))",
                       "no module; this plain form cancels to 0 at large negative x"),
        ),
        notes=(
            "With h = √(x² + b): f = max(x, 0) + (b/2)/(h + |x|), one expression for "
            "both signs (for x < 0 it is the rationalised (h + x)/2 = (b/2)/(h - x); for "
            "x >= 0, x + (h - x)/2): a sum of non-negative terms, no cancellation.  The "
            "plain formula cancels to 0 (float32 at x = -1e4 gives 0, true value 1e-4).",
            "h = √(x² + b) is computed as written unless x² overflows (past 1e154 in "
            "float64, 1.8e19 in float32): then hypot(x, √b), which never does.",
            "Derivative (1 + x/h)/2 = f/h: the quotient of two accurate values; 1 at +inf.",
        ),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        if p["b"] == 0.0:  # (x + |x|)/2 = max(x, 0): ReLU, with its kink at 0
            return self.doc.properties.with_changes(smoothness="C0")
        return self.doc.properties

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        b = p["b"]
        if b == 0.0:  # ReLU: (b/2)/(h + |x|) is 0/0 at x = 0
            return xp.maximum(x, 0.0)
        return self._value_and_hypot(x, b, xp)[0]

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        b = p["b"]
        if b == 0.0:  # ReLU: slope 1/2 at x = 0, the limit as b -> 0 (h = 0 there)
            return xp.where(x > 0, 1.0, xp.where(x < 0, 0.0, xp.where(x == 0, 0.5, x)))
        return self.value_and_grad(x, p, xp)[1]

    # to_torch(): the slope f/h is one division from the forward's f and h, so the module
    # saves it (backward: one multiplication) rather than recomputing both from x
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        b = p["b"]
        if b == 0.0:
            return self.forward(x, p, xp), self.grad(x, p, xp)
        y, h = self._value_and_hypot(x, b, xp)
        slope = y / h
        if xp.any_non_finite(x):  # f/h is inf/inf = NaN at +inf, where the slope is 1
            slope = xp.where(xp.isinf(x), xp.clip(x, 0.0, 1.0), slope)
        return y, slope

    @staticmethod
    def _value_and_hypot(x: Array, b: float, xp: Backend) -> tuple[Array, Array]:
        """(f, h): f = max(x, 0) + (b/2)/(h + |x|) with h = √(x² + b), no select and no
        cancellation (see the notes).  In-place steps only on fresh temporaries that no
        autograd node saved (the formula also runs inside a graph: second derivatives)."""
        if b >= 1e-30:
            h2 = x * x
            h2 += b
            h = xp.sqrt(h2)
            if xp.largest_is_non_finite(h):  # x² overflowed (or x is ±inf or NaN): hypot instead
                h = xp.hypot(x, xp.full_like(x, math.sqrt(b)))
        else:  # x² + b would lose a tiny b in subnormal rounding
            h = xp.hypot(x, xp.full_like(x, math.sqrt(b)))
        d = xp.abs(x)
        d += h
        y = (0.5 * b) / d
        y += xp.clip(x, 0.0, INF)  # max(x, 0); clip with two bounds is NumPy's fast loop
        return y, h
