"""Markdown: the same sections as the text output, for pasting into a report."""

from __future__ import annotations

from compliance.checking.checker import CheckRun, ProjectResult
from compliance.checking.status import RESOLVED_LABEL
from compliance.output.common import (
    by_category,
    chinese_number,
    heading,
    numbers,
    subjects_in_words,
    undecided_by_rule,
)
from compliance.review import wording


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def project_lines(result: ProjectResult) -> list[str]:
    """One project's section."""
    info = result.project.info if result.project else None
    lines = [
        f"## {heading(info)}" if info else f"## {result.origin}",
        "",
    ]
    lines.append(f"记录：`{result.origin}`")
    lines.append("")
    if result.problems:
        lines.append("记录有误，未能检查：")
        lines.extend(f"- `{p}`" for p in result.problems)
        return lines
    counts = wording.counts(result.review, result.findings)
    lines.append(f"### 主要问题（{len(result.findings)}项{'，' + counts if counts else ''}）")
    lines.append("")
    for index, (category, findings) in enumerate(by_category(result.findings), start=1):
        lines.append(f"#### （{chinese_number(index)}）{category}")
        lines.append("")
        for f in findings:
            tag = wording.tag(result.review, f)
            lines.append(
                f"{f.number}. **{f.title}**{tag}（{f.rule}，{f.severity.label}）：{f.message}"
            )
            lines.append("")
            note = wording.waiver_note(result.review, f)
            if note:
                lines.append(f"   > {note}")
                lines.append("")
            lines.append("   | 证据 | 值 |")
            lines.append("   |---|---|")
            lines.extend(f"   | {_cell(e.label)} | {_cell(e.value)} |" for e in f.evidence)
            lines.append("")
            where = f"`{f.location}`" if f.location else "—"
            lines.append(f"   位置：{where}；框架：{f.framework}；依据：{'；'.join(f.references)}")
            lines.append("")
    if result.recommendations:
        lines.append("### 相关建议")
        lines.append("")
        for index, group in enumerate(result.recommendations, start=1):
            lines.append(f"#### （{chinese_number(index)}）{group.title}")
            lines.append("")
            lines.append(group.text)
            lines.append("")
            lines.extend(f"- {a.text}（针对问题 {numbers(a.findings)}）" for a in group.advice)
            lines.append("")
    undecided = undecided_by_rule(result)
    if undecided:
        lines.extend(["", f"### 未能核查（{len(result.undecided)}项）", ""])
        lines.append("记录未载明判断所需的数据，以下规则既未触发也未通过，不作为问题。")
        lines.extend(["", "| 规则 | 名称 | 对象 | 需要 |", "|---|---|---|---|"])
        for rule, title, names, needs in undecided:
            lines.append(
                f"| {rule} | {_cell(title)} | {_cell(subjects_in_words(names))} "
                f"| {_cell('；'.join(needs))} |"
            )
    review = result.review
    if review and review.resolved:
        lines.append(f"### {RESOLVED_LABEL}（基线中有、本次未发现，{len(review.resolved)}项）")
        lines.append("")
        lines.extend(f"- **{r.title}**（{r.rule}）：{r.subject['name']}" for r in review.resolved)
        lines.append("")
    if review and review.unused:
        lines.append("未匹配任何问题的说明：")
        lines.extend(
            f"- {w.waiver.rule} `{w.waiver.subject}`（`{w.where()}`）" for w in review.unused
        )
        lines.append("")
    lines.extend(f"> 内部错误：{e}" for e in result.errors)
    return lines


def render_markdown(run: CheckRun) -> str:
    """The whole run as one Markdown document."""
    from compliance.output.stream import render

    return render("markdown", run.results, len(run.pack.rules), run.rule_errors, review=run.review)
