"""The one spreadsheet cell rule (render/cells.py): what goes in comes back out, and nothing runs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import DATA, edited_copy, run_cli
from ecoplan.render.cells import csv_text, put, xml_text


@pytest.mark.parametrize("text", ["渝北\x01区", "渝北_x0001_区", "a\x0bb\x1fc", "=1+1", "@SUM(A1)", "+86 23", "-x",
                                  "tab\tand\nnewline"])
def test_text_comes_back_exactly_and_never_as_a_formula(text: str) -> None:
    import openpyxl
    import python_calamine

    book = openpyxl.Workbook()
    cell = put(book.active, 1, 1, text)
    assert cell.data_type == "s"
    buffer = io.BytesIO()
    book.save(buffer)  # openpyxl refuses control characters: this raised IllegalCharacterError before
    read = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(buffer.getvalue()))
    assert read.get_sheet_by_index(0).to_python()[0][0] == text


def test_escape_is_ooxmls_own() -> None:
    assert xml_text("渝北\x01区") == "渝北_x0001_区"
    assert xml_text("渝北_x0001_区") == "渝北_x005F_x0001_区"  # typed literally: kept literal
    assert xml_text("普通文字 1.5") == "普通文字 1.5"
    assert xml_text("\ufffe") == "_xFFFE_"  # a non-character XML forbids: written, not a crash


def test_numbers_stay_numbers_and_csv_text_is_guarded() -> None:
    import openpyxl

    ws = openpyxl.Workbook().active
    assert put(ws, 1, 1, 37.69).data_type == "n" and put(ws, 2, 1, 3).value == 3
    assert csv_text("=1+1") == "'=1+1" and csv_text("-3.7") == "-3.7" and csv_text("-") == "-"


def test_assess_xlsx_copes_with_a_control_character_in_the_district_name(tmp_path: Path) -> None:
    """Excel writes a control character as _x0001_; calamine hands it to us as "\\x01" (issue 12)."""
    import python_calamine

    source = edited_copy(DATA / "yubei-2023.xlsx", tmp_path / "in.xlsx", profile={"区县名称": "渝北_x0001_区"})
    out = tmp_path / "out.xlsx"
    proc = run_cli("assess", source, "--format", "xlsx", "-o", out)
    assert proc.returncode == 0, proc.stderr
    title = python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("达标情况").to_python()[0][0]
    assert str(title).startswith("渝北\x01区 2023 年")  # the name as the source had it
