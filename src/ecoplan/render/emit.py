"""The one format dispatch: a report (assessments, checked submissions, a batch) rendered in the chosen format and
sent to the terminal, or written atomically to the -o file with a confirmation on stderr.

The format is chosen and validated by the command (ecoplan.cli.options.choose_format); renderers import lazily,
so a command loads only the one it writes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from ecoplan.report.assessment import Assessment
    from ecoplan.report.verdict import Checked
    from ecoplan.run.batch import BatchAggregate, Entry


def deliver(data: str | bytes, output: Path | None) -> None:
    """Write `data` to `output` atomically and say so on stderr, or print it to stdout."""
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        sys.stdout.flush()
        return
    from ecoplan.files import write_atomic

    write_atomic(output, data)
    print(f"已写入 {output}", file=sys.stderr)


def _console_text(draw: Callable[[Console], None]) -> str:
    """What `draw` prints, as plain text 200 columns wide (a table written to a file)."""
    from rich.console import Console

    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=200, file=sink)
        draw(console)
    return console.export_text()


def _to_terminal_or_file(draw: Callable[[Console], None], output: Path | None) -> None:
    if output is None:
        from ecoplan.render.console import stdout_console

        draw(stdout_console())
        return
    deliver(_console_text(draw), output)


# --- one assessment (assess) --------------------------------------------------------------------------------------
def emit_assessment(assessment: Assessment, fmt: str, output: Path | None) -> None:
    """`assess`: one assessment in `fmt`."""
    if fmt == "table":
        from ecoplan.render.table import render_table

        _to_terminal_or_file(lambda console: render_table(assessment, console), output)
        return
    deliver(render_assessment(assessment, fmt), output)


def render_assessment(assessment: Assessment, fmt: str) -> str | bytes:
    """One assessment as text or bytes in a file format."""
    if fmt == "json":
        from ecoplan.render.json_format import render_json

        return render_json(assessment) + "\n"
    if fmt == "csv":
        from ecoplan.render.flat import render_csv

        return render_csv(assessment)
    if fmt == "markdown":
        from ecoplan.render.flat import render_markdown

        return render_markdown(assessment)
    if fmt == "xlsx":
        from ecoplan.render.xlsx import render_xlsx

        return render_xlsx([assessment])
    if fmt == "docx":
        from ecoplan.render.docx import render_docx  # type: ignore[import-not-found,unused-ignore]

        return bytes(render_docx([assessment]))
    raise ValueError(f"assess cannot render {fmt!r}")  # the command's choices exclude it


# --- checked submissions (check) ----------------------------------------------------------------------------------
def emit_checks(checks: Sequence[Checked], fmt: str, output: Path | None) -> None:
    """`check`: every submission's verdict and problems in `fmt`."""
    if fmt == "table":
        from ecoplan.render.check_report import render_check_table

        _to_terminal_or_file(lambda console: render_check_table(checks, console), output)
        return
    if fmt == "json":
        from ecoplan.render.check_report import render_check_json

        text = render_check_json(checks)
    elif fmt == "junit":
        from ecoplan.render.junit import render_junit

        text = render_junit(checks)
    elif fmt == "github":
        from ecoplan.render.github import render_github

        text = render_github(checks)
    elif fmt == "markdown":
        from ecoplan.render.check_report import render_check_markdown

        text = render_check_markdown(checks)
    else:
        raise ValueError(f"check cannot render {fmt!r}")
    deliver(text, output)


# --- a batch ------------------------------------------------------------------------------------------------------
class BatchEmitter:
    """A batch report in one format, fed one workbook at a time in input order.

    Streaming formats (json, jsonl, csv) go to stdout as each workbook arrives (a file is written whole, atomically,
    at the end); the others are rendered from the aggregate at the end. `wants_assessment` says whether the
    workers must send each workbook's whole assessment (as a dict, DESIGN.md's JSON object) or only its compact row.
    """

    STREAMED = ("json", "jsonl", "csv")

    def __init__(self, fmt: str, output: Path | None) -> None:
        self.fmt = fmt
        self.output = output
        self.parts: list[str] = []
        self.first = True
        self.workbook: Any = None
        if fmt == "xlsx":
            from ecoplan.render.batch_xlsx import BatchXlsx

            self.workbook = BatchXlsx()

    @property
    def wants_assessment(self) -> bool:
        return self.fmt in (*self.STREAMED, "xlsx")

    def _out(self, text: str) -> None:
        if self.output is None:
            sys.stdout.write(text)
        else:
            self.parts.append(text)

    def start(self) -> None:
        if self.fmt == "json":
            self._out("[")
        elif self.fmt == "csv":
            self._out("\ufeff" + _csv_line(["file", *_csv_columns()]))  # with a BOM: Excel and WPS read it as UTF-8

    def add(self, entry: Entry, assessment: Assessment | None) -> None:
        """One scored workbook, in input order: its entry, and its whole assessment when `wants_assessment`."""
        if assessment is None:
            return
        if self.fmt in ("json", "jsonl"):
            import json  # here: a table batch never needs it

            data = {"file": entry.path, **assessment.as_dict()}
            if self.fmt == "jsonl":
                self._out(json.dumps(data, ensure_ascii=False) + "\n")
            else:
                # Indented as one element of the list, so the whole equals json.dumps(list, indent=2).
                text = json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n  ")
                self._out(("\n  " if self.first else ",\n  ") + text)
        elif self.fmt == "csv":
            from ecoplan.render.flat import flat_rows
            from ecoplan.render.text import safe_cell

            self._out("".join(_csv_line([entry.path, *(safe_cell(v) for v in row.values())])
                              for row in flat_rows(assessment)))
        elif self.fmt == "xlsx":
            from ecoplan.render.batch_xlsx import district_rows

            self.workbook.add_district(entry, district_rows(assessment))
        self.first = False

    def finish(self, aggregate: BatchAggregate) -> None:
        """The overview formats from the aggregate; then the file, written whole."""
        data: str | bytes | None = None
        if self.fmt == "json":
            self._out("\n]\n" if not self.first else "]\n")
        elif self.fmt == "table":
            from ecoplan.render.batch_table import render_batch_text, use_colour

            self._out(render_batch_text(aggregate, colour=self.output is None and use_colour(sys.stdout)))
        elif self.fmt == "markdown":
            from ecoplan.render.batch_table import render_batch_markdown

            self._out(render_batch_markdown(aggregate))
        elif self.fmt == "xlsx":
            data = self.workbook.finish(aggregate)
        elif self.fmt == "docx":
            from ecoplan.render.batch_docx import render_batch_docx  # type: ignore[import-not-found,unused-ignore]

            data = bytes(render_batch_docx(aggregate))
        elif self.fmt == "html":
            from ecoplan.render.batch_html import render_batch_html  # type: ignore[import-not-found,unused-ignore]

            data = str(render_batch_html(aggregate))
        if data is None and self.output is not None:
            data = "".join(self.parts)
        if data is not None:
            deliver(data, self.output)
        else:
            sys.stdout.flush()


def _csv_columns() -> list[str]:
    from ecoplan.render.flat import CSV_COLUMNS

    return list(CSV_COLUMNS)


def _csv_line(cells: Sequence[object]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()
