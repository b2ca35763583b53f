"""Plan files for the import tests, built from the transcribed seed tables in tests/fixtures/plan_tables/.

A transcription is a grid: "<" is a cell merged with the one to its left, "^" with the one above. From it this
module writes what planning offices send: a Word file (python-docx; one table whose header row repeats on each
page, or the table split by page breaks into Word tables that continue one another, the header typed again on
each), and a spreadsheet annex with merged cells (openpyxl). `convert` re-saves files through LibreOffice (its own
.docx XML, .xls, .ods).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "plan_tables"
# The hand-written pack each transcribed table is measured against.
PACKS = {"seed000-table1": "national-demo-2019", "seed001-column1": "chongqing-13th-fyp",
         "seed001-column2": "chongqing-14th-fyp", "seed003-column2": "shapingba-14th-fyp",
         "seed004-column1": "gaoxin-14th-fyp"}
LEFT, UP = "<", "^"
SOFFICE = shutil.which("soffice")


@dataclass
class Transcription:
    name: str
    title: str
    header: list[list[str]]
    rows: list[list[str]]
    notes: list[str]
    pages: list[int] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.header[0])

    def grid(self) -> list[list[str]]:
        return [*self.header, *self.rows]


def load(name: str) -> Transcription:
    data = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    return Transcription(name, data["title"], data["header"], data["rows"], data.get("notes", []),
                         data.get("pages", []))


def regions(grid: list[list[str]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Each merged cell's top-left position → (rows, columns) it covers."""
    found = {}
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text in (LEFT, UP):
                continue
            cols = 1
            while c + cols < len(row) and row[c + cols] == LEFT:
                cols += 1
            rows = 1
            while r + rows < len(grid) and grid[r + rows][c] == UP:
                rows += 1
            found[(r, c)] = (rows, cols)
    return found


# ------------------------------------------------------------------------------------------------------- Word
def write_docx(table: Transcription, path: Path, *, split: bool = False) -> Path:
    """A Word file with a heading, running text, the title paragraph, the table and its notes, then more text.
    `split`: the table is cut at its page rows into Word tables separated by page breaks, the header typed again
    at the top of each, merged cells continued across (vMerge); otherwise one table whose header row repeats on
    each page (w:tblHeader)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    document.add_heading("第二章 规划目标与指标", level=1)
    document.add_paragraph("到2025年，生态环境质量持续改善，主要指标见下表。")
    document.add_paragraph(table.title)
    cuts = [0, *(table.pages if split else []), len(table.rows)]
    depth = len(table.header)
    previous: Any = None
    for part, (start, end) in enumerate(itertools.pairwise(cuts)):
        if part:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        rows = table.rows[start:end]
        grid = [*table.header, *[_restart(row) if i == 0 and part else row for i, row in enumerate(rows)]]
        word = _word_table(document, grid, depth)
        if part:
            _continue_merges(previous, word, table.rows[start], depth)
        previous = word
    for note in table.notes:
        document.add_paragraph(note)
    document.add_paragraph("第三章 统筹山水林田湖草保护修复")
    document.add_paragraph("牢固树立山水林田湖草生命共同体理念，增强生态系统稳定性。")
    document.save(path)
    return path


def _restart(row: list[str]) -> list[str]:
    """The first row of a later page: cells merged from the page before become cells of their own here (empty);
    `_continue_merges` marks them as continuing."""
    return ["" if text == UP else text for text in row]


def _word_table(document: Any, grid: list[list[str]], depth: int) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = document.add_table(rows=len(grid), cols=len(grid[0]))
    word.style = "Table Grid"
    for (r, c), (rows, cols) in regions(grid).items():
        cell = word.cell(r, c)
        if rows > 1 or cols > 1:
            cell = cell.merge(word.cell(r + rows - 1, c + cols - 1))
        _set_text(cell, grid[r][c])
    for r in range(depth):
        tr_pr = word.rows[r]._tr.get_or_add_trPr()
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        tr_pr.append(header)
    return word


def _set_text(cell: Any, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _continue_merges(previous: Any, word: Any, first_row: list[str], depth: int) -> None:
    """Cells of the first body row of a continuing Word table that the transcription merges with the row above
    (on the page before): vMerge continue here, restart on the last row of the previous table."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    last = previous.rows[-1]._tr
    first = word.rows[depth]._tr
    for c, text in enumerate(first_row):
        if text != UP:
            continue
        below = first.tc_at_grid_offset(c)
        above = last.tc_at_grid_offset(c)
        if above.tcPr is None or above.tcPr.find(qn("w:vMerge")) is None:
            mark = OxmlElement("w:vMerge")
            mark.set(qn("w:val"), "restart")
            above.get_or_add_tcPr().append(mark)
        if below.tcPr is None or below.tcPr.find(qn("w:vMerge")) is None:
            below.get_or_add_tcPr().append(OxmlElement("w:vMerge"))


# -------------------------------------------------------------------------------------------------- spreadsheet
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def write_xlsx(tables: list[Transcription], path: Path, *, cover: bool = True) -> Path:
    """A workbook: a cover sheet of text (no table), then each table on its own sheet — title row merged across,
    header, body with merged cells, a blank row, the notes — numbers stored as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    if cover:
        first.title = "说明"
        first["A1"] = "附件：规划指标表"
        first["A2"] = "本附件列出规划的主要指标。"
    for index, table in enumerate(tables):
        sheet = first if not cover and index == 0 else book.create_sheet()
        sheet.title = f"附表{index + 1}"
        place_table(sheet, table, 1)
    book.save(path)
    return path


def place_table(sheet: Any, table: Transcription, top: int) -> int:
    """Write `table` on `sheet` from row `top` (1-based); return the row after its notes."""
    sheet.cell(top, 1, table.title)
    sheet.merge_cells(start_row=top, start_column=1, end_row=top, end_column=table.width)
    grid = table.grid()
    for (r, c), (rows, cols) in regions(grid).items():
        text = grid[r][c]
        sheet.cell(top + 1 + r, 1 + c, float(text) if _NUMBER.match(text) and "." in text
                   else int(text) if _NUMBER.match(text) else text or None)
        if rows > 1 or cols > 1:
            sheet.merge_cells(start_row=top + 1 + r, start_column=1 + c, end_row=top + r + rows,
                              end_column=c + cols)
    row = top + 1 + len(grid) + 1
    for note in table.notes:
        sheet.cell(row, 1, note)
        row += 1
    return row


# ------------------------------------------------------------------------------------------------ LibreOffice
def convert(paths: list[Path], to: str, outdir: Path) -> list[Path]:
    """Re-save `paths` through LibreOffice as `to` (docx, xls, ods) into `outdir` (one soffice run)."""
    assert SOFFICE is not None
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        # A profile of its own: a LibreOffice another process runs would otherwise take the conversion over.
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", to,
                        "--outdir", str(outdir), *map(str, paths)], check=True, capture_output=True, timeout=300,
                       env={**os.environ, "HOME": profile})
    converted = [outdir / f"{p.stem}.{to}" for p in paths]
    missing = [p for p in converted if not p.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return converted
