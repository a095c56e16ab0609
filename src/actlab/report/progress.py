"""Progress for the report and ``lab run``: a rich bar that fits 80 columns and an ETA
that only states what the elapsed time supports.

rich's own ETA extrapolates the speed of the last few updates; an experiment that
reports nothing for 48 s after a quick start then shows "ETA 1 s".  Here the
estimate comes from whole steps: the time of the completed experiments per unit of
their expected cost, times the expected cost still ahead.  Before the first step
ends nothing supports an estimate, and the bar shows the elapsed time only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.progress import ProgressColumn, Task
from rich.text import Text

LABEL_WIDTH = 24  # the step's name and message, ellipsised: the bar fits 80 columns
BAR_WIDTH = 20


@dataclass
class EtaEstimate:
    """Remaining time of a run of steps with expected relative costs ``weights``."""

    weights: list[float]
    completed_seconds: float = 0.0  # time spent in the steps that are done
    completed_weight: float = 0.0
    _index: int = field(default=-1, repr=False)
    _step_started: float = field(default=0.0, repr=False)

    def start_step(self, index: int, now: float) -> None:
        """Step ``index`` begins at time ``now`` (the previous one is then complete)."""
        if self._index >= 0 and index != self._index:
            self.completed_seconds += now - self._step_started
            self.completed_weight += sum(self.weights[self._index:index])
        self._index, self._step_started = index, now

    def remaining(self, now: float) -> tuple[float, bool] | None:
        """(seconds left, is it only a lower bound), or None before a step has ended.

        The current step is charged its expected share minus the time it has run; when it
        has overrun, only the steps ahead are counted and the estimate is a lower bound.
        """
        if self.completed_weight <= 0 or self._index < 0:
            return None
        rate = self.completed_seconds / self.completed_weight  # seconds per unit of cost
        current = rate * self.weights[self._index] - (now - self._step_started) \
            if self._index < len(self.weights) else 0.0
        ahead = rate * sum(self.weights[self._index + 1:])
        return ahead + max(current, 0.0), current < 0


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    """``text`` in at most ``width`` characters, an ellipsis where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


class HonestRemainingColumn(ProgressColumn):
    """'ETA 1:02' from the task's ``eta`` field (an :class:`EtaEstimate`), '≥' when only a
    lower bound is known, and nothing but the elapsed time before an estimate exists."""

    def render(self, task: Task) -> Text:
        estimate: EtaEstimate | None = task.fields.get("eta")
        now = task.get_time()
        left = estimate.remaining(now) if estimate is not None else None
        if left is None or task.finished:
            return Text("ETA –", style="progress.remaining")
        seconds, lower_bound = left
        minutes, secs = divmod(round(seconds), 60)
        return Text(f"ETA {'≥' if lower_bound else ''}{minutes}:{secs:02d}",
                    style="progress.remaining")


def bar_columns(label_field: str = "description") -> tuple[Any, ...]:
    """The columns of both bars: label, bar, percentage, elapsed, honest ETA (< 80 cols)."""
    from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn

    return (
        TextColumn(f"{{task.{label_field}}}", markup=False),
        BarColumn(bar_width=BAR_WIDTH),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        HonestRemainingColumn(),
    )
