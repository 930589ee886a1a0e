"""How the outputs word a finding's review status, so text, Markdown and HTML say the same."""

from __future__ import annotations

from compliance.checking.findings import Finding
from compliance.checking.status import RESOLVED_LABEL, WAIVED_LABEL, ProjectReview


def tag(review: ProjectReview | None, finding: Finding) -> str:
    """``〔已说明·重复〕`` beside a finding, or nothing when it has no status to show."""
    if review is None:
        return ""
    labels = review.of(finding).labels
    return f"〔{'·'.join(labels)}〕" if labels else ""


def waiver_note(review: ProjectReview | None, finding: Finding) -> str | None:
    """``已说明：reason（认可人…）`` or ``说明已过期…`` for a finding, if either applies."""
    if review is None:
        return None
    status = review.of(finding)
    if status.waiver is not None:
        return f"{WAIVED_LABEL}：{status.waiver.describe()}"
    if status.expired is not None and status.expired.waiver.expires is not None:
        expired = status.expired.waiver.expires.isoformat()
        return f"说明已于 {expired} 到期，问题恢复：{status.expired.describe()}"
    return None


def counts(review: ProjectReview | None, findings: list[Finding]) -> str:
    """``其中已说明 2 项、待整改 28 项；新增 3 项、重复 25 项、已整改 1 项`` (empty without review)."""
    if review is None:
        return ""
    c = review.counts(findings)
    text = f"其中{WAIVED_LABEL} {c['waived']} 项、待整改 {c['open']} 项" if c["waived"] else ""
    if review.baselined:
        base = f"新增 {c['new']} 项、重复 {c['repeated']} 项、{RESOLVED_LABEL} {c['resolved']} 项"
        text = f"{text}；{base}" if text else base
    return text


def review_lines(review: ProjectReview | None) -> list[str]:
    """Text lines after a project's findings: what the baseline had and is gone, unused waivers."""
    if review is None:
        return []
    lines: list[str] = []
    if review.resolved:
        lines.append("")
        lines.append(f"{RESOLVED_LABEL}（基线中有、本次未发现，{len(review.resolved)}项）")
        lines.extend(
            f"  - [{r.rule}] {r.title}：{r.subject['name']}（{r.subject['type']}:{r.subject['key']}）"
            for r in review.resolved
        )
    if review.unused:
        lines.append("")
        lines.append("未匹配任何问题的说明")
        lines.extend(
            f"  - {w.waiver.rule} {w.waiver.subject}（{w.where()}）" for w in review.unused
        )
    return lines
