"""The seven-part outline of 财预〔2020〕10号 附件3, as data every report format lays out.

Why data and not text: HTML, Word and Markdown templates (and a bureau's own)
put the same parts in their own order and look. A part is filled only from what
the records and findings establish; the parts only the evaluator can write
(工作开展情况, 经验做法, 其他说明) are marked places to write, never invented text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from compliance.checking.findings import Finding
from compliance.checking.status import ProjectReview, ResolvedFinding
from compliance.core.errors import Location
from compliance.core.numbers import plain
from compliance.output.common import by_category, subjects_in_words, undecided_by_rule
from compliance.output.report.model import ProjectReport, Report, share
from compliance.records.indicators import Indicator
from compliance.records.vocabulary import UNSTATED, Severity, label_or_unstated
from compliance.review import wording
from compliance.scoring.arith import pts

SECTIONS: dict[str, str] = {
    "basic": "基本情况",
    "work": "绩效评价工作开展情况",
    "conclusion": "综合评价情况及评价结论",
    "indicators": "绩效评价指标分析",
    "problems": "主要经验及做法、存在的问题及原因分析",
    "advice": "有关建议",
    "other": "其他需要说明的问题",
}
"""The parts of 附件3 in its order, by the key a template names them with."""

ORDER = tuple(SECTIONS)
WRITE_HERE = "【待评价人员填写】"
"""What marks a place only the evaluator can write; never replaced by generated text."""

EVALUATOR_PROMPTS: dict[str, list[str]] = {
    "work": [
        "绩效评价目的、对象和范围",
        "绩效评价原则、评价指标体系、评价方法、评价标准等",
        "绩效评价工作过程（前期准备、组织实施、分析评价等）",
    ],
    "experience": ["项目实施中值得推广的经验及做法"],
    "other": ["评价工作的局限、需要说明的其他事项"],
}
"""What 附件3 asks the evaluator to write in each such place."""

COVER_FIELDS = ("评价机构", "评价时间", "报告编号")
"""Cover fields the records do not hold: given with ``--cover NAME=VALUE`` or left to write."""

EXCERPT_LINES = 14


def severity_label(severity: Severity) -> str:
    """高风险, 中风险, 低风险, 提示."""
    return severity.label if severity is Severity.INFO else f"{severity.label}风险"


EXCERPT_SUFFIXES = (".yaml", ".yml", ".json")
"""Record files shown as text; a workbook's record is named by its cell instead."""


def travelling_name(location: Location) -> str:
    """``case/file.yaml:12``: the record's file by its case folder, not the writer's full path.

    Whatever the location adds after the file (line, or a workbook's sheet and cell) is kept.
    """
    path = Path(location.file)
    name = f"{path.parent.name}/{path.name}" if path.parent.name else path.name
    if not location.line:
        return name
    rest = str(location).removeprefix(location.file)
    return name + (rest if rest.startswith(":") else f":{location.line}")


def excerpt(location: Location | None, limit: int = EXCERPT_LINES) -> str:
    """The record as written: its first line and the more-indented lines below it."""
    if location is None or not location.line or not location.file.endswith(EXCERPT_SUFFIXES):
        return ""
    try:
        lines = Path(location.file).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    start = location.line - 1
    if start >= len(lines):
        return ""
    first = lines[start]
    body = len(first) - len(first.lstrip(" -"))  # where the record's keys begin
    taken = [first]
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip(" ")) < body:
            break
        if len(taken) >= limit:
            taken.append("…")
            break
        taken.append(line)
    while taken and not taken[-1].strip():
        taken.pop()
    return "\n".join(taken)


@dataclass
class FindingView:
    """A finding as a report shows it: with its source reference and the record excerpt."""

    number: int
    rule: str
    title: str
    category: str
    severity: str
    severity_key: str
    message: str
    evidence: list[tuple[str, str]]
    source: str
    where: str
    excerpt: str
    references: list[str]
    framework: str
    recommendation: str
    status: list[str] = field(default_factory=list)
    """已说明 and 新增/重复, when the run was reviewed (waivers, a baseline)."""
    note: str = ""
    """The waiver's reason, approver and document, or that it expired."""

    @classmethod
    def of(cls, finding: Finding, review: ProjectReview | None = None) -> FindingView:
        where = finding.location
        return cls(
            number=finding.number,
            rule=finding.rule,
            title=finding.title,
            category=finding.category,
            severity=severity_label(finding.severity),
            severity_key=finding.severity.value,
            message=finding.message,
            evidence=[(e.label, e.value) for e in finding.evidence],
            source=finding.source or "",
            where=travelling_name(where) if where else "",
            excerpt=excerpt(where),
            references=list(finding.references),
            framework=finding.framework,
            recommendation=finding.recommendation,
            status=review.of(finding).labels if review else [],
            note=wording.waiver_note(review, finding) or "",
        )


