"""What the text and Markdown outputs share: numbering and grouping by category."""

from __future__ import annotations

from compliance.checking.findings import Finding

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """Write 1–99 the way report headings count: 一, 十, 十一, 二十三."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def by_category(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by category, keeping their (already sorted) order."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.category, []).append(finding)
    return list(groups.items())


def numbers(items: list[int]) -> str:
    """``1、2、5`` for the findings a recommendation answers."""
    return "、".join(str(n) for n in items)
