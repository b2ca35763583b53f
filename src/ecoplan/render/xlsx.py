"""The attainment table as an Excel workbook ready to share and print (`assess --format xlsx -o report.xlsx`).

Sheets: 达标情况 (one per assessment, shaped like the plan's table: the district, year and summary in the title
rows, then one row per indicator and sub-item — 领域 | 序号 | 指标名称 | 属性 | 状态 | 指标值 | 单位 | 目标 | 差距 |
说明 | progress per target year | 位置), 汇总 (one row per assessment), and 问题 when an assessment carries problems.

Values and gaps that are numbers are stored as numbers with a number format showing the decimals reported (the gap
with its sign and unit, "−1.81 个百分点", as the table prints it), so sorting, filtering and sums work; the 差距
column is as wide as its widest gap, so none prints as ###. Print setup: A4 landscape, fit to one page wide, the header
row repeated on every page, the title in the page header and page numbers in the footer. Every cell goes through
render.cells (never a formula, never a character XML cannot hold).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from ecoplan.quantity import format_number
from ecoplan.render.cells import header_text, put, sheet_title
from ecoplan.render.labels import (
    PROGRESS_ARROWS,
    PROGRESS_LABELS,
    SEVERITY_LABELS,
    STATUS_FILL,
    STATUS_FONT,
    attribute_text,
    status_text,
)
from ecoplan.render.text import gap_text, gap_unit_text, shown_value, target_years
from ecoplan.report.assessment import Assessment, Result

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["PROBLEM_COLUMNS", "SUMMARY_COLUMNS", "number_format", "put", "render_xlsx", "table_columns",
           "title_text"]

# (header, width in characters); the progress columns are added per target year.
TABLE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("领域", 10), ("序号", 5), ("指标名称", 30), ("属性", 7), ("状态", 7), ("指标值", 20), ("单位", 8),
    ("目标", 26), ("差距", 9), ("说明", 44),
)
TRAILING_COLUMNS: tuple[tuple[str, int], ...] = (("位置", 13),)
PROGRESS_WIDTH = 20
SUMMARY_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("区县", "district", 12), ("行政区划代码", "code", 12), ("年度", "year", 7), ("指标体系", "pack", 24),
    ("指标数", "total", 8), ("达标", "met", 7), ("未达标", "not_met", 8), ("约束性未达标", "constraint_not_met", 12),
    ("不涉及", "not_applicable", 8), ("缺数据", "missing", 8), ("待核实", "review", 8), ("小结", "line", 60),
    ("文件", "source", 30), ("其他部分（不计入指标表）", "others", 40),
)
PROBLEM_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("文件", "source", 28), ("位置", "cell", 14), ("级别", "severity", 8), ("代码", "code", 24),
    ("指标", "indicator", 10), ("年度", "year", 7), ("说明", "message", 80),
)
HEADER_FILL = "DDEBF7"
LINE_HEIGHT = 15.0
"""Points per wrapped line (11 pt text with CJK glyphs)."""
TITLE_ROWS = 2
HEADER_ROW = TITLE_ROWS + 1
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def render_xlsx(assessments: Sequence[Assessment]) -> bytes:
    """The workbook for these assessments, as the bytes of an .xlsx file."""
    wb = Workbook()
    wb.remove(wb.active)
    used = {"汇总", "问题"}  # the list sheets' names, lower-cased as sheet_title compares them
    for assessment in assessments:
        wanted = f"{assessment.district.get('name') or '区县'} {assessment.year}"
        title = "达标情况" if len(assessments) == 1 else sheet_title(wanted, used, fallback="达标情况")
        used.add(title.lower())
        _table_sheet(wb.create_sheet(title), assessment)
    summaries = [{**a.summary.as_dict(), "district": a.district.get("name"), "code": a.district.get("code"),
                  "year": a.year, "pack": a.pack.get("id"), "line": a.summary.line(), "source": a.source,
                  "others": "；".join(p.summary.line() for p in a.parts if not p.headline)}
                 for a in assessments]
    _list_sheet(wb.create_sheet("汇总"), SUMMARY_COLUMNS, summaries, "达标情况汇总")
    problems = [{**p.as_dict(), "source": a.source, "severity": SEVERITY_LABELS[p.severity]}
                for a in assessments for p in a.problems]
    if problems:
        _list_sheet(wb.create_sheet("问题"), PROBLEM_COLUMNS, problems, "填报问题")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def title_text(assessment: Assessment) -> str:
    """"渝北区 2023 年 · <pack title> 达标情况"."""
    pack = assessment.pack.get("title") or assessment.pack.get("id") or ""
    return f"{assessment.district.get('name') or ''} {assessment.year} 年 · {pack} 达标情况"



def table_columns(assessment: Assessment) -> list[tuple[str, int]]:
    """The 达标情况 sheet's columns (header, width): the fixed ones, one per target year, then 位置."""
    progress = [(f"{year} 年规划目标进度", PROGRESS_WIDTH) for year in target_years(assessment)]
    fixed = [(label, gap_width(assessment) if label == "差距" else width) for label, width in TABLE_COLUMNS]
    return [*fixed, *progress, *TRAILING_COLUMNS]


def number_format(value: float, *, signed: bool = False, unit: str = "") -> str:
    """A format showing the decimals as reported ("37.69" → 0.00); a gap also shows its sign (+1.1, −35, with the
    minus sign the table prints) and its unit ("−1.81 个百分点"), so the cell stays a number and reads as the table."""
    text = format_number(abs(value))
    decimals = len(text.split(".")[1]) if "." in text else 0
    base = "0" + ("." + "0" * decimals if decimals else "")
    if not signed:
        return base
    suffix = f' "{unit}"' if unit else ""
    return f'+{base}{suffix};"−"{base}{suffix};0{suffix}'


