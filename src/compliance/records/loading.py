"""Load one evaluated project from a YAML/JSON file or a case folder.

A case is one file holding the sections below, or a folder whose ``*.yaml`` files
each hold some of them (``expected.yaml`` is the case's golden findings and is
not a record). Every record remembers the file and line it was written on.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from compliance.core.errors import InputError, InputProblem, Location, display_path
from compliance.core.modelerrors import problems_from
from compliance.core.yamlfile import PathKey, SourceDocument, read_yaml
from compliance.records.forms import FundsRow, SelfEvaluation
from compliance.records.indicators import Indicator
from compliance.records.project import ProjectInfo, Record, SpendingArea, SubProject
from compliance.records.registers import (
    Acceptance,
    Adjustment,
    Approval,
    Document,
    Payment,
    Statement,
    Survey,
)
from compliance.records.vocabulary import Labeled
from compliance.records.waivers import Waiver

RECORD_DEPTH = 2
"""Paths a loaded project locates without an error: a section and one record in it."""
NOT_RECORDS = {"expected.yaml", "expected.yml"}
RECORD_SUFFIXES = {".yaml", ".yml", ".json"}
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
WORD_SUFFIXES = frozenset({".docx"})
OLD_FORMATS = {
    ".doc": "Word 97–2003 (.doc): save it as .docx",
    ".wps": "WPS 文字 (.wps): save it as .docx",
    ".et": "WPS 表格 (.et): save it as .xlsx",
}
"""Form files handed over in formats no reader here takes: each is reported, not skipped."""
FORM_SUFFIXES = SPREADSHEET_SUFFIXES | WORD_SUFFIXES | frozenset(OLD_FORMATS)
"""Files that may hold self-evaluation forms; :mod:`compliance.intake` reads them."""


class CoverageLevel(Labeled):
    """How much of a register the source covers."""

    COMPLETE = "complete", "完整", "全部", "全面核查"
    LISTED = "listed", "仅列示", "部分"


RegisterName = Literal[
    "sub_projects",
    "indicators",
    "documents",
    "acceptances",
    "payments",
    "approvals",
    "adjustments",
    "surveys",
    "form_funds",
    "spending_areas",
]
REGISTERS: tuple[str, ...] = typing.get_args(RegisterName)
"""Sections whose records an evaluator can declare complete (``coverage:``)."""


class CaseFile(BaseModel):
    """The sections of a project's records."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    project: ProjectInfo
    coverage: dict[
        RegisterName, Annotated[CoverageLevel, BeforeValidator(CoverageLevel.lookup)]
    ] = Field(
        default_factory=dict,
        title="登记范围",
        description=(
            "complete: the source covers the whole register (the unit's whole file was "
            "inspected), so a record missing from it is absent; default: only the items listed"
        ),
    )
    spending_areas: list[SpendingArea] = Field(default_factory=list)
    sub_projects: list[SubProject] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    acceptances: list[Acceptance] = Field(default_factory=list)
    payments: list[Payment] = Field(default_factory=list)
    approvals: list[Approval] = Field(default_factory=list)
    adjustments: list[Adjustment] = Field(default_factory=list)
    surveys: list[Survey] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    form: SelfEvaluation | None = None
    form_funds: list[FundsRow] = Field(default_factory=list)
    waivers: list[Waiver] = Field(default_factory=list)


NOT_RECORD_SECTIONS = {"coverage", "waivers"}
"""Sections about the records, not records: what they cover, the evaluator's waivers."""
SECTIONS = tuple(name for name in CaseFile.model_fields if name not in NOT_RECORD_SECTIONS)
"""The record sections, in the order records are listed."""
_KIND_OF = {
    name: typing.get_args(CaseFile.model_fields[name].annotation)[0].kind for name in REGISTERS
}


@dataclass
class ProjectRecords:
    """One project's validated records, in file order, with their origin."""

    origin: str
    info: ProjectInfo
    records: list[Record] = field(default_factory=list)
    complete: frozenset[str] = frozenset()
    """Record kinds whose register the source covers completely (``coverage:``)."""
    waivers: list[Waiver] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Record]:
        """Records of one kind, in file order."""
        return [r for r in self.records if r.kind == kind]


