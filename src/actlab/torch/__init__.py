"""PyTorch adapters: every catalogue entry as an ``nn.Module`` (see design.md, PyTorch side)."""

from actlab.torch.module import ActivationModule, SavedInputFunction, to_module

__all__ = ["ActivationModule", "SavedInputFunction", "to_module"]
