"""The Word report, re-opened with python-docx: sections in report order, tables, fonts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from compliance.output.report import Report
from compliance.output.report.word import SECTIONS
from tests.conftest import CliRun

SEED = "cases/qingdao-egov-2020"


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from compliance.cli.main import main
    from tests.conftest import ROOT

    out = tmp_path_factory.mktemp("docx") / "report.docx"
    assert main(["report", str(ROOT / SEED), "--format", "docx", "-o", str(out)]) == 0
    return Document(str(out))


def _table(doc: Any, header: list[str]) -> Any:
    found = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == header]
    assert len(found) == 1, header
    return found[0]


def test_headings_follow_a_chinese_evaluation_report(doc: Any) -> None:
    title = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert title == ["电子政务平台运行资金项目支出绩效评价报告"]
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert level1 == list(SECTIONS)
    level2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert level2[:3] == ["（一）项目概况", "（二）资金投入和使用情况", "（三）绩效指标完成情况"]
    assert "（一）项目立项类" in level2
    assert "（一）加强项目前期论证环节，提高绩效目标编制质量" in level2


def test_conclusion_states_score_and_grade(doc: Any) -> None:
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "综合得分54.67分（满分100分），评价等级为“差”" in text
    table = _table(doc, ["一级指标", "分值", "得分", "得分率"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert rows == [
        ["决策", "20", "15.5", "77.50%"],
        ["过程", "20", "11.41", "57.05%"],
        ["产出", "30", "27.76", "92.53%"],
        ["效益", "30", "0", "0.00%"],
        ["合计", "100", "54.67", "54.67%"],
    ]


def test_problems_are_numbered_under_their_categories(doc: Any, seed_report: Report) -> None:
    paragraphs = [p.text for p in doc.paragraphs]
    start, end = paragraphs.index(SECTIONS[2]), paragraphs.index(SECTIONS[3])
    numbered = [p for p in paragraphs[start:end] if p[:1].isdigit()]
    findings = seed_report.projects[0].result.findings
    assert [p.split(".")[0] for p in numbered] == [str(f.number) for f in findings]
    assert numbered[0].startswith("1. 立项前未开展可行性研究（高风险，PA01）：")
    assert any("位置：cases/qingdao-egov-2020/" in p for p in paragraphs[start:end])


def test_score_table_has_every_line_with_reasons(doc: Any) -> None:
    table = _table(doc, ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分理由"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == 17 + 4 + 1
    [b12] = [r for r in rows if r[2] == "预算执行率"]
    assert b12[3:5] == ["4", "2.91"] and "97.72%" in b12[5] and "FN04" in b12[5]
    assert rows[-1][:5] == ["合计（差）", "", "", "100", "54.67"]


def test_sub_project_and_indicator_tables(doc: Any) -> None:
    subs = _table(doc, ["序号", "子项目名称", "预算（万元）", "支出（万元）", "执行率", "完成情况"])
    assert len(subs.rows) == 1 + 23
    assert [c.text for c in subs.rows[23].cells] == [
        "23",
        "政务大数据和云计算中心平台服务费",
        "3,380.30",
        "3,380.30",
        "100.00%",
        "已完成",
    ]
    indicators = _table(doc, ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"])
    assert len(indicators.rows) == 1 + 17


def test_styles_carry_an_east_asian_font(doc: Any) -> None:
    for name, font in (("Normal", "宋体"), ("Heading 1", "黑体"), ("Title", "黑体")):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_docx_needs_an_output_file(cli: CliRun) -> None:
    with pytest.raises(SystemExit) as caught:
        cli("report", SEED, "--format", "docx")
    assert caught.value.code == 2


def test_docx_written_where_asked(cli: CliRun, tmp_path: Path) -> None:
    out = tmp_path / "nested" / "r.docx"
    code, stdout, err = cli("report", SEED, "--format", "docx", "-o", str(out))
    assert (code, stdout, err) == (0, "", "")
    assert out.read_bytes()[:2] == b"PK"
