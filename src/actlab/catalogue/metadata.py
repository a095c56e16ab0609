"""The descriptive records every catalogue entry carries: parameters, properties,
references, kinks and library equivalents.  Plain frozen dataclasses, so they
print, compare and serialise to JSON without ceremony."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Smoothness = Literal["discontinuous", "C0", "C1", "C2", "Cinf"]


@dataclass(frozen=True)
class Param:
    """One parameter of an activation: its default, meaning and validity check."""

    name: str
    default: Any
    doc: str
    # Returns an error message when the value is invalid, None when it is fine.
    check: Callable[[Any], str | None] | None = None
    learnable: bool = False  # an nn.Parameter in the PyTorch module
    # Axis-like parameters of vector-valued entries are ints, everything else a float.
    kind: Literal["float", "int", "str", "bool", "optional_float"] = "float"


def positive(value: Any) -> str | None:
    return None if value > 0 else "must be > 0"


def non_negative(value: Any) -> str | None:
    return None if value >= 0 else "must be >= 0"


def finite(value: Any) -> str | None:
    return None if math.isfinite(value) else "must be finite"


def one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(map(repr, choices))}"

    return check


@dataclass(frozen=True)
class Properties:
    """What a user looks up when choosing an activation, for given parameter values.

    ``act.properties`` computes this record from the bound parameters (an entry's
    ``doc.properties`` holds it for the defaults, without the Gaussian moments).
    """

    range: tuple[float, float]  # image of the real line, as an interval (closure)
    monotonic: bool  # non-decreasing on the whole real line
    smoothness: Smoothness  # the highest class the function belongs to everywhere
    # f(0) = 0 and f takes both signs, however lopsided (GELU and ELU count): a shape
    # fact, not a statement about the mean output -- that is ``normal_mean``
    zero_centred: bool
    bounded_below: bool
    bounded_above: bool
    saturates_left: bool  # f'(x) -> 0 as x -> -inf
    saturates_right: bool  # f'(x) -> 0 as x -> +inf
    learnable: tuple[str, ...] = ()  # parameters the literature trains
    cost: int = 0  # transcendental calls per element in the forward pass
    # E[f(z)] and Var[f(z)] for z ~ N(0, 1), by numerical integration against the
    # normal density; None for vector-valued entries and where f is not defined on
    # the whole line (log1mexp)
    normal_mean: float | None = None
    normal_variance: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_changes(self, **changes: Any) -> Properties:
        """A copy with some fields replaced (entries derive theirs from the defaults')."""
        return replace(self, **changes)


ZERO_CENTRED_DEFINITION = (
    "zero-centred here means f(0) = 0 and f takes both signs; it says nothing about "
    "the mean output, which is E[f(z)] for z ~ N(0, 1)"
)
NORMAL_MOMENTS_DEFINITION = "E[f(z)], Var[f(z)]: mean and variance of f(z) for z ~ N(0, 1)"


@dataclass(frozen=True)
class Reference:
    """Where the function comes from."""

    source: str  # paper title, library or seed file
    year: int | None = None
    authors: str = ""
    url: str = ""

    def __str__(self) -> str:
        who = f"{self.authors}, " if self.authors else ""
        when = f" ({self.year})" if self.year else ""
        return f"{who}{self.source}{when}"


@dataclass(frozen=True)
class Kink:
    """A point where the function is not differentiable (or jumps), and what we return there."""

    at: float  # location with default parameters
    value: float  # f(at)
    derivative: float  # what derivative(at) returns
    note: str = ""  # why this convention (usually: "as PyTorch")


@dataclass(frozen=True)
class Equivalent:
    """The same function in another library, and where its defaults differ from ours."""

    library: Literal["torch", "keras", "jax", "timm", "tf_playground", "seed"]
    api: str  # e.g. "torch.nn.ELU(alpha=1.0)"
    differences: str = ""  # empty when identical to ours


@dataclass(frozen=True)
class Documentation:
    """Everything descriptive about one entry (kept apart from the numerics)."""

    formula: str  # LaTeX, without surrounding $
    summary: str
    properties: Properties
    references: tuple[Reference, ...]
    kinks: tuple[Kink, ...] = ()
    equivalents: tuple[Equivalent, ...] = ()
    derivative_formula: str = ""  # LaTeX
    notes: tuple[str, ...] = field(default_factory=tuple)  # numerics: how we stay accurate
