"""The batch overview as text (terminal) and Markdown: each pack's ranking, one districts × indicators matrix per
pack, the indicators that fail most often, and the workbooks that could not be scored.

Plain text with ANSI colour rather than a rich table: a matrix of 1,000 districts × 50 indicators is 50,000
cells, which rich lays out in seconds, while the glyph grid here is a join per line (and rich's import alone
costs more than scoring a hundred workbooks).

Every line fits the page width (the terminal's, when writing to one): a table too wide for it is written as one
block per row, and the matrix is split into groups of indicator columns. Lines break by render/wrap.py's rule (never
inside an id, a path or a number with its unit); widths count East Asian characters as two columns.
"""

from __future__ import annotations

import os
import sys
from typing import IO

from ecoplan.render.batch_rows import (
    COUNTED,
    COUNTS_HEADER,
    ENTRY_STATUS_TONE,
    FILES_HEADER,
    RANKING_HEADER,
    counted,
    counts_text_row,
    district_label,
    headline,
    listed,
    listed_text_row,
    other_parts,
    pack_blocks,
    parts_note,
    ranking,
    ranking_text_row,
    skipped_text,
)
from ecoplan.render.console import page_width
from ecoplan.render.escape import markdown_code, markdown_text, terminal_text
from ecoplan.render.labels import STATUS_GLYPH, STATUS_STYLE, status_text
from ecoplan.render.wrap import width, wrap
from ecoplan.run.batch_aggregate import BatchAggregate, Entry, PackBlock

_ANSI = {"green": "32", "bold red": "1;31", "dim": "2", "yellow": "33", "magenta": "35", "bold": "1"}
INDENT = "  "
# The counts table on a narrow page: the status glyphs of the matrix and the legend head the count columns.
_COMPACT_COUNTS = ["列", "序号", *(STATUS_GLYPH[s] for s in COUNTED), "属性", "指标"]


def use_colour(stream: IO[str]) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR")


def pad(text: str, size: int, right: bool = False) -> str:
    """Pad to `size` terminal columns (left-aligned, or right-aligned for numbers)."""
    space = " " * max(0, size - width(text))
    return space + text if right else text + space


def _paint(text: str, style: str, colour: bool) -> str:
    code = _ANSI.get(style)
    return f"\x1b[{code}m{text}\x1b[0m" if colour and code else text


def _heading(text: str, colour: bool, size: int, style: str = "bold") -> list[str]:
    return [_paint(line, style, colour) for line in wrap(text, size, INDENT)]


def fit_table(header: list[str], rows: list[list[str]], right: set[int], size: int, keys: int,
              compact: list[str] | None = None) -> list[str]:
    """The rows as an aligned table (indented) when it fits in `size` columns; otherwise, with the `compact` header
    (shorter words for the same columns) if one is given and that fits; otherwise one block per row: its first
    `keys` cells on one line, then "header value" pairs, indented and wrapped. The last column may be long text
    (an indicator's name): when only it overflows, it moves whole to the row's next line instead."""
    for shown in [header, compact] if compact else [header]:
        sizes = [max(width(r[i]) for r in [shown, *rows]) for i in range(len(shown))]
        if width(INDENT) + sum(sizes) + 2 * (len(sizes) - 1) <= size:
            return [_aligned(r, sizes, right, len(r)) for r in [shown, *rows]]
    last = len(shown) - 1
    if width(INDENT) + sum(sizes[:last]) + 2 * (last - 1) <= size:  # only the long last column overflows
        out = []
        for r in [shown, *rows]:  # the header's last word too, when it does not fit beside the others
            full = (_aligned(r, sizes, right, last, strip=False) + "  " + r[last]).rstrip()  # padding is no text
            out += [full] if width(full) <= size else [_aligned(r, sizes, right, last),
                                                       *wrap(INDENT * 3 + r[last], size, INDENT * 3)]
        return [line.rstrip() for line in out]
    out = []
    for r in rows:
        out += wrap(INDENT + "  ".join(r[:keys]), size, INDENT * 3)
        pairs = "  ".join(f"{h} {c}" for h, c in zip(header[keys:], r[keys:], strict=True) if c)
        out += wrap(INDENT * 3 + pairs, size, INDENT * 3)
    return out


def _aligned(cells: list[str], sizes: list[int], right: set[int], count: int, strip: bool = True) -> str:
    line = INDENT + "  ".join(pad(c, sizes[i], i in right) for i, c in enumerate(cells[:count]))
    return line.rstrip() if strip else line


