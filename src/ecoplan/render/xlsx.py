"""The attainment table as an Excel workbook (`assess --format xlsx -o report.xlsx`, and `batch`).

Sheets: 达标情况 (one row per indicator and sub-item of every assessment: status cells coloured, header
frozen, autofilter on), 汇总 (one row per assessment), and 问题 when an assessment carries problems.
Every text is written as a string cell — never a formula, whatever it starts with (= + - @) — and characters
that XML cannot carry are replaced, so the file opens in Excel, WPS and LibreOffice.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ecoplan.render.flat import flat_rows
from ecoplan.report.assessment import Assessment

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# (header, key in flat_rows, width)
TABLE_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("区县", "district", 10), ("行政区划代码", "code", 10), ("年度", "year", 7), ("指标体系", "pack", 22),
    ("序号", "id", 7), ("所属指标", "parent", 8), ("指标名称", "name", 34), ("属性", "attribute_zh", 8),
    ("状态", "status_zh", 8), ("指标值", "value", 30), ("目标", "target", 30), ("差距", "gap", 9),
    ("单位", "unit", 8), ("说明", "reason", 48), ("位置", "cell", 12), ("status", "status", 12),
)
SUMMARY_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("区县", "district", 12), ("行政区划代码", "code", 12), ("年度", "year", 7), ("指标体系", "pack", 24),
    ("指标数", "total", 8), ("达标", "met", 7), ("未达标", "not_met", 8), ("约束性未达标", "constraint_not_met", 12),
    ("不涉及", "not_applicable", 8), ("缺数据", "missing", 8), ("待核实", "review", 8), ("小结", "line", 60),
    ("文件", "source", 30),
)
PROBLEM_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("文件", "source", 28), ("位置", "cell", 14), ("级别", "severity", 8), ("代码", "code", 24),
    ("指标", "indicator", 10), ("年度", "year", 7), ("说明", "message", 80),
)
STATUS_FILLS = {"met": "C6EFCE", "not_met": "FFC7CE", "not_applicable": "EDEDED", "missing": "FFEB9C",
                "review": "E4DFEC"}
STATUS_FONTS = {"met": "006100", "not_met": "9C0006", "not_applicable": "595959", "missing": "9C5700",
                "review": "5B2C6F"}
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def text_cell(value: Any) -> Any:
    """A value as it may go into a cell: numbers stay numbers, text loses characters XML cannot carry."""
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    return _ILLEGAL.sub("\ufffd", str(value))


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell; text is always a string cell (data_type "s"), so "=1+1" is shown, never calculated."""
    cell = ws.cell(row=row, column=column)
    value = text_cell(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise make text beginning with "=" a formula
    return cell


def _sheet(wb: Any, title: str, columns: Sequence[tuple[str, str, int]], records: list[dict[str, Any]],
           first: bool = False) -> Worksheet:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.active if first else wb.create_sheet()
    ws.title = title
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for c, (label, _, width) in enumerate(columns, start=1):
        cell = put(ws, 1, c, label)
        cell.font, cell.fill = header_font, header_fill
        ws.column_dimensions[get_column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, record in enumerate(records, start=2):
        for c, (_, key, width) in enumerate(columns, start=1):
            cell = put(ws, r, c, record.get(key))
            if width >= 30:
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(records) + 1)}"
    return ws


def render_xlsx(assessments: list[Assessment]) -> bytes:
    """The workbook for these assessments, as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from ecoplan.render.text import attribute_text

    wb = Workbook()
    records: list[dict[str, Any]] = []
    for assessment in assessments:
        for record in flat_rows(assessment):
            record["attribute_zh"] = attribute_text(str(record["attribute"]))
            record["gap"] = _number(record["gap"])
            record["value"] = _number(record["value"])
            records.append(record)
    ws = _sheet(wb, "达标情况", TABLE_COLUMNS, records, first=True)
    status_column = [key for _, key, _ in TABLE_COLUMNS].index("status_zh") + 1
    for r, record in enumerate(records, start=2):
        status = str(record["status"])
        if status in STATUS_FILLS:
            cell = ws.cell(row=r, column=status_column)
            cell.fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
            cell.font = Font(color=STATUS_FONTS[status], bold=status == "not_met")
        if record["parent"] == "":
            ws.cell(row=r, column=[k for _, k, _ in TABLE_COLUMNS].index("name") + 1).font = Font(bold=True)
    summaries = [{**a.summary.as_dict(), "district": a.district.get("name"), "code": a.district.get("code"),
                  "year": a.year, "pack": a.pack.get("id"), "line": a.summary.line(), "source": a.source}
                 for a in assessments]
    _sheet(wb, "汇总", SUMMARY_COLUMNS, summaries)
    problems = [{**p.as_dict(), "source": a.source, "severity": {"error": "错误", "warning": "警告"}[p.severity]}
                for a in assessments for p in a.problems]
    if problems:
        _sheet(wb, "问题", PROBLEM_COLUMNS, problems)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")


def _number(text: object) -> object:
    """A plain decimal as a number cell (so sorting and filtering work); anything else as it was."""
    if text in ("", None):
        return None
    return float(str(text)) if _PLAIN.fullmatch(str(text)) else text
