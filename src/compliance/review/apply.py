"""Apply waivers and a baseline to checked projects.

Why one place: ``check``, ``report``, the API and the store must agree on which
finding is 已说明, 新增 or 重复, so they all call :func:`review_project` (the
checker, with the project's own waivers) or :class:`Review` (with a waiver file,
the store's waivers and a baseline as well).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from compliance.checking.findings import Finding
from compliance.checking.fingerprints import of_finding, project_identity
from compliance.checking.status import (
    BaselineState,
    FindingStatus,
    ProjectReview,
    WaiverSource,
)
from compliance.core.errors import InputError
from compliance.core.modelerrors import problems_from
from compliance.core.yamlfile import read_yaml
from compliance.records.loading import ProjectRecords
from compliance.records.waivers import WaiverFile
from compliance.review.baseline import Baseline


def own_waivers(project: ProjectRecords) -> list[WaiverSource]:
    """The project's ``waivers:`` section, limited to the project."""
    identity = project_identity(project.info.name, project.info.department)
    return [WaiverSource(w, "records", identity) for w in project.waivers]


def review_project(
    project: ProjectRecords,
    findings: Sequence[Finding],
    waivers: Sequence[WaiverSource],
    baseline: Baseline | None,
    today: dt.date,
    used: set[int] | None = None,
) -> ProjectReview:
    """Each finding's status; ``used`` collects the ids of the waivers that matched a finding."""
    info = project.info
    identity = project_identity(info.name, info.department)
    review = ProjectReview(identity, baselined=baseline is not None)
    earlier = baseline.projects.get(identity, {}) if baseline is not None else {}
    matched: set[int] = set()
    for finding in findings:
        status = FindingStatus(of_finding(identity, finding))
        about = [w for w in waivers if w.matches(identity, info.name, finding)]
        matched.update(id(w) for w in about)
        valid = [w for w in about if not w.waiver.expired_on(today)]
        expired = [w for w in about if w.waiver.expired_on(today)]
        if valid:
            status.waiver = max(valid, key=lambda w: w.waiver.date)
        elif expired:
            status.expired = max(expired, key=lambda w: w.waiver.expires or w.waiver.date)
        if baseline is not None:
            repeated = status.fingerprint in earlier
            status.baseline = BaselineState.REPEATED if repeated else BaselineState.NEW
        review.statuses[status.fingerprint] = status
    if baseline is not None:
        review.resolved = [f for fp, f in earlier.items() if fp not in review.statuses]
    review.unused = [w for w in waivers if w.origin == "records" and id(w) not in matched]
    if used is not None:
        used.update(matched)
    return review


def load_waivers(path: Path) -> list[WaiverSource]:
    """A waiver file (``waivers:`` list); a waiver without reason or approver is bad input."""
    doc = read_yaml(path)
    data = doc.data if doc.data is not None else {}
    if doc.problems:
        raise InputError(doc.problems)
    try:
        parsed = WaiverFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, WaiverFile, doc.locate)) from None
    return [
        WaiverSource(w.located(doc.locate(("waivers", i))), doc.file)
        for i, w in enumerate(parsed.waivers)
    ]
