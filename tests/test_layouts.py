"""Workbooks written by other hands from the same documents and contract: the documents' own layout (one column
per year), English sheet and column names, percentage-formatted cells, a pack named by its title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from conftest import DATA, assess_json, by_id, run_cli

SOURCE = yaml.safe_load((DATA / "src" / "yubei-2023.yaml").read_text(encoding="utf-8"))


def _values() -> tuple[dict[tuple[str, int], Any], dict[str, str]]:
    values = {(r["id"], r["year"]): r["value"] for r in SOURCE["rows"]}
    names = {r["id"]: r["name"] for r in SOURCE["rows"]}
    return values, names


def _district_book() -> tuple[Workbook, Any]:
    """A workbook with 渝北区's 区县信息 filled in and an empty 指标数据 sheet (returned) for the test's layout."""
    book = Workbook()
    info = book.active
    info.title = "区县信息"
    for key, value in SOURCE["district"].items():
        info.append([key, value])
    return book, book.create_sheet("指标数据")


def _order(ident: str) -> tuple:
    return (ident.startswith("R"), [int(p) for p in ident.lstrip("R").split(".")])


def test_the_documents_own_layout(tmp_path: Path) -> None:
    """As 表4 prints it: 领域 merged down its rows, 指标值 holding the criterion, a two-line header with the
    2025/2030 目标 columns, one value column per year — and no 指标编号, only names."""
    values, names = _values()
    book, sheet = _district_book()
    sheet.append(["领域", "任务", "序号", "指标名称", "指标值", "单位", "2022 年现状", "达标情况", "2023 年指标值",
                  "达标情况", "目标", None])
    sheet.append([None] * 10 + ["2025 年", "2030 年"])
    ids = sorted({i for i, _ in values}, key=_order)
    for ident in ids:
        sheet.append(["生态安全", None, ident.split(".")[0], names[ident], "完成上级规定的考核任务", None,
                      values.get((ident, 2022)), "达标", values.get((ident, 2023)), "达标", "72", "75"])
    sheet.merge_cells(start_row=3, start_column=1, end_row=20, end_column=1)
    book.save(tmp_path / "doc.xlsx")
    for year, met in ((2023, 29), (2022, 27)):
        report = assess_json(tmp_path / "doc.xlsx", "--year", str(year))
        assert (report["summary"]["total"], report["summary"]["met"]) == (32, met)


def test_english_sheets_headers_and_keys(tmp_path: Path) -> None:
    values, names = _values()
    keys = {"区县名称": "name", "行政区划代码": "code", "评估年度": "year", "指标体系": "pack", "地区类型": "region",
            "行政级别": "admin_type", "城市规模": "city_size"}
    book = Workbook()
    info = book.active
    info.title = "district"
    for key, value in SOURCE["district"].items():
        info.append([keys[key], value])
    sheet = book.create_sheet("indicators")
    sheet.append(["id", "name", "year", "value", "superior_target", "unit", "note", "source"])
    for (ident, year), value in values.items():
        sheet.append([ident, names[ident], year, value, None, None, None, None])
    book.save(tmp_path / "en.xlsx")
    report = assess_json(tmp_path / "en.xlsx")
    assert (report["summary"]["met"], report["summary"]["not_met"]) == (29, 3)


def test_percentage_formatted_cells_are_read_as_shown(tmp_path: Path) -> None:
    """Typing 71.1% in Excel stores 0.711 with a % format; it must be judged as 71.1 %, not 0.711 %."""
    book = load_workbook(DATA / "yubei-2023.xlsx")
    sheet = book["指标数据"]
    for row in sheet.iter_rows(min_row=2):
        if (row[0].value, row[2].value) == ("6.1", 2023):
            row[3].value, row[3].number_format = 0.711, "0.0%"
        if (row[0].value, row[2].value) == ("21", 2023):
            row[3].value, row[3].number_format = 0.8998, "0.00%"
    book.save(tmp_path / "pct.xlsx")
    results = by_id(assess_json(tmp_path / "pct.xlsx"))
    assert results["6.1"]["status"] == "met" and results["6.1"]["gap"] == pytest.approx(1.1)
    assert results["21"]["status"] == "not_met" and results["21"]["gap"] == pytest.approx(-0.02)


@pytest.mark.parametrize("named", ["生态文明建设示范区（县）建设指标", "National-Demo-County-2024"])
def test_a_pack_named_by_its_title(tmp_path: Path, named: str) -> None:
    book = load_workbook(DATA / "yubei-2023.xlsx")
    info = book["区县信息"]
    for row in info.iter_rows():
        if row[0].value == "指标体系":
            row[1].value = named
    book.save(tmp_path / "titled.xlsx")
    report = assess_json(tmp_path / "titled.xlsx")
    assert report["pack"]["id"] == "national-demo-county-2024"


def test_the_task_in_its_own_column(tmp_path: Path) -> None:
    """上级任务 in its column and the actual with its rate in 指标值 decide as the documents' one-cell form does."""
    book = load_workbook(DATA / "yubei-2022.xlsx")
    sheet = book["指标数据"]
    header = [c.value for c in sheet[1]]
    value_col, task_col = header.index("指标值"), header.index("上级任务")
    cells = {"4.1": ("321 天，优良天数比率：87.9%", "325 天"), "4.2": ("30.5", "34"), "19": ("0.87%", "较2020年下降2%")}
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in cells and row[2].value == 2022:
            row[value_col].value, row[task_col].value = cells[row[0].value]
    book.save(tmp_path / "split.xlsx")
    report = assess_json(tmp_path / "split.xlsx")
    results = by_id(report)
    statuses = (results["4.1"]["status"], results["4.2"]["status"], results["19"]["status"])
    assert statuses == ("not_met", "met", "not_met")
    assert (report["summary"]["met"], report["summary"]["not_met"]) == (27, 5)


def test_year_columns_beside_a_year_column_and_no_value_column_are_refused(tmp_path: Path) -> None:
    """年度 says the sheet is one row per (indicator, year), but no 指标值 column holds the values: which of the
    year columns is meant cannot be known, so the header is refused with its cell (it used to crash)."""
    book, sheet = _district_book()
    sheet.append(["指标名称", "年度", "2022年", "2023年"])
    sheet.append(["空气质量优良天数比例", 2023, 90.1, 91.2])
    path = tmp_path / "no-value-column.xlsx"
    book.save(path)
    proc = run_cli("assess", path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "指标数据!B1" in proc.stdout + proc.stderr and "没有“指标值”列" in proc.stdout + proc.stderr
