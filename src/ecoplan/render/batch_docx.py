"""The batch report as a Word document (`ecoplan batch --format docx` / `-o 批量评估.docx`): what a bureau files.

一、总体情况: for each pack its ranking (districts are ranked within their pack) and the indicators unmet most
often; the workbooks that could not be scored. 二、各区县达标情况: one section per district, in ranking order,
with the table the plans print (领域 | 序号 | 指标名称 | 单位 | 目标值 | per year 指标值 and 达标情况 side by side when
the batch holds several years of the district | 指标属性, 领域 cells merged as in 表4) and the "指标达标分析"
paragraphs the plans write after it (per year: the counts, then each unmet indicator with its value, target, gap
and reason).

The batch keeps only a compact row per workbook, so the district sections re-assess each district's file (its
path is in the aggregate; a few ms each) unless the caller passes the assessments it already has. A4 landscape,
宋体 9 pt in tables with the header row repeated on every page, as the plans set them.
TODO(merge): render/docx.py (helper "render") writes the single-assessment document with the same page, fonts and
plan table; after the merge this module should keep only the overview and call that table and paragraph code.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.render.batch_rows import (
    RANKING_HEADER,
    Ranked,
    counted,
    pack_blocks,
    percent,
    ranking,
    ranking_text_row,
)
from ecoplan.render.text import attribute_text, gap_text, shown_value, status_text
from ecoplan.report.assessment import Assessment, Result
from ecoplan.run.batch import BatchAggregate, Entry

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table

PLAN_HEADER = ["领域", "序号", "指标名称", "单位", "目标值", "指标值", "达标情况", "指标属性"]
MAX_YEARS = 3  # years side by side in one table (the plans show two; more would not fit a page wide)
YEARS_CM, STATUS_CM = 11.2, 1.7  # the page's width left for the year columns; a 达标情况 column (4 characters)
RANKING_WIDTHS_CM = (1.3, 3.6, 1.4, 1.8, 2.0, 1.8, 2.2, 1.8, 1.8)
MOST_FAILED = 10
BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
TABLE_PT, BODY_PT = 9.0, 12.0
# TODO(merge): STATUS_FONT of render/labels.py (the same colours): the 达标情况 word coloured as in the xlsx.
INK = {"met": "006100", "not_met": "9C0006", "not_applicable": "595959", "missing": "9C5700", "review": "5B2C6F"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

Assess = Callable[[Entry], Assessment]


def render_batch_docx(aggregate: BatchAggregate, *, strict: bool = False,
                      assessments: Mapping[int, Assessment] | None = None) -> bytes:
    """The batch report as the bytes of a .docx file. `assessments` (by `Entry.index`) are used where given; the
    other districts are re-assessed from their files with the batch's `strict`."""
    from docx import Document  # python-docx costs ~100 ms to import: only when Word output is asked for

    document = Document()
    _page_setup(document)
    given = assessments or {}
    blocks = pack_blocks(aggregate)
    _title(document, f"批量评估报告：{aggregate.total} 个工作簿，已评估 {len(aggregate.entries)} 个，"
                     f"无法评估 {len(aggregate.errors)} 个")
    _heading(document, "一、总体情况")
    table_number = 0
    for block in blocks:
        table_number += 1
        _caption(document, f"表 {table_number}  {block.title}：达标情况排名（{len(block.entries)} 份评估）")
        rows = [ranking_text_row(r) for r in ranking(aggregate, block)]
        _simple_table(document, RANKING_HEADER, rows, RANKING_WIDTHS_CM)
        _paragraph(document, _most_failed_text(block, len(block.entries)), after_table=True)
    if aggregate.errors:
        _paragraph(document, f"以下 {len(aggregate.errors)} 个工作簿无法评估，未计入排名：", bold=True)
        for path, message in aggregate.errors:
            _paragraph(document, f"{path}：{message}")
    _heading(document, "二、各区县达标情况")
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
    """A district's section: heading, files and ranks, the plan's table with its years side by side (the last
    MAX_YEARS), and the 指标达标分析 of each year."""
    name = group[-1].entry.name
    years = "、".join(str(r.entry.year) for r in group)
    _heading(document, f"{name}（{years} 年） · {block.title}", level=2)
    places = "；".join(f"{r.entry.year} 年第 {r.rank} 名（{r.entry.path}）" for r in group)
    _paragraph(document, f"{block.id} 共 {len(block.entries)} 份评估中，{places}", small=True)
    assessments: list[Assessment] = []
    years_seen: set[int] = set()
    for row in group:
        if row.entry.year in years_seen:  # the same year in two workbooks: the table shows the better ranked one
            _paragraph(document, f"{row.entry.year} 年另有工作簿 {row.entry.path}（第 {row.rank} 名），未列入下表。")
            continue
        years_seen.add(row.entry.year)
        try:
            assessments.append(given.get(row.entry.index) or _reassess(row.entry, strict))
        except Exception as exc:  # the file moved or changed since it was scored: say so, keep the rest
            _paragraph(document, f"无法重新读取该工作簿（{row.entry.path}），其 {row.entry.year} 年未列入下表：{exc}")
    if not assessments:
        return
    shown = assessments[-MAX_YEARS:]
    span = "、".join(str(a.year) for a in shown)
    _caption(document, f"表 {number}  {subject(name, block.title)}达标情况（{span} 年）")
    _plan_table(document, shown)
    _heading(document, "指标达标分析", level=3)
    for assessment in assessments:
        for text in analysis_paragraphs(assessment):  # TODO(merge): render/docx.py writes the same paragraphs
            _paragraph(document, text, indent=True)


