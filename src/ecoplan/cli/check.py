"""`ecoplan check FILE...`: the CI gate for data submissions.

Each file is validated completely (every problem, with its code, severity, cell and row key), then assessed,
then judged by `--fail-on`. In check, a 约束性 indicator without a value is an error (in assess a warning),
and a file where no indicator could be evaluated is an error, never a pass.

Exit code: the worst over the files — 0 every file passed; 1 a file failed the gate or has errors; 2 a file
could not be used (unreadable, unknown pack, invalid rule file) or the command itself was misused. Every file
is reported in every format, the unusable ones with their error, so one bad upload does not hide the others.
See ecoplan.report.verdict for the verdicts.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ecoplan.cli.app import FailOn, app

if TYPE_CHECKING:
    from ecoplan.report.verdict import Checked


class CheckFormat(str, enum.Enum):
    table = "table"
    json = "json"
    junit = "junit"
    markdown = "markdown"
    github = "github"


def expand(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for its .xlsx files (Excel's ~$ lock files are left out)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.glob("*.xlsx") if not p.name.startswith("~$"))
            files.extend(found or [path])  # an empty directory is reported as an unusable input
        else:
            files.append(path)
    return files


@app.command()
def check(
    files: list[Path] = typer.Argument(..., help="Submitted workbooks (.xlsx), or directories of them."),
    pack: str | None = typer.Option(None, "--pack", "-p", help="Rule pack id (default: each workbook's 指标体系)."),
    fail_on: FailOn = typer.Option(FailOn.constraint, "--fail-on",
                                   help="Exit 1 when indicators of this kind are unmet (never | not_met | constraint)."),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", "-f", help="Output format."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    year: int | None = typer.Option(None, "--year", "-y", help="Year to assess (default: the workbook's 评估年度)."),
    strict: bool = typer.Option(False, "--strict", help="Report 未下达/未考核/assertions/estimates as 待核实."),
) -> None:
    """Validate submissions and gate them: exit 0 pass, 1 gate failed or errors in a submission, 2 unusable input."""
    from ecoplan.report.verdict import check_file, exit_code
    from ecoplan.run.pipeline import cached_pack

    paths = expand(list(files))
    if output is not None:
        from ecoplan.files import guard_output

        guard_output(output, paths)
    if pack is not None:
        cached_pack(pack, strict)  # an unknown --pack is bad usage: say so once, exit 2, before any file
    checks = [_empty_directory(path, fail_on.value) if path.is_dir() else
              check_file(path, pack, fail_on.value, year, strict=strict) for path in paths]
    text = _render(checks, fmt, output)
    if text is not None:
        if output is not None:
            from ecoplan.files import write_atomic

            write_atomic(output, text)
        else:
            sys.stdout.write(text)
    if fmt is CheckFormat.github and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), checks)
    if output is not None and fmt is not CheckFormat.table:
        # Machine formats go to the file; still tell the person reading the CI log what happened.
        from ecoplan.render.check_report import totals_line

        for checked in checks:
            print(f"ecoplan check: {checked.verdict_line()}", file=sys.stderr)
        print(f"ecoplan check: {totals_line(checks)}; report written to {output}", file=sys.stderr)
    sys.stdout.flush()
    code = exit_code(checks)
    if code:
        raise typer.Exit(code)


def _empty_directory(path: Path, fail_on: str) -> Checked:
    """A directory given to check that holds no workbook: listed as unusable (a wrong path must not pass)."""
    from ecoplan.report.problems import Problem
    from ecoplan.report.verdict import Checked

    return Checked(path=str(path), fail_on=fail_on, unusable=True,
                   problems=[Problem("file-unreadable", "error", "a directory with no .xlsx workbook in it")])


def _render(checks: list, fmt: CheckFormat, output: Path | None) -> str | None:
    """The report as text, or None when it was printed to the terminal already."""
    if fmt is CheckFormat.json:
        from ecoplan.render.check_report import render_check_json

        return render_check_json(checks)
    if fmt is CheckFormat.junit:
        from ecoplan.render.junit import render_junit

        return render_junit(checks)
    if fmt is CheckFormat.github:
        from ecoplan.render.github import render_github

        return render_github(checks)
    if fmt is CheckFormat.markdown:
        from ecoplan.render.check_report import render_check_markdown

        return render_check_markdown(checks)
    from ecoplan.render.check_report import render_check_table

    if output is None:
        from ecoplan.render.console import stdout_console

        render_check_table(checks, stdout_console())
        return None
    from rich.console import Console

    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=200, file=sink)
        render_check_table(checks, console)
    return console.export_text()


def _append_step_summary(path: Path, checks: list) -> None:
    """GitHub shows $GITHUB_STEP_SUMMARY on the run's page: add the Markdown report there."""
    from ecoplan.render.check_report import render_check_markdown

    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(render_check_markdown(checks))
    except OSError as exc:
        print(f"ecoplan check: cannot write the step summary {path}: {exc.strerror or exc}", file=sys.stderr)
