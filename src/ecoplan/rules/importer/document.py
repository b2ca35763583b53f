"""Opening a plan for import: what the file is (by its first bytes, not its name), checked before any parser sees
it, and its tables as Blocks.

A .docx is a zip: its directory, every member's inflated size and any XML DOCTYPE/ENTITY are checked as a
workbook's are (`ecoplan.workbook.zipped.check_archive`) before python-docx opens it. A workbook goes through the
workbook reader with all its checks. An old binary Word file (.doc) is refused with how to convert it.
"""

from __future__ import annotations

from pathlib import Path

from ecoplan.errors import InputError
from ecoplan.rules.importer.grid import Block
from ecoplan.workbook.limits import Limits
from ecoplan.workbook.reader import read_regular_file

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_STREAM = "WordDocument".encode("utf-16-le")
CONVERT = "soffice --headless --convert-to docx"
ACCEPTED = "请提供 Word 文档（.docx）或工作簿（.xlsx、.xls、.ods）"


def read_blocks(path: Path) -> list[Block]:
    """The tables of the plan at `path` (Word or spreadsheet), each with its caption and notes where the format
    has them. Raises InputError naming the file and what it is when it cannot be read."""
    limits = Limits.from_env()
    data = read_regular_file(path, limits, f"这是文件夹；{ACCEPTED}", ACCEPTED)
    where = str(path)
    if data.startswith(_OLE2):
        if _WORD_STREAM in data or path.suffix.lower() in (".doc", ".dot", ".wps"):
            raise InputError(f"这是旧版 Word 文档（.doc），无法直接读取；请先另存为 .docx，例如：{CONVERT} "
                             f"{path.name}，再导入生成的 .docx", where)
        # lazy: the workbook reader and calamine (~40 ms) only for a spreadsheet annex
        from ecoplan.rules.importer.sheets import read_sheets

        return read_sheets(path)
    if not data.startswith(_ZIP):
        raise InputError(f"不是 Word 文档或工作簿（{_what(data)}）；{ACCEPTED}", where)
    # lazy: zipfile and the zip checks only for a zip container
    from ecoplan.workbook.zipped import check_archive

    names = check_archive(data, limits, where)
    if "word/document.xml" in names:
        # lazy: python-docx only for a Word file
        from ecoplan.rules.importer.word import read_word

        return read_word(data, where, limits.max_rows)
    if "content.xml" in names and "xl/workbook.xml" not in names and path.suffix.lower() == ".odt":
        raise InputError(f"这是 OpenDocument 文本（.odt）；请先另存为 .docx，例如：{CONVERT} {path.name}", where)
    # lazy: the workbook reader and calamine (~40 ms) only for a spreadsheet annex
    from ecoplan.rules.importer.sheets import read_sheets

    return read_sheets(path)


def _what(data: bytes) -> str:
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "这是 PDF 文件，其中的表格无法可靠读取"
    if head.startswith(b"{\\rtf"):
        return f"这是 RTF 文档；请先另存为 .docx，例如：{CONVERT}"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower() in (b"<?xml", b"<html", b"<!doc", b"<tabl"):
        return "这是 XML/HTML 文本"
    return "未知的文件类型"


__all__ = ["CONVERT", "read_blocks"]
