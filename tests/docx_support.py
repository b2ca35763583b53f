"""Reading ecoplan's Word documents back: the plan's table of a section is one Word table per page."""

from __future__ import annotations

from typing import Any


def plan_tables(document: Any) -> list[list[Any]]:
    """The plan's tables (first cell 领域), one list per section: the pages of one table are Word tables with only
    an empty paragraph (the page break) between them."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    groups: list[list[Any]] = []
    current: list[Any] | None = None
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            table = Table(element, document)
            if table.rows[0].cells[0].text == "领域":
                if current is None:
                    current = []
                    groups.append(current)
                current.append(table)
            else:
                current = None
        elif element.tag == qn("w:p") and Paragraph(element, document).text.strip():
            current = None
    return groups


def body_rows(tables: list[Any]) -> list[list[str]]:
    """The rows below the two header rows of each page's table, as cell texts, in order."""
    return [[cell.text for cell in row.cells] for table in tables for row in table.rows[2:]]