def _reassess(entry: Entry, strict: bool) -> Assessment:
    from ecoplan.run.pipeline import evaluate_file

    outcome = evaluate_file(Path(entry.path), entry.pack, entry.year, strict=strict, progress=False)
    if outcome.assessment is None:
        raise ValueError("; ".join(str(p) for p in outcome.errors[:3]) or "no usable rows")
    return outcome.assessment


# --- the words ---------------------------------------------------------------------------------------------------
def analysis_paragraphs(assessment: Assessment) -> list[str]:
    """The "指标达标分析" the plans write after their table: the counts, then each unmet indicator (each unmet
    sub-item of it) with value, target, gap and reason; then what is missing or to be verified."""
    s = assessment.summary
    share = percent(s.met / s.total) if s.total else "—"
    who = subject(assessment.district.get("name"), assessment.pack.get("title"))
    counts = f"{assessment.year} 年{who} {s.total} 项指标中，已达标 {s.met} 项"
    if s.not_applicable:
        counts += f"（含不涉及 {s.not_applicable} 项）"
    counts += f"，未达标 {s.not_met} 项（其中约束性 {s.constraint_not_met} 项）"
    counts += "".join(f"，{label} {n} 项" for label, n in (("缺数据", s.missing), ("待核实", s.review)) if n)
    counts += f"，达标率 {share}。"
    unmet = [r for r in assessment.results if r.status == "not_met"]
    if unmet:
        counts += "未达标指标包括" + "、".join(r.name for r in unmet) + "。"
    paragraphs = [counts]
    for result in unmet:
        parts = [r for r in result.items if r.status == "not_met"] or [result]
        details = "；".join(_unmet_text(result, part) for part in parts)
        paragraphs.append(f"{result.name}（{attribute_text(result.attribute) or '指标'}）未达标：{details}。")
    for status in ("missing", "review"):
        named = [r.name for r in assessment.results if r.status == status]
        if named:
            paragraphs.append(f"{status_text(status)}的指标：{'、'.join(named)}。")
    return paragraphs


def subject(district: str | None, title: str | None) -> str:
    """"渝北区" + "渝北区国家生态文明建设示范区建设指标" reads "渝北区国家…", not "渝北区渝北区国家…"."""
    district, title = district or "", title or ""
    return title if district and title.startswith(district) else district + title


def _unmet_text(result: Result, part: Result) -> str:
    # A number gets its unit; a text value (a task and its actual, "300 天（任务 327 天）") carries its own.
    numeric = isinstance(part.value, (int, float)) and not isinstance(part.value, bool)
    unit = part.unit if numeric and part.unit and part.unit not in ("-", "—") else ""
    value = shown_value(part) or "（未填）"
    lead = f"{part.name}" if part is not result else ""
    text = f"{lead}指标值 {value}{unit}，目标值 {part.target or '—'}"
    gap = gap_text(part)
    if gap:
        text += f"，差距 {gap}"
    if part.reason:
        text += f"（{part.reason.rstrip('。')}）"
    return text


def _most_failed_text(block: Any, districts: int) -> str:
    rows = [r for r in counted(block) if r.counts["not_met"]][:MOST_FAILED]
    if not rows:
        return "各区县均无未达标指标。"
    named = "、".join(f"{r.name}（{r.counts['not_met']} 份未达标）" for r in rows)
    return f"未达标最多的指标（共 {districts} 份评估）：{named}。"


