"""Read the store back: waivers and baselines for the next check, a project's 整改 history.

Why here and not in the callers: ``check``, ``history`` and the review page must
read "the latest run of a year" and "the latest decision on a finding" the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.checking.fingerprints import normalise
from compliance.checking.status import ResolvedFinding, WaiverSource
from compliance.records.waivers import Waiver
from compliance.review.baseline import Baseline
from compliance.review.store.models import Decision, Project, Run, RunProject, StoredFinding

WAIVER = "waiver"
REVOCATION = "revocation"
"""The evaluator withdraws an accepted explanation: the finding is open again."""
RECTIFICATION = "rectification"
RECTIFICATION_STATES = ("未整改", "整改中", "已整改")


def stored_waivers(session: Session, identities: Iterable[str]) -> list[WaiverSource]:
    """The waivers recorded on the review page for these projects and not withdrawn since.

    Every waiver of a finding is kept (the latest valid one explains it), unless a
    revocation came after the last of them.
    """
    rows = session.execute(
        select(Decision, Project.identity)
        .join(Project, Decision.project_id == Project.id)
        .where(Project.identity.in_(list(identities)), Decision.kind.in_([WAIVER, REVOCATION]))
        .order_by(Decision.id)
    ).all()
    kept: dict[tuple[str, str], list[tuple[Decision, str]]] = {}
    for d, identity in rows:
        key = (identity, d.fingerprint)
        if d.kind == REVOCATION:
            kept.pop(key, None)
        else:
            kept.setdefault(key, []).append((d, identity))
    return [
        WaiverSource(
            Waiver(
                rule=d.rule,
                subject=d.subject,
                reason=d.reason,
                accepted_by=d.reviewer,
                date=d.created_at.date(),
                expires=d.expires,
                document=d.document,
            ),
            "store",
            identity,
            str(d.id),
        )
        for found in kept.values()
        for d, identity in found
    ]


def latest_checks(session: Session, project_id: int) -> dict[int, RunProject]:
    """The latest stored check of each year of one project."""
    rows = session.scalars(
        select(RunProject)
        .join(Run, RunProject.run_id == Run.id)
        .where(RunProject.project_id == project_id, RunProject.year.is_not(None))
        .order_by(Run.started_at, RunProject.id)
    ).all()
    return {r.year: r for r in rows if r.year is not None}


def stored_baseline(session: Session, years: Mapping[str, int | None]) -> Baseline:
    """For each project identity, the latest stored check of an earlier year than ``years`` says.

    A project whose year the records do not state has no earlier year to compare with.
    """
    baseline = Baseline("store")
    for identity, year in years.items():
        if year is None:
            continue
        project = session.scalars(select(Project).where(Project.identity == identity)).first()
        if project is None:
            continue
        earlier = {y: r for y, r in latest_checks(session, project.id).items() if y < year}
        if not earlier:
            continue
        checked = earlier[max(earlier)]
        baseline.source = f"store（{max(earlier)}年）" if len(years) == 1 else "store"
        baseline.projects.setdefault(identity, {})
        for f in checked.findings:
            subject = {"type": f.subject_type, "key": f.subject_key, "name": f.subject_name}
            baseline.add(
                identity, ResolvedFinding(f.fingerprint, f.rule, f.title, subject, f.message)
            )
    return baseline


@dataclass
class HistoryRow:
    """One finding of a project across its checked years."""

    fingerprint: str
    rule: str
    title: str
    subject: str
    years: dict[int, str] = field(default_factory=dict)
    """Year → 待整改, 已说明, 已整改 (gone after being found) or — (not found)."""
    rectification: Decision | None = None
    waiver: Decision | None = None

    def overdue(self, on: dt.date) -> bool:
        """Whether the 整改 deadline has passed on ``on`` without the state 已整改."""
        r = self.rectification
        return r is not None and r.deadline is not None and r.deadline < on and r.state != "已整改"


@dataclass
class ProjectHistory:
    """A project's findings by year, with their latest decisions."""

    project: Project
    years: list[int]
    rows: list[HistoryRow]


def find_projects(session: Session, query: str) -> list[Project]:
    """Projects whose name (or identity) contains ``query``, normalised."""
    wanted = normalise(query)
    projects = session.scalars(select(Project).order_by(Project.name)).all()
    return [p for p in projects if wanted in normalise(p.name) or wanted == p.identity]


def active_waivers(session: Session, project_id: int) -> set[str]:
    """Fingerprints of the project's findings with a waiver on the review page not withdrawn."""
    decisions = latest_decisions(session, project_id)
    return {
        fp
        for (fp, kind), d in decisions.items()
        if kind == WAIVER
        and not ((r := decisions.get((fp, REVOCATION))) is not None and r.id > d.id)
    }


def latest_decisions(session: Session, project_id: int) -> dict[tuple[str, str], Decision]:
    """The latest decision of each kind on each finding, keyed by (fingerprint, kind)."""
    rows = session.scalars(
        select(Decision).where(Decision.project_id == project_id).order_by(Decision.id)
    ).all()
    return {(d.fingerprint, d.kind): d for d in rows}


def history(session: Session, project: Project) -> ProjectHistory:
    """The project's findings in the latest check of each year, and what became of them."""
    checks = latest_checks(session, project.id)
    years = sorted(checks)
    rows: dict[str, HistoryRow] = {}
    for year in years:
        for f in checks[year].findings:
            row = rows.setdefault(
                f.fingerprint,
                HistoryRow(
                    f.fingerprint,
                    f.rule,
                    f.title,
                    f"{f.subject_name}（{f.subject_type}:{f.subject_key}）",
                ),
            )
            row.years[year] = "已说明" if f.status == "waived" else "待整改"
    for row in rows.values():
        seen = False
        for year in years:
            if year in row.years:
                seen = True
            else:
                row.years[year] = "已整改" if seen else "—"
    decisions = latest_decisions(session, project.id)
    for row in rows.values():
        row.rectification = decisions.get((row.fingerprint, RECTIFICATION))
        waiver = decisions.get((row.fingerprint, WAIVER))
        revoked = decisions.get((row.fingerprint, REVOCATION))
        row.waiver = waiver if waiver and not (revoked and revoked.id > waiver.id) else None
    ordered = sorted(rows.values(), key=lambda r: (r.rule, r.subject))
    return ProjectHistory(project, years, ordered)


def record_decision(
    session: Session,
    finding: StoredFinding,
    *,
    kind: str,
    reviewer: str,
    reason: str,
    state: str | None = None,
    deadline: dt.date | None = None,
    expires: dt.date | None = None,
    document: str | None = None,
) -> Decision:
    """Keep a reviewer's decision on a stored finding (never overwriting an earlier one)."""
    decision = Decision(
        project_id=finding.run_project.project_id,
        fingerprint=finding.fingerprint,
        rule=finding.rule,
        subject=f"{finding.subject_type}:{finding.subject_key}",
        kind=kind,
        reviewer=reviewer,
        reason=reason,
        created_at=dt.datetime.now(dt.UTC),
        state=state,
        deadline=deadline,
        expires=expires,
        document=document,
    )
    session.add(decision)
    session.flush()
    return decision
