"""The Word report, re-opened with python-docx: the seven parts of 附件3, tables, charts, fonts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from compliance.output.report import Report
from compliance.output.report.word_template import HEADINGS
from tests.conftest import ROOT, CliRun

SEED = "cases/qingdao-egov-2020"


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from compliance.cli.main import main
    from tests.conftest import ROOT

    out = tmp_path_factory.mktemp("docx") / "report.docx"
    argv = ["report", str(ROOT / SEED), "--format", "docx", "-o", str(out)]
    assert main([*argv, "--cover", "评价机构=某会计师事务所"]) == 0
    return Document(str(out))


def _table(doc: Any, header: list[str], last: bool = False) -> Any:
    found = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == header]
    assert found and (last or len(found) == 1), header
    return found[-1]


def test_headings_follow_a_chinese_evaluation_report(doc: Any) -> None:
    title = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert title == ["电子政务平台运行资金项目支出绩效评价报告"]
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert level1 == [heading for heading, _part in HEADINGS]
    assert level1[:7] == [
        "一、基本情况",
        "二、绩效评价工作开展情况",
        "三、综合评价情况及评价结论",
        "四、绩效评价指标分析",
        "五、主要经验及做法、存在的问题及原因分析",
        "六、有关建议",
        "七、其他需要说明的问题",
    ]
    level2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert level2[:2] == ["（一）项目概况", "（二）资金投入和使用情况"]
    assert "（二）存在的问题及原因分析" in level2
    assert "（一）加强项目前期论证环节，提高绩效目标编制质量" in level2
    level3 = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert level3[:2] == ["1. 项目立项类", "2. 绩效目标类"]


def _between(doc: Any, first: str, last: str) -> list[str]:
    paragraphs = [p.text for p in doc.paragraphs]
    return paragraphs[paragraphs.index(first) : paragraphs.index(last)]


def test_cover_shows_given_fields_and_leaves_the_others_to_write(doc: Any) -> None:
    cover = _between(doc, "电子政务平台运行资金项目支出绩效评价报告", "一、基本情况")
    assert "青岛市大数据发展管理局　2020年度　第三方评价" in cover
    assert "评价机构：某会计师事务所" in cover
    assert "评价时间：【待评价人员填写】" in cover and "报告编号：【待评价人员填写】" in cover


def test_evaluator_parts_are_marked_places_to_write(doc: Any) -> None:
    for first, last in (
        ("二、绩效评价工作开展情况", "三、综合评价情况及评价结论"),
        ("（一）主要经验及做法", "（二）存在的问题及原因分析"),
        ("（二）其他事项", "附：评分表"),
    ):
        part = _between(doc, first, last)[1:]
        assert part[0].startswith("【待评价人员填写】本部分由评价人员根据评价工作实际撰写"), first
        assert all(p.startswith(("【待评价人员填写】", "· ")) for p in part), part


def test_four_charts_are_pictures_with_captions(doc: Any) -> None:
    pictures = doc.inline_shapes
    assert len(pictures) == 4
    for shape in pictures:
        assert shape.width.mm == pytest.approx(154, abs=1)
    captions = [p.text for p in doc.paragraphs if p.text.startswith("图")]
    assert [c.split(" ")[0] for c in captions] == ["图1", "图2", "图3", "图4"]


def test_indicator_analysis_has_target_actual_deviation_and_reason(doc: Any) -> None:
    table = _table(doc, ["编号", "三级指标", "指标值", "实际完成值", "偏离度", "偏差原因"])
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert len(rows) == 17
    # indicators.yaml: I02 target ≥1200台, actual 1640台, deviation_reason "" (stated blank)
    assert rows["I02"] == ["I02", "云虚拟机采购数", "≥1200台", "1640台", "+36.67%", "未说明"]
    # I01 has no actual in the source (not given, not blank): unknown, not zero
    assert rows["I01"][3:] == ["资料未载明", "—", "资料未载明"]


def test_undecided_rules_are_listed_as_not_checkable(doc: Any, seed_report: Report) -> None:
    table = _table(doc, ["规则", "核查事项", "对象", "需要载明"])
    rules = [r.cells[0].text for r in table.rows[1:]]
    assert rules == list(dict.fromkeys(u.rule for u in seed_report.projects[0].result.undecided))
    assert "PA04" in rules


def test_run_record_names_rules_profile_and_inputs(doc: Any) -> None:
    table = _table(doc, ["项目", "内容"], last=True)
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows[1:]}
    assert rows["工具版本"].startswith("compliance ")
    assert re.fullmatch(r"rules（\d+条规则）sha256:[0-9a-f]{64}", rows["规则包"])
    assert rows["评分方案 third_party.yaml"].startswith("sha256:")
    assert rows["调整的参数（--set）"] == "无（均为默认值）"
    inputs = sorted(k.removeprefix("输入文件 ") for k in rows if k.startswith("输入文件 "))
    names = ["documents", "indicators", "process", "project", "sub_projects", "surveys"]
    assert inputs == [f"qingdao-egov-2020/{n}.yaml" for n in names]
    digest = hashlib.sha256((ROOT / SEED / "indicators.yaml").read_bytes()).hexdigest()
    assert rows["输入文件 qingdao-egov-2020/indicators.yaml"] == f"sha256:{digest}"


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
    part = _between(doc, "（二）存在的问题及原因分析", "六、有关建议")
    headings = {p.text for p in doc.paragraphs if p.style.name == "Heading 3"}
    numbered = [p for p in part if p[:1].isdigit() and p not in headings]
    findings = seed_report.projects[0].result.findings
    assert [p.split(".")[0] for p in numbered] == [str(f.number) for f in findings]
    assert numbered[0].startswith("1. 立项前未开展可行性研究（高风险，PA01）：")
    # sources travel: the record's own reference and the case file, never the writer's path
    notes = [p for p in part if p.startswith("证据：")]
    assert len(notes) == len(findings)
    assert "资料来源：表1-3；记录：qingdao-egov-2020/indicators.yaml:" in "".join(notes)
    assert str(ROOT) not in "".join(part)


def test_score_table_has_every_line_with_reasons(doc: Any) -> None:
    table = _table(doc, ["一级指标", "二级指标", "三级指标", "分值", "得分", "评分理由"])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert len(rows) == 17 + 4 + 1
    [b12] = [r for r in rows if r[2] == "预算执行率"]
    assert b12[3:5] == ["4", "2.91"] and "97.72%" in b12[5] and "FN04" in b12[5]
    assert rows[-1][:5] == ["合计（差）", "", "", "100", "54.67"]


def test_sub_project_table(doc: Any) -> None:
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


def test_without_a_cjk_font_word_stops_with_a_message(
    cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from compliance.output.report import fonts

    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such CJK Font",))
    fonts.cjk_font.cache_clear()
    try:
        out = tmp_path / "r.docx"
        code, stdout, err = cli("report", SEED, "--format", "docx", "-o", str(out))
    finally:
        fonts.cjk_font.cache_clear()
    assert (code, stdout) == (2, "")
    assert err.startswith("error: no CJK font found for the Word report's charts")
    assert "fonts-noto-cjk" in err and not out.exists()
