"""Diagnostics for any PyTorch model: saturation, dead units, gradient flow (design.md)."""

from actlab.diagnostics.recorder import Diagnostics, DiagnosticsLog, diagnose

__all__ = ["Diagnostics", "DiagnosticsLog", "diagnose"]
