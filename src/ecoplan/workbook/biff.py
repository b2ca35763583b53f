"""The BIFF8 records of an .xls Workbook stream that matter before calamine reads it: FILEPASS (the file is
encrypted), and per sheet its extent, hidden rows and columns and cells in a percentage format — what calamine's
values do not show. Record by record with `struct`; a record too short for its fields is skipped.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from ecoplan.workbook.facts import SheetFacts

_FILEPASS, _EOF = 0x002F, 0x000A
_FORMAT, _XF, _BOUNDSHEET, _ROW, _COLINFO = 0x041E, 0x00E0, 0x0085, 0x0208, 0x007D
_NUMBER, _RK, _MULRK, _FORMULA, _DIMENSIONS = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0200
# Every record that places a cell (row and column first): LABELSST, LABEL, RSTRING, BLANK, BOOLERR, NUMBER, RK,
# FORMULA; MULRK and MULBLANK end with their last column.
_CELLS = frozenset({0x00FD, 0x0204, 0x00D6, 0x0201, 0x0205, _NUMBER, _RK, _FORMULA})
_MULTI_CELLS = frozenset({_MULRK, 0x00BE})
_PERCENT_BUILTIN = {9, 10}  # 0% and 0.00%


def has_filepass(stream: bytes) -> bool:
    """Whether the workbook globals (the BIFF records up to the first EOF) hold a FILEPASS record."""
    return any(kind == _FILEPASS for kind, _, _ in _records(stream, 0))


def _records(stream: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, offset of the body, length) of each BIFF record from `at` to the substream's EOF."""
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, at + 4, length
        if kind == _EOF:
            return
        at += 4 + length


def facts(stream: bytes) -> dict[str, SheetFacts]:
    """Each sheet's declared size (DIMENSIONS), hidden rows and columns, and cells in a percentage format (87.9% is
    stored as 0.879, and calamine gives the number; the reader shows it as typed), from the globals' FORMAT, XF
    and BOUNDSHEET records and each sheet's records. Records too short to hold their fields are skipped."""
    percent_formats = set(_PERCENT_BUILTIN)
    xf_formats: list[int] = []
    sheets: list[tuple[str, int]] = []
    for kind, body, length in _records(stream, 0):
        if kind == _FORMAT and length >= 5:
            if "%" in _unicode_string(stream, body + 2, 2).replace('"%"', "").replace("\\%", ""):
                percent_formats.add(struct.unpack_from("<H", stream, body)[0])
        elif kind == _XF and length >= 4:
            xf_formats.append(struct.unpack_from("<H", stream, body + 2)[0])
        elif kind == _BOUNDSHEET and length >= 8:
            sheets.append((_unicode_string(stream, body + 6, 1), struct.unpack_from("<I", stream, body)[0]))
    percent_xfs = {i for i, fmt in enumerate(xf_formats) if fmt in percent_formats}
    return {name: _sheet_facts(stream, offset, percent_xfs) for name, offset in sheets if offset < len(stream)}


def _sheet_facts(stream: bytes, offset: int, percent_xfs: set[int]) -> SheetFacts:
    """One sheet's facts. Its size is the furthest cell any record places (or DIMENSIONS, if larger): calamine
    sizes its cell grid by the cells when it opens the file, and one cell at row 52,999, column 25,607 (two bytes
    of a damaged file) made it allocate 43 GB and abort the process; the reader refuses such a sheet first."""
    found = SheetFacts()
    last_row = last_col = -1
    for kind, body, length in _records(stream, offset):
        if (kind in _CELLS or kind in _MULTI_CELLS) and length >= 6:
            row, col = struct.unpack_from("<HH", stream, body)
            end = struct.unpack_from("<H", stream, body + length - 2)[0] if kind in _MULTI_CELLS else col
            last_row, last_col = max(last_row, row), max(last_col, col, end)
            if percent_xfs:
                _percent(found, stream, kind, body, length, percent_xfs)
        elif kind == _DIMENSIONS and length >= 12:
            _, rows, _, columns = struct.unpack_from("<IIHH", stream, body)  # one past the last row and column
            last_row, last_col = max(last_row, rows - 1), max(last_col, columns - 1)
        elif kind == _ROW and length >= 16:
            row, flags = struct.unpack_from("<H", stream, body)[0], struct.unpack_from("<I", stream, body + 12)[0]
            if flags & 0x20:  # fDyZero: the row is hidden
                found.hidden_rows.append(row + 1)
        elif kind == _COLINFO and length >= 10:
            first, last, _, _, flags = struct.unpack_from("<5H", stream, body)
            if flags & 0x1:
                found.hidden_columns.extend(range(first, min(last, first + 256) + 1))
    found.rows, found.dimension_columns = last_row + 1, last_col + 1
    return found


def _percent(found: SheetFacts, stream: bytes, kind: int, body: int, length: int, percent_xfs: set[int]) -> None:
    """Record the cells of one cell record whose style is a percentage."""
    row, col = struct.unpack_from("<HH", stream, body)
    if kind == _MULRK:
        for i in range((length - 6) // 6):
            if struct.unpack_from("<H", stream, body + 4 + 6 * i)[0] in percent_xfs:
                found.percent_cells.add((row, col + i))
    elif kind in (_NUMBER, _RK, _FORMULA) and struct.unpack_from("<H", stream, body + 4)[0] in percent_xfs:
        found.percent_cells.add((row, col))


def _unicode_string(stream: bytes, at: int, count_bytes: int) -> str:
    """A BIFF8 string: its character count (1 or 2 bytes), a flags byte (bit 0: two bytes per character), the
    characters."""
    count = stream[at] if count_bytes == 1 else struct.unpack_from("<H", stream, at)[0]
    flags = stream[at + count_bytes]
    start = at + count_bytes + 1
    if flags & 0x1:
        return stream[start:start + 2 * count].decode("utf-16-le", "replace")
    return stream[start:start + count].decode("latin-1")
