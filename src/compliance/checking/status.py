"""What review adds to each finding: its fingerprint, 新增/重复 against a baseline, 已说明 by a waiver.

Why apart from :class:`~compliance.checking.findings.Finding`: a finding is what
the rules establish about the records; its status is what the evaluation team
decided about it, and changes without the records changing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from compliance.checking.findings import Finding
from compliance.checking.fingerprints import normalise, of_finding
from compliance.records.waivers import Waiver


class BaselineState(Enum):
    """A finding against the baseline (SARIF ``baselineState`` ``new``/``unchanged``)."""

    NEW = "new"
    REPEATED = "repeated"

    @property
    def label(self) -> str:
        """The Chinese word the outputs show."""
        return "新增" if self is BaselineState.NEW else "重复"

    @property
    def sarif(self) -> str:
        """SARIF's name for the state."""
        return "new" if self is BaselineState.NEW else "unchanged"


WAIVED_LABEL = "已说明"
RESOLVED_LABEL = "已整改"


@dataclass(frozen=True)
class WaiverSource:
    """A waiver with where it came from and the project it is limited to, if any.

    ``origin`` is ``records`` (the project's ``waivers:`` section), a waiver
    file's path, or ``store`` (recorded on the review page); ``project`` is a
    project identity for the first and last, None for a file (which may name
    ``project`` in the waiver itself).
    """

    waiver: Waiver
    origin: str
    project: str | None = None
    reference: str | None = None
    """The store's id of a recorded waiver."""

    def matches(self, identity: str, project_name: str, finding: Finding) -> bool:
        """Whether this waiver is about ``finding`` of the project ``identity``/``project_name``."""
        w = self.waiver
        if self.project is not None and self.project != identity:
            return False
        if w.project is not None and normalise(w.project) != normalise(project_name):
            return False
        return (
            normalise(w.rule).upper() == finding.rule.upper()
            and normalise(w.subject_kind) == normalise(finding.subject.type)
            and normalise(w.subject_key) == normalise(finding.subject.key)
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        w = self.waiver
        return {
            "rule": w.rule,
            "subject": w.subject,
            "project": w.project,
            "reason": w.reason,
            "accepted_by": w.accepted_by,
            "date": w.date.isoformat(),
            "expires": w.expires.isoformat() if w.expires else None,
            "document": w.document,
            "origin": self.origin,
            "location": w.location.as_dict() if w.location else None,
        }

    def describe(self) -> str:
        """One line for text outputs: reason, approver, date, expiry, document."""
        w = self.waiver
        parts = [f"认可人 {w.accepted_by}", f"日期 {w.date.isoformat()}"]
        if w.expires:
            parts.append(f"有效期至 {w.expires.isoformat()}")
        if w.document:
            parts.append(f"佐证 {w.document}")
        return f"{w.reason}（{'，'.join(parts)}）"

    def where(self) -> str:
        """Where to find the waiver: its file position, or the store."""
        w = self.waiver
        if w.location is not None:
            return str(w.location)
        return self.origin + (f" #{self.reference}" if self.reference else "")


@dataclass(frozen=True)
class ResolvedFinding:
    """A finding of the baseline that this run no longer reports (已整改)."""

    fingerprint: str
    rule: str
    title: str
    subject: dict[str, str]
    message: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "fingerprint": self.fingerprint,
            "rule": self.rule,
            "title": self.title,
            "subject": self.subject,
            "message": self.message,
        }


@dataclass
class FindingStatus:
    """One finding's review status."""

    fingerprint: str
    baseline: BaselineState | None = None
    waiver: WaiverSource | None = None
    expired: WaiverSource | None = None
    """A waiver about this finding that has expired: the finding is back."""

    @property
    def waived(self) -> bool:
        """Explained and accepted: shown, counted apart, never fails ``--fail-on``."""
        return self.waiver is not None

    @property
    def labels(self) -> list[str]:
        """The words shown beside the finding: 已说明, 新增 or 重复."""
        out = [WAIVED_LABEL] if self.waived else []
        if self.baseline is not None:
            out.append(self.baseline.label)
        return out

    def as_dict(self) -> dict[str, Any]:
        """The keys JSON adds to a finding."""
        return {
            "fingerprint": self.fingerprint,
            "status": "waived" if self.waived else "open",
            "baseline_state": self.baseline.value if self.baseline else None,
            "waiver": self.waiver.as_dict() if self.waiver else None,
            "expired_waiver": self.expired.as_dict() if self.expired else None,
        }


@dataclass
class ProjectReview:
    """The review status of one project's findings."""

    identity: str
    statuses: dict[str, FindingStatus] = field(default_factory=dict)
    resolved: list[ResolvedFinding] = field(default_factory=list)
    unused: list[WaiverSource] = field(default_factory=list)
    """The project's own waivers (its ``waivers:`` section) that match no finding."""
    baselined: bool = False

    def of(self, finding: Finding) -> FindingStatus:
        """The status of one of the project's findings."""
        fp = of_finding(self.identity, finding)
        return self.statuses.get(fp) or FindingStatus(fp)

    def counts(self, findings: list[Finding]) -> dict[str, int]:
        """已说明 apart from 待整改, and 新增/重复/已整改 when there is a baseline."""
        statuses = [self.of(f) for f in findings]
        out = {
            "waived": sum(1 for s in statuses if s.waived),
            "open": sum(1 for s in statuses if not s.waived),
        }
        if self.baselined:
            out["new"] = sum(1 for s in statuses if s.baseline is BaselineState.NEW)
            out["repeated"] = sum(1 for s in statuses if s.baseline is BaselineState.REPEATED)
            out["resolved"] = len(self.resolved)
        return out


@dataclass
class RunReview:
    """What a run adds beyond its projects: outside waivers that matched nothing, the baseline."""

    unused: list[WaiverSource] = field(default_factory=list)
    baseline: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
