"""The zip container of an .xlsx, .xlsm or .ods, checked before calamine parses it.

First the central directory (member count, declared sizes and ratios: free), then one streaming pass over every
member a reader opens, which counts the bytes actually inflated (zipfile never inflates past a member's declared
size and checks its CRC-32, so a header that lies fails), looks for a DOCTYPE/ENTITY anywhere in the part, and
learns what the cell values cannot show: rows hidden in Excel, hidden columns, formulas without a saved value,
cells in a percentage format. A zip bomb, an entity expansion or an oversized sheet is refused before calamine runs.

The archive is read with the standard library: a hand-written reader saved ~2 % of a 1,000-workbook batch (see
the commit that brought this module), not worth a parser of our own inside a security check.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ecoplan.errors import ENCRYPTED, InputError
from ecoplan.workbook.facts import SheetFacts
from ecoplan.workbook.limits import Limits
from ecoplan.workbook.odswalk import ODS_TAG, OdsWalk, xml_unescape

CHUNK = 1 << 16  # bytes inflated at a time, so a huge member is never whole in memory
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# What zipfile raises for a damaged archive or member: bad headers or CRC-32 (BadZipFile), corrupt deflate data
# (zlib.error), a name that is not UTF-8 (UnicodeDecodeError, a ValueError), an unknown zip version or compression
# (NotImplementedError), an encrypted member (RuntimeError), a cut file (EOFError, OSError).
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, NotImplementedError, RuntimeError,
            EOFError, OSError)


@dataclass
class Container:
    """A checked zip workbook: its kind ("xlsx" or "ods") and the facts of each sheet, by sheet name."""

    kind: str
    sheets: dict[str, SheetFacts]


def _opened(data: bytes, where: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The archive `data` and its members; a damaged one is an InputError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, archive.infolist()
    except _DAMAGED:
        raise InputError("文件以 zip 压缩包的文件头开始，但已损坏（被截断或内容错误）", where) from None


def check_zip(data: bytes, limits: Limits, where: str) -> Container:
    """Check the zip workbook `data` (the whole file); raise InputError naming the fault."""
    archive, members = _opened(data, where)
    with archive:
        _check_directory(members, limits, where)
        names = {m.filename for m in members}
        if "xl/workbook.xml" in names:
            return _check_xlsx(archive, members, limits, where)
        if "content.xml" in names and _mimetype(archive, names).startswith(ODS_MIMETYPE):
            return _check_ods(archive, members, limits, where)
    what = "OpenDocument 文本或演示文稿" if "content.xml" in names else "Word 文档或普通 zip 压缩包"
    raise InputError(f"这是 zip 压缩包，但不是工作簿（没有 xl/workbook.xml 或 content.xml；{what}？）；"
                     "请提交 .xlsx、.xls 或 .ods 工作簿", where)


def check_archive(data: bytes, limits: Limits, where: str) -> set[str]:
    """Check any zip container (a .docx a plan is imported from, too) as a workbook is checked — member count,
    declared and actual inflated sizes, ratios, XML DOCTYPE/ENTITY in every member a reader opens — and return its
    member names. Raises InputError naming the fault."""
    archive, members = _opened(data, where)
    with archive:
        _check_directory(members, limits, where)
        _scan(archive, members, limits, where, {})
    return {m.filename for m in members}


def _mimetype(archive: zipfile.ZipFile, names: set[str]) -> bytes:
    try:
        return archive.read("mimetype")[:100].strip() if "mimetype" in names else b""
    except _DAMAGED:
        return b""


def _check_directory(members: list[zipfile.ZipInfo], limits: Limits, where: str) -> None:
    if len(members) > limits.max_members:
        raise InputError(f"压缩包有 {len(members)} 个成员，超过上限 {limits.max_members}（ECOPLAN_MAX_MEMBERS）", where)
    total = 0
    for member in members:
        total += member.file_size
        if member.compress_size and member.file_size / member.compress_size > limits.max_ratio \
                and member.file_size > 1024 * 1024:
            ratio = member.file_size / member.compress_size
            raise InputError(f"压缩包成员 {member.filename} 解压后膨胀 {ratio:.0f} 倍，超过上限 {limits.max_ratio:g} 倍"
                             "（ECOPLAN_MAX_RATIO；疑似 zip 炸弹），拒绝读取", where)
    if total > limits.max_inflated_bytes:
        raise InputError(f"工作簿解压后为 {total / 2**20:.0f} MB，超过上限 {limits.max_inflated_bytes / 2**20:.0f} MB"
                         "（ECOPLAN_MAX_INFLATED_MB）", where)


# Parts that neither calamine nor ecoplan opens. Their declared sizes still count against the limits.
_NEVER_READ = re.compile(r"^(?:docProps/|xl/theme/|xl/printerSettings/|xl/media/|xl/drawings/|customXml/|"
                         r"xl/externalLinks/|xl/pivot|xl/queryTables/|xl/customProperties/|Thumbnails/|Pictures/|"
                         r"Configurations2/)")
# XML markup that has no business in a workbook: a DTD is the door to entity expansion and external entities.
# Raw bytes are searched, in UTF-8 and UTF-16 (a part may declare either encoding).
_DTD_MARKERS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_OVERLAP = 1024  # longer than any tag searched for, so a tag split across two chunks is still seen
Scanner = Callable[[bytes, int, bool], None]  # (window, bytes of it already seen, first window?)


def _scan(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits, where: str,
          scanners: dict[str, Scanner], known: dict[str, bytes] | None = None) -> None:
    """Inflate every member a reader opens, once, in chunks, with a running cap and the DTD search; feed the
    chunks of the members named in `scanners` to their scanner. `known`: members already read whole (and
    CRC-checked), searched without reading them again."""
    known = known or {}
    inflated = 0
    for member in members:
        if member.is_dir() or _NEVER_READ.match(member.filename):
            continue
        scanner = scanners.get(member.filename)
        try:
            if member.filename in known:
                chunks: Iterable[bytes] = (known[member.filename],)
            elif member.file_size <= CHUNK and scanner is None:  # most parts: one read, no stream object
                chunks = (archive.read(member),)
            else:
                chunks = _chunks(archive, member)
            tail = b""
            for chunk in chunks:
                inflated += len(chunk)
                if inflated > limits.max_inflated_bytes:
                    raise InputError(f"工作簿解压后超过上限 {limits.max_inflated_bytes / 2**20:.0f} MB"
                                     f"（ECOPLAN_MAX_INFLATED_MB；在压缩包成员 {member.filename}）", where)
                window = tail + chunk
                # "!" first: a one-byte search (memchr) that almost every part fails; every marker contains it.
                if b"!" in window and any(m in window for m in _DTD_MARKERS):
                    raise InputError(f"{member.filename} 声明了 XML DOCTYPE/ENTITY（实体展开或外部实体），拒绝读取",
                                     where)
                if scanner is not None:
                    scanner(window, len(tail), not tail)
                tail = window[-_OVERLAP:]
        except InputError:
            raise
        except _DAMAGED as exc:
            # Bad CRC-32 included: the member inflates to other bytes than its header declares (a lying zip bomb)
            # or is corrupt; encrypted members (RuntimeError) and unknown compression (NotImplementedError) too.
            raise InputError(f"压缩包成员 {member.filename} 已损坏或无法读取（{_short(exc)}）", where) from None


def _chunks(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes, CHUNK at a time (zipfile stops at the declared size and checks the CRC-32 at the end)."""
    with archive.open(member) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# ------------------------------------------------------------------------------------------------------- .xlsx
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?row[\s>/]")
_ROW_ATTRS = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?row\b([^>]*)>")
_COL_ATTRS = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?col\b([^>]*)>")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,20}:)?dimension\s+ref="\$?([A-Z]{1,3})\$?\d+'
                        rb'(?::\$?([A-Z]{1,3})\$?\d+)?"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_COL_MIN = re.compile(rb'\bmin="(\d+)"')  # apart: Excel writes min before max, LibreOffice after
