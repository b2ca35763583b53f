"""The OLE2 compound file of an Excel 97–2003 .xls, checked before calamine parses it.

An OLE2 file is a small file system: a header, a sector allocation table (FAT) and a directory of named streams.
Three kinds reach ecoplan: an .xls (a `Workbook` or `Book` stream of BIFF records), an .xlsx encrypted with a
password (Office wraps it in OLE2 with `EncryptionInfo` and `EncryptedPackage` streams), and other Office files
(.doc, .ppt). The checks here walk the directory and the sector chains with bounds on every step — a chain that
loops or points past the end of the file, a stream larger than the file — and look for the BIFF FILEPASS record
that marks an .xls saved with a password to open.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from ecoplan.errors import InputError
from ecoplan.workbook.facts import SheetFacts

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA  # sector numbers above this are markers, not sectors
_FILEPASS, _EOF, _BOF = 0x002F, 0x000A, 0x0809
_FORMAT, _XF, _BOUNDSHEET, _ROW, _COLINFO = 0x041E, 0x00E0, 0x0085, 0x0208, 0x007D
_NUMBER, _RK, _MULRK, _FORMULA, _DIMENSIONS = 0x0203, 0x027E, 0x00BD, 0x0006, 0x0200
# Every record that places a cell (row and column first): LABELSST, LABEL, RSTRING, BLANK, BOOLERR, NUMBER, RK,
# FORMULA; MULRK and MULBLANK end with their last column.
_CELLS = frozenset({0x00FD, 0x0204, 0x00D6, 0x0201, 0x0205, _NUMBER, _RK, _FORMULA})
_MULTI_CELLS = frozenset({_MULRK, 0x00BE})
_PERCENT_BUILTIN = {9, 10}  # 0% and 0.00%
ENCRYPTED = "工作簿设有打开密码（已加密），无法读取；请在 Excel 或 WPS 中取消密码后另存一份提交"


class DamagedCompoundFile(ValueError):
    """The compound file's header, allocation table or directory is inconsistent."""


@dataclass(frozen=True)
class Stream:
    """One stream of the directory: its name, first sector and declared size."""

    name: str
    start: int
    size: int


def check_xls(data: bytes, where: str) -> dict[str, SheetFacts]:
    """Refuse an OLE2 file that is not a readable .xls: damaged, encrypted (.xlsx or .xls), or not a workbook.
    Returns what the BIFF records say that the cell values cannot show, by sheet name (see `_facts`)."""
    try:
        layout = _Layout.of(data)
        streams = layout.streams
        names = {s.name.lower(): s for s in streams}
        if "encryptedpackage" in names or "encryptioninfo" in names:
            raise InputError(ENCRYPTED, where)
        book = names.get("workbook") or names.get("book")
        if book is None:
            found = "、".join(sorted(s.name for s in streams)) or "无"
            raise InputError(f"这是 Office 复合文档，但不是 Excel 工作簿（其中的数据流：{found}）；"
                             "请提交 .xlsx、.xls 或 .ods 工作簿", where)
        stream = layout.head(book, book.size)
        if _has_filepass(stream):
            raise InputError(ENCRYPTED, where)
        try:
            return _facts(stream)
        except (struct.error, IndexError):  # a record cut short: calamine decides whether the file is readable
            return {}
    except (DamagedCompoundFile, struct.error) as exc:
        detail = str(exc) if isinstance(exc, DamagedCompoundFile) else "结构不完整"
        raise InputError(f"文件以 Excel 97–2003（.xls）的文件头开始，但已损坏（{detail}）", where) from None


