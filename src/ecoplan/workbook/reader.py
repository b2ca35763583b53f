"""Reading a workbook's cells: the one place that touches a submitted file.

`read_workbook` recognises the container by its first bytes, not by its name — a zip (.xlsx, .xlsm, .ods) or an
OLE2 compound file (.xls) — checks it before any parser sees it (size, inflated size and zip-bomb ratio, XML
entity declarations, sector chains, encryption; workbook/zipped.py and workbook/ole2.py), then reads every cell
with python-calamine, which reads all four formats (~1 ms for a district workbook, 12–16× faster than openpyxl;
reference/deps-perf.md). Anything else — a CSV, a PDF, a web page — is refused with what it is and how to submit
it. The file is opened read-only and never written.
"""

from __future__ import annotations

import io
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from ecoplan.errors import InputError
from ecoplan.workbook.facts import SheetFacts
from ecoplan.workbook.limits import Limits

# Every suffix a submission may have (compared lower-cased): the one list for folder discovery, the pre-commit
# hook and the messages. The reader itself goes by content, so a misnamed file is still read or refused rightly.
SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_SUBMIT = "请提交 .xlsx、.xls 或 .ods 工作簿"


def is_supported(path: Path) -> bool:
    """Whether `path`'s suffix is one of SUPPORTED_SUFFIXES, in any case (.XLSX, .Xls)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


@dataclass
class RawSheet:
    """A sheet's cells as values ('' for empty), with what the value list cannot show."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based (row0, col0, row1, col1)
    uncached_formulas: list[str] = field(default_factory=list)  # A1 refs of formulas with no cached value
    hidden_rows: list[int] = field(default_factory=list)  # 1-based numbers of rows hidden in Excel (still read)
    hidden_columns: list[int] = field(default_factory=list)  # 0-based indexes of hidden columns (still read)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # 0-based cells shown as a percentage


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, RawSheet]
    kind: str = "xlsx"  # the container: "xlsx" (also .xlsm), "xls" or "ods"


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → A1 reference as Excel shows it."""
    return f"{column_letter(col)}{row + 1}"


def read_workbook(path: Path, limits: Limits | None = None, sheets: set[str] | None = None) -> RawWorkbook:
    """Read every cell of a workbook (or only the named sheets). Raises InputError naming the file and the fault."""
    limits = limits or Limits.from_env()
    where = str(path)
    data = _read_checked(path, limits)
    facts: dict[str, SheetFacts]
    if data.startswith(_ZIP):
        # lazy: zipfile and the zip checks (~30 ms) only for .xlsx/.ods; an .xls never needs them
        from ecoplan.workbook.zipped import check_zip

        container = check_zip(data, limits, where)
        kind, facts = container.kind, container.sheets
    else:
        # lazy: the OLE2/BIFF checks (~15 ms) only for .xls; an .xlsx never needs them
        from ecoplan.workbook.ole2 import check_xls

        facts = check_xls(data, where)
        kind = "xls"
    return RawWorkbook(path=path, sheets=_read_cells(path, data, kind, facts, limits, sheets), kind=kind)


def _read_cells(path: Path, data: bytes, kind: str, facts: dict[str, SheetFacts], limits: Limits,
                sheets: set[str] | None) -> dict[str, RawSheet]:
    where = str(path)
    for name, declared in facts.items():  # before calamine opens the file: it builds .xls sheets when it opens
        if sheets is None or name.strip() in sheets:
            # An .xlsx's <row> elements count rows that only carry a format too (a table bordered down to row
            # 6000, as Excel writes one): before parsing, only a sheet far over the limit is refused; the rows
            # that hold a value are checked against the limit itself once calamine has read them (below).
            _check_size(name, declared.rows if declared.rows > _PRECHECK_ROWS * (limits.max_rows + 1) else 0,
                        declared.dimension_columns, limits, where)
    try:
        # From the bytes already checked, not the path: the file could be replaced between check and read.
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))  # BytesIO shares the bytes
    except BaseException as exc:  # calamine raises its own error types for every malformed container
        _reraise_if_not_calamine(exc)
        raise InputError(f"无法作为 .{kind} 工作簿读取（{type(exc).__name__}: {_short(exc)}）", where) from None
    result: dict[str, RawSheet] = {}
    try:
        for name in book.sheet_names:
            if sheets is not None and name.strip() not in sheets:
                continue
            part = facts.get(name)
            try:
                sheet = book.get_sheet_by_name(name)
                _check_size(name, sheet.height, sheet.width, limits, where)  # a sheet without <row> tags
                rows = sheet.to_python(skip_empty_area=False)
                _check_cells(name, rows, limits, where)
                if part and part.error_cells:
                    _restore_errors(rows, part.error_cells)
                merged = [(s[0], s[1], e[0], e[1]) for s, e in (sheet.merged_cell_ranges or [])]
            except InputError:
                raise
            except BaseException as exc:
                _reraise_if_not_calamine(exc)
                raise InputError(f"工作表 {name} 无法读取（{type(exc).__name__}: {_short(exc)}）", where) from None
            result[name] = RawSheet(name=name, rows=rows, merged=merged or (part.merged if part else []),
                                    hidden_rows=part.hidden_rows if part else [],
                                    hidden_columns=part.hidden_columns if part else [],
                                    uncached_formulas=part.uncached_formulas if part else [],
                                    percent_cells=part.percent_cells if part else set())
    finally:
        book.close()
    return result


def _restore_errors(rows: list[list[Any]], errors: dict[tuple[int, int], str]) -> None:
    """Put an error value (#DIV/0!, #N/A) back where calamine gives an empty cell: it is no blank, and the
    loader reports it as what it is, at its cell."""
    for (r, c), shown in errors.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] in ("", None):
            rows[r][c] = shown


def _reraise_if_not_calamine(exc: BaseException) -> None:
    """Re-raise what is no failure of calamine's. A damaged file can make calamine's Rust code panic, which
    reaches Python as pyo3's PanicException — a BaseException, not an Exception — and must become the message
    about the file; an interrupt (Ctrl-C) must not."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


_PRECHECK_ROWS = 10  # how far over the row limit a sheet's declared rows must be to be refused unread


def _check_size(name: str, rows: int, columns: int | None, limits: Limits, where: str) -> None:
    """Refuse a sheet over the row or column limit (one header row is allowed on top of max_rows)."""
    if rows > limits.max_rows + 1:
        raise InputError(f"工作表 {name} 有 {rows} 行，超过上限 {limits.max_rows}（ECOPLAN_MAX_ROWS）", where)
    if columns is not None and columns > limits.max_columns:
        raise InputError(f"工作表 {name} 有 {columns} 列，超过上限 {limits.max_columns}（ECOPLAN_MAX_COLUMNS）", where)


def _check_cells(name: str, rows: list[list[Any]], limits: Limits, where: str) -> None:
    """Refuse a sheet with a text cell longer than the limit, naming the first such cell and how many more there
    are: no real cell comes near it (the longest seen is a note of ~130 characters), and the text beyond it would
    only cost the parsers' time and the reports' memory."""
    limit = limits.max_cell_chars
    if not any(type(x) is str and len(x) > limit for row in rows for x in row):  # ~0.1 ms for a district workbook
        return
    long = [(r, c, len(x)) for r, row in enumerate(rows) for c, x in enumerate(row)
            if type(x) is str and len(x) > limit]
    r, c, size = long[0]
    more = f"；另有 {len(long) - 1} 个单元格超长" if len(long) > 1 else ""
    raise InputError(f"单元格有 {size} 个字符，超过上限 {limit}（ECOPLAN_MAX_CELL_CHARS）{more}",
                     f"{where}: {name}!{cell_ref(r, c)}")


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _read_checked(path: Path, limits: Limits) -> bytes:
    """The file's bytes, after checking it is a regular, non-empty file within the size limit whose first bytes
    are a zip or an OLE2 container; anything else is refused with what it seems to be."""
    data = read_regular_file(path, limits, "这是文件夹，不是工作簿（文件夹请用 ecoplan batch 或 ecoplan check）",
                             _SUBMIT)
    if not data.startswith((_ZIP, _OLE2)):
        raise InputError(f"不是工作簿：{_guess_kind(path, data)}", str(path))
    return data


def read_regular_file(path: Path, limits: Limits, if_folder: str, what_to_send: str) -> bytes:
    """The bytes of a regular, non-empty file within ECOPLAN_MAX_FILE_MB, read once (every check then runs on
    them); anything else an InputError naming it (`if_folder`: the message for a folder; `what_to_send`: what the
    command takes, said after an empty file)."""
    where = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("找不到文件", where) from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", where) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(if_folder, where)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("不是普通文件（设备、管道或套接字）", where)
    if info.st_size == 0:
        raise InputError(f"文件是空的（0 字节）；{what_to_send}", where)
    if info.st_size > limits.max_file_bytes:
        raise InputError(f"文件大小 {info.st_size / 2**20:.1f} MB，超过上限 {limits.max_file_bytes / 2**20:.0f} MB"
                         "（ECOPLAN_MAX_FILE_MB）", where)
    try:
        return path.read_bytes()  # at most ECOPLAN_MAX_FILE_MB: one read, then every check on these bytes
    except PermissionError:
        raise InputError("没有读取权限，文件无法读取", where) from None
    except OSError as exc:
        raise InputError(f"无法读取文件：{exc.strerror or exc}", where) from None


_BOMS = ((b"\xef\xbb\xbf", "UTF-8（带 BOM）"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _guess_kind(path: Path, data: bytes) -> str:
    """What a file that is no workbook container seems to be, and what to do with it."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return f"这是 PDF 文件；{_SUBMIT}"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5].lower()
    if stripped in (b"<?xml", b"<html", b"<!doc", b"<tabl"):
        return f"这是 XML/HTML 文本（可能是“另存为网页”的表格）；{_SUBMIT}"
    encoding = text_encoding(data[:65536])
    if encoding is None:
        return f"这是未知类型的二进制数据；{_SUBMIT}"
    sample = data[:4096].decode("utf-16" if encoding == "UTF-16" else "gb18030" if encoding == "GB18030"
                                else "utf-8-sig", "replace")
    if path.suffix.lower() in (".csv", ".txt") or sample.count(",") + sample.count("\t") > 2:
        return (f"这是 CSV 文本文件（编码 {encoding}），只有一张表，放不下区县信息；请在 Excel 或 WPS 中打开，"
                "把它放进 ecoplan template 生成的模板（区县信息、指标数据两张工作表）后另存为 .xlsx 提交")
    return f"这是纯文本文件（编码 {encoding}）；{_SUBMIT}"


def text_encoding(sample: bytes) -> str | None:
    """The encoding a text file is in — "UTF-8（带 BOM）", "UTF-8", "UTF-16" or "GB18030" — or None for binary
    data. A sample cut inside a character still counts as UTF-8 (its last bytes are allowed to be partial)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\0" in sample:
        return None
    for encoding, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            sample.decode(encoding)
            return name
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 3 and encoding == "utf-8":
                return name
    return None
