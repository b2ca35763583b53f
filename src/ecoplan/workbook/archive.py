"""The zip container of an .xlsx, read from its bytes: the member list and each member's inflated bytes.

zipfile does the same, but for a district workbook (ten small members) its `ZipFile` and `read` cost about
half of the safety pass that runs before calamine; a batch opens thousands. The central directory is parsed
here with `struct` (an archive this parser does not handle — ZIP64, bytes before the archive, a second disk —
goes to zipfile, which reports the same `Member` fields), and members are inflated straight from the bytes,
never past their declared size, with the CRC-32 checked.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CHUNK = 1 << 16  # the most `inflate` yields at once, so a huge member is never whole in memory
STORED, DEFLATED = 0, 8  # the compression methods an .xlsx uses (zipfile's ZIP_STORED, ZIP_DEFLATED)

_END = b"PK\x05\x06"
_END_SIZE = 22
_ENTRY = b"PK\x01\x02"
_ENTRY_SIZE = 46
_LOCAL = b"PK\x03\x04"
_ZIP64 = 0xFFFFFFFF


class DamagedArchive(ValueError):
    """The archive or a member is damaged: truncated, inconsistent, a wrong CRC-32 or size, a lying header."""


@dataclass(slots=True)
class Member:
    """One archive member as its central-directory entry declares it (zipfile.ZipInfo's names for the same)."""

    filename: str
    flag_bits: int
    compress_type: int
    CRC: int
    compress_size: int
    file_size: int
    header_offset: int

    def is_dir(self) -> bool:
        return self.filename.endswith("/")


def members(data: bytes) -> list[Member]:
    """The members of the zip archive `data`, in central-directory order. Raises DamagedArchive when the archive
    is damaged (or struct.error and UnicodeDecodeError, for entries cut short)."""
    end = data.rfind(_END, max(0, len(data) - _END_SIZE - 0xFFFF))
    if end < 0 or len(data) < end + _END_SIZE:
        raise DamagedArchive("no end of central directory")
    disk, cd_disk, _, count, cd_size, cd_offset, _ = struct.unpack_from("<HHHHIIH", data, end + 4)
    if disk or cd_disk or cd_offset == _ZIP64 or count == 0xFFFF or cd_offset + cd_size != end:
        return _by_zipfile(data)  # ZIP64, a split archive or bytes before the archive: zipfile knows them all
    found: list[Member] = []
    at = cd_offset
    for _ in range(count):
        if data[at:at + 4] != _ENTRY or at + _ENTRY_SIZE > end:
            raise DamagedArchive("bad central directory entry")
        (flags, method, crc, compressed, size, name_length, extra_length, comment_length,
         offset) = struct.unpack_from("<8xHH4xIIIHHH8xI", data, at)
        if _ZIP64 in (compressed, size, offset):
            return _by_zipfile(data)
        raw_name = data[at + _ENTRY_SIZE:at + _ENTRY_SIZE + name_length]
        name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
        found.append(Member(name.split("\x00", 1)[0], flags, method, crc, compressed, size, offset))
        at += _ENTRY_SIZE + name_length + extra_length + comment_length
    if at != end:
        raise DamagedArchive("the central directory's size does not match its entries")
    return found


def _by_zipfile(data: bytes) -> list[Member]:
    import io
    import zipfile  # only here: the rare archives it is needed for (importing it costs ~4 ms of every run)

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [Member(i.filename, i.flag_bits, i.compress_type, i.CRC, i.compress_size, i.file_size,
                           i.header_offset) for i in archive.infolist()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise DamagedArchive(str(exc)) from None


def inflate(data: bytes, member: Member) -> Iterator[bytes]:
    """A member's bytes in chunks of at most CHUNK. Never more than the declared size comes out: a member that
    would inflate further (a header that lies), ends short or fails its CRC-32 raises DamagedArchive; encrypted
    members raise RuntimeError and compression other than stored or deflate NotImplementedError."""
    compressed = _compressed(data, member)
    if member.compress_type == STORED:
        chunks: Iterator[bytes] = (compressed[i:i + CHUNK] for i in range(0, len(compressed), CHUNK))
    else:
        chunks = _deflated(compressed)
    size, crc = 0, 0
    for chunk in chunks:
        size += len(chunk)
        if size > member.file_size:
            raise DamagedArchive("inflates past its declared size")
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if size != member.file_size or crc != member.CRC:
        raise DamagedArchive("Bad CRC-32 or size")


def pieces(data: bytes, member: Member) -> Iterable[bytes]:
    """A member's bytes, checked as `inflate` checks them: at once for a part of at most CHUNK (most parts of a
    workbook are a few KB), in chunks for a bigger one, so it is never whole in memory."""
    return (read(data, member),) if member.file_size <= CHUNK else inflate(data, member)


def read(data: bytes, member: Member) -> bytes:
    """A member's bytes at once, with the checks of `inflate`: a part of at most CHUNK in one call (no generator),
    a bigger one joined from its chunks."""
    if member.file_size > CHUNK:
        return b"".join(inflate(data, member))
    compressed = _compressed(data, member)
    if member.compress_type == STORED:
        content = compressed
    else:
        inflater = zlib.decompressobj(-15)
        content = inflater.decompress(compressed, member.file_size + 1)  # one byte more shows a lying header
        if not inflater.unconsumed_tail:
            content += inflater.flush()
    if len(content) > member.file_size:
        raise DamagedArchive("inflates past its declared size")
    if len(content) != member.file_size or zlib.crc32(content) != member.CRC:
        raise DamagedArchive("Bad CRC-32 or size")
    return content


def _compressed(data: bytes, member: Member) -> bytes:
    offset = member.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != _LOCAL:
        raise DamagedArchive("bad local file header")
    if member.flag_bits & 0x1:
        raise RuntimeError("encrypted archive member")
    if member.compress_type not in (STORED, DEFLATED):
        raise NotImplementedError(f"compression method {member.compress_type}")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    start = offset + 30 + name_length + extra_length
    compressed = data[start:start + member.compress_size]
    if len(compressed) != member.compress_size:
        raise DamagedArchive("truncated archive member")
    return compressed


def _deflated(compressed: bytes) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-15)
    pending = compressed
    while pending:
        chunk = inflater.decompress(pending, CHUNK)  # input is left in unconsumed_tail only when the cap is hit
        pending = inflater.unconsumed_tail
        if not chunk:
            break
        yield chunk
    rest = inflater.flush()  # the little that zlib holds back (the caller still checks the declared size)
    if rest:
        yield rest
