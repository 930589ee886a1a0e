"""``explain`` agrees with the engine on every subject of every example and case."""

from __future__ import annotations

import pytest

from compliance.checking.explain import Explainer
from compliance.records.loading import build_project, load_project
from compliance.rules.examples import Example, all_examples
from compliance.rules.pack import RulePack
from tests.conftest import CASES, CliRun, bundled_pack

PACK = bundled_pack()
EXAMPLES, _ = all_examples(PACK)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.test_id for e in EXAMPLES])
def test_explanation_agrees_with_the_engine_on_examples(example: Example) -> None:
    pack = PACK.with_overrides(
        {
            f"{example.rule}.{k}": str(v).lower() if isinstance(v, bool) else str(v)
            for k, v in example.spec.params.items()
        }
    )
    project = build_project(example.data, example.locate, example.test_id)
    for item in Explainer(pack, pack.by_id()[example.rule], project).subjects():
        assert item.expected == (item.finding is not None), (item.record.key, item.checks)


def test_explanation_agrees_with_the_engine_on_the_seed_case(pack: RulePack) -> None:
    project = load_project(CASES / "qingdao-egov-2020")
    for rule in pack.rules:
        for item in Explainer(pack, rule, project).subjects():
            assert item.expected == (item.finding is not None), (rule.id, item.record.key)


def test_explain_shows_why_cloud_storage_fired(cli: CliRun) -> None:
    code, out, _ = cli("explain", "TG01", "cases/qingdao-egov-2020", "--subject", "I03")
    assert code == 0
    assert "✓ 偏离度（%）大于参数 tolerance_pct（20）" in out
    assert "值：28.67；比较对象：20" in out
    assert "→ 触发：指标“云存储采购数”指标值为“≥600T”，实际完成“772T”，超出28.67%" in out


def test_explain_shows_why_a_rule_stayed_silent(cli: CliRun) -> None:
    code, out, _ = cli("explain", "TG01", "cases/qingdao-egov-2020", "--subject", "I01")
    assert code == 0
    assert "✗ 偏离度（%）大于参数 tolerance_pct（20）" in out
    assert "→ 未触发（条件 3、4 不成立）" in out


def test_explain_unknown_subject(cli: CliRun) -> None:
    code, _, err = cli("explain", "TG01", "cases/qingdao-egov-2020", "--subject", "I99")
    assert code == 2
    assert err.startswith("error: no indicator 'I99' in cases/qingdao-egov-2020; keys: I01, I02")
