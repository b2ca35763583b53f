"""`ecoplan template PACK -o FILE`: a fill-in workbook that follows the contract; filled with 渝北's 2023 values it
assesses exactly as data/yubei-2023.xlsx does."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import run_cli
from test_check import ROOT, YUBEI
from test_formats import soffice

PACK = "yubei-2023-2030"
SOURCE = ROOT / "data" / "src" / "yubei-2023.yaml"
CONTRACT = ["指标编号", "指标名称", "年度", "指标值", "上级任务", "单位", "备注", "数据来源"]


def make_template(tmp_path: Path, *args: str, pack: str = PACK) -> Path:
    out = tmp_path / "template.xlsx"
    proc = run_cli("template", pack, "-o", out, *args)
    assert proc.returncode == 0, proc.stderr
    return out


def text(cell: Any, value: Any) -> None:
    """Fill a cell as a clerk would: numbers as numbers, everything else as the text typed."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def fill(template: Path, source: Path, target: Path) -> int:
    """Fill `template` with the rows of a data/src/*.yaml: pre-filled rows by (id, year), the rest into spare
    rows. Returns how many rows went into spare rows."""
    import openpyxl

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(template)
    info = wb["区县信息"]
    for r in range(2, info.max_row + 1):
        key = info.cell(r, 1).value
        if key in data["district"]:
            text(info.cell(r, 2), data["district"][key])
    ws = wb["指标数据"]
    slots = {(str(ws.cell(r, 1).value), ws.cell(r, 3).value): r for r in range(2, ws.max_row + 1)
             if ws.cell(r, 1).value is not None}
    spare = max(slots.values()) + 1
    used = 0
    for row in data["rows"]:
        r = slots.get((str(row["id"]), row["year"]))
        if r is None:
            r, spare, used = spare, spare + 1, used + 1
            for c, key in ((1, "id"), (2, "name"), (3, "year"), (6, "unit")):
                text(ws.cell(r, c), row.get(key))
        for c, key in ((4, "value"), (5, "superior_target"), (7, "note"), (8, "source")):
            if row.get(key) is not None:
                text(ws.cell(r, c), row[key])
    wb.save(target)
    return used


