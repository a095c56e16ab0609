"""Fake lab experiments for the report tests: small, fast, and one that always fails.

They are registered for the duration of a test (monkeypatched registry) and
live in a module put into ``sys.modules``, as a real experiment module would.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any

import pytest

from actlab.lab import registry
from actlab.lab.registry import Experiment
from actlab.lab.result import LECTURE_NOTES, Claim, Result, Table

FAKE_MODULE = "actlab_report_test_fakes"
CALLS: dict[str, int] = {}  # experiment name -> how many times run() was called


@dataclass(frozen=True)
class Config:
    points: int = 50  # samples of the curve
    seed: int = 0

    @classmethod
    def quick(cls) -> Config:
        return cls(points=10)


def good_claims(seed: int) -> list[Claim]:
    """A claim of every verdict, and a check that holds."""
    return [
        Claim.exact("the answer is 42", "Adams 1979", 42.0, 42.0 + seed * 0.001,
                    tolerance=0.01, quantity="the answer"),
        Claim.estimate("pi is about 3", "folklore", 3.0, samples=[2.9, 3.3, 2.8, 3.2, 3.05],
                       tolerance=0.1, quantity="pi, measured with a ruler"),
        Claim.effect("deep sigmoid nets train faster than shallow ones",
                     "Glorot & Bengio 2010, a fake citation", "faster",
                     differences=[-1.0, -2.0, -1.5, -0.5, -1.2],
                     quantity="steps of the shallow net minus steps of the deep one"),
        Claim.check("two plus two is four", LECTURE_NOTES, 4, 4, holds=True),
    ]


def run_good(config: Config, progress: Any = None) -> Result:
    CALLS["fake_good"] = CALLS.get("fake_good", 0) + 1
    if progress:
        progress(0.5, "halfway")
    claims = good_claims(config.seed)
    table = Table(["activation", "accuracy", "loss"],
                  [["relu", 0.975, 0.0123], ["tanh", 0.95, 1.5e-7]], caption="Fake scores")
    return Result("fake_good", {"points": config.points, "seed": config.seed},
                  metrics={"best": 0.975, "nested": {"a": 1, "b": [1.0, 2.0]}},
                  tables={"scores": table},
                  curves={"x": list(range(config.points))}, claims=claims, seconds=0.01)


def run_bad(config: Config, progress: Any = None) -> Result:
    CALLS["fake_bad"] = CALLS.get("fake_bad", 0) + 1
    raise RuntimeError("the fake experiment broke on purpose")


def figures(result: Result) -> dict[str, Any]:
    from matplotlib.figure import Figure

    CALLS["figures"] = CALLS.get("figures", 0) + 1
    out = {}
    for name in ("curve", "relu"):  # "relu" mimics a gallery panel keyed by activation
        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot(result.curves["x"])
        out[name] = fig
    return out


def _module(name: str, runner: Any) -> types.ModuleType:
    module = types.ModuleType(name)
    module.Config = Config  # type: ignore[attr-defined]
    module.run = runner  # type: ignore[attr-defined]
    module.figures = figures  # type: ignore[attr-defined]
    return module


@dataclass
class Fakes:
    names: list[str]
    calls: dict[str, int]  # experiment name -> how many times run() was called
    modules: dict[str, str]  # experiment name -> its module's name in sys.modules


@pytest.fixture
def fake_experiments(monkeypatch: pytest.MonkeyPatch) -> Fakes:
    """Register ``fake_good`` and ``fake_bad`` for one test."""
    registry.experiments()  # register the real ones first, so ours are added after
    CALLS.clear()
    fakes = {
        "fake_good": Experiment("fake_good", "A good fake", "Claims of every verdict.",
                                f"{FAKE_MODULE}_good", f"{FAKE_MODULE}_good", order=1),
        "fake_bad": Experiment("fake_bad", "A failing fake", "Raises in run().",
                               f"{FAKE_MODULE}_bad", f"{FAKE_MODULE}_bad", order=2),
    }
    monkeypatch.setitem(sys.modules, f"{FAKE_MODULE}_good", _module("good", run_good))
    monkeypatch.setitem(sys.modules, f"{FAKE_MODULE}_bad", _module("bad", run_bad))
    for name, exp in fakes.items():
        monkeypatch.setitem(registry.EXPERIMENTS, name, exp)
    return Fakes(list(fakes), CALLS, {name: exp.module for name, exp in fakes.items()})
