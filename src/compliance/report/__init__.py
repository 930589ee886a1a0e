"""Evaluation reports of scored projects.

``build_report`` checks nothing itself: it scores a :class:`~compliance.checker.CheckRun`
under a profile, and each format lays the same :class:`Report` out.
"""

from __future__ import annotations

from compliance.report.model import ProjectReport, Report, build_report

__all__ = ["ProjectReport", "Report", "build_report"]
