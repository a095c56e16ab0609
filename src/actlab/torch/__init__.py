"""PyTorch adapters: every catalogue entry as an ``nn.Module`` (docs/design.md, PyTorch side)."""

from actlab.torch.module import ActivationModule, SavedInputFunction, to_module

__all__ = ["ActivationModule", "SavedInputFunction", "to_module"]