def render_batch_text(aggregate: BatchAggregate, colour: bool = False, columns: int | None = None) -> str:
    """The terminal overview (see the module docstring), laid out in `columns` (default: stdout's width, by the
    one rule of render/console.page_width)."""
    size = max(columns or page_width(sys.stdout), 40)
    out: list[str] = []
    blocks = pack_blocks(aggregate)
    out += _heading(f"批量评估：{aggregate.total} 个工作簿，{len(blocks)} 个指标体系", colour, size)
    if blocks:
        out.append("")
        out += _heading("排名（各指标体系内分别排名，每个区县一行：最新年度参与排名，往年列在其后；"
                        "按达标率，其次约束性未达标数，其次名称）", colour, size)
    for number, block in enumerate(blocks):
        out += [""] if number else []
        out += _heading(f"{block.title} ({block.id})：{len(block.standings)} 个区县", colour, size, "")
        out += wrap(f"{INDENT}{parts_note(block)}", size, INDENT * 2)
        rows = [[terminal_text(cell) for cell in ranking_text_row(r)] for r in ranking(block)]
        out += fit_table(RANKING_HEADER, rows, right={0, 3, 4, 5, 6, 7, 8}, size=size, keys=4)
        for line in other_parts(block.entries):
            out += wrap(f"{INDENT}{terminal_text(line)}", size, INDENT * 2)
    for block in blocks:
        out.append("")
        out += _matrix(block, block.entries, colour, size)
        out.append("")
        counted_legend = " ".join(f"{STATUS_GLYPH[s]} {status_text(s)}" for s in COUNTED)
        title = (f"各指标状态计数 · {block.id}：各状态的区县数（最新年度；{counted_legend}），"
                 "未达标最多者在前")
        out += _heading(title, colour, size)
        rows = [counts_text_row(r) for r in counted(block)]
        out += fit_table(COUNTS_HEADER, rows, right={0, 2, 3, 4, 5, 6}, size=size, keys=2, compact=_COMPACT_COUNTS)
    out.append("")
    out += _file_list(aggregate, colour, size)
    out.append("")
    legend = [f"{STATUS_GLYPH[s]} {status_text(s)}" for s in STATUS_GLYPH]
    out += [_colour_legend(line, colour) for line in wrap("图例：" + "  ".join(legend), size, INDENT)]
    out += _heading(headline(aggregate), colour, size)
    return "\n".join(out) + "\n"


def _file_list(aggregate: BatchAggregate, colour: bool, size: int) -> list[str]:
    """Every input in input order: number, status, district and year, then the path; below it, what became of it
    unless the ranking above says so (a history year, a duplicate, an unusable file)."""
    lines = _heading(f"工作簿（按输入顺序，共 {aggregate.total} 个）", colour, size)
    rows = listed(aggregate)
    texts = [[terminal_text(cell) for cell in listed_text_row(r)] for r in rows]
    sizes = [max(width(t[i]) for t in [FILES_HEADER, *texts]) for i in range(4)]
    for row, text in zip(rows, texts, strict=True):
        keys = INDENT + "  ".join(pad(cell, sizes[i], right=i == 0) for i, cell in enumerate(text[:4]))
        status = pad(text[1], sizes[1])
        tone = STATUS_STYLE[ENTRY_STATUS_TONE[row.entry.status]]
        painted = keys.replace(status, _paint(status, tone, colour), 1)
        if width(keys) + 2 + width(text[4]) <= size:  # the path beside, or on the lines below
            lines.append(f"{painted}  {text[4]}")
        else:
            lines += [painted.rstrip()] if width(keys) <= size else wrap(keys, size, INDENT * 3)
            lines += wrap(INDENT * 3 + text[4], size, INDENT * 3)
        note = terminal_text(row.problems) if row.ranked else text[5]  # a ranked one's place is in the ranking above
        if note:
            lines += wrap(INDENT * 3 + note, size, INDENT * 3)
    if aggregate.skipped:
        lines.append("")
        lines += _heading(skipped_text(aggregate), colour, size)
        for path in aggregate.skipped:
            lines += wrap(INDENT + terminal_text(path), size, INDENT * 3)
    return lines


