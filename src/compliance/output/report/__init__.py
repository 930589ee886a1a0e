"""Evaluation reports of scored projects: HTML, Word, Markdown and SARIF, and HTML sites.

``build_report`` checks nothing itself: it scores a :class:`~compliance.checking.checker.CheckRun`
under a profile; :mod:`outline` turns each project into the seven parts of 财预〔2020〕10号
附件3, and each format lays them out from its templates (``templates/``, or a bureau's own
folder laid over them). Every report carries a :class:`RunRecord` of what produced it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compliance.output.report.fonts import NoCjkFont
from compliance.output.report.html import render_html
from compliance.output.report.markdown import render_report_markdown
from compliance.output.report.model import ProjectReport, Report, build_report
from compliance.output.report.runrecord import RunRecord, make_run_record
from compliance.output.report.sarif import render_sarif
from compliance.output.report.site import render_site


def render_docx(
    report: Report,
    *,
    record: RunRecord | None = None,
    template: Path | None = None,
    cover: dict[str, str] | None = None,
) -> bytes:
    """The Word report (:mod:`word`), imported on use: matplotlib and docxtpl load slowly."""
    from compliance.output.report import word

    options: dict[str, Any] = {"record": record, "template": template, "cover": cover}
    return word.render_docx(report, **options)


FORMATS = ("html", "markdown", "sarif", "docx")

__all__ = [
    "FORMATS",
    "NoCjkFont",
    "ProjectReport",
    "Report",
    "RunRecord",
    "build_report",
    "make_run_record",
    "render_docx",
    "render_html",
    "render_report_markdown",
    "render_sarif",
    "render_site",
]
