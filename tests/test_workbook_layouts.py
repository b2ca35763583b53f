"""The layouts people make of 指标数据 (issue 14 item 4), and one problem per cause (item 5).

Each variant is 渝北区 2023 (data/yubei-2023.xlsx) rewritten with openpyxl in one more layout; read correctly, it
assesses as the shipped workbook does (32 indicators, 29 met, 3 not met), and whatever the layout costs is said
once, at the header or at the row."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

import ecoplan
from ecoplan.run.pipeline import evaluate_file
from ecoplan.workbook.reader import read_workbook

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "yubei-2023.xlsx"
_BOOK = read_workbook(SHIPPED)
PROFILE: list[list[Any]] = _BOOK.sheets["区县信息"].rows
HEADER, *ROWS = _BOOK.sheets["指标数据"].rows


def _write(path: Path, header: list[Any], rows: list[list[Any]], *, profile: list[list[Any]] | None = None,
           above: list[list[Any]] = (), merged: tuple[str, ...] = (), hidden: tuple[str, ...] = (),
           first_sheet: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    if first_sheet:  # an extra sheet before the contract's two
        sheet.title = first_sheet
        sheet.append(["区县", "达标", "未达标"])
        sheet.append(["渝北区", 29, 3])
        sheet = book.create_sheet("区县信息")
    else:
        sheet.title = "区县信息"
    for row in profile or PROFILE:
        sheet.append(row)
    data = book.create_sheet("指标数据")
    for row in [*above, header, *rows]:
        data.append([None if cell == "" else cell for cell in row])
    for ref in merged:
        data.merge_cells(ref)
    for letter in hidden:
        data.column_dimensions[letter].hidden = True
    book.save(path)
    return path


def _summary(path: Path) -> tuple[int, int, int]:
    summary = ecoplan.assess(ecoplan.load_district(path)).summary
    return summary.total, summary.met, summary.not_met


def _problems(path: Path) -> list[Any]:
    return evaluate_file(path).problems


def test_the_variants_start_from_the_shipped_verdict(tmp_path: Path) -> None:
    assert _summary(_write(tmp_path / "plain.xlsx", HEADER, ROWS)) == (32, 29, 3)


def test_a_title_row_above_the_header(tmp_path: Path) -> None:
    path = _write(tmp_path / "title.xlsx", HEADER, ROWS, above=[["渝北区 2023 年生态环境指标数据"]], merged=("A1:H1",))
    assert _summary(path) == (32, 29, 3) and not [p for p in _problems(path) if p.code != "missing-constraint-value"]


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "blank-beside"])
def test_one_header_cell_over_the_id_and_name_columns(tmp_path: Path, merged: bool) -> None:
    """"指标" over A1:B1 gave 151 errors, none at the header: now the columns are read by their contents and it
    is said once, at the header."""
    header = ["指标", "", *HEADER[2:]]
    path = _write(tmp_path / "merged.xlsx", header, ROWS, merged=("A1:B1",) if merged else ())
    assert _summary(path) == (32, 29, 3)
    problems = _problems(path)
    assert [(p.code, p.cell) for p in problems if p.code != "missing-constraint-value"] == \
        [("header-merged", "指标数据!A1")]


def test_the_id_and_the_name_in_one_cell(tmp_path: Path) -> None:
    rows = [[f"{r[0]} {r[1]}", *r[2:]] for r in ROWS]
    path = _write(tmp_path / "joined.xlsx", ["指标名称", *HEADER[2:]], rows)
    assert _summary(path) == (32, 29, 3)
    assert not [p for p in _problems(path) if p.severity == "error"]


def test_an_extra_summary_sheet_first(tmp_path: Path) -> None:
    assert _summary(_write(tmp_path / "extra.xlsx", HEADER, ROWS, first_sheet="汇总")) == (32, 29, 3)


def test_total_and_note_rows_at_the_bottom_are_said_once_each(tmp_path: Path) -> None:
    footer = [["合计", "", "", "32项"], ["备注：数据来源于各部门年报"], ["填表人：张三", "", "审核人：李四"]]
    last = len(ROWS) + 2
    path = _write(tmp_path / "footer.xlsx", HEADER, [*ROWS, *footer], merged=(f"A{last + 1}:H{last + 1}",))
    assert _summary(path) == (32, 29, 3)
    ignored = [p.cell for p in _problems(path) if p.code == "row-ignored"]
    # Each is placed where its text is written (column A here), not in the name column.
    assert ignored == [f"指标数据!A{last}", f"指标数据!A{last + 1}", f"指标数据!A{last + 2}"]
    assert not [p for p in _problems(path) if p.severity == "error"]


def test_a_hidden_column_that_is_read_is_said_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "hidden.xlsx", HEADER, ROWS, hidden=("F",))
    assert _summary(path) == (32, 29, 3)
    assert [(p.code, p.cell) for p in _problems(path) if p.code == "hidden-columns"] == [("hidden-columns",
                                                                                         "指标数据!F1")]


# ------------------------------------------------------------------------------------------- one problem per cause
def test_an_empty_assessment_year_is_one_error(tmp_path: Path) -> None:
    """48 year-missing errors before: rows without 年度 take the 评估年度, and its absence is the one cause."""
    profile = [[k, "" if k == "评估年度" else v] for k, v in PROFILE]
    rows = [[r[0], r[1], "", *r[3:]] for r in ROWS]
    errors = [p for p in _problems(_write(tmp_path / "no-year.xlsx", HEADER, rows, profile=profile))
              if p.severity == "error"]
    assert [(p.code, p.cell) for p in errors] == [("profile-missing", "区县信息!B4")]
    assert "评估年度" in errors[0].message


def test_errors_do_not_hide_blank_constraint_values(tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    blank = next(i for i, r in enumerate(rows) if r[1] == "城市生活污水集中收集率" and r[2] == 2023)
    rows[blank][3] = ""
    rows.append(["", "不存在的指标", 2023, "5"])
    problems = Counter(p.code for p in _problems(_write(tmp_path / "both.xlsx", HEADER, rows)))
    assert problems["unknown-indicator"] == 1 and problems["missing-constraint-value"] == 1
    cells = [p.cell for p in _problems(tmp_path / "both.xlsx") if p.code == "missing-constraint-value"]
    assert cells == [f"指标数据!D{blank + 2}"]


def test_an_unknown_id_is_told_what_is_numbered_near_it(tmp_path: Path) -> None:
    path = _write(tmp_path / "pm10.xlsx", HEADER, [*ROWS, ["4.3", "PM10浓度", 2023, "50"]])
    unknown = [p for p in _problems(path) if p.code == "unknown-indicator"]
    assert len(unknown) == 1 and "4.3" in unknown[0].message
    assert "4.1 优良天数比率" in unknown[0].message and "补" not in unknown[0].message


@pytest.mark.parametrize("name_label, value_label", [
    ("指标名称", "指标值（%）"), ("指标名称", "指标值(2023年)"), ("指标名称", "指标值\n(2023)"), ("*指标名称", "*指标值"),
    ("指标名称（单位）", "填报值"), ("指标名称", "实际值"),
])
def test_header_labels_with_what_people_add_to_them(tmp_path: Path, name_label: str, value_label: str) -> None:
    """A required-field mark, a unit or year in brackets, or another word for the value: still the header."""
    header = [name_label if h == "指标名称" else value_label if h == "指标值" else h for h in HEADER]
    assert _summary(_write(tmp_path / "labels.xlsx", header, ROWS)) == (32, 29, 3)
