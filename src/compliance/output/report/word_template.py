"""The bundled Word template (``templates/word/report.docx``), built in code so it can be reviewed.

Why build it here: a .docx is a zip of XML that a reviewer cannot read in a
diff; this module is its source. ``python -m compliance.output.report.word_template``
writes it again after a change. A bureau starts its own template from a copy of
the built file and edits it in Word (docs/templates.md lists the tags).
Chinese needs the East Asian font slot (``w:eastAsia``) set on each style;
python-docx only sets the Latin one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
HEADINGS = (
    ("一、基本情况", "basic"),
    ("二、绩效评价工作开展情况", "work"),
    ("三、综合评价情况及评价结论", "conclusion"),
    ("四、绩效评价指标分析", "indicators"),
    ("五、主要经验及做法、存在的问题及原因分析", "problems"),
    ("六、有关建议", "advice"),
    ("七、其他需要说明的问题", "other"),
    ("附：评分表", "scores"),
    ("运行记录", "record"),
)
"""The level-1 headings of the bundled template and the part placed under each."""


def set_fonts(style: Any, east_asian: str, size: float, bold: bool | None = None) -> None:
    """Latin and East Asian fonts, size and colour of a style; theme fonts removed."""
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
    set_fonts(doc.styles["Normal"], BODY_FONT, 12)
    set_fonts(doc.styles["Title"], HEADING_FONT, 20, bold=True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        set_fonts(doc.styles[f"Heading {level}"], HEADING_FONT, size, bold=True)
    set_fonts(doc.styles["Table Grid"], BODY_FONT, 10.5)


def _tag(doc: Any, text: str) -> None:
    doc.add_paragraph(text)


def _page_break(doc: Any) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _centered(doc: Any, text: str, size: float, before: float = 0) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(before)
    p.add_run(text).font.size = Pt(size)


def build() -> Any:
    """The template document: an optional summary, then per project a cover and the parts."""
    doc = Document()
    _setup(doc)
    _tag(doc, "{%p if volume %}")
    doc.add_heading("绩效评价报告汇编", level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _centered(doc, "项目一览", 12)
    _tag(doc, "{{p summary }}")
    _page_break(doc)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p for p in projects %}")
    title = doc.add_heading("{{ p.title }}", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(120)
    _centered(doc, "{{ p.department }}　{{ p.year }}年度　{{ p.kind }}", 14, before=24)
    _tag(doc, "{%p for label, value in p.cover %}")
    _centered(doc, "{{ label }}：{{ value }}", 14, before=12)
    _tag(doc, "{%p endfor %}")
    _page_break(doc)
    _tag(doc, "{%p if p.ok %}")
    for heading, part in HEADINGS:
        doc.add_heading(heading, level=1)
        _tag(doc, f"{{{{p p.parts.{part} }}}}")
    _tag(doc, "{%p else %}")
    doc.add_heading("记录有误，未能评价", level=1)
    _tag(doc, "{%p for problem in p.problems %}")
    _tag(doc, "{{ problem }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p if not loop.last %}")
    _page_break(doc)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    doc.core_properties.author = "compliance"
    doc.core_properties.title = "项目支出绩效评价报告"
    return doc


def main(argv: list[str] | None = None) -> int:
    """Write the template to the path given, or over the bundled one."""
    args = sys.argv[1:] if argv is None else argv
    from compliance.output.report.word import DEFAULT_TEMPLATE

    target = Path(args[0]) if args else DEFAULT_TEMPLATE
    build().save(str(target))
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
