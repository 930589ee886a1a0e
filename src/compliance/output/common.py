"""What the text and Markdown outputs share: numbering and grouping by category."""

from __future__ import annotations

from decimal import Decimal

from compliance.checking.checker import ProjectResult
from compliance.checking.findings import Finding
from compliance.core.numbers import grouped
from compliance.records.project import ProjectInfo
from compliance.records.vocabulary import UNSTATED, label_or_unstated

__all__ = ["UNSTATED", "label_or_unstated"]

_DIGITS = "零一二三四五六七八九"


def known_parts(info: ProjectInfo) -> list[str]:
    """The department, year and evaluation kind the records state, in heading order."""
    parts = [info.department or ""]
    parts.append("" if info.year is None else f"{info.year}年度")
    parts.append("" if info.evaluation_kind is None else info.evaluation_kind.label)
    return [p for p in parts if p]


def heading(info: ProjectInfo) -> str:
    """``项目名称（2020年，部门）`` with only what the records state."""
    said = [f"{info.year}年" if info.year is not None else "", info.department or ""]
    shown = "，".join(p for p in said if p)
    return f"{info.name}（{shown}）" if shown else info.name


def money_or_unstated(value: Decimal | None) -> str:
    """An amount in 万元 as reports write it, or 未载明."""
    return UNSTATED if value is None else f"{grouped(value)}万元"


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


def undecided_by_rule(result: ProjectResult) -> list[tuple[str, str, list[str], list[str]]]:
    """未能核查 grouped by rule: (rule, title, subject names, what would decide it)."""
    groups: dict[str, tuple[str, list[str], list[str]]] = {}
    for item in result.undecided:
        _title, names, needs = groups.setdefault(item.rule, (item.title, [], []))
        names.append(item.subject_name)
        needs.extend(n for n in item.needs if n not in needs)
    return [(rule, title, names, needs) for rule, (title, names, needs) in groups.items()]


def subjects_in_words(names: list[str], limit: int = 5) -> str:
    """``I01、I04、I05 等 12 个`` — a long list of subjects, shortened."""
    shown = "、".join(names[:limit])
    return shown if len(names) <= limit else f"{shown} 等 {len(names)} 个"
