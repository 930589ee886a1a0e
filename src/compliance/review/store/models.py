"""The store's tables (SQLAlchemy 2 declarative models); Alembic migrations create them.

Why these tables: a run must be reproducible from what was recorded (tool
version, hashes of the rule pack, profile and every input file, parameters),
its findings must be comparable across years (fingerprints, per project
identity), and every reviewer's decision is kept with who, when and why —
never overwritten, so the 底稿 shows the whole trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """The store's metadata."""


class Run(Base):
    """One ``compliance check --store``."""

    __tablename__ = "runs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    tool_version: Mapped[str] = mapped_column(String(40))
    command: Mapped[str] = mapped_column(String(40))
    rules_hash: Mapped[str] = mapped_column(String(64))
    profile_hash: Mapped[str | None] = mapped_column(String(64))
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    as_of: Mapped[dt.date] = mapped_column(Date)
    baseline: Mapped[str | None] = mapped_column(Text)
    inputs: Mapped[list[RunInput]] = relationship(back_populates="run", order_by="RunInput.path")
    projects: Mapped[list[RunProject]] = relationship(
        back_populates="run", order_by="RunProject.id"
    )


class RunInput(Base):
    """A file the run read, with its SHA-256."""

    __tablename__ = "run_inputs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    run: Mapped[Run] = relationship(back_populates="inputs")


class Blob(Base):
    """The bytes of an input file, stored once per content; ``RunInput.sha256`` names it."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Project(Base):
    """A project across years, by its identity (normalised name and department)."""

    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    identity: Mapped[str] = mapped_column(String(400), unique=True)
    name: Mapped[str] = mapped_column(Text)
    department: Mapped[str] = mapped_column(Text)


class RunProject(Base):
    """One project as checked by one run (its year, origin and summary)."""

    __tablename__ = "run_projects"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    """None when the records do not state it: kept, but outside the year-by-year history."""
    origin: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    run: Mapped[Run] = relationship(back_populates="projects")
    project: Mapped[Project] = relationship()
    findings: Mapped[list[StoredFinding]] = relationship(
        back_populates="run_project", order_by="StoredFinding.number"
    )


class StoredFinding(Base):
    """A finding of one project in one run, with its status then."""

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_fingerprint", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_project_id: Mapped[int] = mapped_column(
        ForeignKey("run_projects.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_key: Mapped[str] = mapped_column(Text)
    subject_name: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    baseline_state: Mapped[str | None] = mapped_column(String(10))
    waiver: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    run_project: Mapped[RunProject] = relationship(back_populates="findings")


class Decision(Base):
    """A reviewer's decision on a finding: a waiver (已说明) or a 整改 status, with reason."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_fingerprint", "fingerprint"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(32))
    rule: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    """``waiver`` or ``rectification``."""
    reviewer: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    state: Mapped[str | None] = mapped_column(String(20))
    """For a rectification: 未整改, 整改中 or 已整改."""
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    expires: Mapped[dt.date | None] = mapped_column(Date)
    document: Mapped[str | None] = mapped_column(Text)
    project: Mapped[Project] = relationship()
