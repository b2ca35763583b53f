"""The tables of a Word document (.docx), each with the caption above it and the notes below it.

Read from the document's XML through python-docx (its parser resolves no entities; the zip was checked before):
cells merged across (w:gridSpan) and down (w:vMerge) — both as Word writes them and as LibreOffice does —, rows
that start after empty grid columns (w:gridBefore), and a table that a page break split into two Word tables (only
blank paragraphs or a 续表 caption between them, the same number of columns) read as one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from ecoplan.errors import InputError
from ecoplan.rules.importer.grid import Block, GridBuilder, join_lines
from ecoplan.rules.importer.headers import header_key

_CAPTION = re.compile(r"^\s*(续?表|专栏|附表|附件)\s*[\d一二三四五六七八九十A-Za-z]")
_CONTINUED = re.compile(r"^\s*续表")
_NOTE_START = re.compile(r"^\s*(注|说明|备注)\s*[:：]|^\s*(注\s*\d|【\d+】|\[\d+\]|[*※])")
_NOTE_MORE = re.compile(r"^\s*(\d+\s*[.．、]|[（(]\d+[)）]|【\d+】|\[\d+\]|[*※①②③④⑤⑥⑦⑧⑨⑩])")
MAX_TITLE = 80  # a paragraph longer than this above a table is running text, not its caption


@dataclass
class _RawCell:
    col: int
    span: int
    merge: str | None  # None, "restart" or "continue" (w:vMerge)
    text: str


@dataclass
class _RawTable:
    index: int  # 1-based, among the document's top-level tables
    rows: list[list[_RawCell]]
    before: list[str]  # the paragraphs since the previous table (or the document's start)
    after: list[str] = field(default_factory=list)
    parts: list[int] = field(default_factory=list)  # the Word tables joined into this one
    part_starts: list[int] = field(default_factory=list)  # the row each joined table starts at

    @property
    def width(self) -> int:
        return max((c.col + c.span for row in self.rows for c in row), default=0)


def read_word(data: bytes, where: str, max_rows: int) -> list[Block]:
    """Every table of the document `data` as a Block (title, notes, grid); raises InputError if it cannot be read."""
    # lazy: python-docx and lxml (~120 ms) only when a Word file is imported
    import docx
    from docx.oxml.ns import qn

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors for a damaged package
        raise InputError(f"无法作为 Word 文档（.docx）读取（{type(exc).__name__}）", where) from None
    tables: list[_RawTable] = []
    paragraphs: list[str] = []
    count = 0
    for element in _body_elements(body, qn):
        if element.tag == qn("w:p"):
            paragraphs.append(_paragraph_text(element, qn))
            continue
        count += 1
        rows = _table_rows(element, qn)
        if sum(len(r) for r in rows) and len(rows) > max_rows:
            raise InputError(f"第 {count} 个表格有 {len(rows)} 行，超过上限 {max_rows}（ECOPLAN_MAX_ROWS）", where)
        table = _RawTable(count, rows, paragraphs, parts=[count])
        joined = _continuation(tables[-1], table, paragraphs) if tables else None
        if joined is not None:
            tables[-1].part_starts.append(len(tables[-1].rows))
            tables[-1].rows.extend(joined)
            tables[-1].parts.append(count)
        else:
            if tables:
                tables[-1].after = paragraphs
            tables.append(table)
        paragraphs = []
    if tables:
        tables[-1].after = paragraphs
    return [_block(t, where) for t in tables]


def _body_elements(body: Any, qn: Any) -> list[Any]:
    """The body's paragraphs and tables in order, looking inside content controls (w:sdt) that wrap them."""
    found = []
    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            found.append(child)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                found.extend(_body_elements(content, qn))
    return found


def _paragraph_text(paragraph: Any, qn: Any) -> str:
    """A paragraph's text: its runs' text, a tab as a space, a line break as a new line (joined later)."""
    parts = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append(" ")
        else:
            parts.append("\n")
    return "".join(parts)


def _table_rows(table: Any, qn: Any) -> list[list[_RawCell]]:
    rows = []
    for tr in table.iterchildren(qn("w:tr")):
        col = _int_attr(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), qn)
        cells = []
        for tc in _row_cells(tr, qn):
            props = tc.find(qn("w:tcPr"))
            span = max(1, _int_attr(props.find(qn("w:gridSpan")) if props is not None else None, qn, 1))
            merge_el = props.find(qn("w:vMerge")) if props is not None else None
            merge = None if merge_el is None else (merge_el.get(qn("w:val")) or "continue")
            lines = [_paragraph_text(p, qn) for p in tc.iterchildren(qn("w:p"))]
            cells.append(_RawCell(col, span, merge, join_lines([ln for p in lines for ln in p.split("\n")])))
            col += span
        rows.append(cells)
    return rows


