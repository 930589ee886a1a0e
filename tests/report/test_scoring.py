"""Scoring formulas, the rounding policy, the self-evaluation profile, and profile errors."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from compliance.core.errors import InputError
from compliance.output.report import Report
from compliance.records.indicators import Indicator
from compliance.rules.pack import RulePack
from compliance.scoring import DEFAULT_PROFILES, load_profile
from compliance.scoring.arith import apportion, round_score
from compliance.scoring.indicators import score_indicator
from compliance.scoring.profile import DEFAULT_QUALITATIVE

D = Decimal


def indicator(target: str, actual: str | None, **extra: object) -> Indicator:
    return Indicator.model_validate(
        {
            "code": "X",
            "level1": "产出指标",
            "level2": "数量指标",
            "name": "测试指标",
            "target": target,
            "actual": actual,
            **extra,
        }
    )


@pytest.mark.parametrize(
    ("total", "count", "shares"),
    [
        (D(50), 12, [D("4.17")] * 8 + [D("4.16")] * 4),
        (D(20), 4, [D(5)] * 4),
        (D(10), 3, [D("3.34"), D("3.33"), D("3.33")]),
        (D(30), 0, []),
    ],
)
def test_apportion_adds_up_exactly(total: Decimal, count: int, shares: list[Decimal]) -> None:
    assert apportion(total, count) == shares
    assert sum(shares, D(0)) == (total if count else 0)


def test_round_half_up() -> None:
    assert round_score(D("3.905")) == D("3.91")
    assert round_score(D("2.004999")) == D("2.00")


@pytest.mark.parametrize(
    ("target", "actual", "weight", "score"),
    [
        ("≥1200台", "1640台", "5", "5.00"),  # met: full marks, overshoot earns nothing
        ("≥18项", "15项", "6", "5.00"),  # 15/18 × 6
        ("≤2小时", "3小时", "10", "6.67"),  # 2/3 × 10
        ("≤2小时", "90分钟", "10", "10.00"),  # units converted: 1.5 h ≤ 2 h
        ("100%", "95%", "4", "3.80"),  # no operator: read as ≥
        ("全国前五名", "全国第十名", "4", "2.00"),  # ranks count like ≤: 5/10 × 4
        ("2020年11月底", "2020年11月20日", "3", "3.00"),  # on time
        ("2020年11月底", "2020年12月15日", "3", "0.00"),  # late
        ("≥600T", "772T", "5", "5.00"),
    ],
)
def test_indicator_formulas(target: str, actual: str, weight: str, score: str) -> None:
    result = score_indicator(indicator(target, actual), D(weight), DEFAULT_QUALITATIVE)
    assert result.score == D(score), result.how
    assert result.gap is None


@pytest.mark.parametrize(
    ("target", "actual", "why"),
    [
        ("≥90%", None, "未填实际完成值"),
        ("≥90%", "≥90%", "不是实测值"),
        ("效果明显", "效果较好", "无法按达成程度分档"),
        ("≥2次/天", "5台", "无法比较"),
    ],
)
def test_indicators_without_a_usable_actual_score_zero(
    target: str, actual: str | None, why: str
) -> None:
    result = score_indicator(indicator(target, actual), D(5), DEFAULT_QUALITATIVE)
    assert result.score == 0
    assert result.gap is not None and why in result.how


def test_qualitative_bands() -> None:
    assert score_indicator(indicator("效果明显", "部分达成"), D(10), DEFAULT_QUALITATIVE).score == 5
    assert score_indicator(indicator("效果明显", "达成"), D(10), DEFAULT_QUALITATIVE).score == 10
    same = score_indicator(indicator("明显改善", "明显改善"), D(10), DEFAULT_QUALITATIVE)
    assert same.score == 10 and "按达成计" in same.how


def test_self_evaluation_form(self_eval_report: Report) -> None:
    """智慧交通 form: execution 185/200 = 92.5 % × 10 = 9.25; 产出 20 + 98/99×10 (9.90) + 2/3×10
    (6.67) + 10 = 46.57; 效益 15 + 15 (qualitative 达成) = 30; 满意度 85/90 × 10 = 9.44 → 95.26, 优."""
    [project] = self_eval_report.projects
    card = project.card
    assert card is not None
    assert card.profile.startswith("单位自评")
    assert [(line.name, line.score) for line in card.lines] == [
        ("预算执行率", D("9.25")),
        ("产出指标", D("46.57")),
        ("效益指标", D("30.00")),
        ("满意度指标", D("9.44")),
    ]
    assert card.total == D("95.26") and card.grade == "优"
    children = {c.code: c for line in card.lines for c in line.children}
    assert {code: c.weight for code, c in children.items()} == {
        "I01": 20,
        "I02": 10,
        "I03": 10,
        "I04": 10,
        "I05": 15,
        "I06": 15,
        "I07": 10,
    }  # the form's own 分值 (they add up to 50/30/10)
    assert children["I02"].score == D("9.90") and children["I02"].claimed == 10


def test_claimed_scores_beyond_tolerance_are_reported(self_eval_report: Report) -> None:
    card = self_eval_report.projects[0].card
    assert card is not None
    # I02 claims 10 for 9.90 and I07 claims 9 for 9.44: within the 0.5 tolerance.
    [check] = card.checks
    assert (check.code, check.kind, check.claimed, check.computed) == (
        "I03",
        "score",
        10,
        D("6.67"),
    )
    assert "相差3.33分" in check.message and "超过容差0.5分" in check.message


def test_the_forms_own_weights_rule_when_its_whole_table_is_on_record(
    pack: RulePack, tmp_path: Path
) -> None:
    from compliance.checking.checker import Checker
    from compliance.output.report import build_report
    from tests.report.conftest import SELF_EVAL

    record = tmp_path / "form.yaml"
    text = SELF_EVAL.read_text(encoding="utf-8").replace(
        "weight: 20, score: 20", "weight: 25, score: 20"
    )
    record.write_text(text, encoding="utf-8")
    # An excerpt (no coverage): its weights cannot replace the profile's, so the group is apportioned.
    report = build_report(Checker(pack).run([record]))
    card = report.projects[0].card
    assert card is not None
    assert [c.weight for c in card.lines[1].children] == [D("12.5")] * 4
    # The whole table on record: the form's own 分值 rule, and the line says so.
    record.write_text("coverage: {indicators: complete}\n" + text, encoding="utf-8")
    report = build_report(Checker(pack).run([record]))
    card = report.projects[0].card
    assert card is not None
    output = card.lines[1]
    weights = [c.weight for c in output.children]
    assert weights[0] == D(25) and output.weight == sum(weights)
    assert output.weight != D(50)
    assert any("按自评表所填分值计分" in r for r in output.reasons)


def test_shipped_profiles_load_and_add_up(pack: RulePack) -> None:
    for name in ("self_evaluation.yaml", "self_evaluation_platform.yaml", "third_party.yaml"):
        loaded = load_profile(DEFAULT_PROFILES / name)
        loaded.check_against(pack)
        assert sum(i.weight for i in loaded.profile.items) == 100
    third = load_profile(DEFAULT_PROFILES / "third_party.yaml").profile
    by_level1: dict[str, Decimal] = {}
    for item in third.items:
        by_level1[item.level1] = by_level1.get(item.level1, D(0)) + item.weight
    assert by_level1 == {"决策": 20, "过程": 20, "产出": 30, "效益": 30}
    assert by_level1["产出"] + by_level1["效益"] >= 60  # domain.md: output + benefit ≥ 60 %


BAD_PROFILE = """\
name: 坏方案
items:
  - code: A1
    level1: 决策
    name: 立项
    weigth: 50
    method: deductions
  - code: A1
    level1: 过程
    name: 执行率
    weight: 40
    method: rate
