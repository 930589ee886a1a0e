"""What every report format shows: a checked project, its scorecard, and its key facts.

Why one model: HTML, Word, Markdown and SARIF must agree on the score, the
findings and their numbers, so the check and the scoring run once and the
renderers only lay the same data out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from compliance.checking.checker import CheckRun, ProjectResult
from compliance.core.numbers import percent_text
from compliance.output.common import UNSTATED, label_or_unstated, money_or_unstated
from compliance.records.formulas import MIN_EXECUTION_PCT
from compliance.records.indicators import Indicator
from compliance.records.project import ProjectInfo, SubProject
from compliance.records.vocabulary import EvaluationKind, Status
from compliance.rules.pack import RulePack
from compliance.rules.spec import Condition
from compliance.scoring import LoadedProfile, Scorecard, load_profile, score_project, shipped
from compliance.scoring.arith import pct


@dataclass
class ProjectReport:
    """One project of the report; ``card`` is None when its records could not be loaded."""

    result: ProjectResult
    card: Scorecard | None = None

    @property
    def info(self) -> ProjectInfo | None:
        """The project's header record."""
        return self.result.project.info if self.result.project else None

    @property
    def subs(self) -> list[SubProject]:
        """Sub-projects in table order."""
        records = self.result.project.records if self.result.project else []
        return [r for r in records if isinstance(r, SubProject)]

    @property
    def indicators(self) -> list[Indicator]:
        """Indicators in table order."""
        records = self.result.project.records if self.result.project else []
        return [r for r in records if isinstance(r, Indicator)]

    def facts(self) -> list[tuple[str, str]]:
        """基本情况 as label–value pairs."""
        info = self.info
        if info is None:
            return []
        subs = self.subs
        done = sum(1 for s in subs if s.status is Status.COMPLETED)
        idle = sum(1 for s in subs if s.status is Status.NOT_STARTED)
        rate = UNSTATED if info.execution_rate is None else percent_text(info.execution_rate)
        rows: list[tuple[str, str]] = [
            ("项目名称", info.name),
            ("评价年度", UNSTATED if info.year is None else f"{info.year}年"),
            ("主管部门", info.department or UNSTATED),
            ("实施单位", info.implementing_unit or "—"),
            ("评价类型", label_or_unstated(info.evaluation_kind)),
            ("预算数", money_or_unstated(info.budget)),
            ("到位资金", money_or_unstated(info.funds_arrived)),
            ("支出数", money_or_unstated(info.spent)),
            ("预算执行率", rate),
        ]
        if subs:
            rows.append(("子项目", f"{len(subs)}个，已完成{done}个，未开展{idle}个"))
        rows.append(("绩效指标", f"{len(self.indicators)}项"))
        if info.goal:
            rows.append(("总体目标", info.goal))
        return rows


def execution_line(pack: RulePack) -> Decimal:
    """The execution rate (percent) below which the pack reports a sub-project.

    Read from the rules, not from a rule id: the first rule on sub-projects with a
    condition ``execution_rate lt {param: X}`` gives X's value (after ``--set``). A pack
    with no such rule draws the domain's line, :data:`formulas.MIN_EXECUTION_PCT`.
    """
    for rule in pack.rules:
        if rule.spec.subject != SubProject.kind:
            continue
        for clause in rule.spec.when:
            if not isinstance(clause, Condition) or clause.field != "execution_rate":
                continue
            value = clause.value
            if clause.op == "lt" and isinstance(value, dict) and value.get("param") in rule.params:
                return Decimal(str(rule.params[value["param"]]))
    return MIN_EXECUTION_PCT


def _kind(result: ProjectResult) -> EvaluationKind:
    """The evaluation kind that picks the shipped profile; a form without one is a 单位自评."""
    assert result.project is not None
    stated = result.project.info.evaluation_kind
    if stated is not None:
        return stated
    has_form = bool(result.project.of_kind("form") or result.project.of_kind("form_funds"))
    return EvaluationKind.SELF if has_form else EvaluationKind.THIRD_PARTY


"""The rule whose parameter draws the execution line of the budget chart."""


@dataclass
class Report:
    """Every project of a run, scored."""

    run: CheckRun
    projects: list[ProjectReport] = field(default_factory=list)

    @property
    def categories(self) -> list[str]:
        """Finding categories in report order."""
        return self.run.pack.categories.ordered

    @property
    def execution_line(self) -> Decimal:
        """The execution rate (percent) below which the pack reports a sub-project."""
        return execution_line(self.run.pack)


def build_report(run: CheckRun, profile: Path | None = None) -> Report:
    """Score every loaded project: with ``profile``, or the shipped one for its evaluation kind.

    Raises :class:`InputError` when a profile has errors or names rules the pack lacks.
    """
    loaded: dict[Path, LoadedProfile] = {}
    report = Report(run)
    for result in run.results:
        if result.project is None:
            report.projects.append(ProjectReport(result))
            continue
        path = profile or shipped(_kind(result))
        if path not in loaded:
            loaded[path] = load_profile(path)
            loaded[path].check_against(run.pack)
        chosen = loaded[path]
        card = score_project(chosen.profile, result, chosen.file)
        report.projects.append(ProjectReport(result, card))
    return report


def share(score: Decimal, weight: Decimal) -> str:
    """得分率 of a line."""
    return pct(score / weight) if weight else "—"