def _header(data: bytes) -> tuple[int, int, int, list[int]]:
    """Sector size, first directory sector, mini-stream cutoff, and the FAT's sectors (from the header's DIFAT;
    workbooks over ~7 MB chain further DIFAT sectors, followed here too)."""
    if len(data) < 512 or not data.startswith(MAGIC):
        raise DamagedCompoundFile("文件头不完整")
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise DamagedCompoundFile("扇区大小无效")
    sector = 1 << shift
    fat_count, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff = struct.unpack_from("<I", data, 0x38)[0]
    first_difat, difat_count = struct.unpack_from("<II", data, 0x44)
    sectors = _sector_count(data, sector)
    if fat_count > sectors:
        raise DamagedCompoundFile("分配表大小超出文件")
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s <= _MAX_REGULAR]
    next_difat, seen = first_difat, 0
    while next_difat <= _MAX_REGULAR and len(fat_sectors) < fat_count:
        seen += 1
        if seen > difat_count or seen > sectors:
            raise DamagedCompoundFile("DIFAT 链循环")
        entries = struct.unpack_from(f"<{sector // 4}I", _sector(data, next_difat, sector))
        fat_sectors.extend(s for s in entries[:-1] if s <= _MAX_REGULAR)
        next_difat = entries[-1]
    return sector, first_dir, cutoff, fat_sectors[:fat_count]


def _sector(data: bytes, number: int, size: int) -> bytes:
    """Sector `number` (the header takes the first 512 bytes, or the whole first 4,096-byte sector)."""
    start = (number + 1) * size
    block = data[start:start + size]
    if number > _MAX_REGULAR or len(block) < size:  # the format keeps whole sectors: a short one is a cut file
        raise DamagedCompoundFile("扇区超出文件末尾")
    return block


def _chain(fat: tuple[int, ...], first: int, limit: int) -> list[int]:
    """The sectors of a chain; a loop, a sector outside the table or a chain longer than `limit` is damage."""
    chain: list[int] = []
    current = first
    while current != _END_OF_CHAIN:
        if current > _MAX_REGULAR or current >= len(fat) or len(chain) >= limit:
            raise DamagedCompoundFile("扇区链无效或循环")
        chain.append(current)
        current = fat[current]
    return chain


