"""The generated record reference and record JSON Schema say what the models say."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from compliance.core.yamlfile import read_yaml
from compliance.records.loading import SECTIONS
from compliance.records.reference import SCHEMA_HEADER, reference_markdown, schema_text, sections
from tests.conftest import CASES, DATA, ROOT

SCHEMA = ROOT / "schemas" / "records.schema.json"
REFERENCE = ROOT / "docs" / "records.md"
RECORD_FILES = sorted(p for p in CASES.glob("*/*.yaml") if p.name != "expected.yaml")


def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_the_generated_files_are_up_to_date() -> None:
    stale = "stale; run `make docs` (or `compliance rules docs`) and commit the result"
    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), f"{SCHEMA}: {stale}"
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(CASES), (
        f"{REFERENCE}: {stale}"
    )


def test_the_reference_names_every_section_field_and_form_label() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    assert set(SECTIONS) <= {s.name for s in sections()}
    for section in sections():
        assert f"## `{section.name}`: {section.label}" in text
        for field in section.fields:
            assert f"| `{field.name}` | {field.title} |" in text
            for alias in field.aliases:
                assert f"`{alias}`" in text
    assert "| `actual` | 实际完成值 | text | — | optional | `实际完成值`" in text
    assert "`status`: `completed` 已完成 (also 完成、已验收" in text


@pytest.mark.parametrize("path", RECORD_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_case_file_carries_the_header_and_fits_the_schema(path: Path) -> None:
    assert path.read_text(encoding="utf-8").startswith(SCHEMA_HEADER + "\n")
    errors = [e.message for e in validator().iter_errors(read_yaml(path).data)]
    assert errors == []


def test_the_schema_flags_typos_and_wrong_values() -> None:
    data = read_yaml(DATA / "bad_records" / "typos.yaml").data
    messages = [e.message for e in validator().iter_errors(data)]
    assert any("'spnet' was unexpected" in m for m in messages)


def test_the_schema_accepts_labels_and_identifiers_alike() -> None:
    record = {
        "project": {
            "name": "p",
            "year": 2020,
            "department": "d",
            "evaluation_kind": "自评",
            "budget": 1,
            "spent": 1,
        },
        "sub_projects": [
            {"number": 1, "name": "n", "budget": 1, "spent": 1, "status": "not_started"},
            {"number": 2, "name": "n", "budget": 1, "spent": 1, "status": "已完成"},
        ],
        "indicators": [
            {
                "code": "I1",
                "一级指标": "产出指标",
                "二级指标": "数量",
                "三级指标": "x",
                "年度指标值": "≥1台",
            }
        ],
    }
    assert list(validator().iter_errors(record)) == []
    record["sub_projects"][0]["status"] = "finished"
    errors = list(validator().iter_errors(record))
    assert [(list(e.absolute_path), e.message) for e in errors] == [
        (["sub_projects", 0, "status"], "'finished' is not valid under any of the given schemas")
    ]
