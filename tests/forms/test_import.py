"""``compliance import`` writes YAML that checks exactly like the workbook it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.checking.checker import Checker, ProjectResult
from compliance.rules.pack import RulePack
from tests.conftest import CliRun
from tests.forms.conftest import FormFiles


def _same(result: ProjectResult) -> list[tuple[str, str, str, str, list[tuple[str, str]]]]:
    return [
        (f.rule, f.subject.type, f.subject.key, f.message, [(e.label, e.value) for e in f.evidence])
        for f in result.findings
    ]


@pytest.mark.parametrize("name", ["central", "provincial", "wps", "shifted", "three", "word"])
def test_checking_the_import_gives_the_findings_of_checking_the_workbook(
    forms: FormFiles, pack: RulePack, cli: CliRun, tmp_path: Path, name: str
) -> None:
    source = getattr(forms, name)
    code, _out, err = cli("import", str(source), "-o", str(tmp_path))
    assert code == 0, err
    folders = sorted(p.parent for p in tmp_path.glob("*/project.yaml"))
    direct = [r for r in Checker(pack).run([source]).results]
    imported = [Checker(pack).run([folder]).results[0] for folder in folders]
    assert len(folders) == len(direct) >= 1
    by_name = {r.project.info.name: r for r in imported if r.project}
    for result in direct:
        assert result.project is not None and not result.problems
        twin = by_name[result.project.info.name]
        assert not twin.problems, twin.problems
        assert _same(twin) == _same(result)
        assert result.findings


def test_import_comments_every_value_with_its_cell(
    forms: FormFiles, cli: CliRun, tmp_path: Path
) -> None:
    assert cli("import", str(forms.central), "-o", str(tmp_path))[0] == 0
    text = (tmp_path / "central" / "project.yaml").read_text(encoding="utf-8")
    assert '  name: "农村义务教育学生营养改善计划"  # 自评表!B3' in text
    assert '    得分: "11"  # 自评表!H16' in text  # the printed label, which the model takes
    values = [line for line in text.splitlines() if ": " in line and not line.startswith("#")]
    assert all("# 自评表!" in line for line in values)


def test_import_of_a_broken_file_is_a_located_error(
    forms: FormFiles, cli: CliRun, tmp_path: Path
) -> None:
    code, _out, err = cli("import", str(forms.broken), "-o", str(tmp_path))
    assert code == 2
    assert "password.xlsx: error: is password-protected" in err
    assert (tmp_path / "good" / "project.yaml").is_file()


def test_forms_in_files_of_the_same_name_get_their_own_folders(
    forms: FormFiles, cli: CliRun, tmp_path: Path
) -> None:
    source = tmp_path / "in"
    for folder in ("甲县", "乙县"):
        (source / folder).mkdir(parents=True)
        (source / folder / "自评表.xlsx").write_bytes(forms.central.read_bytes())
    code, _, err = cli("import", str(source), "-o", str(tmp_path / "out"))
    assert code == 0, err
    written = {p.parent.name for p in (tmp_path / "out").glob("*/project.yaml")}
    assert written == {"自评表", "甲县-自评表"}  # 乙县 sorts first and keeps the plain name