def _case_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix in RECORD_SUFFIXES and p.name not in NOT_RECORDS and p.is_file()
        )
        if not files:
            raise InputError.single(display_path(path), "folder holds no record files (*.yaml)")
        return files
    return [path]


def _merge(documents: Iterable[SourceDocument]) -> tuple[dict[str, Any], dict[str, SourceDocument]]:
    merged: dict[str, Any] = {}
    owner: dict[str, SourceDocument] = {}
    problems: list[InputProblem] = []
    for doc in documents:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                InputProblem(
                    doc.locate(()), "", "expected a mapping of sections: " + ", ".join(SECTIONS)
                )
            )
            continue
        for section, value in doc.data.items():
            if section in owner:
                first = owner[section]
                problems.append(
                    InputProblem(
                        doc.locate((section,)),
                        str(section),
                        f"section '{section}' is also given in {first.file}:{first.locate((section,)).line}",
                    )
                )
                continue
            merged[section] = value
            owner[section] = doc
    if problems:
        raise InputError(problems)
    return merged, owner


def _unique_keys(records: list[Record], where: dict[int, tuple[str, int]]) -> list[InputProblem]:
    problems = []
    seen: dict[tuple[str, str], Record] = {}
    for record in records:
        ident = (record.kind, record.key)
        if ident in seen:
            first = seen[ident].location
            problems.append(
                InputProblem(
                    record.location or Location(""),
                    f"{where[id(record)][0]}[{where[id(record)][1]}]",
                    f"{record.label} '{record.key}' is given twice (first at line {first.line if first else '?'})",
                )
            )
        else:
            seen[ident] = record
    return problems


def _references(case: CaseFile) -> list[tuple[Record, str, str]]:
    """Check the references between records; return (record, field, message)."""
    numbers = {s.number for s in case.sub_projects}
    areas = {a.code for a in case.spending_areas}
    bad: list[tuple[Record, str, str]] = []
    for sub in case.sub_projects:
        if sub.area is not None and case.spending_areas and sub.area not in areas:
            known = ", ".join(f"{a.code} ({a.name})" for a in case.spending_areas)
            message = f"'{sub.area}' is not the code of a spending area; known: {known}"
            bad.append((sub, "area", message))
    linked: list[Acceptance | Payment | Adjustment] = [
        *case.acceptances,
        *case.payments,
        *case.adjustments,
    ]
    for record in linked:
        if record.sub_project is not None and record.sub_project not in numbers:
            bad.append((record, "sub_project", f"names no sub-project: {record.sub_project}"))
    codes = {s.code for s in case.statements}
    for statement in case.statements:
        if statement.part_of is not None and statement.part_of not in codes:
            bad.append((statement, "part_of", f"names no statement: '{statement.part_of}'"))
        for term in statement.rate_of or ():
            if term not in codes:
                bad.append((statement, "rate_of", f"names no statement: '{term}'"))
    return bad


def _link(case: CaseFile) -> None:
    """Give records what they are checked against: totals their parts, documents their number.

    Why here: a totals row, a stated total or a repeated document type is judged
    against other records of the same project; the loader is the one place that
    sees them all, and the records then compute the derived fields exactly.
    """
    for row in case.form_funds:
        row.attach_parts(case.form_funds)
    codes = {s.code: s for s in case.statements}
    for statement in case.statements:
        parts = [s for s in case.statements if s.part_of == statement.code]
        terms = statement.rate_of
        pair = (
            (codes[terms[0]], codes[terms[1]]) if terms and all(t in codes for t in terms) else None
        )
        statement.link(parts, pair)
    seen: dict[str, int] = {}
    for document in case.documents:
        if document.key_is_derived:
            seen[document.key] = seen.get(document.key, 0) + 1
            document.number_as(seen[document.key])


def load_project(path: Path) -> ProjectRecords:
    """Load and validate one project; raise :class:`InputError` with every problem."""
    files = _case_files(path)
    origin = display_path(path)
    documents: list[SourceDocument] = []
    problems: list[InputProblem] = []
    for file in files:
        try:
            doc = read_yaml(file, depth=RECORD_DEPTH, shown=origin if file is path else None)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        documents.append(doc)
    if problems:
        raise InputError(problems)
    duplicates = [p for doc in documents for p in doc.problems]
    merged, owner = _merge(documents)
    first = documents[0]

    def locate(loc: PathKey) -> Location:
        doc = owner.get(str(loc[0])) if loc else None
        return (doc or first).locate(loc)

    try:
        project = build_project(merged, locate, origin)
    except InputError as exc:
        raise InputError([*duplicates, *exc.problems]) from None
    if duplicates:
        raise InputError(duplicates)
    return project


