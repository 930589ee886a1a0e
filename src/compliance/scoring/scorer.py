"""Apply a scoring profile to a checked project: score lines with reasons, total, grade.

Why lines keep their reasons: an evaluator must be able to defend every point in
a review, so each line carries the numbers and findings it used; data the
records lack is scored 0 and listed as a gap, never guessed. A finding is
deducted once: by the entry naming its rule, else by the first entry naming its
category; findings no entry names are listed as not scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from compliance.checking.checker import ProjectResult
from compliance.checking.findings import Finding
from compliance.records.forms import FundsRow, FundsRowKind
from compliance.records.formulas import grade_of
from compliance.records.indicators import Indicator
from compliance.records.vocabulary import Severity, label_or_unstated
from compliance.scoring.arith import ZERO, apportion, capped, pct, pts, round_score
from compliance.scoring.indicators import score_indicator
from compliance.scoring.measures import MEASURES
from compliance.scoring.profile import Deduction, Item, Profile


@dataclass
class ScoreLine:
    """One row of the score table; ``children`` are the indicators of an ``indicators`` item."""

    code: str
    level1: str
    level2: str
    name: str
    weight: Decimal
    score: Decimal
    reasons: list[str] = field(default_factory=list)
    findings: list[int] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    basis: str = ""
    children: list[ScoreLine] = field(default_factory=list)
    claimed: Decimal | None = None
    """The 得分 the form itself states for this line, when it states one."""


@dataclass(frozen=True)
class ScoreCheck:
    """A claimed score or weight on the form that differs from the computed one."""

    code: str
    kind: str
    subject: str
    claimed: Decimal
    computed: Decimal
    message: str
    indicator: Indicator | None = None


@dataclass
class Scorecard:
    """A project's score under one profile."""

    profile: str
    profile_file: str
    lines: list[ScoreLine]
    total: Decimal
    full: Decimal
    grade: str
    checks: list[ScoreCheck] = field(default_factory=list)
    unscored: list[Finding] = field(default_factory=list)

    @property
    def leaves(self) -> list[ScoreLine]:
        """The lines that are scored themselves: items without children, and indicators."""
        return [leaf for line in self.lines for leaf in (line.children or [line])]

    @property
    def gap_weight(self) -> Decimal:
        """Points the records could not support (scored 0 for want of data)."""
        return sum((leaf.weight for leaf in self.leaves if leaf.gaps), ZERO)

    @property
    def by_level1(self) -> list[tuple[str, Decimal, Decimal]]:
        """(一级, weight, score) in profile order."""
        out: dict[str, tuple[Decimal, Decimal]] = {}
        for line in self.lines:
            weight, score = out.get(line.level1, (ZERO, ZERO))
            out[line.level1] = (weight + line.weight, score + line.score)
        return [(name, w, s) for name, (w, s) in out.items()]

    @property
    def gaps(self) -> list[str]:
        """Every data gap, with the line it cost points on."""
        out = [f"{line.name}：{gap}" for line in self.lines for gap in line.gaps]
        for line in self.lines:
            out.extend(f"{child.name}：{gap}" for child in line.children for gap in child.gaps)
        return out


def _assign(profile: Profile, findings: list[Finding]) -> dict[int, tuple[int, int]]:
    """Finding number → (item index, deduction index) that deducts it."""
    by_rule: dict[str, tuple[int, int]] = {}
    by_category: dict[str, tuple[int, int]] = {}
    for i, item in enumerate(profile.items):
        for j, deduction in enumerate(item.deductions):
            for rule in deduction.rule:
                by_rule.setdefault(rule, (i, j))
            if deduction.category is not None:
                by_category.setdefault(deduction.category, (i, j))
    by_path = {(item.level1, item.name): i for i, item in enumerate(profile.items)}
    assigned = {}
    for finding in findings:
        place = by_rule.get(finding.rule) or by_category.get(finding.category)
        if place is None and profile.framework_deductions is not None:
            parts = finding.framework.split("/")
            index = by_path.get((parts[0], parts[-1]))
            place = None if index is None else (index, FRAMEWORK)
        if place is not None:
            assigned[finding.number] = place
    return assigned


FRAMEWORK = -1
"""Deduction index of findings deducted by their framework path (no entry names them)."""


def _framework_deductions(
    profile: Profile, hits: list[Finding]
) -> list[tuple[Deduction, list[Finding]]]:
    points = profile.framework_deductions or {}
    out = []
    for severity in Severity:
        same = [f for f in hits if f.severity is severity]
        if same and severity in points:
            note = f"按评价框架“{same[0].framework}”归入本项，{severity.label}风险问题每项扣分"
            out.append((Deduction(points=points[severity], note=note), same))
    return out


