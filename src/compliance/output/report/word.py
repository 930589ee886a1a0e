"""A Word (.docx) report in the shape of a Chinese evaluation report, for the evaluator to edit.

Why python-docx: it writes real Word styles (Heading 1/2, Table Grid) that an
evaluator's Word or WPS keeps when editing, and it reads the file back, so the
tests re-open what was written. Chinese needs the East Asian font slot
(``w:eastAsia``) set on each style; python-docx only sets the Latin one.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from compliance.core.numbers import grouped, percent_text
from compliance.output.common import by_category, chinese_number
from compliance.output.report.model import ProjectReport, Report, share
from compliance.scoring import Scorecard
from compliance.scoring.arith import pts

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
SECTIONS = ("一、基本情况", "二、评价结论", "三、主要问题", "四、相关建议", "附件：评分表")


def _fonts(style: Any, east_asian: str, size: float, bold: bool | None = None) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(28)
    section.top_margin = section.bottom_margin = Mm(25)
    _fonts(doc.styles["Normal"], BODY_FONT, 12)
    _fonts(doc.styles["Title"], HEADING_FONT, 20, bold=True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        _fonts(doc.styles[f"Heading {level}"], HEADING_FONT, size, bold=True)
    _fonts(doc.styles["Table Grid"], BODY_FONT, 10.5)


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


def _para(doc: Any, text: str, bold_prefix: str = "") -> None:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(24)
    if bold_prefix:
        p.add_run(bold_prefix).bold = True
    p.add_run(text)


def _basics(doc: Any, project: ProjectReport) -> None:
    doc.add_heading(SECTIONS[0], level=1)
    doc.add_heading("（一）项目概况", level=2)
    _table(doc, ["项目", "内容"], [[k, v] for k, v in project.facts()], [35, 119])
    if project.subs:
        doc.add_heading("（二）资金投入和使用情况", level=2)
        rows = [
            [
                str(s.number),
                s.name,
                grouped(s.budget),
                grouped(s.spent),
                "—" if s.execution_rate is None else percent_text(s.execution_rate),
                s.status.label,
            ]
            for s in project.subs
        ]
        _table(
            doc,
            ["序号", "子项目名称", "预算（万元）", "支出（万元）", "执行率", "完成情况"],
            rows,
            [10, 56, 22, 22, 22, 22],
        )
    if project.indicators:
        doc.add_heading("（三）绩效指标完成情况", level=2)
        rows = [
            [i.level1.label, i.level2.label, i.name, i.target, i.actual or "未填"]
            for i in project.indicators
        ]
        _table(
            doc,
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
            rows,
            [22, 26, 50, 28, 28],
        )


def _conclusion(doc: Any, project: ProjectReport, card: Scorecard) -> None:
    doc.add_heading(SECTIONS[1], level=1)
    _para(
        doc,
        f"按《{card.profile}》评分，该项目综合得分{pts(card.total)}分（满分{pts(card.full)}分），"
        f"评价等级为“{card.grade}”。评价发现问题{len(project.result.findings)}项。",
        "评价结论：",
    )
    rows = [[name, pts(w), pts(s), share(s, w)] for name, w, s in card.by_level1]
    rows.append(["合计", pts(card.full), pts(card.total), share(card.total, card.full)])
    _table(doc, ["一级指标", "分值", "得分", "得分率"], rows, [50, 30, 30, 30])
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


def _problems(doc: Any, project: ProjectReport) -> None:
    doc.add_heading(SECTIONS[2], level=1)
    if not project.result.findings:
        _para(doc, "未发现问题。")
    for index, (category, findings) in enumerate(by_category(project.result.findings), start=1):
        doc.add_heading(f"（{chinese_number(index)}）{category}", level=2)
        for f in findings:
            _para(doc, f.message, f"{f.number}. {f.title}（{f.severity.label}风险，{f.rule}）：")
            evidence = "；".join(f"{e.label}：{e.value}" for e in f.evidence)
            where = str(f.location) if f.location else "—"
            source = f"（资料来源：{f.source}）" if f.source else ""
            note = doc.add_paragraph(
                f"证据：{evidence}。位置：{where}{source}。依据：{'；'.join(f.references)}。"
            )
            note.paragraph_format.first_line_indent = Pt(24)
            for run in note.runs:
                run.font.size = Pt(9)


def _advice(doc: Any, project: ProjectReport) -> None:
    doc.add_heading(SECTIONS[3], level=1)
    if not project.result.recommendations:
        _para(doc, "无。")
    for index, group in enumerate(project.result.recommendations, start=1):
        doc.add_heading(f"（{chinese_number(index)}）{group.title}", level=2)
        _para(doc, group.text)
        for advice in group.advice:
            numbers = "、".join(str(n) for n in advice.findings)
            _para(doc, f"{advice.text}（针对问题{numbers}）")


def _score_table(doc: Any, card: Scorecard) -> None:
    doc.add_heading(SECTIONS[4], level=1)
    doc.add_paragraph(f"评分方案：{card.profile}（{card.profile_file}）")
    rows = []
    for line in card.lines:
        reasons = "\n".join(line.reasons)
        rows.append(
            [line.level1, line.level2, line.name, pts(line.weight), pts(line.score), reasons]
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
        [16, 18, 26, 11, 12, 71],
    )


def render_docx(report: Report) -> bytes:
    """The report as a .docx file's bytes."""
    doc = Document()
    _setup(doc)
    first = True
    for project in report.projects:
        if not first:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        first = False
        info, card = project.info, project.card
        if info is None or card is None:
            doc.add_heading(f"{project.result.origin}：记录有误，未能评价", level=1)
            for problem in project.result.problems:
                doc.add_paragraph(str(problem))
            continue
        title = doc.add_heading(f"{info.name}项目支出绩效评价报告", level=0)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub = doc.add_paragraph(f"{info.department}　{info.year}年度　{info.evaluation_kind.label}")
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _basics(doc, project)
        _conclusion(doc, project, card)
        _problems(doc, project)
        _advice(doc, project)
        _score_table(doc, card)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
