"""The batch report as an .xlsx workbook: an overview sheet (ranking, one matrix per pack with coloured status
cells, per-indicator counts, the workbooks that could not be scored) and one sheet per district.

openpyxl is imported only here, and only when an xlsx report is asked for (its import costs ~150 ms). The
workbook is written in write-only mode: each district sheet is streamed out as its row arrives, so a batch of
thousands of districts does not hold every assessment in memory. Text is always stored as text: a reason or a
district name starting with "=" never becomes a formula.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ecoplan.render.batch_table import counts_rows, ranking_rows
from ecoplan.render.text import STATUS_GLYPH, attribute_text, gap_text, status_text, value_text
from ecoplan.report.assessment import Assessment
from ecoplan.run.batch import BatchAggregate, Entry

DISTRICT_HEADER = ["序号", "指标", "属性", "状态", "指标值", "目标", "差距", "单位", "说明", "单元格"]
# Fills as Excel's conditional-format presets colour good / bad / neutral cells.
FILLS = {"met": "C6EFCE", "not_met": "FFC7CE", "not_applicable": "EDEDED", "missing": "FFEB9C", "review": "E4D7F5"}
_BAD_TITLE = re.compile(r"[\\/?*\[\]:]")


def district_rows(assessment: Assessment) -> list[tuple[Any, ...]]:
    """One district's sheet as plain tuples (picklable, so a worker can build them): status code first."""
    rows = []
    for depth, r in assessment.rows():
        rows.append((r.status, (r.seq or r.id) if depth == 0 else "", ("  └ " if depth else "") + r.name,
                     attribute_text(r.attribute) if depth == 0 else "", status_text(r.status),
                     r.value if isinstance(r.value, (int, float)) else value_text(r), r.target, gap_text(r),
                     r.unit or "", r.reason, r.cell or ""))
    return rows


class BatchXlsx:
    """Builds the report as rows arrive; `finish` writes the overview and returns the file's bytes."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        self._cell_type = WriteOnlyCell
        self._bold = Font(bold=True)
        self._fills = {s: PatternFill("solid", fgColor=c) for s, c in FILLS.items()}
        self.book = Workbook(write_only=True)
        self.overview = self.book.create_sheet("总览")  # first sheet; filled at the end, when the ranking is known
        self.overview.freeze_panes = "A2"
        self._titles: set[str] = {"总览"}

    def _cell(self, sheet: Any, value: Any, *, bold: bool = False, status: str | None = None) -> Any:
        cell = self._cell_type(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # keep it text: openpyxl would otherwise store it as a formula
        if bold:
            cell.font = self._bold
        if status in self._fills:
            cell.fill = self._fills[status]
        return cell

    def _title(self, entry: Entry) -> str:
        base = _BAD_TITLE.sub("_", f"{entry.name} {entry.year}").strip("' ")[:28] or "district"
        title, n = base, 2
        while title.lower() in self._titles:
            title, n = f"{base[:26]}~{n}", n + 1
        self._titles.add(title.lower())
        return title

    def add_district(self, entry: Entry, rows: list[tuple[Any, ...]]) -> None:
        """One sheet for one district: its attainment table, status cells coloured."""
        sheet = self.book.create_sheet(self._title(entry))
        sheet.freeze_panes = "A3"
        for column, size in zip("ABCDEFGHIJ", (8, 36, 8, 8, 24, 30, 12, 10, 50, 12)):
            sheet.column_dimensions[column].width = size
        s = entry.summary
        sheet.append([self._cell(sheet, f"{entry.name} {entry.year} 年 · {entry.pack} · 达标 {s['met']}/{s['total']}，"
                                        f"未达标 {s['not_met']}（约束性 {s['constraint_not_met']}）", bold=True),
                      self._cell(sheet, entry.path)])
        sheet.append([self._cell(sheet, h, bold=True) for h in DISTRICT_HEADER])
        for status, *values in rows:
            sheet.append([self._cell(sheet, v, status=status if i == 3 else None) for i, v in enumerate(values)])

    def finish(self, aggregate: BatchAggregate) -> bytes:
        """Write the overview sheet and return the .xlsx bytes."""
        sheet = self.overview
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 16
        header, rows = ranking_rows(aggregate)
        sheet.append([self._cell(sheet, h, bold=True) for h in header])
        for row in rows:
            sheet.append([self._cell(sheet, _number(v)) for v in row])
        for block in aggregate.packs.values():
            sheet.append([])
            sheet.append([self._cell(sheet, f"指标矩阵 · {block.title} ({block.id})", bold=True)])
            sheet.append([self._cell(sheet, "区县", bold=True)]
                         + [self._cell(sheet, seq, bold=True) for _, seq, _, _ in block.columns])
            sheet.append([self._cell(sheet, "")] + [self._cell(sheet, name) for _, _, name, _ in block.columns])
            for entry in block.entries:
                sheet.append([self._cell(sheet, f"{entry.name} {entry.year}")]
                             + [self._cell(sheet, STATUS_GLYPH.get(s, "?") + " " + status_text(s), status=s)
                                for s in entry.statuses])
            sheet.append([])
            header, rows = counts_rows(block)
            sheet.append([self._cell(sheet, f"各指标状态计数 · {block.id}", bold=True)])
            sheet.append([self._cell(sheet, h, bold=True) for h in header])
            for row in rows:
                sheet.append([self._cell(sheet, _number(v)) for v in row])
        if aggregate.errors:
            sheet.append([])
            sheet.append([self._cell(sheet, "无法评估的工作簿", bold=True)])
            for path, message in aggregate.errors:
                sheet.append([self._cell(sheet, path), self._cell(sheet, message)])
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def _number(text: str) -> Any:
    """Counts and ranks as numbers (so Excel can sort them); everything else stays text."""
    return int(text) if text.isdigit() else text
