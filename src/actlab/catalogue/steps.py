"""Steps and thresholds: the perceptron's all-or-nothing activations.

Their derivative is 0 wherever it exists (a step carries no gradient
information, which is why backprop replaced them with sigmoids, notes E);
at each jump we return 0 as well and record the convention as a Kink.
NaN in gives NaN out for the value and the derivative, although a bare
``where(x > t, ...)`` would send NaN to the else branch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
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
)
from actlab.catalogue.registry import register

if TYPE_CHECKING:
    import torch
    from torch import nn

INF = float("inf")
SEED_001 = Reference(
    "notes B: Handong lecture slides on activation functions "
    "(파이썬으로 배우는 기계학습, 3주차: unipolar and bipolar step functions)",
    None,
    "김영섭 (Kim Young-sup)",
)
SEED_003 = Reference(
    "notes D: lecture notes 'Activation function' (table of activations: "
    "unit step with 0.5 at 0, sign, linear, piece-wise linear)"
)
SEED_004 = Reference(
    "notes E: study notes on the Heaviside function and the perceptron "
    "(step_function returns 1 if x > 0 else 0)"
)
ROSENBLATT = Reference(
    "The perceptron: a probabilistic model for information storage and organization in the brain",
    1958,
    "Rosenblatt",
)
MCCULLOCH_PITTS = Reference(
    "A logical calculus of the ideas immanent in nervous activity", 1943, "McCulloch & Pitts"
)


def _zero_derivative(x: Array, xp: Backend) -> Array:
    """0 everywhere (the derivative of a step where it exists), NaN where x is NaN."""
    return xp.keep_nan(x, xp.zeros_like(x))


def _numpy_zero_derivative(x: np.ndarray) -> np.ndarray:
    return numpy_fast.restore_nan(x, np.zeros_like(x))


@register
class Heaviside(Activation):
    name = "heaviside"
    family = Family.STEPS
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"step": {}, "binary_step": {}, "unit_step": {}}
    parameters = (
        Param("t", 0.0, "threshold: the step is at x = t", finite),
        Param(
            "at_threshold",
            1.0,
            "value returned at x = t exactly (notes B, C: 1; notes D's table: 0.5; "
            "notes E and numpy.heaviside(x, 0): 0)",
            finite,
        ),
    )
    doc = Documentation(
        formula=r"\begin{cases}1 & x > t\\ h_t & x = t\\ 0 & x < t\end{cases}"
        r"\quad(t = 0,\ h_t = 1)",
        derivative_formula=r"0 \quad (x \ne t;\ \text{a Dirac delta at } x = t, "
        r"\text{ returned as } 0)",
        summary="The unipolar (binary) step of the perceptron: fires 1 once the input "
        "reaches the threshold. No gradient anywhere, so it cannot be trained by backprop.",
        properties=Properties(
            range=(0.0, 1.0),
            monotonic=True,
            smoothness="discontinuous",
            zero_centred=False,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(SEED_001, SEED_003, SEED_004, MCCULLOCH_PITTS, ROSENBLATT),
        kinks=(
            Kink(
                at=0.0,
                value=1.0,
                derivative=0.0,
                note="jump from 0 to 1; the value at the jump is at_threshold (default 1, "
                "as notes B, C; notes D uses 0.5, notes E uses 0); derivative 0 by "
                "convention (PyTorch's torch.heaviside has no derivative at all)",
            ),
        ),
        equivalents=(
            Equivalent(
                "torch",
                "torch.heaviside(x - t, values=torch.tensor(1.0))",
                "a function, not a module; autograd raises 'derivative for aten::heaviside "
                "is not implemented'",
            ),
            Equivalent("seed", "notes B step(x): 1 if x >= 0 else 0", "identical"),
            Equivalent("seed", "notes C binary_step(x, threshold=0)", "identical"),
            Equivalent("seed", "notes D unit step table", "value 0.5 at x = 0"),
            Equivalent("seed", "notes E step_function(x): 1 if x > 0 else 0",
                       "value 0 at x = 0 (at_threshold=0)"),
        ),
        notes=(
            "Computed with comparisons only: exact for every input, no overflow possible.",
            "NaN is passed through explicitly (x > t is False for NaN).",
        ),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        h = p["at_threshold"]  # the value at the jump joins the image
        return self.doc.properties.with_changes(range=(min(0.0, h), max(1.0, h)),
                                                monotonic=0.0 <= h <= 1.0)

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        t = p["t"]
        above = xp.astype_like(x > t, x)  # 0/1 in the input's dtype
        y = xp.where(x == t, p["at_threshold"], above)
        return xp.keep_nan(x, y)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _zero_derivative(x, xp)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        h = p["at_threshold"]
        if h == 1.0:
            return numpy_fast.step_at_least(x, p["t"])
        if h == 0.0:
            return numpy_fast.step_up(x, p["t"])
        return None

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return _numpy_zero_derivative(x)


@register
class BipolarStep(Activation):
    name = "bipolar_step"
    family = Family.STEPS
    doc = Documentation(
        formula=r"\begin{cases}1 & x \ge 0\\ -1 & x < 0\end{cases}",
        derivative_formula=r"0 \quad (x \ne 0;\ \text{returned as } 0 \text{ at } 0)",
        summary="The bipolar step of notes B: ±1 outputs, the perceptron with targets -1/+1.",
        properties=Properties(
            range=(-1.0, 1.0),
            monotonic=True,
            smoothness="discontinuous",
            zero_centred=False,  # symmetric outputs, but f(0) = 1
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(SEED_001, ROSENBLATT),
        kinks=(
            Kink(at=0.0, value=1.0, derivative=0.0,
                 note="jump from -1 to 1; 1 at 0 as notes B (x >= 0); derivative 0 by "
                 "convention"),
        ),
        equivalents=(
            Equivalent("seed", "notes B bipolar step: 1 if z >= 0 else -1", "identical"),
            Equivalent("torch", "torch.where(x >= 0, 1.0, -1.0)",
                       "no module; torch.sign differs at 0 (returns 0)"),
        ),
        notes=("Comparisons only; NaN is passed through explicitly.",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        y = 2.0 * xp.astype_like(x >= 0, x) - 1.0
        return xp.keep_nan(x, y)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _zero_derivative(x, xp)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        y = numpy_fast.step_at_least(x, 0.0)
        np.add(y, y, out=y)
        return np.subtract(y, 1.0, out=y)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return _numpy_zero_derivative(x)


@register
class Sign(Activation):
    name = "sign"
    family = Family.STEPS
    aliases: ClassVar[dict[str, dict[str, Any]]] = {"signum": {}}
    doc = Documentation(
        formula=r"\operatorname{sign}(x) = \begin{cases}1 & x > 0\\ 0 & x = 0\\ "
        r"-1 & x < 0\end{cases}",
        derivative_formula=r"0 \quad (x \ne 0;\ \text{returned as } 0 \text{ at } 0)",
        summary="The signum function: -1, 0 or 1; a perceptron variant (notes D's table).",
        properties=Properties(
            range=(-1.0, 1.0),
            monotonic=True,
            smoothness="discontinuous",
            zero_centred=True,
            bounded_below=True,
            bounded_above=True,
            saturates_left=True,
            saturates_right=True,
            cost=0,
        ),
        references=(SEED_003, ROSENBLATT),
        kinks=(
            Kink(at=0.0, value=0.0, derivative=0.0,
                 note="jump from -1 to 1 through 0; derivative 0 at 0, as torch.sign's "
                 "autograd"),
        ),
        equivalents=(
            Equivalent("torch", "torch.sign(x)",
                       "a function, not a module; torch.sign(NaN) = 0, ours is NaN"),
            Equivalent("seed", "notes D sign (signum) table", "identical"),
        ),
        notes=("Comparisons only; NaN is passed through explicitly (torch.sign would give 0).",),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # np.sign keeps NaN but torch.sign maps it to 0: pass NaN through explicitly
        return xp.keep_nan(x, xp.sign(x))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return _zero_derivative(x, xp)

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.sign(x)

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return _numpy_zero_derivative(x)

    def torch_native_unless_nan(self) -> Callable[[torch.Tensor], torch.Tensor]:
        # without NaN, torch.sign is this entry and its autograd derivative is zeros: the
        # module then runs at PyTorch's own speed plus one NaN check (a sum)
        import torch

        return torch.sign


@register
class Threshold(Activation):
    name = "threshold"
    family = Family.STEPS
    parameters = (
        Param("t", 0.0, "threshold: inputs at or below it are replaced (torch: threshold, "
              "no default)", finite),
        Param("value", 0.0, "replacement for x <= t (torch: value, no default; Keras: "
              "default_value)", finite),
    )
    doc = Documentation(
        formula=r"\begin{cases}x & x > t\\ v & x \le t\end{cases}\quad(t = 0,\ v = 0)",
        derivative_formula=r"\begin{cases}1 & x > t\\ 0 & x \le t\end{cases}",
        summary="Pass the input through above a threshold, replace it by a constant below; "
        "ReLU with the defaults; notes B's temperature-converter neuron is "
        "threshold(t=32, value=32) applied to 9/5·C + 32.",
        properties=Properties(
            range=(0.0, INF),  # with the defaults t = value = 0
            monotonic=True,  # when value <= t, as with the defaults
            smoothness="C0",  # discontinuous when value != t
            zero_centred=False,
            bounded_below=True,
            bounded_above=False,
            saturates_left=True,
            saturates_right=False,
            cost=0,
        ),
        references=(
            Reference("torch.nn.Threshold", None, "PyTorch"),
            Reference("keras.activations.threshold", None, "Keras 3"),
            SEED_001,
        ),
        kinks=(
            Kink(at=0.0, value=0.0, derivative=0.0,
                 note="x = t belongs to the replaced side (value, derivative 0), as PyTorch; "
                 "a jump of size t - value when value != t"),
        ),
        equivalents=(
            Equivalent("torch", "torch.nn.Threshold(threshold=t, value=value)",
                       "no defaults in torch"),
            Equivalent("keras", "keras.activations.threshold(x, threshold, default_value)",
                       "no defaults in Keras"),
        ),
        notes=("Comparisons only; NaN propagates because x <= t is False for NaN.",),
    )


    def describe(self, p: Mapping[str, Any]) -> Properties:
        t, v = p["t"], p["value"]
        return self.doc.properties.with_changes(
            range=(min(t, v), INF),
            monotonic=v <= t,
            smoothness="C0" if v == t else "discontinuous")

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        # written as x <= t (not x > t) so that NaN falls on the x side, as in PyTorch
        return xp.where(x <= p["t"], p["value"], x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.keep_nan(x, xp.astype_like(x > p["t"], x))  # NaN > t is False

    def numpy_forward(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray | None:
        t, value = p["t"], p["value"]
        if value != t:
            return None
        if t == 0.0:  # relu, if the value replacing -0.0 <= 0 is +0.0
            return numpy_fast.relu(x) if math.copysign(1.0, value) > 0 else None
        return x.clip(t, numpy_fast.INF, out=np.empty_like(x))

    def numpy_grad(self, x: np.ndarray, p: Mapping[str, Any]) -> np.ndarray:
        return numpy_fast.step_up(x, p["t"])

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.Threshold(self.params["t"], self.params["value"])
