"""Waivers at the command line: 已说明 in every output, counted apart, never failing --fail-on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import CliRun
from tests.review.conftest import YEAR1

CASE = str(YEAR1)
PA07 = """\
  - rule: PA07
    subject: project:project
    reason: 立项依据为市政府常务会议纪要，已补充归档
    accepted_by: 王评价
    date: 2023-03-01
    document: 示档发〔2023〕3号
"""


def _waivers(tmp_path: Path, body: str, name: str = "waivers.yaml") -> str:
    path = tmp_path / name
    path.write_text("waivers:\n" + body, encoding="utf-8")
    return str(path)


def _json(cli: CliRun, *args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = cli("check", CASE, "--format", "json", *args)
    return code, json.loads(out), err


def _by_rule(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["rule"]: f for f in data["projects"][0]["findings"]}


def test_a_waived_finding_stays_in_every_format_marked_and_counted_apart(
    cli: CliRun, tmp_path: Path
) -> None:
    waivers = _waivers(tmp_path, PA07)
    code, data, err = _json(cli, "--waivers", waivers, "--as-of", "2023-06-01")
    assert err == ""
    assert code == 1  # TG06, TG07 (high) are still open
    found = _by_rule(data)
    assert set(found) == {"PA07", "TG06", "TG07", "FN07"}
    assert found["PA07"]["status"] == "waived"
    assert found["PA07"]["waiver"]["reason"] == "立项依据为市政府常务会议纪要，已补充归档"
    assert found["PA07"]["waiver"]["accepted_by"] == "王评价"
    assert found["PA07"]["waiver"]["document"] == "示档发〔2023〕3号"
    assert found["PA07"]["waiver"]["location"]["line"] == 2
    assert [found[r]["status"] for r in ("TG06", "TG07", "FN07")] == ["open"] * 3
    summary = data["projects"][0]["summary"]
    assert (summary["findings"], summary["waived"], summary["open"]) == (4, 1, 3)
    assert data["summary"]["waived"] == 1

    code, text, _ = cli("check", CASE, "--waivers", waivers, "--as-of", "2023-06-01")
    assert "主要问题（4项，其中已说明 1 项、待整改 3 项）" in text
    assert "[PA07 高] 未见立项依据文件〔已说明〕" in text or "〔已说明〕" in text.split("PA07")[1]
    assert (
        "已说明：立项依据为市政府常务会议纪要，已补充归档（认可人 王评价，日期 2023-03-01" in text
    )
    assert "发现问题 4 项（其中已说明 1 项）" in text

    code, md, _ = cli(
        "check", CASE, "--waivers", waivers, "--as-of", "2023-06-01", "--format", "markdown"
    )
    assert "〔已说明〕" in md and "> 已说明：立项依据为市政府常务会议纪要" in md

    code, html, _ = cli(
        "report", CASE, "--waivers", waivers, "--as-of", "2023-06-01", "--format", "html"
    )
    assert code == 0
    assert '<span class="badge status">已说明</span>' in html
    assert "已说明：立项依据为市政府常务会议纪要" in html


def test_waived_findings_never_fail_fail_on(cli: CliRun, tmp_path: Path) -> None:
    rest = "".join(PA07.replace("PA07", rule) for rule in ("TG06", "TG07", "FN07"))
    waivers = _waivers(tmp_path, PA07 + rest)
    code, data, _ = _json(cli, "--waivers", waivers, "--fail-on", "low")
    assert code == 0
    assert data["projects"][0]["summary"]["waived"] == 4
    code, _, _ = _json(cli, "--waivers", _waivers(tmp_path, PA07 + rest.split("  - rule: FN07")[0]))
    assert code == 1  # FN07 (medium) open


def test_an_expired_waiver_brings_the_finding_back(cli: CliRun, tmp_path: Path) -> None:
    waivers = _waivers(tmp_path, PA07 + "    expires: 2023-12-31\n")
    _, on_expiry, _ = _json(cli, "--waivers", waivers, "--as-of", "2023-12-31")
    assert _by_rule(on_expiry)["PA07"]["status"] == "waived"  # holds through its last day
    _, after, _ = _json(cli, "--waivers", waivers, "--as-of", "2024-01-01")
    pa07 = _by_rule(after)["PA07"]
    assert pa07["status"] == "open" and pa07["waiver"] is None
    assert pa07["expired_waiver"]["expires"] == "2023-12-31"
    _, text, _ = cli("check", CASE, "--waivers", waivers, "--as-of", "2024-01-01")
    assert "说明已于 2023-12-31 到期，问题恢复：立项依据为市政府常务会议纪要" in text


def test_a_waiver_matching_nothing_is_reported_where_it_is_written(
    cli: CliRun, tmp_path: Path
) -> None:
    stray = PA07.replace("PA07", "TG01").replace("project:project", "indicator:I09")
    waivers = _waivers(tmp_path, PA07 + stray)
    _code, data, err = _json(cli, "--waivers", waivers)
    assert err == f"{waivers}:8:5: warning: waiver TG01 indicator:I09 matches no finding\n"
    assert [(w["rule"], w["subject"]) for w in data["summary"]["unused_waivers"]] == [
        ("TG01", "indicator:I09")
    ]
    _, text, _ = cli("check", CASE, "--waivers", waivers)
    assert f"未匹配任何问题的说明：TG01 indicator:I09（{waivers}:8:5）" in text


def test_a_waiver_without_reason_or_approver_is_bad_input(cli: CliRun, tmp_path: Path) -> None:
    body = PA07.replace("    reason: 立项依据为市政府常务会议纪要，已补充归档\n", "").replace(
        "    accepted_by: 王评价\n", "    accepted_by: ''\n"
    )
    waivers = _waivers(tmp_path, body)
    code, out, err = cli("check", CASE, "--waivers", waivers)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{waivers}:2:5: error: waivers[0].reason:")
    assert lines[1].startswith(f"{waivers}:4:18: error: waivers[0].accepted_by:")
    assert "Traceback" not in err


def test_the_records_own_waivers_section(cli: CliRun, tmp_path: Path) -> None:
    case = tmp_path / "case"
    shutil.copytree(YEAR1, case)
    with (case / "project.yaml").open("a", encoding="utf-8") as f:
        f.write("waivers:\n" + PA07)
    code, out, err = cli("check", str(case), "--format", "json")
    assert err == ""
    assert _by_rule(json.loads(out))["PA07"]["waiver"]["origin"] == "records"
    code, sarif, err = cli("report", str(case), "--format", "sarif")
    assert (code, err) == (0, "")
    results = {r["ruleId"]: r for r in json.loads(sarif)["runs"][0]["results"]}
    (suppression,) = results["PA07"]["suppressions"]
    assert suppression["kind"] == "inSource"
    assert suppression["status"] == "accepted"
    assert suppression["justification"] == "立项依据为市政府常务会议纪要，已补充归档"
    assert "suppressions" not in results["TG06"]

    with (case / "project.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "  - {rule: TG06, subject: 'project:project', accepted_by: 王评价, date: 2023-03-01}\n"
        )
    code, out, err = cli("check", str(case))
    assert code == 2 and "无法检查：记录有误" in out
    assert (
        "project.yaml:35:5: error: waivers[1].reason" in err
        and "waivers[1].reason" in err
        and "Traceback" not in err
    )


def test_the_word_report_shows_the_waiver_too(cli: CliRun, tmp_path: Path) -> None:
    from docx import Document

    waivers = _waivers(tmp_path, PA07)
    out = tmp_path / "report.docx"
    code, _, err = cli("report", CASE, "--format", "docx", "-o", str(out), "--waivers", waivers)
    assert (code, err) == (0, "")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "〔已说明〕" in text
    assert "已说明：立项依据为市政府常务会议纪要，已补充归档（认可人 王评价" in text


def test_a_waiver_naming_another_project_does_not_apply(cli: CliRun, tmp_path: Path) -> None:
    other = PA07 + "    project: 另一个项目\n"
    mine = PA07.replace("PA07", "TG06") + "    project: ' 馆藏档案数字化加工 '\n"
    waivers = _waivers(tmp_path, other + mine)
    _, data, err = _json(cli, "--waivers", waivers)
    found = _by_rule(data)
    assert (found["PA07"]["status"], found["TG06"]["status"]) == ("open", "waived")
    assert "waiver PA07 project:project matches no finding" in err