_COL_MAX = re.compile(rb'\bmax="(\d+)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
# A cell holding an error value (t="e"): <c r="D20" s="6" t="e"><f>1/0</f><v>#DIV/0!</v></c>.
_ERROR_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,20}:)?c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\st="e"[^>]*>.{0,4096}?'
                         rb'<(?:[A-Za-z_][\w.-]{0,20}:)?v>([^<]{1,32})</', re.S)
_PERCENT_BUILTIN = {b"9", b"10"}  # 0% and 0.00%


def _check_xlsx(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits, where: str) -> Container:
    by_name = {m.filename: m for m in members}
    try:
        # workbook.xml, its rels and styles.xml are only searched with regular expressions here, never parsed as
        # XML, so reading them before the DTD scan cannot expand an entity.
        known: dict[str, bytes] = {}
        parts = _remembered(archive, by_name, ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"), _sheet_parts, known)
        styles = _remembered(archive, by_name, ("xl/styles.xml",), _percent_styles, known)
    except _DAMAGED as exc:
        raise InputError(f"工作簿的工作表清单无法读取（{_short(exc)}）", where) from None
    countable = 6 * (limits.max_rows + 2)  # a <row/> takes ≥ 6 bytes: a smaller sheet cannot be over the limit
    facts: dict[str, SheetFacts] = {}
    scanners: dict[str, Scanner] = {}
    formulas: dict[str, list[bytes]] = {}  # each sheet's XML from the first chunk that shows a formula tag
    for name, part in parts.items():
        member = by_name.get(part)
        if member is not None:
            facts[name], formulas[name] = SheetFacts(), []
            scanners[part] = _xlsx_sheet_scanner(facts[name], member.file_size >= countable, styles, formulas[name])
    _scan(archive, members, limits, where, scanners, known)
    for name, kept in formulas.items():
        if kept:
            facts[name].uncached_formulas = _uncached_formulas(b"".join(kept))
    return Container("xlsx", facts)


def _xlsx_sheet_scanner(part: SheetFacts, count_rows: bool, percent_styles: frozenset[bytes],
                        formula_bytes: list[bytes]) -> Scanner:
    """A scanner that records what each window of a sheet's XML shows; only matches that end past `seen` (the
    overlap carried from the previous chunk) are new, so each tag is counted once. The XML from the first formula
    tag on is kept in `formula_bytes` for `_uncached_formulas`."""

    def scan(window: bytes, seen: int, first: bool) -> None:
        if first:
            dim = _DIMENSION.search(window[:8192])
            if dim:
                part.dimension_columns = (column_index((dim.group(2) or dim.group(1)).decode())
                                          - column_index(dim.group(1).decode()) + 1)
        if count_rows:
            part.rows += sum(1 for m in _ROW_TAG.finditer(window) if m.end() > seen)
        if percent_styles:
            for m in _percent_cell_pattern(percent_styles).finditer(window):
                if m.end() > seen:
                    part.percent_cells.add((int(m.group(2)) - 1, column_index(m.group(1).decode())))
        if b"hidden=" in window:  # rarely there: the per-tag searches below only run when it is
            _hidden_rows_and_columns(part, window, seen)
        if b't="e"' in window:
            for m in _ERROR_CELL.finditer(window):
                if m.end() > seen:
                    part.error_cells[(int(m.group(2)) - 1, column_index(m.group(1).decode()))] = \
                        xml_unescape(m.group(3).decode("utf-8", "replace"))
        if formula_bytes or b"<f" in window:
            formula_bytes.append(window if not formula_bytes else window[seen:])

    return scan


def _hidden_rows_and_columns(part: SheetFacts, window: bytes, seen: int) -> None:
    for m in _ROW_ATTRS.finditer(window):
        if m.end() > seen and _HIDDEN.search(m.group(1)):
            number = _ROW_NUMBER.search(m.group(1))
            if number:
                part.hidden_rows.append(int(number.group(1)))
    for m in _COL_ATTRS.finditer(window):
        if m.end() > seen and _HIDDEN.search(m.group(1)):
            low, high = _COL_MIN.search(m.group(1)), _COL_MAX.search(m.group(1))
            if low and high:
                first, last = int(low.group(1)), min(int(high.group(1)), int(low.group(1)) + 256)
                part.hidden_columns.extend(range(first - 1, last))


_FACTS: dict[tuple[bytes, ...], Any] = {}
Part = Callable[[str], "bytes | None"]  # a member's bytes by name (None when the archive has no such member)


def _remembered(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo], names: tuple[str, ...],
                read: Callable[[Part], Any], known: dict[str, bytes]) -> Any:
    """`read(part)` for parts that most workbooks of a batch share byte for byte (one template's styles and sheet
    list), remembered by the parts' bytes themselves: a dict compares the whole key on a hit, so a crafted part
    can never inherit another workbook's facts (a checksum could be forged). Parts over 1 MB are not remembered.
    The parts read are added to `known`, for the scan."""
    if not all(n in by_name and by_name[n].file_size <= 2**20 for n in names):
        return read(lambda name: archive.read(by_name[name]) if name in by_name else None)  # nothing to key on
    contents = tuple(archive.read(by_name[n]) for n in names)
    known.update(zip(names, contents, strict=True))
    if contents not in _FACTS:
        if len(_FACTS) > 256:
            _FACTS.clear()
        _FACTS[contents] = read(lambda name: contents[names.index(name)] if name in names else None)
    return _FACTS[contents]


