"""`ecoplan check` for people (table, Markdown) and for programs (JSON).

Table and Markdown show, per file: the verdict, every problem (位置, 级别, 代码, 指标 年度, 说明), the
indicators that are not met / lack data / need review, and the summary line; the full attainment table is
`ecoplan assess`'s job. JSON is DESIGN.md's object plus `problems`, `file`, `verdict` and `gate`; one object for
one file, a list for several (as `assess` and `batch` do).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ecoplan.render.escape import markdown_code, markdown_text, terminal_text
from ecoplan.render.flat import MARKDOWN_HEADER, markdown_row
from ecoplan.render.labels import (
    SEVERITY_LABELS,
    STATUS_STYLE,
    VERDICT_MARK,
    VERDICT_STYLE,
    attribute_text,
    status_text,
)
from ecoplan.render.text import gap_text, shown_value
from ecoplan.report.verdict import VERDICT_LABELS, Checked, exit_code, location, row_key

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ecoplan.report.assessment import Result
    from ecoplan.report.problems import Problem



def _heading(checked: Checked) -> str:
    district = (checked.assessment.district if checked.assessment else checked.district) or {}
    who = " ".join(str(x) for x in (district.get("name"), f"{district.get('year')} 年" if district.get("year")
                                     else None) if x)
    pack = checked.pack_title or checked.pack_id
    return " · ".join(x for x in (checked.path, who, pack) if x)


def totals_line(checks: Sequence[Checked]) -> str:
    """"3 个文件：通过 1，未通过 1，有错误 1，无法读取 0（退出码 1）"."""
    verdicts = [c.verdict for c in checks]
    counts = "，".join(f"{VERDICT_LABELS[v]} {verdicts.count(v)}" for v in ("pass", "fail", "error", "unusable"))
    return f"{len(checks)} 个文件：{counts}（退出码 {exit_code(list(checks))}）"


def _flagged(checked: Checked) -> list[tuple[int, Result]]:
    if checked.assessment is None:
        return []
    return [(d, r) for d, r in checked.assessment.rows() if r.status in ("not_met", "missing", "review")]


def render_check_table(checks: Sequence[Checked], console: Console) -> None:
    """The terminal report of `ecoplan check`: per file its verdict, its problems and its flagged indicators, each
    as a table where the table fits the console and as blocks where it does not (render/terminal.fits)."""
    # lazy: rich and render.table (~45 ms) only for check's terminal table; JSON and Markdown never load them
    from rich.text import Text

    from ecoplan.render.terminal import fits, print_wrapped

    for checked in checks:
        verdict = checked.verdict
        print_wrapped(console, Text.assemble((VERDICT_LABELS[verdict], VERDICT_STYLE[verdict]), "  ",
                                             (terminal_text(_heading(checked)), "bold")), hanging=2)
        if checked.problems:
            table = _problem_table(checked)
            console.print(table) if fits(console, table) else _problem_blocks(checked, console)
        flagged = _flagged(checked)
        if flagged:
            print_wrapped(console, Text("未达标 / 缺数据 / 待核实（⛔ 计入 --fail-on）", style="bold"), hanging=2)
            table = _flagged_table(checked, flagged)
            console.print(table) if fits(console, table) else _flagged_blocks(checked, flagged, console)
        if checked.assessment is not None:
            print_wrapped(console, checked.assessment.summary.line(), hanging=2)
        console.print()
    print_wrapped(console, Text(totals_line(checks), style="bold"), hanging=2)


def _severity(problem: Problem) -> Text:
    # lazy: rich (~55 ms) only for check's terminal table; JSON and Markdown never load it
    from rich.text import Text

    return Text(SEVERITY_LABELS[problem.severity], style="red" if problem.severity == "error" else "yellow")


def _problem_table(checked: Checked) -> Table:
    # lazy: rich (~55 ms) only for check's terminal table; JSON and Markdown never load it
    from rich.table import Table

    from ecoplan.render.terminal import READABLE, Cell, whole

    table = Table(header_style="bold", show_lines=False)
    for column in ("位置", "级别", "代码", "指标 年度"):
        table.add_column(whole(column), no_wrap=True)  # whole: a heading over an empty column is never cut
    table.add_column("说明")
    for p in checked.problems:
        table.add_row(whole(terminal_text(location(p))), whole(_severity(p)), whole(p.code),
                      whole(terminal_text(row_key(p))), Cell(terminal_text(p.message, newlines=True), READABLE))
    return table


def _problem_blocks(checked: Checked, console: Console) -> None:
    # lazy: rich and render.table (~45 ms) only for check's terminal table; JSON and Markdown never load them
    from rich.text import Text

    from ecoplan.render.table import print_details  # rich, only for the terminal: JSON and Markdown never load it

    for p in checked.problems:
        head = Text.assemble(_severity(p), " ", terminal_text(location(p)), "  ", (p.code, "dim"), "  ",
                             terminal_text(row_key(p)))
        print_details(console, head, [], terminal_text(p.message, newlines=True))


def _flagged_table(checked: Checked, flagged: list[tuple[int, Result]]) -> Table:
    # lazy: rich (~55 ms) only for check's terminal table; JSON and Markdown never load it
    from rich.table import Table
    from rich.text import Text

    from ecoplan.render.terminal import READABLE, Cell, whole

    table = Table(header_style="bold")
    for column in ("序号", "指标", "属性", "状态", "指标值", "目标", "差距", "位置", "说明"):
        table.add_column(column, no_wrap=column not in ("指标值", "目标", "说明"))
    for depth, r in flagged:
        gate = " ⛔" if depth == 0 and checked.gated(r) else ""
        table.add_row(whole("" if depth else (r.seq or r.id)), whole(("  └ " if depth else "") + r.name),
                      whole("" if depth else attribute_text(r.attribute)),
                      whole(Text(status_text(r.status) + gate, style=STATUS_STYLE.get(r.status, ""))),
                      Cell(terminal_text(shown_value(r), newlines=True), READABLE), Cell(r.target, READABLE),
                      whole(gap_text(r)),
                      whole(terminal_text(r.cell or "")), Cell(terminal_text(r.reason, newlines=True), READABLE))
    return table


def _flagged_blocks(checked: Checked, flagged: list[tuple[int, Result]], console: Console) -> None:
    """assess's narrow blocks (render.table) for the flagged indicators, with their cell and the ⛔ of the gate."""
    # lazy: rich and render.table (~45 ms) only for check's terminal table; JSON and Markdown never load them
    from rich.text import Text

    from ecoplan.render.table import detail_segments, head_line, print_details  # rich: terminal only

    for depth, r in flagged:
        head = head_line(depth, r)
        if depth == 0 and checked.gated(r):
            head.append(" ⛔")
        segments = detail_segments(r) + ([Text(f"位置 {terminal_text(r.cell)}", style="dim")] if r.cell else [])
        print_details(console, head, segments, terminal_text(r.reason, newlines=True))