# --- the page and its parts --------------------------------------------------------------------------------------
def _text(value: Any) -> str:
    """Text a Word document can hold: characters XML cannot carry are dropped (python-docx refuses them)."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def _page_setup(document: DocumentObject) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    normal = document.styles["Normal"]
    _fonts(normal, BODY_FONT)
    normal.font.size = Pt(BODY_PT)


def _fonts(run_or_style: Any, east_asian: str) -> None:
    """Latin text in Times New Roman, Chinese in `east_asian` (python-docx sets only the Latin font by itself)."""
    from docx.oxml.ns import qn

    run_or_style.font.name = LATIN_FONT
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _run(paragraph: Any, text: str, *, size: float, bold: bool = False, font: str = BODY_FONT,
         colour: str | None = None) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(_text(text))
    # Only what differs from the Normal style is set: each property is an XML element per run, and a batch report
    # has thousands of runs.
    if bold:
        run.bold = True
    if size != BODY_PT:
        run.font.size = Pt(size)
    if font != BODY_FONT:
        _fonts(run, font)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _title(document: DocumentObject, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, size=16, bold=True, font=HEADING_FONT)


def _heading(document: DocumentObject, text: str, level: int = 1) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, size={1: 15, 2: 14}.get(level, 12), bold=True, font=HEADING_FONT)


def _caption(document: DocumentObject, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, text, size=10.5, bold=True, font=HEADING_FONT)


def _paragraph(document: DocumentObject, text: str, *, bold: bool = False, small: bool = False,
               indent: bool = False, after_table: bool = False) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if after_table:
        paragraph.paragraph_format.space_before = Pt(6)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)  # two characters, as Chinese prose is set
    _run(paragraph, text, size=TABLE_PT if small else BODY_PT, bold=bold, colour="52606D" if small else None)


def _new_table(document: DocumentObject, header: list[str], widths: tuple[float, ...]) -> Table:
    """A grid table with its bold header row, repeated at the top of every page the table runs onto."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True, centre=True)
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for column, size in zip(table.columns, widths, strict=True):
        column.width = Cm(size)
        for cell in column.cells:
            cell.width = Cm(size)
    return table


def _cell_text(cell: Any, text: str, *, bold: bool = False, centre: bool = False, colour: str | None = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = cell.paragraphs[0]
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, size=TABLE_PT, bold=bold, colour=colour)


def _add_row(table: Table, values: list[str], centre: set[int], colours: Mapping[int, str] | None = None) -> Any:
    """A row of text cells (a new row takes the widths of the table's grid)."""
    cells = table.add_row().cells
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        _cell_text(cell, value, centre=index in centre, colour=(colours or {}).get(index))
    return cells


def _simple_table(document: DocumentObject, header: list[str], rows: list[list[str]],
                  widths: tuple[float, ...]) -> None:
    table = _new_table(document, header, widths)
    for values in rows:
        _add_row(table, values, centre=set(range(len(header))) - {1})


def _plan_table(document: DocumentObject, assessments: list[Assessment]) -> None:
    """The plan's table for one district: one row per indicator and sub-item of the latest year, each year's value
    and 达标情况 side by side (as 表4), 领域 merged down its rows."""
    years = [a.year for a in assessments]
    header = [*PLAN_HEADER[:5]]
    for year in years:
        header += [f"{year}年指标值", "达标情况"]
    header.append(PLAN_HEADER[-1])
    table = _new_table(document, header, plan_widths(len(years)))
    by_year = [{r.id: r for _, r in a.rows()} for a in assessments]
    previous: str | None = None  # the 领域 of the row above
    for depth, r in assessments[-1].rows():
        domain = (r.domain or "") if depth == 0 else (previous or "")
        values = [domain if domain != previous else "", (r.seq or r.id) if depth == 0 else "",
                  ("  " if depth else "") + r.name, r.unit or "", r.target or ""]
        colours: dict[int, str] = {}
        for results in by_year:
            found = results.get(r.id)
            values += [shown_value(found), status_text(found.status)] if found else ["—", ""]
            if found:
                colours[len(values) - 1] = INK.get(found.status, "")
        values.append(attribute_text(r.attribute) if depth == 0 else "")
        centre = {0, 1, 3, len(values) - 1, *colours}
        cells = _add_row(table, values, centre=centre, colours=colours)
        if domain:
            # 领域 spans its rows, as in the plans: the first row starts a vertical merge, the next continue it
            # (set directly: python-docx's merge walks the whole table for each cell).
            _vertical_merge(cells[0], "continue" if domain == previous else "restart")
        previous = domain


def plan_widths(years: int) -> tuple[float, ...]:
    """Column widths (cm) of the plan's table with `years` year columns, filling the landscape page's 26.1 cm."""
    value = min(5.2, (YEARS_CM - STATUS_CM * years) / years)
    spare = (YEARS_CM - (value + STATUS_CM) * years) / 2  # what the year columns leave goes to 指标名称 and 目标值
    fixed = [2.1, 1.1, 4.9 + spare, 1.5, 3.6 + spare]
    return (*fixed, *[width for _ in range(years) for width in (value, STATUS_CM)], 1.7)


def _vertical_merge(cell: Any, how: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    merge = OxmlElement("w:vMerge")
    if how == "restart":
        merge.set(qn("w:val"), "restart")
    cell._tc.get_or_add_tcPr().append(merge)
