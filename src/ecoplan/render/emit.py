"""The one format dispatch: a report (assessments, checked submissions, a batch) rendered in the chosen format and
sent to the terminal, or written atomically to the -o file with a confirmation on stderr.

The format is chosen and validated by the command (ecoplan.cli.options.choose_format); renderers import lazily,
so a command loads only the one it writes.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ecoplan.files import atomic_writer, encoded, write_atomic
from ecoplan.render.console import stdout_console, stdout_is_file, unseen_width

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


# --- a batch ------------------------------------------------------------------------------------------------------
class BatchEmitter:
    """A batch report in one format, fed one workbook at a time in input order; use it as a context manager.

    Streaming formats (json, jsonl, csv) are written as each workbook arrives — to stdout, or to a temporary file
    that replaces the -o file when the batch is done (memory stays flat either way); the others are rendered from
    the aggregate at the end. `encoder` names the function the workers apply to each workbook's assessment (so the
    per-workbook rendering runs in parallel), or None when the compact rows suffice.
    """

    STREAMED = ("json", "jsonl", "csv")

    def __init__(self, fmt: str, output: Path | None, *, strict: bool = False) -> None:
        self.fmt = fmt
        self.output = output
        self.strict = strict  # Word re-assesses each district for its section: with the batch's own conventions
        self.parts: list[str] = []
        self.first = True
        self.workbook: Any = None
        self.stream: IO[bytes] | None = None
        self._files = contextlib.ExitStack()
        if fmt == "xlsx":
            # lazy: the batch workbook and openpyxl (~200 ms) only for batch -o x.xlsx
            from ecoplan.render.batch_xlsx import BatchXlsx

            self.workbook = BatchXlsx()

    def __enter__(self) -> BatchEmitter:
        if self.output is not None and self.fmt in self.STREAMED:
            self.stream = self._files.enter_context(atomic_writer(self.output))
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Put a streamed file in place (or, after an error, remove it) and say so."""
        self._files.__exit__(*exc_info)  # type: ignore[arg-type]
        if self.stream is not None and exc_info[0] is None:
            print(f"已写入 {self.output}", file=sys.stderr)

    @property
    def encoder(self) -> str | None:
        """The function ("module:function") each worker applies to its workbook's assessment, for the formats that
        list every result; None when the compact rows suffice."""
        return ENCODERS.get(self.fmt)

    def _out(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(encoded(text))
        elif self.output is None:
            sys.stdout.write(text)
        else:
            self.parts.append(text)

    def start(self) -> None:
        """What comes before the first workbook (the list's bracket, the CSV header)."""
        if self.fmt == "json":
            self._out("[")
        elif self.fmt == "csv":
            # lazy: render.flat only for batch --format csv
            from ecoplan.render.flat import BOM, CSV_COLUMNS

            self._out((BOM if _to_file(self.output) else "") + _csv_line(["file", *CSV_COLUMNS]))

    def add(self, entry: Entry, encoded: Any) -> None:
        """One scored workbook, in input order: its entry, and what `encoder` made of it."""
        if encoded is None:
            return
        if self.fmt == "json":
            self._out(("\n" if self.first else ",\n") + encoded)
        elif self.fmt in ("jsonl", "csv"):
            self._out(encoded)
        elif self.fmt == "xlsx":
            self.workbook.add_district(entry, encoded)
        self.first = False

    def finish(self, aggregate: BatchAggregate) -> None:
        """The overview formats from the aggregate; then the file, written whole."""
        data: str | bytes | None = None
        if self.fmt == "json":
            self._out("\n]\n" if not self.first else "]\n")
        elif self.fmt == "table":
            # lazy: the batch's terminal table (rich) only for batch --format table
            from ecoplan.render.batch_table import render_batch_text, use_colour

            self._out(render_batch_text(aggregate, colour=self.output is None and use_colour(sys.stdout)))
        elif self.fmt == "markdown":
            # lazy: the batch's Markdown renderer only for batch --format markdown
            from ecoplan.render.batch_table import render_batch_markdown

            self._out(render_batch_markdown(aggregate))
        elif self.fmt == "xlsx":
            data = self.workbook.finish(aggregate)
        elif self.fmt == "docx":
            # lazy: the batch's Word view and python-docx (~140 ms) only for batch -o x.docx
            from ecoplan.render.batch_docx import render_batch_docx

            data = bytes(render_batch_docx(aggregate, strict=self.strict))
        elif self.fmt == "html":
            # lazy: the batch's HTML view only for batch -o x.html
            from ecoplan.render.batch_html import render_batch_html

            data = str(render_batch_html(aggregate))
        if data is None and self.output is not None and self.stream is None:
            data = "".join(self.parts)
        if data is not None:
            deliver(data, self.output)
        else:
            sys.stdout.flush()


def _csv_line(cells: Sequence[object]) -> str:
    # lazy: csv only for batch --format csv; `assess --format json` does not load it
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


# --- one workbook of a batch, encoded in the worker that scored it (see ecoplan.run.batch) ------------------------
def csv_rows(path: str, assessment: Assessment) -> str:
    """The CSV rows of one assessment, each starting with its file (the header is written once, by `start`)."""
    # lazy: the CSV cells and render.flat only for batch --format csv
    from ecoplan.render.cells import csv_text
    from ecoplan.render.flat import flat_rows

    return "".join(_csv_line([csv_text(path), *(csv_text(v) for v in row.values())]) for row in flat_rows(assessment))


def sheet_rows(path: str, assessment: Assessment) -> list[tuple[Any, ...]]:
    """The rows of one district's sheet in the batch workbook."""
    # lazy: the batch workbook's rows only for batch -o x.xlsx
    from ecoplan.render.batch_xlsx import district_rows

    return district_rows(assessment)


ENCODERS = {"json": "ecoplan.render.json_format:json_element", "jsonl": "ecoplan.render.json_format:json_line",
            "csv": f"{__name__}:csv_rows", "xlsx": f"{__name__}:sheet_rows"}
