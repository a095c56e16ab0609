"""The progress bar: an ETA only the elapsed time supports, labels inside 80 columns."""

from __future__ import annotations

import io

from rich.console import Console
from rich.progress import Progress

from actlab.report.progress import EtaEstimate, bar_columns, shorten


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_no_estimate_before_a_step_has_ended() -> None:
    eta = EtaEstimate(weights=[1.0, 1.0, 1.0])
    eta.start_step(0, now=0.0)
    assert eta.remaining(now=30.0) is None


def test_a_long_step_does_not_shrink_the_estimate_to_nothing() -> None:
    """The case that read 'ETA 1 s': a quick first step, then a 48 s one."""
    eta = EtaEstimate(weights=[1.0, 1.0, 1.0, 1.0])
    eta.start_step(0, now=0.0)
    eta.start_step(1, now=2.0)  # the first experiment took 2 s
    seconds, lower = eta.remaining(now=3.0)
    assert seconds == 1.0 + 2 * 2.0 and not lower  # rest of this step, two more of 2 s
    seconds, lower = eta.remaining(now=50.0)  # 48 s into the second step
    assert seconds == 4.0 and lower  # the steps ahead, and it says "at least"
    eta.start_step(2, now=50.0)  # two steps in 50 s: 25 s per unit of cost
    seconds, lower = eta.remaining(now=50.0)
    assert seconds == 50.0 and not lower


def test_expected_costs_weight_the_estimate() -> None:
    eta = EtaEstimate(weights=[1.0, 3.0, 0.5])
    eta.start_step(0, now=0.0)
    eta.start_step(1, now=10.0)
    assert eta.remaining(now=10.0) == (10.0 * 3.0 + 10.0 * 0.5, False)


def render(columns_width: int, description: str, eta: EtaEstimate | None) -> list[str]:
    """The bar as a rich Console of that width draws it (text, no terminal codes)."""
    clock = Clock()
    with Progress(*bar_columns(), get_time=clock, disable=True) as bar:
        task = bar.add_task(shorten(description), total=10, eta=eta)
        clock.now = 65.0
        bar.update(task, completed=3)
        console = Console(file=io.StringIO(), width=columns_width, record=True,
                          color_system=None)
        console.print(bar.get_renderable())
    return [line.rstrip() for line in console.export_text().splitlines() if line.strip()]


def test_labels_and_eta_fit_80_columns() -> None:
    eta = EtaEstimate(weights=[1.0] * 10)
    eta.start_step(0, now=0.0)
    eta.start_step(3, now=60.0)
    long_label = "vanishing_gradients: training the 10-layer sigmoid network, seed 4 of 5"
    lines = render(80, long_label, eta)
    last = lines[-1]
    assert len(last) <= 80
    assert last.startswith(shorten(long_label)) and shorten(long_label).endswith("…")
    assert "ETA 2:15" in last  # 60 s for 3 steps: 20 s each, 7 left, 5 s into this one
    assert "0:01:05" in last  # the elapsed time


def test_without_an_estimate_the_bar_shows_elapsed_time_only() -> None:
    last = render(80, "gates: starting", None)[-1]
    assert "ETA –" in last and "0:01:05" in last and len(last) <= 80
