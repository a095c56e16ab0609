"""Every check of every experiment holds on its quick configuration: a check is a fact that
holds by construction, so a failing one is a bug in our code."""

from __future__ import annotations

import pytest

from actlab.lab.registry import experiments


@pytest.mark.parametrize("name", [e.name for e in experiments()])
def test_every_check_of_the_quick_run_holds(name: str) -> None:
    exp = next(e for e in experiments() if e.name == name)
    result = exp.run(exp.config(quick=True))
    failing = [f"{c.statement}: expected {c.published}, measured {c.measured}"
               for c in result.failed_checks]
    assert not failing, failing
    for claim in result.claims:
        assert claim.kind in ("claim", "check")
        if claim.kind == "check":
            assert claim.verdict == "holds"
        elif claim.seeds > 1:  # stochastic: at least 5 seeds, and an interval
            assert claim.seeds >= 5 and claim.interval is not None, claim.statement
