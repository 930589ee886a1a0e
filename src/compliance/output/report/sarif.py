"""SARIF 2.1.0: every finding as a result on its record file's line, for editors and code review.

Why SARIF: it is the format code-scanning tools and editors (GitHub code
scanning, VS Code's SARIF viewer) read, so a reviewer sees each finding at the
line of the record it is about. Rule metadata goes in ``tool.driver.rules``;
the score, grade and score lines travel in the run's property bag, and the
form's claimed scores that differ from the computed ones are results of the
scoring checks ``score/claim-mismatch`` and ``score/weight-mismatch``. Those ids live in
their own ``score/`` namespace: pack rule ids are two letters and two digits
(:data:`~compliance.rules.spec.RULE_ID_PATTERN`) and never contain ``/``, so a pack rule
can never take a scoring check's id. Waived findings carry ``suppressions`` with the
waiver's reason as justification; against a baseline, each result has its
``baselineState`` and the baseline's resolved findings are ``absent`` results.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from compliance import __version__
from compliance.checking.checker import ProjectResult
from compliance.checking.findings import Finding
from compliance.checking.status import RESOLVED_LABEL, ProjectReview, ResolvedFinding
from compliance.core.errors import Location
from compliance.output.report.model import Report
from compliance.output.report.runrecord import RunRecord
from compliance.records.vocabulary import Severity
from compliance.scoring import Scorecard
from compliance.scoring.arith import pts

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SCORE_NAMESPACE = "score/"
SCORE_RULES = {
    "score": (
        f"{SCORE_NAMESPACE}claim-mismatch",
        "自评得分与按记录计算的得分不符",
        "核对自评表得分：按指标实际完成值和计分公式重新计算得分。",
    ),
    "weight": (
        f"{SCORE_NAMESPACE}weight-mismatch",
        "自评表分值与评分方案不符",
        "核对自评表各指标分值，使各组分值合计与评分方案一致。",
    ),
}
SRCROOT = "SRCROOT"
FINGERPRINT = "complianceFinding/v2"
"""Rule, subject and project identity (:mod:`compliance.checking.fingerprints`): stable across years."""


def _artifact(location: Location) -> dict[str, Any]:
    path = Path(location.file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": SRCROOT}


def _location(location: Location | None, kind: str, key: str, name: str) -> list[dict[str, Any]]:
    logical = [{"name": name, "kind": kind, "fullyQualifiedName": f"{kind}:{key}"}]
    if location is None:
        return [{"logicalLocations": logical}]
    region: dict[str, Any] = {"startLine": max(location.line, 1)}
    if location.column:
        region["startColumn"] = location.column
    if location.sheet:
        # A workbook cell: its row and column are the line and column; the sheet!cell an
        # evaluator types into Excel's name box is the snippet and a logical location.
        region["snippet"] = {"text": location.in_workbook}
        logical.append(
            {"name": location.in_workbook, "kind": "element", "fullyQualifiedName": str(location)}
        )
    return [
        {
            "physicalLocation": {"artifactLocation": _artifact(location), "region": region},
            "logicalLocations": logical,
        }
    ]


def _rules(report: Report) -> list[dict[str, Any]]:
    rules = []
    for rule in report.run.pack.rules:
        spec = rule.spec
        refs = "；".join(f"{r.title}{'，' + r.clause if r.clause else ''}" for r in spec.references)
        rules.append(
            {
                "id": spec.id,
                "name": spec.id,
                "shortDescription": {"text": spec.title},
                "fullDescription": {"text": spec.description or spec.title},
                "help": {"text": f"{spec.title}。依据：{refs}"},
                "defaultConfiguration": {"level": LEVELS[spec.severity]},
                "properties": {
                    "category": spec.category,
                    "framework": spec.framework,
                    "severity": spec.severity.value,
                    "tags": [spec.category, *spec.framework.split("/")],
                },
            }
        )
    for rule_id, title, help_text in SCORE_RULES.values():
        rules.append(
            {
                "id": rule_id,
                "name": rule_id,
                "shortDescription": {"text": title},
                "fullDescription": {"text": title},
                "help": {"text": help_text},
                "defaultConfiguration": {"level": "warning"},
                "properties": {"category": "评分核对", "severity": "medium", "tags": ["评分核对"]},
            }
        )
    return rules


def _card(card: Scorecard, origin: str) -> dict[str, Any]:
    return {
        "project": origin,
        "profile": card.profile,
        "profileFile": card.profile_file,
        "total": pts(card.total),
        "full": pts(card.full),
        "grade": card.grade,
        "gaps": card.gaps,
        "lines": [
            {
                "code": line.code,
                "level1": line.level1,
                "level2": line.level2,
                "name": line.name,
                "weight": pts(line.weight),
                "score": pts(line.score),
                "reasons": line.reasons,
                "findings": line.findings,
                "children": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "weight": pts(c.weight),
                        "score": pts(c.score),
                        "reasons": c.reasons,
                    }
                    for c in line.children
                ],
            }
            for line in card.lines
        ],
    }


def _review(review: ProjectReview | None, finding: Finding) -> dict[str, Any]:
    """A finding's stable fingerprint, its ``baselineState`` and, when waived, its suppression."""
    if review is None:
        return {}
    status = review.of(finding)
    out: dict[str, Any] = {"partialFingerprints": {FINGERPRINT: status.fingerprint}}
    if status.baseline is not None:
        out["baselineState"] = status.baseline.sarif
    if status.waiver is not None:
        w = status.waiver.waiver
        suppression: dict[str, Any] = {
            "kind": "inSource" if status.waiver.origin == "records" else "external",
            "status": "accepted",
            "justification": w.reason,
            "properties": {
                "acceptedBy": w.accepted_by,
                "date": w.date.isoformat(),
                "expires": w.expires.isoformat() if w.expires else None,
                "document": w.document,
                "origin": status.waiver.origin,
            },
        }
        if w.location is not None:
            suppression["location"] = _location(w.location, "waiver", w.subject, w.rule)[0]
        out["suppressions"] = [suppression]
    return out


