"""Review a whole run: the projects' own waivers plus a waiver file, the store's and a baseline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from compliance.checking.checker import CheckRun, ProjectResult
from compliance.checking.status import RunReview, WaiverSource
from compliance.review.apply import own_waivers, review_project
from compliance.review.baseline import Baseline


def review_run(
    run: CheckRun,
    waivers: Sequence[WaiverSource] = (),
    baseline: Baseline | None = None,
    today: dt.date | None = None,
) -> CheckRun:
    """Set every project's review and the run's; waivers from outside that match nothing are listed."""
    day = today or dt.date.today()
    used: set[int] = set()
    for result in run.results:
        if result.project is None:
            continue
        result.review = review_project(
            result.project,
            result.findings,
            [*own_waivers(result.project), *waivers],
            baseline,
            day,
            used,
        )
    run.review = RunReview(
        unused=[w for w in waivers if id(w) not in used],
        baseline=baseline.source if baseline else None,
        today=day,
    )
    return run


def review_own(result: ProjectResult, today: dt.date) -> ProjectResult:
    """Apply only the project's own ``waivers:`` (a streamed run, one project at a time)."""
    if result.project is not None:
        project = result.project
        result.review = review_project(project, result.findings, own_waivers(project), None, today)
    return result
