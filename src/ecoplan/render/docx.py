"""The plan's own table as a Word document (`assess --format docx`, `-o 达标情况.docx`).

What a planner pastes into the plan: the table the plans print (as 表4 of the 渝北 plan) — 领域 | 序号 | 指标名称 |
单位 | 指标值 (the standard's target) | per year the value and 达标情况, side by side | the plan's 2025/2030 targets
when the pack has them | 指标属性 — then the "指标达标分析" paragraphs the plans write after it: the counts, the
unmet indicators named, and each unmet indicator with its value, target, gap and reason.

Assessments of the same district and pack in several years (several workbooks) become one table with the years side
by side (the last MAX_YEARS of them; the analysis covers every year); several districts get an overview table and
one section each. `write_section` writes one district's section: the batch Word document (render/batch_docx.py)
uses it for each of its districts. The page, fonts and table parts are render/word.py's.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx import Document

from ecoplan.render.labels import STATUS_FONT, attribute_text, status_text
from ecoplan.render.text import counts_sentence, gap_text, shown_value, target_years, value_text
from ecoplan.render.word import (
    HEADER_SHADE,
    MARGIN_CM,
    PAGE_HEIGHT_CM,
    PAGE_WIDTH_CM,
    TABLE_PT,
    caption,
    grid_table,
    heading,
    merge_across,
    merge_down,
    page_break,
    page_setup,
    paragraph,
    simple_table,
    write,
)
from ecoplan.render.wrap import width as text_width
from ecoplan.report.assessment import Assessment, Result

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table, _Cell

MAX_YEARS = 3  # years side by side in one table: more would not fit the page's width


@dataclass
class Series:
    """One district under one pack: its assessments by year, oldest first (the table's year columns)."""

    assessments: list[Assessment]

    @property
    def latest(self) -> Assessment:
        return self.assessments[-1]

    @property
    def years(self) -> list[int]:
        return [a.year for a in self.assessments]

    def by_year(self) -> list[dict[str, Result]]:
        """For each year, every result by id (to find an indicator's row in an earlier year)."""
        return [{r.id: r for _, r in a.rows()} for a in self.assessments]


def group_series(assessments: Sequence[Assessment]) -> list[Series]:
    """Assessments grouped by district and pack, in first-seen order; within a group one per year (the last given
    wins), oldest first."""
    groups: dict[tuple[str, str], dict[int, Assessment]] = {}
    for assessment in assessments:
        key = (str(assessment.district.get("code") or assessment.district.get("name") or ""),
               str(assessment.pack.get("id") or ""))
        groups.setdefault(key, {})[assessment.year] = assessment
    return [Series([years[y] for y in sorted(years)]) for years in groups.values()]


def render_docx(assessments: Sequence[Assessment]) -> bytes:
    """The Word document for these assessments, as the bytes of a .docx file."""
    document = Document()
    page_setup(document)
    series = group_series(assessments)
    if len(series) > 1:
        heading(document, "总览")
        _overview_table(document, series)
    for one in series:
        if len(series) > 1:
            document.add_page_break()
        write_section(document, one)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- one district ----------------------------------------------------------------------------------------------
def title_of(assessment: Assessment) -> str:
    """"渝北区国家生态文明建设示范区建设指标" style: the district and the pack's title."""
    pack = str(assessment.pack.get("title") or assessment.pack.get("id") or "")
    name = str(assessment.district.get("name") or "")
    return pack if pack.startswith(name) else f"{name}{pack}"



def write_section(document: DocumentObject, series: Series, *, number: int | None = None, level: int = 2,
                  above_cm: float = 0.0) -> None:
    """One district's section: the caption ("表 `number`"), the plan's table with the last MAX_YEARS years side by
    side, the note on where it comes from, then under a heading of `level` the 指标达标分析 of every year.
    `above_cm`: what stands above the caption on its page (a heading), for the table's pages."""
    shown = Series(series.assessments[-MAX_YEARS:])
    years = "、".join(f"{y} 年" for y in shown.years)
    label = "表" if number is None else f"表 {number}"
    caption(document, f"{label}  {title_of(shown.latest)}达标情况（{years}）")
    used = CAPTION_CM + above_cm  # what stands above the next table on its page
    for part in shown.latest.parts:  # the table first, as the document counts it; then each other part apart
        heading_text = part.heading if part.headline else f"{part.heading}。{part.summary.line()}"
        paragraph(document, heading_text, bold=True, after_table=part.name != "table")
        used = _indicator_table(document, shown, part.rows(), used + PART_HEADING_CM)
    sources = [a.source for a in series.assessments if a.source]
    latest = shown.latest.summary
    counted = "；指标值为“不涉及”的指标按指标体系计为达标" if latest.not_applicable_counts_as_met and any(
        r.status == "not_applicable" for a in shown.assessments for _, r in a.rows()) else ""
    paragraph(document, f"注：达标情况由 ecoplan 按指标体系 {series.latest.pack.get('id') or ''} 判定{counted}"
                        + ("；数据：" + "、".join(sources) if sources else "") + "。", note=True)
    heading(document, "指标达标分析", level=level)
    for assessment in series.assessments:
        for lead, text in analysis_paragraphs(assessment):
            paragraph(document, text, lead=lead, indent=True)


def header_rows(years: Sequence[int], plan_years: Sequence[int]) -> tuple[list[str], list[str]]:
    """The two header rows: group titles above, column titles below (a title repeated above means one merged
    cell spanning those columns)."""
    top = ["领域", "序号", "指标名称", "单位", "目标值"]
    bottom = list(top)
    for year in years:
        top += [f"{year} 年", f"{year} 年"]
        bottom += ["指标值", "达标情况"]
    for year in plan_years:
        top.append("规划目标")
        bottom.append(f"{year} 年")
    top.append("指标属性")
    bottom.append("指标属性")
    return top, bottom


def column_widths(years: int, plan_years: int) -> list[float]:
    """Centimetres per column: the narrow columns fixed, the rest of the page shared by the text columns."""
    usable = PAGE_WIDTH_CM - 2 * MARGIN_CM - 0.2
    fixed = {"领域": 1.2, "序号": 0.9, "单位": 1.5, "达标情况": 1.9, "指标属性": 1.9}
    weights = [("领域", 0.0), ("序号", 0.0), ("指标名称", 3.0), ("单位", 0.0), ("目标值", 2.4)]
    weights += [("值", 2.4), ("达标情况", 0.0)] * years + [("规划", 1.4)] * plan_years + [("指标属性", 0.0)]
    spare = usable - sum(fixed.get(name, 0.0) for name, weight in weights if weight == 0.0)
    total = sum(weight for _, weight in weights)
    return [fixed[name] if weight == 0.0 else spare * weight / total for name, weight in weights]


def _indicator_table(document: DocumentObject, series: Series, results: Sequence[tuple[int, Result]],
                     above_cm: float) -> float:
    """One part's rows of the plan's table, one Word table per page: Word and LibreOffice leave a merged 领域 cell
    blank on the page a domain continues on, so the pages are laid out here (rows are never split, their heights
    estimated from the column widths) and each page's table names the domain it starts in. The header rows repeat
    on each. `above_cm`: what stands above the table on its first page. Returns the height taken on its last."""
    plan_years = target_years(series.latest)
    top, bottom = header_rows(series.years, plan_years)
    widths = column_widths(len(series.years), len(plan_years))
    rows, domain = [], ""
    for depth, result in results:
        domain = (result.domain or "") if depth == 0 else domain  # a sub-item is in its indicator's domain
        rows.append(_row_cells(depth, result, domain, series, plan_years))
    header = 2 * max(row_height(top, widths), row_height(bottom, widths))
    # 领域 is left out of a row's height: its one cell spans the domain's rows
    heights = [row_height(r.texts[1:], widths[1:]) for r in rows]
    pages = page_rows(heights, header, above_cm)
    for number, (start, stop) in enumerate(pages):
        if number:
            page_break(document)
        _page_table(document, rows[start:stop], widths, top, bottom)
    start, stop = pages[-1]
    return (above_cm if len(pages) == 1 else 0.0) + header + sum(heights[start:stop])


@dataclass
class _Row:
    """One row of the plan's table as text, with what the cells' looks depend on."""

    texts: list[str]
    depth: int
    composite: bool
    statuses: list[str | None]  # per year column: the status shown (None: no row that year)


def _row_cells(depth: int, result: Result, domain: str, series: Series, plan_years: Sequence[int]) -> _Row:
    counted = series.latest.summary.not_applicable_counts_as_met
    texts = [domain, (result.seq or result.id) if depth == 0 else "", ("  " if depth else "") + result.name,
             _unit(result), result.target]
    statuses: list[str | None] = []
    for by_id in series.by_year():
        then = by_id.get(result.id)
        # The value as the workbook has it, whole (the table is the plan's: never the terminal's brief form).
        texts.append(value_text(then) if then is not None and not then.items else "")
        status = then.status if then is not None else None
        statuses.append("met" if status == "not_applicable" and counted else status)  # 表4: 不涉及 | 达标
        texts.append(status_text(statuses[-1]) if statuses[-1] else "")
    plans = {int(e["target_year"]): str(e.get("target") or "") for e in (result.progress or [])}
    texts += [plans.get(year, "") for year in plan_years]
    texts.append(attribute_text(result.attribute) if depth == 0 else "")
    return _Row(texts, depth, bool(result.items), statuses)


def _page_table(document: DocumentObject, rows: Sequence[_Row], widths: Sequence[float], top: list[str],
                bottom: list[str]) -> Table:
    """One page of the plan's table: the header rows, then `rows`, 领域 merged down within the page."""
    table = grid_table(document, 2 + len(rows), widths, header_rows=2)
    lines = [line.cells for line in table.rows]  # once, before any merge: table.cell(r, c) walks the whole table
    domain_cells: list[_Cell] = []  # the 领域 cells of the current domain, merged down when it ends
    domain: str | None = None  # none yet: the page's first row names its domain, even inside one
    for row, cells in zip(rows, lines[2:], strict=True):
        if row.texts[0] != domain:  # a new domain, or the first row of the page
            merge_down(domain_cells)
            domain, domain_cells = row.texts[0], []
            write(cells[0], domain, center=True)
        else:
            write(cells[0], "", center=True)
        domain_cells.append(cells[0])
        write(cells[1], row.texts[1], center=True)
        write(cells[2], row.texts[2], bold=row.depth == 0 and row.composite)
        write(cells[3], row.texts[3], center=True)
        write(cells[4], row.texts[4])
        column = 5
        for status in row.statuses:
            write(cells[column], row.texts[column])
            _write_status(cells[column + 1], status)
            column += 2
        for text in row.texts[column:-1]:
            write(cells[column], text)
            column += 1
        write(cells[column], row.texts[-1], center=True)
    merge_down(domain_cells)
    _header(lines[0], lines[1], top, bottom)
    return table


CAPTION_CM = 1.0
"""A table's caption with its spacing."""
PART_HEADING_CM = 0.8
"""A part's heading above its table ("一、指标表"), with the space after the table before it."""
LINE_CM = TABLE_PT * 1.17 / 72 * 2.54
"""The height of a line of table text: 9 pt single-spaced takes 10.5 pt in LibreOffice (measured in its PDF)."""
CELL_MARGIN_CM = 0.19
"""Word's default left and right cell margin (108 twips)."""
_HALF_EM_CM = TABLE_PT / 2 / 72 * 2.54  # a Latin digit; a Chinese character is two


def row_height(texts: Sequence[str], widths: Sequence[float]) -> float:
    """The estimated height (cm) of a table row with these cell texts in columns of these widths (cm): the tallest
    cell's lines (a line holds what fits of the column's width less its margins; a half-em spare for the break)."""
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        per_line = max(1.0, (width - 2 * CELL_MARGIN_CM) / _HALF_EM_CM)
        lines = max(lines, math.ceil((text_width(text) + 1) / per_line))
    return lines * LINE_CM + 0.03


def page_rows(heights: Sequence[float], header: float, first_page_used: float = 0.0) -> list[tuple[int, int]]:
    """The rows (start, stop) on each page, given each row's height and the header rows' (cm): the first page has
    `first_page_used` cm taken above the table (its caption, a heading); a twentieth of each page is kept free for the
    estimate's error (Word, WPS and LibreOffice set the same text a little differently)."""
    room = (PAGE_HEIGHT_CM - 2 * MARGIN_CM) * 0.95 - header
    pages: list[tuple[int, int]] = []
    start, used, limit = 0, 0.0, room - first_page_used
    for index, height in enumerate(heights):
        if used + height > limit and index > start:
            pages.append((start, index))
            start, used, limit = index, 0.0, room
        used += height
    pages.append((start, len(heights)))
    return pages


def _unit(result: Result) -> str:
    return "" if result.items else (result.unit or "-")


def _header(upper: Sequence[_Cell], lower: Sequence[_Cell], top: list[str], bottom: list[str]) -> None:
    """The two header rows: a title repeated in `top` is one cell merged across, a title the same in both rows one
    cell merged down."""
    c = 0
    while c < len(top):
        end = c
        while end + 1 < len(top) and top[end + 1] == top[c]:
            end += 1
        write(upper[c], top[c], bold=True, center=True, shade=HEADER_SHADE)
        if top[c] == bottom[c]:  # one title over both rows
            write(lower[c], "", shade=HEADER_SHADE)
            merge_down([upper[c], lower[c]])
        else:
            for k in range(c, end + 1):
                write(lower[k], bottom[k], bold=True, center=True, shade=HEADER_SHADE)
            merge_across(upper[c:end + 1])
        c = end + 1


def _write_status(cell: _Cell, status: str | None) -> None:
    # Black and white as the plans print, except 未达标 in dark red bold: the cell a reader looks for.
    if status is None:
        write(cell, "", center=True)
        return
    alarm = status == "not_met"
    write(cell, status_text(status), center=True, bold=alarm, colour=STATUS_FONT[status] if alarm else None)


# -- the analysis ----------------------------------------------------------------------------------------------
def unmet_names(assessment: Assessment) -> list[str]:
    """The unmet indicators as the plans name them: "环境空气质量（优良天数比率、PM2.5浓度）"."""
    names = []
    for result in assessment.selected("table"):
        if result.status != "not_met":
            continue
        failing = [i.name for i in result.items if i.status == "not_met"]
        names.append(f"{result.name}（{'、'.join(failing)}）" if failing else result.name)
    return names


def _with_unit(result: Result) -> str:
    """The value in a sentence: a plain number with its unit ("37.69%"), else as the table shows it."""
    unit = result.unit if result.unit and result.unit not in ("-", "—") else ""
    return f"{value_text(result)}{unit}" if isinstance(result.value, (int, float)) else shown_value(result)


def unmet_leaves(assessment: Assessment) -> list[Result]:
    """Every unmet indicator without sub-items, and every unmet sub-item, in table order."""
    return [r for _, r in assessment.rows() if r.status == "not_met" and not r.items]


def analysis_paragraphs(assessment: Assessment) -> list[tuple[str, str]]:
    """The plan's 指标达标分析 for one year as (bold lead, text) pairs: the counts and the unmet indicators named,
    then one paragraph per unmet indicator — its name, then its value, target, gap and reason; then the indicators
    lacking data and those to be verified, named."""
    district = str(assessment.district.get("name") or "")
    counts = f"{assessment.year} 年{district}对照{title_of(assessment)}，{counts_sentence(assessment.summary)}。"
    names = unmet_names(assessment)
    if names:
        counts += f"未达标指标包括{'、'.join(names)}。"
    out = [("", counts)]
    for part in assessment.parts:  # the parts outside the headline, each with its own counts
        if not part.headline:
            unmet = "、".join(r.name for r in part.results if r.status == "not_met")
            out.append((f"{part.label}（不计入指标表）：", f"{counts_sentence(part.summary)}。"
                        + (f"未达标的包括{unmet}。" if unmet else "")))
    for leaf in unmet_leaves(assessment):
        bits = [f"指标值为{_with_unit(leaf) or '（未填报）'}", f"目标为{leaf.target}"]
        gap = gap_text(leaf, spaced=False)
        if gap:
            bits.append(f"差距{gap}")
        reason = leaf.reason.rstrip("。")  # no reason must not leave "。。"
        out.append((f"{leaf.name}：", f"{'，'.join(bits)}。" + (f"{reason}。" if reason else "")))
    for status in ("missing", "review"):  # what the counts name only as a number
        named = [r.name for r in assessment.results if r.status == status]
        if named:
            out.append((f"{status_text(status)}的指标：", f"{'、'.join(named)}。"))
    return out


# -- several districts -----------------------------------------------------------------------------------------
def _overview_table(document: DocumentObject, series: Sequence[Series]) -> None:
    header = ["区县", "年度", "指标体系", "指标数", status_text("met"), status_text("not_met"), "其中约束性",
              *(status_text(s) for s in ("not_applicable", "missing", "review"))]
    rows = []
    for one in series:
        for a in one.assessments:
            s = a.summary
            rows.append([a.district.get("name") or "", a.year, a.pack.get("id") or "", s.total, s.met, s.not_met,
                         s.constraint_not_met, s.not_applicable, s.missing, s.review])
    simple_table(document, header, rows, [3.0, 1.4, 5.6] + [2.0] * (len(header) - 3), left={2})


__all__ = ["MAX_YEARS", "Series", "analysis_paragraphs", "column_widths", "group_series", "header_rows", "render_docx",
           "title_of", "unmet_leaves", "unmet_names", "write_section"]