"""


def test_profile_errors_have_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_PROFILE, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path)
    text = str(caught.value)
    assert ":6:13: error: items[0].weigth: unknown field 'weigth' (did you mean 'weight'?)" in text
    assert ":3:5: error: items[0].weight: required field is missing" in text


def test_profile_meaning_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_PROFILE.replace("weigth", "weight"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_profile(path)
    text = str(caught.value)
    assert ":3:3: error: items: item weights add up to 90, not to the total 100" in text
    assert ":8:11: error: items[1].code: duplicate item code 'A1'" in text
    assert "items[1].measure: a 'rate' item needs a measure" in text


def test_profile_rules_are_checked_against_the_pack(tmp_path: Path, pack: RulePack) -> None:
    text = (DEFAULT_PROFILES / "third_party.yaml").read_text(encoding="utf-8")
    path = tmp_path / "copy.yaml"
    path.write_text(
        text.replace("{rule: PA01, points: 1}", "{rule: PA91, points: 1}"), encoding="utf-8"
    )
    loaded = load_profile(path)
    with pytest.raises(InputError) as caught:
        loaded.check_against(pack)
    line = text.splitlines().index("      - {rule: PA01, points: 1}") + 1
    assert f"copy.yaml:{line}:" in str(caught.value)
    assert "unknown rule 'PA91' (did you mean 'PA01'?)" in str(caught.value)


def test_without_framework_deductions_unnamed_findings_are_listed_unscored(
    pack: RulePack, tmp_path: Path
) -> None:
    from compliance.checking.checker import Checker
    from compliance.output.report import build_report
    from tests.report.conftest import SEED

    text = (DEFAULT_PROFILES / "third_party.yaml").read_text(encoding="utf-8")
    path = tmp_path / "no-framework.yaml"
    path.write_text(
        "\n".join(
            line for line in text.splitlines() if not line.startswith("framework_deductions")
        ),
        encoding="utf-8",
    )
    card = build_report(Checker(pack).run([SEED]), path).projects[0].card
    assert card is not None
    named = {"PA01", "PA02", "PA03", "TG01", "TG03", "TG04", "TG05", "FN02", "FN04", "FN05"}
    named |= {"PM01", "PM02", "PM03", "PM04", "PM05", "DQ01", "SA01", "SA02"}
    assert card.unscored and all(f.rule not in named for f in card.unscored)
    assert card.total > D("52.17")  # the unnamed findings cost nothing here


# Scoring real forms (issue 9) ---------------------------------------------------------------


def test_a_bare_actual_takes_the_targets_unit() -> None:
    result = score_indicator(indicator("≥50个", "50"), D(8), DEFAULT_QUALITATIVE)
    assert result.score == D(8) and result.gap is None


def test_the_completion_words_meet_a_qualitative_target() -> None:
    result = score_indicator(indicator("效果明显", "达成预期指标"), D(10), DEFAULT_QUALITATIVE)
    assert result.score == D(10)


def test_a_completion_word_does_not_score_a_quantitative_target() -> None:
    result = score_indicator(indicator("≤30万元", "完成"), D(90), DEFAULT_QUALITATIVE)
    assert result.score == 0 and result.gap is not None and "定性表述" in result.gap


def test_an_unknown_target_is_a_gap_not_a_zero_by_formula() -> None:
    result = score_indicator(indicator("", "100%").model_copy(update={"target": None}), D(10), {})
    assert result.score == 0 and result.gap is not None and "指标值未载明" in result.gap


@pytest.mark.parametrize(
    ("actual", "score", "lost"),
    [
        ("130台", D("8.00"), True),  # exactly 30 % over: the platform deduction applies
        ("129台", D(10), False),  # 29 % over: full marks, overshoot earns nothing
    ],
)
def test_overshoot_deduction_is_a_profile_option(actual: str, score: Decimal, lost: bool) -> None:
    plain_result = score_indicator(indicator("≥100台", actual), D(10), DEFAULT_QUALITATIVE)
    assert plain_result.score == D(10)  # off by default
    result = score_indicator(
        indicator("≥100台", actual), D(10), DEFAULT_QUALITATIVE, (D(30), D("0.2"))
    )
    assert result.score == score
    assert ("目标设定偏低" in result.how) is lost


def _form(tmp_path: Path, budget: str, spent: str) -> Path:
    record = tmp_path / "form.yaml"
    record.write_text(
        f"""\
