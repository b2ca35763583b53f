"""Issue 14 item 5: a workbook whose 区县名称 or 评估年度 is missing still has its other problems listed in the same
run — an unreadable value, an unknown row, a blank 约束性 value — so the submitter fixes everything in one round."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli
from ecoplan.rules.loader import load_pack

ROOT = Path(__file__).resolve().parent.parent
YUBEI = ROOT / "data" / "yubei-2023.xlsx"
PACK = "yubei-2023-2030"


def _constraint_leaf() -> str:
    pack = load_pack(PACK)
    return next(leaf.id for top, leaf in pack.leaves() if (leaf.attribute or top.attribute) == "constraint")


def _is_number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def _submission(tmp_path: Path, blank_profile_key: str) -> tuple[Path, str, str]:
    """渝北 2023 with one profile cell emptied, a 约束性 value blanked, another value unreadable and an unknown row.
    Returns the file, the blank 约束性 indicator and the cell of the unreadable value."""
    book = openpyxl.load_workbook(YUBEI)
    info, data = book["区县信息"], book["指标数据"]
    for row in info.iter_rows(min_row=2):
        if row[0].value == blank_profile_key:
            row[1].value = None
    constraint = _constraint_leaf()
    unreadable = ""
    for row in data.iter_rows(min_row=2):
        if str(row[0].value) == constraint:
            row[3].value = None
        elif not unreadable and _is_number(row[3].value):
            row[3].value = "待统计"
            unreadable = f"指标数据!D{row[0].row}"
    data.append(["99", "并不存在的指标", 2023, "12", None, "%", None, None])
    path = tmp_path / f"yubei-no-{blank_profile_key}.xlsx"
    book.save(path)
    return path, constraint, unreadable


def _check(path: Path) -> dict:
    proc = run_cli("check", path, "--format", "json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    entries = report["files"] if isinstance(report, dict) and "files" in report else report
    return entries[0] if isinstance(entries, list) else entries


@pytest.mark.parametrize("key", ["区县名称", "评估年度"])
def test_a_missing_profile_field_does_not_hide_the_other_problems(tmp_path: Path, key: str) -> None:
    path, constraint, unreadable = _submission(tmp_path, key)
    problems = _check(path)["problems"]
    codes = [p["code"] for p in problems]
    assert codes.count("profile-missing") == 1, problems  # one cause, one problem
    assert any(p["cell"] == unreadable for p in problems), problems  # the unreadable value, at its cell
    assert any("并不存在的指标" in p["message"] for p in problems), problems  # the unknown row
    if key == "区县名称":
        # the 评估年度 is known, so the blank 约束性 value is listed now, not in a second round
        assert any(p["code"] == "missing-constraint-value" and p["indicator"] == constraint for p in problems), \
            problems
    assert not any(p["code"] == "year-missing" for p in problems), problems


def test_an_unknown_pack_beside_a_missing_name_is_listed_with_it(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(YUBEI)
    for row in book["区县信息"].iter_rows(min_row=2):
        if row[0].value == "区县名称":
            row[1].value = None
        elif row[0].value == "指标体系":
            row[1].value = "no-such-pack"
    path = tmp_path / "yubei-unknown-pack.xlsx"
    book.save(path)
    codes = {p["code"] for p in _check(path)["problems"]}
    assert {"profile-missing", "pack-unknown"} <= codes, codes