@dataclass(frozen=True)
class _Layout:
    """What the header, the allocation table and the directory say: enough to find and read a stream."""

    data: bytes
    sector: int
    cutoff: int  # streams smaller than this live in the mini stream
    fat: tuple[int, ...]
    streams: list[Stream]

    @classmethod
    def of(cls, data: bytes) -> _Layout:
        sector, first_dir, cutoff, fat_sectors = _header(data)
        fat = tuple(v for s in fat_sectors for v in struct.unpack_from(f"<{sector // 4}I", _sector(data, s, sector)))
        streams = []
        for number in _chain(fat, first_dir, _sector_count(data, sector)):
            block = _sector(data, number, sector)
            for at in range(0, len(block) - 127, 128):
                length, kind = struct.unpack_from("<HB", block, at + 64)
                if kind != 2 or not 2 <= length <= 64:  # 2: a stream (1 is a storage, 5 the root)
                    continue
                name = block[at:at + length - 2].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", block, at + 116)
                if sector == 512:
                    size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
                if size > len(data):
                    raise DamagedCompoundFile(f"数据流 {name} 声明的大小超过整个文件")
                streams.append(Stream(name, start, size))
        return cls(data, sector, cutoff, fat, streams)

    def head(self, stream: Stream, most: int) -> bytes:
        """The first `most` bytes of a regular stream. A stream under the mini-stream cutoff gives b"": a .xls
        Workbook stream is never that small (its globals alone are larger), and calamine reads it anyway."""
        if stream.size < self.cutoff:
            return b""
        chain = _chain(self.fat, stream.start, _sector_count(self.data, self.sector))
        if len(chain) * self.sector < stream.size:
            raise DamagedCompoundFile(f"数据流 {stream.name} 比声明的短")
        wanted = min(stream.size, most)
        head = b"".join(_sector(self.data, s, self.sector) for s in chain[:-(-wanted // self.sector)])
        return head[:wanted]


def _sector_count(data: bytes, sector: int) -> int:
    return (len(data) - 512) // sector + 1


def _has_filepass(stream: bytes) -> bool:
    """Whether the workbook globals (the BIFF records up to the first EOF) hold a FILEPASS record."""
    return any(kind == _FILEPASS for kind, _, _ in _records(stream, 0))


def _records(stream: bytes, at: int) -> Iterator[tuple[int, int, int]]:
    """(type, offset of the body, length) of each BIFF record from `at` to the substream's EOF."""
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, at + 4, length
        if kind == _EOF:
            return
        at += 4 + length


def _facts(stream: bytes) -> dict[str, SheetFacts]:
    """Each sheet's declared size (DIMENSIONS), hidden rows and columns, and cells in a percentage format (87.9% is
    stored as 0.879, and calamine gives the number; the reader shows it as typed), from the globals' FORMAT, XF
    and BOUNDSHEET records and each sheet's records. Records too short to hold their fields are skipped."""
    percent_formats = set(_PERCENT_BUILTIN)
    xf_formats: list[int] = []
    sheets: list[tuple[str, int]] = []
    for kind, body, length in _records(stream, 0):
        if kind == _FORMAT and length >= 5:
            if "%" in _unicode_string(stream, body + 2, 2).replace('"%"', "").replace("\\%", ""):
                percent_formats.add(struct.unpack_from("<H", stream, body)[0])
        elif kind == _XF and length >= 4:
            xf_formats.append(struct.unpack_from("<H", stream, body + 2)[0])
        elif kind == _BOUNDSHEET and length >= 8:
            sheets.append((_unicode_string(stream, body + 6, 1), struct.unpack_from("<I", stream, body)[0]))
    percent_xfs = {i for i, fmt in enumerate(xf_formats) if fmt in percent_formats}
    return {name: _sheet_facts(stream, offset, percent_xfs) for name, offset in sheets if offset < len(stream)}


def _sheet_facts(stream: bytes, offset: int, percent_xfs: set[int]) -> SheetFacts:
    """One sheet's facts. Its size is the furthest cell any record places (or DIMENSIONS, if larger): calamine
    sizes its cell grid by the cells when it opens the file, and one cell at row 52,999, column 25,607 (two bytes
    of a damaged file) made it allocate 43 GB and abort the process; the reader refuses such a sheet first."""
    facts = SheetFacts()
    last_row = last_col = -1
    for kind, body, length in _records(stream, offset):
        if (kind in _CELLS or kind in _MULTI_CELLS) and length >= 6:
            row, col = struct.unpack_from("<HH", stream, body)
            end = struct.unpack_from("<H", stream, body + length - 2)[0] if kind in _MULTI_CELLS else col
            last_row, last_col = max(last_row, row), max(last_col, col, end)
            if percent_xfs:
                _percent(facts, stream, kind, body, length, percent_xfs)
        elif kind == _DIMENSIONS and length >= 12:
            _, rows, _, columns = struct.unpack_from("<IIHH", stream, body)  # one past the last row and column
            last_row, last_col = max(last_row, rows - 1), max(last_col, columns - 1)
        elif kind == _ROW and length >= 16:
            row, flags = struct.unpack_from("<H", stream, body)[0], struct.unpack_from("<I", stream, body + 12)[0]
            if flags & 0x20:  # fDyZero: the row is hidden
                facts.hidden_rows.append(row + 1)
        elif kind == _COLINFO and length >= 10:
            first, last, _, _, flags = struct.unpack_from("<5H", stream, body)
            if flags & 0x1:
                facts.hidden_columns.extend(range(first, min(last, first + 256) + 1))
    facts.rows, facts.dimension_columns = last_row + 1, last_col + 1
    return facts


def _percent(facts: SheetFacts, stream: bytes, kind: int, body: int, length: int, percent_xfs: set[int]) -> None:
    """Record the cells of one cell record whose style is a percentage."""
    row, col = struct.unpack_from("<HH", stream, body)
    if kind == _MULRK:
        for i in range((length - 6) // 6):
            if struct.unpack_from("<H", stream, body + 4 + 6 * i)[0] in percent_xfs:
                facts.percent_cells.add((row, col + i))
    elif kind in (_NUMBER, _RK, _FORMULA) and struct.unpack_from("<H", stream, body + 4)[0] in percent_xfs:
        facts.percent_cells.add((row, col))


def _unicode_string(stream: bytes, at: int, count_bytes: int) -> str:
    """A BIFF8 string: its character count (1 or 2 bytes), a flags byte (bit 0: two bytes per character), the
    characters."""
    count = stream[at] if count_bytes == 1 else struct.unpack_from("<H", stream, at)[0]
    flags = stream[at + count_bytes]
    start = at + count_bytes + 1
    if flags & 0x1:
        return stream[start:start + 2 * count].decode("utf-16-le", "replace")
    return stream[start:start + count].decode("latin-1")
