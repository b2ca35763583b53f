"""The reader lists and inflates archive members itself (straight from the file's bytes): the same members as
zipfile lists, never inflated past the declared size, and every member's CRC-32 and size checked, as zipfile's own
reader would."""

from __future__ import annotations

import io
import zipfile

import pytest

from ecoplan.workbook.archive import DamagedArchive, inflate, members, read


def _member(payload: bytes, method: int = zipfile.ZIP_DEFLATED) -> tuple[bytes, zipfile.ZipInfo]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", payload)
    data = buffer.getvalue()
    return data, zipfile.ZipFile(io.BytesIO(data)).infolist()[0]


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_inflates_in_chunks_to_the_same_bytes(method: int) -> None:
    payload = b"<row r='1'/>" * 50_000
    data, member = _member(payload, method)
    chunks = list(inflate(data, member))
    assert b"".join(chunks) == payload and max(map(len, chunks)) <= 1 << 16


def test_a_header_that_understates_the_size_is_refused_before_inflating_further() -> None:
    data, member = _member(b"x" * 5_000_000)
    member.file_size = 1000  # a zip bomb's lying header
    inflated = 0
    with pytest.raises(DamagedArchive, match="declared size"):
        for chunk in inflate(data, member):
            inflated += len(chunk)
    assert inflated <= 1000


def test_a_wrong_crc_or_truncated_member_is_refused() -> None:
    data, member = _member(b"y" * 10_000, zipfile.ZIP_STORED)
    member.CRC ^= 1
    with pytest.raises(DamagedArchive):
        list(inflate(data, member))
    data, member = _member(b"z" * 10_000)
    with pytest.raises(DamagedArchive):
        list(inflate(data[:member.header_offset + 40], member))


def _fields(member: object) -> tuple[object, ...]:
    return tuple(getattr(member, f) for f in ("filename", "flag_bits", "compress_type", "CRC", "compress_size",
                                              "file_size", "header_offset"))


def _archive(prefix: bytes = b"", comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/", b"")
        archive.writestr("xl/工作表.xml", b"<sheetData/>" * 100)
        archive.writestr(zipfile.ZipInfo("xl/stored.xml"), b"<x/>", zipfile.ZIP_STORED)
        archive.comment = comment
    return prefix + buffer.getvalue()


@pytest.mark.parametrize("prefix, comment", [(b"", b""), (b"", "评估报告 2023".encode()),
                                             (b"#!/bin/sh\n" * 10, b"")])
def test_lists_the_members_zipfile_lists(prefix: bytes, comment: bytes) -> None:
    data = _archive(prefix, comment)
    expected = zipfile.ZipFile(io.BytesIO(data)).infolist()
    found = members(data)
    assert [_fields(m) for m in found] == [_fields(m) for m in expected]
    assert [m.is_dir() for m in found] == [False, True, False, False]
    for member in found:
        assert read(data, member) == zipfile.ZipFile(io.BytesIO(data)).read(member.filename)


@pytest.mark.parametrize("cut", [10, 30, 200])
def test_a_damaged_central_directory_is_refused(cut: int) -> None:
    data = _archive()
    with pytest.raises(DamagedArchive):
        members(data[:-cut])


def test_read_at_once_refuses_a_lying_header_too() -> None:
    data, member = _member(b"x" * 60_000)
    member.file_size = 1000
    with pytest.raises(DamagedArchive, match="declared size"):
        read(data, member)
    data, member = _member(b"y" * 1000, zipfile.ZIP_STORED)
    member.CRC ^= 1
    with pytest.raises(DamagedArchive):
        read(data, member)
