"""The batch overview as text (terminal) and Markdown: ranking, one districts × indicators matrix per pack, the
indicators that fail most often, and the workbooks that could not be scored.

Plain text with ANSI colour rather than a rich table: a matrix of 1,000 districts × 50 indicators is 50,000
cells, which rich lays out in seconds, while the glyph grid here is a join per line (and rich's import alone
costs more than scoring a hundred workbooks).
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from typing import IO

from ecoplan.render.text import STATUS_GLYPH, STATUS_STYLE, attribute_text, status_text
from ecoplan.run.batch import BatchAggregate, Entry, PackBlock

_ANSI = {"green": "32", "bold red": "1;31", "dim": "2", "yellow": "33", "magenta": "35", "bold": "1"}


def use_colour(stream: IO[str]) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR")


@lru_cache(maxsize=4096)  # a 1,000-district overview measures the same names, years and numbers many times
def width(text: str) -> int:
    """Terminal columns of a text: East Asian wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    """Pad to `size` terminal columns (left-aligned, or right-aligned for numbers)."""
    space = " " * max(0, size - width(text))
    return space + text if right else text + space


def _paint(text: str, style: str, colour: bool) -> str:
    code = _ANSI.get(style)
    return f"\x1b[{code}m{text}\x1b[0m" if colour and code else text


def _label(entry: Entry) -> str:
    return f"{entry.name} {entry.year}"


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    sizes = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(h, sizes[i], i in right) for i, h in enumerate(header)).rstrip()]
    for row in rows:
        lines.append("  ".join(pad(c, sizes[i], i in right) for i, c in enumerate(row)).rstrip())
    return lines


def ranking_rows(aggregate: BatchAggregate) -> tuple[list[str], list[list[str]]]:
    """The ranking as header + text rows (shared by the text, Markdown and xlsx renderers)."""
    header = ["名次", "区县", "年度", "指标体系", "达标率", "达标/总数", "约束性未达标", "未达标", "缺数据", "待核实"]
    rows = []
    for rank, e in enumerate(aggregate.ranking(), 1):
        s = e.summary
        rows.append([str(rank), e.name, str(e.year), e.pack, f"{e.share_met * 100:.1f}%", f"{s['met']}/{s['total']}",
                     str(s["constraint_not_met"]), str(s["not_met"]), str(s["missing"]), str(s["review"])])
    return header, rows


def counts_rows(block: PackBlock) -> tuple[list[str], list[list[str]]]:
    """Per-indicator counts across the pack's districts, the most often unmet first."""
    header = ["列", "序号", "指标", "属性", "未达标", "缺数据", "待核实", "达标", "不涉及"]
    rows = []
    for index, counts in block.most_failed():
        _, seq, name, attribute = block.columns[index]
        rows.append([str(index + 1), seq, name, attribute_text(attribute), str(counts["not_met"]),
                     str(counts["missing"]), str(counts["review"]), str(counts["met"]), str(counts["not_applicable"])])
    return header, rows


def render_batch_text(aggregate: BatchAggregate, colour: bool = False) -> str:
    """The terminal overview (see the module docstring)."""
    out: list[str] = []
    scored, failed = len(aggregate.entries), len(aggregate.errors)
    out.append(_paint(f"批量评估：{aggregate.total} 个工作簿，已评估 {scored} 个，无法评估 {failed} 个", "bold", colour))
    if aggregate.entries:
        out.append("")
        out.append(_paint("排名（达标率，其次约束性未达标数，其次名称）", "bold", colour))
        header, rows = ranking_rows(aggregate)
        out.extend("  " + line for line in _table(header, rows, right={0, 4, 5, 6, 7, 8, 9}))
    for block in aggregate.packs.values():
        out.append("")
        out.extend(_matrix(block, colour))
        out.append("")
        out.append(_paint(f"各指标状态计数 · {block.id}（未达标最多者在前）", "bold", colour))
        header, rows = counts_rows(block)
        out.extend("  " + line for line in _table(header, rows, right={0, 4, 5, 6, 7, 8}))
    if aggregate.errors:
        out.append("")
        out.append(_paint("无法评估的工作簿", "bold red", colour))
        for path, message in aggregate.errors:
            out.append(f"  {path}: {message}")
    legend = "  ".join(_paint(f"{STATUS_GLYPH[s]} {status_text(s)}", STATUS_STYLE[s], colour) for s in STATUS_GLYPH)
    out.append("")
    out.append(f"图例：{legend}")
    return "\n".join(out) + "\n"


def _matrix(block: PackBlock, colour: bool) -> list[str]:
    """Districts (rows) × top-level indicators (columns, numbered; the counts table names them)."""
    lines = [_paint(f"指标矩阵 · {block.title} ({block.id})，{len(block.entries)} 个区县", "bold", colour)]
    label_width = max([width(_label(e)) for e in block.entries] + [4])
    count = len(block.columns)
    digits = len(str(count))
    # Column numbers written vertically (one character per column), so 50 indicators fit in 100 columns.
    for place in range(digits - 1, -1, -1):
        marks = [str(i + 1).rjust(digits)[digits - 1 - place] for i in range(count)]
        lines.append("  " + pad("列" if place == 0 else "", label_width) + "  " + " ".join(marks).rstrip())
    # Painted once per matrix, not once per cell (50,000 cells for 1,000 districts).
    glyphs = {s: _paint(glyph, STATUS_STYLE.get(s, ""), colour) for s, glyph in STATUS_GLYPH.items()}
    for entry in block.entries:
        cells = " ".join([glyphs.get(s, "?") for s in entry.statuses])
        lines.append("  " + pad(_label(entry), label_width) + "  " + cells)
    return lines


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(_md(c) for c in row) + " |" for row in rows)
    return lines


def render_batch_markdown(aggregate: BatchAggregate) -> str:
    """The overview as Markdown (for an issue or a pull-request comment)."""
    out = [f"## 批量评估：{aggregate.total} 个工作簿，已评估 {len(aggregate.entries)} 个，"
           f"无法评估 {len(aggregate.errors)} 个", ""]
    if aggregate.entries:
        out += ["### 排名", "", *_md_table(*ranking_rows(aggregate)), ""]
    for block in aggregate.packs.values():
        out += [f"### 指标矩阵 · {_md(block.title)} ({block.id})", ""]
        header = ["区县", *[seq for _, seq, _, _ in block.columns]]
        rows = [[_label(e), *[STATUS_GLYPH.get(s, "?") for s in e.statuses]] for e in block.entries]
        out += [*_md_table(header, rows), ""]
        out += [f"### 各指标状态计数 · {block.id}", "", *_md_table(*counts_rows(block)), ""]
    if aggregate.errors:
        out += ["### 无法评估的工作簿", ""]
        out += [f"- `{_md(path)}`: {_md(message)}" for path, message in aggregate.errors]
        out.append("")
    out.append("图例：" + "  ".join(f"{STATUS_GLYPH[s]} {status_text(s)}" for s in STATUS_GLYPH))
    return "\n".join(out) + "\n"
