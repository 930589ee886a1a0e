"""Find the self-evaluation forms in a grid and read them as label → value with their cells.

Why by labels: forms arrive with rows shifted, blank rows added, cells merged, group
headings inserted and several forms on one sheet; fixed addresses would misread them all.
A form starts at its title (a cell saying 自评表) or, without one, at its 项目名称 cell and
runs to the next form. Inside it, the funds table and the indicator table are found by
their header rows, and every other label reads the value beside it (or under it).

Unknown is not absent: a column or label the form does not print is left out (unknown); a
cell inside a table the form prints but left empty is read as ``""`` (written blank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from compliance.core.errors import InputProblem, Location
from compliance.intake.grid import Grid
from compliance.intake.labels import (
    BLOCK_LABELS,
    TITLE_MARK,
    TOTAL_ROW,
    funds_columns,
    funds_row_kind,
    header_labels,
    heading_value,
    indicator_columns,
    indicator_name,
    is_label,
    normalize,
)

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CARRIED = ("level1", "level2")


@dataclass(frozen=True)
class Cell:
    """A value as printed, the cell it was printed in, and the label that named it."""

    text: str
    where: Location
    label: str = ""


@dataclass
class Row:
    """One row of a table: where it stands and its values by field."""

    where: Location
    values: dict[str, Cell]


@dataclass
class FormRead:
    """What one form says, by section and field, each value with its cell."""

    origin: Location
    title: Cell | None = None
    year: Cell | None = None
    header: dict[str, dict[str, Cell]] = field(default_factory=lambda: {"project": {}, "form": {}})
    funds: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    total_score: Cell | None = None
    provincial: bool = False
    problems: list[InputProblem] = field(default_factory=list)


def _is_title(text: str) -> bool:
    return TITLE_MARK in text and len(text) <= 60


def _is_title_row(row: list[str]) -> bool:
    """A title stands alone on its row (or beside a unit/date note), not inside a table."""
    filled = [t for t in row if t]
    return len(filled) <= 2 and any(_is_title(t) for t in filled)


def _anchors(grid: Grid) -> list[int]:
    titles = [r for r, row in enumerate(grid.rows) if _is_title_row(row)]
    if titles:
        return titles
    return [r for r, row in enumerate(grid.rows) if any(normalize(t) == "项目名称" for t in row)]


def _columns(grid: Grid, row: int, labels: dict[str, str]) -> dict[int, str]:
    found: dict[int, str] = {}
    for col, text in enumerate(grid.rows[row]):
        name = labels.get(normalize(text)) if text else None
        if name and name not in found.values():
            found[col] = name
    return found


def _is_funds_header(grid: Grid, row: int) -> bool:
    own = set(funds_columns()) - set(indicator_columns())
    return sum(1 for t in grid.rows[row] if normalize(t) in own) >= 2


def _is_indicator_header(grid: Grid, row: int) -> bool:
    names = set(_columns(grid, row, indicator_columns()).values())
    return "name" in names and ("target" in names or "level1" in names)


def _first_text(grid: Grid, row: int, before: int | None = None) -> tuple[int, str]:
    for col, text in enumerate(grid.rows[row][:before]):
        if text:
            return col, text
    return -1, ""


def _ends_table(text: str) -> bool:
    label = normalize(text)
    return label in header_labels() or label in BLOCK_LABELS[:2]


class _Reader:
    def __init__(self, grid: Grid, start: int, end: int) -> None:
        self.grid = grid
        self.start = start
        self.end = end
        self.used: set[int] = set()
        self.form = FormRead(origin=grid.locate(start, 0))

    def cell(self, row: int, col: int, header: int | None = None) -> Cell:
        """The cell's value; ``header`` is the row whose label names its column."""
        label = normalize(self.grid.text(header, col)) if header is not None else ""
        return Cell(self.grid.text(row, col), self.grid.locate(row, col), label)

    def read(self) -> FormRead:
        self._title()
        funds_at = next(
            (r for r in range(self.start, self.end) if _is_funds_header(self.grid, r)), None
        )
        indicators_at = next(
            (r for r in range(self.start, self.end) if _is_indicator_header(self.grid, r)), None
        )
        if funds_at is not None:
            self._funds(funds_at, indicators_at)
        if indicators_at is not None:
            self._indicators(indicators_at)
        self._header()
        self._year()
        return self.form

    def _title(self) -> None:
        for text, where in self.grid.preamble:
            if _is_title(text):
                self.form.title = Cell(text, where)
                self.form.origin = where
        if not _is_title_row(self.grid.rows[self.start]):
            return
        for col, text in enumerate(self.grid.rows[self.start]):
            if _is_title(text):
                self.form.title = self.cell(self.start, col)
                self.form.origin = self.form.title.where
                self.used.add(self.start)
                return

    def _year(self) -> None:
        places = [(t, w) for t, w in self.grid.preamble]
        # without a title the form starts at 项目名称: its （2023年度） line may stand just above
        first = self.start if self.form.title else max(0, self.start - 2)
        for row in range(first, min(self.start + 3, self.end)):
            places.extend(
                (text, self.grid.locate(row, col))
                for col, text in enumerate(self.grid.rows[row])
                if text
            )
        for text, where in places:
            if not (TITLE_MARK in text or "年度" in text) or len(text) > 60:
                continue
            match = _YEAR.search(text)
            if match:
                self.form.year = Cell(match.group(1), where)
                return

    def _funds(self, header: int, indicators_at: int | None) -> None:
        columns = _columns(self.grid, header, funds_columns())
        first_data = min(columns)
        self.used.add(header)
        stop = indicators_at if indicators_at is not None and indicators_at > header else self.end
        if "reason" in columns.values():
            self.form.provincial = True
        for row in range(header + 1, stop):
            col, label = -1, ""
            for c in range(first_data - 1, -1, -1):
                text = self.grid.text(row, c)
                if text and normalize(text) not in BLOCK_LABELS:
                    col, label = c, text
                    break
            if label and _ends_table(label):
                break
            self.used.add(row)
            values = {name: self.cell(row, c, header) for c, name in columns.items()}
            if not any(v.text for v in values.values()) and not label:
                continue  # an empty line; a labelled row left blank is what the form says
            where = self.grid.locate(row, col if col >= 0 else first_data)
            kind = funds_row_kind(label) if label else None
            values["row"] = Cell(kind or label, where)
            self.form.funds.append(Row(where, values))

    def _indicators(self, header: int) -> None:
        columns = _columns(self.grid, header, indicator_columns())
        if {"nature", "unit"} & set(columns.values()):
            self.form.provincial = True
        self.used.add(header)
        carried: dict[str, Cell] = {}
        for row in range(header + 1, self.end):
            col, first = _first_text(self.grid, row)
            if normalize(first) in TOTAL_ROW:
                self.used.add(row)
                score_col = next((c for c, n in columns.items() if n == "score"), None)
                if score_col is not None and self.grid.text(row, score_col):
                    self.form.total_score = self.cell(row, score_col)
                break
            if first and _ends_table(first):
                break
            self.used.add(row)
            values = {name: self.cell(row, c, header) for c, name in columns.items()}
            for name in _CARRIED:
                cell = values.get(name)
                if cell is None:
                    continue
                if cell.text:
                    cell = replace(cell, text=heading_value(cell.text))
                    if name == "level1":
                        carried.pop("level2", None)
                    carried[name] = cell
                elif name in carried:
                    values[name] = carried[name]  # merged or left for the row above
            name_cell = values.get("name")
            if name_cell is not None:
                values["name"] = replace(name_cell, text=indicator_name(name_cell.text))
            measured = ("name", "target", "actual")
            if not any(values[n].text for n in measured if n in values):
                continue  # a group heading or an empty row
            where = values["name"].where if "name" in values else self.grid.locate(row, col)
            self.form.indicators.append(Row(where, values))

    def _header(self) -> None:
        labels = header_labels()
        for row in range(self.start, self.end):
            if row in self.used:
                continue
            texts = self.grid.rows[row]
            for col, text in enumerate(texts):
                target = labels.get(normalize(text)) if text else None
                if target is None:
                    continue
                section, name = target
                if name in self.form.header[section]:
                    continue
                value = self._value_of(row, col)
                self.form.header[section][name] = replace(value, label=normalize(text))

    def _value_of(self, row: int, col: int) -> Cell:
        """The value beside a label, else under it; blank (``""``) when the form left it empty.

        In a block whose row starts with its block label (``年度总体目标 | 预期目标 | … |
        实际完成情况``) the sub-labels head columns: their values stand under them.
        """
        width = self.grid.width(row)
        _, first = _first_text(self.grid, row)
        heads_columns = normalize(first) in BLOCK_LABELS
        for c in range(col + 1, 0 if heads_columns else width):
            text = self.grid.text(row, c)
            if text:
                if is_label(text):
                    break
                return self.cell(row, c)
        below = self.grid.text(row + 1, col)
        if row + 1 < self.end and below and not is_label(below):
            return self.cell(row + 1, col)
        if col + 1 < width:
            return Cell("", self.grid.locate(row, col + 1))
        return Cell("", self.grid.locate(row + 1, col))


def find_forms(grid: Grid) -> list[FormRead]:
    """Every form on the grid, top to bottom; a grid without one gives an empty list."""
    anchors = _anchors(grid)
    if not anchors and any(_is_title(t) for t, _ in grid.preamble):
        anchors = [0]
    forms = []
    for index, start in enumerate(anchors):
        end = anchors[index + 1] if index + 1 < len(anchors) else grid.height
        form = _Reader(grid, start, end).read()
        if form.funds or form.indicators:  # a list with a 项目名称 column is not a form
            forms.append(form)
    return forms
