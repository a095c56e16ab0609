"""The static HTML report: an atlas page per activation, a page per lab experiment
(figures, tables, claims with verdicts) and an index (``actlab report``)."""

from actlab.report.builder import ReportOutcome, build_report

__all__ = ["ReportOutcome", "build_report"]
