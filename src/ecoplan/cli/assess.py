"""`ecoplan assess FILE...`: the attainment report of one workbook (or of one district's series of workbooks)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.cli.options import AssessFormat, FailOn

if TYPE_CHECKING:
    from ecoplan.report.assessment import Assessment


def run(files: Sequence[Path], pack: str | None, year: int | None, fmt: str | None, output: Path | None,
        fail_on: str, strict: bool) -> int:
    """Assess, render, and return the exit code: 0, or 1 when the `--fail-on` gate fails. Raises InputError."""
    from ecoplan.cli.options import choose_format
    from ecoplan.render.emit import emit_assessment
    from ecoplan.report.verdict import gate_failed, nothing_evaluated
    from ecoplan.run.pipeline import evaluate_files, require_assessment

    if output is not None:  # first: writing over a submission is the worst mistake -o can make
        from ecoplan.files import guard_output  # with tempfile: ~10 ms a report to the terminal does not need

        guard_output(output, list(files))
    chosen = choose_format(fmt, output, AssessFormat)
    assessment = require_assessment(evaluate_files(list(files), pack, year, strict=strict))
    earlier: list[Assessment] = []
    if chosen == "docx" and len(files) > 1 and year is None:  # the plan's table puts the years side by side
        from ecoplan.run.pipeline import evaluate_each_year

        series = [require_assessment(e) for e in evaluate_each_year(list(files), pack, strict=strict)]
        earlier = [a for a in series if a.year < assessment.year]
    emit_assessment(assessment, chosen, output, earlier=earlier)
    if nothing_evaluated(assessment):
        print(f"ecoplan: {assessment.source}: {assessment.year} 年没有任何指标的数值（工作簿中的行属于其他年度，"
              "或与指标体系不匹配）", file=sys.stderr)
    return 1 if gate_failed(assessment, fail_on) else 0


def register(app: Any) -> None:
    """Declare the command on the typer app (the only place its options are written; the fast path reads them)."""
    import typer  # the full command-line parser: loaded only when the fast path does not answer (~100 ms)

    from ecoplan.run.discover import SUFFIX_LIST

    @app.command()
    def assess(
        files: list[Path] = typer.Argument(..., metavar="FILE",
                                           help=f"The district workbook ({SUFFIX_LIST}); more workbooks of "
                                           "the same district add their years as history (the latest 评估年度 is "
                                           "assessed)."),
        pack: str | None = typer.Option(None, "--pack", "-p", help="Rule pack id (default: the workbook's 指标体系)."),
        year: int | None = typer.Option(None, "--year", "-y",
                                        help="Year to assess (default: the workbook's 评估年度)."),
        fmt: AssessFormat | None = typer.Option(None, "--format", "-f",
                                                help="Output format (default: from -o's extension, else table)."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
        fail_on: FailOn = typer.Option(FailOn.never, "--fail-on",
                                       help="Exit 1 when indicators of this kind are unmet or have no value."),
        strict: bool = typer.Option(False, "--strict", help="Report 未下达/未考核/assertions/estimates as 待核实 "
                                    "instead of the pack's convention."),
    ) -> None:
        """Assess one workbook: status, value, target, gap and reason for every indicator.

        Several workbooks of one district are read as one time series: `ecoplan assess yubei-2022.xlsx
        yubei-2023.xlsx` assesses 2023 with 2022's rows as history (for trends and progress toward targets)."""
        code = run(files, pack, year, fmt.value if fmt else None, output, fail_on.value, strict)
        if code:
            raise typer.Exit(code)
