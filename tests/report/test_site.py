"""A run over a folder of cases as one HTML site: index page, a page per project, a Word volume."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import CASES, CliRun, main_at_root

PROJECTS = sorted(p.parent.name for p in CASES.rglob("project.yaml"))  # cases/real/* too


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "site"
    assert main_at_root("report", "cases", "--site", str(folder)) == 0
    return folder


def test_index_and_a_page_per_project(site: Path) -> None:
    assert sorted(p.name for p in site.iterdir()) == sorted(
        ["index.html", *(f"{name}.html" for name in PROJECTS)]
    )
    index = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<td><a href="([^"]+)">', index)
    assert sorted(links) == sorted(f"{name}.html" for name in PROJECTS)
    for link in links:
        page = (site / link).read_text(encoding="utf-8")
        assert '<a href="index.html">' in page and 'data-part="basic"' in page


def test_index_rows_agree_with_the_project_pages(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    row = re.search(
        r'<tr><td class="n" data-sort="\d+">\d+</td>\s*<td><a href="qingdao-egov-2020.html">.*?</tr>',
        index,
        re.S,
    )
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    page = (site / "qingdao-egov-2020.html").read_text(encoding="utf-8")
    findings = page.count('<div class="finding ')
    assert cells[5:7] == ["54.67", "差"]
    assert sum(int(c) for c in cells[7:11]) == int(cells[11]) == findings == 26
    assert int(cells[12]) == page.count(
        "<tr><td>", page.index('table class="undecided"'), page.index("（二）其他事项")
    )


def test_index_is_self_contained(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<script src" not in index and "http://" not in index.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert 'data-chart="score-distribution"' in index and 'data-chart="findings"' in index


def test_output_folder_writes_a_site_too(cli: CliRun, tmp_path: Path) -> None:
    code, out, err = cli("report", "cases/qingdao-egov-2020", "-o", f"{tmp_path}/")
    assert (code, out, err) == (0, "", "")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "qingdao-egov-2020.html"]


def test_site_is_html_only(cli: CliRun, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        cli("report", "cases", "--format", "markdown", "--site", str(tmp_path))
    assert caught.value.code == 2


def test_word_volume_starts_with_a_summary_table(cli: CliRun, tmp_path: Path) -> None:
    out = tmp_path / "all.docx"
    code, _, err = cli("report", "cases", "--format", "docx", "-o", str(out))
    assert (code, err) == (0, "")
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "绩效评价报告汇编"
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[0].cells] == [
        "序号",
        "项目",
        "得分",
        "等级",
        "问题",
        "高/中/低/提示",
        "未能核查",
    ]
    assert len(summary.rows) == 1 + len(PROJECTS)
    titles = [p.text for p in doc.paragraphs if p.style.name == "Title"][1:]
    assert len(titles) == len(PROJECTS) and all(t.endswith("项目支出绩效评价报告") for t in titles)
    names = [r.cells[1].text for r in summary.rows[1:]]
    assert [t.removesuffix("项目支出绩效评价报告") for t in titles] == names


def test_a_project_with_bad_records_keeps_its_place(cli: CliRun, tmp_path: Path) -> None:
    bad = "tests/data/bad_records/typos.yaml"
    code, _, err = cli("report", "cases/qingdao-egov-2020", bad, "--site", str(tmp_path))
    assert code == 2 and f"{bad}:3:9: error:" in err
    page = (tmp_path / "typos.html").read_text(encoding="utf-8")
    assert "记录有误，未能评价" in page and "二〇二〇" in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<a href="typos.html">' in index and "未能评价" in index
    out = tmp_path / "r.docx"
    code, _, _ = cli("report", "cases/qingdao-egov-2020", bad, "--format", "docx", "-o", str(out))
    titles = [p.text for p in Document(str(out)).paragraphs if p.style.name == "Title"]
    assert code == 2 and titles[-1] == f"{bad}（记录有误，未能评价）"
