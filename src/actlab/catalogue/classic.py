"""Classic and often-requested smooth activations: gaussian, sine, bent identity, snake.

(ISRU and LiSHT, listed with these in docs/design.md, live in ``sigmoidal.py``.)

Each formula is rearranged so that no intermediate overflows or cancels:
the bent identity's (sqrt(x^2 + 1) - 1)/2 becomes x·x/(2(hypot(x, 1) + 1)),
snake's derivative 1 + sin(2ax) becomes (sin ax + cos ax)^2.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

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
    positive,
)
from actlab.catalogue.registry import register

INF = float("inf")
TF_PLAYGROUND_22 = Reference(
    "TensorFlow Playground pull request #22 (more activation functions: gaussian, "
    "bent identity, ...)",
    2016,
    "tensorflow/playground contributors",
    "https://github.com/tensorflow/playground/pull/22",
)


def _sin_cos_of_product(w: Any, x: Array, xp: Backend) -> tuple[Array, Array]:
    """sin(w·x) and cos(w·x), finite wherever x is, even where the product w·x overflows.

    There the argument's float spacing exceeds 2π, so any value in [-1, 1] is as accurate
    as the input allows; we return sin(2^k h), cos(2^k h) for h = (w/2^k)·x by k angle
    doublings (exact identities), rather than sin(inf) = NaN.  ``w`` is a float, or a
    0-d tensor when learnable in PyTorch.
    """
    wx = x if isinstance(w, float) and w == 1.0 else w * x
    s, c = xp.sin(wx), xp.cos(wx)
    if not xp.any_non_finite(wx):  # the usual case: one cheap reduction decides
        return s, c
    overflow = xp.isinf(wx) & ~xp.isinf(x)
    if bool(overflow.any()):  # rare: only |x| near the float maximum with |w| > 1
        k = max(1, math.ceil(math.log2(abs(float(w)))) + 1)
        h = (w * 2.0**-k) * x
        sh, ch = xp.sin(h), xp.cos(h)
        for _ in range(k):
            sh, ch = 2.0 * sh * ch, (ch - sh) * (ch + sh)
        s, c = xp.where(overflow, sh, s), xp.where(overflow, ch, c)
    return s, c


@register
class Gaussian(Activation):
    name = "gaussian"
    family = Family.PERIODIC_AND_CLASSIC
    doc = Documentation(
        formula=r"e^{-x^2}",
        derivative_formula=r"-2x\,e^{-x^2}",
        summary="The Gaussian bump of radial-basis-function networks: a local, even "
        "response that vanishes in both tails.",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=False,
            smoothness="Cinf",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=1,
        ),
        references=(
            TF_PLAYGROUND_22,
            Reference("TensorFlow Playground pull request #246 (gaussian activation request)",
                      None, "tensorflow/playground contributors",
                      "https://github.com/tensorflow/playground/pull/246"),
            Reference("Multivariable functional interpolation and adaptive networks", 1988,
                      "Broomhead & Lowe"),
        ),
        equivalents=(
            Equivalent("tf_playground", "Gaussian (requested in PRs #22 / #246)",
                       "not in the released playground"),
            Equivalent("torch", "torch.exp(-x * x)", "no module"),
        ),
        notes=(
            "x² overflowing to inf gives e^-inf = 0, the correct rounded result; the "
            "derivative is −2·(x·e^{−x²}) so that −2x cannot overflow first, and is set to "
            "0 at ±inf explicitly (inf·0 would be NaN there).",
            "The relative error from rounding x² grows like x²·eps: that is the "
            "condition number κ = 2x², no algorithm can do better once x is rounded.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.exp(-(x * x))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # x·e^(-x²) first: -2x alone overflows at the float maximum (then -inf·0 = NaN)
        slope = -2.0 * (x * xp.exp(-(x * x)))
        return xp.where(xp.isinf(x), 0.0, slope)


@register
class Sin(Activation):
    name = "sin"
    family = Family.PERIODIC_AND_CLASSIC
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"sinusoid": {}, "sine": {}}
    parameters = (
        Param("omega", 1.0, "frequency omega_0 (SIREN uses 30 in the first layer)", finite),
    )
    doc = Documentation(
        formula=r"\sin(\omega_0 x)\quad(\omega_0 = 1)",
        derivative_formula=r"\omega_0 \cos(\omega_0 x)",
        summary="Periodic activation of implicit neural representations (SIREN): "
        "derivatives of every order are again sinusoids.",
        properties=Properties(
            range=(-1.0, 1.0),
            monotonic=False,
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=True,
            bounded_above=True,
            saturates_left=False,
            saturates_right=False,
            cost=1,
        ),
        references=(
            Reference("Implicit neural representations with periodic activation functions "
                      "(SIREN)", 2020,
                      "Sitzmann, Martel, Bergman, Lindell & Wetzstein"),
            Reference("TensorFlow Playground pull request #138 (sine activation)", None,
                      "tensorflow/playground contributors",
                      "https://github.com/tensorflow/playground/pull/138"),
        ),
        equivalents=(
            Equivalent("torch", "torch.sin(omega * x)", "no module"),
            Equivalent("tf_playground", "Sine (PR #138)", "not in the released playground"),
        ),
        notes=(
            "sin(±inf) has no limit: NaN, without a warning.",
            "For large |ω₀x| the rounding of the product ω₀x is amplified by the condition "
            "number |ω₀x·cot(ω₀x)|; sin and cos themselves are correctly reduced.",
            "Where ω₀x overflows for a finite x the result is still finite (angle doubling "
            "from (ω₀/2^k)·x), not sin(inf) = NaN.",
        ),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        if p["omega"] == 0.0:  # the constant 0
            return self.doc.properties.with_changes(
                range=(0.0, 0.0), monotonic=True, saturates_left=True, saturates_right=True)
        return self.doc.properties

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        omega = p["omega"]
        if omega == 1.0:  # the default: no product (a pass) to compute
            return xp.sin(x)
        wx = omega * x
        # for |ω| <= 1, ωx cannot overflow; else one reduction tells (rare)
        if abs(omega) <= 1.0 or not xp.any_non_finite(wx):
            return xp.sin(wx)
        return _sin_cos_of_product(omega, x, xp)[0]

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        omega = p["omega"]
        if omega == 1.0:
            return xp.cos(x)
        wx = omega * x
        if abs(omega) <= 1.0 or not xp.any_non_finite(wx):
            return omega * xp.cos(wx)
        return omega * _sin_cos_of_product(omega, x, xp)[1]


@register
class BentIdentity(Activation):
    name = "bent_identity"
    family = Family.PERIODIC_AND_CLASSIC
    doc = Documentation(
        formula=r"\frac{\sqrt{x^2 + 1} - 1}{2} + x",
        derivative_formula=r"\frac{x}{2\sqrt{x^2 + 1}} + 1",
        summary="Identity bent upwards: slope 1/2 far left, 3/2 far right, never "
        "saturating; a smooth, monotone, unbounded alternative to leaky ReLU.",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            cost=1,  # one hypot (a square root)
        ),
        references=(TF_PLAYGROUND_22,),
        equivalents=(
            Equivalent("tf_playground", "Bent identity (requested in PR #22)",
                       "not in the released playground"),
        ),
        notes=(
            "(sqrt(x²+1) − 1)/2 cancels for small x: written as x·u/2 with "
            "u = x/(h + 1) in (−1, 1), h = √(x² + 1), so f = x(1 + u/2).",
            "Derivative 1 + v/2 with v = x/h.  h is computed as written unless x² overflows "
            "(past 1e154 in float64): then hypot(x, 1); u and v take their limits ±1 at ±inf "
            "explicitly (inf/inf would be NaN).",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return self._value(x, *self._hypot(x, xp), xp)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return self._slope(x, *self._hypot(x, xp), xp)

    # to_torch(): value and slope share h = √(x² + 1), so the module computes the slope in
    # forward and saves it (backward: one multiplication)
    saves_derivative = True

    def value_and_grad(self, x: Array, p: Mapping[str, Any],
                       xp: Backend) -> tuple[Array, Array]:
        h, finite = self._hypot(x, xp)
        return self._value(x, h, finite, xp), self._slope(x, h, finite, xp)

    @staticmethod
    def _hypot(x: Array, xp: Backend) -> tuple[Array, bool]:
        """(√(x² + 1), whether it is finite everywhere): as written, or hypot(x, 1) where
        x² overflows or x is ±inf or NaN (then the limits need fixing up)."""
        h2 = x * x
        h2 += 1.0  # in place: a fresh temporary that no autograd node saved
        h = xp.sqrt(h2)
        if xp.largest_is_non_finite(h):
            return xp.hypot(x, 1.0), False
        return h, True

    @staticmethod
    def _value(x: Array, h: Array, finite: bool, xp: Backend) -> Array:
        u = h + 1.0
        u = x / u
        if not finite:  # inf/inf at ±inf: u -> ±1
            u = xp.where(xp.isinf(x), xp.sign(x), u)
        u *= 0.5
        u += 1.0
        return x * u

    @staticmethod
    def _slope(x: Array, h: Array, finite: bool, xp: Backend) -> Array:
        v = x / h
        if not finite:  # inf/inf at ±inf: v -> ±1
            v = xp.where(xp.isinf(x), xp.sign(x), v)
        v *= 0.5
        v += 1.0
        return v


@register
class Snake(Activation):
    name = "snake"
    family = Family.PERIODIC_AND_CLASSIC
    parameters = (
        Param("a", 1.0, "frequency (> 0); learned per channel in Ziyin et al. and BigVGAN",
              positive, learnable=True),
    )
    doc = Documentation(
        formula=r"x + \frac{\sin^2(a x)}{a}\quad(a = 1)",
        derivative_formula=r"\frac{\partial f}{\partial x} = 1 + \sin(2 a x) = "
        r"\left(\sin a x + \cos a x\right)^2",
        summary="Identity plus a periodic ripple: monotone, and able to extrapolate "
        "periodic signals that ReLU and tanh networks cannot.",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,  # f' = 1 + sin(2ax) >= 0
            smoothness="Cinf",
            zero_centred=True,
            bounded_below=False,
            bounded_above=False,
            saturates_left=False,
            saturates_right=False,
            learnable=("a",),
            cost=1,
        ),
        references=(
            Reference("Neural networks fail to learn periodic functions and how to fix it",
                      2020, "Ziyin, Hartwig & Ueda"),
            Reference("BigVGAN: a universal neural vocoder with large-scale training", 2023,
                      "Lee, Ping, Ginsburg, Catanzaro & Yoon"),
        ),
        equivalents=(
            Equivalent("torch", "x + torch.sin(a * x) ** 2 / a", "no module"),
        ),
        notes=(
            "sin²(ax)/a is computed as s·(s/a) with s = sin(ax): s/a ≈ x never overflows and "
            "s² never underflows to 0 while the ratio sin²(ax)/a ≈ a x² still matters.",
            "Where ax overflows (or x = ±inf) the ripple, at most 1/a, is negligible "
            "against x and is dropped, so f(±inf) = ±inf.",
            "The derivative 1 + sin(2ax) cancels near its zeros; (sin ax + cos ax)² does "
            "not, and it takes the sine of ax itself: 2 sin²(ax + π/4), also free of "
            "cancellation, loses π/4 against ax once |ax| passes 2^53 (f'(1.2e214) "
            "came out 0.986 instead of 9.76e-5).",
            "f'(±inf) has no limit: NaN.",
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        a = p["a"]  # a float, or a tensor when learnable in PyTorch
        unit = isinstance(a, float) and a == 1.0  # the default: no product, no quotient
        ax = x if unit else a * x
        if not xp.any_non_finite(ax):  # the usual case: no overflow, no select
            s = xp.sin(ax)
            ripple = s * s if unit else s * (s / a)
            ripple += x  # in place: a fresh temporary that no autograd node saved
            return ripple
        overflow = xp.isinf(ax)
        # sin of a finite stand-in where ax overflows: the masked branch must not be NaN,
        # or autograd (learnable a) would send 0·NaN = NaN back through it
        s = xp.sin(xp.where(overflow, 0.0, ax))
        return x + xp.where(overflow, 0.0, s * (s / a))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # 1 + sin(2ax) = (sin ax + cos ax)²: no cancellation of 1 against sin near the
        # zeros (the sum's error is an ulp, relative error 2·eps/distance), and the sine
        # of ax itself -- never of ax + π/4, whose π/4 vanishes once |ax| passes 2^53
        s, c = _sin_cos_of_product(p["a"], x, xp)
        s_plus_c = s + c
        return s_plus_c * s_plus_c