def _deduct(deduction: Deduction, hits: list[Finding]) -> tuple[Decimal, list[str]]:
    if not hits:
        return ZERO, []
    amount = deduction.points * len(hits)
    if deduction.max is not None:
        amount = min(amount, deduction.max)
    by_rule: dict[str, list[Finding]] = {}
    for finding in hits:
        by_rule.setdefault(finding.rule, []).append(finding)
    what = "；".join(
        f"{rule} {same[0].title}：" + "、".join(f"问题{f.number}（{f.subject.name}）" for f in same)
        for rule, same in by_rule.items()
    )
    cap = f"，该条最多扣{pts(deduction.max)}分" if deduction.max is not None else ""
    note = f"，{deduction.note}" if deduction.note else ""
    head = f"扣{pts(amount)}分（{len(hits)}项 × {pts(deduction.points)}分{cap}{note}）"
    return amount, [f"{head}——{what}"]


def _indicator_lines(item: Item, project: ProjectResult, profile: Profile) -> list[ScoreLine]:
    assert item.indicators is not None and project.project is not None
    wanted = item.indicators
    chosen = [
        r
        for r in project.project.records
        if isinstance(r, Indicator)
        and (not wanted.level1 or r.level1 in wanted.level1)
        and (not wanted.level2 or r.level2 in wanted.level2)
    ]
    form = [i.weight for i in chosen]
    form_total = sum((w for w in form if w is not None), ZERO)
    known = item.weights == "form" and chosen and all(w is not None for w in form)
    use_form = known and (form_total == item.weight or _form_weights_complete(project))
    if use_form:
        weights = [w for w in form if w is not None]
    else:
        weights = apportion(item.weight, len(chosen))
    over = profile.overshoot
    overshoot = None if over is None else (over.min_pct, over.share)
    lines = []
    for indicator, weight in zip(chosen, weights, strict=True):
        result = score_indicator(indicator, weight, profile.qualitative, overshoot)
        lines.append(
            ScoreLine(
                code=indicator.code,
                level1=label_or_unstated(indicator.level1),
                level2=label_or_unstated(indicator.level2),
                name=indicator.name,
                weight=weight,
                score=result.score,
                reasons=[result.how],
                gaps=[result.gap] if result.gap else [],
                claimed=indicator.score,
            )
        )
    return lines


def _base(item: Item, project: ProjectResult, profile: Profile) -> ScoreLine:
    line = ScoreLine(
        item.code,
        item.level1,
        item.level2 or "",
        item.name,
        item.weight,
        item.weight,
        basis=item.basis or "",
    )
    assert project.project is not None
    if item.method == "rate":
        assert item.measure is not None
        rate = MEASURES[item.measure](project.project)
        if rate.value is None:
            line.score = round_score(ZERO)
            line.reasons.append(f"{rate.how}，不得分")
            line.gaps.append(rate.how)
        else:
            weight = _form_execution_weight(item, project) or item.weight
            if weight != item.weight:
                line.weight = weight
                line.reasons.append(f"按自评表所填分值{pts(weight)}分计分")
            line.score = round_score(weight * capped(rate.value))
            line.reasons.append(
                f"{rate.how}；得分 = min({pct(rate.value)}, 100%) × {pts(weight)}"
                f" = {pts(line.score)}"
            )
            if rate.value > 1:
                line.reasons.append(
                    f"执行率{pct(rate.value)}超过100%，即支出超出预算：按100%计，超支不加分"
                )
    elif item.method == "indicators":
        line.children = _indicator_lines(item, project, profile)
        line.score = round_score(sum((c.score for c in line.children), ZERO))
        own = sum((c.weight for c in line.children), ZERO)
        if line.children and own != item.weight:
            line.weight = own
            line.reasons.append(
                f"按自评表所填分值计分：该类指标分值合计{pts(own)}分（评分方案为{pts(item.weight)}分）"
            )
        if not line.children and item.weights == "form" and _form_weights_complete(project):
            line.weight = ZERO
            line.score = round_score(ZERO)
            line.reasons.append(
                f"自评表未设该类指标，按表上分值计分，此项不计分值（评分方案为{pts(item.weight)}分）"
            )
        elif not line.children:
            line.score = round_score(ZERO)
            if "indicator" in project.project.complete:
                line.reasons.append("指标表中无该类绩效指标，不得分")
                line.gaps.append("未设置该类绩效指标")
            else:
                line.reasons.append("记录中未见该类绩效指标（指标表未完整载明），无从计分")
                line.gaps.append("记录未载明该类绩效指标")
        else:
            met = sum(1 for c in line.children if c.score == c.weight)
            line.reasons.append(
                f"{len(line.children)}项指标，{met}项得满分；得分为各指标得分之和{pts(line.score)}"
            )
    else:
        line.reasons.append(f"满分{pts(item.weight)}分，按问题扣分")
    return line


def _form_weights_complete(project: ProjectResult) -> bool:
    """Whether the form's whole indicator table is on record with every 分值 (then its weights rule).

    Why: a partial table's weights cannot replace the profile's (the groups would no longer add
    up to the total); a complete one is the form's own scoring and is followed as printed.
    """
    if project.project is None or "indicator" not in project.project.complete:
        return False
    indicators = [r for r in project.project.records if isinstance(r, Indicator)]
    return bool(indicators) and all(i.weight is not None for i in indicators)


