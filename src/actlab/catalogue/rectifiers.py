"""Rectifiers: identity for positive inputs, something cheap and bounded-below for negative ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from actlab.catalogue.activation import Activation
from actlab.catalogue.backend import Array, Backend
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
NAIR_HINTON = Reference(
    "Rectified linear units improve restricted Boltzmann machines", 2010, "Nair & Hinton"
)


@register
class ReLU(Activation):
    name = "relu"
    family = "rectifiers"
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
        return xp.where(x > 0, 1.0, xp.where(xp.isnan(x), x, 0.0))

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.ReLU()


@register
class LeakyReLU(Activation):
    name = "leaky_relu"
    family = "rectifiers"
    aliases = {"lrelu": {}}
    parameters = (
        Param("negative_slope", 0.01, "slope for x < 0 (torch 0.01; Keras function 0.2, "
              "layer 0.3)"),
    )
    doc = Documentation(
        formula=r"\begin{cases}x & x \ge 0\\ s\,x & x < 0\end{cases}",
        derivative_formula=r"\begin{cases}1 & x \ge 0\\ s & x < 0\end{cases}",
        summary="ReLU with a small slope for negative inputs, so that units cannot die.",
        properties=Properties(
            range=(-INF, INF),
            monotonic=True,
            smoothness="C0",
            zero_centred=False,
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
        kinks=(Kink(at=0.0, value=0.0, derivative=1.0, note="slope 1 at 0, as PyTorch"),),
        equivalents=(
            Equivalent("torch", "torch.nn.LeakyReLU(negative_slope=0.01)"),
            Equivalent("keras", "keras.activations.leaky_relu(negative_slope=0.2)",
                       "default slope 0.2 (layer LeakyReLU: 0.3)"),
            Equivalent("jax", "jax.nn.leaky_relu(negative_slope=0.01)"),
        ),
    )

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x >= 0, x, p["negative_slope"] * x)

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x >= 0, 1.0, xp.where(xp.isnan(x), x, p["negative_slope"]))

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.LeakyReLU(self.params["negative_slope"])


@register
class ELU(Activation):
    name = "elu"
    family = "rectifiers"
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
            zero_centred=False,
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

    def forward(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x > 0, x, p["alpha"] * xp.expm1(xp.minimum(x, 0.0)))

    def grad(self, x: Array, p: Mapping[str, Any], xp: Backend) -> Array:
        return xp.where(x > 0, 1.0, p["alpha"] * xp.exp(xp.minimum(x, 0.0)))

    def torch_native(self) -> nn.Module:
        from torch import nn

        return nn.ELU(self.params["alpha"])
