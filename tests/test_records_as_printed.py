"""Records as real documents print them: partial, with blanks, Sichuan labels, text numbers (issue 9)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from compliance.core.errors import InputError, Location
from compliance.core.labels import _POINTS, Labeled
from compliance.core.numbers import agrees_as_written, half_unit
from compliance.records.forms import FundsRow, FundsRowKind, Grade, SelfEvaluation, grade_of_words
from compliance.records.indicators import Indicator
from compliance.records.loading import ProjectRecords, build_project
from compliance.records.project import ProjectInfo
from compliance.records.registers import Adjustment, Document, Statement

D = Decimal


def load(data: dict[str, Any]) -> ProjectRecords:
    return build_project(data, lambda loc: Location("test.yaml"), "test.yaml")


def test_only_the_name_is_required_and_nothing_is_filled_in() -> None:
    info = ProjectInfo.model_validate({"name": "委托业务项目"})
    assert (info.year, info.department, info.budget, info.spent, info.evaluation_kind) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert info.execution_rate is None and info.overspent is None


def test_omitted_is_unknown_and_written_blank_is_blank() -> None:
    blank = Indicator.model_validate({"code": "I1", "name": "x", "target": "≥1个", "得分": ""})
    omitted = Indicator.model_validate({"code": "I1", "name": "x", "target": "≥1个"})
    assert blank.score is None and omitted.score is None
    assert "score" in blank.model_fields_set and "score" not in omitted.model_fields_set
    for cell in ("", "——", "—", "-", "/"):
        row = FundsRow.model_validate({"row": "总额", "原因": cell})
        assert row.reason is None and "reason" in row.model_fields_set


def test_wu_is_a_written_answer_not_a_blank() -> None:
    form = SelfEvaluation.model_validate({"存在问题": "无", "改进措施": "暂无"})
    assert form.problems == "无" and form.measures == "暂无"


def test_a_template_hint_left_in_a_cell_is_unfilled() -> None:
    form = SelfEvaluation.model_validate({"评价结论": "结合自评情况,说明项目自评总分。(200字以内)"})
    assert form.conclusion is None and "conclusion" in form.model_fields_set


def test_yes_no_fields_default_to_not_stated() -> None:
    adjustment = Adjustment.model_validate({"code": "TZ-1", "description": "调减预算"})
    assert adjustment.approved is None


@pytest.mark.parametrize(
    ("written", "wan"),
    [
        ("1,200.50", D("1200.50")),
        ("1，200.50", D("1200.50")),
        (" 85 ", D(85)),
        ("12,000元", D("1.2")),
        ("3.36万元", D("3.36")),
        (89.974, D("89.974")),
    ],
)
def test_amounts_as_printed(written: object, wan: Decimal) -> None:
    assert ProjectInfo.model_validate({"name": "x", "budget": written}).budget == wan


def test_the_sichuan_funds_rows_and_columns_load_as_printed() -> None:
    labels = {
        "总额": FundsRowKind.TOTAL,
        "其中:财政资金": FundsRowKind.FISCAL,
        "财政专户管理资金": FundsRowKind.SPECIAL_ACCOUNT,
        "单位资金": FundsRowKind.UNIT,
        "其他资金": FundsRowKind.OTHER,
        "年度资金总额:": FundsRowKind.TOTAL,
        "其中：本年财政拨款": FundsRowKind.FISCAL,
    }
    for label, kind in labels.items():
        assert FundsRow.model_validate({"row": label}).row is kind
    row = FundsRow.model_validate(
        {
            "row": "总额",
            "年初预算": "238.93",
            "调整后预算数": "251.89",
            "预算执行数": "251.89",
            "预算执行率": "100.00%",
            "权重": "10",
            "得分": "",
        }
    )
    assert (row.budget, row.spent, row.rate, row.weight, row.score) == (
        D("251.89"),
        D("251.89"),
        D("100.00"),
        D(10),
        None,
    )


def test_the_sichuan_indicator_columns_load_as_printed() -> None:
    indicator = Indicator.model_validate(
        {
            "code": "I1",
            "一级指标": "产出指标(50分)",
            "二级指标": "数量指标",
            "三级指标": "覆盖率",
            "指标性质": "=",
            "指标值": 100,
            "度量单位": "%",
            "完成值": "",
            "权重": 60,
            "得分": "",
            "未完成原因分析": "",
        }
    )
    assert indicator.target == "100%" and indicator.weight == 60
    assert indicator.actual is None and indicator.deviation_reason is None


def test_a_bare_actual_takes_the_targets_unit() -> None:
    indicator = Indicator.model_validate(
        {"code": "I1", "name": "项目数量", "target": "≥50个", "actual": "50"}
    )
    assert indicator.deviation_pct == 0


def test_a_totals_row_printed_as_zeros_is_computed_from_its_parts() -> None:
    project = load(
        {
            "project": {"name": "委托业务项目"},
            "form_funds": [
                {"row": "年度资金总额", "全年预算数": 0, "全年执行数": 0, "分值": 10, "得分": 0},
                {"row": "本年财政拨款", "全年预算数": 89.974, "全年执行数": 89.974},
            ],
        }
    )
    [total] = [
        r for r in project.of_kind("form_funds") if isinstance(r, FundsRow) and r.key == "total"
    ]
    assert total.matches_parts is False and total.total_unusable is True
    assert total.rate_computed == D("100.00") and total.score_computed == D(10)


def test_a_totals_row_forgets_what_it_computed_before_its_parts_came() -> None:
    """Computed fields are remembered once read; attaching the parts must not keep stale ones."""
    total = FundsRow.model_validate(
        {"row": "年度资金总额", "全年预算数": 0, "全年执行数": 0, "分值": 10, "得分": 0}
    )
    part = FundsRow.model_validate({"row": "本年财政拨款", "全年预算数": 80, "全年执行数": 60})
    assert total.parts_budget is None and total.rate_computed is None
    total.attach_parts([total, part])
    assert total.parts_budget == D(80) and total.total_unusable is True
    assert total.rate_computed == D("75.00") and total.score_computed == D("7.50")


def test_a_total_that_merely_differs_is_kept_and_reported() -> None:
    project = load(
        {
            "project": {"name": "x"},
            "form_funds": [
                {"row": "年度资金总额", "全年预算数": 650, "全年执行数": 468},
                {"row": "本年财政拨款", "全年预算数": 450, "全年执行数": 320},
                {"row": "其他资金", "全年预算数": 200, "全年执行数": 150},
            ],
        }
    )
    [total] = [
        r for r in project.of_kind("form_funds") if isinstance(r, FundsRow) and r.key == "total"
    ]
    assert total.matches_parts is False and not total.total_unusable
    assert total.rate_computed == D("72.00")


def test_two_documents_of_the_same_type_are_two_records() -> None:
    project = load(
        {
            "project": {"name": "x"},
            "documents": [
                {"type": "资金下达文件", "title": "第一批"},
                {"type": "资金下达文件", "title": "第二批"},
            ],
        }
    )
    keys = [r.key for r in project.of_kind("document")]
    assert keys == ["funds_notice", "funds_notice-2"]


def test_documents_with_the_same_code_are_refused() -> None:
    with pytest.raises(InputError, match="given twice"):
        load(
            {
                "project": {"name": "x"},
                "documents": [{"type": "合同", "code": "HT-1"}, {"type": "合同", "code": "HT-1"}],
            }
        )


def test_two_funds_lines_citing_one_document_number_are_two_lines() -> None:
    project = load(
        {
            "project": {"name": "x"},
            "statements": [
                {
                    "code": "S1",
                    "quantity": "中央资金",
                    "value": "30.9万元",
                    "ref": "皖财农【2020】1351号",
                },
                {
                    "code": "S2",
                    "quantity": "中央资金",
                    "value": "30.9万元",
                    "ref": "皖财农【2020】1351号",
                },
            ],
        }
    )
    assert len(project.of_kind("statement")) == 2


def test_the_evaluating_agency_and_the_report_date_are_fields() -> None:
    info = ProjectInfo.model_validate(
        {
            "name": "x",
            "evaluating_agency": "云南中韬龙和会计师事务所",
            "report_date": "2019年1月10日",
        }
    )
    assert info.evaluating_agency and info.report_date is not None
    assert info.report_date.isoformat() == "2019-01-10"


def test_a_department_wide_evaluation_with_parts_and_rates() -> None:
    project = load(
        {
            "project": {"name": "政协南县委员会2021年部门整体支出", "scope": "部门整体支出"},
            "statements": [
                {"code": "S1", "quantity": "支出", "value": "799.12万元"},
                {"code": "S2", "quantity": "人员经费支出", "value": "434.89万元", "part_of": "S1"},
                {"code": "S3", "quantity": "公用经费支出", "value": "77.4万元", "part_of": "S1"},
                {"code": "S4", "quantity": "项目支出", "value": "286.83万元", "part_of": "S1"},
                {"code": "S5", "quantity": "项目资金", "value": "2179万元"},
                {"code": "S6", "quantity": "已拨付", "value": "2113.63万元"},
                {"code": "S7", "quantity": "执行率", "value": "97%", "rate_of": ["S6", "S5"]},
            ],
        }
    )
    info = project.info
    assert info.scope is not None and info.scope.value == "department"
    statements = {r.key: r for r in project.of_kind("statement") if isinstance(r, Statement)}
    assert statements["S1"].parts_add_up is True and statements["S1"].parts_count == 3
    assert statements["S7"].rate_agrees is True and statements["S7"].rate_computed == D("97.00")


def test_a_part_of_that_names_no_statement_is_a_located_error() -> None:
    with pytest.raises(InputError, match="names no statement"):
        load(
            {
                "project": {"name": "x"},
                "statements": [{"code": "S1", "quantity": "a", "value": "1个", "part_of": "S9"}],
            }
        )


@pytest.mark.parametrize(
    ("stated", "exact", "agrees"),
    [
        (D(86), D("86.2037"), True),  # whole percent: within 0.5
        (D(97), D("97.0032"), True),
        (D("99.57"), D("99.5667"), True),
        (D("99.56"), D("99.5667"), False),  # two places: held to them
        (D(86), D("86.5001"), False),
    ],
)
def test_the_one_tolerance_follows_the_written_precision(
    stated: Decimal, exact: Decimal, agrees: bool
) -> None:
    assert agrees_as_written(stated, exact) is agrees
    assert half_unit(D("68.07")) == D("0.005") and half_unit(D(97)) == D("0.5")


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        ("该项目在组织实施、项目管理、财务管理、项目完成情况各方面完成良好", Grade.GOOD),
        ("项目总体完成较好", Grade.GOOD),
        ("圆满完成年度目标", Grade.EXCELLENT),
        ("基本完成项目绩效目标任务", Grade.FAIR),
        ("将资金支付给项目施工方", None),
    ],
)
def test_the_grade_a_conclusion_claims(text: str, grade: Grade | None) -> None:
    assert grade_of_words(text) is grade


def test_a_document_register_entry_may_be_just_a_type() -> None:
    assert Document.model_validate({"type": "合同"}).present is True


def _scanned(cls: Any, text: Any) -> Any:
    """Labeled.lookup as it was: every member's spellings scanned in order."""
    if isinstance(text, str):
        wanted = text.strip()
        for candidate in dict.fromkeys((wanted, _POINTS.sub("", wanted).strip())):
            for member in cls:
                if candidate in (member.value, member.label, *member.aliases):
                    return member
    return text


def test_every_vocabulary_spelling_is_looked_up_as_a_scan_would() -> None:
    vocabularies, pending = [], list(Labeled.__subclasses__())
    while pending:
        cls = pending.pop()
        if cls.lookup.__func__ is Labeled.lookup.__func__:  # not one with its own lookup
            vocabularies.append(cls)
        pending += cls.__subclasses__()
    assert len(vocabularies) > 10
    for cls in vocabularies:
        spellings = [s for m in cls for s in (m.value, m.label, *m.aliases)]
        for text in [*spellings, "", " ", "其他", 3, None]:
            for variant in (
                (text, f" {text} ", f"{text}(10分)", f"{text}（ 5.5 分）")
                if isinstance(text, str)
                else (text,)
            ):
                found, scanned = cls.lookup(variant), _scanned(cls, variant)
                assert (type(found), found) == (type(scanned), scanned)
