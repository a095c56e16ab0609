"""actlab — the activation-function laboratory.

>>> import actlab
>>> act = actlab.get("elu", alpha=0.5)
>>> float(act(-1.0)) == 0.5 * (2.718281828459045 ** -1 - 1)
True
"""

from typing import Any

from actlab.catalogue import (
    Activation,
    ActivationNotFound,
    VectorActivation,
    aliases,
    entry,
    get,
    names,
)

__version__ = "0.1.0"

__all__ = [
    "Activation",
    "ActivationNotFound",
    "VectorActivation",
    "__version__",
    "aliases",
    "diagnose",
    "entry",
    "get",
    "names",
]


def __getattr__(name: str) -> Any:
    # diagnose needs torch: imported on first use so `import actlab` stays light
    if name == "diagnose":
        from actlab.diagnostics import diagnose

        return diagnose
    raise AttributeError(f"module 'actlab' has no attribute {name!r}")
