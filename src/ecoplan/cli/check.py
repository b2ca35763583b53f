"""`ecoplan check FILE_OR_DIR...`: the CI gate for data submissions.

Each file is validated completely (every problem, with its code, severity, cell and row key), then assessed,
then judged by `--fail-on`. In check, a 约束性 indicator without a value is an error (in assess a warning),
a file where no indicator could be evaluated is an error, never a pass, and the same district and year in two
files is an error in both.

Exit code: the worst over the files — 0 every file passed; 1 a file failed the gate or has errors; 2 a file
could not be used (unreadable, unknown pack, invalid rule file) or the command itself was misused. Every file
is reported in every format, the unusable ones with their error, so one bad upload does not hide the others.
See ecoplan.report.verdict for the verdicts and ecoplan.run.check for how each file is checked.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ecoplan.cli import options
from ecoplan.cli.app import app
from ecoplan.cli.options import CheckFormat, FailOn, PartChoice, choose_format
from ecoplan.files import guard_output, path_text
from ecoplan.run.discover import NO_WORKBOOK_IN_FOLDER, SUFFIX_LIST, discover

if TYPE_CHECKING:
    from ecoplan.report.verdict import Checked


def run(files: Sequence[Path], pack: str | None, fail_on: str, fmt: str | None, output: Path | None,
        year: int | None, strict: bool, part: str = "table") -> int:
    """Check every submission, render, and return the worst exit code. Raises InputError for bad usage."""
    # lazy: typer loads all command modules (--help, rules); the pipeline (~95 ms) only when check runs
    from ecoplan.render.emit import emit_checks
    from ecoplan.report.verdict import exit_code
    from ecoplan.run.check import check_submission, flag_duplicates
    from ecoplan.run.pipeline import cached_pack

    found = discover(files)
    if output is not None:  # first: writing over a submission is the worst mistake -o can make
        guard_output(output, found.files)
    chosen = choose_format(fmt, output, CheckFormat)
    if pack is not None:
        cached_pack(pack, strict)  # an unknown --pack is bad usage: say so once, exit 2, before any file
    note = found.skipped_note()
    if note:
        print(f"ecoplan check: {note}", file=sys.stderr)
    checks = [check_submission(path, pack, fail_on, year, strict=strict, part=part) for path in found.files]
    checks += [_unusable(path, "找不到文件或文件夹", fail_on) for path in found.missing]
    checks += [_unusable(path, NO_WORKBOOK_IN_FOLDER, fail_on) for path in found.empty]
    flag_duplicates(checks)
    emit_checks(checks, chosen, output)
    if chosen == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), checks)
    if output is not None and chosen != "table":
        # Machine formats go to the file; still tell the person reading the CI log what happened.
        # lazy: check's report module only when a machine format is written to a file
        from ecoplan.render.check_report import totals_line
        from ecoplan.render.escape import terminal_text

        for checked in checks:
            print(f"ecoplan check: {terminal_text(checked.verdict_line())}", file=sys.stderr)
        print(f"ecoplan check: {totals_line(checks)}", file=sys.stderr)
    return exit_code(checks)


def _unusable(path: Path, message: str, fail_on: str) -> Checked:
    """A path given to check that names no usable file: listed as unusable (a wrong path must not pass)."""
    # lazy: typer loads all command modules (--help, rules); these only when check runs
    from ecoplan.report.problems import Problem
    from ecoplan.report.verdict import Checked

    return Checked(path=path_text(path), fail_on=fail_on, unusable=True,
                   problems=[Problem("file-unreadable", message)])


def _append_step_summary(path: Path, checks: list[Checked]) -> None:
    """GitHub shows $GITHUB_STEP_SUMMARY on the run's page: add the Markdown report there."""
    # lazy: check's Markdown renderer only when $GITHUB_STEP_SUMMARY asks for it
    from ecoplan.render.check_report import render_check_markdown

    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(render_check_markdown(checks))
    except OSError as exc:
        print(f"ecoplan check: 无法写入步骤摘要 {path}：{exc.strerror or exc}", file=sys.stderr)


@app.command()
def check(
    files: list[Path] = typer.Argument(..., metavar="工作簿或文件夹", show_default=False,
                                       help=f"提交的工作簿（{SUFFIX_LIST}），或存放工作簿的文件夹（递归查找）。"),
    pack: str | None = options.pack_option("指标体系的 id 或规则文件（默认：各工作簿填写的指标体系）。"),
    fail_on: FailOn = options.fail_on_option(FailOn.constraint),
    fmt: CheckFormat | None = options.format_option(CheckFormat),
    output: Path | None = options.output_option(),
    year: int | None = options.year_option(),
    strict: bool = options.strict_option(),
    part: PartChoice = options.part_option(),
) -> None:
    """检查提交的工作簿并把关（用于 CI）：列出每个问题及其单元格，再按 --fail-on 判定。

    退出码：0 通过；1 未通过，或提交有错误；2 输入无法使用。"""
    code = run(files, pack, fail_on.value, fmt.value if fmt else None, output, year, strict, part.value)
    if code:
        raise typer.Exit(code)
