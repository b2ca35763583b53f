"""How a 指标数据 sheet is laid out: where its header row is, which column holds what, and which rows are not
indicator rows — as people really make them.

A title row above the header, a header cell merged across the 编号 and 名称 columns ("指标" over A1:B1), 指标编号
and name in one cell ("4.1 优良天数比率"), the documents' own layout (one column per year), a 合计 or 备注 row at
the bottom: each is recognised here once, so the row reader never meets them row by row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ecoplan.normalize import compact
from ecoplan.workbook.reader import RawSheet

COLUMNS: dict[str, str] = {
    "指标编号": "id", "编号": "id", "id": "id", "indicator_id": "id",
    "指标名称": "name", "指标": "name", "name": "name", "indicator": "name",
    "年度": "year", "年份": "year", "year": "year",
    "指标值": "value", "数值": "value", "value": "value", "当年指标值": "value", "填报值": "value", "实际值": "value",
    "完成值": "value", "现状值": "value",
    "上级任务": "superior_target", "上级规定的考核任务": "superior_target", "superior_target": "superior_target",
    "单位": "unit", "unit": "unit",
    "备注": "note", "note": "note", "notes": "note",
    "数据来源": "source", "来源": "source", "source": "source",
}
YEAR_HEADER = re.compile(r"^((?:19|20)\d\d)\s*年?(?:现状|指标值|实际值|数据|值)?$")
HEADER_ROWS = 10  # the header is looked for in the first rows only: below them a sheet is data
_HEADER_WORDS = {"目标", "达标情况", "领域", "任务", "序号", "属性", "指标属性", "备注"}
# An indicator id as the documents number them: 4, 4.1, 17.2.3, R1.
_ID = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){0,2}|[A-Za-z]\d{1,3}(?:\.\d{1,3})?)$")
# "4.1 优良天数比率", "4.1、优良天数比率", "（4.1）优良天数比率": an id, a separator, then the name.
_ID_AND_NAME = re.compile(r"^[（(]?(\d{1,3}(?:\.\d{1,3}){0,2}|[A-Za-z]\d{1,3})[)）]?[\s、.．:：]+(\S.*)$")
# Rows below the table that are no indicator: totals, notes, who filled the form.
_FOOTER = re.compile(r"^(?:合计|总计|小计|备注|注|说明|填表|填报|审核|制表|联系|负责人)"
                     r"(?:\s|[:：\d１-９（(]|$|人|单位|日期)")


@dataclass
class Header:
    """The header row (0-based), field → column, and column → year for the layout with one column per year."""

    row: int
    columns: dict[str, int]
    years: dict[int, int] = field(default_factory=dict)
    ids_in_names: bool = False  # no 指标编号 column, but the name cells start with the id ("4.1 优良天数比率")
    relabelled: str | None = None  # how a merged or blank header cell was read (said once, at the header)

    @property
    def wide(self) -> bool:
        """One column per year and no 年度 column: the documents' own layout. There the 指标值 column holds the
        criterion, so the values are read from the year columns."""
        return bool(self.years) and "year" not in self.columns

    def used_columns(self) -> set[int]:
        used = set(self.columns.values()) | (set(self.years) if self.wide else set())
        if self.wide:
            used.discard(self.columns.get("value", -1))
        return used


def text(cell: Any) -> str:
    """A cell as trimmed text ('' for empty; 2023.0 → "2023")."""
    if type(cell) is str:  # most cells: skip the checks below
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def find_header(sheet: RawSheet) -> Header | None:
    """The header row among the first rows (a title above it is skipped), with its columns worked out."""
    for r, row in enumerate(sheet.rows[:HEADER_ROWS]):
        columns: dict[str, int] = {}
        years: dict[int, int] = {}
        for c, cell in enumerate(row):
            label = compact(text(cell)).lower()
            if not label:
                continue
            field_name = COLUMNS.get(label) or COLUMNS.get(_bare_label(label))
            if field_name and field_name not in columns:
                columns[field_name] = c
                continue
            m = YEAR_HEADER.match(label)
            if m and "目标" not in label:
                years[c] = int(m.group(1))
        if ("name" in columns or "id" in columns) and ("value" in columns or years):
            header = Header(r, columns, years)
            _split_label_column(sheet, header)
            return header
    return None


def _bare_label(label: str) -> str:
    """A header label without what people add to it: a required-field mark (*指标值) and a note in brackets
    (指标值（%）, 指标名称(单位), 指标值(2023年))."""
    label = label.strip("*＊")
    return re.sub(_BRACKETED, "", label) or label


# A string re compiles on first use: a negated class of wide brackets costs ~1 ms to compile, and most sheets'
# headers are found without it.
_BRACKETED = r"[(（\[【][^()（）\[\]【】]*[)）\]】]$"


def _split_label_column(sheet: RawSheet, header: Header) -> None:
    """One header cell over the 编号 and the 名称 columns ("指标" merged across A1:B1, or "指标" with a blank cell
    beside it): the column whose cells are ids is 指标编号, the next one 指标名称. Without an id column, name cells
    that begin with an id ("4.1 优良天数比率") carry both."""
    if "id" in header.columns or "name" not in header.columns:
        return
    name_col = header.columns["name"]
    below = sheet.rows[header.row + 1:]
    spanned = _spanned_columns(sheet, header.row, name_col)
    neighbour = name_col + 1
    if neighbour not in spanned and not _blank_header(sheet.rows[header.row], neighbour, header):
        neighbour = -1
    if neighbour >= 0 and _share(below, name_col, _ID.match) >= 0.6 and _share(below, neighbour, _is_name) >= 0.6:
        header.columns["id"], header.columns["name"] = name_col, neighbour
        label = text(sheet.rows[header.row][name_col])
        how = "合并单元格" if neighbour in spanned else "表头单元格"
        header.relabelled = (f"表头“{label}”所在的{how}下有两列：第一列按指标编号读取，第二列按指标名称读取")
        return
    header.ids_in_names = _share(below, name_col, _ID_AND_NAME.match) >= 0.6


def _spanned_columns(sheet: RawSheet, row: int, column: int) -> set[int]:
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= row <= r1 and c0 == column and c1 > c0:
            return set(range(c0 + 1, c1 + 1))
    return set()


def _blank_header(row: list[Any], column: int, header: Header) -> bool:
    return column < len(row) and not text(row[column]) and column not in header.columns.values() \
        and column not in header.years


def _is_name(value: str) -> bool:
    return bool(value) and not _ID.match(value) and not value.replace(".", "", 1).isdigit()


def _share(rows: list[list[Any]], column: int, test: Callable[[str], object]) -> float:
    """The share of the non-blank cells of `column` (footer rows left out) that pass `test`."""
    values = [text(row[column]) for row in rows if column < len(row) and text(row[column])]
    values = [v for v in values if not _FOOTER.match(v)]
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def split_id_and_name(cell: str) -> tuple[str | None, str]:
    """ "4.1 优良天数比率" → ("4.1", "优良天数比率"); a name without an id → (None, name)."""
    m = _ID_AND_NAME.match(cell)
    return (m.group(1), m.group(2).strip()) if m else (None, cell)


def footer_label(row: list[Any]) -> tuple[int, str] | None:
    """The column and first text of a row that is a 合计 / 备注 / 填表人 line below the table, else None."""
    column, first = next(((c, text(x)) for c, x in enumerate(row) if text(x)), (0, ""))
    return (column, first) if first and _FOOTER.match(compact(first)) else None


def header_like(row: list[Any]) -> bool:
    """Whether a row is the second line of a two-line header (目标 / 2025年 2030年)."""
    labels = [compact(text(x)).lower() for x in row if text(x)]
    return bool(labels) and all(YEAR_HEADER.match(x) or x in _HEADER_WORDS or x in COLUMNS
                                or re.fullmatch(r"((?:19|20)\d\d)年?目标", x) for x in labels)
