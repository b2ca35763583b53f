"""Every container a district may send is read by the one reader: .xls and .ods written by LibreOffice from the
shipped workbooks assess exactly like the .xlsx they came from, suffixes count in any case, and the zip checks
hold for .ods as for .xlsx."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_cli
from ecoplan.workbook.reader import SUPPORTED_SUFFIXES, is_supported, read_workbook, text_encoding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# (fixture, the shipped workbook LibreOffice converted it from: soffice --headless --convert-to xls|ods)
CONVERTED = [(FIXTURES / f"{stem}.{ext}", ROOT / "data" / f"{stem}.xlsx")
             for stem in ("yubei-2023", "gaoxin-2020") for ext in ("xls", "ods")]


def _assess_json(path: Path) -> dict:
    proc = run_cli("assess", path, "--format", "json")
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


# yubei-2023-styled.xlsx: 6.1's 2023 value typed as 71.1% in a "0.0%" cell, row 5 and column H hidden (openpyxl);
# its .xls and .ods are LibreOffice's conversions, and yubei-2023-styled-lo.xlsx LibreOffice's .xlsx of the .ods
# (LibreOffice writes a <col>'s max before its min). merged-value-rows.*: the corpus's D2:D3 merge, converted.
STYLED = [FIXTURES / name for name in ("yubei-2023-styled.xls", "yubei-2023-styled.ods", "yubei-2023-styled-lo.xlsx")]


@pytest.mark.parametrize("path", STYLED, ids=[p.suffix for p in STYLED])
def test_percent_cells_hidden_rows_and_columns_are_seen_in_every_container(path: Path) -> None:
    from ecoplan.run.pipeline import evaluate_file

    xlsx = evaluate_file(FIXTURES / "yubei-2023-styled.xlsx")
    ours = evaluate_file(path)
    assert [(p.code, p.cell) for p in ours.problems] == [(p.code, p.cell) for p in xlsx.problems] == \
        [("hidden-rows", "指标数据!A5"), ("hidden-columns", "指标数据!H1")]
    assert _assess_json(path) == _assess_json(FIXTURES / "yubei-2023-styled.xlsx")
    by_id = {r["id"]: r for top in _assess_json(path)["results"] for r in [top, *top["items"]]}
    assert by_id["6.1"]["value"] == pytest.approx(71.1) and by_id["6.1"]["status"] == "met"


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_cells_merged_across_value_rows_are_an_error_in_every_container(suffix: str) -> None:
    from ecoplan.run.pipeline import evaluate_file

    problems = evaluate_file(FIXTURES / f"merged-value-rows.{suffix}").problems
    assert [(p.code, p.cell) for p in problems if p.code == "merged-cells"] == [("merged-cells", "指标数据!D2")]
