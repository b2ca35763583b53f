"""`ecoplan check` as a CI gate: every problem of a submission, with code, severity, cell and row key; the
`--fail-on` gate; exit codes 0/1/2 over several files; nothing evaluated is never a pass."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
YUBEI = ROOT / "data" / "yubei-2023.xlsx"


def edited_copy(tmp_path: Path, edit: Callable[[Any], None], name: str = "submission.xlsx",
                source: Path = YUBEI) -> Path:
    """A copy of a shipped workbook with `edit(workbook)` applied (openpyxl), saved under tmp_path."""
    import openpyxl

    wb = openpyxl.load_workbook(source)
    edit(wb)
    target = tmp_path / name
    wb.save(target)
    return target


def row_of(ws: Any, ident: str, year: int = 2023) -> int:
    """The sheet row (1-based, as Excel shows it) of indicator `ident` in `year`."""
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row, 1).value) == ident and ws.cell(row, 3).value == year:
            return row
    raise KeyError(ident)


def set_text(cell: Any, text: str) -> None:
    """Write text that stays text (even "=1+1"), as a clerk typing into a text-formatted cell would."""
    cell.value = text
    cell.data_type = "s"


def check_json(*args: str | Path) -> tuple[int, Any]:
    proc = run_cli("check", *args, "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


# ------------------------------------------------------------------------------------------- the shipped data
def test_yubei_fails_the_constraint_gate_on_the_three_indicators_the_document_names() -> None:
    code, report = check_json(YUBEI)
    assert code == 1
    assert report["verdict"] == "fail"
    assert report["gate"] == {"fail_on": "constraint", "part": "table",
                              "failed": ["yubei-2023-2030.4", "yubei-2023-2030.6", "yubei-2023-2030.8"]}
    assert report["summary"]["met"] == 29 and report["summary"]["constraint_not_met"] == 3
    assert report["problems"] == []
    assert [r["id"] for r in report["results"]][:3] == ["1", "2", "3"]  # DESIGN.md's shape is kept


def test_fail_on_never_passes_the_same_submission() -> None:
    proc = run_cli("check", YUBEI, "--fail-on", "never")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("通过  ")  # the verdict in Chinese, no English id beside it


def test_table_names_the_unmet_indicators_and_the_totals() -> None:
    proc = run_cli("check", YUBEI)
    assert proc.returncode == 1
    assert "环境空气质量" in proc.stdout and "声环境功能区夜间达标率" in proc.stdout and "森林覆盖率" in proc.stdout
    assert "32 项指标：达标 29" in proc.stdout
    assert "1 个文件：通过 0，未通过 1" in proc.stdout


# ---------------------------------------------------------------------------------------- malformed submissions
def test_every_problem_is_reported_with_code_severity_cell_and_row_key(tmp_path: Path) -> None:
    rows: dict[str, int] = {}

    def break_it(wb: Any) -> None:
        ws = wb["指标数据"]
        rows.update({k: row_of(ws, k) for k in ("8.1", "6.4", "9")})
        set_text(ws.cell(rows["8.1"], 4), "较好")         # 森林覆盖率: text where a number is due
        ws.cell(rows["6.4"], 6).value = "吨"              # 城市生活垃圾回收利用率 is in %
        ws.cell(rows["9"], 1).value = "99"                # an id the pack does not have
        ws.cell(rows["9"], 2).value = "不存在的指标"
        ws.append(["1", "生态文明建设工作占党政实绩考核的比例", 2023, "≥25"])  # duplicate row

    path = edited_copy(tmp_path, break_it)
    code, report = check_json(path)
    assert code == 1 and report["verdict"] == "error"
    found = {(p["code"], p["cell"], p["indicator"], p["year"], p["severity"]) for p in report["problems"]}
    assert ("value-type", f"指标数据!D{rows['8.1']}", "8.1", 2023, "error") in found
    assert ("unit-mismatch", f"指标数据!D{rows['6.4']}", "6.4", 2023, "error") in found
    assert ("unknown-indicator", f"指标数据!D{rows['9']}", "不存在的指标", 2023, "error") in found
    assert ("missing-constraint-value", None, "9", 2023, "error") in found  # the row renamed away
    last = max(rows.values())
    assert any(c == "duplicate-row" and i == "1" and int(cell.removeprefix("指标数据!D")) > last
               for c, cell, i, *_ in found)
    # ... and in the table a clerk reads, each with its cell and key
    table = run_cli("check", path).stdout
    for text in (f"指标数据!D{rows['8.1']}", "value-type", "8.1 2023", "unit-mismatch", "unknown-indicator",
                 "duplicate-row", "missing-constraint-value"):
        assert text in table


def test_missing_constraint_value_is_an_error_in_check_and_a_warning_in_assess(tmp_path: Path) -> None:
    def drop_row(wb: Any) -> None:
        ws = wb["指标数据"]
        ws.delete_rows(row_of(ws, "9"))            # 受污染耕地安全利用率, 约束性

    path = edited_copy(tmp_path, drop_row)
    code, report = check_json(path, "--fail-on", "never")
    assert code == 1 and report["verdict"] == "error"
    [problem] = [p for p in report["problems"] if p["code"] == "missing-constraint-value"]
    assert problem["severity"] == "error" and problem["indicator"] == "9" and problem["year"] == 2023
    assert run_cli("assess", path).returncode == 0  # a report can live with it; a gate cannot


def test_nothing_evaluated_is_an_error_never_a_pass(tmp_path: Path) -> None:
    def only_header(wb: Any) -> None:
        ws = wb["指标数据"]
        ws.delete_rows(2, ws.max_row)

    code, report = check_json(edited_copy(tmp_path, only_header), "--fail-on", "never")
    assert code == 1 and report["verdict"] == "error"
    # the loader calls an empty sheet no-rows (older versions: no-indicators); either way an error
    assert {"no-rows", "no-indicators"} & {p["code"] for p in report["problems"] if p["severity"] == "error"}


def test_a_year_with_no_values_is_nothing_evaluated() -> None:
    code, report = check_json(YUBEI, "--year", "2030", "--fail-on", "never")
    assert code == 1 and report["verdict"] == "error"
    assert report["summary"]["missing"] == report["summary"]["total"] == 32
    assert "nothing-evaluated" in {p["code"] for p in report["problems"]}


def test_missing_sheet_and_profile_are_errors_with_their_sheet(tmp_path: Path) -> None:
    def damage(wb: Any) -> None:
        del wb["区县信息"]

    code, report = check_json(edited_copy(tmp_path, damage), "--pack", "yubei-2023-2030")
    assert code == 1
    assert "sheet-missing" in {p["code"] for p in report["problems"]}


# ---------------------------------------------------------------------------------------------- several files
def test_a_mix_reports_every_file_and_exits_with_the_worst(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_text("this is not a workbook", encoding="utf-8")
    missing = tmp_path / "absent.xlsx"
    proc = run_cli("check", YUBEI, broken, missing, "--format", "json", "--fail-on", "never")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    assert [r["verdict"] for r in report] == ["pass", "unusable", "unusable"]
    assert report[1]["problems"][0]["code"] == "file-unreadable"
    assert "找不到文件" in report[2]["problems"][0]["message"]
    # without the unusable ones the worst is the gate
    assert run_cli("check", YUBEI, YUBEI).returncode == 1
    assert run_cli("check", YUBEI, YUBEI, "--fail-on", "never").returncode == 0


def test_a_directory_stands_for_its_workbooks(tmp_path: Path) -> None:
    import shutil

    shutil.copy(YUBEI, tmp_path / "a.xlsx")
    (tmp_path / "later").mkdir()
    shutil.copy(ROOT / "data" / "yubei-2022.xlsx", tmp_path / "later" / "b.xlsx")  # folders are searched recursively
    (tmp_path / "~$a.xlsx").write_bytes(b"excel lock file")
    code, report = check_json(tmp_path, "--fail-on", "never")
    assert code == 0 and [Path(r["file"]).name for r in report] == ["a.xlsx", "b.xlsx"]
    empty = tmp_path / "empty"
    empty.mkdir()
    code, report = check_json(empty)
    assert code == 2 and report["verdict"] == "unusable"
    assert report["problems"][0]["message"].startswith("文件夹中没有工作簿")


def test_the_same_district_and_year_in_two_files_is_an_error_in_both(tmp_path: Path) -> None:
    import shutil

    shutil.copy(YUBEI, tmp_path / "a.xlsx")
    (tmp_path / "copy").mkdir()
    shutil.copy(YUBEI, tmp_path / "copy" / "a-again.xlsx")
    code, report = check_json(tmp_path, "--fail-on", "never")
    assert code == 1 and [r["verdict"] for r in report] == ["error", "error"]
    for item, other in zip(report, reversed(report), strict=True):
        duplicate = [p for p in item["problems"] if p["code"] == "duplicate-submission"]
        assert len(duplicate) == 1 and duplicate[0]["severity"] == "error" and other["file"] in duplicate[0]["message"]


# -------------------------------------------------------------------------------------------------- bad usage
@pytest.mark.parametrize("args", [("--pack", "no-such-pack"), ("--fail-on", "sometimes"), ("--format", "xml"), ()])
def test_bad_usage_exits_2_without_a_traceback(args: tuple[str, ...]) -> None:
    proc = run_cli("check", *([YUBEI] if args else []), *args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.strip()


def test_unknown_pack_names_the_known_ones() -> None:
    proc = run_cli("check", YUBEI, "--pack", "no-such-pack")
    assert "未知的指标体系 no-such-pack" in proc.stderr and "yubei-2023-2030" in proc.stderr


def test_output_file_gets_the_report_and_stderr_the_verdict(tmp_path: Path) -> None:
    out = tmp_path / "report" / "check.json"
    proc = run_cli("check", YUBEI, "--format", "json", "-o", out)
    assert proc.returncode == 1 and proc.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["verdict"] == "fail"
    assert "未通过 1" in proc.stderr


def test_refuses_to_write_over_the_submission(tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "s.xlsx"
    shutil.copy(YUBEI, path)
    before = path.read_bytes()
    proc = run_cli("check", path, "--format", "json", "-o", path)
    assert proc.returncode == 2 and path.read_bytes() == before


def test_a_blank_heading_row_of_a_composite_is_no_warning(tmp_path: Path) -> None:
    """The plans print 环境空气质量 as a heading above 4.1 and 4.2: a clerk who copies it with an empty 指标值 has
    done nothing wrong; a value typed into it is not used, and says so."""

    def headings(wb: Any) -> None:
        wb["指标数据"].append(["4", "环境空气质量", 2023, None, None, None])
        wb["指标数据"].append(["5", "水环境质量", 2023, "达标", None, None])

    _, report = check_json(edited_copy(tmp_path, headings))
    warned = [p["indicator"] for p in report["problems"] if p["code"] == "composite-value"]
    assert warned == ["5"]


@pytest.mark.parametrize("mark", ["——", "—", "--", "-", "未统计"])
def test_a_dash_over_an_unmet_value_never_passes(tmp_path: Path, mark: str) -> None:
    """A clerk who types a dash (no figure) over 森林覆盖率's unmet 37.69 must not turn it into 达标 through a
    pack's 未考核 convention: it is 缺数据, the 约束性 value is missing, and the gate still fails."""

    def dash(wb: Any) -> None:
        sheet = wb["指标数据"]
        sheet.cell(row_of(sheet, "8.1"), 4).value = mark

    path = edited_copy(tmp_path, dash)
    code, report = check_json(path)
    assert code == 1 and report["verdict"] != "pass"
    cells = {p["cell"]: p for p in report["problems"] if p["code"] == "missing-constraint-value"}
    assert any(f"“{mark}”表示无数据" in p["message"] for p in cells.values()), report["problems"]
    results = {r["id"]: r for top in report["results"] for r in [top, *top["items"]]}
    assert results["8.1"]["status"] == "missing"


