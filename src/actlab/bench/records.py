"""What one bench run leaves behind: the typed record the store, the statistics, the
figures and the report pass between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

# finished: trained to the end of its budget; diverged: its loss became NaN or infinite
# (an outcome, ranked below every finished run); failed: an exception (a bug or bad input).
RunStatus = Literal["finished", "diverged", "failed"]


@dataclass(frozen=True)
class RunRecord:
    """One run: (activation, task, model, budget, optimiser, lr policy, seed) and its outcome."""

    key: str  # hash of the canonical configuration and seed
    activation: str  # canonical activation spec, e.g. "leaky_relu(negative_slope=0.2)"
    task: str  # e.g. "mnist1d", "digits", "moons", "csv:path"
    model: str  # e.g. "mlp(depth=2,width=100)", "cnn1d"
    seed: int
    status: RunStatus
    metric: str  # "test_accuracy" (classification) or "test_loss" (regression)
    higher_is_better: bool  # True for accuracy, False for loss
    test_metric: float | None = None  # the test split, read once at the end of a finished run
    best_val_metric: float | None = None  # best validation value seen during training
    learning_rate: float | None = None  # the rate used (fixed, or chosen on validation)
    steps_to_target: int | None = None  # first iteration that reached the target, if any
    seconds_to_target: float | None = None
    curve_steps: tuple[int, ...] = ()  # down-sampled learning curve: iterations ...
    curve_loss: tuple[float, ...] = ()  # ... and training loss at them
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    error: str | None = None  # traceback of a failed run
    environment: dict[str, str] = field(default_factory=dict)  # versions, host

    @property
    def mean_training_loss(self) -> float | None:
        """The training loss averaged over every step of the run (how fast it trained),
        from the stored curve: each point is the mean over the window of steps ending
        there, so the windows are weighted by their length.  None without a curve."""
        if not self.curve_steps:
            return None
        widths = np.diff(np.asarray(self.curve_steps, dtype=float), prepend=0.0)
        return float(np.dot(widths, self.curve_loss) / widths.sum())
