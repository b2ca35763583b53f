"""What `ecoplan rules import` says when it is done (rows read, criteria read, rows left manual, notes attached),
and the list of tables it offers when a file holds several — in Chinese, wrapped to 80 columns."""

from __future__ import annotations

import re
import unicodedata

from ecoplan.rules.importer.build import Imported
from ecoplan.rules.importer.tables import FoundTable

WIDTH = 80


def report(imported: Imported, written: str) -> list[str]:
    """The closing report: one short paragraph per fact, each wrapped to 80 columns."""
    counts = imported.counts
    notes = imported.notes
    attached = [n for n in notes if n.rows]
    used = [n for n in notes if n.use]
    loose = [n.label for n in notes if not n.rows and not n.use]
    manual = counts.manual_rows
    lines = [f"已读取：{imported.table.where}", f"表题：{imported.table.title or '（无）'}",
             f"行：{counts.rows} 行 → 指标 {counts.indicators} 项，分项 {counts.items} 项"]
    lines.append(f"判据：{counts.cells} 格中 {counts.parsed} 格读作判据；写成 manual 的指标 {len(manual)} 项"
                 + (f"（{'、'.join(manual)}）" if manual else ""))
    note_line = f"表注：{len(notes)} 条，关联到指标 {len(attached)} 条"
    if used:
        note_line += f"，用于规划期 {len(used)} 条"
    if loose:
        note_line += f"，未关联 {len(loose)} 条（{'、'.join(loose)}）"
    if counts.provisional_rows:
        note_line += f"；provisional {len(counts.provisional_rows)} 项"
    lines.append(note_line)
    lines.append(written)
    lines.append("草稿已通过 ecoplan rules lint；请先核对带注释（#）的指标和 manual 判据，再用 ecoplan rules show 查看")
    return [wrapped for line in lines for wrapped in wrap(line)]


def table_list(tables: list[FoundTable], path: str) -> list[str]:
    """The indicator tables of a file, numbered for --table."""
    lines = wrap(f"{path} 中有 {len(tables)} 个指标表；请用 --table N 选择其中一个：")
    for number, table in enumerate(tables, start=1):
        where = table.where.removeprefix(f"{path}: ")
        lines.extend(wrap(f"{number}. {table.title or '（无表题）'}（{where}，{len(table.rows)} 行）", indent="   "))
    return lines


def wrap(text: str, width: int = WIDTH, indent: str = "  ") -> list[str]:
    """`text` in lines of at most `width` terminal columns (a Chinese character takes two), never breaking a
    word of Latin letters or digits (ecoplan, 2025); later lines indented."""
    lines: list[str] = []
    current, used = "", 0
    for token in re.findall(r"[A-Za-z0-9_.\-/]+|.", text):
        size = sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in token)
        if used + size > width and current.strip():
            lines.append(current.rstrip())
            current, used = indent, len(indent)
            token = token.lstrip()
            size = len(token) if token.isascii() else size
        current += token
        used += size
    lines.append(current.rstrip())
    return lines


__all__ = ["WIDTH", "report", "table_list", "wrap"]
