"""Sigmoidal entries: S-shaped squashing functions, their logarithms and relatives.

Every formula here is written in a form that keeps full *relative* accuracy in
both tails (see docs/design.md, numerical contract): exponentials only of
non-positive arguments, derivatives from the input (σ(x)σ(-x), sech²) rather
than from the output (σ(1-σ), 1-tanh²), and explicit limits at ±inf instead
of inf/inf or inf·0 accidents.
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
    Kink,
    Param,
    Properties,
    Reference,
    positive,
)
from actlab.catalogue.registry import register

if TYPE_CHECKING:
    from torch import nn

INF = float("inf")
NAN = float("nan")
LN2 = math.log(2.0)
FAMILY = Family.SIGMOIDAL

RUMELHART = Reference(
    "Learning representations by back-propagating errors",
    1986,
    "Rumelhart, Hinton & Williams",
)
LECUN_EFFICIENT_BACKPROP = Reference(
    "Efficient BackProp", 1998, "LeCun, Bottou, Orr & Müller"
)
GLOROT_BENGIO = Reference(
    "Understanding the difficulty of training deep feedforward neural networks",
    2010,
    "Glorot & Bengio",
)
DUBEY_SURVEY = Reference(
    "Activation functions in deep learning: a comprehensive survey and benchmark",
    2022,
    "Dubey, Singh & Chaudhuri",
)
TORCH_SIGMOID_GRAD = (
    "autograd differentiates from the output as σ(1-σ): 0 instead of e^-x for x > ~37 "
    "(float64) / ~17 (float32)"
)

# |x| beyond which softsign(x) = x/(1 + |x|) rounds to ±1 in float32 and float64
SOFTSIGN_SATURATES = 1e30


@register
class Sigmoid(Activation):
    name = "sigmoid"
    family = FAMILY
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"logistic": {}}
    doc = Documentation(
        formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        derivative_formula=r"\sigma'(x) = \sigma(x)\,\sigma(-x)",
        summary="The logistic function: squashes to (0, 1); the classic output for "
        "probabilities, but saturating and not zero-centred as a hidden activation.",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=1,
        ),
        references=(RUMELHART, Reference("notes D (activation function table)")),
        equivalents=(
            Equivalent("torch", "torch.nn.Sigmoid()", TORCH_SIGMOID_GRAD),
            Equivalent("keras", "keras.activations.sigmoid", TORCH_SIGMOID_GRAD),
            Equivalent("jax", "jax.nn.sigmoid"),
        ),
        notes=(
            "One exp of -|x| (never overflows): 1/(1+e) for x >= 0, e/(1+e) for x < 0.",
            "Derivative σ(x)σ(-x) = e/(1+e)² with e = e^-|x|: relatively accurate in both "
            "tails, where σ(1-σ) from the output rounds to 0.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.sigmoid(x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.sigmoid_prime(x)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.sigmoid_prime(x, g)

    # to_torch(): σ'(x) = σ(x)·σ(-x) from the forward's σ(x) costs one fused pass in
    # forward, where recomputing it from x in backward costs two (measured interleaved,
    # 10^6: 1.73x native against 2.06x in float32, 1.62x against 1.86x in float64);
    # to_torch(second_order=True) keeps the saved-input function's second derivative
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        return xp.sigmoid_and_prime(x)

    def torch_native(self) -> nn.Module | None:
        # not the native module: nn.Sigmoid differentiates from its output, σ(1-σ), which loses all
        # relative accuracy in the tails;
        # actlab's autograd function gives the accurate NumPy numbers
        return None


@register
class Tanh(Activation):
    name = "tanh"
    family = FAMILY
    doc = Documentation(
        formula=r"\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
        derivative_formula=r"\operatorname{sech}^2 x = 1 - \tanh^2 x",
        summary="The zero-centred sigmoid: range (-1, 1), slope 1 at 0; saturates at both "
        "ends (vanishing gradients in deep stacks).",
        properties=Properties(
            range=(-1.0, 1.0),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=1,
        ),
        references=(LECUN_EFFICIENT_BACKPROP, Reference("notes A–D")),
        equivalents=(
            Equivalent("torch", "torch.nn.Tanh()",
                       "autograd uses 1 - tanh²: 0 instead of 4e^-2|x| for |x| > ~19 (float64)"),
            Equivalent("keras", "keras.activations.tanh", "gradient 1 - tanh², as torch"),
            Equivalent("jax", "jax.numpy.tanh"),
        ),
        notes=(
            "The library tanh, never (e^x - e^-x)/(e^x + e^-x) (inf/inf = NaN at |x| ≈ 710, "
            "the seeds' defect).",
            "Derivative sech² x = 4e/(1+e)² with e = e^-2|x|, relatively accurate in the tails "
            "where 1 - tanh² cancels to 0.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.tanh(x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.sech2(x)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.sech2(x, g)

    def torch_native(self) -> nn.Module | None:
        # not the native module: nn.Tanh differentiates from its output, 1 - tanh², which loses all
        # relative accuracy in the tails;
        # actlab's autograd function gives the accurate NumPy numbers
        return None


@register
class Softsign(Activation):
    name = "softsign"
    family = FAMILY
    doc = Documentation(
        formula=r"\frac{x}{1 + |x|}",
        derivative_formula=r"\frac{1}{(1 + |x|)^2}",
        summary="An algebraic tanh look-alike: no exponentials, polynomial (slower) "
        "saturation.",
        properties=Properties(
            range=(-1.0, 1.0),
            monotonic=True,
            smoothness="C1",  # f'' = -2 sign(x)/(1+|x|)³ jumps at 0
            zero_centred=True,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(GLOROT_BENGIO,),
        equivalents=(
            Equivalent("torch", "torch.nn.Softsign()", "returns NaN at ±inf (inf/inf)"),
            Equivalent("keras", "keras.activations.softsign"),
            Equivalent("jax", "jax.nn.soft_sign"),
        ),
        notes=(
            "±inf map to ±1 explicitly (x/(1+|x|) is inf/inf there).",
            "Derivative as r·r with r = 1/(1+|x|), so (1+|x|)² never overflows.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # clipped to ±1e30, where x/(1 + |x|) has rounded to ±1 already (1 + |x| = |x|):
        # ±inf then give ±1 too, not inf/inf, without a select
        xc = xp.clip(x, -SOFTSIGN_SATURATES, SOFTSIGN_SATURATES)
        return xc / (1.0 + xp.abs(xc))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        r = 1.0 / (1.0 + xp.abs(x))
        return r * r

    def torch_native(self) -> nn.Module | None:
        # not the native module: nn.Softsign's autograd derivative cancels to 0 for |x| > 1e16 (true
        # 1/(1+|x|)²);
        # actlab's autograd function gives the accurate NumPy numbers
        return None


@register
class Arctan(Activation):
    name = "arctan"
    family = FAMILY
    doc = Documentation(
        formula=r"\arctan x",
        derivative_formula=r"\frac{1}{1 + x^2}",
        summary="The inverse tangent: a zero-centred sigmoid with range (-π/2, π/2) whose "
        "gradient decays only like 1/x².",
        properties=Properties(
            range=(-math.pi / 2, math.pi / 2),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=1,
        ),
        references=(
            Reference("classic squashing function (no single originating paper)"),
            DUBEY_SURVEY,
        ),
        equivalents=(
            Equivalent("torch", "torch.atan", "a function, no nn module"),
            Equivalent("keras", "keras.ops.arctan", "an op, not in keras.activations"),
            Equivalent("jax", "jax.numpy.arctan", "not in jax.nn"),
        ),
        notes=(
            "The library arctan is correctly limited to ±π/2 at ±inf.",
            "Derivative 1/(1+x²) as written: where x² overflows (|x| past 1.8e19 in "
            "float32, 1.3e154 in float64) the true 1/x² is below the smallest normal "
            "number and 0 is within the absolute-error floor.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.arctan(x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # three light passes; x² overflowing to inf gives 0 where the true value is
        # subnormal (see the notes)
        return 1.0 / (1.0 + x * x)


@register
class LogSigmoid(Activation):
    name = "log_sigmoid"
    family = FAMILY
    doc = Documentation(
        formula=r"\log \sigma(x) = -\operatorname{softplus}(-x)",
        derivative_formula=r"\sigma(-x) = \frac{1}{1 + e^{x}}",
        summary="The logarithm of the sigmoid: linear (slope 1) for x -> -inf, tends to 0 "
        "for x -> +inf; the numerically safe way to use log-probabilities.",
        properties=Properties(
            range=(-INF, 0.0),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=False,
            bounded_above=True,
            saturates_left=False,
            saturates_right=True,
            cost=2,
        ),
        references=(Reference("PyTorch torch.nn.LogSigmoid"),),
        equivalents=(
            Equivalent("torch", "torch.nn.LogSigmoid()"),
            Equivalent("keras", "keras.activations.log_sigmoid"),
            Equivalent("jax", "jax.nn.log_sigmoid"),
        ),
        notes=(
            "min(x, 0) - log1p(e^-|x|): exact at every x; log(sigmoid(x)) would give -inf "
            "for x < -745 (float64), where the true value is ≈ x.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.log_sigmoid(x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.sigmoid(-x)

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.LogSigmoid()


@register
class Softplus(Activation):
    name = "softplus"
    family = FAMILY
    parameters = (
        Param("beta", 1.0, "sharpness: (1/beta) log(1 + e^(beta x)) -> relu as beta -> inf",
              positive),
        Param("threshold", None,
              "None: exact everywhere; a number t returns x where beta*x > t (torch's "
              "nn.Softplus uses 20)", kind="optional_float"),
    )
    doc = Documentation(
        formula=r"\frac{1}{\beta}\log\left(1 + e^{\beta x}\right)",
        derivative_formula=r"\sigma(\beta x)",
        summary="A smooth ReLU: always positive, slope σ(βx); the antiderivative of the "
        "sigmoid.",
        properties=Properties(
            range=(0.0, INF),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=2,
        ),
        references=(
            Reference(
                "Incorporating second-order functional knowledge for better option pricing",
                2001,
                "Dugas, Bengio, Bélisle, Nadeau & Garcia",
            ),
            Reference("Deep sparse rectifier neural networks", 2011,
                      "Glorot, Bordes & Bengio"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.Softplus(beta=1.0, threshold=20.0)",
                       "returns x where beta*x > 20 (relative error up to e^-20 ≈ 2e-9 and "
                       "a jump of that size); actlab.get('softplus', threshold=20) matches"),
            Equivalent("keras", "keras.activations.softplus", "no beta"),
            Equivalent("jax", "jax.nn.softplus", "no beta (logaddexp(x, 0))"),
        ),
        notes=(
            "max(x, 0) + log1p(e^(-beta|x|))/beta: no exp of a positive number, so no "
            "overflow (naive log(1+e^x) is inf past x ≈ 88 in float32), and no beta*x "
            "overflow for large beta.",
            "With threshold t (not None) the function jumps by log1p(e^-t)/beta at x = t/beta.",
        ),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        t = p["threshold"]
        if t is None:
            return self.doc.properties
        # at x = t/beta the value drops from softplus to x, by log1p(e^-t)/beta > 0
        return self.doc.properties.with_changes(
            range=(min(0.0, t / p["beta"]), INF), monotonic=False, smoothness="discontinuous")

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        beta = p["beta"]
        y = xp.softplus(x, beta)
        if p["threshold"] is None:
            return y
        return xp.where(beta * x > p["threshold"], x, y)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        beta = p["beta"]
        dy = xp.scaled_sigmoid(x, beta)
        if p["threshold"] is None:
            return dy
        return xp.where(beta * x > p["threshold"], 1.0, dy)

    def vjp_(self, x: Array, g: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        if p["threshold"] is None:
            return xp.scaled_sigmoid(x, p["beta"], g)  # g folded into one fused pass
        return g * self.grad(x, p, xp)

    def torch_native(self) -> nn.Module | None:
        from torch import nn

        from actlab.catalogue.torch_backend import SIGMOID_SATURATES

        threshold = self.params["threshold"]
        if threshold is None:
            # torch's kernels with a threshold where σ(βx) and log1p(e^-βx)/β have
            # rounded away (βx > 40) are exact: its forward log1p(e^(βx))/β and its
            # backward g·e^(βx)/(e^(βx)+1) keep full relative accuracy below it
            threshold = SIGMOID_SATURATES
        elif threshold != 20.0:
            return None  # another threshold: torch's module always thresholds at some t
        return nn.Softplus(beta=self.params["beta"], threshold=threshold)


@register
class Exponential(Activation):
    name = "exponential"
    family = FAMILY
    doc = Documentation(
        formula=r"e^{x}",
        derivative_formula=r"e^{x}",
        summary="The exponential: positive, unbounded, its own derivative; overflows to inf "
        "past x ≈ 709.78 (float64) / 88.72 (float32), where the true value is not "
        "representable.",
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
        references=(Reference("Keras keras.activations.exponential"),),
        equivalents=(
            Equivalent("keras", "keras.activations.exponential"),
            Equivalent("torch", "torch.exp", "a function, no nn module"),
            Equivalent("jax", "jax.numpy.exp", "not in jax.nn"),
        ),
        notes=("The library exp is correctly rounded to within an ulp; its condition "
               "number is |x|, so no algorithm does better.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.exp(x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.exp(x)

    # to_torch(): the derivative is the value itself, so the module saves its output
    # (as torch.exp does) instead of recomputing exp from the input in backward
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        y = xp.exp(x)
        return y, y


# log1mexp's quotient guard: far below the smallest |log w| or |1 - w| for w != 1 in
# float32 and float64 (2^-53), and a normal number in both (the smallest normal float32)
_LOG1MEXP_TINY = 2.0**-126


def _outside_positive(x: Array) -> bool:
    """Whether x holds an element <= 0 or a NaN (one min reduction, into which NaN
    propagates), on NumPy arrays and tensors alike."""
    size = x.numel() if hasattr(x, "numel") else x.size
    return size > 0 and not bool(x.min() > 0)


@register
class Log1mexp(Activation):
    name = "log1mexp"
    family = FAMILY
    doc = Documentation(
        formula=r"\log\left(1 - e^{-x}\right),\quad x > 0",
        derivative_formula=r"\frac{e^{-x}}{1 - e^{-x}} = \frac{1}{e^{x} - 1}",
        summary="log(1 - e^-x), defined for x > 0 (NaN for x < 0, -inf at 0): the "
        "log-probability of the complement of e^-x.",
        properties=Properties(
            range=(-INF, 0.0),  # on the domain x > 0
            monotonic=True,
            smoothness="Cinf",  # on its domain
            zero_centred=False,
            bounded_below=False,
            bounded_above=True,
            saturates_left=False,  # undefined for x < 0; f' -> inf as x -> 0+
            saturates_right=True,
            cost=2,
        ),
        references=(
            Reference("Accurately computing log(1 - exp(-|a|)), assessed by the Rmpfr package",
                      2012, "Mächler",
                      "https://cran.r-project.org/web/packages/Rmpfr/vignettes/log1mexp-note.pdf"),
        ),
        kinks=(
            Kink(at=0.0, value=-INF, derivative=INF,
                 note="domain boundary: -inf and +inf slope at 0, NaN for x < 0 (as JAX)"),
        ),
        equivalents=(
            Equivalent("jax", "jax.nn.log1mexp"),
            Equivalent("torch", "torch.log(-torch.expm1(-x))",
                       "no module; this one-branch form rounds to 0 for x > ~37 (float64), "
                       "where the true value is ≈ -e^-x"),
        ),
        notes=(
            "log(1 - e^-x) cancels twice: 1 - e^-x for small x, and the log of a number "
            "near 1 for large x (Mächler switches between log(-expm1(-x)) and "
            "log1p(-e^-x) at ln 2).  One expression serves every x > 0 without a switch: "
            "with w = -expm1(-x) (accurate), log(w)·e^-x/(1 - w), where log(w)/(1 - w) is "
            "Goldberg's accurate log1p quotient (1 - w is exact wherever w is near 1).  "
            "Where w rounds to 1 (x > 17 in float32) the quotient is 0/0: a tiny t is "
            "subtracted from both sides, (log w - t)/(1 - w + t) = -1 there and unchanged "
            "elsewhere.",
            "Derivative 1/expm1(x): accurate, and 0 where expm1 overflows (the true value "
            "is below the smallest normal there).",
            "x < 0 -> NaN and x = 0 -> -inf (derivative +inf), no warnings.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # x = 0: w = 0, log w = -inf, quotient -inf; x < 0: w < 0, log w = NaN; x = inf:
        # w = 1, e^-x = 0, f = -0.  No select, no fix-up.
        neg_x = -x
        minus_w = xp.expm1(neg_x)  # (autograd saves it: no in-place step on it)
        w = -minus_w
        one_minus_w = minus_w + 1.0  # exact where w is near 1: the quotient's whole point
        one_minus_w += _LOG1MEXP_TINY  # 0 -> t where w rounds to 1 (below too small to move)
        y = xp.log(w)
        y -= _LOG1MEXP_TINY  # 0 -> -t there
        y /= one_minus_w  # the quotient first: t·e^-x would underflow
        y *= xp.exp(neg_x)
        return y

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        dy = 1.0 / xp.expm1(x)
        if _outside_positive(x):  # outside the domain (rare): +inf at ±0, NaN below
            dy = xp.where(x < 0, NAN, xp.where(x == 0, INF, dy))
        return dy


# |x| below which tanh_shrink uses Lambert's continued fraction tanh x = x/(1 + x²/(3 +
# x²/(5 + ...))) rather than x - tanh x, and the fraction's depth K there: truncated at
# 2K+1 = 13 it is accurate to 6e-18 relative for |x| <= 0.3 (checked against mpmath).
# Above 1/4 the subtraction magnifies tanh's rounding by at most 3/x² = 48.
_TANH_SHRINK_SERIES_BELOW = 0.25
_TANH_SHRINK_CF_DEPTH = 6


def _tanh_shrink_near_zero(x: Array, xp: Backend) -> Array:
    """x - tanh x for |x| <= 0.3 as x·t/(1+t), t = x²/(3 + x²/(5 + ...)) (Lambert)."""
    x2 = x * x
    d = xp.full_like(x, 2.0 * _TANH_SHRINK_CF_DEPTH + 1.0)
    for k in range(_TANH_SHRINK_CF_DEPTH - 1, 0, -1):
        d = x2 / d
        d += 2.0 * k + 1.0
    t = x2 / d
    return x * t / (1.0 + t)


@register
class TanhShrink(Activation):
    name = "tanh_shrink"
    family = FAMILY
    doc = Documentation(
        formula=r"x - \tanh x",
        derivative_formula=r"1 - \operatorname{sech}^2 x = \tanh^2 x",
        summary="The residual of tanh: flat (cubic, x³/3) near 0, slope -> 1 far out.",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=1,
        ),
        references=(Reference("PyTorch torch.nn.Tanhshrink"),),
        equivalents=(
            Equivalent("torch", "torch.nn.Tanhshrink()",
                       "x - tanh(x) as written: loses relative accuracy near 0 "
                       "(all of it below |x| ≈ 1e-8)"),
            Equivalent("keras", "keras.activations.tanh_shrink", "x - tanh(x), as torch"),
        ),
        notes=(
            "x - tanh x as written, then, for the elements with |x| < 1/4 only (found by "
            "one comparison), x·t/(1+t) with t = x²/(3 + x²/(5 + ...)) from Lambert's "
            "continued fraction for tanh (depth 13, < 1e-17 relative): no cancellation. "
            "For |x| >= 1/4 the subtraction (exact: tanh x is within a factor 2 of x) "
            "only magnifies tanh's rounding, by 3/x² <= 48.",
            "Derivative tanh² x, exactly 1 - sech² x without the cancellation.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return self._value(x, xp.tanh(x), xp)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.square(xp.tanh(x))

    # to_torch(): the forward's tanh x gives the slope tanh² x in one more pass, so the
    # module saves it (backward: one multiplication, no second tanh)
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        t = xp.tanh(x)
        return self._value(x, t, xp), xp.square(t)

    @staticmethod
    def _value(x: Array, t: Array, xp: Backend) -> Array:
        """x - tanh x, recomputed without cancellation where |x| < 1/4 (see the notes)."""
        return xp.patch_abs_below(x - t, x, _TANH_SHRINK_SERIES_BELOW, _tanh_shrink_near_zero)

    def torch_native(self) -> nn.Module | None:
        # not the native module: nn.Tanhshrink computes x - tanh x, which cancels near 0 (float32:
        # 1e-4 relative error at x = 0.013);
        # actlab's autograd function gives the accurate NumPy numbers
        return None


@register
class ISRU(Activation):
    name = "isru"
    family = FAMILY
    parameters = (Param("alpha", 1.0, "the limits at ±inf are ±1/sqrt(alpha)", positive),)
    doc = Documentation(
        formula=r"\frac{x}{\sqrt{1 + \alpha x^2}}",
        derivative_formula=r"\left(\frac{1}{\sqrt{1 + \alpha x^2}}\right)^{3}",
        summary="Inverse square root unit: a tanh-like sigmoid from one square root, "
        "range (-1/√α, 1/√α).",
        properties=Properties(
            range=(-1.0, 1.0),  # ±1/sqrt(alpha) with the default alpha = 1
            monotonic=True,
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=1,
        ),
        references=(
            Reference(
                "Improving deep learning by inverse square root linear units (ISRLUs)",
                2017,
                "Carlile, Delamarter, Kinney, Marti & Whitney",
            ),
        ),
        equivalents=(
            Equivalent("torch", "x * torch.rsqrt(1 + alpha * x * x)",
                       "no module (nor in Keras or JAX); x² overflows past |x| ≈ 1e154"),
        ),
        notes=(
            "x/√(1+αx²) as written, a quotient of accurate values; where αx² overflows "
            "(past |x| ≈ 1e154 in float64 with α = 1; x/√(1+αx²) would be 0, or "
            "inf/inf = NaN at ±inf) it is recomputed as ±1/√(α + (1/x)²), with limits ±1/√α.",
            "Derivative r³ with r = 1/√(1+αx²): where αx² overflows, r = 0 and r³ = 0, "
            "the true value's rounding (below 1e-57 there).",
        ),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        limit = 1.0 / math.sqrt(p["alpha"])
        return self.doc.properties.with_changes(range=(-limit, limit))

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return self._value(x, self._root(x, p["alpha"], xp), p["alpha"], xp)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return self._slope(self._root(x, p["alpha"], xp))

    # to_torch(): the forward's √(1 + αx²) gives the slope in two more passes, so the
    # module saves the slope (backward: one multiplication)
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        root = self._root(x, p["alpha"], xp)
        return self._value(x, root, p["alpha"], xp), self._slope(root)

    @classmethod
    def _value(cls, x: Array, root: Array, alpha: float, xp: Backend) -> Array:
        """x/√(1 + αx²) from its root; recomputed where αx² overflowed, or x is ±inf or
        NaN (rare)."""
        if xp.largest_is_non_finite(root):
            return cls._forward_without_overflow(x, alpha, xp)
        return x / root

    @staticmethod
    def _slope(root: Array) -> Array:
        """r³ with r = 1/√(1 + αx²): 0 where αx² overflows (r³ rounds to 0 there)."""
        r = 1.0 / root
        d = r * r
        d *= r
        return d

    @staticmethod
    def _root(x: Array, alpha: float, xp: Backend) -> Array:
        """√(1 + αx²) (in-place steps on fresh temporaries no autograd node saved)."""
        s = x * x
        if alpha != 1.0:
            s *= alpha
        s += 1.0
        return xp.sqrt(s)

    @staticmethod
    def _forward_without_overflow(x: Array, alpha: float, xp: Backend) -> Array:
        """|x| <= 1: x/√(1+αx²); |x| > 1: ±1/√(α + (1/x)²), in which nothing overflows."""
        near = xp.clip(x, -1.0, 1.0)
        inner = near / xp.sqrt(1.0 + alpha * near * near)
        u = 1.0 / x
        # clip(x, -1, 1) is exactly ±1 for |x| > 1 (a sign that keeps NaN, unlike torch.sign)
        outer = near / xp.sqrt(alpha + u * u)
        return xp.where(xp.abs(x) <= 1.0, inner, outer)


@register
class LiSHT(Activation):
    name = "lisht"
    family = FAMILY
    doc = Documentation(
        formula=r"x \tanh x",
        derivative_formula=r"\tanh x + x \operatorname{sech}^2 x",
        summary="Linearly scaled hyperbolic tangent: even, non-negative, |x| asymptotically; "
        "no saturation on either side.",
        properties=Properties(
            range=(0.0, INF),
            monotonic=False,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=True,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=1,
        ),
        references=(
            Reference(
                "LiSHT: non-parametric linearly scaled hyperbolic tangent activation "
                "function for neural networks",
                2019,
                "Roy, Manna, Dubey & Chaudhuri",
            ),
            DUBEY_SURVEY,
        ),
        equivalents=(
            Equivalent("torch", "x * torch.tanh(x)",
                       "no module (nor in Keras or JAX; TensorFlow Addons had "
                       "tfa.activations.lisht)"),
        ),
        notes=(
            "Forward x·tanh x is a product of accurate factors.",
            "Derivative tanh x + x·sech² x: both terms share the sign of x (no cancellation); "
            "±inf give ±1 explicitly instead of inf·0.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return x * xp.tanh(x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return self._slope(x, xp.tanh(x), xp)

    # to_torch(): value and slope share tanh x, so the module computes the slope in forward
    # and saves it (backward: one multiplication, no second tanh)
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        t = xp.tanh(x)
        return x * t, self._slope(x, t, xp)

    @staticmethod
    def _slope(x: Array, t: Array, xp: Backend) -> Array:
        dy = x * xp.sech2(x)
        dy += t  # in place: a fresh temporary that no autograd node saved
        if xp.any_non_finite(x):  # inf·0 at ±inf, where the slope is ±1 (rare)
            dy = xp.where(xp.isinf(x), xp.clip(x, -1.0, 1.0), dy)
        return dy