coverage: {{indicators: complete, form_funds: complete}}
project: {{name: 测试项目, evaluation_kind: 单位自评}}
form_funds:
  - {{row: 年度资金总额, 全年预算数: {budget}, 全年执行数: {spent}, 分值: 10}}
indicators:
  - {{code: I1, 一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 数量, 指标值: ≥10个, 实际完成值: 10个, 分值: 50}}
  - {{code: I2, 一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 效益, 指标值: 效果明显, 实际完成值: 达成, 分值: 30}}
  - {{code: I3, 一级指标: 满意度指标, 二级指标: 服务对象满意度指标, 三级指标: 满意度, 指标值: ≥90%, 实际完成值: 95%, 分值: 10}}
""",
        encoding="utf-8",
    )
    return record


def _card(pack: RulePack, record: Path, profile: str) -> object:
    from compliance.checking.checker import Checker
    from compliance.scoring import score_project

    [result] = Checker(pack).run([record]).results
    return score_project(load_profile(DEFAULT_PROFILES / profile).profile, result)


@pytest.mark.parametrize(
    ("spent", "total", "capped"),
    [
        ("75.00", D("97.50"), D(89)),  # 70–80 % → at most 89
        ("65.00", D("96.50"), D(79)),  # 60–70 % → at most 79
        ("55.00", D("95.50"), D(69)),  # 50–60 % → at most 69
        ("45.00", D("94.50"), D(59)),  # below 50 % → at most 59
        ("80.00", D(98), D(98)),  # 80 %: no cap
    ],
)
def test_execution_caps_are_a_profile_option_with_a_reason_line(
    pack: RulePack, tmp_path: Path, spent: str, total: Decimal, capped: Decimal
) -> None:
    from compliance.scoring import Scorecard

    plain_card = _card(pack, _form(tmp_path, "100.00", spent), "self_evaluation.yaml")
    assert isinstance(plain_card, Scorecard) and plain_card.total == total
    card = _card(pack, _form(tmp_path, "100.00", spent), "self_evaluation_platform.yaml")
    assert isinstance(card, Scorecard) and card.total == capped
    caps = [line for line in card.lines if line.code == "cap"]
    assert bool(caps) is (capped < total)
    if caps:
        assert "总分最高" in caps[0].reasons[0]
        assert sum((line.score for line in card.lines), D(0)) == card.total


def test_overspending_is_capped_at_full_marks_and_said(pack: RulePack, tmp_path: Path) -> None:
    from compliance.scoring import Scorecard

    card = _card(pack, _form(tmp_path, "100.00", "120.00"), "self_evaluation.yaml")
    assert isinstance(card, Scorecard)
    execution = card.lines[0]
    assert execution.score == D(10)
    assert any("超支不加分" in r for r in execution.reasons)


def test_a_totals_row_printed_as_zeros_is_scored_from_its_parts(pack: RulePack) -> None:
    from compliance.scoring import Scorecard
    from tests.conftest import CASES

    card = _card(pack, CASES / "real" / "tangxi-weituo-yewu-2022", "self_evaluation.yaml")
    assert isinstance(card, Scorecard)
    execution = card.lines[0]
    assert execution.score == D(10)
    assert "分项之和" in execution.reasons[0]


def test_findings_on_the_forms_own_bookkeeping_are_not_deducted_from_output(
    pack: RulePack,
) -> None:
    from compliance.scoring import Scorecard
    from tests.conftest import CASES

    quality = {"FM04", "FM06", "FM07", "FM11", "FM12"}
    for profile in ("self_evaluation.yaml", "third_party.yaml"):
        card = _card(pack, CASES / "selfeval-2023-school-meals", profile)
        assert isinstance(card, Scorecard)
        unscored = {f.rule for f in card.unscored}
        assert quality & unscored == {"FM04", "FM06", "FM07", "FM11", "FM12"}
        deducted = {n for line in card.lines for n in line.findings}
        assert not any(f.number in deducted for f in card.unscored)
    for rule in pack.rules:
        if rule.id in quality:
            assert rule.spec.framework.startswith("自评质量/"), rule.id


def test_a_complete_form_is_scored_on_its_own_weights(pack: RulePack) -> None:
    from compliance.scoring import Scorecard
    from tests.conftest import CASES

    # 青神 工资性支出: 执行率10 + 产出60 + 效益30 = 100, no satisfaction indicator on the form.
    card = _card(pack, CASES / "real" / "qingshen-fagai-gongzi-2023", "self_evaluation.yaml")
    assert isinstance(card, Scorecard)
    assert [line.weight for line in card.lines] == [D(10), D(60), D(30), D(0)]
    assert "自评表未设该类指标" in card.lines[3].reasons[0]


def test_an_excerpt_missing_most_data_gets_no_grade(pack: RulePack) -> None:
    from compliance.scoring import Scorecard
    from compliance.scoring.scorer import UNGRADED
    from tests.conftest import CASES

    excerpt = _card(pack, CASES / "real" / "pudong-shenji-yewujingfei-2018", "third_party.yaml")
    assert isinstance(excerpt, Scorecard) and excerpt.grade == UNGRADED
    assert excerpt.gap_weight * 2 >= excerpt.full
    form = _card(pack, CASES / "real" / "langfang-shipin-nuantong-2019", "self_evaluation.yaml")
    assert isinstance(form, Scorecard) and form.grade == "优" and form.gap_weight == 0
