"""The one check every CLI error test makes: a user's mistake is one line, exit code 2."""

from __future__ import annotations

import pytest

from actlab.cli import main


def one_line_error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``actlab ARGS``; assert it failed with one 'actlab: error: …' line and no
    traceback; return that line."""
    code = main(list(args))
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    assert err.strip().count("\n") == 0, err
    assert err.startswith("actlab: error: "), err
    return err
