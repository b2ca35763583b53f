"""The one format dispatch: a report (assessments, checked submissions) rendered in the chosen format and sent to
the terminal, or written atomically to the -o file with a confirmation on stderr (`deliver`, which a batch's report
uses too: ecoplan.render.batch_emit).

The format is chosen and validated by the command (ecoplan.cli.options.choose_format); renderers import lazily,
so a command loads only the one it writes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ecoplan.files import write_atomic
from ecoplan.render.console import stdout_console, stdout_is_file, unseen_width

if TYPE_CHECKING:
    from rich.console import Console

    from ecoplan.report.assessment import Assessment
    from ecoplan.report.verdict import Checked


def deliver(data: str | bytes, output: Path | None) -> None:
    """Write `data` to `output` atomically and say so on stderr, or print it to stdout."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
        return
    write_atomic(output, data)
    print(f"已写入 {output}", file=sys.stderr)


def _console_text(draw: Callable[[Console], None]) -> str:
    """What `draw` prints, as plain text (a table written to a file: render/console.unseen_width columns wide)."""
    # lazy: rich.console (~55 ms) only when a terminal table is written to a file
    from rich.console import Console

    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=unseen_width(), file=sink)
        draw(console)
    return console.export_text()


def _to_terminal_or_file(draw: Callable[[Console], None], output: Path | None) -> None:
    if output is None:
        draw(stdout_console())
        return
    deliver(_console_text(draw), output)


# --- one assessment (assess) --------------------------------------------------------------------------------------
def emit_assessment(assessment: Assessment, fmt: str, output: Path | None, *,
                    earlier: Sequence[Assessment] = ()) -> None:
    """`assess`: one assessment in `fmt` (Word also shows the `earlier` years of the same district beside it)."""
    if fmt == "table":
        # lazy: render.table and rich (~45 ms) only for the terminal table; `assess --format json` never loads them
        from ecoplan.render.table import render_table

        _to_terminal_or_file(lambda console: render_table(assessment, console), output)
        return
    deliver(render_assessment(assessment, fmt, to_file=_to_file(output), earlier=earlier), output)


def _to_file(output: Path | None) -> bool:
    """Whether the text becomes a file a person opens (-o, or stdout redirected into a file): a CSV then starts
    with a byte order mark, without which Excel and WPS on Chinese Windows read UTF-8 as GBK."""
    return output is not None or stdout_is_file()


def render_assessment(assessment: Assessment, fmt: str, *, to_file: bool = False,
                      earlier: Sequence[Assessment] = ()) -> str | bytes:
    """One assessment as text or bytes in a file format (Word puts the `earlier` years beside it)."""
    if fmt == "json":
        # lazy: the JSON renderer only for JSON: each format imports only its own renderer
        from ecoplan.render.json_format import render_json

        return render_json(assessment) + "\n"
    if fmt == "csv":
        # lazy: the CSV renderer (csv, render.flat) only for CSV: each format imports only its own renderer
        from ecoplan.render.flat import render_csv

        return render_csv(assessment, bom=to_file)
    if fmt == "markdown":
        # lazy: the Markdown renderer (render.flat) only for Markdown: each format imports only its own renderer
        from ecoplan.render.flat import render_markdown

        return render_markdown(assessment)
    if fmt == "xlsx":
        # lazy: the xlsx renderer and openpyxl (~200 ms) only for .xlsx output
        from ecoplan.render.xlsx import render_xlsx

        return render_xlsx([assessment])
    if fmt == "docx":
        # lazy: the Word renderer and python-docx (~140 ms) only for .docx output
        from ecoplan.render.docx import render_docx

        return bytes(render_docx([*earlier, assessment]))
    raise ValueError(f"assess cannot render {fmt!r}")  # the command's choices exclude it


# --- checked submissions (check) ----------------------------------------------------------------------------------
def emit_checks(checks: Sequence[Checked], fmt: str, output: Path | None) -> None:
    """`check`: every submission's verdict and problems in `fmt`."""
    if fmt == "table":
        # lazy: check's terminal table (rich) only for check --format table
        from ecoplan.render.check_report import render_check_table

        _to_terminal_or_file(lambda console: render_check_table(checks, console), output)
        return
    if fmt == "json":
        # lazy: check's JSON renderer only for check --format json
        from ecoplan.render.check_report import render_check_json

        text = render_check_json(checks)
    elif fmt == "junit":
        # lazy: the JUnit renderer (xml.etree) only for check --format junit
        from ecoplan.render.junit import render_junit

        text = render_junit(checks)
    elif fmt == "github":
        # lazy: the GitHub annotations renderer only for check --format github
        from ecoplan.render.github import render_github

        text = render_github(checks)
    elif fmt == "markdown":
        # lazy: check's Markdown renderer only for check --format markdown
        from ecoplan.render.check_report import render_check_markdown

        text = render_check_markdown(checks)
    else:
        raise ValueError(f"check cannot render {fmt!r}")
    deliver(text, output)
