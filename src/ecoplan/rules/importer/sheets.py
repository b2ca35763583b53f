"""The sheets of a spreadsheet annex (.xlsx, .xls, .ods) as grids, read exactly as district workbooks are read.

`ecoplan.workbook.reader.read_workbook` checks the file first (size, zip bombs, XML entities, OLE2 sector chains,
encryption) and reads every cell with python-calamine; its merged ranges (from calamine, or from the container for
.ods) become merged cells of the grid. A sheet may hold several tables; `ecoplan.rules.importer.tables` finds them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ecoplan.quantity import format_number
from ecoplan.rules.importer.grid import Block, GridBuilder, join_lines
from ecoplan.workbook.reader import RawSheet, read_workbook


def read_sheets(path: Path) -> list[Block]:
    """Every sheet of the workbook at `path` that holds any text, as a Block; raises InputError naming the fault."""
    book = read_workbook(path)
    return [Block(_grid(sheet), f"{path}: 工作表 {sheet.name}") for sheet in book.sheets.values()
            if any(_text(value, False) for row in sheet.rows for value in row)]


def _grid(sheet: RawSheet) -> Any:
    builder = GridBuilder()
    for row0, col0, row1, col1 in sheet.merged:
        value = sheet.rows[row0][col0] if row0 < len(sheet.rows) and col0 < len(sheet.rows[row0]) else ""
        builder.place(row0, col0, _text(value, (row0, col0) in sheet.percent_cells), row1 - row0 + 1,
                      col1 - col0 + 1)
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if not builder.occupied(r, c):
                builder.place(r, c, _text(value, (r, c) in sheet.percent_cells))
    return builder.grid().padded()


def _text(value: Any, percent: bool) -> str:
    """A cell's value as the sheet shows it: 4628 (not 4628.0), 95% for 0.95 in a percentage format."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return f"{format_number(value * 100)}%" if percent else format_number(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return join_lines(str(value).splitlines())


__all__ = ["read_sheets"]
