"""Write a form as read into a YAML case folder, each value commented with its cell.

Why: when a form is misread (a label the models do not know, a shifted table), the
evaluator corrects the YAML and checks that instead, seeing beside each value the cell it
came from. Values are written as quoted strings, exactly as the reader handed them to the
models, so checking the YAML gives the findings of checking the workbook.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel

from compliance.core.errors import Location
from compliance.intake.records import FormSections
from compliance.records.forms import FundsRow, SelfEvaluation
from compliance.records.indicators import Indicator
from compliance.records.project import ProjectInfo

_FIRST = {"form_funds": "row", "indicators": "code"}
_UNSAFE = re.compile(r"[^\w\u4e00-\u9fff.-]+")


def _scalar(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _comment(where: Location | None) -> str:
    return f"  # {where.in_workbook or where}" if where else ""


_MODELS: dict[str, type[BaseModel]] = {
    "project": ProjectInfo,
    "form": SelfEvaluation,
    "form_funds": FundsRow,
    "indicators": Indicator,
}


def _key(sections: FormSections, path: tuple[str | int, ...]) -> str:
    """The printed label as the YAML key where the model takes it, else the field's name.

    So the YAML reads like the form (``调整后预算数``) and loads to the same records.
    """
    name = str(path[-1])
    label = sections.labels.get(path)
    model = _MODELS.get(str(path[0]))
    info = model.model_fields.get(name) if model else None
    alias = info.validation_alias if info else None
    if label and isinstance(alias, AliasChoices) and label in alias.choices:
        return label
    return name


def case_yaml(sections: FormSections, origin: str) -> str:
    """The YAML text of one form's case folder (``project.yaml``)."""
    lines = [
        f"# 由 compliance import 从 {origin} 读出的项目支出绩效自评表。",
        "# 每个值后的注释是它所在的单元格。读错的值可在此改正，然后检查本文件夹：",
        "#   compliance check <本文件夹>",
    ]
    for section, value in sections.data.items():
        if isinstance(value, dict):
            lines.append(f"{section}:{_comment(sections.cells.get((section,)))}")
            for name, text in value.items():
                where = sections.cells.get((section, name))
                key = _key(sections, (section, name))
                lines.append(f"  {key}: {_scalar(text)}{_comment(where)}")
            continue
        lines.append(f"{section}:")
        for index, row in enumerate(value):
            first = _FIRST.get(section)
            names = sorted(row, key=lambda n: n != first)
            for position, name in enumerate(names):
                where = sections.cells.get((section, index, name))
                lead = "  - " if position == 0 else "    "
                key = _key(sections, (section, index, name))
                lines.append(f"{lead}{key}: {_scalar(row[name])}{_comment(where)}")
    return "\n".join(lines) + "\n"


def folder_name(origin: Location, many: bool) -> str:
    """``central`` for a file's only form, ``three-forms-第二张-A21`` for one of several."""
    stem = Path(origin.file).stem
    name = f"{stem}-{origin.sheet}-{origin.cell}" if many and origin.sheet else stem
    return _UNSAFE.sub("_", name).strip("_") or "form"


def write_case(folder: Path, text: str) -> Path:
    """Write ``project.yaml`` into ``folder``, replacing any earlier one atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "project.yaml"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".project.", suffix=".yaml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)
    os.replace(temporary, target)
    return target
