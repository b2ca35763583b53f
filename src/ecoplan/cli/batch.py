"""`ecoplan batch FILE_OR_DIR...`: score many district workbooks and compare them side by side.

Exit codes: 0 every workbook was scored (and the `--fail-on` gate passed); 1 at least one workbook could not be
scored (it is listed with its error; the others are scored all the same) or a district failed the gate;
2 nothing usable: no workbook found, none could be scored, an unknown --pack, or bad usage.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ecoplan.cli.app import FailOn, ReportFormat, app


@app.command()
def batch(
    paths: list[Path] = typer.Argument(..., help="Workbooks (.xlsx) and directories (searched recursively)."),
    pack: str | None = typer.Option(None, "--pack", "-p", help="Rule pack id for every workbook "
                                       "(default: each workbook's 指标体系)."),
    fmt: ReportFormat | None = typer.Option(None, "--format", "-f", help="Output format (default: table; xlsx "
                                              "when -o ends in .xlsx)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", help="Parallel processes (default: the CPU count)."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when a district has unmet indicators "
                                   "of this kind."),
    strict: bool = typer.Option(False, "--strict", help="Report 未下达/未考核/assertions/estimates as 待核实."),
) -> None:
    """Score every workbook against its pack: ranking, districts × indicators matrix, most-failed indicators."""
    from ecoplan.cli.batching import run_batch

    code = run_batch(paths, pack, fmt.value if fmt is not None else None, output, jobs, fail_on.value, strict)
    if code:
        raise typer.Exit(code)
