"""`ecoplan batch -o report.xlsx` as a bureau opens and prints it: 排名, 矩阵, 指标统计, 文件清单 on their own sheets,
shares as numbers with a percent format, unique column headers, frozen panes, filters, landscape pages one page wide
with the header row repeated and the title in the page header, sheet names whole or shortened with meaning, a
matrix that prints legibly; no formula and no character XML cannot hold."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NO_CACHE = {"ECOPLAN_NO_CACHE": "1"}
GOOD = ["yubei-2023.xlsx", "yubei-2022.xlsx", "shapingba-2020.xlsx", "chongqing-2020.xlsx", "gaoxin-2020.xlsx"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    for name in GOOD:
        shutil.copy(DATA / name, folder / name)
    (folder / "broken.xlsx").write_text("this is not a workbook", encoding="utf-8")
    out = tmp_path_factory.mktemp("out") / "report.xlsx"
    proc = run_cli("batch", folder, "-o", out, env=NO_CACHE)
    assert proc.returncode == 1, proc.stderr  # the broken workbook is listed, the others scored
    return out


def test_overview_sheets_come_first_then_one_sheet_per_district(report: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(report)
    names = book.sheetnames
    assert names[0] == "排名"
    matrices = [n for n in names if n.startswith("矩阵")]
    assert len(matrices) == 4  # four packs among the five workbooks (渝北 2022 and 2023 share one)
    # Named by the pack's title, whole when it fits, else without its bracketed note (never a cut id).
    assert "矩阵 · 渝北区国家生态文明建设示范区建设指标" in matrices
    assert "矩阵 · 重庆市“十四五”生态环境保护核心指标" in matrices
    assert names.index("指标统计") > names.index(matrices[-1])
    assert names.index("文件清单") == names.index("指标统计") + 1
    assert len(names) == 1 + 4 + 1 + 1 + 5  # 排名, the matrices, 指标统计, 文件清单, one per workbook assessed
    files = list(book["文件清单"].iter_rows(min_row=2, values_only=True))
    assert len(files) == 6 and any("broken.xlsx" in str(row[4]) and row[1] == "无法评估" for row in files)


def test_ranking_holds_numbers_ranked_within_each_pack(report: Path) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(report)["排名"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, list(row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 4  # one row per district: 渝北区's 2022 is the history of its 2023
    yubei_title = "渝北区国家生态文明建设示范区建设指标（2025年、2030年规划目标）"
    yubei = [r for r in rows if r["指标体系"].value == yubei_title]  # the pack's title, not its id
    assert [(r["年度"].value, r["名次"].value, r["往年达标率"].value) for r in yubei] == [(2023, 1, "2022年 84.4%")]
    share = yubei[0]["达标率"]
    assert share.value == pytest.approx(29 / 32) and share.number_format == "0.0%"
    # Every district of another pack is first in its own pack: never ranked against 渝北区's system.
    assert all(r["名次"].value == 1 for r in rows)
    assert all(isinstance(r["未达标"].value, int) for r in rows)
    assert all(str(r["文件"].value).endswith(".xlsx") for r in rows)


def test_every_sheet_is_ready_to_filter_and_print(report: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(report)
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert len(header) == len(set(header)), (sheet.title, header)  # every column header unique
        assert sheet.freeze_panes in ("B2", "C2"), sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
        assert sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddHeader.center.text
    matrix = book["矩阵 · 渝北区国家生态文明建设示范区建设指标"]
    header = [c.value for c in matrix[1]]
    # Columns by position (a pack's 序号 repeat); under the table, each position's indicator and each glyph.
    assert header == ["区县", "年度", *[str(i) for i in range(1, 33)]]
    legend = {row[0]: row[1] for row in matrix.iter_rows(min_row=3, values_only=True) if row[0]}
    assert legend["列 1"] == "1 生态文明建设工作占党政实绩考核的比例（约束性）"
    assert legend["列 28"] == "1 农村生活污水治理（管控）率（参考性）"
    assert matrix.auto_filter.ref == "A1:AH2"  # the filter covers the table only, not its legend
    unmet = [c for row in matrix.iter_rows(min_row=2, max_row=2) for c in row if c.value == "✗"]
    assert unmet and all(c.fill.fgColor.rgb.endswith("FFC7CE") for c in unmet)
    assert all(not c.alignment.text_rotation for c in matrix[1])  # nothing turned on its side


def test_a_control_character_and_a_formula_in_a_name_are_written_safely(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = load_workbook(DATA / "yubei-2023.xlsx")
    for row in source["区县信息"].iter_rows():
        if row[0].value == "区县名称":
            row[1].value = "渝北_x0001_区"  # Excel's escape: the reader gives back the control character U+0001
    source.save(tmp_path / "control.xlsx")
    source = load_workbook(DATA / "yubei-2022.xlsx")
    for row in source["区县信息"].iter_rows():
        if row[0].value == "区县名称":
            row[1].value = '=HYPERLINK("http://example.com","x")'
            row[1].data_type = "s"
    source.save(tmp_path / "formula.xlsx")
    out = tmp_path / "report.xlsx"
    proc = run_cli("batch", tmp_path / "control.xlsx", tmp_path / "formula.xlsx", "-o", out, env=NO_CACHE)
    assert proc.returncode == 0, proc.stderr
    from python_calamine import CalamineWorkbook

    # Read back as Excel, WPS and calamine read it: exactly the name the source held (U+0001 included).
    ranking = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("排名").to_python()
    assert "渝北\x01区" in [row[2] for row in ranking[1:]]
    book = load_workbook(out)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice or poppler-utils is not installed")
def test_it_prints_in_a_few_pages(report: Path, tmp_path: Path) -> None:
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(report)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert pdf.exists(), proc.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    # One page wide per sheet: 12 sheets, a few of them two pages long (the district tables), never hundreds.
    assert 12 <= pages <= 24


def test_long_text_in_a_district_sheet_wraps_in_a_row_tall_enough(report: Path) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(report)["渝北区 2023"]
    header = [c.value for c in sheet[1]]
    reason = header.index("说明")
    long_rows = [row[0].row for row in sheet.iter_rows(min_row=2) if len(str(row[reason].value or "")) > 60]
    assert long_rows  # 渝北区 2023 has reasons of several lines (the air-quality sub-items)
    for number in long_rows:
        assert sheet.cell(number, reason + 1).alignment.wrap_text
        # Opening a file does not grow rows for wrapped text: the height was set (LibreOffice would show one line).
        assert (sheet.row_dimensions[number].height or 0) >= 30


def test_a_title_is_shortened_with_meaning() -> None:
    from ecoplan.render.batch_xlsx import short_title

    title = "沙坪坝区“十三五”生态文明建设规划主要指标完成情况"
    assert short_title(title, 31) == title  # whole when it fits
    assert short_title(title + "（2025年目标）", 26) == title  # then without its bracketed note
    assert short_title(title, 22, known="沙坪坝区") == "“十三五”生态文明建设规划主要指标完成情况"  # the district named
    assert short_title(title, 20, known="沙坪坝区") == "十三五生态文明建设规划主要指标完成情况"  # no quotes
    assert short_title(title, 10, known="沙坪坝区") == "十三五生态文明建设…"  # cut last, and says so
    assert short_title(title, 22) == "沙坪坝区十三五生态文明建设规划主要指标完成…"


def test_sheet_names_tell_packs_and_copies_apart_by_their_titles(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    # Two packs for 沙坪坝区 2020 and for 重庆市 2020, and two copies of 重庆市 2020 under one of them.
    for name in ("shapingba-2020.xlsx", "shapingba-2020-13th.xlsx", "chongqing-2020.xlsx",
                 "chongqing-2020-13th.xlsx"):
        shutil.copy(DATA / name, tmp_path / name)
    shutil.copy(DATA / "chongqing-2020.xlsx", tmp_path / "重庆-2020-改.xlsx")
    out = tmp_path / "report.xlsx"
    assert run_cli("batch", tmp_path, "-o", out, env=NO_CACHE).returncode == 1  # the copies are duplicates
    names = load_workbook(out, read_only=True).sheetnames
    assert all(len(n) <= 31 for n in names) and len(set(names)) == len(names)
    districts = sorted(n for n in names if " 2020" in n)
    assert districts == ["沙坪坝区 2020 · 十三五生态文明建设规划主要指标完成情况",
                         "沙坪坝区 2020 · 沙坪坝区生态环境保护“十四五”规划指标",
                         "重复 · 重庆市 2020 · chongqing-2020", "重复 · 重庆市 2020 · 重庆-2020-改",
                         "重庆市 2020 · 生态文明建设十三五规划主要指标完成情况"]
    assert "矩阵 · 沙坪坝区“十三五”生态文明建设规划主要指标完成情况" in names  # the pack's title, whole
