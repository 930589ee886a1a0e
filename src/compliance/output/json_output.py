"""JSON: every finding with the keys of the issue's contract, per project, plus a summary.

``errors`` of a project holds bad input (``kind: input``, with its location) and bugs
(``kind: internal``, with the rule, project, message and traceback).
"""

from __future__ import annotations

import json
from typing import Any

from compliance import __version__
from compliance.checking.checker import CheckRun, ProjectResult


def _project(result: ProjectResult) -> dict[str, Any]:
    info = result.project.info if result.project else None
    return {
        "origin": result.origin,
        "project": None
        if info is None
        else {
            "name": info.name,
            "year": info.year,
            "department": info.department,
            "evaluation_kind": info.evaluation_kind.value,
        },
        "findings": [f.as_dict() for f in result.findings],
        "undecided": [u.to_json() for u in result.undecided],
        "recommendations": [g.as_dict() for g in result.recommendations],
        "summary": result.summary(),
        "errors": [
            {
                "kind": "input",
                "location": p.location.as_dict(),
                "path": p.path,
                "message": p.message,
            }
            for p in result.problems
        ]
        + [e.as_dict() for e in result.errors],
    }


def to_data(run: CheckRun) -> dict[str, Any]:
    """The run as plain data."""
    projects = [_project(r) for r in run.results]
    return {
        "tool": "compliance",
        "version": __version__,
        "rules": len(run.pack.rules),
        "projects": projects,
        "summary": {
            "projects": len(projects),
            "findings": sum(len(r.findings) for r in run.results),
            "undecided": sum(len(r.undecided) for r in run.results),
            "projects_with_errors": sum(1 for r in run.results if r.problems or r.errors),
            "rule_errors": {rule: e.as_dict() for rule, e in sorted(run.rule_errors.items())},
        },
    }


def render_json(run: CheckRun) -> str:
    """The run as indented UTF-8 JSON (Chinese left readable)."""
    return json.dumps(to_data(run), ensure_ascii=False, indent=2) + "\n"