def _resolved(gone: ResolvedFinding, origin: str, index: dict[str, int]) -> dict[str, Any]:
    """A baseline finding this run no longer has: SARIF ``baselineState: absent`` (已整改)."""
    result: dict[str, Any] = {
        "ruleId": gone.rule,
        "kind": "pass",
        "level": "none",
        "message": {"text": f"{RESOLVED_LABEL}：{gone.message}"},
        "baselineState": "absent",
        "partialFingerprints": {FINGERPRINT: gone.fingerprint},
        "locations": _location(
            None, gone.subject["type"], gone.subject["key"], gone.subject["name"]
        ),
        "properties": {"project": origin, "title": gone.title},
    }
    if gone.rule in index:
        result["ruleIndex"] = index[gone.rule]
    return result


def _undecided(result: ProjectResult, index: dict[str, int]) -> list[dict[str, Any]]:
    """未能核查 as results of kind ``review``: neither a failure nor a pass, for a person to decide."""
    records = {(r.kind, r.key): r for r in result.project.records} if result.project else {}
    out = []
    for item in result.undecided:
        record = records.get((item.subject_type, item.subject_key))
        out.append(
            {
                "ruleId": item.rule,
                "ruleIndex": index[item.rule],
                "kind": "review",
                "level": "none",
                "message": {
                    "text": f"未能核查：{item.title}（{item.subject_name}）；"
                    f"需要：{'；'.join(item.needs)}"
                },
                "locations": _location(
                    record.location if record else None,
                    item.subject_type,
                    item.subject_key,
                    item.subject_name,
                ),
                "properties": {
                    "project": result.origin,
                    "undecided": True,
                    "needs": list(item.needs),
                },
            }
        )
    return out


def _invocation(
    report: Report, notifications: list[dict[str, Any]], record: RunRecord | None
) -> dict[str, Any]:
    """The run: success, problems, and the run record (time, hashes, ``--set`` parameters)."""
    invocation: dict[str, Any] = {
        "executionSuccessful": not report.run.has_errors,
        "toolExecutionNotifications": notifications,
    }
    if record is not None:
        invocation["startTimeUtc"] = record.time
        invocation["properties"] = {"runRecord": record.to_json()}
    return invocation


def to_sarif(report: Report, record: RunRecord | None = None) -> dict[str, Any]:
    """The report as a SARIF log (plain data); ``record`` goes into ``invocations``."""
    rules = _rules(report)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    scores = []
    for project in report.projects:
        origin = project.result.origin
        review = project.result.review
        for f in project.result.findings:
            results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": index[f.rule],
                    "level": LEVELS[f.severity],
                    "message": {"text": f.message},
                    "locations": _location(
                        f.location, f.subject.type, f.subject.key, f.subject.name
                    ),
                    "properties": {
                        "project": origin,
                        "number": f.number,
                        "title": f.title,
                        "category": f.category,
                        "severity": f.severity.value,
                        "framework": f.framework,
                        "evidence": {e.label: e.value for e in f.evidence},
                        "references": f.references,
                        "recommendation": f.recommendation,
                        "source": f.source,
                    },
                    **_review(review, f),
                }
            )
        for gone in review.resolved if review else []:
            results.append(_resolved(gone, origin, index))
        results.extend(_undecided(project.result, index))
        if project.card is not None:
            scores.append(_card(project.card, origin))
            for check in project.card.checks:
                rule_id = SCORE_RULES[check.kind][0]
                where = check.indicator.location if check.indicator else None
                results.append(
                    {
                        "ruleId": rule_id,
                        "ruleIndex": index[rule_id],
                        "level": "warning",
                        "message": {"text": check.message},
                        "locations": _location(where, "indicator", check.code, check.subject),
                        "properties": {
                            "project": origin,
                            "claimed": pts(check.claimed),
                            "computed": pts(check.computed),
                        },
                    }
                )
        for problem in project.result.problems:
            notifications.append(
                {
                    "level": "error",
                    "message": {
                        "text": f"{problem.path}: {problem.message}"
                        if problem.path
                        else problem.message
                    },
                    "locations": _location(
                        problem.location, "record", problem.path, problem.path or origin
                    ),
                }
            )
        notifications.extend(
            {"level": "error", "message": {"text": f"{origin}: {error}"}}
            for error in project.result.errors
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "compliance",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path.cwd().as_uri() + "/"}},
        "invocations": [_invocation(report, notifications, record)],
        "results": results,
        "properties": {"scores": scores},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report, record: RunRecord | None = None) -> str:
    """The SARIF log as indented UTF-8 JSON."""
    return json.dumps(to_sarif(report, record), ensure_ascii=False, indent=2) + "\n"
