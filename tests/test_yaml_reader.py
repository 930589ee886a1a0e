"""The YAML reader: positions, exact numbers, and hostile files as located errors with limits."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from compliance.core.errors import InputError
from compliance.core.limits import Limits, LimitsSettingError, parse_limits
from compliance.core.yamlfile import SourceDocument, parse_yaml, read_yaml
from tests.conftest import RULES, CliRun


def error_of(text: str | bytes, limits: Limits | None = None) -> str:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "f.yaml", limits or Limits())
    return str(caught.value)


def parsed(text: str) -> SourceDocument:
    return parse_yaml(text, "f.yaml", Limits())


def test_positions_of_every_value_and_decimals_from_their_text() -> None:
    doc = parsed("project:\n  name: 中文名\n  budget: 4600.10\nitems: [1, 2.50]\n")
    assert doc.data == {
        "project": {"name": "中文名", "budget": Decimal("4600.10")},
        "items": [1, Decimal("2.50")],
    }
    assert str(doc.locate(("project", "budget"))) == "f.yaml:3:11"
    assert str(doc.locate(("items", 1))) == "f.yaml:4:12"
    assert str(doc.locate(("project", "budget", "missing"))) == "f.yaml:3:11"


def test_yaml_scalars_read_as_safe_loader_reads_them() -> None:
    doc = parsed("a: yes\nb: ~\nc: 0x1F\nd: 2020-11-30\ne: '12'\nf: =\ng: 1_000\n")
    assert doc.data == {
        "a": True,
        "b": None,
        "c": 31,
        "d": "2020-11-30",
        "e": "12",
        "f": "=",
        "g": 1000,
    }


def test_a_duplicate_key_is_reported_and_the_first_value_kept() -> None:
    doc = parsed("a: 1\na: 2\n")
    assert doc.data == {"a": 1}
    assert [str(p) for p in doc.problems] == [
        "f.yaml:2:1: error: a: duplicate key 'a' (first given at line 1); "
        "YAML would silently keep only the last one"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "project:\n  name: a\x03b\n",
            "f.yaml:2:10: error: control character U+0003 is not allowed in YAML text; "
            "remove it (or write it as an escape in a double-quoted string)",
        ),
        (
            'a: "\x00"\n',
            "f.yaml:1:5: error: control character U+0000 is not allowed in YAML text; "
            "remove it (or write it as an escape in a double-quoted string)",
        ),
        (
            b"a: \xff\n",
            "f.yaml:1:4: error: file is not UTF-8 text: invalid leading UTF-8 octet (byte 0xFF)",
        ),
        ("a: *x\n", "f.yaml:1:4: error: alias '*x' names no anchor defined before it"),
        ("a: &x [*x]\n", "f.yaml:1:8: error: alias '*x' names no anchor defined before it"),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: error: a second YAML document ('---') begins here; a file holds one",
        ),
        (
            "base: &b {x: 1}\nc:\n  <<: *b\n",
            "f.yaml:3:3: error: merge keys ('<<: *name') are not supported; write the fields out",
        ),
        (
            "? [1]\n: 2\n",
            "f.yaml:1:3: error: a mapping key must be text or a number, not a mapping or list",
        ),
        (
            "a: !!python/object:os.system x\n",
            "f.yaml:1:4: error: unsupported YAML tag '!!python/object:os.system'; "
            "write plain text, numbers, lists and mappings",
        ),
        ("a: 1:20.5\n", "f.yaml:1:4: error: invalid YAML value: '1:20.5' is not a number"),
        (
            "a: [1, 2\n",
            "f.yaml:2:1: error: invalid YAML: did not find expected ',' or ']' "
            "(while parsing a flow sequence at line 1)",
        ),
    ],
)
def test_damaged_files_are_located_errors(text: str | bytes, message: str) -> None:
    assert error_of(text) == message


def test_nesting_deeper_than_the_limit() -> None:
    assert error_of("- " * 40 + "x\n") == (
        "f.yaml:1:65: error: nested more than 32 levels deep; the limit is 32 "
        "(raise it with COMPLIANCE_LIMITS=depth=N if the file is genuine)"
    )
    assert error_of("[" * 5000 + "]" * 5000).startswith("f.yaml:1:")


def test_an_alias_bomb_stops_at_the_expansion_limit_without_expanding() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        name, previous = chr(97 + n), chr(96 + n)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    assert error_of("\n".join(levels) + "\n") == (
        "f.yaml:7:8: error: more than 1,000,000 values once aliases are expanded; "
        "the limit is 1,000,000 (raise it with COMPLIANCE_LIMITS=nodes=N if the file is genuine)"
    )


def test_alias_count_text_length_and_list_items_have_limits() -> None:
    small = Limits(aliases=2, string=10, items=3)
    assert error_of("a: &a 1\nb: [*a, *a, *a]\n", small) == (
        "f.yaml:2:13: error: more than 2 aliases; the limit is 2 "
        "(raise it with COMPLIANCE_LIMITS=aliases=N if the file is genuine)"
    )
    assert error_of("a: 12345678901\n", small) == (
        "f.yaml:1:4: error: text of 11 characters; the limit is 10 "
        "(raise it with COMPLIANCE_LIMITS=string=N if the file is genuine)"
    )
    assert error_of("- 1\n- 2\n- 3\n- 4\n", small) == (
        "f.yaml:4:3: error: list of more than 3 items; the limit is 3 "
        "(raise it with COMPLIANCE_LIMITS=items=N if the file is genuine)"
    )


def test_file_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" * 300_000)
    with pytest.raises(InputError) as caught:
        read_yaml(big, Limits(file_mb=1))
    assert str(caught.value) == (
        f"{big}: error: file of 1,500,000 bytes; the limit is 1 MiB "
        "(raise it with COMPLIANCE_LIMITS=file_mb=N if the file is genuine)"
    )


def test_limits_are_set_by_the_environment_within_a_ceiling() -> None:
    assert parse_limits("file_mb=64, items=50000") == Limits(file_mb=64, items=50000)
    with pytest.raises(LimitsSettingError) as caught:
        parse_limits("depth=5000")
    assert str(caught.value) == "COMPLIANCE_LIMITS: depth must lie between 1 and 100, got 5000"
    with pytest.raises(LimitsSettingError) as caught:
        parse_limits("size=5")
    assert str(caught.value) == (
        "COMPLIANCE_LIMITS: 'size=5' is not name=number; "
        "names: file_mb, depth, aliases, nodes, string, items"
    )


def test_a_bad_limits_setting_is_an_error_of_the_command(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPLIANCE_LIMITS", "depth=zero")
    code, _, err = cli("check", "tests/data/clean_project.yaml")
    assert code == 2
    assert err == "error: COMPLIANCE_LIMITS: depth must be a whole number, got 'zero'\n"


def test_control_character_in_a_record_file(cli: CliRun, tmp_path: Path) -> None:
    record = tmp_path / "ctrl.yaml"
    record.write_bytes(b"project:\n  name: a\x03b\n")
    code, _, err = cli("check", str(record))
    assert code == 2
    assert err.strip() == (
        f"{record}:2:10: error: control character U+0003 is not allowed in YAML text; "
        "remove it (or write it as an escape in a double-quoted string)"
    )


def test_dev_null_is_a_located_error_not_a_traceback(cli: CliRun) -> None:
    code, _, err = cli("check", os.devnull)
    assert code == 2
    assert err.strip() == (
        "/dev/null: error: not a record file or folder (a device, FIFO or socket); "
        "give a .yaml file or a case folder"
    )


def test_a_fifo_is_refused_without_opening_it(cli: CliRun, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, _, err = cli("check", str(fifo))  # opening a FIFO would wait for a writer forever
    assert code == 2
    assert err.strip() == (
        f"{fifo}: error: not a record file or folder (a device, FIFO or socket); "
        "give a .yaml file or a case folder"
    )
    with pytest.raises(InputError) as caught:
        read_yaml(fifo)
    assert str(caught.value) == (
        f"{fifo}: error: not a regular file (a folder, device, FIFO or socket); give a YAML file"
    )


def test_a_symbolic_link_loop_is_read_once(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "up").symlink_to(tmp_path)
    (tmp_path / "p.yaml").write_text(
        Path("tests/data/clean_project.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    code, out, _ = cli("check", str(tmp_path), "--format", "json")
    assert code == 0
    assert out.count('"origin"') == 1


def test_a_value_with_line_breaks_stays_on_one_line_of_the_error(
    cli: CliRun, tmp_path: Path
) -> None:
    """Found by ``make fuzz``: a rule file that is one text of many lines."""
    pack = tmp_path / "rules"
    (pack / "g").mkdir(parents=True)
    shutil.copy(RULES / "categories.yaml", pack / "categories.yaml")
    rule = pack / "g" / "TG01.yaml"
    rule.write_text('"ju\\n\\nst\\u2028"\n', encoding="utf-8")
    code, _, err = cli("rules", "validate", str(pack))
    assert code == 2
    assert err == (
        f"{rule}:1:1: error: expected a mapping of fields, got 'ju\\n\\nst\\u2028'\n1 problem(s)\n"
    )


@pytest.mark.skipif(not Path("/proc/meminfo").is_file(), reason="needs Linux /proc")
def test_a_file_longer_than_its_stated_size_is_read_whole() -> None:
    """The reader asks for the size ``stat`` gives; /proc files say 0 and hold more."""
    doc = read_yaml(Path("/proc/meminfo"))
    assert Path("/proc/meminfo").stat().st_size == 0
    assert "MemTotal" in doc.data and len(doc.data) > 10
