"""A batch's report in the chosen format, written when the batch is done: to the terminal, or atomically to the
-o file with a confirmation on stderr (ecoplan.render.emit.deliver).

Every format accounts for every input (ecoplan.run.batch_aggregate): JSON is a list of entries in input order, each
with "file" and "status" — "assessed" (the assessment's fields follow, as `assess --format json` prints them),
"duplicate" (the same, with "duplicate_of") or "unusable" (with "problems") —, JSON Lines the same entries one per
line, and the CSV has a 状态 column; the other formats list every input with its status beside the rankings.

The formats that list every result have each workbook rendered in the worker that scored it (`ENCODERS` names the
function, so that work runs in parallel); the aggregate keeps those renderings on disk and they are written out
here, in input order, each behind the entry's own fields. Renderers import lazily: a batch loads only its format's.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.files import atomic_writer, encoded
from ecoplan.render.emit import deliver
from ecoplan.run.batch_aggregate import UNUSABLE, BatchAggregate, Entry

if TYPE_CHECKING:
    from ecoplan.report.assessment import Assessment

# What the worker makes of each assessed workbook, by format ("module:function", called with (path, assessment)).
ENCODERS = {"json": "ecoplan.render.json_format:assessment_indented",
            "jsonl": "ecoplan.render.json_format:assessment_line",
            "csv": f"{__name__}:csv_records",
            "xlsx": "ecoplan.render.batch_xlsx:sheet_rows",
            "docx": f"{__name__}:whole"}
STREAMED = ("json", "jsonl", "csv")  # written entry by entry, never held whole in memory
# The CSV's own columns before each result's (ecoplan.render.flat.CSV_COLUMNS): the entry's, and its problems,
# one row each after its results (an unusable file has only these; the message in `reason`, the place in `cell`).
CSV_ENTRY_COLUMNS = ["file", "状态", "duplicate_of", "problem", "severity"]


def batch_encoder(fmt: str) -> str | None:
    """The function each worker applies to its workbook's assessment for `fmt`; None when the compact rows
    suffice (table, Markdown, HTML)."""
    return ENCODERS.get(fmt)


def needs_progress(fmt: str) -> bool:
    """Whether `fmt` shows progress toward the plan's later targets (JSON does; Word has them as columns)."""
    return fmt in ("json", "jsonl", "docx")


def emit_batch(aggregate: BatchAggregate, fmt: str, output: Path | None) -> None:
    """Write the settled aggregate in `fmt` to `output`, or to standard output."""
    if fmt in STREAMED:
        with _sink(output) as write:
            for piece in streamed(aggregate, fmt, bom=_to_file(output)):
                write(piece)
        return
    deliver(render_batch(aggregate, fmt, colour=output is None), output)


def render_batch(aggregate: BatchAggregate, fmt: str, *, colour: bool = False) -> str | bytes:
    """The report of a settled aggregate in one of the formats rendered whole."""
    if fmt == "table":
        # lazy: the batch's terminal table only for batch --format table
        from ecoplan.render.batch_table import render_batch_text, use_colour

        return render_batch_text(aggregate, colour=colour and use_colour(sys.stdout))
    if fmt == "markdown":
        # lazy: the batch's Markdown renderer only for batch --format markdown
        from ecoplan.render.batch_table import render_batch_markdown

        return render_batch_markdown(aggregate)
    if fmt == "xlsx":
        # lazy: the batch workbook and openpyxl (~200 ms) only for batch -o x.xlsx
        from ecoplan.render.batch_xlsx import render_batch_xlsx

        return render_batch_xlsx(aggregate)
    if fmt == "docx":
        # lazy: the batch's Word view and python-docx (~140 ms) only for batch -o x.docx
        from ecoplan.render.batch_docx import render_batch_docx

        return render_batch_docx(aggregate)
    if fmt == "html":
        # lazy: the batch's HTML view only for batch -o x.html
        from ecoplan.render.batch_html import render_batch_html

        return render_batch_html(aggregate)
    raise ValueError(f"batch cannot render {fmt!r}")  # the command's choices exclude it


