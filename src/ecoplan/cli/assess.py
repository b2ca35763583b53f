"""`ecoplan assess FILE`: the attainment report for one workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from ecoplan.cli.app import FailOn, ReportFormat, app


@app.command()
def assess(
    files: list[Path] = typer.Argument(..., metavar="FILE",
                                       help="The district workbook (.xlsx); more workbooks of the same district "
                                       "add their years as history (the latest 评估年度 is assessed)."),
    pack: str | None = typer.Option(None, "--pack", "-p", help="Rule pack id (default: the workbook's 指标体系)."),
    year: int | None = typer.Option(None, "--year", "-y", help="Year to assess (default: the workbook's 评估年度)."),
    fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when indicators of this kind are unmet."),
    strict: bool = typer.Option(False, "--strict", help="Report 未下达/未考核/assertions/estimates as 待核实 "
                                "instead of the pack's convention."),
) -> None:
    """Assess one workbook: status, value, target, gap and reason for every indicator.

    Several workbooks of one district are read as one time series: `ecoplan assess yubei-2022.xlsx
    yubei-2023.xlsx` assesses 2023 with 2022's rows as history (for trends and progress toward targets)."""
    from ecoplan.cli.assessing import run_assess

    code = run_assess(files, pack, year, fmt.value, output, fail_on.value, strict)
    if code:
        raise typer.Exit(code)
