"""NumPy's SIMD kernels on the memory of CPU tensors, where they beat PyTorch's.

PyTorch's CPU kernels for tanh, arctan, expm1, exp, log, ... are scalar or lightly
vectorised, while NumPy (2.x, AVX2/AVX-512) ships SIMD kernels for them that are
1.5-7x faster on one thread.  ``Tensor.numpy()`` views a CPU tensor's memory without a
copy, so a unary function can run NumPy's kernel straight into a fresh tensor.

NumPy runs on the calling thread only, while PyTorch splits tensors of at least
``GRAIN_SIZE`` elements over its intra-op threads; so NumPy is used only where its
one-thread speed-up exceeds the number of threads PyTorch would use (actlab's lab,
bench and playground train on one thread).  Autograd never sees these calls: they
are used only outside a graph (``TorchBackend`` falls back to the PyTorch kernel
for a tensor that requires grad while grad mode is on).

The speed-ups below are NumPy 2.4 against torch 2.13 on one thread at 10^6 elements
(``python benchmarks/catalogue.py --numpy-kernels --threads 1 --clock cpu --n 1000000``);
re-measure when either changes.  Not listed: float64 sin and cos (NumPy's are ~5x
slower) and float32 sqrt (no faster).
"""

from __future__ import annotations

import numpy as np
import torch

# PyTorch's intra-op parallel grain: smaller tensors run on one thread
GRAIN_SIZE = 32768

# (NumPy ufunc name, dtype) -> NumPy's speed-up over PyTorch's kernel on one thread
NUMPY_SPEEDUP: dict[tuple[str, torch.dtype], float] = {
    ("tanh", torch.float32): 7.3, ("tanh", torch.float64): 2.9,
    ("arctan", torch.float32): 6.7, ("arctan", torch.float64): 4.4,
    ("cosh", torch.float32): 3.7, ("cosh", torch.float64): 2.8,
    ("expm1", torch.float32): 2.7, ("expm1", torch.float64): 2.1,
    ("log", torch.float32): 2.7, ("log", torch.float64): 2.6,
    ("exp", torch.float32): 1.8, ("exp", torch.float64): 1.9,
    ("log1p", torch.float32): 1.7, ("log1p", torch.float64): 1.8,
    ("sqrt", torch.float64): 1.5,
    ("sin", torch.float32): 2.1, ("cos", torch.float32): 2.4,
}


def numpy_unary(name: str, x: torch.Tensor, out: torch.Tensor | None = None) -> torch.Tensor | None:
    """``np.<name>(x)`` written into ``out`` (default: a fresh tensor) where NumPy's kernel
    is the faster one for ``x``, else None (the caller then uses PyTorch's kernel)."""
    speedup = NUMPY_SPEEDUP.get((name, x.dtype))
    if (speedup is None or x.device.type != "cpu" or x.is_neg() or x.is_conj()
            or (x.requires_grad and torch.is_grad_enabled())):
        return None
    threads = 1 if x.numel() < GRAIN_SIZE else torch.get_num_threads()
    if speedup <= threads:
        return None
    if out is None:
        out = torch.empty_like(x)  # a dense input's strides; an expanded one's: contiguous
    with np.errstate(all="ignore"):  # exp overflows to inf, log(0) is -inf: as torch
        getattr(np, name)(x.detach().numpy(), out=out.numpy())
    return out
