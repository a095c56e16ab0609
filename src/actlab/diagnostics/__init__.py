"""Diagnostics for any PyTorch model: saturation, dead units, gradient flow (docs/design.md)."""

from actlab.diagnostics.recorder import Diagnostics, DiagnosticsLog, diagnose

__all__ = ["Diagnostics", "DiagnosticsLog", "diagnose"]
