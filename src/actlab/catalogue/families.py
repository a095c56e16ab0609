"""The families of the catalogue: a closed set, in the order a reader meets them.

Every entry names one member as its ``family``; the command line, the atlas and the
report group and order entries by this enumeration alone, so a new family is added
here (with its title) or nowhere.
"""

from __future__ import annotations

from enum import Enum


class Family(str, Enum):
    """One family of activations (the value is the short name the CLI accepts)."""

    STEPS = "steps"
    PIECEWISE_LINEAR = "piecewise_linear"
    RECTIFIERS = "rectifiers"
    SIGMOIDAL = "sigmoidal"
    SELF_GATED = "self_gated"
    PERIODIC_AND_CLASSIC = "periodic_and_classic"
    VECTOR = "vector"

    def __str__(self) -> str:  # "rectifiers", not "Family.RECTIFIERS", in f-strings
        return self.value

    @property
    def heading(self) -> str:
        """The heading a reader sees (atlas, report, ``actlab list``)."""
        return _TITLES[self]

    @property
    def rank(self) -> int:
        """Position in the catalogue's reading order (steps first, vector last)."""
        return list(Family).index(self)


_TITLES = {
    Family.STEPS: "Steps and thresholds",
    Family.PIECEWISE_LINEAR: "Linear and piecewise linear",
    Family.RECTIFIERS: "Rectifiers (ReLU and its variants)",
    Family.SIGMOIDAL: "Sigmoidal, softplus-like and other smooth curves",
    Family.SELF_GATED: "Self-gated (x times a smooth gate: GELU, SiLU, Mish, ...)",
    Family.PERIODIC_AND_CLASSIC: "Periodic and classic (sine, snake, Gaussian, ...)",
    Family.VECTOR: "Vector-valued (softmax, GLU variants, maxout)",
}


def parse_family(text: str) -> Family:
    """'self-gated', 'Self_Gated' -> Family.SELF_GATED; ValueError listing the families."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Family(key)
    except ValueError:
        known = ", ".join(f.value for f in Family)
        raise ValueError(f"unknown family {text!r} (families: {known})") from None
