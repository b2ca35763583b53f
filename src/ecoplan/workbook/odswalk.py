"""The walk through an .ods content.xml that finds what calamine's values cannot show: each table's rows that
hold a value (a repeated row counts as often as it repeats), hidden rows and columns, cells in a percentage
format, merged cells. Regular expressions over the bytes, never an XML parser (the bytes are not yet known to
be free of entity declarations when the walk runs)."""

from __future__ import annotations

import re

from ecoplan.workbook.facts import SheetFacts

ODS_TAG = re.compile(rb"<table:table(\s[^>]*)?>|<table:table-row\b([^>]*?)(/?)>|<table:table-column\b([^>]*)>"
                      rb"|</table:table-row>|<table:(?:covered-)?table-cell\b([^>]*?)/?>")
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_REPEAT = re.compile(rb'table:number-(?:rows|columns)-repeated="(\d+)"')
_ODS_SPAN = re.compile(rb'table:number-(rows|columns)-spanned="(\d+)"')
_ODS_COLLAPSED = re.compile(rb'table:visibility="(?:collapse|filter)"')
_ODS_COLUMNS = 16384  # the widest sheet LibreOffice makes; repeats beyond it are not walked


class OdsWalk:
    """Where the walk through content.xml is (sheet, row, column, each with its repeats) and what each table, row,
    column and cell tag shows: hidden, holding a value, a percentage, merged over other cells."""

    def __init__(self) -> None:
        self.facts: dict[str, SheetFacts] = {}
        self.sheet: SheetFacts | None = None
        self.row = self.column = self.cell = 0
        self.repeat = 1  # how often the current row repeats
        self.valued = False  # whether the current row holds a value

    def tag(self, m: re.Match[bytes]) -> None:
        table, row_attrs, row_closed, column_attrs, cell_attrs = m.group(1, 2, 3, 4, 5)
        if table is not None or m.group(0) == b"<table:table>":
            name = _ODS_NAME.search(table or b"")
            self.sheet = self.facts.setdefault(xml_unescape(name.group(1).decode()) if name else "?", SheetFacts())
            self.row = self.column = 0
        elif self.sheet is None:
            return
        elif column_attrs is not None:
            self._column(self.sheet, column_attrs)
        elif row_attrs is not None:
            self._row(self.sheet, row_attrs, bool(row_closed))
        elif cell_attrs is not None:
            self._cell(self.sheet, cell_attrs)
        else:  # </table:table-row>
            if self.valued:
                self.sheet.rows = self.row + self.repeat  # rows up to the last one holding a value
            self.row += self.repeat

    def _column(self, sheet: SheetFacts, attrs: bytes) -> None:
        repeat = _repeat(attrs)
        if _ODS_COLLAPSED.search(attrs) and self.column < _ODS_COLUMNS:
            sheet.hidden_columns.extend(range(self.column, min(self.column + repeat, _ODS_COLUMNS)))
        self.column += repeat

    def _row(self, sheet: SheetFacts, attrs: bytes, closed: bool) -> None:
        self.repeat, self.valued, self.cell = _repeat(attrs), False, 0
        if _ODS_COLLAPSED.search(attrs):
            sheet.hidden_rows.extend(range(self.row + 1, self.row + 1 + min(self.repeat, 100)))
        if closed:
            self.row += self.repeat

    def _cell(self, sheet: SheetFacts, attrs: bytes) -> None:
        if b"value-type=" in attrs:
            self.valued = True
            if b'office:value-type="percentage"' in attrs:
                sheet.percent_cells.add((self.row, self.cell))
        if b"-spanned=" in attrs:
            spans = {kind: int(n) for kind, n in _ODS_SPAN.findall(attrs)}
            rows, columns = spans.get(b"rows", 1), spans.get(b"columns", 1)
            if rows > 1 or columns > 1:
                sheet.merged.append((self.row, self.cell, self.row + rows - 1, self.cell + columns - 1))
        self.cell += _repeat(attrs)


def _repeat(attrs: bytes) -> int:
    repeat = _ODS_REPEAT.search(attrs)
    return int(repeat.group(1)) if repeat else 1


def xml_unescape(text: str) -> str:
    """The five predefined XML entities, as they appear in attribute values (sheet names)."""
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))
