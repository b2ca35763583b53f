"""Choosing a renderer by format name and sending its output to stdout or a file."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from ecoplan.errors import InputError
from ecoplan.report.assessment import Assessment


def emit(assessments: Sequence[Assessment], fmt: str, output: Path | None, *, single: bool = False) -> None:
    """Render `assessments` in `fmt`; write to `output` atomically, or print to stdout."""
    subject: Assessment | Sequence[Assessment] = assessments[0] if single else assessments
    if fmt == "table":
        from ecoplan.render.console import stdout_console
        from ecoplan.render.table import render_table

        if output is not None:
            from rich.console import Console

            console = Console(record=True, width=200, file=open(__import__("os").devnull, "w"))
            for a in assessments:
                render_table(a, console)
            _write(output, console.export_text())
            return
        console = stdout_console()
        for a in assessments:
            render_table(a, console)
        return
    if fmt == "json":
        from ecoplan.render.json_format import render_json

        text = render_json(subject) + "\n"
    elif fmt == "csv":
        from ecoplan.render.flat import render_csv

        text = render_csv(subject)
    elif fmt == "markdown":
        from ecoplan.render.flat import render_markdown

        text = render_markdown(subject)
    elif fmt == "xlsx":
        if output is None:
            raise InputError("--format xlsx writes a file: give -o report.xlsx", "--format")
        from ecoplan.render.xlsx import render_xlsx

        _write(output, render_xlsx(list(assessments)))
        return
    else:
        raise InputError(f"unknown format {fmt!r}", "--format")
    if output is not None:
        _write(output, text)
    else:
        sys.stdout.write(text)


def _write(output: Path, data: str | bytes) -> None:
    from ecoplan.files import write_atomic

    write_atomic(output, data)
