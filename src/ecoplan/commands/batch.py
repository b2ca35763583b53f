"""`ecoplan batch FILE_OR_DIR...`: score many district workbooks and compare them side by side.

Exit codes: 0 every workbook was scored (and the `--fail-on` gate passed); 1 at least one workbook could not be
scored (it is listed with its error; the others are scored all the same) or a district failed the gate;
2 nothing usable: no workbook found, none could be scored, an unknown --pack, or bad usage.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from ecoplan.app import FailOn, ReportFormat, app


@app.command()
def batch(
    paths: List[Path] = typer.Argument(..., help="Workbooks (.xlsx) and directories (searched recursively)."),
    pack: Optional[str] = typer.Option(None, "--pack", "-p", help="Rule pack id for every workbook "
                                       "(default: each workbook's 指标体系)."),
    fmt: Optional[ReportFormat] = typer.Option(None, "--format", "-f", help="Output format (default: table; xlsx "
                                              "when -o ends in .xlsx)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Parallel processes (default: the CPU count)."),
    fail_on: FailOn = typer.Option(FailOn.never, "--fail-on", help="Exit 1 when a district has unmet indicators "
                                   "of this kind."),
    strict: bool = typer.Option(False, "--strict", help="Report 未下达/未考核/assertions/estimates as 待核实."),
) -> None:
    """Score every workbook against its pack: ranking, districts × indicators matrix, most-failed indicators."""
    from ecoplan.batch import BatchAggregate, Job, Progress, collect_workbooks, exit_code, gate_failed_any, iter_scored
    from ecoplan.errors import InputError

    chosen = fmt.value if fmt is not None else ("xlsx" if output is not None and output.suffix.lower() == ".xlsx"
                                                else "table")
    if chosen == "xlsx" and output is None:
        raise InputError("--format xlsx writes a file: give -o report.xlsx", "--format")
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise InputError(f"--jobs must be 1 or more, got {workers}", "--jobs")
    files, missing = collect_workbooks(paths)
    if output is not None:
        from ecoplan.output import guard_output

        guard_output(output, files)
    if not files:
        for where, message in missing:
            print(f"ecoplan: {where}: {message}", file=sys.stderr)
        raise InputError("no workbook (*.xlsx) found in the paths given", " ".join(str(p) for p in paths))
    if pack is not None:
        from ecoplan.pipeline import cached_pack

        cached_pack(pack, strict)  # an unknown or invalid --pack is bad usage (exit 2), found before any work

    aggregate = BatchAggregate()
    for where, message in missing:
        aggregate.add({}, {"path": where, "error": message})
    out = _Sink(output)
    writer = None
    if chosen == "xlsx":
        from ecoplan.render.batch_xlsx import BatchXlsx

        writer = BatchXlsx()
    elif chosen == "json":
        out.write("[")
    elif chosen == "csv":
        from ecoplan.render.flat import CSV_COLUMNS

        out.write(",".join(CSV_COLUMNS) + "\n")
    first = True
    progress = Progress(len(files))
    try:
        for packs, row in iter_scored(files, Job(pack=pack, strict=strict, fmt=chosen), workers, progress):
            entry = aggregate.add(packs, row)
            if entry is None:
                continue
            if chosen == "json":
                out.write(("\n" if first else ",\n") + row["text"])
            elif chosen == "csv":
                out.write(row["text"])
            elif writer is not None:
                writer.add_district(entry, row["sheet"])
            first = False
    finally:
        progress.close()
    if chosen == "json":
        out.write("\n]\n" if not first else "]\n")
    elif chosen == "table":
        from ecoplan.render.batch_table import render_batch_text, use_colour

        out.write(render_batch_text(aggregate, colour=output is None and use_colour(sys.stdout)))
    elif chosen == "markdown":
        from ecoplan.render.batch_table import render_batch_markdown

        out.write(render_batch_markdown(aggregate))
    if writer is not None:
        out.write_bytes(writer.finish(aggregate))
    out.close()
    if chosen != "table" and aggregate.errors:
        # Machine formats carry only scored districts; the failures still reach the person running the batch.
        for where, message in aggregate.errors:
            print(f"ecoplan: {where}: {message}", file=sys.stderr)
    code = exit_code(aggregate, gate_failed_any(aggregate, fail_on))
    if code == 2:
        print("ecoplan: error: no workbook could be scored", file=sys.stderr)
    if code:
        raise typer.Exit(code)


class _Sink:
    """stdout, streamed as rows arrive; or a file, written atomically at the end (never half a report)."""

    def __init__(self, output: Path | None) -> None:
        self.output = output
        self.parts: list[str] = []
        self.data: bytes | None = None

    def write(self, text: str) -> None:
        if self.output is None:
            sys.stdout.write(text)
        else:
            self.parts.append(text)

    def write_bytes(self, data: bytes) -> None:
        self.data = data

    def close(self) -> None:
        if self.output is None:
            sys.stdout.flush()
            return
        from ecoplan.output import write_atomic

        write_atomic(self.output, self.data if self.data is not None else "".join(self.parts))
