"""The department's summary workbook (汇总表): one row per project, one row per finding.

Why: evaluators screening hundreds of forms build this sheet by hand, then track the
rectification of each problem in it. XlsxWriter writes it (drop-down validation, frozen
header, filters, number formats) in one pass without reading anything back; the file opens
in Excel, WPS and LibreOffice (a test converts it with LibreOffice and reads the rows back).
"""

from __future__ import annotations

import io
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from compliance.checking.checker import ProjectResult
from compliance.checking.findings import Finding
from compliance.core.errors import Location
from compliance.core.numbers import percent
from compliance.output.report.model import ProjectReport, Report
from compliance.records.forms import FundsRow, FundsRowKind, SelfEvaluation
from compliance.records.vocabulary import Severity
from compliance.review import wording

SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "问题清单"
UNDECIDED_SHEET = "未能核查"
RECTIFICATION = ("待整改", "整改中", "已整改", "不适用")
"""The 整改状态 drop-down."""

SUMMARY_COLUMNS = (
    ("序号", 6, "int"),
    ("单位", 22, "text"),
    ("项目", 30, "text"),
    ("年度", 7, "int"),
    ("预算数（万元）", 14, "money"),
    ("支出数（万元）", 14, "money"),
    ("执行率", 10, "pct"),
    ("自评得分", 10, "score"),
    ("自评等级", 9, "text"),
    ("复核得分", 10, "score"),
    ("复核等级", 9, "text"),
    ("差异（自评−复核）", 12, "score"),
    *((f"问题·{s.label}", 8, "int") for s in Severity),
    ("未能核查", 9, "int"),
    ("记录错误", 9, "int"),
    ("主要问题", 60, "text"),
    ("来源", 36, "text"),
)
FINDING_COLUMNS = (
    ("序号", 6, "int"),
    ("项目", 28, "text"),
    ("规则", 8, "text"),
    ("类别", 14, "text"),
    ("严重程度", 9, "text"),
    ("问题说明", 60, "text"),
    ("证据", 40, "text"),
    ("位置", 30, "text"),
    ("建议", 50, "text"),
    ("核查状态", 10, "text"),
    ("说明", 40, "text"),
    ("整改状态", 10, "text"),
    ("整改期限", 12, "date"),
)
UNDECIDED_COLUMNS = (
    ("序号", 6, "int"),
    ("项目", 28, "text"),
    ("规则", 8, "text"),
    ("类别", 14, "text"),
    ("检查事项", 40, "text"),
    ("涉及", 24, "text"),
    ("需补充的资料", 60, "text"),
)
MAIN_PROBLEMS = 3
"""How many problems (most severe first) the 主要问题 sentence names."""


def _claimed(item: ProjectReport) -> SelfEvaluation | None:
    records = item.result.project.records if item.result.project else []
    return next((r for r in records if isinstance(r, SelfEvaluation)), None)


def main_problems(findings: list[Finding]) -> str:
    """The most severe problems in one sentence, with how many more there are."""
    if not findings:
        return "未发现问题"
    ranked = sorted(findings, key=lambda f: (f.severity.rank, f.number))
    titles: list[str] = []
    for finding in ranked:
        if finding.title not in titles:
            titles.append(finding.title)
    shown = "；".join(titles[:MAIN_PROBLEMS])
    return f"{shown}等{len(findings)}项问题。" if len(titles) > MAIN_PROBLEMS else f"{shown}。"


def _money(item: ProjectReport) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """Budget, spending and execution rate (percent): the project's, else its form's 年度资金总额."""
    info = item.info
    records = item.result.project.records if item.result.project else []
    total = next(
        (r for r in records if isinstance(r, FundsRow) and r.row is FundsRowKind.TOTAL), None
    )
    budget = getattr(info, "budget", None)
    spent = getattr(info, "spent", None)
    rate = getattr(info, "execution_rate", None)
    if budget is None and spent is None and total is not None:
        budget, spent, rate = total.budget, total.spent, None
    if rate is None and budget is not None and spent is not None:
        rate = percent(spent, budget)  # rounded once by core.numbers; the cell shows 0.00%
    return budget, spent, rate


def _undecided(result: ProjectResult) -> int:
    """Rules that could not be decided (未能核查), once the checker reports them; else 0."""
    value = getattr(result, "undecided", None)
    if isinstance(value, int):
        return value
    return len(value or [])


def _summary_row(number: int, item: ProjectReport) -> list[Any]:
    result, info, card = item.result, item.info, item.card
    form = _claimed(item)
    counts = result.summary()["by_severity"]
    undecided = _undecided(result)
    problems = len(result.problems) + len(result.errors)
    if info is None:
        first = result.problems[0] if result.problems else None
        sentence = f"记录有误，未能检查：{first.message if first else '见错误输出'}"
        row: list[Any] = [number, None, result.origin] + [None] * 9
        return [*row, *counts.values(), undecided, problems, sentence, result.origin]
    budget, spent, rate = _money(item)
    claimed = form.claimed_score if form else None
    total = card.total if card else None
    return [
        number,
        info.implementing_unit or info.department,
        info.name,
        info.year,
        budget,
        spent,
        None if rate is None else rate / 100,
        claimed,
        form.claimed_grade.label if form and form.claimed_grade else None,
        total,
        card.grade if card else None,
        claimed - total if claimed is not None and total is not None else None,
        *(counts[s.value] for s in Severity),
        undecided,
        problems,
        main_problems(result.findings),
        result.origin,
    ]


