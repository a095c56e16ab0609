"""Test-session settings shared by every test module.

pytest-xdist runs two workers on a 2-core machine; each worker's OpenMP (torch)
and BLAS (NumPy) pools would otherwise start one thread per core, and the
oversubscribed threads spin against each other — small matrix products became
tens of times slower.  One thread per worker keeps the suite fast.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # no display in CI

from threadpoolctl import threadpool_limits  # noqa: E402

threadpool_limits(1)  # in case NumPy's BLAS was loaded before the variables were set

try:
    import torch
except ImportError:  # the catalogue's NumPy side is tested without torch too
    pass
else:
    torch.set_num_threads(1)
