"""One torch thread while the lab's experiments run.

The experiments train tiny networks (tens of units, batches of ~100): a matrix
product is a few microseconds of work, and with several OpenMP threads the
hand-offs cost more than they save — on a busy 2-core machine the quick depth
sweep took 42 s of CPU with two threads and 1.5 s with one.  The report runner
and ``actlab lab run`` wrap their runs in :func:`single_threaded`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


@contextlib.contextmanager
def single_threaded() -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(1)``; the previous count is restored."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
