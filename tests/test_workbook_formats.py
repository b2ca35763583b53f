"""Every container a district may send is read by the one reader: .xls and .ods written by LibreOffice from the
shipped workbooks assess exactly like the .xlsx they came from, suffixes count in any case, and the zip checks
hold for .ods as for .xlsx."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ecoplan.workbook.reader import SUPPORTED_SUFFIXES, is_supported, read_workbook, text_encoding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# (fixture, the shipped workbook LibreOffice converted it from: soffice --headless --convert-to xls|ods)
CONVERTED = [(FIXTURES / f"{stem}.{ext}", ROOT / "data" / f"{stem}.xlsx")
             for stem in ("yubei-2023", "gaoxin-2020") for ext in ("xls", "ods")]


def _assess_json(path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "ecoplan", "assess", str(path), "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    report.pop("source", None)  # the file's own path, the one field that must differ
    return report


@pytest.mark.parametrize("converted, original", CONVERTED, ids=[p.name for p, _ in CONVERTED])
def test_libreoffice_xls_and_ods_assess_exactly_like_their_xlsx(converted: Path, original: Path) -> None:
    assert _assess_json(converted) == _assess_json(original)


@pytest.mark.parametrize("converted, original", CONVERTED, ids=[p.name for p, _ in CONVERTED])
def test_every_cell_reads_the_same_from_each_container(converted: Path, original: Path) -> None:
    ours, theirs = read_workbook(converted), read_workbook(original)
    assert ours.kind == converted.suffix[1:]
    assert list(ours.sheets) == list(theirs.sheets)
    for name, sheet in theirs.sheets.items():
        assert ours.sheets[name].rows == sheet.rows


def test_upper_case_suffixes_are_workbooks_too(tmp_path: Path) -> None:
    for suffix in SUPPORTED_SUFFIXES:
        assert is_supported(Path(f"a{suffix.upper()}")) and is_supported(Path(f"a{suffix}"))
    assert not is_supported(Path("a.csv")) and not is_supported(Path("~a.txt"))
    shouting = tmp_path / "YUBEI-2023.XLS"
    shutil.copy(FIXTURES / "yubei-2023.xls", shouting)
    assert _assess_json(shouting)["summary"]["met"] == 29


def test_xlsm_is_read_like_xlsx(tmp_path: Path) -> None:
    macro = tmp_path / "yubei-2023.xlsm"
    shutil.copy(ROOT / "data" / "yubei-2023.xlsx", macro)
    assert _assess_json(macro) == _assess_json(ROOT / "data" / "yubei-2023.xlsx")


@pytest.mark.parametrize("data, expected", [
    ("指标名称,指标值\n".encode(), "UTF-8"),
    (b"\xef\xbb\xbf" + "指标名称,指标值\n".encode(), "UTF-8（带 BOM）"),
    ("指标名称,指标值\n".encode("gb18030"), "GB18030"),
    ("指标名称,指标值\n".encode("utf-16"), "UTF-16"),
    (bytes(range(256)), None),
])
def test_a_text_file_is_told_its_encoding(data: bytes, expected: str | None) -> None:
    assert text_encoding(data) == expected


def test_a_sample_cut_inside_a_character_is_still_utf8() -> None:
    assert text_encoding("优良天数比率".encode()[:-1]) == "UTF-8"