def _row_cells(tr: Any, qn: Any) -> list[Any]:
    """A row's cells, looking inside content controls that wrap cells."""
    cells = []
    for child in tr.iterchildren():
        if child.tag == qn("w:tc"):
            cells.append(child)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                cells.extend(content.iterchildren(qn("w:tc")))
    return cells


def _int_attr(element: Any, qn: Any, default: int = 0) -> int:
    if element is None:
        return default
    try:
        return int(element.get(qn("w:val")) or default)
    except ValueError:
        return default


def _continuation(previous: _RawTable, table: _RawTable, between: list[str]) -> list[list[_RawCell]] | None:
    """The rows of `table` laid on the columns of `previous` if it continues it across a page break — nothing but
    blank paragraphs (or a 续表 caption) between them, and the same columns, or the same header typed again (its
    columns are then mapped onto the first table's by that header: a writer may drop a grid column a page does not
    use) —; None if it is a table of its own."""
    if any(not _CONTINUED.match(p.strip()) for p in between if p.strip()) or not previous.rows or not table.rows:
        return None
    head, again = previous.rows[0], table.rows[0]
    if _texts(head) == _texts(again) and [(c.col, c.span) for c in head] != [(c.col, c.span) for c in again]:
        return [[_moved(cell, again, head) for cell in row] for row in table.rows]
    return table.rows if previous.width == table.width else None


def _moved(cell: _RawCell, own: list[_RawCell], target: list[_RawCell]) -> _RawCell:
    """`cell` moved from the columns under the header `own` to those under the same header `target`."""
    def place(col: int, end: bool) -> int:
        for mine, theirs in zip(own, target, strict=True):
            if mine.col <= col < mine.col + mine.span:
                offset = min(col - mine.col, theirs.span - 1)
                if end and col == mine.col + mine.span - 1:
                    return theirs.col + theirs.span  # a cell reaching the end of its header reaches the end there
                return theirs.col + offset + (1 if end else 0)
        return col + (1 if end else 0)

    start = place(cell.col, False)
    return _RawCell(start, max(1, place(cell.col + cell.span - 1, True) - start), cell.merge, cell.text)


def _block(table: _RawTable, where: str) -> Block:
    builder = GridBuilder()
    first = _texts(table.rows[0]) if table.rows else ()
    repeated = {r for r, row in enumerate(table.rows) if r and _texts(row) == first}
    for r, row in enumerate(table.rows):
        for cell in row:
            # A cell continuing a merge from the page before continues the cell above the header typed again.
            above_row = r - 1
            while above_row in repeated:
                above_row -= 1
            above = builder.corners.get((above_row, cell.col)) if above_row >= 0 else None
            if cell.merge == "continue" and above is not None:
                builder.extend_down(above, r, cell.col, cell.span)
            else:
                builder.place(r, cell.col, cell.text, 1, cell.span)
        if not row:
            builder.height = max(builder.height, r + 1)
    grid = builder.grid().padded()
    # The first row of each later page under its repeated header: a merge the page break cut starts there.
    grid.page_starts = {next((r for r in range(start, len(table.rows)) if r not in repeated), start)
                        for start in table.part_starts}
    parts = "、".join(str(p) for p in table.parts)
    label = f"第 {parts} 个表格" if len(table.parts) == 1 else f"第 {parts} 个表格（跨页续表，合为一个）"
    return Block(grid, f"{where}: {label}", _title(table.before), _notes(table.after))


def _texts(row: list[_RawCell]) -> tuple[str, ...]:
    return tuple(header_key(cell.text) for cell in row)


def _title(before: list[str]) -> str | None:
    """The table's caption: the last paragraph above it that reads like one (表4 …, 专栏2 …), else the last
    short paragraph."""
    texts = [join_lines(p.split("\n")) for p in before if p.strip()]
    for text in reversed(texts[-3:]):
        if _CAPTION.match(text) and not _CONTINUED.match(text):
            return text
    if texts and len(texts[-1]) <= MAX_TITLE:
        return texts[-1]
    return None


def _notes(after: list[str]) -> list[str]:
    """The notes under a table: from a paragraph that starts like one (注：, 【1】, *), each numbered paragraph
    that follows, up to the first that is neither."""
    texts = [join_lines(p.split("\n")) for p in after if p.strip()]
    if not texts or not _NOTE_START.match(texts[0]):
        return []
    notes = [texts[0]]
    for text in texts[1:]:
        if not _NOTE_MORE.match(text):
            break
        notes.append(text)
    return notes


__all__ = ["read_word"]
