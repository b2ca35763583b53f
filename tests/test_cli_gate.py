"""The `--fail-on` gate cannot be dodged (issue 13.6): an indicator without a value for the assessed year fails it
wherever an unmet one would, whether its row is missing or its cell is blank; a year without data says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, edited_copy, run_cli

YUBEI = DATA / "yubei-2023.xlsx"


def _without_row(source: Path, target: Path, ident: str, year: int) -> Path:
    """A copy of a workbook with the row (指标编号, 年度) deleted."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book["指标数据"]
    header = [c.value for c in sheet[1]]
    id_col, year_col = header.index("指标编号") + 1, header.index("年度") + 1
    rows = [r for r in range(2, sheet.max_row + 1)
            if str(sheet.cell(r, id_col).value) == ident and sheet.cell(r, year_col).value == year]
    assert len(rows) == 1
    sheet.delete_rows(rows[0])
    book.save(target)
    return target


@pytest.fixture()
def blank_constraint(tmp_path: Path) -> Path:
    """渝北 2023 with the cell of 约束性 indicator 9 (受污染耕地安全利用率, met in the shipped data) left blank."""
    return edited_copy(YUBEI, tmp_path / "blank.xlsx", {("9", 2023): None})


def test_a_blank_constraint_cell_fails_check_like_a_missing_row(tmp_path: Path, blank_constraint: Path) -> None:
    missing_row = _without_row(YUBEI, tmp_path / "no-row.xlsx", "9", 2023)
    for path in (blank_constraint, missing_row):
        proc = run_cli("check", path, "--format", "json")
        assert proc.returncode == 1, proc.stdout + proc.stderr
        report = json.loads(proc.stdout)
        assert report["verdict"] in ("fail", "error")
        assert {r["id"]: r["status"] for r in report["results"]}["9"] == "missing"
        assert "yubei-2023-2030.9" in report["gate"]["failed"] or any(
            p["indicator"] in ("9", "受污染耕地安全利用率") and p["severity"] == "error" for p in report["problems"])


def test_a_missing_value_fails_the_gate_in_assess_and_batch(tmp_path: Path) -> None:
    # 重庆 十三五 2020 meets every indicator: it passes `--fail-on not_met` until one value is left blank.
    source = DATA / "chongqing-2020-13th.xlsx"
    blank = edited_copy(source, tmp_path / "blank.xlsx", {("1.2", 2020): None})
    for command in ("assess", "batch"):
        assert run_cli(command, source, "--format", "json", "--fail-on", "not_met").returncode == 0
        assert run_cli(command, blank, "--format", "json", "--fail-on", "not_met").returncode == 1
        assert run_cli(command, blank, "--format", "json", "--fail-on", "never").returncode == 0


def test_under_not_met_any_missing_value_fails(tmp_path: Path) -> None:
    # R1 is 参考性 (reference) and met in the shipped data: missing, it fails not_met but not constraint.
    path = edited_copy(YUBEI, tmp_path / "r1.xlsx", {("R1", 2023): None})
    report = json.loads(run_cli("assess", path, "--format", "json").stdout)
    assert {r["id"]: r["status"] for r in report["results"]}["R1"] == "missing"
    from ecoplan.report.verdict import gated

    assert gated("missing", "reference", "not_met") and not gated("missing", "reference", "constraint")
    assert gated("missing", "constraint", "constraint") and not gated("missing", "constraint", "never")
    assert not gated("met", "constraint", "not_met") and not gated("not_applicable", "constraint", "not_met")


@pytest.mark.parametrize("fail_on", ["never", "not_met", "constraint"])
def test_assess_a_year_asked_for_without_data_is_refused(fail_on: str) -> None:
    proc = run_cli("assess", YUBEI, "--year", "2019", "--format", "json", "--fail-on", fail_on)
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert f"--year: {YUBEI} 中没有 2019 年的数据（有数据的年度：2021、2022、2023）" in proc.stderr


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("not_met", 1), ("constraint", 1)])
def test_a_workbook_without_data_for_its_own_year_is_nothing_evaluated(tmp_path: Path, fail_on: str,
                                                                        code: int) -> None:
    later = edited_copy(YUBEI, tmp_path / "y.xlsx", profile={"评估年度": 2024})  # rows for 2021–2023 only
    proc = run_cli("assess", later, "--format", "json", "--fail-on", fail_on)
    assert proc.returncode == code, proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["missing"] == report["summary"]["total"] == 32
    assert "nothing-evaluated" in {p["code"] for p in report["problems"] if p["severity"] == "error"}
