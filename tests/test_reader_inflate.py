"""The reader inflates archive members itself (straight from the file's bytes): never past the declared size,
and every member's CRC-32 and size are checked, as zipfile's own reader would."""

from __future__ import annotations

import io
import zipfile

import pytest

from ecoplan.workbook.reader import _inflate


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
    chunks = list(_inflate(data, member))
    assert b"".join(chunks) == payload and max(map(len, chunks)) <= 1 << 16


def test_a_header_that_understates_the_size_is_refused_before_inflating_further() -> None:
    data, member = _member(b"x" * 5_000_000)
    member.file_size = 1000  # a zip bomb's lying header
    inflated = 0
    with pytest.raises(zipfile.BadZipFile, match="declared size"):
        for chunk in _inflate(data, member):
            inflated += len(chunk)
    assert inflated <= 1000


def test_a_wrong_crc_or_truncated_member_is_refused() -> None:
    data, member = _member(b"y" * 10_000, zipfile.ZIP_STORED)
    member.CRC ^= 1
    with pytest.raises(zipfile.BadZipFile):
        list(_inflate(data, member))
    data, member = _member(b"z" * 10_000)
    with pytest.raises(zipfile.BadZipFile):
        list(_inflate(data[:member.header_offset + 40], member))
