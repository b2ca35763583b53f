"""The plan's own table as a Word document (`assess --format docx`, `-o 达标情况.docx`).

What a planner pastes into the plan: the table the plans print (as 表4 of the 渝北 plan) — 领域 | 序号 | 指标名称 |
单位 | 指标值 (the standard's target) | per year the value and 达标情况, side by side | the plan's 2025/2030 targets
when the pack has them | 指标属性 — then the "指标达标分析" paragraphs the plans write after it: the counts, the
unmet indicators named, and each unmet indicator with its value, target, gap and reason.

Assessments of the same district and pack in several years (several workbooks) become one table with the years side
by side; several districts get an overview table and one section each. A4 landscape, the header rows repeated on
every page, 宋体 9 pt in the table as the plans set it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecoplan.render.cells import xml_text
from ecoplan.render.labels import STATUS_FONT, attribute_text, status_text
from ecoplan.render.text import counts_sentence, gap_text, shown_value
from ecoplan.report.assessment import Assessment, Result

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table, _Cell

BODY_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TABLE_PT = 9.0
BODY_PT = 12.0
PAGE_WIDTH_CM = 29.7
MARGIN_CM = 1.8


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
    from docx import Document  # python-docx costs ~100 ms to import: only when Word output is asked for

    document = Document()
    _page_setup(document)
    _base_style(document)
    series = group_series(assessments)
    if len(series) > 1:
        _heading(document, "总览")
        _overview_table(document, series)
    for one in series:
        if len(series) > 1:
            document.add_page_break()
        _series_section(document, one)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- the page --------------------------------------------------------------------------------------------------
def _page_setup(document: DocumentObject) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))


def _set_fonts(run_or_style: Any, east_asian: str = BODY_FONT) -> None:
    """Latin text in Times New Roman, Chinese in 宋体 (python-docx sets only the Latin font by itself)."""
    from docx.oxml.ns import qn

    run_or_style.font.name = LATIN_FONT
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def _base_style(document: DocumentObject) -> None:
    from docx.shared import Pt

    normal = document.styles["Normal"]
    _set_fonts(normal)
    normal.font.size = Pt(BODY_PT)


def _heading(document: DocumentObject, text: str) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    run = paragraph.add_run(xml_text(text))
    run.bold = True
    run.font.size = Pt(14)
    _set_fonts(run, "黑体")


def _caption(document: DocumentObject, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(xml_text(text))
    run.bold = True
    run.font.size = Pt(10.5)
    _set_fonts(run, "黑体")


# -- one district ----------------------------------------------------------------------------------------------
def title_of(assessment: Assessment) -> str:
    """"渝北区国家生态文明建设示范区建设指标" style: the district and the pack's title."""
    pack = str(assessment.pack.get("title") or assessment.pack.get("id") or "")
    name = str(assessment.district.get("name") or "")
    return pack if pack.startswith(name) else f"{name}{pack}"


def target_years(assessment: Assessment) -> list[int]:
    """The plan's later target years the pack carries (2025, 2030), from the progress entries."""
    return sorted({int(e["target_year"]) for _, r in assessment.rows() for e in (r.progress or [])})


def _series_section(document: DocumentObject, series: Series) -> None:
    latest = series.latest
    years = "、".join(f"{y} 年" for y in series.years)
    _caption(document, f"表  {title_of(latest)}达标情况（{years}）")
    _indicator_table(document, series)
    _source_note(document, series)
    _heading(document, "指标达标分析")
    for assessment in series.assessments:
        for lead, text in analysis_paragraphs(assessment):
            _body_paragraph(document, text, lead=lead)


def _source_note(document: DocumentObject, series: Series) -> None:
    from docx.shared import Pt

    sources = [a.source for a in series.assessments if a.source]
    paragraph = document.add_paragraph()
    run = paragraph.add_run(xml_text("注：达标情况由 ecoplan 按指标体系 " + str(series.latest.pack.get("id") or "")
                                     + " 判定" + ("；数据：" + "、".join(sources) if sources else "") + "。"))
    run.font.size = Pt(TABLE_PT)


