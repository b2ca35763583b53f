"""The terminal report: the full table when the terminal is wide, one block per indicator when it is narrow.

Both layouts keep every indicator's name whole on one line, never print a line wider than the console, and end
with the summary line (where the eye lands). The block layout (made for 80 columns):

      4 未达标 环境空气质量  约束性
              优良天数比率、PM2.5浓度未达标
      └ 未达标 优良天数比率
              300天（任务 327天）；优良天数比率 82.2% →
              完成上级规定的考核任务，且≥90或持续提高
              差距 −5.7 %   规划目标 ↓2025 ↓2030
              300天 对任务 327天：未完成；82.2% 未达到 ≥90；82.2%（2022年
              87.9%）不满足持续提高

The table is chosen when it fits (render/terminal.fits): its whole columns (序号, the longest name, 属性, 状态,
差距, 规划进度) and the three text columns (指标值, 目标, 说明) at a readable width.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ecoplan.evaluate.progress import summarize_progress
from ecoplan.render.escape import terminal_text
from ecoplan.render.labels import (
    PROGRESS_ARROWS,
    PROGRESS_LABELS,
    PROGRESS_STYLE,
    STATUS_STYLE,
    attribute_text,
    status_text,
)
from ecoplan.render.terminal import READABLE, Cell, cells, fits, print_wrapped, whole
from ecoplan.render.text import gap_text, shown_value
from ecoplan.report.assessment import Assessment, Result

_SUB = "  └ "
_STATUS_CELLS = max(cell_len(status_text(s)) for s in STATUS_STYLE)
DETAIL_INDENT = 9
MIN_BESIDE = 30
"""Cells that must be left after the name column for details to go beside the names (not at 80 columns)."""


def render_table(assessment: Assessment, console: Console) -> None:
    """Print the assessment for people: each part of the pack (the table first) under its heading, as a table when
    the whole table fits the console and as blocks when it does not, a part outside the headline with its own
    tally; then the progress counts and the summary line."""
    print_wrapped(console, Text(terminal_text(title_line(assessment)), style="bold"), hanging=2)
    wide = fits(console, attainment_table(assessment))  # one layout for every part
    for number, part in enumerate(assessment.parts):
        if number:
            console.print()
        print_wrapped(console, Text(part.heading, style="bold"), hanging=2)
        table = attainment_table(assessment, part.rows()) if wide else None
        if table is not None and fits(console, table):
            console.print(table)
        else:
            print_blocks(assessment, console, part.rows())
        if not part.headline:
            print_wrapped(console, Text(part.summary.line(), style="red" if part.summary.not_met else "green"),
                          hanging=2)
    legend = progress_legend(assessment)
    if legend:
        console.print()
        print_wrapped(console, legend, hanging=2)
    summary = assessment.summary
    print_wrapped(console, Text(summary.line(), style=f"bold {'red' if summary.not_met else 'green'}"), hanging=2)


def title_line(assessment: Assessment) -> str:
    """"渝北区 2023 年 · <pack title>"."""
    return f"{assessment.district['name']} {assessment.year} 年 · {assessment.pack['title'] or assessment.pack['id']}"


def _with_progress(assessment: Assessment) -> bool:
    # The progress column appears only when the pack has later-year targets (a plan pack such as yubei-2023-2030).
    return any(r.progress for _, r in assessment.rows())


def attainment_table(assessment: Assessment, rows: Sequence[tuple[int, Result]] | None = None) -> Table:
    """The full table: 序号 | 指标 | 属性 | 状态 | 指标值 | 目标 | 差距 | 说明 [| 规划进度], grouped by 领域; names,
    gaps and progress marks whole, the text columns wrapped by the rule and at least READABLE wide. `rows`
    (default: every row) are one part's."""
    table = Table(show_lines=False, header_style="bold", expand=False)
    for column in ("序号", "指标", "属性", "状态"):
        table.add_column(column, no_wrap=True)
    table.add_column("指标值")
    table.add_column("目标")
    table.add_column("差距", justify="right", no_wrap=True)
    table.add_column("说明")
    with_progress = _with_progress(assessment)
    if with_progress:
        table.add_column("规划进度", no_wrap=True)
    domain = None
    for depth, result in assessment.rows() if rows is None else rows:
        if depth == 0 and result.domain and result.domain != domain:
            domain = result.domain
            table.add_section()
            table.add_row("", whole(Text(domain, style="bold cyan")), *[""] * (len(table.columns) - 2))
        extra = [whole(progress_marks(result.progress))] if with_progress else []
        table.add_row(
            whole(result.seq or result.id if depth == 0 else ""),
            whole(Text((_SUB if depth else "") + result.name, style="" if depth else "bold")),
            whole(attribute_text(result.attribute) if depth == 0 else ""),
            whole(Text(status_text(result.status), style=STATUS_STYLE.get(result.status, ""))),
            *cells((terminal_text(shown_value(result), newlines=True), result.target), READABLE),
            whole(Text(gap_text(result), style=_gap_style(result))),
            Cell(terminal_text(result.reason, newlines=True), READABLE),
            *extra,
        )
    return table


