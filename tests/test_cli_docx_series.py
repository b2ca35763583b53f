"""`assess A B -o x.docx` with several workbooks of one district writes 表4's layout: the years side by side."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from conftest import DATA, run_cli


def test_two_years_of_one_district_stand_side_by_side_in_the_word_table(tmp_path: Path) -> None:
    out = tmp_path / "达标情况.docx"
    proc = run_cli("assess", DATA / "yubei-2022.xlsx", DATA / "yubei-2023.xlsx", "-o", out)
    assert proc.returncode == 0, proc.stderr
    table = Document(str(out)).tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert "2022 年" in header and "2023 年" in header
    assert header.index("2022 年") < header.index("2023 年")
    # 4.1 优良天数比率 is 未达标 in both years, 4.2 PM2.5 only in 2023 (表4).
    rows = {row.cells[2].text.strip(): [c.text for c in row.cells] for row in table.rows}
    assert rows["优良天数比率"].count("未达标") == 2
    assert rows["PM2.5浓度"].count("未达标") == 1 and rows["PM2.5浓度"].count("达标") == 1


def test_one_workbook_gives_its_own_year_only(tmp_path: Path) -> None:
    out = tmp_path / "x.docx"
    assert run_cli("assess", DATA / "yubei-2023.xlsx", "-o", out).returncode == 0
    header = [cell.text for cell in Document(str(out)).tables[0].rows[0].cells]
    assert "2023 年" in header and "2022 年" not in header


def test_batch_word_sections_follow_the_batch_strict_option(tmp_path: Path) -> None:
    """Each district's section is re-assessed for Word: under --strict it must count what `assess --strict` does."""
    out = tmp_path / "批量.docx"
    proc = run_cli("batch", DATA / "yubei-2023.xlsx", "--strict", "-o", out)
    assert proc.returncode == 0, proc.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    summary = run_cli("assess", DATA / "yubei-2023.xlsx", "--strict").stdout.strip().splitlines()[-1]
    review = summary.rsplit("待核实 ", 1)[1]  # "32 项指标：达标 25 …，待核实 4"
    assert f"待核实 {review} 项" in text