def _form_execution_weight(item: Item, project: ProjectResult) -> Decimal | None:
    """The form's own 分值 of its 年度资金总额 row, when the item takes the form's weights."""
    if item.weights != "form" or item.measure != "budget_execution_rate" or project.project is None:
        return None
    if not _form_weights_complete(project):
        return None
    for row in project.project.records:
        if isinstance(row, FundsRow) and row.row is FundsRowKind.TOTAL and row.weight:
            return row.weight
    return None


def _execution_cap(profile: Profile, result: ProjectResult, total: Decimal) -> ScoreLine | None:
    """The line that caps the total by the execution rate, when the profile asks and it applies."""
    if not profile.execution_caps or result.project is None:
        return None
    rate = MEASURES["budget_execution_rate"](result.project)
    if rate.value is None:
        return None
    percent_rate = rate.value * 100
    applying = [c for c in profile.execution_caps if percent_rate < c.below]
    if not applying:
        return None
    cap = min(applying, key=lambda c: c.max)
    if total <= cap.max:
        return None
    cut = round_score(cap.max - total)
    return ScoreLine(
        "cap",
        "预算执行率",
        "",
        "按执行率封顶",
        ZERO,
        cut,
        reasons=[
            f"{rate.how}，低于{pts(cap.below)}%，总分最高{pts(cap.max)}分："
            f"{pts(total)} → {pts(cap.max)}（扣{pts(-cut)}分）"
        ],
    )


def _checks(
    line: ScoreLine, tolerance: Decimal, indicators: dict[str, Indicator]
) -> list[ScoreCheck]:
    out = []
    for child in line.children:
        indicator = indicators.get(child.code)
        if indicator is None:
            continue
        if indicator.weight is not None and indicator.weight != child.weight:
            out.append(
                ScoreCheck(
                    child.code,
                    "weight",
                    child.name,
                    indicator.weight,
                    child.weight,
                    f"指标“{child.name}”自评表分值{pts(indicator.weight)}，评分方案分值"
                    f"{pts(child.weight)}（“{line.name}”各指标分值合计应为{pts(line.weight)}）",
                    indicator,
                )
            )
        if child.claimed is not None and abs(child.claimed - child.score) > tolerance:
            out.append(
                ScoreCheck(
                    child.code,
                    "score",
                    child.name,
                    child.claimed,
                    child.score,
                    f"指标“{child.name}”自评得分{pts(child.claimed)}，按记录计算得分"
                    f"{pts(child.score)}，相差{pts(abs(child.claimed - child.score))}分，"
                    f"超过容差{pts(tolerance)}分（{child.reasons[0]}）",
                    indicator,
                )
            )
    return out


def score_project(profile: Profile, result: ProjectResult, profile_file: str = "") -> Scorecard:
    """Score one checked project under ``profile``."""
    if result.project is None:
        raise ValueError("a project that could not be loaded cannot be scored")
    assigned = _assign(profile, result.findings)
    lines = []
    indicators = {r.code: r for r in result.project.records if isinstance(r, Indicator)}
    checks: list[ScoreCheck] = []
    for i, item in enumerate(profile.items):
        line = _base(item, result, profile)
        total_off = ZERO
        entries = [
            (deduction, [f for f in result.findings if assigned.get(f.number) == (i, j)])
            for j, deduction in enumerate(item.deductions)
        ]
        framework_hits = [f for f in result.findings if assigned.get(f.number) == (i, FRAMEWORK)]
        entries.extend(_framework_deductions(profile, framework_hits))
        for deduction, hits in entries:
            amount, reasons = _deduct(deduction, hits)
            total_off += amount
            line.reasons.extend(reasons)
            line.findings.extend(f.number for f in hits)
        if total_off:
            before = line.score
            line.score = round_score(max(ZERO, before - total_off))
            floor = "（扣至0分为止）" if total_off > before else ""
            line.reasons.append(f"{pts(before)} − {pts(total_off)} = {pts(line.score)}{floor}")
        elif item.method == "deductions" and not line.findings:
            line.reasons.append("未发现相关问题，得满分")
        checks.extend(_checks(line, profile.claim_tolerance, indicators))
        lines.append(line)
    total = round_score(sum((line.score for line in lines), ZERO))
    cap = _execution_cap(profile, result, total)
    if cap is not None:
        lines.append(cap)
        total = round_score(total + cap.score)
    grade = grade_of(total, [(g.label, g.min) for g in profile.grades])
    unscored = [f for f in result.findings if f.number not in assigned]
    card = Scorecard(
        profile.name, profile_file, lines, total, profile.total, grade, checks, unscored
    )
    if card.gap_weight * 2 >= sum((line.weight for line in lines), ZERO):
        card.grade = UNGRADED
    return card


UNGRADED = "未能评定"
"""The grade of a record whose missing data cost half the points or more.

Why: an excerpt that states a tenth of what the score needs would otherwise be graded 差 for
what it does not say; the total is still shown, with its gaps, but no grade is claimed.
"""
