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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx import Document

from ecoplan.render.labels import STATUS_FONT, attribute_text, status_text
from ecoplan.render.text import counts_sentence, gap_text, shown_value, target_years
from ecoplan.render.word import (
    HEADER_SHADE,
    MARGIN_CM,
    PAGE_WIDTH_CM,
    caption,
    grid_table,
    heading,
    merge_across,
    merge_down,
    page_setup,
    paragraph,
    simple_table,
    write,
)
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



def write_section(document: DocumentObject, series: Series, *, number: int | None = None, level: int = 2) -> None:
    """One district's section: the caption ("表 `number`"), the plan's table with the last MAX_YEARS years side by
    side, the note on where it comes from, then under a heading of `level` the 指标达标分析 of every year."""
    shown = Series(series.assessments[-MAX_YEARS:])
    years = "、".join(f"{y} 年" for y in shown.years)
    label = "表" if number is None else f"表 {number}"
    caption(document, f"{label}  {title_of(shown.latest)}达标情况（{years}）")
    for part in shown.latest.parts:  # the table first, as the document counts it; then each other part apart
        heading_text = part.heading if part.headline else f"{part.heading}。{part.summary.line()}"
        paragraph(document, heading_text, bold=True, after_table=part.name != "table")
        _indicator_table(document, shown, part.rows())
    sources = [a.source for a in series.assessments if a.source]
    paragraph(document, f"注：达标情况由 ecoplan 按指标体系 {series.latest.pack.get('id') or ''} 判定"
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


def _indicator_table(document: DocumentObject, series: Series, rows: Sequence[tuple[int, Result]]) -> Table:
    latest = series.latest
    plan_years = target_years(latest)
    top, bottom = header_rows(series.years, plan_years)
    table = grid_table(document, 2 + len(rows), column_widths(len(series.years), len(plan_years)), header_rows=2)
    lines = [row.cells for row in table.rows]  # once, before any merge: table.cell(r, c) walks the whole table
    earlier = series.by_year()
    domain_cells: list[_Cell] = []  # the 领域 cells of the current domain, merged down when it ends
    domain: str | None = None
    for (depth, result), cells in zip(rows, lines[2:], strict=True):
        if depth == 0 and (result.domain or "") != domain:
            merge_down(domain_cells)
            domain, domain_cells = result.domain or "", []
            write(cells[0], domain, center=True)
        else:
            write(cells[0], "", center=True)
        domain_cells.append(cells[0])
        write(cells[1], (result.seq or result.id) if depth == 0 else "", center=True)
        write(cells[2], ("  " if depth else "") + result.name, bold=depth == 0 and bool(result.items))
        write(cells[3], _unit(result), center=True)
        write(cells[4], result.target)
        column = 5
        for by_id in earlier:
            then = by_id.get(result.id)
            write(cells[column], shown_value(then) if then is not None and not then.items else "")
            _write_status(cells[column + 1], then.status if then is not None else None)
            column += 2
        plans = {int(e["target_year"]): str(e.get("target") or "") for e in (result.progress or [])}
        for year in plan_years:
            write(cells[column], plans.get(year, ""))
            column += 1
        write(cells[column], attribute_text(result.attribute) if depth == 0 else "", center=True)
    merge_down(domain_cells)
    _header(lines[0], lines[1], top, bottom)
    return table


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
        bits = [f"指标值 {shown_value(leaf) or '（未填报）'}", f"目标 {leaf.target}"]
        gap = gap_text(leaf)
        if gap:
            bits.append(f"差距 {gap}")
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
