"""Claim sources resolve to full references by first author and year."""

from __future__ import annotations

from actlab.report.bibliography import REFERENCES, cite


def test_sources_resolve_by_surname_and_year() -> None:
    assert cite("Glorot & Bengio 2010, Understanding the difficulty, §3").key == "glorot2010"
    assert cite("He et al. 2015, Delving deep into rectifiers").key == "he2015"
    assert cite("Hendrycks & Gimpel 2016, GELUs").key == "hendrycks2016"  # not "He"
    assert cite("Lu, Shin, Su & Karniadakis 2019").key == "lu2019"
    assert cite("Glorot & Bengio 2011") is None  # the year must match too
    assert cite("the lecture notes the project grew from") is None


def test_every_reference_is_complete_and_unique() -> None:
    keys = [r.key for r in REFERENCES]
    assert len(keys) == len(set(keys))
    for r in REFERENCES:
        assert r.authors and r.title and r.venue and 1900 < r.year < 2100
        assert cite(f"{r.surname} et al. {r.year}") == r
