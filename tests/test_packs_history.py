"""Issue 13 item 7: honest history defaults.

A workbook that carries only its assessment year is judged against the values the plan itself records for the
year before (渝北 表4's 2022年现状), never against an older year, and a national pack without such records leaves a
trend without its earlier year to a reviewer.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, assess_json, by_id


def _only_year(source: Path, target: Path, year: int) -> Path:
    """A copy of a shipped workbook keeping only the 指标数据 rows of one year."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book["指标数据"]
    header = [c.value for c in sheet[1]]
    year_col = header.index("年度") + 1
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, year_col).value not in (year, str(year)):
            sheet.delete_rows(row)
    book.save(target)
    return target


def test_yubei_2023_alone_keeps_the_documents_verdicts(tmp_path: Path) -> None:
    report = assess_json(_only_year(DATA / "yubei-2023.xlsx", tmp_path / "only-2023.xlsx", 2023))
    summary = report["summary"]
    assert (summary["total"], summary["met"], summary["not_met"], summary["review"]) == (32, 29, 3, 0)
    results = by_id(report)
    # The trend branches compare with 2022 (表4: 87.9 %, 30.5), which the pack records; 2021 is never named.
    for leaf in ("4.1", "4.2", "R4"):
        assert "2021" not in results[leaf]["reason"], results[leaf]["reason"]
    assert results["R4"]["status"] == "met"  # 15523 亩 against 2022's 12666 亩


def test_yubei_2023_alone_fails_a_fall_below_the_recorded_2022_value(tmp_path: Path) -> None:
    """R4 持续提高: a 2023 value below 表4's 2022 value (12666) is 未达标 although no 2022 row is given."""
    from conftest import edited_copy

    edited = edited_copy(DATA / "yubei-2023.xlsx", tmp_path / "edited.xlsx", {("R4", 2023): 12000})
    report = assess_json(_only_year(edited, tmp_path / "only-2023.xlsx", 2023))
    assert by_id(report)["R4"]["status"] == "not_met"


def test_national_pack_leaves_a_missing_earlier_year_to_a_reviewer(tmp_path: Path) -> None:
    """national-demo-county-2024 records no history: 森林覆盖率's baseline (2021) missing → 待核实, not 达标."""
    only = _only_year(DATA / "yubei-2023.xlsx", tmp_path / "only-2023.xlsx", 2023)
    results = by_id(assess_json(only, "--pack", "national-demo-county-2024"))
    assert results["8.1"]["status"] == "review"
    assert results["R4"]["status"] == "review"