def results(path: Path) -> dict[str, Any]:
    proc = run_cli("assess", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_filled_template_assesses_exactly_as_the_shipped_workbook(tmp_path: Path) -> None:
    template = make_template(tmp_path, "--year", "2023")
    filled = tmp_path / "filled.xlsx"
    spare = fill(template, SOURCE, filled)
    assert spare > 0  # the 2021 baseline rows went into the spare rows, as the 说明 sheet tells clerks
    assert results(filled) == results(YUBEI)
    check = json.loads(run_cli("check", filled, "--format", "json", "--fail-on", "never").stdout)
    assert check["verdict"] == "pass"
    assert [p for p in check["problems"] if p["severity"] == "error"] == []
    assert "id-name-mismatch" not in {p["code"] for p in check["problems"]}


def test_template_has_the_contract_sheets_rows_and_guide_columns(tmp_path: Path) -> None:
    import openpyxl

    from ecoplan.rules.loader import load_pack
    from ecoplan.workbook.district import COLUMNS

    wb = openpyxl.load_workbook(make_template(tmp_path, "--year", "2023"))
    assert {"说明", "区县信息", "指标数据"} <= set(wb.sheetnames)
    ws = wb["指标数据"]
    header = [c.value for c in ws[1]]
    assert header[:8] == CONTRACT
    assert not set(header[8:]) & set(COLUMNS)  # the guide columns are ignored by the loader
    leaves = [leaf for _, leaf in load_pack(PACK).leaves()]
    rows = [(str(ws.cell(r, 1).value), ws.cell(r, 3).value) for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]
    assert rows[:len(leaves)] == [(leaf.id, 2023) for leaf in leaves]  # the assessed year first
    assert len(rows) == len(set(rows))
    # every leaf for last year too (--history 1), and the baselines the criteria compare with that the pack does
    # not record (5.1 and 8.2: 保持稳定或… against 2021; 8.1 and 18 have 2021 from the document)
    assert set(rows) == {(leaf.id, y) for y in (2023, 2022) for leaf in leaves} | {("5.1", 2021), ("8.2", 2021)}
    first = {h: ws.cell(2, c + 1).value for c, h in enumerate(header)}
    assert first["单位"] == "%" and first["属性"] == "约束性" and first["指标要求"] == "≥20"
    info = {wb["区县信息"].cell(r, 1).value: wb["区县信息"].cell(r, 2).value for r in range(2, 9)}
    assert info["指标体系"] == PACK and info["评估年度"] == 2023
    assert "ecoplan check" in "".join(str(c.value) for c in wb["说明"]["A"])


def test_input_cells_are_unlocked_and_the_rest_protected(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(make_template(tmp_path, "--year", "2023"))
    ws = wb["指标数据"]
    assert ws.protection.sheet and wb["区县信息"].protection.sheet and wb["说明"].protection.sheet
    locked = {c: ws.cell(2, c).protection.locked for c in range(1, 12)}
    assert [c for c, is_locked in locked.items() if not is_locked] == [4, 5, 7, 8]  # 值, 任务, 备注, 来源
    assert ws["D2"].number_format == "@"  # "87.9%" and "≥25" stay as typed
    spare = ws.max_row
    assert all(not ws.cell(spare, c).protection.locked for c in range(1, 9))
    assert not wb["区县信息"]["B2"].protection.locked and wb["区县信息"]["A2"].protection.locked


def test_dropdowns_for_state_words_not_applicable_and_years(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(make_template(tmp_path, "--year", "2023"))
    ws = wb["指标数据"]
    rows = {str(ws.cell(r, 1).value): r for r in range(ws.max_row, 1, -1) if ws.cell(r, 1).value}  # 2023 rows win
    lists: dict[str, str] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            lists[str(rng)] = dv.formula1
    assert "建立" in lists[f"D{rows['2']}"]                       # a state indicator
    assert "不涉及" in lists[f"D{rows['5.2']}"]                    # marked * in the table
    assert "未下达" in lists[f"E{rows['4.1']}"]                    # a superior-task indicator
    years = next(f for ref, f in lists.items() if ref.startswith("C2:"))
    assert years.startswith("'选项'!$A$2")
    options = wb["选项"]
    assert options.sheet_state == "hidden" and "2023" in [c.value for c in options["A"]]
    info = wb["区县信息"]
    regions = [dv.formula1 for dv in info.data_validations.dataValidation if "B6" in str(dv.sqref)]
    assert regions and "选项" in regions[0]


def test_a_blank_template_is_a_submission_with_errors_not_a_pass(tmp_path: Path) -> None:
    proc = run_cli("check", make_template(tmp_path), "--format", "json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["verdict"] == "error"


def test_template_for_every_shipped_pack_loads(tmp_path: Path) -> None:
    from ecoplan.rules.loader import available_packs

    for pack in available_packs():
        out = tmp_path / f"{pack}.xlsx"
        proc = run_cli("template", pack, "-o", out, "--year", "2024")
        assert proc.returncode == 0, proc.stderr
        report = json.loads(run_cli("check", out, "--format", "json").stdout)
        # blank: only the things a clerk must still fill are wrong
        assert {p["code"] for p in report["problems"]} <= {"profile-missing", "missing-constraint-value",
                                                            "nothing-evaluated", "no-rows", "no-indicators"}


def test_refuses_to_overwrite_and_rejects_bad_input(tmp_path: Path) -> None:
    out = make_template(tmp_path)
    before = out.read_bytes()
    proc = run_cli("template", PACK, "-o", out)
    assert proc.returncode == 2 and "--force" in proc.stderr and out.read_bytes() == before
    assert run_cli("template", PACK, "-o", out, "--force").returncode == 0
    unknown = run_cli("template", "no-such-pack", "-o", tmp_path / "x.xlsx")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr
    assert "未知的指标体系 no-such-pack" in unknown.stderr  # names the pack, in Chinese
    assert run_cli("template", PACK, "-o", tmp_path / "x.csv").returncode == 2


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; install "
                    "libreoffice-calc-nogui to check that generated workbooks open")
def test_template_opens_in_libreoffice(tmp_path: Path) -> None:
    template = make_template(tmp_path, "--year", "2023")
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"
    proc = subprocess.run([soffice(), "--headless", "--norestore", profile, "--convert-to", "xlsx",
                           "--outdir", str(tmp_path / "lo-out"), str(template)],
                          capture_output=True, text=True, timeout=180)
    resaved = tmp_path / "lo-out" / "template.xlsx"
    assert resaved.is_file(), proc.stdout + proc.stderr
    # what LibreOffice wrote back is still a template ecoplan reads: only the unfilled 区县名称 and (listed in the
    # same run since issue 14 item 5) the blank 约束性 values are reported
    report = json.loads(run_cli("check", resaved, "--format", "json").stdout)
    assert {p["code"] for p in report["problems"]} == {"profile-missing", "missing-constraint-value"}
