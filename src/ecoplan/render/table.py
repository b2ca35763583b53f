"""The terminal report: a rich table grouped by 领域, sub-items indented, status in colour and in words."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ecoplan.render.text import STATUS_STYLE, attribute_text, gap_text, status_text, value_text
from ecoplan.report import Assessment


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
    domain = None
    for depth, result in assessment.rows():
        if depth == 0 and result.domain and result.domain != domain:
            domain = result.domain
            table.add_section()
            table.add_row("", Text(domain, style="bold cyan"), "", "", "", "", "", "")
        style = STATUS_STYLE.get(result.status, "")
        name = ("  └ " if depth else "") + result.name
        table.add_row(
            result.seq or result.id if depth == 0 else "",
            Text(name, style="" if depth else "bold"),
            attribute_text(result.attribute) if depth == 0 else "",
            Text(status_text(result.status), style=style),
            value_text(result),
            result.target,
            Text(gap_text(result), style="red" if (result.gap or 0) < 0 and result.status == "not_met" else ""),
            result.reason,
        )
    console.print(table)
    summary = assessment.summary
    colour = "red" if summary.not_met else "green"
    console.print(Text(summary.line(), style=f"bold {colour}"))
