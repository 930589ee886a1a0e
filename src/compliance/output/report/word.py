"""A Word (.docx) report from a .docx template, in the seven-part outline, for the evaluator to edit.

Why a .docx template (docxtpl): a bureau's cover page, letterhead, headers and
the order of the parts are drawn in Word by the people who own them, not in
code. The template holds the text and tags (``{{ p.title }}``, ``{{p p.parts.basic }}``);
this module builds each part's tables, paragraphs and charts (PNG, drawn by
:mod:`charts_png` with a CJK font) as sub-documents that docxtpl puts where the
tags are. Parts use the styles Heading 2/3, Table Grid and Normal of the
template; Chinese needs the East Asian font slot (``w:eastAsia``) set on each
style, which the bundled template does (:mod:`word_template`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate
from jinja2 import TemplateError

from compliance.core.errors import InputError, display_path
from compliance.core.numbers import grouped, percent_text
from compliance.output.common import chinese_number
from compliance.output.report import charts_png
from compliance.output.report.model import Report
from compliance.output.report.outline import Outline, outlines
from compliance.output.report.runrecord import RunRecord
from compliance.output.report.templating import BUNDLED, environment
from compliance.records.vocabulary import UNSTATED, label_or_unstated
from compliance.scoring.arith import pts

DEFAULT_TEMPLATE = BUNDLED / "word" / "report.docx"
TEMPLATE_NAME = "word/report.docx"
CHART_WIDTH = Mm(154)
PARTS = (
    "basic",
    "work",
    "conclusion",
    "indicators",
    "problems",
    "advice",
    "other",
    "scores",
    "record",
)
"""The sub-documents of each project: ``p.parts.<name>`` in the template."""


def _table(doc: Any, header: list[str], rows: list[list[str]], widths: list[float]) -> Any:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice and WPS follow
        for cell in column.cells:
            cell.width = Mm(width)  # each cell, which Word follows
    return table


def _para(doc: Any, text: str, bold_prefix: str = "", size: float | None = None) -> Any:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(24)
    if bold_prefix:
        p.add_run(bold_prefix).bold = True
    p.add_run(text)
    if size:
        for r in p.runs:
            r.font.size = Pt(size)
    return p


def _figure(doc: Any, png: bytes, caption: str) -> None:
    doc.add_picture(BytesIO(png), width=CHART_WIDTH)
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.space_before = Pt(8)
    picture.paragraph_format.keep_with_next = True
    note = doc.add_paragraph(caption)
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in note.runs:
        run.font.size = Pt(9)


def _write_here(doc: Any, o: Outline, key: str) -> None:
    p = doc.add_paragraph()
    p.add_run(o.write_here).bold = True
    p.add_run("本部分由评价人员根据评价工作实际撰写，工具不生成内容。应包括：")
    for item in o.prompts[key]:
        doc.add_paragraph(f"· {item}").paragraph_format.left_indent = Pt(24)


class _Parts:
    """Builds the sub-documents of one project."""

    def __init__(self, tpl: DocxTemplate, report: Report, o: Outline, record: RunRecord | None):
        self.tpl, self.report, self.o, self.record = tpl, report, o, record
        self.project = o.project

    def new(self) -> Any:
        return self.tpl.new_subdoc()

    def basic(self) -> Any:
        doc, project = self.new(), self.project
        doc.add_heading("（一）项目概况", level=2)
        _table(doc, ["项目", "内容"], [[k, v] for k, v in self.o.facts], [35, 119])
        if project.subs:
            doc.add_heading("（二）资金投入和使用情况", level=2)
            rows = [
                [
                    str(s.number),
                    s.name,
                    UNSTATED if s.budget is None else grouped(s.budget),
                    UNSTATED if s.spent is None else grouped(s.spent),
                    "—" if s.execution_rate is None else percent_text(s.execution_rate),
                    label_or_unstated(s.status),
                ]
                for s in project.subs
            ]
            _table(
                doc,
                ["序号", "子项目名称", "预算（万元）", "支出（万元）", "执行率", "完成情况"],
                rows,
                [10, 56, 22, 22, 22, 22],
            )
            _figure(
                doc,
                charts_png.budget_png(project.subs, self.report.execution_line),
                "图1 各子项目预算与支出及预算执行率",
            )
        return doc

    def work(self) -> Any:
        doc = self.new()
        _write_here(doc, self.o, "work")
        return doc

    def conclusion(self) -> Any:
        doc, card, o = self.new(), self.project.card, self.o
        assert card is not None
        _para(
            doc,
            f"按《{card.profile}》评分，该项目综合得分{pts(card.total)}分（满分{pts(card.full)}分），"
            f"评价等级为“{card.grade}”。评价发现问题{len(o.findings)}项；另有{len(o.undecided)}条"
            "规则因记录未载明所需数据未能核查。",
            "评价结论：",
        )
        _table(
            doc,
            ["一级指标", "分值", "得分", "得分率"],
            [list(r) for r in o.score_rows],
            [50, 30, 30, 30],
        )
        _figure(doc, charts_png.score_png(card), "图2 各一级指标得分与分值")
        if card.gaps:
            _para(
                doc,
                f"记录缺少以下评分所需数据，相应{pts(card.gap_weight)}分按0分计："
                + "；".join(card.gaps)
                + "。",
                "说明：",
            )
        for check in card.checks:
            _para(doc, check.message, "自评得分核对：")
        return doc

    def indicators(self) -> Any:
        doc, o = self.new(), self.o
        if not o.indicators:
            _para(doc, "记录中没有绩效指标表。")
            return doc
        _figure(
            doc,
            charts_png.indicator_png(self.project.indicators),
            "图3 绩效指标实际完成值与指标值（可比较的指标）",
        )
        rows = [[r.code, r.name, r.target, r.actual, r.deviation, r.reason] for r in o.indicators]
        _table(
            doc,
            ["编号", "三级指标", "指标值", "实际完成值", "偏离度", "偏差原因"],
            rows,
            [12, 38, 24, 27, 22, 31],
        )
        _para(doc, "“资料未载明”：记录的资料未给出该项，不等于没有。", size=9)
        return doc

    def problems(self) -> Any:
        doc, o = self.new(), self.o
        doc.add_heading("（一）主要经验及做法", level=2)
        _write_here(doc, o, "experience")
        doc.add_heading("（二）存在的问题及原因分析", level=2)
        if not o.findings:
            _para(doc, "按规则核查，未发现问题。")
            return doc
        _figure(
            doc,
            charts_png.findings_png(self.project.result.findings, self.report.categories),
            "图4 问题按类别和风险等级分布",
        )
        for index, (category, found) in enumerate(o.by_category, start=1):
            doc.add_heading(f"{index}. {category}", level=3)
            for f in found:
                tag = f"〔{'·'.join(f.status)}〕" if f.status else ""
                _para(doc, f.message, f"{f.number}. {f.title}{tag}（{f.severity}，{f.rule}）：")
                if f.note:
                    _para(doc, f.note)
                evidence = "；".join(f"{label}：{value}" for label, value in f.evidence)
                where = f"；记录：{f.where}" if f.where else ""
                _para(
                    doc,
                    f"证据：{evidence}。资料来源：{f.source or '记录未注明'}{where}。"
                    f"依据：{'；'.join(f.references)}。",
                    size=9,
                )
        if o.review_counts:
            _para(doc, o.review_counts + "。")
        if o.resolved:
            gone = "；".join(f"{r.title}（{r.rule}，{r.subject['name']}）" for r in o.resolved)
            _para(doc, gone, "已整改（基线中有、本次未发现）：")
        return doc

    def advice(self) -> Any:
        doc = self.new()
        groups = self.project.result.recommendations
        if not groups:
            _para(doc, "无。")
        for index, group in enumerate(groups, start=1):
            doc.add_heading(f"（{chinese_number(index)}）{group.title}", level=2)
            _para(doc, group.text)
            for advice in group.advice:
                numbers = "、".join(str(n) for n in advice.findings)
                _para(doc, f"{advice.text}（针对问题{numbers}）")
        return doc

    def other(self) -> Any:
        doc, o = self.new(), self.o
        doc.add_heading("（一）未能核查的事项", level=2)
        if o.undecided:
            _para(
                doc,
                f"以下{len(o.undecided)}条规则因记录未载明所需数据而未能核查，"
                "不作为问题，也不表示没有问题：",
            )
            _table(
                doc,
                ["规则", "核查事项", "对象", "需要载明"],
                [[u.rule, u.title, u.subjects, "；".join(u.needs)] for u in o.undecided],
                [14, 46, 36, 58],
            )
        else:
            _para(doc, "所有规则均已按记录核查。")
        doc.add_heading("（二）其他事项", level=2)
        _write_here(doc, o, "other")
        return doc

    def scores(self) -> Any:
        doc, card = self.new(), self.project.card
        assert card is not None
        doc.add_paragraph(f"评分方案：{card.profile}")
        rows = []
        for line in card.lines:
            rows.append(
                [
                    line.level1,
                    line.level2,
                    line.name,
                    pts(line.weight),
                    pts(line.score),
                    "\n".join(line.reasons),
                ]
            )
            for child in line.children:
                claimed = "" if child.claimed is None else f"（自评{pts(child.claimed)}）"
                rows.append(
                    [
                        "",
                        child.level2,
                        f"{child.code} {child.name}",
                        pts(child.weight),
                        pts(child.score) + claimed,
                        "\n".join(child.reasons),
                    ]
                )
        rows.append([f"合计（{card.grade}）", "", "", pts(card.full), pts(card.total), ""])
        _table(
            doc,
            ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分理由"],
            rows,
            [18, 18, 24, 12, 14, 68],
        )
        return doc

    def record_part(self) -> Any:
        doc = self.new()
        if self.record is not None:
            table = _table(doc, ["项目", "内容"], [list(r) for r in self.record.rows()], [60, 94])
            for row in table.rows[1:]:
                for run in row.cells[1].paragraphs[0].runs:
                    run.font.size = Pt(8)
        return doc

    def all(self) -> dict[str, Any]:
        if not self.o.ok:
            return {}
        build: dict[str, Callable[[], Any]] = {
            "basic": self.basic,
            "work": self.work,
            "conclusion": self.conclusion,
            "indicators": self.indicators,
            "problems": self.problems,
            "advice": self.advice,
            "other": self.other,
            "scores": self.scores,
            "record": self.record_part,
        }
        return {name: build[name]() for name in PARTS}


def _summary(tpl: DocxTemplate, items: list[Outline]) -> Any:
    doc = tpl.new_subdoc()
    rows = []
    for o in items:
        card = o.project.card
        counts = o.severity_counts
        rows.append(
            [
                str(o.number),
                o.name,
                pts(card.total) if card else "—",
                card.grade if card else "未能评价",
                str(len(o.findings)),
                "/".join(str(counts[k]) for k in ("high", "medium", "low", "info")),
                str(len(o.undecided)),
            ]
        )
    _table(
        doc,
        ["序号", "项目", "得分", "等级", "问题", "高/中/低/提示", "未能核查"],
        rows,
        [10, 58, 16, 14, 14, 26, 16],
    )
    return doc


def _project_context(parts: _Parts) -> dict[str, Any]:
    o = parts.o
    info = o.project.info
    return {
        "o": o,
        "ok": o.ok,
        "title": o.title,
        "name": o.name,
        "department": (info.department or "") if info else "",
        "year": (info.year or "") if info else "",
        "kind": label_or_unstated(info.evaluation_kind) if info else "",
        "cover": o.cover,
        "problems": o.problems,
        "parts": parts.all(),
    }


def template_path(folder: Path | None) -> Path:
    """The bureau's ``word/report.docx`` when its folder has one, else the bundled template."""
    if folder is not None:
        own = folder / TEMPLATE_NAME
        if own.is_file():
            return own
    return DEFAULT_TEMPLATE


