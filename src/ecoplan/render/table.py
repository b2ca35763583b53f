"""The terminal report: a rich table grouped by 领域, sub-items indented, status in colour and in words."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ecoplan.evaluate.progress import PROGRESS_ARROWS, PROGRESS_LABELS, summarize_progress
from ecoplan.render.text import STATUS_STYLE, attribute_text, gap_text, shown_value, status_text
from ecoplan.report.assessment import Assessment


def render_table(assessment: Assessment, console: Console) -> None:
    """Print the attainment table and the one-line summary."""
    district = assessment.district
    title = f"{district['name']} {assessment.year} 年 · {assessment.pack['title'] or assessment.pack['id']}"
    table = Table(title=title, title_style="bold", show_lines=False, header_style="bold", expand=False)
    table.add_column("序号", no_wrap=True)
    table.add_column("指标", overflow="fold", max_width=28)
    table.add_column("属性", no_wrap=True)
    table.add_column("状态", no_wrap=True)
    table.add_column("指标值", overflow="fold", max_width=30)
    table.add_column("目标", overflow="fold", max_width=26)
    table.add_column("差距", justify="right", no_wrap=True)
    table.add_column("说明", overflow="fold", max_width=40)
    # The progress column appears only when the pack has later-year targets (a plan pack such as yubei-2023-2030).
    with_progress = any(r.progress for _, r in assessment.rows())
    if with_progress:
        table.add_column("进度", no_wrap=True)
    domain = None
    for depth, result in assessment.rows():
        if depth == 0 and result.domain and result.domain != domain:
            domain = result.domain
            table.add_section()
            table.add_row("", Text(domain, style="bold cyan"), *[""] * (len(table.columns) - 2))
        style = STATUS_STYLE.get(result.status, "")
        name = ("  └ " if depth else "") + result.name
        extra = [progress_text(result.progress)] if with_progress else []
        table.add_row(
            result.seq or result.id if depth == 0 else "",
            Text(name, style="" if depth else "bold"),
            attribute_text(result.attribute) if depth == 0 else "",
            Text(status_text(result.status), style=style),
            shown_value(result),
            result.target,
            Text(gap_text(result), style="red" if (result.gap or 0) < 0 and result.status == "not_met" else ""),
            result.reason,
            *extra,
        )
    console.print(table)
    if with_progress:
        console.print(progress_legend(assessment))
    summary = assessment.summary
    colour = "red" if summary.not_met else "green"
    console.print(Text(summary.line(), style=f"bold {colour}"))  # last, where the eye lands


PROGRESS_STYLE = {"achieved": "green", "on_track": "green", "accelerate": "yellow", "reverse": "bold red",
                  "insufficient_data": "dim"}


def progress_text(entries: list[dict[str, Any]] | None) -> Text:
    """One arrow per target year: "↑2025 ↗2030" (✓ achieved, ↑ on track, ↗ accelerate, ↓ reverse, · no data)."""
    text = Text()
    for entry in entries or []:
        if text:
            text.append(" ")
        text.append(f"{PROGRESS_ARROWS[entry['status']]}{entry['target_year']}",
                    style=PROGRESS_STYLE.get(entry["status"], ""))
    return text


def progress_legend(assessment: Assessment) -> Text:
    """The counts by target year and the legend: "2025 年目标：✓已达成 30 ↑按进度 1 ↗需加快 4 ↓需扭转 2 ·数据不足 1"."""
    counts = summarize_progress(e for _, r in assessment.rows() for e in (r.progress or []))
    text = Text()
    for target_year, row in counts.items():
        text.append(f"{target_year} 年目标：")
        for status, count in row.items():
            if not count:
                continue
            text.append(f"{PROGRESS_ARROWS[status]}{PROGRESS_LABELS[status]} {count}  ", style=PROGRESS_STYLE[status])
        text.append("\n")
    return text
