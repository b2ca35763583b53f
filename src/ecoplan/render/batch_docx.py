"""The batch report as a Word document (`ecoplan batch --format docx` / `-o 批量评估.docx`): what a bureau files.

一、总体情况: for each pack its ranking (districts are ranked within their pack) and the indicators unmet most
often; the workbooks that could not be scored. 二、各区县达标情况: one section per district, in ranking order,
with the table the plans print (领域 | 序号 | 指标名称 | 单位 | 目标值 | per year 指标值 and 达标情况 side by side when
the batch holds several years of the district | 指标属性, 领域 cells merged as in 表4) and the "指标达标分析"
paragraphs the plans write after it (per year: the counts, then each unmet indicator with its value, target, gap
and reason). Those sections are render/docx.py's `write_section`, the same as `assess --format docx` writes, so a
district reads the same in both documents; page, fonts and tables are render/word.py's.

The batch keeps only a compact row per workbook, so the district sections re-assess each district's file (its
path is in the aggregate; a few ms each) unless the caller passes the assessments it already has. A4 landscape,
宋体 9 pt in tables with the header row repeated on every page, as the plans set them.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx import Document

from ecoplan.render.batch_rows import (
    RANKING_HEADER,
    Ranked,
    counted,
    matrix_entries,
    other_parts,
    pack_blocks,
    parts_note,
    ranking,
    ranking_text_row,
)
from ecoplan.render.docx import Series, write_section
from ecoplan.render.word import caption, heading, page_setup, paragraph, simple_table, title
from ecoplan.report.assessment import Assessment
from ecoplan.run.batch import BatchAggregate, Entry
from ecoplan.run.pipeline import evaluate_file

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

RANKING_WIDTHS_CM = (1.3, 3.6, 1.4, 1.8, 2.0, 1.8, 2.2, 1.8, 1.8)
MOST_FAILED = 10

def render_batch_docx(aggregate: BatchAggregate, *, strict: bool = False,
                      assessments: Mapping[int, Assessment] | None = None) -> bytes:
    """The batch report as the bytes of a .docx file. `assessments` (by `Entry.index`) are used where given; the
    other districts are re-assessed from their files with the batch's `strict`."""
    document = Document()
    page_setup(document)
    given = assessments or {}
    blocks = pack_blocks(aggregate)
    title(document, f"批量评估报告：{aggregate.total} 个工作簿，已评估 {len(aggregate.entries)} 个，"
                    f"无法评估 {len(aggregate.errors)} 个")
    heading(document, "一、总体情况", level=1)
    table_number = 0
    for block in blocks:
        table_number += 1
        caption(document, f"表 {table_number}  {block.title}：达标情况排名（{len(block.entries)} 份评估）")
        paragraph(document, parts_note(block), note=True)
        rows = [ranking_text_row(r) for r in ranking(aggregate, block)]
        simple_table(document, RANKING_HEADER, rows, RANKING_WIDTHS_CM, left={1})
        for line in other_parts(matrix_entries(aggregate, block)):
            paragraph(document, line, note=True)
        paragraph(document, _most_failed_text(block, len(block.entries)), after_table=True)
    if aggregate.errors:
        paragraph(document, f"以下 {len(aggregate.errors)} 个工作簿无法评估，未计入排名：", bold=True)
        for path, message in aggregate.errors:
            paragraph(document, f"{path}：{message}")
    heading(document, "二、各区县达标情况", level=1)
    for block in blocks:
        for group in district_groups(ranking(aggregate, block)):
            document.add_page_break()
            table_number += 1
            _district_section(document, block, group, table_number, given, strict)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def district_groups(ranked: list[Ranked]) -> list[list[Ranked]]:
    """One group per district (行政区划代码, else 区县名称) of a pack's ranking: its years, oldest first. Groups
    come in the order of their best rank, so the section order follows the ranking."""
    groups: dict[str, list[Ranked]] = {}
    for row in ranked:
        groups.setdefault(row.entry.code or row.entry.name, []).append(row)
    return [sorted(rows, key=lambda r: r.entry.year) for rows in groups.values()]


def _district_section(document: DocumentObject, block: Any, group: list[Ranked], number: int,
                      given: Mapping[int, Assessment], strict: bool) -> None:
    """A district's section: heading, files and ranks, then render/docx.py's section (the plan's table with its
    years side by side and the 指标达标分析 of each year)."""
    name = group[-1].entry.name
    years = "、".join(str(r.entry.year) for r in group)
    heading(document, f"{name}（{years} 年） · {block.title}", level=2)
    places = "；".join(f"{r.entry.year} 年第 {r.rank} 名（{r.entry.path}）" for r in group)
    paragraph(document, f"{block.id} 共 {len(block.entries)} 份评估中，{places}", note=True)
    assessments: list[Assessment] = []
    years_seen: set[int] = set()
    for row in group:
        if row.entry.year in years_seen:  # the same year in two workbooks: the table shows the better ranked one
            paragraph(document, f"{row.entry.year} 年另有工作簿 {row.entry.path}（第 {row.rank} 名），未列入下表。")
            continue
        years_seen.add(row.entry.year)
        try:
            assessments.append(given.get(row.entry.index) or _reassess(row.entry, strict))
        except Exception as exc:  # the file moved or changed since it was scored: say so, keep the rest
            paragraph(document, f"无法重新读取该工作簿（{row.entry.path}），其 {row.entry.year} 年未列入下表：{exc}")
    if assessments:
        write_section(document, Series(assessments), number=number, level=3)


def _reassess(entry: Entry, strict: bool) -> Assessment:
    # With progress: the plan's later targets (2025, 2030) are columns of the district's table, as in `assess`.
    outcome = evaluate_file(Path(entry.path), entry.pack, entry.year, strict=strict)
    if outcome.assessment is None:
        raise ValueError("; ".join(str(p) for p in outcome.errors[:3]) or "没有可评估的指标行")
    return outcome.assessment


def _most_failed_text(block: Any, districts: int) -> str:
    rows = [r for r in counted(block) if r.counts["not_met"]][:MOST_FAILED]
    if not rows:
        return "各区县均无未达标指标。"
    named = "、".join(f"{r.name}（{r.counts['not_met']} 份未达标）" for r in rows)
    return f"未达标最多的指标（共 {districts} 份评估）：{named}。"
