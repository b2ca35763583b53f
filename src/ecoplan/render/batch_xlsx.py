"""The batch report as an .xlsx workbook a bureau can print and share: 排名 (every pack's ranking, one table; one
row per district, its earlier years beside it), 矩阵 (one sheet per pack: districts × indicators, status cells
coloured), 指标统计 (per-indicator counts), 文件清单 (every input with its status), 跳过的文件 when a folder held
other files, then one sheet per assessed workbook (its attainment table; a duplicate's sheet is marked so).

Every sheet has its header row frozen and repeated on every printed page, an autofilter, landscape pages fitted
to one page wide, and its title in the page header. Shares are numbers with a percent format, counts are numbers.
Sheet names are whole, or shortened with meaning: a pack's title without its bracketed note before it is cut.

The matrix prints legibly on one A4 page wide: its indicator columns are headed by their position (as the terminal
and Markdown matrices are) and hold the status glyph on its colour, and the rows under the table name each column
and each glyph — long CJK headers would have to be turned on their side and shrunk to fit.

The workbook is written in write-only mode: each district sheet is read back from the batch's spool and streamed
out in turn, so a batch of thousands of districts never holds every assessment in memory. Every cell is written
by render/cells.py's rule (no formula, no character XML cannot hold). openpyxl (~200 ms to import) is imported by
`render_batch_xlsx` only: `sheet_rows` runs in the workers that score the workbooks.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath
from typing import Any

from ecoplan.render.batch_rows import (
    COUNTED,
    COUNTS_HEADER,
    ENTRY_STATUS_TEXT,
    ENTRY_STATUS_TONE,
    FILES_HEADER,
    RANKING_HEADER,
    counted,
    district_label,
    headline,
    history_text,
    listed,
    pack_blocks,
    parts_note,
    ranking,
    skipped_text,
)
from ecoplan.render.cells import header_text, sheet_title, write_cell
from ecoplan.render.labels import STATUS_FILL, STATUS_GLYPH, STATUS_ORDER, attribute_text, status_text
from ecoplan.render.text import gap_text, value_text
from ecoplan.render.wrap import width
from ecoplan.report.assessment import Assessment
from ecoplan.run.batch_aggregate import ASSESSED, DUPLICATE, BatchAggregate, Entry, PackBlock

DISTRICT_HEADER = ["序号", "指标", "属性", "状态", "指标值", "目标", "差距", "单位", "说明", "单元格"]
DISTRICT_WIDTHS = (8, 36, 8, 8, 20, 24, 12, 10, 56, 10)
WRAPPED = (1, 4, 5, 8)  # 指标, 指标值 (a task and its actual), 目标, 说明: wrapped in their column
WRAPPED_RANKING = (0, 10, 12, 13)  # 排名's 指标体系, 往年达标率, 指标体系构成, 其他部分
LINE_PT = 15.0  # the height of one line of 11 pt text
PERCENT = "0.0%"
SHEET_NAME_MAX = 31  # Excel's limit
OVERVIEW_SHEETS = ("排名", "矩阵", "指标统计", "文件清单", "跳过的文件")  # a district sheet never takes their names
MATRIX_COLUMN_WIDTH = 4.5  # a glyph on its colour
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]")
_QUOTES = re.compile("[“”‘’\"「」]")


def sheet_rows(path: str, assessment: Assessment) -> list[tuple[Any, ...]]:
    """One district's sheet as plain tuples (picklable: the worker that scored the workbook builds them), status
    code first."""
    rows = []
    for depth, r in assessment.rows():
        rows.append((r.status, (r.seq or r.id) if depth == 0 else "", ("  └ " if depth else "") + r.name,
                     attribute_text(r.attribute) if depth == 0 else "", status_text(r.status),
                     r.value if isinstance(r.value, (int, float)) else value_text(r), r.target, gap_text(r),
                     r.unit or "", r.reason, r.cell or ""))
    return rows


def short_title(title: str, room: int, known: str = "") -> str:
    """A title in at most `room` characters, shortened with meaning: whole when it fits; else without its bracketed
    notes ("（2025年、2030年规划目标）"); else also without a leading `known` (the district the sheet name already
    names); else also without quotation marks (“十三五” → 十三五); else cut, ending in "…"."""
    if len(title) <= room:
        return title
    shorter = _BRACKETED.sub("", title).strip() or title
    if known and shorter.startswith(known) and len(shorter) > len(known):
        shorter = shorter[len(known):]
    if len(shorter) > room:
        shorter = _QUOTES.sub("", shorter) or shorter
    return shorter if len(shorter) <= room else shorter[:room - 1] + "…"


def render_batch_xlsx(aggregate: BatchAggregate) -> bytes:
    """The settled aggregate as the bytes of an .xlsx file (see the module docstring)."""
    return BatchXlsx().build(aggregate)


class BatchXlsx:
    """One report being built; `build` writes every sheet and returns the file's bytes."""

    def __init__(self) -> None:
        # lazy: openpyxl (~200 ms) only when a batch workbook is written
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        self._cell_type = WriteOnlyCell
        self._bold = Font(bold=True)
        self._wrap = Alignment(wrap_text=True, vertical="top")
        self._centre = Alignment(horizontal="center")  # short codes beside numbers: 名次, 列, 序号, 属性
        self._top = Alignment(vertical="top")
        self._top_centre = Alignment(horizontal="center", vertical="top")
        self._wrap_centre = Alignment(wrap_text=True, horizontal="center", vertical="top")  # 指标值, beside 目标
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
               freeze: str = "B2") -> Any:
        """A sheet with its print setup and its bold header row (row 1: frozen, filtered, repeated when printed).
        Widths and panes must be set here: a write-only sheet writes them out with its first row."""
        sheet = self.book.create_sheet(self._unique_title(title))
        for index, size in enumerate(widths):
            sheet.column_dimensions[_column_letter(index + 1)].width = size
        sheet.freeze_panes = freeze
        sheet.print_title_rows = "1:1"
        sheet.auto_filter.ref = f"A1:{_column_letter(len(header))}1"  # extended to the last row in `_filter_to`
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4, the paper Chinese offices print on
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as needed
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.oddHeader.center.text = header_text(page_title)
        sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
        sheet.append([self._cell(sheet, h, bold=True) for h in header])
        return sheet

    def _unique_title(self, wanted: str) -> str:
        taken = self._titles if wanted in OVERVIEW_SHEETS else self._titles | set(OVERVIEW_SHEETS)
        title = sheet_title(wanted, taken)
        self._titles.add(title.lower())
        return title

    @staticmethod
    def _filter_to(sheet: Any, columns: int, rows: int) -> None:
        sheet.auto_filter.ref = f"A1:{_column_letter(columns)}{max(rows, 1)}"

    # --- the report --------------------------------------------------------------------------------------------
    def build(self, aggregate: BatchAggregate) -> bytes:
        """Every sheet, the overview first, then the districts' (read back from the spool one at a time)."""
        blocks = pack_blocks(aggregate)
        line = headline(aggregate)
        self._ranking(blocks, line)
        for block in blocks:
            self._matrix(block, len(blocks) > 1)
        self._counts(blocks)
        self._files(aggregate, line)
        if aggregate.skipped:
            sheet = self._sheet("跳过的文件", ["文件"], [100], skipped_text(aggregate))
            for path in aggregate.skipped:
                sheet.append([self._cell(sheet, path)])
            self._filter_to(sheet, 1, len(aggregate.skipped) + 1)
        titles = {pack_id: info[0] for pack_id, info in aggregate.columns.items()}
        # The same district-year under several packs: each sheet's name says which pack.
        packs_of: dict[str, set[str]] = {}
        for entry in aggregate.entries:
            packs_of.setdefault(district_label(entry), set()).add(entry.pack)
        for entry in aggregate.entries:
            rows = aggregate.encoded(entry)
            if rows is not None:
                shared = len(packs_of[district_label(entry)]) > 1
                self._district(entry, rows, titles.get(entry.pack, entry.pack), shared)
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()

    def _ranking(self, blocks: list[PackBlock], line: str) -> None:
        header = ["指标体系", *RANKING_HEADER, "文件", "指标体系构成", "其他部分（不计入排名）"]
        widths: list[float] = [24, 6, 14, 7, 9, 10, 8, 10, 8, 8, 14, 40, 24, 30]
        sheet = self._sheet("排名", header, widths, f"排名（各指标体系内分别排名，每个区县一行）· {line}")
        count = 0
        for block in blocks:
            note = parts_note(block)
            for row in ranking(block):
                others = "；".join(row.entry.others.values())
                values: list[Any] = [block.title, row.rank, row.entry.name, row.entry.year, row.share,
                                     f"{row.met}/{row.total}", row.not_met, row.constraint_not_met, row.missing,
                                     row.review, history_text(row.history), row.entry.path, note, others]
                count += 1
                # The long texts wrap in their columns; the row is made as tall as the tallest.
                lines = max(_lines(values[i], widths[i]) for i in WRAPPED_RANKING)
                if lines > 1:
                    sheet.row_dimensions[count + 1].height = LINE_PT * lines
                sheet.append([self._cell(sheet, v, number_format=PERCENT if i == 4 else None,
                                         alignment=self._wrap if i in WRAPPED_RANKING else self._top_centre
                                         if i in (1, 3, 5) else self._top)
                              for i, v in enumerate(values)])
        self._filter_to(sheet, len(header), count + 1)

    def _matrix(self, block: PackBlock, several: bool) -> None:
        """Districts (their latest year, in ranking order) × indicators by position; under the table, what each
        position and each glyph stands for (see the module docstring)."""
        room = SHEET_NAME_MAX - len("矩阵 · ")  # the room left for the pack's title
        columns = len(block.columns)
        sheet = self._sheet(f"矩阵 · {short_title(block.title, room)}" if several else "矩阵",
                            ["区县", "年度", *[str(i) for i in range(1, columns + 1)]],
                            [16, 6, *[MATRIX_COLUMN_WIDTH] * columns],
                            f"指标矩阵 · {block.title}（{len(block.standings)} 个区县，各取最新年度）", freeze="C2")
        for entry in block.entries:
            sheet.append([self._cell(sheet, entry.name), self._cell(sheet, entry.year, alignment=self._centre)]
                         + [self._cell(sheet, STATUS_GLYPH.get(s, "?"), status=s, alignment=self._centre)
                            for s in entry.statuses])
        self._filter_to(sheet, columns + 2, len(block.entries) + 1)
        sheet.append([])
        for status in STATUS_ORDER:
            sheet.append([self._cell(sheet, STATUS_GLYPH[status], status=status, alignment=self._centre),
                          self._cell(sheet, status_text(status))])
        for number, (_, seq, name, attribute) in enumerate(block.columns, 1):
            label = f"{seq} {name}" if seq and seq != name else name
            words = f"{label}（{attribute_text(attribute)}）" if attribute else label
            sheet.append([self._cell(sheet, f"列 {number}", alignment=self._centre), self._cell(sheet, words)])

    def _counts(self, blocks: list[PackBlock]) -> None:
        header = ["指标体系", *COUNTS_HEADER]
        sheet = self._sheet("指标统计", header, [30, 5, 10, 8, 8, 8, 8, 8, 8, 44],
                            "各指标状态计数（各状态的区县数，取各区县最新年度；未达标最多者在前）")
        count = 0
        for block in blocks:
            for row in counted(block):
                values: list[Any] = [block.title, row.column, row.seq, *[row.counts[s] for s in COUNTED],
                                     row.attribute, row.name]
                sheet.append([self._cell(sheet, v, status="not_met" if i == 3 and v else None,
                                         alignment=self._centre if i in (1, 2, 8) else None)
                              for i, v in enumerate(values)])
                count += 1
        self._filter_to(sheet, len(header), count + 1)

    def _files(self, aggregate: BatchAggregate, line: str) -> None:
        widths: list[float] = [6, 10, 16, 7, 60, 80]
        sheet = self._sheet("文件清单", FILES_HEADER, widths, f"全部工作簿（按输入顺序）· {line}")
        rows = listed(aggregate)
        for number, row in enumerate(rows, 2):
            values: list[Any] = [row.number, row.status, row.name, row.entry.year or None, row.entry.path, row.note]
            lines = _lines(row.note, widths[5])
            if lines > 1:  # the note wraps (a duplicate's, an unusable file's, problems): as tall as it needs
                sheet.row_dimensions[number].height = LINE_PT * lines
            tone = ENTRY_STATUS_TONE[row.entry.status]
            sheet.append([self._cell(sheet, v, status=tone if i == 1 and row.entry.status != ASSESSED else None,
                                     alignment=self._wrap if i == 5 else self._top)
                          for i, v in enumerate(values)])
        self._filter_to(sheet, len(FILES_HEADER), len(rows) + 1)

    def _district(self, entry: Entry, rows: list[tuple[Any, ...]], pack_title: str, shared: bool) -> None:
        """One sheet for one assessed workbook: its attainment table, status cells coloured. A duplicate's sheet
        says so in its name and its page header, and names its file (which tells the copies apart); the same
        district-year under several packs names its pack."""
        s = entry.summary
        title = (f"{entry.name} {entry.year} 年 · {pack_title} · 达标 {s['met']}/{s['total']}，"
                 f"未达标 {s['not_met']}（其中约束性 {s['constraint_not_met']}）")
        label = district_label(entry)
        if entry.status == DUPLICATE:  # marked, and which copy: its file's name
            label = f"重复 · {label}"
            label = f"{label} · {short_title(PurePath(entry.path).stem, SHEET_NAME_MAX - len(label) - 3)}"
            title = f"{ENTRY_STATUS_TEXT[DUPLICATE]}（不参与排名）· {title}"
        elif shared:  # (a duplicate's file already tells its sheet from the other pack's)
            label = f"{label} · {short_title(pack_title, SHEET_NAME_MAX - len(label) - len(' · '), entry.name)}"
        sheet = self._sheet(label, DISTRICT_HEADER, list(DISTRICT_WIDTHS), f"{title} · {entry.path}")
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


def _lines(value: Any, column_width: float) -> int:
    """Lines a text takes wrapped in a column `column_width` characters wide (a Chinese character takes two)."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(max(1, -(-width(part) // int(column_width - 1))) for part in value.split("\n"))


def _column_letter(index: int) -> str:
    # lazy: imported by BatchXlsx already; kept out of the module's imports so the workers do not load openpyxl
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))
