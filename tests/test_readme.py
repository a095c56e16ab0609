"""The README's Python examples run as written, and its quickstart matches .ci/run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_has_python_examples() -> None:
    assert len(PYTHON_BLOCKS) >= 2


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_readme_python_block_runs(index: int, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(PYTHON_BLOCKS[index], f"README block {index}", "exec"), {})
    assert capsys.readouterr().out.strip()  # every block prints what it shows


def test_ci_runs_the_readme_test_command() -> None:
    bash_blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    test_command = next(b for b in bash_blocks if "pytest" in b).strip()
    # the part after the venv set-up is what .ci/run runs, word for word
    tail = test_command.split("&& ", 2)[-1]
    assert tail in (ROOT / ".ci" / "run").read_text()
