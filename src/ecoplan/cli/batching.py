"""What `ecoplan batch` does once its options are known; shared by the typer command and the fast path."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def run_batch(paths: Sequence[Path], pack: str | None, fmt: str | None, output: Path | None, jobs: int | None,
              fail_on: str, strict: bool) -> int:
    """Score, render, and return the exit code (see `ecoplan.cli.batch`). Raises InputError for bad usage."""
    from ecoplan.errors import InputError
    from ecoplan.run.batch import (
        BatchAggregate,
        Job,
        Progress,
        collect_workbooks,
        exit_code,
        gate_failed_any,
        iter_scored,
    )

    chosen = fmt if fmt is not None else ("xlsx" if output is not None and output.suffix.lower() == ".xlsx"
                                          else "table")
    if chosen == "xlsx" and output is None:
        raise InputError("--format xlsx writes a file: give -o report.xlsx", "--format")
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise InputError(f"--jobs must be 1 or more, got {workers}", "--jobs")
    files, missing = collect_workbooks(paths)
    # Scoring allocates many small objects that die young and form no cycles; collecting generation 0 every 700
    # allocations cost ~3 % of a batch. Forked workers inherit the setting.
    gc.set_threshold(20_000, 20, 20)
    if output is not None:
        from ecoplan.files import guard_output

        guard_output(output, files)
    if not files:
        for where, message in missing:
            print(f"ecoplan: {where}: {message}", file=sys.stderr)
        raise InputError("no workbook (*.xlsx) found in the paths given", " ".join(str(p) for p in paths))
    if pack is not None:
        from ecoplan.run.pipeline import cached_pack

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
    return code




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
        from ecoplan.files import write_atomic

        write_atomic(self.output, self.data if self.data is not None else "".join(self.parts))