def _link(location: Location | None, base: Path) -> str | None:
    """``external:`` link to the source file, at the cell for a workbook (Excel's syntax)."""
    if location is None:
        return None
    target = Path(location.file)
    try:
        relative = os.path.relpath(target.resolve(), base.resolve())
    except ValueError:
        relative = str(target.resolve())
    if location.cell and location.file.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        relative += f"#'{location.sheet}'!{location.cell}"
    link = "external:" + relative
    return link if len(link) <= 255 else None


class _Writer:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": "SimSun", "font_size": 10, "valign": "top", "text_wrap": True}
        self.formats = {
            "text": book.add_format(base),
            "int": book.add_format({**base, "num_format": "0"}),
            "money": book.add_format({**base, "num_format": "#,##0.00"}),
            "pct": book.add_format({**base, "num_format": "0.00%"}),
            "score": book.add_format({**base, "num_format": "0.00"}),
            "date": book.add_format({**base, "num_format": "yyyy-mm-dd"}),
            "head": book.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1}),
            "link": book.add_format({**base, "font_color": "#0563C1", "underline": 1}),
        }

    def sheet(
        self, ws: Worksheet, columns: tuple[tuple[str, int, str], ...], rows: list[list[Any]]
    ) -> None:
        for col, (title, width, kind) in enumerate(columns):
            ws.write_string(0, col, title, self.formats["head"])
            ws.set_column(col, col, width, self.formats[kind])
        for r, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                kind = columns[col][2]
                if value is None:
                    continue
                if isinstance(value, Decimal):
                    ws.write_number(r, col, float(value), self.formats[kind])
                elif isinstance(value, int | float):
                    ws.write_number(r, col, value, self.formats[kind])
                else:
                    ws.write_string(r, col, str(value), self.formats[kind])
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)


def render_summary_xlsx(report: Report, base: Path) -> bytes:
    """The summary workbook (汇总, 问题清单, 未能核查); ``base`` is the output's folder (for links)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_urls": False})
    writer = _Writer(book)
    summary = book.add_worksheet(SUMMARY_SHEET)
    writer.sheet(
        summary,
        SUMMARY_COLUMNS,
        [_summary_row(n, item) for n, item in enumerate(report.projects, start=1)],
    )
    findings = book.add_worksheet(FINDINGS_SHEET)
    rows: list[list[Any]] = []
    links: list[tuple[int, str | None, str]] = []
    for item in report.projects:
        name = item.info.name if item.info else item.result.origin
        review = item.result.review
        for f in item.result.findings:
            evidence = "；".join(f"{e.label}：{e.value}" for e in f.evidence)
            labels = "·".join(review.of(f).labels) if review else ""
            where = str(f.location) if f.location else ""
            rows.append(
                [
                    len(rows) + 1,
                    name,
                    f.rule,
                    f.category,
                    f.severity.label,
                    f.message,
                    evidence,
                    where,
                    f.recommendation,
                    labels or None,
                    wording.waiver_note(review, f),
                    None,
                    None,
                ]
            )
            links.append((len(rows), _link(f.location, base), where))
    writer.sheet(findings, FINDING_COLUMNS, rows)
    location_col = [c[0] for c in FINDING_COLUMNS].index("位置")
    for row, link, text in links:
        if link and text:
            findings.write_url(row, location_col, link, writer.formats["link"], text)
    status_col = [c[0] for c in FINDING_COLUMNS].index("整改状态")
    last = max(len(rows), 1)
    findings.data_validation(
        1,
        status_col,
        last,
        status_col,
        {"validate": "list", "source": list(RECTIFICATION), "input_title": "整改状态"},
    )
    findings.data_validation(
        1,
        status_col + 1,
        last,
        status_col + 1,
        {"validate": "date", "criteria": ">", "value": date(2000, 1, 1)},
    )
    undecided: list[list[Any]] = []
    for item in report.projects:
        name = item.info.name if item.info else item.result.origin
        for u in getattr(item.result, "undecided", None) or []:
            undecided.append(
                [
                    len(undecided) + 1,
                    name,
                    u.rule,
                    u.category,
                    u.title,
                    u.subject_name,
                    "；".join(u.needs),
                ]
            )
    # What the records could not decide, with what would decide it: the list to ask for.
    writer.sheet(book.add_worksheet(UNDECIDED_SHEET), UNDECIDED_COLUMNS, undecided)
    book.close()
    return buffer.getvalue()
