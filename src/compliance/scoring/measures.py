"""The rates a ``rate`` item scores, computed exactly from the records.

Why each rate says how it was computed: a score line must show the numbers it
used, so every measure returns its ratio together with the sentence that
derives it; a rate the records cannot support is ``None`` with the reason, and
is then scored 0 and listed as a data gap rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from compliance.records import formulas
from compliance.records.forms import FundsRow, FundsRowKind
from compliance.records.indicators import Indicator
from compliance.records.loading import ProjectRecords
from compliance.records.project import SubProject
from compliance.records.registers import Acceptance, Survey
from compliance.records.vocabulary import Level1, Status
from compliance.scoring.arith import HUNDRED, money, pct
from compliance.scoring.indicators import measured_percent


@dataclass(frozen=True)
class Rate:
    """A ratio (1 = 100 %) and how it was obtained; ``value`` is None when it cannot be."""

    value: Decimal | None
    how: str


def _subs(project: ProjectRecords) -> list[SubProject]:
    return [r for r in project.records if isinstance(r, SubProject)]


def _count(part: int, whole: int, what: str, of: str) -> Rate:
    if whole == 0:
        return Rate(None, f"无{of}记录，无法计算{what}")
    value = Decimal(part) / Decimal(whole)
    return Rate(value, f"{what} = {part} ÷ {whole} = {pct(value)}")


def _money_ratio(
    what: str, part: tuple[str, Decimal | None], whole: tuple[str, Decimal | None]
) -> Rate:
    """``what = part ÷ whole`` for two named amounts; None with the reason when it cannot be.

    An amount the records do not state is unknown: the rate is then a data gap, never 0.
    """
    (part_name, part_value), (whole_name, whole_value) = part, whole
    if part_value is None or whole_value is None:
        missing = part_name if part_value is None else whole_name
        return Rate(None, f"记录未载明{missing}，无法计算{what}")
    rate = formulas.rate_percent(part_value, whole_value)
    if rate is None:
        return Rate(None, f"{whole_name}为0，无法计算{what}")
    value = rate / HUNDRED  # the rate as printed, so the score line recomputes from it
    return Rate(
        value,
        f"{what} = {part_name}{money(part_value)} ÷ {whole_name}{money(whole_value)} = {pct(value)}",
    )


def execution_rate(project: ProjectRecords) -> Rate:
    """Spent over what execution is measured against (:func:`formulas.execution_base`)."""
    info = project.info
    base = "到位资金" if info.funds_arrived is not None else "预算数"
    rate = _money_ratio("预算执行率", ("支出数", info.spent), (base, info.execution_base))
    if info.funds_arrived is None and rate.value is not None:
        return Rate(rate.value, f"未记录到位资金数，按预算数计算：{rate.how}")
    return rate


def budget_execution_rate(project: ProjectRecords) -> Rate:
    """Spent over the (adjusted) budget, as the self-evaluation form computes it.

    Where the project's own amounts are not stated, the form's 年度资金总额 row is used
    (from its parts when the total is printed as zeros).
    """
    info = project.info
    if info.spent is not None and info.budget is not None:
        return _money_ratio("预算执行率", ("支出数", info.spent), ("预算数", info.budget))
    for row in project.records:
        if isinstance(row, FundsRow) and row.row is FundsRowKind.TOTAL:
            where = "自评表资金总额各分项之和" if row.total_unusable else "自评表资金总额"
            rate = _money_ratio(
                "预算执行率",
                ("全年执行数", row.effective_spent),
                ("全年预算数", row.effective_budget),
            )
            return Rate(rate.value, f"按{where}：{rate.how}")
    return _money_ratio("预算执行率", ("支出数", info.spent), ("预算数", info.budget))


def arrival_rate(project: ProjectRecords) -> Rate:
    """Funds arrived over budget."""
    info = project.info
    if info.funds_arrived is None:
        return Rate(None, "记录未给出到位资金数，无法计算资金到位率")
    return _money_ratio("资金到位率", ("到位资金", info.funds_arrived), ("预算数", info.budget))


def completion_rate(project: ProjectRecords) -> Rate:
    """Sub-projects completed over sub-projects planned."""
    subs = _subs(project)
    done = [s for s in subs if s.status is Status.COMPLETED]
    rate = _count(len(done), len(subs), "子项目完成率（已完成 ÷ 计划）", "子项目")
    not_started = [str(s.number) for s in subs if s.status is Status.NOT_STARTED]
    if not_started and rate.value is not None:
        return Rate(rate.value, f"{rate.how}；未开展：第{'、'.join(not_started)}项")
    return rate


def timely_completion_rate(project: ProjectRecords) -> Rate:
    """Of the sub-projects started, the share completed by the end of the evaluated year."""
    started = [s for s in _subs(project) if s.status is not Status.NOT_STARTED]
    done = [s for s in started if s.status is Status.COMPLETED]
    return _count(
        len(done),
        len(started),
        f"年内完成率（{project.info.year or '评价年度'}年末已完成 ÷ 已开展）",
        "已开展子项目",
    )


def acceptance_rate(project: ProjectRecords) -> Rate:
    """Completed sub-projects whose acceptance form says 合格, over completed sub-projects."""
    done = {s.number for s in _subs(project) if s.status is Status.COMPLETED}
    passed = {
        r.sub_project
        for r in project.records
        if isinstance(r, Acceptance) and r.passed and r.sub_project in done
    }
    return _count(len(passed), len(done), "验收合格率（验收合格 ÷ 已完成子项目）", "已完成子项目")


def within_budget_rate(project: ProjectRecords) -> Rate:
    """Sub-projects whose spending stayed within their budget, over all sub-projects."""
    subs = [(s, s.spent, s.budget) for s in _subs(project)]
    known = [
        (s, spent, budget) for s, spent, budget in subs if spent is not None and budget is not None
    ]
    within = [s for s, spent, budget in known if spent <= budget]
    rate = _count(
        len(within), len(known), "成本控制率（支出未超预算 ÷ 预算和支出已知的子项目）", "子项目"
    )
    over = [
        f"第{s.number}项超支{money(spent - budget)}" for s, spent, budget in known if spent > budget
    ]
    if over and rate.value is not None:
        return Rate(rate.value, f"{rate.how}；{'，'.join(over)}")
    return rate


def satisfaction(project: ProjectRecords) -> Rate:
    """A measured satisfaction: surveys with a figure, else the satisfaction indicator's actual."""
    figures = [r for r in project.records if isinstance(r, Survey) and r.satisfaction is not None]
    if figures:
        values = [f.satisfaction for f in figures if f.satisfaction is not None]
        value = sum(values, Decimal(0)) / len(values) / HUNDRED
        shown = "、".join(
            f"{f.code}（{f.conducted_by.label if f.conducted_by else '调查主体未载明'}）{f.satisfaction}%"
            for f in figures
        )
        return Rate(value, f"满意度调查：{shown}；满意度 = {pct(value)}")
    for ind in project.records:
        if isinstance(ind, Indicator) and ind.level1 is Level1.SATISFACTION:
            measured = measured_percent(ind)
            if measured is not None:
                value = measured / HUNDRED
                return Rate(value, f"满意度指标“{ind.name}”实际完成值{ind.actual}（无调查记录）")
    surveys = [r for r in project.records if isinstance(r, Survey)]
    if surveys:
        return Rate(None, f"有{len(surveys)}次满意度调查记录，但均未给出满意度数值")
    return Rate(None, "无满意度调查记录，也无满意度指标实际完成值")


MEASURES: dict[str, Callable[[ProjectRecords], Rate]] = {
    "execution_rate": execution_rate,
    "budget_execution_rate": budget_execution_rate,
    "arrival_rate": arrival_rate,
    "completion_rate": completion_rate,
    "timely_completion_rate": timely_completion_rate,
    "acceptance_rate": acceptance_rate,
    "within_budget_rate": within_budget_rate,
    "satisfaction": satisfaction,
}