@dataclass
class IndicatorRow:
    """One line of 绩效评价指标分析: target, actual, deviation and its reason, as recorded."""

    code: str
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    deviation: str
    reason: str
    source: str

    @classmethod
    def of(cls, ind: Indicator) -> IndicatorRow:
        stated = ind.model_fields_set
        if ind.actual is not None:
            actual = ind.actual
        else:
            actual = "记录为空" if "actual" in stated else "资料未载明"
        deviation = ind.deviation_pct
        if ind.deviation_reason:
            reason = ind.deviation_reason
        elif "deviation_reason" in stated:
            reason = "未说明"
        else:
            reason = "资料未载明"
        if deviation is not None and deviation == 0 and not ind.deviation_reason:
            reason = "—"
        return cls(
            code=ind.code,
            level1=label_or_unstated(ind.level1),
            level2=label_or_unstated(ind.level2),
            name=ind.name,
            target=ind.target or UNSTATED,
            actual=actual,
            deviation="—"
            if deviation is None
            else f"{'+' if deviation > 0 else ''}{plain(deviation)}%",
            reason=reason,
            source=ind.source or "",
        )


@dataclass
class UndecidedView:
    """未能核查: a rule that the records cannot decide, on which subjects, and what would decide it."""

    rule: str
    title: str
    subjects: str
    needs: list[str]


@dataclass
class Outline:
    """One project's report content, part by part (see docs/templates.md for every name)."""

    project: ProjectReport
    number: int
    facts: list[tuple[str, str]]
    cover: list[tuple[str, str]]
    sections: dict[str, str] = field(default_factory=lambda: dict(SECTIONS))
    prompts: dict[str, list[str]] = field(default_factory=lambda: dict(EVALUATOR_PROMPTS))
    write_here: str = WRITE_HERE

    @property
    def anchor(self) -> str:
        return f"p{self.number}"

    @property
    def name(self) -> str:
        info = self.project.info
        return info.name if info else self.project.result.origin

    @property
    def title(self) -> str:
        if self.project.info is None:
            return f"{self.name}（记录有误，未能评价）"
        return f"{self.name}项目支出绩效评价报告"

    @property
    def ok(self) -> bool:
        """Whether the project was loaded and scored (else only its problems are shown)."""
        return self.project.info is not None and self.project.card is not None

    @property
    def problems(self) -> list[str]:
        result = self.project.result
        return [str(p) for p in result.problems] + [str(e) for e in result.errors]

    @property
    def findings(self) -> list[FindingView]:
        review = self.project.result.review
        return [FindingView.of(f, review) for f in self.project.result.findings]

    @property
    def by_category(self) -> list[tuple[str, list[FindingView]]]:
        review = self.project.result.review
        return [
            (category, [FindingView.of(f, review) for f in found])
            for category, found in by_category(self.project.result.findings)
        ]

    @property
    def review_counts(self) -> str:
        """其中已说明 … 项；新增 … 项、重复 … 项、已整改 … 项 (empty without review)."""
        return wording.counts(self.project.result.review, self.project.result.findings)

    @property
    def resolved(self) -> list[ResolvedFinding]:
        """The baseline's findings this run no longer has (已整改)."""
        review = self.project.result.review
        return list(review.resolved) if review else []

    @property
    def indicators(self) -> list[IndicatorRow]:
        return [IndicatorRow.of(i) for i in self.project.indicators]

    @property
    def undecided(self) -> list[UndecidedView]:
        return [
            UndecidedView(rule, title, subjects_in_words(names), needs)
            for rule, title, names, needs in undecided_by_rule(self.project.result)
        ]

    @property
    def severity_counts(self) -> dict[str, int]:
        counts = self.project.result.summary()["by_severity"]
        return {s.value: int(counts.get(s.value, 0)) for s in Severity}

    @property
    def score_rows(self) -> list[tuple[str, str, str, str]]:
        """(一级, 分值, 得分, 得分率) and the 合计 line."""
        card = self.project.card
        if card is None:
            return []
        rows = [(name, pts(w), pts(s), share(s, w)) for name, w, s in card.by_level1]
        rows.append(("合计", pts(card.full), pts(card.total), share(card.total, card.full)))
        return rows


def cover_rows(values: dict[str, str]) -> list[tuple[str, str]]:
    """The cover's fields: the three of 附件3 first, then any other given; blanks to write."""
    names = [*COVER_FIELDS, *(k for k in values if k not in COVER_FIELDS)]
    return [(name, values.get(name) or WRITE_HERE) for name in names]


def outlines(report: Report, cover: dict[str, str] | None = None) -> list[Outline]:
    """Every project's outline, numbered in report order."""
    rows = cover_rows(cover or {})
    return [
        Outline(project, index, project.facts(), rows)
        for index, project in enumerate(report.projects, start=1)
    ]
