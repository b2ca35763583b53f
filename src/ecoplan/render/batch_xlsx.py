"""The batch report as an .xlsx workbook a bureau can print and share: 排名 (every pack's ranking, one table),
矩阵 (one sheet per pack: districts × indicators, status cells coloured), 指标统计 (per-indicator counts), then one
sheet per district (its attainment table), and 无法评估 when some workbook could not be scored.

Every sheet has its header row frozen and repeated on every printed page, an autofilter, landscape pages fitted
to one page wide, and its title in the page header. Shares are numbers with a percent format, counts are numbers.

openpyxl (~200 ms to import) loads with this module, which render/emit.py imports only when an xlsx report is
asked for. The workbook is written in write-only mode: each district sheet is streamed out as its row arrives, so a
batch of thousands of districts does not hold every assessment in memory; the overview sheets, written last, are
moved to the front. Every cell is written by render/cells.py's rule (no formula, no character XML cannot hold).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ecoplan.render.batch_rows import (
    COUNTED,
    COUNTS_HEADER,
    RANKING_HEADER,
    column_headers,
    counted,
    district_label,
    matrix_entries,
    pack_blocks,
    parts_note,
    ranking,
)
from ecoplan.render.batch_table import width
from ecoplan.render.cells import header_text, sheet_title, write_cell
from ecoplan.render.labels import STATUS_FILL, STATUS_GLYPH, attribute_text, status_text
from ecoplan.render.text import gap_text, value_text
from ecoplan.report.assessment import Assessment
from ecoplan.run.batch import BatchAggregate, Entry

DISTRICT_HEADER = ["序号", "指标", "属性", "状态", "指标值", "目标", "差距", "单位", "说明", "单元格"]
DISTRICT_WIDTHS = (8, 36, 8, 8, 20, 24, 12, 10, 56, 10)
WRAPPED = (1, 4, 5, 8)  # 指标, 指标值 (a task and its actual), 目标, 说明: wrapped in their column
LINE_PT = 15.0  # the height of one line of 11 pt text
PERCENT = "0.0%"
OVERVIEW_SHEETS = ("排名", "矩阵", "指标统计", "无法评估")  # written last; a district sheet never takes their names


def district_rows(assessment: Assessment) -> list[tuple[Any, ...]]:
    """One district's sheet as plain tuples (picklable, so a worker can build them): status code first."""
    rows = []
    for depth, r in assessment.rows():
        rows.append((r.status, (r.seq or r.id) if depth == 0 else "", ("  └ " if depth else "") + r.name,
                     attribute_text(r.attribute) if depth == 0 else "", status_text(r.status),
                     r.value if isinstance(r.value, (int, float)) else value_text(r), r.target, gap_text(r),
                     r.unit or "", r.reason, r.cell or ""))
    return rows


def status_cell_text(status: str) -> str:
    """A status cell: its glyph (which survives black-and-white printing) and its word."""
    return f"{STATUS_GLYPH.get(status, '?')} {status_text(status)}"