def test_words_over_a_level_are_said_whatever_the_convention_decides(tmp_path: Path) -> None:
    """"达标" typed where the standard is a level (6.5 声环境功能区夜间达标率 ≥85): the pack's when_asserted
    convention decides it, and check says that a figure was asserted in words, at the cell."""

    def assert_in_words(wb: Any) -> None:
        sheet = wb["指标数据"]
        sheet.cell(row_of(sheet, "6.5"), 4).value = "达标"

    path = edited_copy(tmp_path, assert_in_words)
    _, report = check_json(path)
    asserted = [p for p in report["problems"] if p["code"] == "value-asserted"]
    assert [(p["indicator"], p["severity"]) for p in asserted] == [("6.5", "warning")]
    assert "'达标'" in asserted[0]["message"] and "没有数值" in asserted[0]["message"]
    _, shipped = check_json(YUBEI)
    assert not [p for p in shipped["problems"] if p["code"] == "value-asserted"]


def test_a_missing_data_sheet_is_one_problem_not_one_per_indicator(tmp_path: Path) -> None:
    """No 指标数据 sheet means no value at all: that one cause is reported, not 43 missing values besides it."""

    def rename(wb: Any) -> None:
        wb["指标数据"].title = "数据"

    _, report = check_json(edited_copy(tmp_path, rename))
    assert [p["code"] for p in report["problems"]] == ["sheet-missing"], report["problems"]