def build_project(data: Any, locate: Callable[[PathKey], Location], origin: str) -> ProjectRecords:
    """Validate the sections of one project; ``locate`` maps a path to its source position."""
    if not isinstance(data, dict):
        raise InputError(
            [InputProblem(locate(()), "", "expected a mapping of sections: " + ", ".join(SECTIONS))]
        )
    try:
        case = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, CaseFile, locate)) from None
    info = case.project
    info.located(locate(("project",)))
    records: list[Record] = [info]
    where: dict[int, tuple[str, int]] = {}
    for section in SECTIONS[1:]:
        value = getattr(case, section)
        if isinstance(value, Record):
            value.located(locate((section,)))
            where[id(value)] = (section, 0)
            records.append(value)
            continue
        for index, record in enumerate(value or []):
            record.located(locate((section, index)))
            where[id(record)] = (section, index)
            records.append(record)
    _link(case)
    problems = _unique_keys(records[1:], where)
    for record, field_name, message in _references(case):
        section, index = where[id(record)]
        problems.append(
            InputProblem(
                locate((section, index, field_name)), f"{section}[{index}].{field_name}", message
            )
        )
    if problems:
        raise InputError(problems)
    complete = frozenset(
        _KIND_OF[section]
        for section, level in case.coverage.items()
        if level is CoverageLevel.COMPLETE
    )
    waivers = [w.located(locate(("waivers", i))) for i, w in enumerate(case.waivers)]
    return ProjectRecords(origin, info, records, complete, waivers)


def _is_case(folder: Path) -> bool:
    return any((folder / name).is_file() for name in ("project.yaml", "project.yml"))


def _projects_under(path: Path, seen: set[Path] | None = None) -> list[Path]:
    seen = set() if seen is None else seen
    real = path.resolve()
    if real in seen:  # a symbolic link back up the tree: each folder is read once
        return []
    seen.add(real)
    if _is_case(path):
        return [path]
    found: list[Path] = []
    try:
        children = sorted(path.iterdir())
    except OSError as exc:
        raise InputError.single(
            display_path(path), f"cannot read folder: {exc.strerror or exc}"
        ) from None
    for child in children:
        if child.is_dir():
            found.extend(_projects_under(child, seen))
        elif (
            child.is_file() and child.suffix in RECORD_SUFFIXES and child.name not in NOT_RECORDS
        ) or (child.is_file() and is_form_file(child)):
            found.append(child)
    return found


def is_form_file(path: Path) -> bool:
    """A spreadsheet or Word file that may hold self-evaluation forms (not an Office lock file)."""
    return path.suffix.lower() in FORM_SUFFIXES and not path.name.startswith(("~$", ".~lock"))


def discover(path: Path) -> list[Path]:
    """Projects under ``path``: a file, a case folder, or a folder of cases and form files.

    A file that is one part of a case folder is refused: checked alone it would
    lack its sibling sections and report them missing.
    """
    shown = display_path(path)
    if not path.exists():
        raise InputError.single(shown, "no such file or folder")
    if not path.is_file() and not path.is_dir():
        raise InputError.single(
            shown,
            "not a record file or folder (a device, FIFO or socket); give a .yaml file or a case folder",
        )
    if path.is_file() and is_form_file(path):
        return [path]
    if path.is_file():
        parts = [
            p
            for p in path.parent.iterdir()
            if p.is_file() and p.suffix in RECORD_SUFFIXES and p.name not in NOT_RECORDS
        ]
        if _is_case(path.parent) and len(parts) > 1:
            raise InputError.single(
                shown,
                "is one file of the case folder "
                f"{display_path(path.parent)}; check the folder instead",
            )
        return [path]
    found = _projects_under(path)
    if not found:
        raise InputError.single(
            shown, "no record files (.yaml, .yml, .json) or forms (.xlsx, .xls, .ods, .docx) found"
        )
    return found
