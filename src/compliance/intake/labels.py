"""Which printed labels name which field: asked of the record models, never listed here.

Why: the models' titles and aliases already say that 全年预算数 and 调整后预算数 are both
``budget``; a second list here would drift from them. A label is matched after dropping
spaces, a trailing colon and a bracketed unit (``年初预算数（万元）`` → ``年初预算数``).
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import AliasChoices, BaseModel

from compliance.records.forms import FundsRow, FundsRowKind, SelfEvaluation
from compliance.records.indicators import Indicator
from compliance.records.project import ProjectInfo

_BRACKETED = re.compile(r"[（(][^（()）]*[)）]$")
_SPACE = re.compile(r"\s+")
_TEMPLATE_PREFIX = re.compile(r"^指标\s*\d+\s*[:：]\s*")
_SCORE_HEADING = re.compile(r"\s*[（(]\s*\d+(\.\d+)?\s*分\s*[)）]\s*$")

TITLE_MARK = "自评表"
"""Every form's title says it is a 绩效自评表 (central, provincial, county)."""
TOTAL_ROW = ("总分", "合计", "总计")
"""The last row of the indicator table: its 得分 is the form's own total score."""
BLOCK_LABELS = ("年度总体目标", "年度目标", "项目资金", "绩效指标")
"""Labels of blocks that hold no value of their own (the value sits under a sub-label)."""


def normalize(text: str) -> str:
    """A printed label as compared: no spaces, no trailing colon, no bracketed unit."""
    text = _SPACE.sub("", text).rstrip(":：")
    while True:
        stripped = _BRACKETED.sub("", text)
        if stripped == text or not stripped:
            return text
        text = stripped


def heading_value(text: str) -> str:
    """``产出指标（50分）`` as printed in a group heading → ``产出指标``."""
    return _SCORE_HEADING.sub("", text).strip()


def indicator_name(text: str) -> str:
    """The central template prints ``指标1：`` before each name; the name is what follows."""
    return _TEMPLATE_PREFIX.sub("", text).strip()


def _labels(model: type[BaseModel], skip: frozenset[str] = frozenset()) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        words: list[str] = [info.title or ""]
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            words.extend(c for c in alias.choices if isinstance(c, str))
        elif isinstance(alias, str):
            words.append(alias)
        for word in words:
            label = normalize(word)
            if label and not label.isascii():
                found.setdefault(label, name)
    return found


@cache
def header_labels() -> dict[str, tuple[str, str]]:
    """Label → (section, field) for values written beside or under their label."""
    found: dict[str, tuple[str, str]] = {}
    for section, model in (("project", ProjectInfo), ("form", SelfEvaluation)):
        for label, name in _labels(model, frozenset({"source", "layout"})).items():
            if label not in TOTAL_ROW:
                found.setdefault(label, (section, name))
    return found


@cache
def funds_columns() -> dict[str, str]:
    """Column label → field of a funds row (the row's own label column excluded)."""
    return _labels(FundsRow, frozenset({"row", "source"}))


@cache
def indicator_columns() -> dict[str, str]:
    """Column label → field of an indicator row."""
    return _labels(Indicator, frozenset({"code", "source", "work_kind"}))


def funds_row_kind(text: str) -> str | None:
    """The funds row a printed row label names, if the vocabulary knows it.

    The label as printed when the vocabulary takes it so, else the vocabulary's own label.
    """
    if isinstance(FundsRowKind.lookup(text), FundsRowKind):
        return text
    for candidate in (normalize(text), normalize(text).removeprefix("其中")):
        member = FundsRowKind.lookup(candidate.lstrip(":："))
        if isinstance(member, FundsRowKind):
            return member.label
    return None


def is_total_row(text: str) -> bool:
    """Whether a funds row label names the total (年度资金总额, 总额, 合计 …)."""
    kind = funds_row_kind(text)
    return kind is not None and FundsRowKind.lookup(kind) is FundsRowKind.TOTAL


def is_label(text: str) -> bool:
    """Whether a cell holds a printed label rather than a value."""
    label = normalize(text)
    return (
        label in header_labels()
        or label in funds_columns()
        or label in indicator_columns()
        or label in BLOCK_LABELS
        or label in TOTAL_ROW
    )
