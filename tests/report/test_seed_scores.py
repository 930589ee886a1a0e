"""The seed case's score, line by line, against numbers derived by hand from the seed report.

Derivation (seed report 000_a4156181bdd6bd7b.txt, third-party profile profiles/third_party.yaml;
a finding costs the points the profile sets for its rule):

决策 (20)
  A11 立项依据充分性 3: no finding about the basis (一(一)1 cites two policy documents)      → 3
  A12 立项程序规范性 4: 三(一)1 "未见…可行性研究、市场调研" and no 前期论证:
      PA01 −1, PA02 −0.5, PA03 −0.5; 事前绩效评估, 集体决策 and 风险评估 are not mentioned by
      the report, so PA04–PA06 are 未能核查 (unknown is not absent), not deducted        → 2
  A21 绩效目标合理性 4: 三(一)2 云虚拟机 ≥1200台 vs 1640台, 云存储 ≥600T vs 772T: TG01 ×2 × 0.5;
      表1-3 政府网站排名 "全国前五名" is no target the money can reach alone (TG14, low: −0.25) → 2.75
  A22 绩效指标明确性 4: two indicators with the same content (TG03 −0.25); 表1-3 成本指标 "——"
      (TG04 −0.5); too many O&M indicators (TG05 −0.5)                                    → 2.75
  A31 预算编制科学性 3, A32 资金分配合理性 2: no finding                                    → 3, 2
过程 (20)
  B11 资金到位率 2: the report states 批复预算 4600.00 but no funds-arrived figure         → 0 (gap)
  B12 预算执行率 4: 4495.10 ÷ 4600.00 = 97.7196 % × 4 = 3.9088 → 3.91; 表1-2 #12 132.27/155.20
      = 85.23 % and #14 5.10/17.00 = 30.00 % completed without a reason: FN04 ×2 × 0.5 = 1;
      FN02 (1087.81 vs 1087.80 tail difference) costs 0                                   → 2.91
  B13 资金使用合规性 4: 表1-2 #10 20.71万元 transferred (FN05 未能核查: the adjustments on
      record are reconstructed, not complete); vouchers without business approval
      (PM03 ×2 × 0.5 = 1)                                                                 → 3
  B21 管理制度健全性 4: 三(二) no project rules, financial (PM01) and business (PM02) × 0.5  → 3
  B22 制度执行有效性 6: acceptance forms without a date (PM04 ×2 × 0.25 = 0.5); adjustments
      without approval (PM05 ×5 × 1 = 5, capped at 3)                                     → 2.5
产出 (30)
  C11 实际完成率 10: 19 of 23 sub-projects completed (表1-1), 19/23 = 82.61 % × 10 = 8.26;
      1550TB (表1-1 #23) vs 772T (三(一)2) disagree: DQ01 −0.5                             → 7.76
  C21 质量达标率 8: the 19 completed sub-projects all "验收合格" (表1-1)                   → 8
  C31 完成及时性 6: all 19 started sub-projects completed by 2020-12-31                    → 6
  C41 成本控制 6: no sub-project spent above its budget (表1-2)                            → 6
效益 (30)
  D11 实施效益 20: 表1-3's four benefit indicators have no actual value in the report      → 0 (gaps)
  D21 服务对象满意度 10: only the evaluator's survey, without a figure; SA01, SA02          → 0 (gap)
Total 15.5 + 11.41 + 27.76 + 0 = 54.67 → 差 (< 60).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from compliance.output.report import Report
from compliance.scoring import Scorecard

EXPECTED = {
    "A11": ("3", "3"),
    "A12": ("4", "2"),
    "A21": ("4", "2.75"),
    "A22": ("4", "2.75"),
    "A31": ("3", "3"),
    "A32": ("2", "2"),
    "B11": ("2", "0"),
    "B12": ("4", "2.91"),
    "B13": ("4", "3"),
    "B21": ("4", "3"),
    "B22": ("6", "2.5"),
    "C11": ("10", "7.76"),
    "C21": ("8", "8"),
    "C31": ("6", "6"),
    "C41": ("6", "6"),
    "D11": ("20", "0"),
    "D21": ("10", "0"),
}
REASON_NUMBERS = {
    "A12": ["PA01", "PA02", "PA03", "4 − 2 = 2"],
    "A21": ["TG01", "云虚拟机采购数", "云存储采购数", "TG14", "4 − 1.25 = 2.75"],
    "A22": ["TG03", "TG04", "TG05", "4 − 1.25 = 2.75"],
    "B11": ["未给出到位资金数"],
    "B12": ["4,495.10万元", "4,600.00万元", "97.72%", "= 3.91", "FN04", "FN02", "3.91 − 1 = 2.91"],
    "B13": ["PM03", "4 − 1 = 3"],
    "B21": ["PM01", "PM02"],
    "B22": ["PM04", "PM05", "5项 × 1分，该条最多扣3分", "6 − 3.5 = 2.5"],
    "C11": ["19 ÷ 23 = 82.61%", "第9、13、16、21项", "= 8.26", "DQ01", "8.26 − 0.5 = 7.76"],
    "C21": ["19 ÷ 19 = 100.00%"],
    "C31": ["19 ÷ 19 = 100.00%"],
    "C41": ["23 ÷ 23 = 100.00%"],
    "D21": ["未给出满意度数值", "SA01", "SA02"],
}


@pytest.fixture(scope="module")
def card(seed_report: Report) -> Scorecard:
    [project] = seed_report.projects
    assert project.card is not None
    return project.card


def test_each_line_has_the_hand_derived_score(card: Scorecard) -> None:
    got = {line.code: (line.weight, line.score) for line in card.lines}
    assert list(got) == list(EXPECTED)
    for code, (weight, score) in EXPECTED.items():
        assert got[code] == (Decimal(weight), Decimal(score)), code


def test_total_and_grade(card: Scorecard) -> None:
    assert card.total == Decimal("54.67")
    assert card.grade == "差"
    assert card.full == 100
    assert card.total == sum(line.score for line in card.lines)
    assert [(name, float(s)) for name, _, s in card.by_level1] == [
        ("决策", 15.5),
        ("过程", 11.41),
        ("产出", 27.76),
        ("效益", 0.0),
    ]


@pytest.mark.parametrize("code", sorted(REASON_NUMBERS))
def test_reasons_name_the_numbers_and_findings_used(card: Scorecard, code: str) -> None:
    [line] = [line for line in card.lines if line.code == code]
    reasons = "\n".join(line.reasons)
    for needle in REASON_NUMBERS[code]:
        assert needle in reasons, (code, needle, reasons)


def test_findings_behind_deductions_are_numbered(card: Scorecard, seed_report: Report) -> None:
    findings = {f.number: f for f in seed_report.projects[0].result.findings}
    [a12] = [line for line in card.lines if line.code == "A12"]
    assert sorted(findings[n].rule for n in a12.findings) == ["PA01", "PA02", "PA03"]
    [b22] = [line for line in card.lines if line.code == "B22"]
    assert sorted({findings[n].rule for n in b22.findings}) == ["PM04", "PM05"]


def test_every_line_has_a_reason(card: Scorecard) -> None:
    for leaf in card.leaves:
        assert leaf.reasons, leaf.code


def test_missing_data_is_scored_zero_and_listed(card: Scorecard) -> None:
    assert card.gap_weight == Decimal(32)  # 资金到位率 2 + 4 benefit indicators × 5 + 满意度 10
    assert len(card.gaps) == 6
    [d11] = [line for line in card.lines if line.code == "D11"]
    assert [c.code for c in d11.children] == ["I13", "I14", "I15", "I16"]
    assert all(c.weight == 5 and c.score == 0 for c in d11.children)
    assert all("未填实际完成值" in c.reasons[0] for c in d11.children)


def test_the_third_party_case_has_no_claimed_scores_to_check(card: Scorecard) -> None:
    assert card.checks == []


def test_every_seed_finding_is_deducted_somewhere(card: Scorecard) -> None:
    assert card.unscored == []
