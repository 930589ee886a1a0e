"""Record a checked run in the store: what was read (with hashes), how, and every finding.

Why hashes and bytes: a stored result is a working paper (底稿) only if one can
show it came from these rules, this profile and these files; the SHA-256 of each
says so, and the bytes of every input file (records, waiver files, baseline) are
kept once per content, so the files checked can be read back from the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance import __version__
from compliance.checking.checker import CheckRun
from compliance.records.loading import NOT_RECORDS, RECORD_SUFFIXES
from compliance.review.store.database import Store
from compliance.review.store.models import (
    Blob,
    Project,
    Run,
    RunInput,
    RunProject,
    StoredFinding,
)


def sha256_file(path: Path) -> str:
    """The SHA-256 of one file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_hash(folder: Path) -> str:
    """One SHA-256 over every file under ``folder``: relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def record_files(origin: str) -> list[Path]:
    """The record files a project was read from (a case folder's files, or the one file)."""
    path = Path(origin)
    if path.is_dir():
        return sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix in RECORD_SUFFIXES and p.name not in NOT_RECORDS
        )
    return [path] if path.is_file() else []


def project_row(session: Session, identity: str, name: str, department: str | None) -> Project:
    """The project with ``identity``, created on first sight."""
    row = session.scalars(select(Project).where(Project.identity == identity)).one_or_none()
    if row is None:
        row = Project(identity=identity, name=name, department=department or "")
        session.add(row)
        session.flush()
    return row


def record_run(
    store: Store,
    run: CheckRun,
    *,
    command: str,
    rules: Path,
    parameters: Mapping[str, str],
    extra_inputs: Iterable[Path] = (),
    profile: Path | None = None,
) -> str:
    """Store the run and its findings with their status; return the new run's id."""
    review = run.review
    run_id = str(uuid.uuid4())
    with store.session() as session:
        row = Run(
            id=run_id,
            started_at=dt.datetime.now(dt.UTC),
            tool_version=__version__,
            command=command,
            rules_hash=tree_hash(rules),
            profile_hash=sha256_file(profile) if profile else None,
            parameters=dict(parameters),
            as_of=review.today if review else dt.date.today(),
            baseline=review.baseline if review else None,
        )
        session.add(row)
        inputs = [p for r in run.results for p in record_files(r.origin)]
        for path in dict.fromkeys([*inputs, *extra_inputs]):
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()
            if session.get(Blob, digest) is None:
                session.add(Blob(sha256=digest, size=len(content), content=content))
                session.flush()
            session.add(RunInput(run_id=run_id, path=path.as_posix(), sha256=digest))
        for result in run.results:
            if result.project is None or result.review is None:
                continue
            info = result.project.info
            project = project_row(session, result.review.identity, info.name, info.department)
            checked = RunProject(
                run_id=run_id,
                project_id=project.id,
                year=info.year,
                origin=result.origin,
                summary=result.summary(),
            )
            session.add(checked)
            session.flush()
            for finding in result.findings:
                status = result.review.of(finding)
                session.add(
                    StoredFinding(
                        run_project_id=checked.id,
                        number=finding.number,
                        fingerprint=status.fingerprint,
                        rule=finding.rule,
                        title=finding.title,
                        category=finding.category,
                        severity=finding.severity.value,
                        subject_type=finding.subject.type,
                        subject_key=finding.subject.key,
                        subject_name=finding.subject.name,
                        message=finding.message,
                        location=str(finding.location) if finding.location else None,
                        status="waived" if status.waived else "open",
                        baseline_state=status.baseline.value if status.baseline else None,
                        waiver=status.waiver.as_dict() if status.waiver else None,
                        data={
                            **finding.as_dict(),
                            **status.as_dict(),
                            "evidence_labels": {e.name: e.label for e in finding.evidence},
                        },
                    )
                )
    return run_id