def gap_width(assessment: Assessment) -> int:
    """The 差距 column's width: its widest gap as printed ("+1053.13 t", "−1.81 个百分点"), so none shows as ###."""
    widest = max((cell_len(gap_text(r)) for _, r in assessment.rows()), default=0)
    return max(dict(TABLE_COLUMNS)["差距"], widest + 3)


def _row_values(depth: int, result: Result, years: Sequence[int]) -> list[Any]:
    # A number in the indicator's unit is stored as a number (95.2% and 12.3㎡/人 too), the unit beside it.
    value: Any = result.value if _is_number(result.value) else shown_value(result)
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):  # a number as reported ("37.69") as well
        value = float(value) if "." in value else int(value)
    unit = result.unit if result.unit and not result.items else ""
    progress = {int(e["target_year"]): e for e in (result.progress or [])}
    marks = []
    for year in years:
        entry = progress.get(year)
        if entry is None:
            marks.append("")
            continue
        mark = f"{PROGRESS_ARROWS[entry['status']]}{PROGRESS_LABELS[entry['status']]}"
        # the plan's own target for that year, when it says more than the standard's target beside it
        marks.append(mark if entry["target"] == result.target else f"{mark}（目标 {entry['target']}）")
    return [result.domain or "", (result.seq or result.id) if depth == 0 else "", result.name,
            attribute_text(result.attribute) if depth == 0 else "", status_text(result.status), value, unit,
            result.target, result.gap, result.reason, *marks, result.cell or ""]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _table_sheet(ws: Worksheet, assessment: Assessment) -> None:
    columns = table_columns(assessment)
    last = get_column_letter(len(columns))
    district = assessment.district
    put(ws, 1, 1, title_text(assessment)).font = Font(bold=True, size=14)
    code = f"（{district.get('code')}）" if district.get("code") else ""
    facts = (f"区县：{district.get('name') or ''}{code}　年度：{assessment.year}　"
             f"指标体系：{assessment.pack.get('id') or ''}　小结：{assessment.summary.line()}")
    put(ws, 2, 1, facts).font = Font(bold=True, color=STATUS_FONT["not_met" if assessment.summary.not_met else "met"])
    for row in (1, 2):
        ws.merge_cells(f"A{row}:{last}{row}")
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c, (label, width) in enumerate(columns, start=1):
        cell = put(ws, HEADER_ROW, c, label)
        cell.font, cell.fill, cell.alignment = header_font, header_fill, centre
        ws.column_dimensions[get_column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    indented = Alignment(wrap_text=True, vertical="top", indent=2)
    status_column, name_column, value_column, gap_column = 5, 3, 6, 9
    years = target_years(assessment)
    fills = {s: PatternFill("solid", fgColor=colour) for s, colour in STATUS_FILL.items()}
    # Each part of the pack (the table first) under a heading row; a part outside the headline with its tally.
    rows: list[tuple[int, Result] | str] = []
    for part in assessment.parts:
        rows.append(part.heading if part.headline else f"{part.heading}　小结：{part.summary.line()}")
        rows.extend(part.rows())
    for offset, line in enumerate(rows, start=1):
        r = HEADER_ROW + offset
        if isinstance(line, str):
            put(ws, r, 1, line).font = Font(bold=True)
            ws.merge_cells(f"A{r}:{last}{r}")
            continue
        depth, result = line
        values = _row_values(depth, result, years)
        ws.row_dimensions[r].height = row_height(values, [width for _, width in columns])
        for c, value in enumerate(values, start=1):
            cell = put(ws, r, c, value)
            cell.alignment = indented if (c == name_column and depth) else wrap
            if c == value_column and _is_number(value):
                cell.number_format = number_format(float(value))
            elif c == gap_column and _is_number(value):
                cell.number_format = number_format(float(value), signed=True, unit=gap_unit_text(result))
        status = ws.cell(row=r, column=status_column)
        if result.status in fills:
            status.fill = fills[result.status]
            status.font = Font(color=STATUS_FONT[result.status], bold=result.status == "not_met")
        if depth == 0:
            ws.cell(row=r, column=name_column).font = Font(bold=True)
    ws.freeze_panes = f"D{HEADER_ROW + 1}"  # the header and the names stay in view
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + len(rows)}"
    _print_setup(ws, title_text(assessment), f"{HEADER_ROW}:{HEADER_ROW}")


def row_height(values: Sequence[Any], widths: Sequence[int]) -> float:
    """The height that shows every wrapped cell of a row whole. Written out because no spreadsheet program
    recomputes row heights on opening (LibreOffice converting to PDF shows one line of each otherwise); a column
    of width w holds about w − 1 digits, and a Chinese character is about 1.8 digits wide."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if value is None or _is_number(value):
            continue
        for part in str(value).split("\n"):
            lines = max(lines, math.ceil(cell_len(part) * 0.9 / max(1, width - 1)) or 1)
    return LINE_HEIGHT * lines


def _list_sheet(ws: Worksheet, columns: Sequence[tuple[str, str, int]], records: list[dict[str, Any]],
                title: str) -> None:
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
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
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(records) + 1)}"
    _print_setup(ws, title, "1:1")


def _print_setup(ws: Worksheet, title: str, title_rows: str) -> None:
    """A4 landscape, one page wide (as many pages tall as needed), the header rows on every page, the title in the
    page header and "第 n 页，共 m 页" in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.center.text = header_text(title)
    ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9

