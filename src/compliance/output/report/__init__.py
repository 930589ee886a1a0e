"""Evaluation reports of scored projects: HTML, Word, Markdown and SARIF.

``build_report`` checks nothing itself: it scores a :class:`~compliance.checking.checker.CheckRun`
under a profile, and each format lays the same :class:`Report` out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from compliance.output.report.html import render_html
from compliance.output.report.markdown import render_report_markdown
from compliance.output.report.model import ProjectReport, Report, build_report
from compliance.output.report.sarif import render_sarif
from compliance.output.report.word import render_docx

TEXT_FORMATS: dict[str, Callable[[Report, Path], str]] = {
    "html": lambda report, base: render_html(report, base),
    "markdown": lambda report, _base: render_report_markdown(report),
    "sarif": lambda report, _base: render_sarif(report),
}
"""Formats written as UTF-8 text; ``base`` is the output file's folder (for relative links)."""

FORMATS = (*TEXT_FORMATS, "docx")

__all__ = [
    "FORMATS",
    "TEXT_FORMATS",
    "ProjectReport",
    "Report",
    "build_report",
    "render_docx",
    "render_html",
    "render_report_markdown",
    "render_sarif",
]