def _colour_legend(line: str, colour: bool) -> str:
    for status, glyph in STATUS_GLYPH.items():
        label = f"{glyph} {status_text(status)}"
        line = line.replace(label, _paint(label, STATUS_STYLE[status], colour))
    return line


def _matrix(block: PackBlock, entries: list[Entry], colour: bool, size: int) -> list[str]:
    """Districts (rows) × top-level indicators (columns, numbered; the counts table names them). When the columns
    do not fit the page, they are split into groups, each written with every district's label."""
    lines = _heading(f"指标矩阵 · {block.title} ({block.id})，{len(block.standings)} 个区县（最新年度）", colour,
                     size)
    labels = [terminal_text(district_label(e)) for e in entries]
    label_width = max([width(label) for label in labels] + [4])
    # A label wider than half the page (a long official name on a narrow terminal) goes on its own line, above
    # its glyphs, rather than leaving room for a handful of columns only.
    stacked = width(INDENT) + label_width + 2 > size // 2
    lead = INDENT * 3 if stacked else INDENT + " " * label_width + "  "
    count = len(block.columns)
    per_group = max(1, (size - width(lead) + 1) // 2)
    # Painted once per matrix, not once per cell (50,000 cells for 1,000 districts).
    glyphs = {s: _paint(glyph, STATUS_STYLE.get(s, ""), colour) for s, glyph in STATUS_GLYPH.items()}
    for start in range(0, count, per_group):
        stop = min(count, start + per_group)
        if count > per_group:
            lines.append(f"{INDENT}指标 {start + 1}–{stop}（共 {count} 个）")
        digits = len(str(stop))
        # Column numbers written vertically (one character per column), so 50 indicators fit in 100 columns.
        for place in range(digits - 1, -1, -1):
            marks = [str(i + 1).rjust(digits)[digits - 1 - place] for i in range(start, stop)]
            label = "列" if place == 0 else ""
            head = INDENT + label + " " * (width(lead) - width(INDENT) - width(label))
            lines.append(head + " ".join(marks).rstrip())
        for label, entry in zip(labels, entries, strict=True):
            cells = " ".join([glyphs.get(s, "?") for s in entry.statuses[start:stop]])
            if stacked:
                lines += wrap(INDENT + label, size, INDENT * 3)
                lines.append(lead + cells)
            else:
                lines.append(INDENT + pad(label, label_width) + "  " + cells)
    return lines


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(markdown_text(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(markdown_text(c) for c in row) + " |" for row in rows)
    return lines


def render_batch_markdown(aggregate: BatchAggregate) -> str:
    """The overview as Markdown (for an issue or a pull-request comment)."""
    blocks = pack_blocks(aggregate)
    out = ["## 批量评估", "", markdown_text(headline(aggregate)), ""]
    for block in blocks:
        out += [f"### 排名 · {markdown_text(block.title)} ({block.id})：{len(block.standings)} 个区县", ""]
        out += [markdown_text(parts_note(block)), ""]
        out += [*_md_table(RANKING_HEADER, [ranking_text_row(r) for r in ranking(block)]), ""]
        others = other_parts(block.entries)
        out += [*(f"- {markdown_text(line)}" for line in others), ""] if others else []
    for block in blocks:
        out += [f"### 指标矩阵 · {markdown_text(block.title)} ({block.id})：各区县最新年度", ""]
        # Columns by position, as in the terminal: a pack's 序号 can repeat (约束性 1…27, then 参考性 1…5).
        header = ["区县", *[str(i) for i in range(1, len(block.columns) + 1)]]
        rows = [[district_label(e), *[STATUS_GLYPH.get(s, "?") for s in e.statuses]] for e in block.entries]
        out += [*_md_table(header, rows), ""]
        out += [f"### 各指标状态计数 · {block.id}（区县数，最新年度）", "",
                *_md_table(COUNTS_HEADER, [counts_text_row(r) for r in counted(block)]), ""]
    out += [f"### 工作簿（按输入顺序，共 {aggregate.total} 个）", ""]
    out += [*_md_table(FILES_HEADER, [listed_text_row(r) for r in listed(aggregate)]), ""]
    if aggregate.skipped:
        out += [f"### {skipped_text(aggregate)}", "", *[f"- {markdown_code(path)}" for path in aggregate.skipped], ""]
    out.append("图例：" + "  ".join(f"{STATUS_GLYPH[s]} {status_text(s)}" for s in STATUS_GLYPH))
    return "\n".join(out) + "\n"
