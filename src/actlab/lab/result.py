"""What an experiment returns: metrics, tables, curves and claims, serialisable to JSON.

A :class:`Claim` sets a published statement beside our measurement. Its verdict is
computed by the lab's one rule (:mod:`actlab.lab.verdict`), never written by hand:

* ``kind="claim"``: a published statement our measurement could contradict; made by
  :meth:`Claim.effect` ("X is larger/smaller than Y", a significance test across seeds),
  :meth:`Claim.estimate` ("the value is about P", a 95 % interval against a tolerance)
  or :meth:`Claim.exact` (a deterministic number against a tolerance). Verdict:
  "reproduced", "partly" or "not reproduced".
* ``kind="check"``: a fact that holds by construction or by arithmetic, made by
  :meth:`Claim.check`; its verdict is "holds" or "fails", and a failing check is a bug.

Every claim records ``seeds`` (the independent runs the measurement rests on; 1 for a
deterministic computation) and ``interval`` (our 95 % interval, or None); ``quantity``
names what ``published`` and ``measured`` are (both the same quantity in the same units).
Sources from the course material are named :data:`LECTURE_NOTES`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from actlab.lab import verdict as rule
from actlab.lab.verdict import (
    CheckOutcome,
    Direction,
    PairedTest,
    Samples,
    UnpairedTest,
    Verdict,
)

ClaimKind = Literal["claim", "check"]

# How claims from the course material name their source (never by file numbers, which a
# reader would take for random seeds).
LECTURE_NOTES = "the lecture notes the project grew from"


@dataclass(frozen=True)
class Claim:
    """A published statement (or a check), our measured value and the verdict that follows."""

    statement: str  # what the source says (or, for a check, the fact)
    source: str  # the paper, or "the lecture notes the project grew from"
    published: Any  # the source's number in the units of ``measured`` (or text)
    measured: Any  # ours, the same quantity in the same units
    verdict: Verdict | CheckOutcome
    detail: str = ""  # how the verdict was reached: test, p-value, tolerance
    kind: ClaimKind = "claim"
    seeds: int = 1  # independent runs behind ``measured``; 1 when deterministic
    interval: tuple[float, float] | None = None  # our 95 % interval of ``measured``
    tolerance: float | None = None  # for estimates and exact values
    quantity: str = ""  # what ``published`` and ``measured`` are, e.g. "test accuracy"

    @property
    def is_check(self) -> bool:
        return self.kind == "check"

    @property
    def failed_check(self) -> bool:
        """A check that does not hold: a bug in our code, shown loudly."""
        return self.kind == "check" and self.verdict != "holds"

    # -- claims --------------------------------------------------------------------

    @classmethod
    def effect(
        cls,
        statement: str,
        source: str,
        published: Any,
        *,
        differences: Samples | None = None,
        samples: tuple[Samples, Samples] | None = None,
        direction: Direction = "greater",
        paired: bool = True,
        test: PairedTest | UnpairedTest | None = None,
        null: float = 0.0,
        deterministic: bool = False,
        quantity: str = "",
        detail: str = "",
    ) -> Claim:
        """A claim that an effect has a sign: "X is larger (smaller) than Y".

        Give either ``differences`` (one per seed, e.g. ``loss_relu - loss_tanh``, or a
        log ratio; compared with ``null``) or ``samples=(x, y)``: paired by seed when
        ``paired`` (then ``x - y`` is tested), otherwise two independent samples.
        ``direction="greater"`` claims the difference is above ``null``. Tests are
        one-sided: Wilcoxon signed-rank (default) or ``test="t"`` for paired data,
        Mann-Whitney U (default) or ``test="welch"`` for unpaired. ``measured`` is the
        mean difference, ``interval`` its 95 % interval. ``published`` is the source's
        value of the same quantity (a number, or text when it gives none). At least
        5 seeds unless ``deterministic`` (one exact difference: its sign decides).
        """
        if (differences is None) == (samples is None):
            raise ValueError("give exactly one of differences or samples")
        if samples is not None and paired:
            x, y = (np.asarray(s, dtype=float) for s in samples)
            if x.shape != y.shape:
                raise ValueError(f"paired samples differ in length: {x.size} and {y.size}")
            differences = x - y
        if deterministic:
            d = np.asarray(differences if differences is not None else [], dtype=float)
            if d.size != 1:
                raise ValueError("a deterministic effect is one exact difference")
            value = float(d[0])
            verdict = rule.effect_verdict(value, 0.0, direction, null)
            return cls(statement, source, published, value, verdict,
                       _join(f"exact difference, claimed {_side(direction, null)}", detail),
                       seeds=1, quantity=quantity)
        if differences is not None:
            if test not in (None, "wilcoxon", "t"):
                raise ValueError(f"{test!r} is not a paired test")
            result = rule.paired_test(differences, direction, test=test or "wilcoxon",
                                      null=null)
        else:
            assert samples is not None
            if test not in (None, "mannwhitney", "welch"):
                raise ValueError(f"{test!r} is not a test for independent samples")
            if null != 0.0:
                raise ValueError("null applies to differences, not to independent samples")
            result = rule.unpaired_test(samples[0], samples[1], direction,
                                        test=test or "mannwhitney")
        rule.require_seeds(result.seeds)
        return cls.from_test(statement, source, published, result, direction=direction,
                             null=null, quantity=quantity, detail=detail)

    @classmethod
    def rate(
        cls,
        statement: str,
        source: str,
        published: Any,
        *,
        successes: int,
        trials: int,
        direction: Direction = "greater",
        null: float = 0.5,
        quantity: str = "",
        detail: str = "",
    ) -> Claim:
        """A claim that a success rate lies above (below) ``null``: exact binomial test,
        Wilson interval; each trial is an independent run (at least 5)."""
        rule.require_seeds(trials, "a rate")
        result = rule.binomial_test(successes, trials, direction, null)
        return cls.from_test(statement, source, published, result, direction=direction,
                             null=null, quantity=quantity, detail=detail)

    @classmethod
    def from_test(
        cls,
        statement: str,
        source: str,
        published: Any,
        result: rule.TestResult,
        *,
        direction: Direction,
        null: float = 0.0,
        quantity: str = "",
        detail: str = "",
    ) -> Claim:
        """An effect claim from a test already run (e.g. by the bench's statistics)."""
        rule.require_seeds(result.seeds)
        verdict = rule.effect_verdict(result.estimate, result.p_value, direction, null)
        how = (f"{result.test} of {_side(direction, null)}: p = {result.p_value:.3g} "
               f"(reproduced needs p < {rule.ALPHA:g})")
        return cls(statement, source, published, result.estimate, verdict,
                   _join(how, detail), seeds=result.seeds, interval=result.interval,
                   quantity=quantity)

    @classmethod
    def estimate(
        cls,
        statement: str,
        source: str,
        published: float,
        *,
        tolerance: float,
        samples: Samples | None = None,
        measured: float | None = None,
        interval: tuple[float, float] | None = None,
        seeds: int | None = None,
        quantity: str = "",
        detail: str = "",
    ) -> Claim:
        """A claim that a value is about ``published`` (within ``tolerance``, same units).

        Give ``samples`` (one value per seed: ``measured`` is their mean, ``interval`` its
        95 % Student-t interval), or ``measured``, ``interval`` and ``seeds`` computed
        otherwise (a Wilson or bootstrap interval). Reproduced when the whole interval lies
        within ``published ± tolerance``; partly when only ``measured`` does. At least 5
        seeds.
        """
        if samples is not None:
            if measured is not None or interval is not None or seeds is not None:
                raise ValueError("give samples, or measured with interval and seeds")
            values = np.asarray(samples, dtype=float)
            measured = float(values.mean())
            interval = rule.mean_interval(values)
            seeds = int(values.size)
        elif measured is None or interval is None or seeds is None:
            raise ValueError("give samples, or measured with interval and seeds")
        rule.require_seeds(seeds)
        low, high = float(interval[0]), float(interval[1])
        verdict = rule.estimate_verdict(published, measured, (low, high), tolerance)
        how = (f"reproduced when our 95% interval lies within {published:.4g} ± "
               f"{tolerance:.3g}")
        return cls(statement, source, published, float(measured), verdict, _join(how, detail),
                   seeds=seeds, interval=(low, high), tolerance=float(tolerance),
                   quantity=quantity)

    @classmethod
    def exact(
        cls,
        statement: str,
        source: str,
        published: float,
        measured: float,
        *,
        tolerance: float,
        partly_factor: float = 2.0,
        quantity: str = "",
        detail: str = "",
    ) -> Claim:
        """A deterministic number (one computation, no seeds) against ``published``:
        reproduced within ``tolerance``, partly within ``partly_factor`` times it."""
        verdict = rule.exact_verdict(published, float(measured), tolerance, partly_factor)
        how = f"deterministic; tolerance ± {tolerance:.3g}"
        return cls(statement, source, published, float(measured), verdict, _join(how, detail),
                   seeds=1, tolerance=float(tolerance), quantity=quantity)

    # -- checks --------------------------------------------------------------------

    @classmethod
    def check(
        cls,
        statement: str,
        source: str,
        expected: Any,
        measured: Any,
        holds: bool,
        *,
        seeds: int = 1,
        quantity: str = "",
        detail: str = "",
    ) -> Claim:
        """A fact that holds by construction or by arithmetic (a demonstration and a test of
        our code): verdict "holds" or "fails"; a failing check is a bug."""
        outcome: CheckOutcome = "holds" if holds else "fails"
        return cls(statement, source, expected, measured, outcome, detail, kind="check",
                   seeds=seeds, quantity=quantity)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        """A claim as stored in result.json (files written before kind/seeds/interval
        existed load as claims on one seed with no interval)."""
        data = dict(data)
        if data.get("interval") is not None:
            low, high = data["interval"]
            data["interval"] = (float(low), float(high))
        return cls(**data)


def _side(direction: Direction, null: float) -> str:
    return f"{'>' if direction == 'greater' else '<'} {null:g}"


def _join(how: str, detail: str) -> str:
    return f"{how}. {detail}".strip() if detail else how + "."


@dataclass
class Table:
    """A small table for the report: column names and rows of plain values."""

    columns: list[str]
    rows: list[list[Any]]
    caption: str = ""


@dataclass
class Result:
    """Everything an experiment measured; figures are drawn from it afterwards."""

    experiment: str
    config: dict[str, Any]
    metrics: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    # name -> {"x": [...], "series name": [...], ...} or any nested JSON-able data
    curves: dict[str, Any] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed_checks(self) -> list[Claim]:
        """Checks that do not hold: bugs, which the CLI and the report show loudly."""
        return [c for c in self.claims if c.failed_check]

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=_jsonable, indent=1, allow_nan=True)

    @classmethod
    def from_json(cls, text: str) -> Result:
        data = json.loads(text)
        data["tables"] = {k: Table(**v) for k, v in data["tables"].items()}
        data["claims"] = [Claim.from_dict(c) for c in data["claims"]]
        return cls(**data)

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.to_json())
        return path


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (set, tuple)):
        return list(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")