def render_check_markdown(checks: Sequence[Checked]) -> str:
    """A Markdown report for a pull-request comment: verdicts, problems, flagged indicators."""
    parts = [f"## ecoplan check — {totals_line(checks)}", ""]
    for checked in checks:
        verdict = checked.verdict
        parts.append(f"### {VERDICT_MARK[verdict]} {VERDICT_LABELS[verdict]}: {markdown_text(_heading(checked))}")
        parts.append("")
        if checked.assessment is not None:
            parts += [f"**{checked.assessment.summary.line()}**", ""]
        if checked.problems:
            parts += ["| 位置 | 级别 | 代码 | 指标 年度 | 说明 |", "|---|---|---|---|---|"]
            parts += [f"| {markdown_code(location(p))} | {SEVERITY_LABELS[p.severity]} | `{p.code}` | "
                      f"{markdown_text(row_key(p))} | {markdown_text(p.message)} |" for p in checked.problems]
            parts.append("")
        flagged = _flagged(checked)
        if flagged:
            parts += MARKDOWN_HEADER
            for depth, r in flagged:
                gate = " ⛔" if depth == 0 and checked.gated(r) else ""
                parts.append(markdown_row(depth, r, status_text(r.status) + gate))
            parts.append("")
    return "\n".join(parts) + "\n"


def render_check_json(checks: Sequence[Checked]) -> str:
    """One object for one file, a list for several."""
    data: object = checks[0].as_dict() if len(checks) == 1 else [c.as_dict() for c in checks]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
