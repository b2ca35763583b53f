"""The OLE2 compound file of an Excel 97–2003 .xls, checked before calamine parses it.

An OLE2 file is a small file system: a header, a sector allocation table (FAT) and a directory of named streams.
Three kinds reach ecoplan: an .xls (a `Workbook` or `Book` stream of BIFF records), an .xlsx encrypted with a
password (Office wraps it in OLE2 with `EncryptionInfo` and `EncryptedPackage` streams), and other Office files
(.doc, .ppt). The checks here walk the directory and the sector chains with bounds on every step — a chain that
loops or points past the end of the file, a stream larger than the file — then hand the Workbook stream to
workbook/biff.py, which finds the FILEPASS record of an .xls saved with a password to open and each sheet's facts.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ecoplan.errors import ENCRYPTED, InputError
from ecoplan.workbook.biff import facts, has_filepass
from ecoplan.workbook.facts import SheetFacts

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END_OF_CHAIN = 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA  # sector numbers above this are markers, not sectors


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
    Returns what the BIFF records say that the cell values cannot show, by sheet name (workbook/biff.py)."""
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
        if has_filepass(stream):
            raise InputError(ENCRYPTED, where)
        try:
            return facts(stream)
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
