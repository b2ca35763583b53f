"""The parts of a Word document every ecoplan document is made of: the page, headings, captions, paragraphs and
table cells, set as the plans set them (A4 landscape, 宋体/黑体 for Chinese and Times New Roman for Latin text,
12 pt body, 9 pt tables with their header rows repeated on every page).

render/docx.py (one assessment's document, and each district's section of the batch document) and
render/batch_docx.py (the batch overview) both build from these, so the two documents look alike.
python-docx (~140 ms to import) loads with this module, which only the Word renderers import: render/emit.py
loads those only when Word output is asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from ecoplan.render.cells import plain_text

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import Table, _Cell

BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
TABLE_PT, BODY_PT = 9.0, 12.0
HEADING_PT = {1: 15.0, 2: 14.0, 3: 12.0}
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 29.7, 21.0, 1.8
HEADER_SHADE = "D9D9D9"
TABLE_TEXT_STYLE = "Ecoplan Table Text"  # its style id: the name without spaces
_TABLE_TEXT_ID = TABLE_TEXT_STYLE.replace(" ", "")
NOTE_COLOUR = "52606D"


def word_text(value: Any) -> str:
    """Text a Word document can hold: characters XML cannot carry are dropped (python-docx refuses them, and Word
    has no escape for them as spreadsheets have)."""
    return plain_text("" if value is None else str(value))


def page_setup(document: DocumentObject) -> None:
    """A4 landscape with 1.8 cm margins; the Normal style in 宋体 / Times New Roman 12 pt."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    normal = document.styles["Normal"]
    set_fonts(normal)
    normal.font.size = Pt(BODY_PT)
    _table_text_style(document)


def _table_text_style(document: DocumentObject) -> None:
    """The paragraph style of every table cell: 宋体 9 pt, single-spaced, no space after. A style rather than the
    same five properties on each of thousands of cells (which made a batch document take twice as long); a table
    pasted into a plan brings its style along, so it keeps its look there."""
    style = document.styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = False
    set_fonts(style)
    style.font.size = Pt(TABLE_PT)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0


def set_fonts(run_or_style: Any, east_asian: str = BODY_FONT) -> None:
    """Latin text in Times New Roman, Chinese in `east_asian` (python-docx sets only the Latin font by itself)."""
    run_or_style.font.name = LATIN_FONT
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def add_run(paragraph: Any, text: str, *, size: float = BODY_PT, bold: bool = False, font: str = BODY_FONT,
            colour: str | None = None) -> Any:
    """A run of text in a body paragraph. Only what differs from the Normal style is set: each property is an XML
    element per run, and a batch report has thousands of runs."""
    run = paragraph.add_run(word_text(text))
    if bold:
        run.bold = True
    if size != BODY_PT:
        run.font.size = Pt(size)
    if font != BODY_FONT:
        set_fonts(run, font)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def title(document: DocumentObject, text: str) -> None:
    """The document's title: centred, 黑体 16 pt bold."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, text, size=16, bold=True, font=HEADING_FONT)


def heading(document: DocumentObject, text: str, level: int = 2) -> None:
    """A heading in 黑体 bold (level 1: 15 pt, 2: 14 pt, 3: 12 pt), kept on the page of what follows it."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    add_run(paragraph, text, size=HEADING_PT.get(level, BODY_PT), bold=True, font=HEADING_FONT)