def _body_paragraph(document: DocumentObject, text: str, lead: str = "") -> None:
    """A paragraph of the plan's text: first line indented two characters, 1.5 lines; `lead` in bold (the plans
    set an unmet indicator's name in bold before what they say of it)."""
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    paragraph.paragraph_format.line_spacing = 1.5
    if lead:
        paragraph.add_run(xml_text(lead)).bold = True
    paragraph.add_run(xml_text(text))


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


def _column_widths(years: int, plan_years: int) -> list[float]:
    """Centimetres per column: the narrow columns fixed, the rest of the page shared by the text columns."""
    usable = PAGE_WIDTH_CM - 2 * MARGIN_CM - 0.2
    fixed = {"领域": 1.2, "序号": 0.9, "单位": 1.5, "达标情况": 1.9, "指标属性": 1.9}
    weights = [("领域", 0.0), ("序号", 0.0), ("指标名称", 3.0), ("单位", 0.0), ("目标值", 2.4)]
    weights += [("值", 2.4), ("达标情况", 0.0)] * years + [("规划", 1.4)] * plan_years + [("指标属性", 0.0)]
    spare = usable - sum(fixed.get(name, 0.0) for name, weight in weights if weight == 0.0)
    total = sum(weight for _, weight in weights)
    return [fixed[name] if weight == 0.0 else spare * weight / total for name, weight in weights]


def _indicator_table(document: DocumentObject, series: Series) -> Table:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    latest = series.latest
    plan_years = target_years(latest)
    top, bottom = header_rows(series.years, plan_years)
    rows = latest.rows()
    table = document.add_table(rows=2 + len(rows), cols=len(top))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = _column_widths(len(series.years), len(plan_years))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: what LibreOffice and WPS lay the table out by
    for row in table.rows:  # and each cell: what Word lays it out by
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    _header(table, top, bottom)
    earlier = series.by_year()
    domain_start: tuple[int, str] | None = None
    for index, (depth, result) in enumerate(rows):
        r = index + 2
        cells = table.rows[r].cells
        domain = result.domain or ""
        if depth == 0 and (domain_start is None or domain != domain_start[1]):
            if domain_start is not None:
                _merge_down(table, 0, domain_start[0], r - 1)
            domain_start = (r, domain)
            _write(cells[0], domain, center=True)
        _write(cells[1], (result.seq or result.id) if depth == 0 else "", center=True)
        _write(cells[2], ("  " if depth else "") + result.name, bold=depth == 0 and bool(result.items))
        _write(cells[3], _unit(result), center=True)
        _write(cells[4], result.target)
        column = 5
        for by_id in earlier:
            then = by_id.get(result.id)
            _write(cells[column], shown_value(then) if then is not None and not then.items else "")
            _write_status(cells[column + 1], then.status if then is not None else None)
            column += 2
        plans = {int(e["target_year"]): str(e.get("target") or "") for e in (result.progress or [])}
        for year in plan_years:
            _write(cells[column], plans.get(year, ""))
            column += 1
        _write(cells[column], attribute_text(result.attribute) if depth == 0 else "", center=True)
    if domain_start is not None:
        _merge_down(table, 0, domain_start[0], len(rows) + 1)
    return table


def _unit(result: Result) -> str:
    return "" if result.items else (result.unit or "-")


