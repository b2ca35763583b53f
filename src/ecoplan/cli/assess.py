"""`ecoplan assess FILE...`: the attainment report of one workbook (or of one district's series of workbooks)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ecoplan.cli import options
from ecoplan.cli.app import app
from ecoplan.cli.options import AssessFormat, FailOn, PartChoice, choose_format
from ecoplan.run.discover import SUFFIX_LIST

if TYPE_CHECKING:
    from ecoplan.report.assessment import Assessment


def run(files: Sequence[Path], pack: str | None, year: int | None, fmt: str | None, output: Path | None,
        fail_on: str, strict: bool, part: str = "table") -> int:
    """Assess, render, say the workbook's problems, and return the exit code: 0, or 1 when the `--fail-on` gate
    fails (see `gate_failed`; it judges the part `part` names). Raises InputError (exit 2) when nothing can be
    assessed."""
    # lazy: typer loads all command modules (--help, rules); the pipeline (~95 ms) only when assess runs
    from ecoplan.render.emit import emit_assessment
    from ecoplan.report.verdict import gate_failed, part_absent
    from ecoplan.run.pipeline import evaluate_files, require_assessment

    if output is not None:  # first: writing over a submission is the worst mistake -o can make
        # lazy: the output checks only when -o is given; a report to the terminal does not need them
        from ecoplan.files import guard_output

        guard_output(output, list(files))
    chosen = choose_format(fmt, output, AssessFormat)
    if chosen == "docx" and len(files) > 1 and year is None:  # the plan's table puts the years side by side
        # lazy: typer loads all command modules (--help, rules); the pipeline only when assess runs
        from ecoplan.run.pipeline import evaluate_each_year

        *earlier, assessment = [require_assessment(e) for e in evaluate_each_year(list(files), pack, strict=strict)]
    else:
        earlier, assessment = [], require_assessment(evaluate_files(list(files), pack, year, strict=strict))
    absent = part_absent(assessment, part)
    if absent is not None:
        assessment.problems.append(absent)
    emit_assessment(assessment, chosen, output, earlier=earlier)
    _tell_problems(assessment, {"json": "JSON 的 problems", "xlsx": "“问题”工作表"}.get(chosen))
    return 1 if gate_failed(assessment, fail_on, part) else 0


def _tell_problems(assessment: Assessment, listed_in: str | None) -> None:
    """The workbook's problems on stderr, one per line, or, when the output lists them itself (`listed_in`: JSON's
    `problems`, the xlsx 问题 sheet), one line saying how many: the report is made, and so is the list of what to
    correct."""
    problems = assessment.problems
    if not problems:
        return
    errors = sum(1 for p in problems if p.severity == "error")
    print(f"ecoplan: {assessment.source} 有 {len(problems)} 个问题（错误 {errors}，警告 {len(problems) - errors}）"
          + (f"，见 {listed_in}" if listed_in else "："), file=sys.stderr)
    if listed_in is None:
        # lazy: the width and wrapping rules only when there are problems to list
        from ecoplan.render.console import page_width, read_on_terminal
        from ecoplan.render.wrap import wrap

        # One line per problem where a program or a log reads it (as rules lint); on a terminal wrapped to its
        # width by the rule, never inside a code or a cell.
        size = page_width(sys.stderr) if read_on_terminal(sys.stderr) else None
        for problem in problems:
            print("\n".join(wrap(f"  {problem}", size, " " * 6)) if size else f"  {problem}", file=sys.stderr)


@app.command()
def assess(
    files: list[Path] = typer.Argument(..., metavar="工作簿", show_default=False,
                                       help=f"区县工作簿（{SUFFIX_LIST}）；同一区县的更多工作簿按其年度作为"
                                       "历史数据（评估最新的评估年度）。"),
    pack: str | None = options.pack_option(),
    year: int | None = options.year_option(),
    fmt: AssessFormat | None = options.format_option(AssessFormat),
    output: Path | None = options.output_option(),
    fail_on: FailOn = options.fail_on_option(FailOn.never),
    strict: bool = options.strict_option(),
    part: PartChoice = options.part_option(),
) -> None:
    """评估区县工作簿：每个指标的状态、数值、目标、差距和理由。

    同一区县的多个工作簿作为一个时间序列读取，例如

    \b
      ecoplan assess yubei-2022.xlsx yubei-2023.xlsx

    评估 2023 年，2022 年的行作为历史数据（用于趋势和目标进度）。"""
    code = run(files, pack, year, fmt.value if fmt else None, output, fail_on.value, strict, part.value)
    if code:
        raise typer.Exit(code)
