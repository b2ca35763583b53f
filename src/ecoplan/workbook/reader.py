"""Reading a workbook's cells: the one place that touches the .xlsx file.

`read_workbook` checks the file before any parser sees it (size, zip-bomb ratio, XML entity declarations,
formulas without cached values), then reads every cell with python-calamine (~1 ms for a district workbook,
12–16× faster than openpyxl; reference/deps-perf.md). The file is opened read-only and never written.
"""

from __future__ import annotations

import re
import stat
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ecoplan.errors import InputError
from ecoplan.workbook import archive
from ecoplan.workbook.limits import Limits

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


@dataclass
class RawSheet:
    """A sheet's cells as values ('' for empty), with what the value list cannot show."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based (row0, col0, row1, col1)
    uncached_formulas: list[str] = field(default_factory=list)  # A1 refs of formulas with no cached value
    hidden_rows: list[int] = field(default_factory=list)  # 1-based numbers of rows hidden in Excel (still read)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # 0-based cells shown as a percentage


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, RawSheet]


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
    _check_file(path, limits)
    sheet_parts, facts = _check_archive(path, limits)
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every malformed archive
        raise InputError(f"not a readable .xlsx workbook ({type(exc).__name__}: {_short(exc)})", where) from None
    result: dict[str, RawSheet] = {}
    try:
        for name in book.sheet_names:
            if sheets is not None and name.strip() not in sheets:
                continue
            part = facts.get(sheet_parts.get(name, ""))
            if part is not None:  # refuse before calamine builds the sheet in memory
                _check_size(name, part.rows, part.dimension_columns, limits, where)
            try:
                sheet = book.get_sheet_by_name(name)
                _check_size(name, sheet.height, sheet.width, limits, where)  # a sheet without <row> tags
                rows = sheet.to_python(skip_empty_area=False)
                merged = [(s[0], s[1], e[0], e[1]) for s, e in (sheet.merged_cell_ranges or [])]
            except InputError:
                raise
            except Exception as exc:
                raise InputError(f"sheet {name} cannot be read ({type(exc).__name__}: {_short(exc)})", where) from None
            raw = RawSheet(name=name, rows=rows, merged=merged, hidden_rows=part.hidden_rows if part else [],
                           uncached_formulas=part.uncached_formulas if part else [],
                           percent_cells=part.percent_cells if part else set())
            result[name] = raw
    finally:
        book.close()
    return RawWorkbook(path=path, sheets=result)


def _check_size(name: str, rows: int, columns: int | None, limits: Limits, where: str) -> None:
    """Refuse a sheet over the row or column limit (one header row is allowed on top of max_rows)."""
    if rows > limits.max_rows + 1:
        raise InputError(f"sheet {name} has {rows} rows, more than the limit of {limits.max_rows} "
                         "(ECOPLAN_MAX_ROWS)", where)
    if columns is not None and columns > limits.max_columns:
        raise InputError(f"sheet {name} has {columns} columns, more than the limit of {limits.max_columns} "
                         "(ECOPLAN_MAX_COLUMNS)", where)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


def _check_file(path: Path, limits: Limits) -> None:
    where = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", where) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory, not a workbook (ecoplan batch takes directories)", where)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file (device, pipe or socket)", where)
    if info.st_size == 0:
        raise InputError("the file is empty (0 bytes); expected an .xlsx workbook", where)
    if info.st_size > limits.max_file_bytes:
        raise InputError(f"the file is {info.st_size / 2**20:.1f} MB, more than the limit of "
                         f"{limits.max_file_bytes / 2**20:.0f} MB (ECOPLAN_MAX_FILE_MB)", where)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head.startswith(_OLE2):
                handle.seek(0)
                blob = handle.read(min(info.st_size, 4 * 1024 * 1024))
                if _ENCRYPTED in blob:
                    raise InputError("the workbook is password-protected (encrypted); save an unprotected .xlsx copy",
                                     where)
                raise InputError("this is an old Excel 97–2003 .xls file; open it in Excel or WPS and save it as "
                                 ".xlsx", where)
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", where) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where) from None
    if not head.startswith(_ZIP):
        kind = _guess_kind(path, head)
        raise InputError(f"not an .xlsx workbook ({kind}); expected an Excel .xlsx file", where)


def _guess_kind(path: Path, head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "it is a PDF"
    if head[:5].lower() in (b"<?xml", b"<html", b"<!doc"):
        return "it is XML/HTML text"
    try:
        with path.open("rb") as handle:
            sample = handle.read(4096)
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "it is binary data of an unknown kind"
    if path.suffix.lower() == ".csv" or sample.count(b",") > 2:
        return "it is CSV/text; save it from Excel as .xlsx"
    return "it is plain text"


def _check_archive(path: Path, limits: Limits) -> tuple[dict[str, str], dict[str, PartFacts]]:
    """Check the zip container before any parser sees it; return sheet name → XML part, and part → facts.

    First the central directory (member count, declared sizes and ratios: free), then one streaming pass over
    every member that counts the bytes actually inflated (a header may lie about the size), looks for a
    DOCTYPE/ENTITY anywhere in the part (not only the first bytes: comments can push it down), and counts each
    sheet's rows — so a zip bomb, an entity expansion or an oversized sheet is refused before calamine runs.
    """
    where = str(path)
    try:
        data = path.read_bytes()  # at most ECOPLAN_MAX_FILE_MB (checked before): one read, then members by offset
        members = archive.members(data)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where) from None
    except (archive.DamagedArchive, struct.error, UnicodeDecodeError, ValueError, EOFError):
        raise InputError("the file starts like a zip archive but is damaged (truncated or corrupt)", where) from None
    if len(members) > limits.max_members:
        raise InputError(f"the archive has {len(members)} members, more than {limits.max_members}", where)
    total = 0
    for member in members:
        total += member.file_size
        if member.compress_size and member.file_size / member.compress_size > limits.max_ratio \
                and member.file_size > 1024 * 1024:
            raise InputError(f"archive member {member.filename} inflates {member.file_size / member.compress_size:.0f}×"
                             " (a zip bomb?); refused", where)
    if total > limits.max_inflated_bytes:
        raise InputError(f"the workbook inflates to {total / 2**20:.0f} MB, more than the limit of "
                         f"{limits.max_inflated_bytes / 2**20:.0f} MB (ECOPLAN_MAX_INFLATED_MB)", where)
    by_name = {m.filename: m for m in members}
    if "xl/workbook.xml" not in by_name:
        raise InputError("a zip archive but not an .xlsx workbook (no xl/workbook.xml; a .docx or .zip?)", where)
    try:
        # workbook.xml and its rels are only searched with regular expressions here, never parsed as XML,
        # so reading them before the scan below cannot expand an entity.
        parts = _remembered(data, by_name, ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"), _sheet_parts)
    except (archive.DamagedArchive, zlib.error, RuntimeError, NotImplementedError) as exc:
        raise InputError(f"the workbook's sheet list cannot be read ({_short(exc)})", where) from None
    styles = _remembered(data, by_name, ("xl/styles.xml",), _percent_styles)
    return dict(parts), _scan_members(data, members, limits, where, set(parts.values()), styles)


_FACTS: dict[tuple, Any] = {}
Part = Callable[[str], "bytes | None"]  # a member's bytes by name (None when the archive has no such member)


def _remembered(data: bytes, by_name: dict[str, archive.Member], names: tuple[str, ...],
                read: Callable[[Part], Any]) -> Any:
    """`read(part)` for parts that most workbooks of a batch share byte for byte (one template's styles and
    sheet list), remembered by each part's CRC-32 and size from the central directory. The scan that follows reads
    every part and checks its CRC there, so remembered facts only ever stand for bytes that are verified."""

    def part(name: str) -> bytes | None:
        member = by_name.get(name)
        return archive.read(data, member) if member is not None else None

    if not all(n in by_name for n in names):
        return read(part)  # a part is missing: nothing to remember it by
    key = tuple((n, by_name[n].CRC, by_name[n].file_size) for n in names)
    if key not in _FACTS:
        if len(_FACTS) > 256:
            _FACTS.clear()
        _FACTS[key] = read(part)
    return _FACTS[key]


@dataclass
class PartFacts:
    """What the streaming scan learnt about one archive member without parsing it."""

    rows: int = 0  # <row> elements
    hidden_rows: list[int] = field(default_factory=list)  # 1-based numbers of rows marked hidden="1"
    dimension_columns: int | None = None  # width of the <dimension ref="A1:H40"> the sheet declares
    uncached_formulas: list[str] = field(default_factory=list)  # A1 refs of formulas with no saved value
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based, in a % number format


# XML markup that has no business in a workbook: a DTD is the door to entity expansion and external entities.
# Raw bytes are searched, in UTF-8 and UTF-16 (a part may declare either encoding).
_DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?row[\s>/]")
_HIDDEN_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?row\b([^>]*)>")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,20}:)?dimension\s+ref="\$?([A-Z]{1,3})\$?\d+(?::\$?([A-Z]{1,3})\$?\d+)?"')
_OVERLAP = 1024  # longer than any tag matched above, so a tag split across two chunks is still seen


# Parts of an .xlsx that neither calamine nor ecoplan reads. Their declared sizes still count against the limits.
_NEVER_READ = re.compile(r"^(?:docProps/|xl/theme/|xl/printerSettings/|xl/media/|xl/drawings/|customXml/|"
                         r"xl/externalLinks/|xl/pivot|xl/queryTables/|xl/customProperties/)")


def _scan_members(data: bytes, members: list[archive.Member], limits: Limits,
                  where: str, sheets: set[str], percent_styles: frozenset[bytes] = frozenset()) -> dict[str, PartFacts]:
    """Inflate every member once, in chunks, with a running cap; see `_check_archive`. Sheets are also searched
    for row tags, formulas, hidden rows and percentage-styled cells in the same pass."""
    facts: dict[str, PartFacts] = {}
    inflated = 0
    # A <row/> tag takes at least 6 bytes, and a member is never inflated past its declared size (`archive`
    # refuses one that would be): a sheet declared smaller than this cannot be over the row limit, so its rows are
    # not counted (counting was a tenth of reading a district workbook).
    countable = 6 * (limits.max_rows + 2)
    for member in members:
        if member.is_dir() or _NEVER_READ.match(member.filename):
            continue  # document properties, themes, printer settings: no reader opens them, so no risk either
        part = PartFacts()
        tail = b""
        size = 0
        is_sheet = member.filename in sheets or member.filename.startswith("xl/worksheets/")
        count_rows = member.file_size >= countable
        formula_bytes: list[bytes] = []  # kept only from the first chunk that shows a formula tag
        try:
            for chunk in archive.pieces(data, member):
                size += len(chunk)
                inflated += len(chunk)
                if inflated > limits.max_inflated_bytes:
                    raise InputError(f"the workbook inflates to more than the limit of "
                                     f"{limits.max_inflated_bytes / 2**20:.0f} MB (ECOPLAN_MAX_INFLATED_MB) "
                                     f"(at archive member {member.filename})", where)
                window = tail + chunk
                # "!" first: a one-byte search (memchr) that almost every part fails; "<!" costs 20× more, as "<"
                # is everywhere in XML. Every marker contains the byte "!", in UTF-8 and in UTF-16 alike.
                if b"!" in window and any(m in window for m in _DTD_MARKERS):
                    raise InputError(f"{member.filename} declares an XML DOCTYPE/ENTITY (entity expansion or "
                                     "external entity); refused", where)
                if is_sheet:
                    if formula_bytes or b"<f" in window:
                        formula_bytes.append(window if not formula_bytes else chunk)
                    _scan_sheet_window(part, window, len(tail), size == len(chunk), count_rows, percent_styles)
                tail = window[-_OVERLAP:]
            if formula_bytes:
                part.uncached_formulas = _uncached_formulas(b"".join(formula_bytes))
        except InputError:
            raise
        except (archive.DamagedArchive, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            # Bad CRC-32 included: the member inflates to other bytes than its header declares (a lying zip bomb)
            # or is corrupt; encrypted zip members (RuntimeError) and unknown compression (NotImplementedError) too.
            raise InputError(f"archive member {member.filename} is damaged or not readable ({_short(exc)})",
                             where) from None
        facts[member.filename] = part
    return facts


def _scan_sheet_window(part: PartFacts, window: bytes, seen: int, first: bool, count_rows: bool,
                       percent_styles: frozenset[bytes]) -> None:
    """Record what one window of a sheet's XML shows; only matches that end past `seen` (the overlap carried from
    the previous chunk) are new, so each tag is counted exactly once."""
    if first:
        dim = _DIMENSION.search(window[:8192])
        if dim:
            first_col = _column_index(dim.group(1).decode())
            last_col = _column_index((dim.group(2) or dim.group(1)).decode())
            part.dimension_columns = last_col - first_col + 1
    if count_rows:
        part.rows += _count_new(_ROW_TAG, window, seen)
    if percent_styles:
        for m in _percent_cell_pattern(percent_styles).finditer(window):
            if m.end() > seen:
                part.percent_cells.add((int(m.group(2)) - 1, _column_index(m.group(1).decode())))
    if b"hidden=" in window:  # rarely there: the per-row search below only runs when it is
        for m in _HIDDEN_ROW.finditer(window):
            if m.end() > seen and _HIDDEN.search(m.group(1)):
                number = _ROW_NUMBER.search(m.group(1))
                if number:
                    part.hidden_rows.append(int(number.group(1)))


def _count_new(pattern: re.Pattern[bytes], window: bytes, seen: int) -> int:
    if not seen:
        return len(pattern.findall(window))
    return sum(1 for m in pattern.finditer(window) if m.end() > seen)


_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')


@lru_cache(maxsize=64)
def _percent_cell_pattern(styles: frozenset[bytes]) -> re.Pattern[bytes]:
    """Cells whose style is one of `styles` (percentage formats): only those match, not every styled cell."""
    ids = b"|".join(sorted(styles))
    return re.compile(rb'<(?:[A-Za-z_][\w.-]{0,20}:)?c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(?:' + ids + rb')"')


_PERCENT_BUILTIN = {b"9", b"10"}  # 0% and 0.00%


def _percent_styles(part: Part) -> frozenset[bytes]:
    """Indexes of the cell styles that display a number as a percentage (87.9% is stored as 0.879).

    styles.xml is only searched with regular expressions, never parsed as XML; a workbook without it has none.
    """
    try:
        styles = part("xl/styles.xml")
    except (archive.DamagedArchive, zlib.error, RuntimeError, NotImplementedError):
        return frozenset()
    if styles is None or len(styles) > 4 * 1024 * 1024:
        return frozenset()
    percent_formats = set(_PERCENT_BUILTIN)
    for fmt_id, code in re.findall(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', styles):
        if b"%" in code.replace(b'\\%', b"").replace(b'"%"', b""):
            percent_formats.add(fmt_id)
    xfs = re.search(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.S)
    if not xfs:
        return frozenset()
    found = set()
    for index, attrs in enumerate(re.findall(rb"<(?:\w+:)?xf\b([^>]*)", xfs.group(1))):
        fmt = re.search(rb'numFmtId="(\d+)"', attrs)
        if fmt and fmt.group(1) in percent_formats:
            found.add(str(index).encode())
    return frozenset(found)


def _column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26 (inverse of column_letter)."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _sheet_parts(part: Part) -> dict[str, str]:
    book_bytes, rels_bytes = part("xl/workbook.xml"), part("xl/_rels/workbook.xml.rels")
    if book_bytes is None or rels_bytes is None:
        return {}
    book, rels = book_bytes.decode("utf-8", "replace"), rels_bytes.decode("utf-8", "replace")
    targets = dict(re.findall(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets.update({k: v for v, k in re.findall(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    parts = {}
    for attrs in re.findall(r"<(?:\w+:)?sheet\b([^>]*)/?>", book):
        name = re.search(r'\bname="([^"]*)"', attrs)
        rid = re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', attrs)
        if not name or not rid:
            continue
        target = targets.get(rid.group(1) or rid.group(2))
        if target:
            target = target.lstrip("/")
            parts[_xml_unescape(name.group(1))] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


def _xml_unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)


def _uncached_formulas(data: bytes) -> list[str]:
    """A1 refs of formula cells that carry no cached value (saved by a tool that does not calculate)."""
    refs = []
    for attrs, body in _CELL.findall(data):
        if body and b"<f" in body and not re.search(rb"<v>[^<]+</v>|<is>", body):
            ref = re.search(rb'\br="([A-Z]+\d+)"', attrs)
            refs.append(ref.group(1).decode() if ref else "?")
    return refs
