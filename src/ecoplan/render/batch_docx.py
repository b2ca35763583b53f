"""The batch report as a Word document (`ecoplan batch --format docx` / `-o 批量评估.docx`): what a bureau files.

一、总体情况: for each pack its ranking (districts are ranked within their pack, one row per district, its earlier
years beside it) and the indicators unmet and without data most often; then every input with its status (a
duplicate and an unusable file say why) and the files that were skipped. 二、各区县达标情况: one section per
district, in ranking order, with the table the plans print (领域 | 序号 | 指标名称 | 单位 | 目标值 | per year 指标值
and 达标情况 side by side when the batch holds several years of the district | 指标属性, 领域 cells merged as in
表4) and the "指标达标分析" paragraphs the plans write after it (per year: the counts, then each unmet indicator with
its value, target, gap and reason). Those sections are render/docx.py's `write_section`, the same as
`assess --format docx` writes, so a district reads the same in both documents; page, fonts and tables are
render/word.py's.

The renderer only renders: each district's assessments come from the run (the batch keeps what its workers made of
every workbook, ecoplan.render.batch_emit.ENCODERS). A4 landscape, 宋体 9 pt in tables with the header row repeated
on every page, as the plans set them.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document

from ecoplan.render.batch_rows import (
    FILES_HEADER,
    RANKING_HEADER,
    headline,
    indicator_label,
    listed,
    listed_text_row,
    most_often,
    other_parts,
    pack_blocks,
    parts_note,
    ranking,
    ranking_text_row,
    skipped_text,
)
from ecoplan.render.docx import Series, write_section
from ecoplan.render.labels import status_text
from ecoplan.render.word import caption, heading, page_setup, paragraph, simple_table, title
from ecoplan.report.assessment import Assessment
from ecoplan.run.batch_aggregate import BatchAggregate, PackBlock, Standing

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject

RANKING_WIDTHS_CM = (1.2, 3.4, 1.3, 1.7, 1.9, 1.7, 2.0, 1.7, 1.7, 4.0)
FILES_WIDTHS_CM = (1.1, 1.9, 2.8, 1.3, 7.0, 11.0)
MOST_OFTEN = 10  # indicators named in each "most often" sentence


def render_batch_docx(aggregate: BatchAggregate) -> bytes:
    """The settled aggregate as the bytes of a .docx file (see the module docstring)."""
    document = Document()
    page_setup(document)
    blocks = pack_blocks(aggregate)
    title(document, "批量评估报告")
    paragraph(document, f"{headline(aggregate)}。")
    heading(document, "一、总体情况", level=1)
    table_number = 0
    for block in blocks:
        table_number += 1
        caption(document, f"表 {table_number}  {block.title}：达标情况排名（{len(block.standings)} 个区县，"
                          "各以最新年度排名）")
        paragraph(document, parts_note(block), note=True)
        simple_table(document, RANKING_HEADER, [ranking_text_row(r) for r in ranking(block)], RANKING_WIDTHS_CM,
                     left={1, 9})
        for line in other_parts(block.entries):
            paragraph(document, line, note=True)
        for status in ("not_met", "missing"):
            paragraph(document, _most_often_text(block, status), after_table=status == "not_met")
    table_number += 1
    caption(document, f"表 {table_number}  全部工作簿（按输入顺序，共 {aggregate.total} 个）")
    simple_table(document, FILES_HEADER, [listed_text_row(r) for r in listed(aggregate)], FILES_WIDTHS_CM,
                 left={2, 4, 5})
    if aggregate.skipped:
        paragraph(document, f"{skipped_text(aggregate)}：{'；'.join(aggregate.skipped)}", after_table=True)
    heading(document, "二、各区县达标情况", level=1)
    for block in blocks:
        for standing in block.standings:
            document.add_page_break()
            table_number += 1
            _district_section(document, aggregate, block, standing, table_number)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SECTION_HEAD_CM = 2.0
"""A district's heading and the note on its ranks, above its table on the page its section starts."""


def _district_section(document: DocumentObject, aggregate: BatchAggregate, block: PackBlock, standing: Standing,
                      number: int) -> None:
    """A district's section: heading, files and rank, then render/docx.py's section (the plan's table with its
    years side by side, oldest first, and the 指标达标分析 of each year)."""
    years = [*reversed(standing.history), standing.latest]
    latest = standing.latest
    heading(document, f"{latest.name}（{'、'.join(str(e.year) for e in years)} 年） · {block.title}", level=2)
    history = "；".join(f"{e.year} 年（{e.path}）" for e in standing.history)
    paragraph(document, f"{block.title}共 {len(block.standings)} 个区县中，{latest.year} 年第 {standing.rank} 名"
                        f"（{latest.path}）" + (f"；往年：{history}，不单独排名" if history else ""), note=True)
    assessments: list[Assessment] = []
    for entry in years:
        assessment = aggregate.encoded(entry)
        if not isinstance(assessment, Assessment):
            raise ValueError(f"{entry.path}: the batch kept no assessment for the Word report (encoder 'docx')")
        assessments.append(assessment)
    write_section(document, Series(assessments), number=number, level=3, above_cm=SECTION_HEAD_CM)


def _most_often_text(block: PackBlock, status: str) -> str:
    """One sentence naming the indicators most districts are in `status` for (only those: 未达标 and 缺数据 are
    told apart)."""
    word = status_text(status)
    rows = most_often(block, status)[:MOST_OFTEN]
    if not rows:
        return f"各区县均无{word}的指标。"
    named = "、".join(f"{indicator_label(r)}（{r.counts[status]} 个区县）" for r in rows)
    return f"{word}最多的指标（共 {len(block.standings)} 个区县，各取最新年度）：{named}。"
