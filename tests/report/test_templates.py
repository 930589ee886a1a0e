"""A bureau's own templates: cover and order of parts change; errors are located, exit 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK

from tests.conftest import DATA, CliRun

SEED = "cases/qingdao-egov-2020"
BUREAU = DATA / "report" / "bureau_template"


def _parts(html: str) -> list[str]:
    return re.findall(r'<h2 data-part="(\w+)">([^<]+)</h2>', html)


def test_a_bureau_cover_and_order_of_parts(cli: CliRun) -> None:
    code, html, err = cli(
        "report",
        SEED,
        "--format",
        "html",
        "--template",
        str(BUREAU),
        "--cover",
        "报告编号=绩评〔2021〕7号",
    )
    assert (code, err) == (0, "")
    assert '<p class="issuer">某市财政局 · 预算绩效管理处</p>' in html
    assert '<p class="number">报告编号：绩评〔2021〕7号</p>' in html
    assert html.index('class="number"') < html.index("<h1>电子政务平台运行资金项目支出绩效评价报告")
    # the numbers follow the bureau's order, the titles stay those of 附件3
    assert [title for _key, title in _parts(html)] == [
        "一、综合评价情况及评价结论",
        "二、基本情况",
        "三、绩效评价指标分析",
        "四、主要经验及做法、存在的问题及原因分析",
        "五、有关建议",
        "六、其他需要说明的问题",
        "七、绩效评价工作开展情况",
    ]
    assert 'class="summary"' not in html and 'data-part="scores"' not in html  # left out
    assert "运行记录" in html  # the bundled run record, not overridden


def test_the_bundled_templates_stay_the_default(cli: CliRun) -> None:
    _, html, _ = cli("report", SEED, "--format", "html")
    assert [key for key, _title in _parts(html)][:7] == [
        "basic",
        "work",
        "conclusion",
        "indicators",
        "problems",
        "advice",
        "other",
    ]
    assert "某市财政局" not in html


def _word_report(cli: CliRun, folder: Path, out: Path, *more: str) -> tuple[int, str, str]:
    """``compliance report`` of the seed case as a .docx from the templates in ``folder``."""
    return cli("report", SEED, "--format", "docx", "-o", str(out), "--template", str(folder), *more)


def _bureau_docx(folder: Path, parts: list[tuple[str, str]], cover: str = "") -> Path:
    doc = Document()
    doc.add_paragraph("{%p for p in projects %}")
    doc.add_paragraph("某市财政局文件")
    doc.add_paragraph(
        cover
        or "报告编号：{% for l, v in p.cover %}{% if l == '报告编号' %}{{ v }}{% endif %}{% endfor %}"
    )
    doc.add_heading("{{ p.title }}", level=0)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for heading, part in parts:
        doc.add_heading(heading, level=1)
        doc.add_paragraph(f"{{{{p p.parts.{part} }}}}")
    doc.add_paragraph("{%p endfor %}")
    (folder / "word").mkdir(parents=True, exist_ok=True)
    path = folder / "word" / "report.docx"
    doc.save(str(path))
    return path


def test_a_bureau_word_template(cli: CliRun, tmp_path: Path) -> None:
    folder = tmp_path / "tpl"
    _bureau_docx(
        folder,
        [("一、评价结论", "conclusion"), ("二、项目基本情况", "basic"), ("三、问题", "problems")],
    )
    out = tmp_path / "r.docx"
    code, _, err = _word_report(cli, folder, out, "--cover", "报告编号=绩评〔2021〕7号")
    assert (code, err) == (0, "")
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["某市财政局文件", "报告编号：绩评〔2021〕7号"]
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert level1 == ["一、评价结论", "二、项目基本情况", "三、问题"]
    first = texts.index("一、评价结论")
    assert texts[first + 1].startswith("评价结论：按《第三方评价评分方案")
    assert texts.index("二、项目基本情况") < texts.index("（一）项目概况") < texts.index("三、问题")
    assert len(doc.inline_shapes) == 3  # the scores, budget and findings charts of those parts


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("<h1>{{ o.title }</h1>", 2, "template error: unexpected '}'"),
        (
            "<h1>{{ o.titel }}</h1>",
            2,
            "template error: 'compliance.output.report.outline.Outline object' has no attribute 'titel'",
        ),
        (
            '{% include "html/nothing.html.j2" %}',
            2,
            "template error: template not found: html/nothing.html.j2",
        ),
    ],
)
def test_template_errors_are_located(
    cli: CliRun, tmp_path: Path, text: str, line: int, message: str
) -> None:
    (tmp_path / "html").mkdir()
    cover = tmp_path / "html" / "cover.html.j2"
    cover.write_text(f"<section>\n{text}\n</section>\n", encoding="utf-8")
    code, out, err = cli("report", SEED, "--format", "html", "--template", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{cover}:{line}:0: error: {message}"), err
    assert "Traceback" not in err


def test_a_word_template_error_names_the_file_and_the_text(cli: CliRun, tmp_path: Path) -> None:
    path = _bureau_docx(tmp_path, [("一、评价结论", "conclusion")], cover="报告编号：{{ p.cover }")
    code, out, err = _word_report(cli, tmp_path, tmp_path / "r.docx")
    assert (code, out) == (2, "")
    assert re.match(
        rf"{re.escape(str(path))}:\d+:0: error: template error: unexpected '}}'", err
    ), err
    assert "报告编号" in err and "Traceback" not in err
    assert not (tmp_path / "r.docx").exists()


def test_a_missing_template_folder_is_bad_input(cli: CliRun, tmp_path: Path) -> None:
    code, _, err = cli("report", SEED, "--template", str(tmp_path / "none"))
    assert code == 2 and "template folder not found" in err


def test_exported_templates_reproduce_the_bundled_report(cli: CliRun, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    code, out, err = cli("templates", str(folder))
    assert (code, err) == (0, "")
    assert f"{folder}/word/report.docx" in out.splitlines()
    assert (folder / "html" / "sections" / "basic.html.j2").is_file()
    _, bundled, _ = cli("report", SEED, "--format", "markdown")
    code, own, _ = cli("report", SEED, "--format", "markdown", "--template", str(folder))
    time = re.compile(r"\| 生成时间 \| [^|]+ \|")
    assert code == 0 and time.sub("", own) == time.sub("", bundled)
    code, _, err = cli("templates", str(folder))
    assert code == 2 and "exists (use --force)" in err
    assert cli("templates", str(folder), "--force")[0] == 0


def test_an_undefined_name_in_a_word_template_is_located(cli: CliRun, tmp_path: Path) -> None:
    path = _bureau_docx(tmp_path, [("一、评价结论", "conclusion")], cover="编号：{{ p.numbr }}")
    code, out, err = _word_report(cli, tmp_path, tmp_path / "r.docx")
    assert (code, out) == (2, "")
    found = re.match(rf"{re.escape(str(path))}:(\d+):0: error: template error: .*numbr", err)
    assert found and int(found.group(1)) > 0, err
