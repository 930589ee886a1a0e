"""The fast YAML reader reads every file exactly as the reference reader does.

Same data (``repr``: Decimal places, key order and NaN included), same position for
every path, same duplicate-key problems, same located error for every damaged file
of the fuzz corpus, under the default limits and under tight ones that trip each
limit at other places; and the same records, with the same locations, for every
case, generated forms and the damaged records of the corpus.
"""

from __future__ import annotations

import gzip
import json
from base64 import b64decode
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from compliance.core.errors import InputError, InputProblem, Location, display_path
from compliance.core.limits import Limits, current_limits
from compliance.core.yamlfile import PathKey, parse_yaml
from compliance.records import loading
from compliance.records.loading import ProjectRecords, load_project
from tests.conftest import CASES, DATA, ROOT, RULES, generated_forms
from tests.yaml_reference import reference_parse

TIGHT = Limits(depth=4, aliases=2, nodes=60, string=30, items=4)
"""Limits that the corpus and the cases trip at many different events."""


def _corpus() -> Iterator[tuple[str, bytes]]:
    for kind in ("records", "rules", "examples"):
        with gzip.open(DATA / "fuzz" / f"{kind}.jsonl.gz", "rt", encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                text = item.get("text")
                data = text.encode("utf-8") if text is not None else b64decode(item["base64"])
                yield f"{kind}:{item['name']}", data


def _files() -> Iterator[tuple[str, bytes]]:
    for folder in (CASES, RULES, DATA, ROOT / "profiles"):
        for path in sorted(folder.rglob("*.y*ml")):
            yield str(path.relative_to(ROOT)), path.read_bytes()


HOSTILE = [
    "a: &a [x, *a]\n",
    "a: &a {b: 1}\nc: [*a, *a]\n*a : 1\n",
    "? &k [1]\n: 2\n",
    "a: 1\nb: {a: 1, a: 2, c: {d: 1, d: [1, 2]}}\na: {x: 1}\n",
    "- &s 1\n- *s\n- {*s : 2}\n",
    "a: !!str 12\nb: !!int '7'\nc: !!float '1.5'\nd: ! 12\ne: !!bool yes\nf: !!null ''\n",
    "a: <<\nb: {<<: 1}\n",
    "? !!float sNaN\n: 1\n",
    "a: !!float sNaN\nb: !!float Infinity\n? !!float -inf\n: 1\n",
    "x\n",
    "",
    "- [[[[[1]]]]]\n",
    "a: 0o17\nb: 017\nc: 0b101\nd: 1:30\ne: -0x1F\nf: +.inf\ng: .NaN\nh: 1e3\ni: 6.8523015e+5\n",
]


def _inputs() -> list[tuple[str, bytes]]:
    hostile = [(f"hostile{i}", text.encode("utf-8")) for i, text in enumerate(HOSTILE)]
    return [*_files(), *_corpus(), *hostile]


INPUTS = _inputs()


def _located(positions: dict[PathKey, Location], path: PathKey) -> Location:
    """The reference's rule: the position of ``path`` or of its nearest located parent."""
    key = tuple(path)
    while key:
        if key in positions:
            return positions[key]
        key = key[:-1]
    return positions.get((), Location("f.yaml", 1, 1))


def _sharing(data: Any) -> list[int]:
    """Which values are one object (an alias), in reading order: ``yaml.dump`` writes a shared
    object as an anchor, so no two values may share one that the reference does not share."""
    seen: dict[int, int] = {}
    order: list[int] = []
    pending = [data]
    while pending:
        value = pending.pop()
        if value is None or isinstance(value, str | bool | int):
            continue
        order.append(seen.setdefault(id(value), len(seen)))
        if isinstance(value, dict):
            pending += [*value.keys(), *value.values()]
        elif isinstance(value, list):
            pending += value
    return order


def _reference(data: bytes, limits: Limits) -> Any:
    try:
        value, positions, problems = reference_parse(data, "f.yaml", limits)
    except InputError as exc:
        return str(exc)
    return repr(value), _sharing(value), positions, [str(p) for p in problems]


@pytest.mark.parametrize("limits", [Limits(), TIGHT], ids=["default-limits", "tight-limits"])
def test_every_file_reads_as_the_reference_reads_it(limits: Limits) -> None:
    differ = []
    for name, data in INPUTS:
        expected = _reference(data, limits)
        for depth in (None, 2, 1):
            try:
                doc = parse_yaml(data, "f.yaml", limits, depth)
            except InputError as exc:
                if str(exc) != expected:
                    differ.append((name, depth, str(exc), expected))
                continue
            if isinstance(expected, str):
                differ.append((name, depth, "read", expected))
                continue
            value, sharing, positions, problems = expected
            read = (repr(doc.data), _sharing(doc.data), [str(p) for p in doc.problems])
            if read != (value, sharing, problems):
                differ.append((name, depth, repr(doc.data), value))
                continue
            # Shallow paths first: they are answered before any re-reading.
            for path in sorted(positions, key=len):
                for asked in (path, (*path, "missing")):
                    if doc.locate(asked) != _located(positions, asked):
                        differ.append((name, depth, asked, _located(positions, asked)))
    assert differ == []


@dataclass
class _ReferenceDocument:
    file: str
    data: Any
    positions: dict[PathKey, Location]
    problems: list[InputProblem] = field(default_factory=list)

    def locate(self, path: PathKey) -> Location:
        return _located(self.positions, path)


def _reference_read(path: Path, **_: Any) -> Any:
    shown = display_path(path)
    data, positions, problems = reference_parse(path.read_bytes(), shown, current_limits())
    return _ReferenceDocument(shown, data, positions, problems)


def _loaded(path: Path) -> Any:
    try:
        project = load_project(path)
    except InputError as exc:
        return str(exc)
    return _records(project)


def _records(project: ProjectRecords) -> list[Any]:
    records: list[Any] = [_stored(r) for r in project.records]
    waivers = [_stored(w) for w in project.waivers]
    return [project.origin, records, sorted(project.complete), waivers]


def _stored(record: Any) -> tuple[Any, ...]:
    """What was read into a record: its fields as stored (no computed ones), which were
    written, and where it stands."""
    fields = repr(sorted(record.__dict__.items()))
    return type(record).__name__, fields, sorted(record.model_fields_set), record.location


def test_projects_load_as_with_the_reference_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = sorted(p for p in CASES.iterdir() if p.is_dir())
    paths += generated_forms(tmp_path / "forms", 40)
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for number, (name, data) in enumerate(_corpus()):
        if name.startswith("records:"):
            path = damaged / f"{number:04d}.yaml"
            path.write_bytes(data)
            paths.append(path)
    fast = [_loaded(path) for path in paths]
    monkeypatch.setattr(loading, "read_yaml", _reference_read)
    reference = [_loaded(path) for path in paths]
    assert len(paths) > 400
    assert sum(isinstance(r, str) for r in reference) > 300  # located errors are compared too
    assert [(p.name, f) for p, f in zip(paths, fast, strict=True)] == [
        (p.name, r) for p, r in zip(paths, reference, strict=True)
    ]
