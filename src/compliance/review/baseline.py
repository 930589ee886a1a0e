"""Baselines: an earlier run's findings, to mark this run's 新增/重复 and list what was 已整改.

Why from any earlier JSON output: the evaluation team keeps last year's
``--format json`` file; fingerprints are recomputed from its fields (project
name and department, rule, subject), so files written before fingerprints
existed work as well as new ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.checking.fingerprints import fingerprint, project_identity
from compliance.checking.status import ResolvedFinding
from compliance.core.errors import InputError, display_path


@dataclass
class Baseline:
    """Findings of an earlier run by project identity, then fingerprint."""

    source: str
    projects: dict[str, dict[str, ResolvedFinding]] = field(default_factory=dict)

    def add(self, identity: str, finding: ResolvedFinding) -> None:
        """Remember one earlier finding of the project ``identity``."""
        self.projects.setdefault(identity, {})[finding.fingerprint] = finding


def _add_project(baseline: Baseline, project: dict[str, Any]) -> None:
    info = project.get("project")
    if info is None:
        return  # a project that could not be loaded then has no findings to compare
    identity = project_identity(str(info["name"]), info.get("department") or None)
    baseline.projects.setdefault(identity, {})
    for f in project["findings"]:
        subject = {k: str(v) for k, v in f["subject"].items()}
        fp = fingerprint(identity, str(f["rule"]), subject["type"], subject["key"])
        found = ResolvedFinding(fp, str(f["rule"]), str(f["title"]), subject, str(f["message"]))
        baseline.add(identity, found)


def from_data(data: Any, source: str) -> Baseline:
    """A baseline from the plain data of ``compliance check --format json``."""
    if not isinstance(data, dict) or data.get("tool") != "compliance":
        raise InputError.single(source, "not a JSON output of `compliance check --format json`")
    baseline = Baseline(source)
    projects = data.get("projects")
    if not isinstance(projects, list):
        raise InputError.single(source, "projects: expected the list of checked projects")
    for index, project in enumerate(projects):
        try:
            _add_project(baseline, project)
        except (KeyError, TypeError, AttributeError) as exc:
            raise InputError.single(
                source, f"projects[{index}]: not a project of compliance check: missing {exc}"
            ) from None
    return baseline


def load_baseline(path: Path) -> Baseline:
    """Read an earlier JSON output; unreadable or foreign files are located input errors."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError.single(shown, "file is not UTF-8 text") from None
    except OSError as exc:
        raise InputError.single(shown, f"cannot read baseline: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(shown, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    return from_data(data, shown)
