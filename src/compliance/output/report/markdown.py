"""Markdown: exactly what ``check --format markdown`` writes, with the score added.

Why reuse the check's renderer unchanged: the findings and recommendations must
read the same in both commands; the report only puts the score and grade at the
top and the score table with its reasons at the end.
"""

from __future__ import annotations

from compliance.output.markdown import render_markdown
from compliance.output.report.model import ProjectReport, Report, share
from compliance.scoring.arith import pts


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _headline(project: ProjectReport) -> str:
    card = project.card
    name = project.info.name if project.info else project.result.origin
    if card is None:
        return f"- {name}：记录有误，未能评分"
    return (
        f"- {name}：综合得分 **{pts(card.total)}** 分（满分{pts(card.full)}），"
        f"评价等级 **{card.grade}**（{card.profile}）"
    )


def _table(project: ProjectReport) -> list[str]:
    card = project.card
    if card is None or project.info is None:
        return []
    lines = [
        f"## 评分表：{project.info.name}",
        "",
        f"评分方案：{card.profile}（`{card.profile_file}`）",
        "",
        "| 一级指标 | 二级指标 | 三级指标 | 分值 | 得分 | 得分率 | 理由 |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for line in card.lines:
        reasons = "<br>".join(_cell(r) for r in line.reasons)
        lines.append(
            f"| {line.level1} | {line.level2} | {line.name} | {pts(line.weight)} | "
            f"{pts(line.score)} | {share(line.score, line.weight)} | {reasons} |"
        )
        for child in line.children:
            claimed = "" if child.claimed is None else f"（自评{pts(child.claimed)}）"
            lines.append(
                f"| | {child.level2} | {child.code} {child.name} | {pts(child.weight)} | "
                f"{pts(child.score)}{claimed} | {share(child.score, child.weight)} | "
                f"{'<br>'.join(_cell(r) for r in child.reasons)} |"
            )
    lines.append(
        f"| **合计** | | | {pts(card.full)} | **{pts(card.total)}** | "
        f"{share(card.total, card.full)} | 等级：{card.grade} |"
    )
    lines.append("")
    if card.gaps:
        lines.append(f"记录缺少评分所需数据，相应{pts(card.gap_weight)}分按0分计：")
        lines.append("")
        lines.extend(f"- {gap}" for gap in card.gaps)
        lines.append("")
    if card.checks:
        lines.append("自评得分核对：")
        lines.append("")
        lines.extend(f"- {check.message}" for check in card.checks)
        lines.append("")
    return lines


def render_report_markdown(report: Report) -> str:
    """The check's Markdown with a score summary first and the score tables last."""
    check = render_markdown(report.run).splitlines()
    head, rest = check[:2], check[2:]
    summary = ["## 评价得分", "", *(_headline(p) for p in report.projects), ""]
    tables = [line for p in report.projects for line in _table(p)]
    return "\n".join([*head, *summary, *rest, "", *tables]).rstrip() + "\n"
