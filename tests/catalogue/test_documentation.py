"""The catalogue documents itself: generated docstrings (help()), a closed set of
families that the report places, clear errors for bad input, and a repository that
cites only its own documentation."""

from __future__ import annotations

import inspect
import pydoc
import re
from pathlib import Path

import numpy as np
import pytest

import actlab
from actlab.catalogue.families import Family, parse_family
from actlab.errors import UserError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", actlab.names())
def test_help_shows_formula_parameters_defaults_and_references(name: str) -> None:
    act = actlab.get(name)
    text = inspect.getdoc(act) or ""
    assert text.splitlines()[0] in pydoc.render_doc(act, renderer=pydoc.plaintext)
    flat = " ".join(text.split())
    assert " ".join(act.formula.split()) in flat
    for spec in act.parameters:
        assert f"{spec.name} : " in flat and f"default {spec.default!r}" in flat
    for ref in act.references:
        assert " ".join(str(ref).split()) in flat
    assert f"actlab.get({name!r})" in flat


def test_gelu_help_reads_like_a_library_docstring() -> None:
    text = pydoc.render_doc(actlab.get("gelu"), renderer=pydoc.plaintext)
    assert "Gaussian error linear unit" in text
    assert "approximate : str, default 'none'" in text
    assert "Hendrycks & Gimpel" in text and "torch.nn.GELU" in text


def test_every_entry_has_a_family_of_the_closed_set() -> None:
    for name in actlab.names():
        assert isinstance(actlab.entry(name).family, Family), name
    used = {actlab.entry(n).family for n in actlab.names()}
    assert used == set(Family), f"families without entries: {set(Family) - used}"
    titles = [f.heading for f in Family]
    assert len(set(titles)) == len(titles)


def test_report_places_every_family_in_catalogue_order() -> None:
    from actlab.report.atlas import AtlasEntry
    from actlab.report.site import by_family

    def card(name: str, family: str) -> AtlasEntry:
        return AtlasEntry(name=name, family=family, summary="", elementwise=True,
                          formula_lhs="", formula="", derivative_lhs="",  # type: ignore[arg-type]
                          derivative_formula="", formula_source="",  # type: ignore[arg-type]
                          derivative_source="", properties=[], parameters=[], kinks=[],
                          equivalents=[], references=[], notes=[], aliases=[])

    cards = [card(n, actlab.entry(n).family.value) for n in actlab.names()]
    cards.append(card("broken", "unknown"))
    groups = by_family(cards[::-1])  # order in, order out: by family rank
    titles = [title for title, _ in groups]
    assert titles == [f.heading for f in Family] + ["Not documented"]
    placed = {e.name for _, entries in groups[:-1] for e in entries}
    assert placed == set(actlab.names())


def test_family_names_parse_as_a_reader_types_them() -> None:
    assert parse_family("Self-gated") is Family.SELF_GATED
    assert parse_family("piecewise linear") is Family.PIECEWISE_LINEAR
    with pytest.raises(ValueError, match=r"unknown family 'smooth'.*self_gated"):
        parse_family("smooth")


@pytest.mark.parametrize("bad", [None, 3, 1.5, ["relu"], b"relu"])
def test_get_with_a_non_string_is_a_clear_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="activation name must be a string") as info:
        actlab.get(bad)  # type: ignore[arg-type]
    assert isinstance(info.value, UserError)
    with pytest.raises(TypeError, match="must be a string"):
        actlab.entry(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", [n for n in actlab.names() if not actlab.entry(n).elementwise])
def test_vjp_with_mismatched_shapes_names_both(name: str) -> None:
    act = actlab.get(name)
    x = np.ones((3, 4))
    wrong = np.ones((3, 5))
    expected = act(x).shape
    with pytest.raises(ValueError, match=re.escape(f"grad_out has shape {wrong.shape}")) as info:
        act.vjp(x, wrong)
    assert str(expected) in str(info.value) and str(x.shape) in str(info.value)


def test_elementwise_vjp_with_mismatched_shapes_names_both() -> None:
    with pytest.raises(ValueError, match=r"grad_out has shape \(2,\).*shape \(3,\)"):
        actlab.get("relu").vjp(np.ones(3), np.ones(2))


FORBIDDEN = re.compile(r"(?<![/\w])(design|catalogue|claims)\.md|seeds? 0[0-9]{2}\b|/work/")


def test_code_cites_only_the_repository_documentation() -> None:
    """No citation of files outside the repository (docs/*.md are inside it)."""
    offenders = []
    for folder in ("src", "tests", "benchmarks", "examples"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if FORBIDDEN.search(line.replace("docs/design.md", "")) and path.name != \
                        "test_documentation.py":
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
    for doc in ("design.md", "numerical-contract.md", "adding-an-activation.md", "sources.md"):
        assert (ROOT / "docs" / doc).is_file(), doc