def _docx_error(path: Path, exc: TemplateError) -> InputError:
    """A Jinja error inside a .docx: the paragraph it is in (docxtpl puts one per line)."""
    line = getattr(exc, "lineno", None)
    if line is None:  # raised while rendering: the template frame's line
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "<template>":
                line = tb.tb_lineno
            tb = tb.tb_next
    near = " ".join(t.strip() for t in getattr(exc, "docx_context", []) if t.strip())
    message = f"template error: {exc.message or exc.__class__.__name__}"
    if near:
        message += f" (near: {near[:120]})"
    return InputError.single(display_path(path), message, line=line or 0)


def _check_docx(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            z.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InputError.single(display_path(path), f"not a Word .docx template: {exc}") from None


def render_docx(
    report: Report,
    *,
    record: RunRecord | None = None,
    template: Path | None = None,
    cover: dict[str, str] | None = None,
) -> bytes:
    """The report as a .docx file's bytes, from the bureau's template or the bundled one."""
    path = template_path(template)
    _check_docx(path)
    tpl = DocxTemplate(str(path))
    items = outlines(report, cover)
    env = environment(template)
    projects = [_project_context(_Parts(tpl, report, o, record)) for o in items]
    context = {
        "projects": projects,
        "summary": _summary(tpl, items) if len(items) > 1 else None,
        "record": record,
        "volume": len(items) > 1,
    }
    try:
        tpl.render(context, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise _docx_error(path, exc) from None
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()
