"""Turn a form as read into the sections a YAML case holds, and load them the same way.

Why the same way: a form read from a workbook and the YAML ``compliance import`` writes from
it must give the same records, so both pass through :func:`records.loading.build_project`,
and only where a value came from (a cell, a line) differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from compliance.core.errors import InputError, InputProblem, Location, display_path, dotted
from compliance.core.yamlfile import PathKey
from compliance.intake.form import Cell, FormRead, find_forms
from compliance.intake.grid import EXCEL_ERRORS, Grid
from compliance.intake.labels import is_total_row
from compliance.intake.spreadsheet import read_spreadsheet
from compliance.intake.worddoc import read_word
from compliance.records.forms import FormLayout
from compliance.records.loading import (
    OLD_FORMATS,
    SPREADSHEET_SUFFIXES,
    WORD_SUFFIXES,
    CoverageLevel,
    ProjectRecords,
    build_project,
)
from compliance.records.project import ProjectInfo
from compliance.records.vocabulary import EvaluationKind


@dataclass
class FormSections:
    """A form's sections as plain values, and the cell of each value by path."""

    origin: Location
    data: dict[str, Any] = field(default_factory=dict)
    cells: dict[PathKey, Location] = field(default_factory=dict)
    labels: dict[PathKey, str] = field(default_factory=dict)
    """The printed label that named each value (``调整后预算数``), where one did."""
    problems: list[InputProblem] = field(default_factory=list)

    def put(self, path: PathKey, cell: Cell) -> None:
        """Set the value at ``path`` (section, [index,] field) and remember its cell."""
        target: Any = self.data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = cell.text
        self.cells[path] = cell.where
        if cell.label:
            self.labels[path] = cell.label

    def locate(self, path: PathKey) -> Location:
        """The cell of ``path``, or of its nearest located parent, or the form's start."""
        key = tuple(path)
        while key:
            if key in self.cells:
                return self.cells[key]
            key = key[:-1]
        return self.origin


def sections_of(form: FormRead) -> FormSections:
    """The project, form, funds rows and indicators of one form, as the YAML would hold them."""
    out = FormSections(form.origin, problems=list(form.problems))
    anchor = form.title or Cell("", form.origin)
    out.data["project"] = {}
    out.cells[("project",)] = form.header["project"].get("name", anchor).where
    out.put(("project", "evaluation_kind"), Cell(EvaluationKind.SELF.label, anchor.where))
    if form.year is not None:
        out.put(("project", "year"), form.year)
    total = next((r for r in form.funds if is_total_row(r.values["row"].text)), None)
    for name in ("budget", "spent"):
        # The form states the project's money only in its funds table; the project record
        # repeats it only where the model cannot do without it (else it stays unknown there).
        if total is not None and name in total.values and _required(ProjectInfo, name):
            out.put(("project", name), total.values[name])
    for name, cell in form.header["project"].items():
        out.put(("project", name), cell)
    goal = form.header["form"].get("goal_expected")
    if goal is not None and "goal" not in out.data["project"]:
        out.put(("project", "goal"), goal)  # the form's 年度总体目标 is the project's goal
    out.data["form"] = {}
    # Findings about the form as a whole (its total, its grade) point at its claimed total.
    claimed = form.total_score or form.header["form"].get("claimed_score") or anchor
    out.cells[("form",)] = claimed.where
    if form.provincial:
        out.put(("form", "layout"), Cell(FormLayout.PROVINCIAL.label, anchor.where))
    if form.total_score is not None:
        out.put(("form", "claimed_score"), form.total_score)
    for name, cell in form.header["form"].items():
        out.put(("form", name), cell)
    tables = (("form_funds", form.funds), ("indicators", form.indicators))
    printed = [(section, rows) for section, rows in tables if rows]
    if printed:
        # A form's tables list every funds row and indicator the project has: complete.
        out.data["coverage"] = {}
        out.cells[("coverage",)] = anchor.where
        for section, rows in printed:
            out.put(("coverage", section), Cell(CoverageLevel.COMPLETE.value, rows[0].where))
    for section, rows in printed:
        out.data[section] = []
        for index, row in enumerate(rows):
            out.data[section].append({})
            out.cells[(section, index)] = row.where
            if section == "indicators":
                out.put((section, index, "code"), Cell(f"I{index + 1}", row.where))
            for name, cell in row.values.items():
                out.put((section, index, name), cell)
    for path, where in out.cells.items():
        value = _value_at(out.data, path)
        if isinstance(value, str) and value in EXCEL_ERRORS:
            message = (
                f"formula error {value}: the cell shows no value; "
                "correct the formula or type the value"
            )
            out.problems.append(InputProblem(where, dotted(path), message))
    return out


def _required(model: type[BaseModel], name: str) -> bool:
    info = model.model_fields.get(name)
    return info is not None and info.is_required()


def _value_at(data: dict[str, Any], path: PathKey) -> Any:
    target: Any = data
    for part in path:
        target = target[part]
    return target


@dataclass
class FormSource:
    """One form found in a file: its sections, and its records or why they did not load."""

    origin: str
    sections: FormSections | None
    project: ProjectRecords | None = None
    problems: list[InputProblem] = field(default_factory=list)


def read_grids(path: Path, shown: str) -> list[Grid]:
    """The sheets or Word tables of a form file."""
    suffix = path.suffix.lower()
    if suffix in OLD_FORMATS:
        raise InputError.single(shown, f"cannot read {OLD_FORMATS[suffix]}")
    if suffix in SPREADSHEET_SUFFIXES | WORD_SUFFIXES and path.stat().st_size == 0:
        raise InputError.single(shown, "is empty (0 bytes): no workbook or Word document in it")
    if suffix in SPREADSHEET_SUFFIXES:
        return read_spreadsheet(path, shown)
    if suffix in WORD_SUFFIXES:
        return read_word(path, shown)
    raise InputError.single(shown, f"not a form file: {suffix}")


def read_forms(path: Path) -> list[FormSource]:
    """Every form in a file, each loaded on its own.

    A file that cannot be read gives one source carrying the located problem; a bug in the
    reader raises (the checker reports it as an internal error of this file only).
    """
    shown = display_path(path)
    try:
        return _read_forms(path, shown)
    except InputError as exc:
        return [FormSource(shown, None, problems=exc.problems)]


def _read_forms(path: Path, shown: str) -> list[FormSource]:
    grids = read_grids(path, shown)
    forms = [form for grid in grids for form in find_forms(grid)]
    if not forms:
        message = (
            "no self-evaluation form found: no funds or indicator table (column labels such "
            f"as 全年预算数, 三级指标) in its {len(grids)} sheet(s)/table(s)"
        )
        return [FormSource(shown, None, problems=[InputProblem(Location(shown), "", message)])]
    sources = []
    for form in forms:
        sections = sections_of(form)
        origin = str(form.origin)
        source = FormSource(origin, sections, problems=list(sections.problems))
        if not source.problems:
            try:
                source.project = _build(sections, origin)
            except InputError as exc:
                source.problems = exc.problems
        sources.append(source)
    return sources


def _build(sections: FormSections, origin: str) -> ProjectRecords:
    """Load the sections as the YAML loader would: a written blank (``""``) is what the form says."""
    return build_project(sections.data, sections.locate, origin)