class BatchXlsx:
    """Builds the report as rows arrive; `finish` writes the overview sheets and returns the file's bytes."""

    def __init__(self) -> None:
        self._cell_type = WriteOnlyCell
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self._centre = Alignment(horizontal="center")  # short codes beside numbers: 名次, 列, 序号, 属性
        self._top = Alignment(vertical="top")
        self._bottom = Alignment(vertical="bottom")  # a district row's cells line up with its wrapped text
        self._top_centre = Alignment(horizontal="center", vertical="top")
        self._wrap_centre = Alignment(wrap_text=True, horizontal="center", vertical="top")  # 指标值, beside 目标
        self._rotated = Alignment(text_rotation=90, wrap_text=True, horizontal="center", vertical="bottom")
        self._fills = {s: PatternFill("solid", fgColor=c) for s, c in STATUS_FILL.items()}
        self.book = Workbook(write_only=True)
        self._titles: set[str] = set()

    # --- cells and sheets ------------------------------------------------------------------------------------
    def _cell(self, sheet: Any, value: Any, *, bold: bool = False, status: str | None = None,
              number_format: str | None = None, alignment: Any = None) -> Any:
        cell = write_cell(self._cell_type(sheet), value)
        if bold:
            cell.font = self._bold
        if status in self._fills:
            cell.fill = self._fills[status]
        if number_format:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def _sheet(self, title: str, header: list[str], widths: list[float], page_title: str,
               header_alignment: Any = None, header_height: float | None = None, freeze: str = "B2") -> Any:
        """A sheet with its print setup and its bold header row (row 1: frozen, filtered, repeated when printed).
        Widths, panes and heights must be set here: a write-only sheet writes them out with its first row."""
        sheet = self.book.create_sheet(self._unique_title(title))
        for index, size in enumerate(widths):
            sheet.column_dimensions[_column_letter(index + 1)].width = size
        sheet.freeze_panes = freeze
        sheet.print_title_rows = "1:1"
        sheet.auto_filter.ref = f"A1:{_column_letter(len(header))}1"  # extended to the last row in `_close`
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4, the paper Chinese offices print on
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as needed
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddHeader.center.text = header_text(page_title)
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
        if header_height:
            sheet.row_dimensions[1].height = header_height
        # The frozen key columns (left of `freeze`) keep a plain header; `header_alignment` is for the others.
        keys = ord(freeze[0]) - ord("A")
        sheet.append([self._cell(sheet, h, bold=True, alignment=header_alignment if i >= keys else self._bottom)
                      for i, h in enumerate(header)])
        return sheet

    def _unique_title(self, wanted: str) -> str:
        taken = self._titles if wanted in OVERVIEW_SHEETS else self._titles | {t.lower() for t in OVERVIEW_SHEETS}
        title = sheet_title(wanted, taken)
        self._titles.add(title.lower())
        return title

    @staticmethod
    def _filter_to(sheet: Any, columns: int, rows: int) -> None:
        sheet.auto_filter.ref = f"A1:{_column_letter(columns)}{max(rows, 1)}"

    # --- the district sheets, as rows arrive -------------------------------------------------------------------
    def add_district(self, entry: Entry, rows: list[tuple[Any, ...]]) -> None:
        """One sheet for one district: its attainment table, status cells coloured."""
        s = entry.summary
        title = (f"{entry.name} {entry.year} 年 · {entry.pack} · 达标 {s['met']}/{s['total']}，"
                 f"未达标 {s['not_met']}（其中约束性 {s['constraint_not_met']}）")
        sheet = self._sheet(district_label(entry), DISTRICT_HEADER, list(DISTRICT_WIDTHS), f"{title} · {entry.path}")
        for number, (status, *values) in enumerate(rows, 2):
            lines = max(_lines(values[i], DISTRICT_WIDTHS[i]) for i in WRAPPED)
            if lines > 1:
                # Spreadsheets do not grow a row for wrapped text on opening a file (LibreOffice, Excel): the
                # height is set here, a write-only sheet taking it before the row is written.
                sheet.row_dimensions[number].height = LINE_PT * lines
            sheet.append([self._cell(sheet, v, status=status if i == 3 else None, alignment=self._district_alignment(i))
                          for i, v in enumerate(values)])
        self._filter_to(sheet, len(DISTRICT_HEADER), len(rows) + 1)

    def _district_alignment(self, column: int) -> Any:
        """Long text (WRAPPED) wraps; short codes sit centred; every cell at the top of its row."""
        if column == 4:
            return self._wrap_centre
        return self._wrap if column in WRAPPED else self._top_centre if column in (0, 2, 3, 6, 7) else self._top

    # --- the overview, at the end ------------------------------------------------------------------------------
    def finish(self, aggregate: BatchAggregate) -> bytes:
        """Write the overview sheets, put them before the district sheets, and return the .xlsx bytes."""
        before = len(self.book._sheets)  # openpyxl keeps the sheet order in this list; the overview goes first
        blocks = pack_blocks(aggregate)
        headline = (f"批量评估：{aggregate.total} 个工作簿，已评估 {len(aggregate.entries)} 个，"
                    f"无法评估 {len(aggregate.errors)} 个")
        self._ranking(aggregate, blocks, headline)
        for block in blocks:
            self._matrix(block, matrix_entries(aggregate, block), len(blocks) > 1)
        self._counts(blocks)
        if aggregate.errors:
            sheet = self._sheet("无法评估", ["文件", "原因"], [60, 100], f"无法评估的工作簿 · {headline}")
            for path, message in aggregate.errors:
                sheet.append([self._cell(sheet, path), self._cell(sheet, message, alignment=self._wrap)])
            self._filter_to(sheet, 2, len(aggregate.errors) + 1)
        sheets = self.book._sheets
        sheets[:] = sheets[before:] + sheets[:before]
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()

    def _ranking(self, aggregate: BatchAggregate, blocks: list[Any], headline: str) -> None:
        header = ["指标体系", *RANKING_HEADER, "文件", "指标体系构成", "其他部分（不计入排名）"]
        sheet = self._sheet("排名", header, [22, 6, 14, 7, 9, 10, 8, 10, 8, 8, 50, 30, 40],
                            f"排名（各指标体系内分别排名）· {headline}")
        count = 0
        for block in blocks:
            note = parts_note(block)
            for row in ranking(aggregate, block):
                values: list[Any] = [block.id, row.rank, row.entry.name, row.entry.year, row.share,
                                     f"{row.met}/{row.total}", row.not_met, row.constraint_not_met, row.missing,
                                     row.review, row.entry.path, note, "；".join(row.entry.others.values())]
                sheet.append([self._cell(sheet, v, number_format=PERCENT if i == 4 else None,
                                         alignment=self._centre if i in (1, 3, 5) else None)
                              for i, v in enumerate(values)])
                count += 1
        self._filter_to(sheet, len(header), count + 1)

    def _matrix(self, block: Any, entries: list[Entry], several: bool) -> None:
        headers = column_headers(block)
        longest = max([len(h) for h in headers] + [4])
        # Indicator names run up the header row (rotated), so 30+ columns fit a landscape page wide.
        height = min(260.0, 12.0 * min(longest, 20) + 10)
        sheet = self._sheet(f"矩阵 · {block.id}" if several else "矩阵", ["区县", "年度", *headers],
                            [16, 6, *[9] * len(headers)], f"指标矩阵 · {block.title} ({block.id})",
                            header_alignment=self._rotated, header_height=height, freeze="C2")
        for entry in entries:
            sheet.append([self._cell(sheet, entry.name), self._cell(sheet, entry.year, alignment=self._centre)]
                         + [self._cell(sheet, status_cell_text(s), status=s, alignment=self._centre)
                            for s in entry.statuses])
        self._filter_to(sheet, len(headers) + 2, len(block.entries) + 1)

    def _counts(self, blocks: list[Any]) -> None:
        header = ["指标体系", *COUNTS_HEADER]
        sheet = self._sheet("指标统计", header, [22, 5, 10, 8, 8, 8, 8, 8, 8, 44],
                            "各指标状态计数（各状态的评估份数，未达标最多者在前）")
        count = 0
        for block in blocks:
            for row in counted(block):
                values: list[Any] = [block.id, row.column, row.seq, *[row.counts[s] for s in COUNTED],
                                     row.attribute, row.name]
                sheet.append([self._cell(sheet, v, status="not_met" if i == 3 and v else None,
                                         alignment=self._centre if i in (1, 2, 8) else None)
                              for i, v in enumerate(values)])
                count += 1
        self._filter_to(sheet, len(header), count + 1)


def _lines(value: Any, column_width: float) -> int:
    """Lines a text takes wrapped in a column `column_width` characters wide (a Chinese character takes two)."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(max(1, -(-width(part) // int(column_width - 1))) for part in value.split("\n"))


def _column_letter(index: int) -> str:
    return str(get_column_letter(index))

