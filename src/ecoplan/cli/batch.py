"""`ecoplan batch FILE_OR_DIR...`: score many district workbooks and compare them side by side.

Exit codes: 0 every workbook was scored (and the `--fail-on` gate passed); 1 at least one workbook could not be
scored or is a duplicate (each is listed with its reason; the others are scored all the same) or a district failed
the gate; 2 nothing usable: no workbook found, none could be scored, an unknown --pack, or bad usage.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from ecoplan.cli import options
from ecoplan.cli.app import app
from ecoplan.cli.options import BatchFormat, FailOn, PartChoice, choose_format
from ecoplan.errors import InputError
from ecoplan.files import guard_output, path_text
from ecoplan.run.discover import NO_WORKBOOK_IN_FOLDER, SUFFIX_LIST, discover

# The one line a stopped batch prints (exit 130), as cli/main.py words an interrupt: typer turns KeyboardInterrupt
# into a silent exit 130 before main could, so the batch says it itself.
INTERRUPTED = "错误：已中断"


def run(paths: Sequence[Path], pack: str | None, fmt: str | None, output: Path | None, jobs: int | None,
        fail_on: str, strict: bool, part: str = "table") -> int:
    """Score, render, and return the exit code (see the module docstring). Raises InputError for bad usage."""
    # lazy: typer loads all command modules (--help, rules); the batch runner and pipeline (~90 ms) only when batch runs
    from ecoplan.render.batch_emit import batch_encoder, emit_batch, needs_progress
    from ecoplan.report.problems import Problem
    from ecoplan.run.batch import Job, ProgressBar, iter_scored, stops_as_interrupt
    from ecoplan.run.batch_aggregate import BatchAggregate, batch_exit_code, gate_failed_any

    found = discover(paths)
    if output is not None:  # first: writing over a submission is the worst mistake -o can make
        guard_output(output, found.files)
    chosen = choose_format(fmt, output, BatchFormat)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise InputError(f"--jobs 须为 1 或更大的整数，收到 {workers}", "--jobs")
    note = found.skipped_note()
    if note:
        print(f"ecoplan: {note}", file=sys.stderr)
    for folder in found.empty:
        print(f"ecoplan: {folder}: {NO_WORKBOOK_IN_FOLDER}", file=sys.stderr)
    if not found.files:
        for where in found.missing:
            print(f"ecoplan: {where}: 找不到文件或文件夹", file=sys.stderr)
        raise InputError(f"所给路径中没有工作簿（{SUFFIX_LIST}）", " ".join(str(p) for p in paths))
    if pack is not None:
        # lazy: typer loads all command modules (--help, rules); the pipeline only when batch --pack runs
        from ecoplan.run.pipeline import cached_pack

        cached_pack(pack, strict)  # an unknown or invalid --pack is bad usage (exit 2), found before any work

    job = Job(pack=pack, strict=strict, encode=batch_encoder(chosen), progress=needs_progress(chosen),
              part=part)
    try:
        # Ctrl-C or SIGTERM: the workers are stopped, nothing is half-written, and one line says so (exit 130).
        with stops_as_interrupt(), BatchAggregate(skipped=_skipped(found)) as aggregate:
            for where in found.missing:
                aggregate.add({}, {"path": path_text(where),
                                   "problems": [Problem("file-unreadable", "找不到文件或文件夹")]})
            progress = ProgressBar(len(found.files))
            try:
                with contextlib.closing(iter_scored(found.files, job, workers, progress)) as rows:
                    for packs, row in rows:
                        aggregate.add(packs, row)
            finally:
                progress.close()
            aggregate.settle()
            emit_batch(aggregate, chosen, output)
    except KeyboardInterrupt:
        print(f"ecoplan: {INTERRUPTED}", file=sys.stderr)
        return 130
    if chosen != "table" or output is not None:
        # Every output lists them, but a person running the batch may not open it: each is named here too.
        # lazy: the escaping of names (paths, cells) only when something is said about a workbook
        from ecoplan.render.escape import terminal_text

        for entry in aggregate.entries:
            if entry.status != "assessed":
                print(terminal_text(f"ecoplan: {entry.path}: {_why(entry)}"), file=sys.stderr)
    code = batch_exit_code(aggregate, gate_failed_any(aggregate, fail_on))
    if code == 2:
        print("ecoplan: 错误：没有一个工作簿能够评估", file=sys.stderr)
    return code


def _skipped(found: Any) -> list[str]:
    """Each entry of the folders not read, as the outputs name it: its path, and why where it is not its suffix."""
    return [path_text(p) + (f"（{found.reasons[p]}）" if p in found.reasons else "") for p in found.skipped]


def _why(entry: Any) -> str:
    # lazy: the views' words, only when some input is not assessed
    from ecoplan.render.batch_rows import duplicate_text, problems_text

    # A duplicate may have problems of its own too: what the person must hear is that it is a duplicate.
    return problems_text(entry.problems) if entry.status == "unusable" else duplicate_text(entry)


@app.command()
def batch(
    paths: list[Path] = typer.Argument(..., metavar="工作簿或文件夹", show_default=False,
                                       help=f"工作簿（{SUFFIX_LIST}）和文件夹（递归查找；其他文件列为已跳过）。"),
    pack: str | None = options.pack_option("所有工作簿使用的指标体系（默认：各工作簿填写的指标体系）。"),
    fmt: BatchFormat | None = options.format_option(BatchFormat),
    output: Path | None = options.output_option(),
    jobs: int | None = typer.Option(None, "--jobs", "-j", metavar="进程数", help="并行进程数（默认：CPU 核数）。"),
    fail_on: FailOn = options.fail_on_option(FailOn.never, "有区县的此类指标未达标或没有数值时，退出码为 1"),
    strict: bool = options.strict_option(),
    part: PartChoice = options.part_option(),
) -> None:
    """一次评估许多区县：排名、区县与指标的矩阵、未达标最多的指标。

    每个工作簿按它填写的指标体系评估（或按 --pack）；不同指标体系的区县不互相排名。"""
    code = run(paths, pack, fmt.value if fmt else None, output, jobs, fail_on.value, strict, part.value)
    if code:
        raise typer.Exit(code)