@lru_cache(maxsize=64)
def _percent_cell_pattern(styles: frozenset[bytes]) -> re.Pattern[bytes]:
    """Cells whose style is one of `styles` (percentage formats): only those match, not every styled cell."""
    ids = b"|".join(sorted(styles))
    return re.compile(rb'<(?:[A-Za-z_][\w.-]{0,20}:)?c\s+r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(?:' + ids + rb')"')


def _percent_styles(part: Part) -> frozenset[bytes]:
    """Indexes of the cell styles that display a number as a percentage (87.9% is stored as 0.879)."""
    styles = part("xl/styles.xml")
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


def _sheet_parts(part: Part) -> dict[str, str]:
    """Sheet name → its XML part, from workbook.xml and its relationships."""
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
            parts[xml_unescape(name.group(1))] = target if target.startswith("xl/") else f"xl/{target}"
    return parts


def _uncached_formulas(data: bytes) -> list[str]:
    """A1 refs of formula cells that carry no cached value (saved by a tool that does not calculate)."""
    refs = []
    for attrs, body in _CELL.findall(data):
        if body and b"<f" in body and not re.search(rb"<v>[^<]+</v>|<is>", body):
            ref = re.search(rb'\br="([A-Z]+\d+)"', attrs)
            refs.append(ref.group(1).decode() if ref else "?")
    return refs


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _check_ods(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits, where: str) -> Container:
    """An OpenDocument spreadsheet: the same inflation and DTD checks; content.xml is walked for each table's
    rows that hold a value (a repeated row counts as often as it repeats), its hidden rows and columns, its cells
    in a percentage format and its merged cells (calamine gives no merged ranges for .ods)."""
    known: dict[str, bytes] = {}  # the manifest, read once: by the encryption check, then by the scan
    if _ods_encrypted(archive, members, known):
        raise InputError(ENCRYPTED, where)
    walk = OdsWalk()

    def scan(window: bytes, seen: int, first: bool) -> None:
        for m in ODS_TAG.finditer(window):
            if m.end() > seen:
                walk.tag(m)

    _scan(archive, members, limits, where, {"content.xml": scan}, known)
    for name, part in walk.facts.items():
        if part.rows > limits.max_rows + 1:
            raise InputError(f"工作表 {name} 有 {part.rows} 行数据，超过上限 {limits.max_rows}（ECOPLAN_MAX_ROWS）",
                             where)
    return Container("ods", walk.facts)


def _ods_encrypted(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], known: dict[str, bytes]) -> bool:
    """Whether an OpenDocument file is saved with a password: its manifest lists encryption data for the parts
    (content.xml is then ciphertext, which calamine reports only as an unknown format). The manifest read (and
    CRC-checked) is added to `known`, for the scan."""
    manifest = next((m for m in members if m.filename == "META-INF/manifest.xml"), None)
    if manifest is None or manifest.file_size > 1024 * 1024:
        return False
    try:
        known[manifest.filename] = archive.read(manifest)
    except _DAMAGED:
        return False  # the scan reads it again and says what is wrong with it
    return b"encryption-data" in known[manifest.filename]