def caption(document: DocumentObject, text: str) -> None:
    """A table's caption: centred, 黑体 10.5 pt bold, kept on the page of its table."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    add_run(paragraph, text, size=10.5, bold=True, font=HEADING_FONT)


def paragraph(document: DocumentObject, text: str, *, lead: str = "", bold: bool = False, note: bool = False,
              indent: bool = False, after_table: bool = False) -> None:
    """A paragraph of text. `indent`: the plans' prose (first line two characters in, 1.5 lines); `lead` in bold
    before the text (an unmet indicator's name); `note`: 9 pt grey (a remark under a table or heading);
    `after_table`: a little space above."""
    block = document.add_paragraph()
    if after_table:
        block.paragraph_format.space_before = Pt(6)
    if indent:
        block.paragraph_format.first_line_indent = Pt(BODY_PT * 2)  # two characters, as Chinese prose is set
        block.paragraph_format.line_spacing = 1.5
    if lead:
        add_run(block, lead, bold=True)
    add_run(block, text, size=TABLE_PT if note else BODY_PT, bold=bold, colour=NOTE_COLOUR if note else None)


def write(cell: _Cell, text: str, *, bold: bool = False, center: bool = False, colour: str | None = None,
          shade: str | None = None) -> None:
    """Replace a table cell's text, in the table text style (9 pt, set up by `page_setup`), centred vertically;
    optional bold, centre, colour, background."""
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:  # a merge leaves the merged cells' paragraphs behind
        extra._element.getparent().remove(extra._element)
    first = paragraphs[0]
    for run in list(first.runs):
        run._element.getparent().remove(run._element)
    first._p.style = _TABLE_TEXT_ID  # set directly: python-docx's Paragraph.style looks the name up every time
    if center:
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = first.add_run(word_text(text))
    if bold:
        run.bold = True
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    if shade:
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), shade)
        # In the schema's order (Word rejects a w:tcPr whose children are out of order): before w:vAlign.
        cell._tc.get_or_add_tcPr().insert_element_before(fill, *_AFTER_SHADE)


_AFTER_SHADE = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers",
                "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def merge_down(cells: Sequence[_Cell]) -> None:
    """Merge cells of one column, top to bottom, into the first (its text stays; the others should be empty).

    w:vMerge is set directly: python-docx's `_Cell.merge` and `Table.cell` walk the whole table for each cell,
    which made a district's table take ~1 s."""
    if len(cells) > 1:
        cells[0]._tc.vMerge = "restart"
        for cell in cells[1:]:
            cell._tc.vMerge = "continue"


def merge_across(cells: Sequence[_Cell]) -> None:
    """Merge neighbouring cells of one row into the first, which spans their columns and takes their width; the
    others are removed (so take every cell of the row before merging any)."""
    if len(cells) > 1:
        first = cells[0]
        width = sum(cell.width or 0 for cell in cells)
        first._tc.grid_span = len(cells)
        for cell in cells[1:]:
            cell._tc.getparent().remove(cell._tc)
        first.width = Emu(width)


def page_break(document: DocumentObject) -> None:
    """Start a new page with nothing on it before what follows: a paragraph that starts the page, 1 pt high (two
    tables need a paragraph between them, or Word joins them into one)."""
    block = document.add_paragraph()
    block.paragraph_format.page_break_before = True
    block.paragraph_format.space_before = block.paragraph_format.space_after = Pt(0)
    block.paragraph_format.line_spacing = Pt(1)
    mark, size = OxmlElement("w:rPr"), OxmlElement("w:sz")  # the paragraph mark's font: 1 pt
    size.set(qn("w:val"), "2")
    mark.append(size)
    block._p.get_or_add_pPr().append(mark)


def grid_table(document: DocumentObject, rows: int, widths: Sequence[float], header_rows: int = 1) -> Table:
    """An empty grid table, centred, with these column widths (cm); its first `header_rows` rows repeat at the top
    of every page, and no row is split across a page break."""
    table = document.add_table(rows=rows, cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid: what LibreOffice and WPS lay the table out by
    for r, row in enumerate(table.rows):
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)  # and each cell: what Word lays it out by
        properties = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if r < header_rows else ("w:cantSplit",):
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            properties.append(element)
    return table


def simple_table(document: DocumentObject, header: Sequence[str], rows: Sequence[Sequence[Any]],
                 widths: Sequence[float], left: Collection[int] = ()) -> Table:
    """A table with one shaded header row and these rows of text, every column centred but those in `left`."""
    table = grid_table(document, 1 + len(rows), widths)
    lines = list(table.rows)  # once: table.cell(r, c) would walk the whole table for every cell
    for cell, head in zip(lines[0].cells, header, strict=True):
        write(cell, head, bold=True, center=True, shade=HEADER_SHADE)
    for line, values in zip(lines[1:], rows, strict=True):
        for c, (cell, value) in enumerate(zip(line.cells, values, strict=True)):
            write(cell, str(value), center=c not in left)
    return table


__all__ = ["BODY_PT", "HEADER_SHADE", "MARGIN_CM", "PAGE_HEIGHT_CM", "PAGE_WIDTH_CM", "TABLE_PT", "add_run", "caption",
           "grid_table", "heading", "merge_across", "merge_down", "page_break", "page_setup", "paragraph", "set_fonts",
           "simple_table", "title", "word_text", "write"]
