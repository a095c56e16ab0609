"""The maxout layer of Goodfellow et al. (2013): a Linear layer to ``out * pieces``
units, then the maximum over each group of ``pieces`` neighbouring units.

With ``pieces=2`` one output unit is notes D's ``max(w1ᵀx + b1, w2ᵀx + b2)``:
rows ``2j`` and ``2j + 1`` of ``linear.weight`` are ``w1`` and ``w2`` of output
``j`` (the contiguous grouping of the catalogue's ``maxout`` entry).  It costs
``pieces`` times the weights of a Linear layer of the same shape.
"""

from __future__ import annotations

import torch
from torch import nn

from actlab.catalogue.registry import get
from actlab.torch.module import ActivationModule


class Maxout(nn.Module):
    """``Maxout(in_features, out_features, pieces=2)``: (..., in) -> (..., out)."""

    def __init__(
        self, in_features: int, out_features: int, pieces: int = 2, bias: bool = True
    ) -> None:
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features),
                            ("pieces", pieces)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"Maxout: {name} must be a positive integer, got {value!r}")
        self.in_features = in_features
        self.out_features = out_features
        self.pieces = pieces
        self.linear = nn.Linear(in_features, out_features * pieces, bias=bias)
        # the catalogue entry: max over contiguous groups, gradient to the first maximum
        self.maxout = ActivationModule(get("maxout", pieces=pieces, axis=-1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.maxout(self.linear(x))

    def piece(self, i: int) -> nn.Linear:
        """Piece ``i`` as its own Linear(in, out) sharing no storage: w_iᵀx + b_i per unit."""
        if not 0 <= i < self.pieces:
            raise ValueError(f"Maxout: piece {i} out of range 0..{self.pieces - 1}")
        weight = self.linear.weight
        lin = nn.Linear(self.in_features, self.out_features, bias=self.linear.bias is not None,
                        dtype=weight.dtype, device=weight.device)
        with torch.no_grad():
            lin.weight.copy_(weight[i :: self.pieces])
            if self.linear.bias is not None:
                lin.bias.copy_(self.linear.bias[i :: self.pieces])
        return lin

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"pieces={self.pieces}, bias={self.linear.bias is not None}"
        )
