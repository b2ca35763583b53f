"""Finding the indicator tables among a file's grids: where each header is, which rows are its body, its title and
the notes under it.

A Word table is one grid; a sheet may hold several tables one below the other. A body ends at a note (注：…), at
another table's header, or at a blank row; a header row repeated within the body (each page's, in a table pasted
from a document) is skipped. The title is the caption above the table — a row of one cell above the header, or the
paragraph above a Word table —, and the notes are the rows or paragraphs under it that start like notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecoplan.rules.importer.grid import Block, Grid
from ecoplan.rules.importer.headers import Header, read_header

_NOTE = re.compile(r"^\s*(注\s*[:：\d]|说明\s*[:：]|【\d+】|\[\d+\]|[*※])")
_NOTE_MORE = re.compile(r"^\s*(\d+\s*[.．、]|[（(]\d+[)）]|【\d+】|\[\d+\]|[*※①②③④⑤⑥⑦⑧⑨⑩])")
_HEADER_SEARCH = 8  # rows from a grid's top (or a blank row) searched for a header


@dataclass
class FoundTable:
    """An indicator table: its grid, header, body rows, caption and notes, and where it is in the file."""

    grid: Grid
    header: Header
    rows: list[int]
    where: str
    title: str | None = None
    notes: list[str] = field(default_factory=list)
    skipped_headers: int = 0  # header rows repeated inside the body (one per page)


def find_tables(blocks: list[Block]) -> list[FoundTable]:
    """Every indicator table in `blocks`, in the file's order."""
    found: list[FoundTable] = []
    for block in blocks:
        tables = _tables_in(block)
        if tables and tables[0].title is None:
            tables[0].title = block.title
        if tables and not tables[-1].notes:
            tables[-1].notes = _note_lines(block.notes)
        found.extend(tables)
    return found


def _tables_in(block: Block) -> list[FoundTable]:
    grid = block.grid
    tables: list[FoundTable] = []
    row, floor = 0, 0
    while row < grid.height:
        header = read_header(grid, row)
        if header is None:
            row += 1
            continue
        table = FoundTable(grid, header, [], block.where if len(tables) == 0 and row < _HEADER_SEARCH else
                           f"{block.where} 第 {row + 1} 行起", _title_above(grid, row, floor))
        row = _body(grid, table)
        row = _notes_below(grid, row, table)
        tables.append(table)
        floor = row
    return tables


def _body(grid: Grid, table: FoundTable) -> int:
    """Collect the body rows of `table`; return the first row after it."""
    row = table.header.end
    signature = table.header.signature()
    while row < grid.height:
        if grid.is_blank(row):
            after = _next_filled(grid, row)
            repeated = after < grid.height and _same_header(grid, after, signature)
            if not repeated:
                return row
            row = after
            continue
        if _is_note(grid, row):
            return row
        again = read_header(grid, row)
        if again is not None:
            if again.signature() != signature:
                return row  # another table's header
            table.skipped_headers += 1
            row = again.end
            continue
        table.rows.append(row)
        row += 1
    return row


def _same_header(grid: Grid, row: int, signature: tuple[tuple[int, str], ...]) -> bool:
    header = read_header(grid, row)
    return header is not None and header.signature() == signature


def _next_filled(grid: Grid, row: int) -> int:
    while row < grid.height and grid.is_blank(row):
        row += 1
    return row


def _line(grid: Grid, row: int) -> str:
    return "".join(t for t in grid.row_texts(row) if t.strip())


def _is_note(grid: Grid, row: int) -> bool:
    return bool(_NOTE.match(_line(grid, row)))


def _notes_below(grid: Grid, row: int, table: FoundTable) -> int:
    """The note rows under the body (注：…, then numbered rows); return the first row after them."""
    row = _next_filled(grid, row)
    if row >= grid.height or not _is_note(grid, row):
        return row
    table.notes.append(_line(grid, row))
    row += 1
    while row < grid.height and not grid.is_blank(row) and _NOTE_MORE.match(_line(grid, row)):
        table.notes.append(_line(grid, row))
        row += 1
    return row


def _title_above(grid: Grid, row: int, floor: int) -> str | None:
    """The caption in the grid above a header: the nearest filled row above it, when it is one text."""
    above = row - 1
    while above >= floor and grid.is_blank(above):
        above -= 1
    if above < floor:
        return None
    texts = [t for t in grid.row_texts(above) if t.strip()]
    return texts[0] if len(texts) == 1 else None


def _note_lines(paragraphs: list[str]) -> list[str]:
    return [p for p in paragraphs if p.strip()]


__all__ = ["FoundTable", "find_tables"]