def _header(table: Table, top: list[str], bottom: list[str]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for r, row in enumerate(table.rows):
        # Both header rows repeat on every page (w:tblHeader); no row is split across a page break (w:cantSplit).
        properties = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if r < 2 else ("w:cantSplit",):
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            properties.append(element)
    c = 0
    while c < len(top):
        end = c
        while end + 1 < len(top) and top[end + 1] == top[c]:
            end += 1
        if top[c] == bottom[c]:  # one title over both rows
            merged = table.cell(0, c).merge(table.cell(1, c))
            _write(merged, top[c], bold=True, center=True, shade="D9D9D9")
        else:
            merged = table.cell(0, c).merge(table.cell(0, end)) if end > c else table.cell(0, c)
            _write(merged, top[c], bold=True, center=True, shade="D9D9D9")
            for k in range(c, end + 1):
                _write(table.cell(1, k), bottom[k], bold=True, center=True, shade="D9D9D9")
        c = end + 1


def _merge_down(table: Table, column: int, first: int, last: int) -> None:
    if last > first:
        text = table.cell(first, column).text
        merged = table.cell(first, column).merge(table.cell(last, column))
        _write(merged, text, center=True)


def _write(cell: _Cell, text: str, *, bold: bool = False, center: bool = False, colour: str | None = None,
           shade: str | None = None) -> None:
    """Replace a cell's text: 9 pt, 宋体, centred vertically; optional bold, centre, colour, background."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:  # a merge leaves the merged cells' paragraphs behind
        extra._element.getparent().remove(extra._element)
    paragraph = paragraphs[0]
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(xml_text(text))
    run.font.size = Pt(TABLE_PT)
    run.bold = bold
    _set_fonts(run)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    if shade:
        properties = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), shade)
        properties.append(fill)


def _write_status(cell: _Cell, status: str | None) -> None:
    # Black and white as the plans print, except 未达标 in dark red bold: the cell a reader looks for.
    if status is None:
        _write(cell, "", center=True)
        return
    alarm = status == "not_met"
    _write(cell, status_text(status), center=True, bold=alarm, colour=STATUS_FONT[status] if alarm else None)


# -- the analysis ----------------------------------------------------------------------------------------------
def unmet_names(assessment: Assessment) -> list[str]:
    """The unmet indicators as the plans name them: "环境空气质量（优良天数比率、PM2.5浓度）"."""
    names = []
    for result in assessment.results:
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
    then one paragraph per unmet indicator — its name, then its value, target, gap and reason."""
    district = str(assessment.district.get("name") or "")
    counts = f"{assessment.year} 年{district}对照{title_of(assessment)}，{counts_sentence(assessment.summary)}。"
    names = unmet_names(assessment)
    if names:
        counts += f"未达标指标包括{'、'.join(names)}。"
    out = [("", counts)]
    for leaf in unmet_leaves(assessment):
        bits = [f"指标值 {shown_value(leaf) or '（未填报）'}", f"目标 {leaf.target}"]
        gap = gap_text(leaf)
        if gap:
            bits.append(f"差距 {gap}")
        out.append((f"{leaf.name}：", f"{'，'.join(bits)}。{leaf.reason}{'' if leaf.reason.endswith('。') else '。'}"))
    return out


# -- several districts -----------------------------------------------------------------------------------------
def _overview_table(document: DocumentObject, series: Sequence[Series]) -> None:
    heads = ["区县", "年度", "指标体系", "指标数", "达标", "未达标", "其中约束性", "不涉及", "缺数据", "待核实"]
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.autofit = False
    widths = [3.0, 1.4, 5.6] + [2.0] * (len(heads) - 3)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for c, head in enumerate(heads):
        _write(table.cell(0, c), head, bold=True, center=True, shade="D9D9D9")
    for one in series:
        for a in one.assessments:
            s = a.summary
            cells = table.add_row().cells
            values = [str(a.district.get("name") or ""), str(a.year), str(a.pack.get("id") or ""), s.total, s.met,
                      s.not_met, s.constraint_not_met, s.not_applicable, s.missing, s.review]
            for c, value in enumerate(values):
                _write(cells[c], str(value), center=c != 2)
    for row in table.rows:  # Word lays a table out by its cells' widths, LibreOffice by the grid's
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


__all__ = ["Series", "analysis_paragraphs", "group_series", "header_rows", "render_docx", "target_years",
           "title_of", "unmet_leaves", "unmet_names"]
