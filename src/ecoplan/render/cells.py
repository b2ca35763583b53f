"""The one rule for what goes into a spreadsheet cell, used by every xlsx writer (and the CSV writer's variant).

- Numbers stay numbers (so sorting, filtering and number formats work).
- Text is always a string cell: "=1+1", "+86", "-", "@x" are shown as written, never run as a formula.
- Text never carries a character XML cannot hold. OOXML's own escape is used, the one Excel writes: a control
  character becomes ``_x0001_``, and text that already looks like such an escape (a 区县名称 "渝北_x0001_区"
  typed literally) gets its underscore escaped (``_x005F_x0001_``), so Excel, WPS, LibreOffice and calamine
  read back exactly the text the source had.

CSV has no cell types, so there text that a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Characters XML 1.0 cannot carry (besides tab, LF, CR), and the two non-characters it forbids.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$|^[-—]$")
_BAD_TITLE = re.compile(r"[\\/?*\[\]:]")  # what Excel refuses in a sheet name


def xml_text(text: str) -> str:
    """`text` with every character XML cannot hold written as OOXML's ``_xHHHH_`` escape (see the module doc)."""
    text = _ESCAPE_LIKE.sub(r"_x005F_\1", text)
    text = _NOT_XML.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return _SURROGATE.sub("\ufffd", text)  # a lone surrogate cannot even be encoded: mark where it was


def plain_text(text: str, replacement: str = "") -> str:
    """`text` with every character XML cannot hold replaced (dropped by default): for places that have no escape
    for them, a Word document or a sheet name."""
    return _SURROGATE.sub(replacement, _NOT_XML.sub(replacement, text))


def sheet_title(wanted: str, taken: Collection[str], fallback: str = "sheet") -> str:
    """A sheet name Excel accepts (≤ 31 characters, none of \\ / ? * [ ] : nor a control character) that is not in
    `taken` (lower-cased names: Excel compares sheet names without case); "~2", "~3" … make it unique."""
    base = _BAD_TITLE.sub("_", plain_text(wanted, "_")).strip("' ")[:31] or fallback
    title, n = base, 2
    while title.lower() in taken:
        suffix = f"~{n}"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    return title


def header_text(text: str) -> str:
    """Text for a printed page header: "&" starts a header code in Excel (&P, &N), so it is doubled; at most 255
    characters are allowed."""
    return xml_text(text).replace("&", "&&")[:250]


def cell_value(value: Any) -> Any:
    """A value as it may be stored: None, numbers and booleans as they are; anything else as safe text."""
    if value is None or isinstance(value, (int, float, bool)):
        return value
    return xml_text(str(value))


def write_cell(cell: Any, value: Any) -> Any:
    """Store `value` in an openpyxl cell (normal or write-only) by the rule; text is a string cell, never a formula."""
    value = cell_value(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store text beginning with "=" as a formula
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Any:
    """Write one cell of a normal worksheet by the rule and return it (for styling)."""
    return write_cell(ws.cell(row=row, column=column), value)


def csv_text(value: Any) -> Any:
    """A CSV field that a spreadsheet will not run: text starting with = + - @ tab CR gets a leading apostrophe.

    A plain number such as a negative gap ("-3.7") or the no-unit dash ("-") runs nothing and is left alone, so
    spreadsheets still read it as a number.
    """
    if isinstance(value, str) and value[:1] in _FORMULA_START and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


__all__ = ["cell_value", "csv_text", "header_text", "plain_text", "put", "sheet_title", "write_cell", "xml_text"]