def print_blocks(assessment: Assessment, console: Console,
                 rows: Sequence[tuple[int, Result]] | None = None) -> None:
    """The narrow layout: per 领域 a heading; per indicator its status and name on one line, then value → target,
    gap and progress, then the reason, each indented and wrapped to the console. Where the console leaves room
    after the longest name (about 120 columns), the details that fit go on the name's line, aligned in a column.
    `rows` (default: every row) are one part's."""
    domain = None
    rows = assessment.rows() if rows is None else rows
    column = max(cell_len(head_line(d, r).plain) for d, r in assessment.rows()) + 3
    for depth, result in rows:
        if depth == 0 and result.domain and result.domain != domain:
            domain = result.domain
            console.print()
            print_wrapped(console, Text(f"■ {domain}", style="bold cyan"), hanging=2)
        head = head_line(depth, result)
        segments = detail_segments(result)
        beside = console.width - column
        taken = fitting(segments, beside) if beside >= MIN_BESIDE else 0
        if taken:  # as many whole segments as fit go beside the name, in the column
            head.append(" " * (column - cell_len(head.plain))).append_text(pack_segments(segments[:taken], beside)[0])
            segments = segments[taken:]
        print_details(console, head, segments, terminal_text(result.reason, newlines=True),
                      dim_reason=result.status == "met")


def print_details(console: Console, head: Text, segments: Sequence[Text], reason: str = "", *,
                  dim_reason: bool = False) -> None:
    """A block: its head line, then the detail segments packed on lines and the reason, DETAIL_INDENT in, all
    wrapped by the rule (render/wrap.py)."""
    print_wrapped(console, head, hanging=DETAIL_INDENT)
    for line in pack_segments(segments, max(20, console.width - DETAIL_INDENT)):
        print_wrapped(console, line, indent=DETAIL_INDENT)
    if reason:
        print_wrapped(console, Text(reason, style="dim" if dim_reason else ""), indent=DETAIL_INDENT)


def head_line(depth: int, result: Result) -> Text:
    """"  4 未达标 环境空气质量  约束性" (an indicator) or "  └ 达标   城市生活污水集中收集率" (a sub-item)."""
    word = status_text(result.status)
    text = Text(f"{result.seq or result.id:>3} " if depth == 0 else _SUB)
    text.append(word + " " * (_STATUS_CELLS - cell_len(word)), style=STATUS_STYLE.get(result.status, ""))
    text.append(" ")
    text.append(result.name, style="bold" if depth == 0 else "")
    attribute = attribute_text(result.attribute) if depth == 0 else ""
    if attribute:
        text.append(f"  {attribute}", style="dim")
    return text


def detail_segments(result: Result) -> list[Text]:
    """The pieces of the detail line, each kept whole where it fits: "≥25 → ≥20", "差距 +5 %", "规划目标 ✓2025 ✓2030";
    a group whose value is its items has none."""
    segments = []
    value = shown_value(result)
    if value:
        segments.append(Text(f"{terminal_text(value, newlines=True)} → {result.target}"))
    gap = gap_text(result)
    if gap:
        segments.append(Text("差距 ").append(gap, style=_gap_style(result)))
    if result.progress:
        segments.append(Text("规划目标 ").append_text(progress_marks(result.progress)))  # not the verdict: the plan
    return segments


def fitting(segments: Sequence[Text], room: int, separator: str = "   ") -> int:
    """How many leading segments fit whole on one line of `room` cells."""
    used, count = -len(separator), 0
    for segment in segments:
        used += len(separator) + cell_len(segment.plain)
        if used > room:
            break
        count += 1
    return count


def pack_segments(segments: Sequence[Text], room: int, separator: str = "   ") -> list[Text]:
    """Segments joined on lines of at most `room` cells, a segment never split unless it alone is too long (then
    `print_wrapped` wraps it by the rule)."""
    lines: list[Text] = []
    for segment in segments:
        if lines and cell_len(lines[-1].plain) + len(separator) + cell_len(segment.plain) <= room:
            lines[-1].append(separator).append_text(segment)
        else:
            lines.append(segment.copy())
    return lines


def _gap_style(result: Result) -> str:
    return "red" if (result.gap or 0) < 0 and result.status == "not_met" else ""


def progress_marks(entries: Sequence[Mapping[str, Any]] | None) -> Text:
    """One arrow per target year: "↑2025 ↗2030" (✓ achieved, ↑ on track, ↗ accelerate, ↓ reverse, · no data)."""
    text = Text()
    for entry in entries or []:
        if text:
            text.append(" ")
        text.append(f"{PROGRESS_ARROWS[entry['status']]}{entry['target_year']}",
                    style=PROGRESS_STYLE.get(entry["status"], ""))
    return text


def progress_legend(assessment: Assessment) -> Text:
    """The progress counts by target year, saying what they count (sub-items, not the headline's indicators):
    "2025 年目标（42 个分项）：✓已达成 35 ↑按进度 1 ↗需加快 4 ↓需扭转 2"."""
    counts = summarize_progress(e for _, r in assessment.rows() for e in (r.progress or []))
    text = Text()
    for target_year, row in counts.items():
        if text:
            text.append("\n")
        text.append(f"{target_year} 年目标（{sum(row.values())} 个分项）：")
        shown = [(status, count) for status, count in row.items() if count]
        for i, (status, count) in enumerate(shown):
            text.append(f"{PROGRESS_ARROWS[status]}{PROGRESS_LABELS[status]} {count}", style=PROGRESS_STYLE[status])
            if i < len(shown) - 1:
                text.append(" ")
    return text
