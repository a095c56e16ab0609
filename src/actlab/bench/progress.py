"""The sweep's progress bar: finished/total, ETA, and the live leaders of the latest cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from actlab.bench.sweep import SweepProgress


class SweepBar:
    """One rich bar on stderr; :meth:`update` takes a :class:`SweepProgress`."""

    def __init__(self, total: int, done: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]bench"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("{task.fields[failed]}", markup=False),
            TextColumn("{task.description}", markup=False),
            console=Console(stderr=True), transient=False)
        self._task = self._progress.add_task("", total=total, completed=done, failed="")
        self._progress.start()

    def update(self, state: SweepProgress) -> None:
        failed = f"{state.failed} failed" if state.failed else ""
        self._progress.update(self._task, completed=state.done, description=state.leaders,
                              failed=failed)

    def close(self) -> None:
        self._progress.stop()
