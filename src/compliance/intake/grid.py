"""A table of cells as read from a sheet or a Word table, with each cell's address.

Why: the form finder should not care whether a value came from ``自评表!H15`` or from row 3,
column 4 of the second Word table; a grid gives both the same shape and the same locations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from compliance.core.errors import Location

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
"""What a formula cell shows when it failed; such a cell holds no value to check."""

_NUMBER_TEXT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_FLOAT_PLACES = Decimal("1e-10")


def column_letters(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``: the column part of a cell address."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def number_text(value: float | int | Decimal) -> str:
    """A stored number as a person reads it: ``1186.0`` → ``1186``, float noise dropped."""
    if isinstance(value, bool):
        return str(value)
    exact = Decimal(value) if isinstance(value, int | Decimal) else Decimal(repr(value))
    if exact.as_tuple().exponent < -10:  # type: ignore[operator]
        exact = exact.quantize(_FLOAT_PLACES)
    text = format(exact.normalize(), "f")
    return "0" if text in ("-0", "") else text


def cell_text(value: Any) -> str:
    """Any cell value as text: numbers without float noise, dates as ``2023-05-01``."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.replace("\u3000", " ").strip()
        return text.replace(",", "") if _NUMBER_TEXT.match(text) else text
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return number_text(value)
    return str(value).strip()


def is_number(text: str) -> bool:
    """Whether ``text`` is a plain number (after :func:`cell_text`)."""
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return bool(text)


@dataclass
class Grid:
    """The cells of one sheet (or Word table) as text, addressed the way its program shows them.

    ``rows[r][c]`` is the text of the cell; ``word`` grids address cells as ``R3C4`` of
    ``表2``, spreadsheets as ``H15`` of their sheet. ``preamble`` holds text printed above
    a Word table (the form's title), with where it stands.
    """

    file: str
    sheet: str
    rows: list[list[str]]
    word: bool = False
    preamble: list[tuple[str, Location]] = field(default_factory=list)

    @property
    def height(self) -> int:
        return len(self.rows)

    def text(self, row: int, col: int) -> str:
        """The cell's text, or ``""`` outside the grid."""
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def width(self, row: int) -> int:
        return len(self.rows[row]) if 0 <= row < len(self.rows) else 0

    def address(self, row: int, col: int) -> str:
        """``H15`` (spreadsheet) or ``R15C8`` (Word) for 0-based ``row``, ``col``."""
        if self.word:
            return f"R{row + 1}C{col + 1}"
        return f"{column_letters(col)}{row + 1}"

    def locate(self, row: int, col: int) -> Location:
        """The cell as a location: ``file:sheet!H15`` with its row and column numbers."""
        return Location(self.file, row + 1, col + 1, self.sheet, self.address(row, col))

    def sheet_location(self) -> Location:
        """The sheet (or Word table) as a whole."""
        return Location(self.file, 0, 0, self.sheet, "")