def streamed(aggregate: BatchAggregate, fmt: str, *, bom: bool = False) -> Iterator[str]:
    """The JSON, JSON Lines or CSV of a settled aggregate, piece by piece, in input order."""
    # lazy: the JSON helpers only for the JSON formats, render.flat only for CSV
    from ecoplan.render.json_format import batch_entry, list_element

    if fmt == "csv":
        # lazy: render.flat only for batch --format csv
        from ecoplan.render.flat import BOM, CSV_COLUMNS

        yield (BOM if bom else "") + _csv_line([*CSV_ENTRY_COLUMNS, *CSV_COLUMNS])
        for entry in aggregate.entries:
            yield from _csv_entry(entry, aggregate.encoded(entry), len(CSV_COLUMNS))
        return
    indented = fmt == "json"
    yield "[" if indented else ""
    for entry in aggregate.entries:
        text = batch_entry(entry_head(entry), aggregate.encoded(entry), indented=indented)
        if indented:
            yield ("\n" if entry.index == 0 else ",\n") + list_element(text)
        else:
            yield text + "\n"
    if indented:
        yield "\n]\n" if aggregate.entries else "]\n"


def entry_head(entry: Entry) -> dict[str, Any]:
    """An entry's own fields, before the assessment's (DESIGN.md: batch entries)."""
    head: dict[str, Any] = {"file": entry.path, "status": entry.status}
    if entry.duplicate_of:
        head["duplicate_of"] = list(entry.duplicate_of)
    if entry.status == UNUSABLE:  # an assessed entry's problems are the assessment's own field
        head["problems"] = [p.as_dict() for p in entry.problems]
    return head


def _csv_entry(entry: Entry, records: Sequence[str] | None, width: int) -> Iterator[str]:
    # lazy: imported by `streamed` already; the entry statuses' words only for CSV here
    from ecoplan.render.batch_rows import ENTRY_STATUS_TEXT
    from ecoplan.render.cells import csv_text
    from ecoplan.render.flat import CSV_COLUMNS

    status = ENTRY_STATUS_TEXT[entry.status]
    duplicate_of = csv_text("；".join(entry.duplicate_of))
    if records is not None:
        head = _csv_line([csv_text(entry.path), status, duplicate_of, "", ""])[:-1]
        for record in records:
            yield f"{head},{record}"
    # The problems, one row each after the results (an unusable file has only these): the message in `reason`,
    # the place in `cell`, the indicator and year where the problem names them, the district's as its results.
    at = {column: CSV_COLUMNS.index(column) for column in ("district", "code", "pack", "id", "year", "reason", "cell")}
    for problem in entry.problems:
        cells = [""] * width
        cells[at["district"]], cells[at["code"]], cells[at["pack"]] = (csv_text(entry.name), csv_text(entry.code or ""),
                                                                       csv_text(entry.pack))
        cells[at["id"]], cells[at["year"]] = csv_text(problem.indicator or ""), str(problem.year or "")
        cells[at["reason"]], cells[at["cell"]] = csv_text(problem.message), csv_text(problem.cell or "")
        yield _csv_line([csv_text(entry.path), status, duplicate_of, problem.code, problem.severity, *cells])


def _csv_line(cells: Sequence[object]) -> str:
    # lazy: csv only for batch --format csv
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    return out.getvalue()


@contextlib.contextmanager
def _sink(output: Path | None) -> Iterator[Callable[[str], object]]:
    """A writer of text pieces: to standard output, or into a temporary file that replaces `output` when all is
    written (and disappears after an error or an interrupt)."""
    if output is None:
        yield sys.stdout.write
        sys.stdout.flush()
        return
    with atomic_writer(output) as handle:
        yield lambda text: handle.write(encoded(text))
    print(f"已写入 {output}", file=sys.stderr)


def _to_file(output: Path | None) -> bool:
    # lazy: the console helpers only to decide on the CSV's byte order mark
    from ecoplan.render.console import stdout_is_file

    return output is not None or stdout_is_file()


# --- what the workers make of each workbook (see ENCODERS) -------------------------------------------------------
def csv_records(path: str, assessment: Assessment) -> list[str]:
    """One CSV record per result of the assessment (ecoplan.render.flat's columns), each a line of its own; the
    entry's columns are put before each when the batch is done."""
    # lazy: the CSV cells and render.flat only for batch --format csv
    from ecoplan.render.cells import csv_text
    from ecoplan.render.flat import flat_rows

    return [_csv_line([csv_text(v) for v in row.values()]) for row in flat_rows(assessment)]


def whole(path: str, assessment: Assessment) -> Assessment:
    """The assessment itself (the Word report writes each district's section from it)."""
    return assessment
