"""Shared Gherkin steps (zh-CN): build a record in a few lines, check it, assert the findings.

Given steps add records to a project; the When step writes it to a YAML file and
runs the same loader and checker as ``compliance check``. A new scenario needs
no new Python as long as it uses these sentences.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, then, when

from compliance.checking.checker import Checker, ProjectResult
from compliance.checking.findings import Finding
from compliance.records.kinds import RECORD_KINDS
from compliance.records.loading import _KIND_OF, REGISTERS
from compliance.rules.pack import RulePack
from compliance.rules.spec import AnyOf


class Scenario:
    """The record being built and the result of checking it."""

    def __init__(self) -> None:
        self.record: dict[str, Any] = {}
        self.complete = False
        self.settings: dict[str, str] = {}
        self.result: ProjectResult | None = None
        self.files: list[Path] = []
        """Form files (workbooks, Word) to check instead of the record."""

    def add(self, section: str, item: dict[str, Any]) -> dict[str, Any]:
        self.record.setdefault(section, []).append(item)
        return item

    def sub_project(self, number: int) -> dict[str, Any]:
        for item in self.record.get("sub_projects", []):
            if item["number"] == number:
                return item
        raise AssertionError(f"no sub-project {number} in the scenario")

    def findings(self, rule: str) -> list[Finding]:
        assert self.result is not None, "the project was not checked"
        return [f for f in self.result.findings if f.rule == rule]


@pytest.fixture
def scenario() -> Scenario:
    return Scenario()


# 假如 …: the project and its records ------------------------------------------------------


@given(parsers.parse("一个项目“{name}”，预算 {budget} 万元，支出 {spent} 万元"))
def a_project(scenario: Scenario, name: str, budget: str, spent: str) -> None:
    scenario.record["project"] = {
        "name": name,
        "year": 2020,
        "department": "示例局",
        "evaluation_kind": "第三方评价",
        "budget": budget,
        "spent": spent,
    }


@given(parsers.parse("项目到位资金 {amount} 万元"))
def funds_arrived(scenario: Scenario, amount: str) -> None:
    scenario.record["project"]["funds_arrived"] = amount


@given(parsers.parse("项目的评价类型为{kind}"))
def evaluation_kind(scenario: Scenario, kind: str) -> None:
    scenario.record["project"]["evaluation_kind"] = kind


@given(parsers.parse("支出领域 {code}“{name}”，预算小计 {budget} 万元，支出小计 {spent} 万元"))
def a_spending_area(scenario: Scenario, code: str, name: str, budget: str, spent: str) -> None:
    scenario.add("spending_areas", {"code": code, "name": name, "budget": budget, "spent": spent})


@given(
    parsers.re(
        r"子项目 (?P<number>\d+)“(?P<name>[^”]+)”(属于 (?P<area>\w+)，)?预算 (?P<budget>[\d.]+) 万元，"
        r"支出 (?P<spent>[\d.]+) 万元，状态为(?P<status>\S+)"
    )
)
def a_sub_project(
    scenario: Scenario,
    number: str,
    name: str,
    area: str | None,
    budget: str,
    spent: str,
    status: str,
) -> None:
    item: dict[str, Any] = {
        "number": int(number),
        "name": name,
        "budget": budget,
        "spent": spent,
        "status": status,
    }
    if area:
        item["area"] = area
    scenario.add("sub_projects", item)


@given(parsers.parse("子项目 {number:d} 的备注为“{note}”"))
def a_note(scenario: Scenario, number: int, note: str) -> None:
    scenario.sub_project(number)["note"] = note


@given(parsers.parse("子项目 {number:d} 的工作类型为{kind}"))
def a_work_kind(scenario: Scenario, number: int, kind: str) -> None:
    scenario.sub_project(number)["work_kind"] = kind


@given(parsers.parse("子项目 {number:d} 有 {amount} 万元划拨给“{unit}”"))
def a_transfer(scenario: Scenario, number: int, amount: str, unit: str) -> None:
    scenario.sub_project(number).update(transferred_to=unit, transferred_amount=amount)


_LEVEL2 = {"产出": "数量指标", "效益": "社会效益", "满意度": "服务对象满意度"}


def _indicator(
    scenario: Scenario, level1: str, level2: str | None, name: str, target: str
) -> dict[str, Any]:
    code = f"I{len(scenario.record.get('indicators', [])) + 1}"
    return scenario.add(
        "indicators",
        {
            "code": code,
            "level1": f"{level1}指标",
            "level2": level2 or _LEVEL2[level1],
            "name": name,
            "target": target,
        },
    )


@given(
    parsers.re(
        r"(?P<level1>产出|效益|满意度)指标(（(?P<level2>[^）]+)）)?“(?P<name>[^”]+)”"
        r"指标值为“(?P<target>[^”]+)”，实际完成“(?P<actual>[^”]+)”"
    )
)
def an_indicator(
    scenario: Scenario, level1: str, level2: str | None, name: str, target: str, actual: str
) -> None:
    _indicator(scenario, level1, level2, name, target)["actual"] = actual


@given(
    parsers.re(
        r"(?P<level1>产出|效益|满意度)指标(（(?P<level2>[^）]+)）)?“(?P<name>[^”]+)”"
        r"指标值为“(?P<target>[^”]+)”，考核(?P<kind>\S+?)工作$"
    )
)
def an_indicator_of_a_kind(
    scenario: Scenario, level1: str, level2: str | None, name: str, target: str, kind: str
) -> None:
    _indicator(scenario, level1, level2, name, target)["work_kind"] = kind


@given(parsers.parse("指标“{name}”的偏差原因为“{reason}”"))
def a_deviation_reason(scenario: Scenario, name: str, reason: str) -> None:
    for item in scenario.record.get("indicators", []):
        if item["name"] == name:
            item["deviation_reason"] = reason
            return
    raise AssertionError(f"no indicator '{name}'")


@given(parsers.parse("指标“{name}”的佐证材料为“{evidence}”"))
def an_evidence(scenario: Scenario, name: str, evidence: str) -> None:
    for item in scenario.record.get("indicators", []):
        if item["name"] == name:
            item["evidence"] = evidence
            return
    raise AssertionError(f"no indicator '{name}'")


@given(parsers.parse("指标“{name}”分值 {weight} 分，得分 {score} 分"))
def a_weight_and_score(scenario: Scenario, name: str, weight: str, score: str) -> None:
    for item in scenario.record.get("indicators", []):
        if item["name"] == name:
            item.update(weight=weight, score=score)
            return
    raise AssertionError(f"no indicator '{name}'")


_ROWS = {
    "资金总额": "年度资金总额",
    "本年财政拨款": "本年财政拨款",
    "上年结转资金": "上年结转资金",
    "其他资金": "其他资金",
}


@given(
    parsers.re(
        r"自评表(?P<row>资金总额|本年财政拨款|上年结转资金|其他资金)：(年初预算数 (?P<initial>[\d.]+) 万元，)?"
        r"全年预算数 (?P<budget>[\d.]+) 万元，全年执行数 (?P<spent>[\d.]+) 万元"
        r"(，分值 (?P<weight>[\d.]+)，执行率 (?P<rate>[\d.]+%)，得分 (?P<score>[\d.]+))?(，原因“(?P<reason>[^”]+)”)?$"
    )
)
def a_funds_row(
    scenario: Scenario,
    row: str,
    initial: str | None,
    budget: str,
    spent: str,
    weight: str | None,
    rate: str | None,
    score: str | None,
    reason: str | None,
) -> None:
    item: dict[str, Any] = {"row": _ROWS[row], "全年预算数": budget, "全年执行数": spent}
    optional = {
        "年初预算数": initial,
        "分值": weight,
        "执行率": rate,
        "得分": score,
        "原因": reason,
    }
    item.update({k: v for k, v in optional.items() if v is not None})
    scenario.add("form_funds", item)


@given(parsers.parse("自评表的自评得分为 {score} 分，等级为{grade}"))
def a_claimed_result(scenario: Scenario, score: str, grade: str) -> None:
    scenario.record["form"] = {"claimed_score": score, "claimed_grade": grade}


@given(parsers.parse("项目有“{kind}”"))
def a_document(scenario: Scenario, kind: str) -> None:
    scenario.add("documents", {"type": kind, "archive_ref": f"DOC-{kind}"})


@given(parsers.parse("项目没有“{kind}”"))
def no_document(scenario: Scenario, kind: str) -> None:
    scenario.add("documents", {"type": kind, "present": False, "archive_ref": f"DOC-{kind}"})


@given(parsers.parse("验收单“{code}”（子项目 {number:d}）未填写验收日期"))
def an_undated_acceptance(scenario: Scenario, code: str, number: int) -> None:
    scenario.add("acceptances", {"code": code, "sub_project": number})


@given(parsers.parse("验收单“{code}”（子项目 {number:d}）的验收日期为 {day}"))
def a_dated_acceptance(scenario: Scenario, code: str, number: int, day: str) -> None:
    scenario.add("acceptances", {"code": code, "sub_project": number, "date": day})


@given(parsers.re(r"验收单“(?P<code>[^”]+)”未(?P<what>签字|盖章)$"))
def an_acceptance_lacking(scenario: Scenario, code: str, what: str) -> None:
    for item in scenario.record.get("acceptances", []):
        if item["code"] == code:
            item["signed" if what == "签字" else "sealed"] = False
            return
    raise AssertionError(f"no acceptance form '{code}'")


@given(parsers.parse("记账凭证“{voucher}”缺少“{attachment}”"))
def a_voucher_missing(scenario: Scenario, voucher: str, attachment: str) -> None:
    scenario.add("payments", {"voucher": voucher, "attachments": {"发票": True, attachment: False}})


@given(parsers.parse("记账凭证“{voucher}”于 {paid} 支付，审批日期为 {approved}"))
def a_dated_voucher(scenario: Scenario, voucher: str, paid: str, approved: str) -> None:
    scenario.add("payments", {"voucher": voucher, "date": paid, "approval_date": approved})


@given(
    parsers.re(
        r"调整事项“(?P<code>[^”]+)”：子项目 (?P<number>\d+) (?P<what>任务调整|预算调整|资金划转)，"
        r"(?P<status>未经审批|已审批)(，文号“(?P<ref>[^”]+)”)?"
    )
)
def an_adjustment(
    scenario: Scenario, code: str, number: str, what: str, status: str, ref: str | None
) -> None:
    item: dict[str, Any] = {
        "code": code,
        "sub_project": int(number),
        "what": what,
        "description": f"子项目{number}{what}",
        "approved": status == "已审批",
    }
    if ref:
        item["approval_ref"] = ref
    scenario.add("adjustments", item)


@given(parsers.parse("审批文件“{ref}”，日期 {day}"))
def an_approval(scenario: Scenario, ref: str, day: str) -> None:
    scenario.add("approvals", {"ref": ref, "date": day})


@given(parsers.parse("{who}开展了满意度调查"))
def a_survey(scenario: Scenario, who: str) -> None:
    code = f"DC-{len(scenario.record.get('surveys', [])) + 1}"
    scenario.add("surveys", {"code": code, "conducted_by": who})


@given(parsers.parse("{who}开展了满意度调查，有效样本 {respondents:d} 份"))
def a_sampled_survey(scenario: Scenario, who: str, respondents: int) -> None:
    code = f"DC-{len(scenario.record.get('surveys', [])) + 1}"
    scenario.add("surveys", {"code": code, "conducted_by": who, "respondents": respondents})


@given(parsers.parse("“{place}”称{quantity}为{value}"))
def a_statement(scenario: Scenario, place: str, quantity: str, value: str) -> None:
    code = f"S{len(scenario.record.get('statements', [])) + 1}"
    scenario.add("statements", {"code": code, "quantity": quantity, "value": value, "place": place})


def _statement(scenario: Scenario, quantity: str) -> dict[str, Any]:
    for item in scenario.record.get("statements", []):
        if item["quantity"] == quantity:
            return item
    raise AssertionError(f"no statement '{quantity}' in the scenario")


@given(parsers.parse("材料称{quantity}为{value}，是“{total}”的一部分"))
def a_part(scenario: Scenario, quantity: str, value: str, total: str) -> None:
    code = f"S{len(scenario.record.get('statements', [])) + 1}"
    part_of = _statement(scenario, total)["code"]
    scenario.add(
        "statements", {"code": code, "quantity": quantity, "value": value, "part_of": part_of}
    )


@given(parsers.parse("材料称{quantity}为{value}，按“{top}”÷“{bottom}”计算"))
def a_rate(scenario: Scenario, quantity: str, value: str, top: str, bottom: str) -> None:
    code = f"S{len(scenario.record.get('statements', [])) + 1}"
    terms = [_statement(scenario, top)["code"], _statement(scenario, bottom)["code"]]
    scenario.add(
        "statements", {"code": code, "quantity": quantity, "value": value, "rate_of": terms}
    )


@given(parsers.parse("材料称{quantity}为{value}，所列名目为“{names}”"))
def a_listed_count(scenario: Scenario, quantity: str, value: str, names: str) -> None:
    code = f"S{len(scenario.record.get('statements', [])) + 1}"
    listed = names.split("、")
    scenario.add(
        "statements", {"code": code, "quantity": quantity, "value": value, "listed": listed}
    )


@given(parsers.re(r"材料称(?P<quantity>[^，“”]+?)为(?P<value>[^，“”]+)$"))
def a_bare_statement(scenario: Scenario, quantity: str, value: str) -> None:
    code = f"S{len(scenario.record.get('statements', [])) + 1}"
    scenario.add("statements", {"code": code, "quantity": quantity, "value": value})


@given(parsers.re(r"文件“(?P<title>[^”]+)”（(?P<kind>[^）]+)）未(?P<what>签字|盖章)$"))
def a_document_lacking(scenario: Scenario, title: str, kind: str, what: str) -> None:
    code = f"DOC-{len(scenario.record.get('documents', [])) + 1}"
    field = "signed" if what == "签字" else "sealed"
    scenario.add("documents", {"code": code, "type": kind, "title": title, field: False})


@given(parsers.parse("项目的预算执行情况说明为“{note}”"))
def an_execution_note(scenario: Scenario, note: str) -> None:
    scenario.record.setdefault("project", {})["execution_note"] = note


@given(parsers.parse("报告所述预算执行率为{rate}"))
def a_stated_rate(scenario: Scenario, rate: str) -> None:
    scenario.record.setdefault("project", {})["stated_execution_rate"] = rate


@given(parsers.parse("评价结论为“{text}”"))
def a_conclusion(scenario: Scenario, text: str) -> None:
    scenario.record.setdefault("form", {})["conclusion"] = text


@given("自评表的评价结论、存在问题和改进措施栏均为空")
def blank_conclusions(scenario: Scenario) -> None:
    scenario.record.setdefault("form", {}).update(conclusion="", problems="", measures="")


@given("自评表的项目负责人和财务负责人栏均为空")
def blank_signatories(scenario: Scenario) -> None:
    scenario.record.setdefault("form", {}).update(project_lead="", finance_lead="")


@given(parsers.parse("指标“{name}”分值 {weight} 分，完成值和得分栏为空"))
def a_blank_score(scenario: Scenario, name: str, weight: str) -> None:
    for item in scenario.record.get("indicators", []):
        if item["name"] == name:
            item.update(weight=weight, score="", actual="")
            return
    raise AssertionError(f"no indicator '{name}'")


@given(
    parsers.re(
        r"(?P<level1>产出|效益|满意度)指标(（(?P<level2>[^）]+)）)?“(?P<name>[^”]+)”"
        r"指标值为“(?P<target>[^”]+)”$"
    )
)
def an_indicator_without_actual(
    scenario: Scenario, level1: str, level2: str | None, name: str, target: str
) -> None:
    _indicator(scenario, level1, level2, name, target)


@given(parsers.parse("参数 {key} 设为 {value}"))
def a_setting(scenario: Scenario, key: str, value: str) -> None:
    scenario.settings[key] = value


# 当 / 那么 ---------------------------------------------------------------------------------


@given("表中未写的栏目均为空白，各项登记完整")
def a_complete_form(scenario: Scenario) -> None:
    """The scenario describes the whole document: what it does not mention is blank or absent."""
    scenario.complete = True


def _state_the_blanks(scenario: Scenario, pack: RulePack) -> None:
    """Write every field a rule tests with ``absent`` as blank, and every register complete."""
    section_of = {kind: section for section, kind in _KIND_OF.items()}
    section_of.update({"project": "project", "form": "form"})
    for rule in pack.rules:
        for clause in rule.spec.when:
            conditions = clause.any if isinstance(clause, AnyOf) else [clause]
            for cond in conditions:
                section = section_of.get(rule.spec.subject)
                if cond.op != "absent" or section is None or cond.field.startswith("aggregates."):
                    continue
                found = scenario.record.get(section)
                items = found if isinstance(found, list) else [found] if found else []
                for item in items:
                    aliases = _aliases(rule.spec.subject, cond.field)
                    if not aliases & set(item):
                        item[cond.field] = ""
    scenario.record["coverage"] = {section: "complete" for section in REGISTERS}


def _aliases(kind: str, name: str) -> set[str]:
    info = RECORD_KINDS[kind].model_fields.get(name)
    choices = getattr(info.validation_alias, "choices", []) if info else []
    return {name, *(c for c in choices if isinstance(c, str))}


@then(parsers.parse("应列为未能核查 {rule}，涉及“{subject}”"))
def undecided(scenario: Scenario, rule: str, subject: str) -> None:
    assert scenario.result is not None
    names = [u.subject_name for u in scenario.result.undecided if u.rule == rule]
    assert subject in names, f"{rule} undecided on {names}"


@when("检查该项目")
def check(scenario: Scenario, pack: RulePack, tmp_path: Path) -> None:
    if scenario.complete:
        _state_the_blanks(scenario, pack)
    path = tmp_path / "project.yaml"
    path.write_text(yaml.safe_dump(scenario.record, allow_unicode=True), encoding="utf-8")
    [result] = Checker(pack.with_overrides(scenario.settings)).run([path]).results
    assert not result.problems, "\n".join(str(p) for p in result.problems)
    assert not result.errors, result.errors
    scenario.result = result


@then(parsers.parse("应报告问题 {rule}，涉及“{subject}”"))
def reported(scenario: Scenario, rule: str, subject: str) -> None:
    names = [f.subject.name for f in scenario.findings(rule)]
    assert subject in names, f"{rule} findings concern {names}"


@then(parsers.parse("不应报告问题 {rule}"))
def not_reported(scenario: Scenario, rule: str) -> None:
    assert scenario.findings(rule) == []


@then(parsers.parse("问题说明包含“{text}”"))
def message_contains(scenario: Scenario, text: str) -> None:
    assert scenario.result is not None
    messages = [f.message for f in scenario.result.findings]
    assert any(text in m for m in messages), messages


@then(parsers.parse("建议包含“{text}”"))
def recommendation_contains(scenario: Scenario, text: str) -> None:
    assert scenario.result is not None
    advice = [f.recommendation for f in scenario.result.findings]
    assert any(text in a for a in advice), advice
