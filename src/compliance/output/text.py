"""Readable text, grouped like a report's 主要问题 and 相关建议."""

from __future__ import annotations

from compliance.checking.checker import CheckRun, ProjectResult
from compliance.output.common import (
    by_category,
    chinese_number,
    heading,
    numbers,
    subjects_in_words,
    undecided_by_rule,
)
from compliance.review import wording


def project_lines(result: ProjectResult) -> list[str]:
    """One project's block of lines."""
    lines: list[str] = []
    info = result.project.info if result.project else None
    title = heading(info) if info else result.origin
    lines.append(f"项目：{title}")
    lines.append(f"记录：{result.origin}")
    if result.problems:
        lines.append("无法检查：记录有误（见错误输出）")
        return lines
    lines.append("")
    counts = wording.counts(result.review, result.findings)
    lines.append(
        f"主要问题（{len(result.findings)}项{'，' + counts if counts else ''}）"
        if result.findings
        else "主要问题：未发现问题" + (f"（{counts}）" if counts else "")
    )
    for index, (category, findings) in enumerate(by_category(result.findings), start=1):
        lines.append(f"（{chinese_number(index)}）{category}")
        for f in findings:
            tag = wording.tag(result.review, f)
            lines.append(f"  {f.number}. [{f.rule} {f.severity.label}] {f.title}{tag}")
            lines.append(f"     {f.message}")
            note = wording.waiver_note(result.review, f)
            if note:
                lines.append(f"     {note}")
            evidence = "；".join(f"{e.label}：{e.value}" for e in f.evidence)
            if evidence:
                lines.append(f"     证据：{evidence}")
            if f.location:
                lines.append(
                    f"     位置：{f.location}" + (f"（资料来源：{f.source}）" if f.source else "")
                )
            lines.append(f"     框架：{f.framework}")
            lines.append(f"     依据：{'；'.join(f.references)}")
    if result.recommendations:
        lines.append("")
        lines.append("相关建议")
        for index, group in enumerate(result.recommendations, start=1):
            lines.append(
                f"（{chinese_number(index)}）{group.title}（针对问题 {numbers(group.findings)}）"
            )
            lines.append(f"  {group.text}")
            for advice in group.advice:
                lines.append(f"  - {advice.text}（问题 {numbers(advice.findings)}）")
    undecided = undecided_by_rule(result)
    if undecided:
        lines.append("")
        lines.append(f"未能核查（{len(result.undecided)}项，记录未载明所需数据，不作为问题）")
        for rule, title, names, needs in undecided:
            lines.append(f"  [{rule}] {title}：{subjects_in_words(names)}")
            lines.append(f"     需要：{'；'.join(needs)}")
    lines.extend(wording.review_lines(result.review))
    for error in result.errors:
        lines.append(f"内部错误：{error}")
    return lines


def render_text(run: CheckRun) -> str:
    """The whole run as text; projects separated by a rule line."""
    from compliance.output.stream import render

    return render("text", run.results, len(run.pack.rules), run.rule_errors, review=run.review)
