"""Machine formats of `check` and `assess`: JUnit with stable names, GitHub workflow commands that a submitted
text cannot forge, Markdown for a pull request, and an xlsx report that is safe and opens in LibreOffice."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from test_check import YUBEI, edited_copy, row_of, set_text

PACK = "yubei-2023-2030"
TOP_LEVEL = 32


def junit(*args: str | Path) -> tuple[int, ET.Element, str]:
    proc = run_cli("check", *args, "--format", "junit")
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, ET.fromstring(proc.stdout), proc.stdout


def cases(suite: ET.Element) -> dict[str, ET.Element]:
    return {case.get("name"): case for case in suite.iter("testcase")}


def outcome(case: ET.Element) -> str:
    for tag in ("failure", "error", "skipped"):
        if case.find(tag) is not None:
            return tag
    return "passed"


def hostile(tmp_path: Path) -> Path:
    """渝北 2023 with a formula-looking value and a workflow command hidden in an unknown row's name."""

    def edit(wb: Any) -> None:
        ws = wb["指标数据"]
        set_text(ws.cell(row_of(ws, "2"), 4), "=HYPERLINK(\"http://x\",\"建立\")")  # a state indicator
        ws.append([None, "伪造\n::error file=x::pwned 100%", 2023, "+1"])
        # Another district: checked beside the original, a copy of 渝北 2023 would be a duplicate submission.
        for row in wb["区县信息"].iter_rows(min_col=1, max_col=2):
            if row[0].value in ("区县名称", "行政区划代码"):
                set_text(row[1], {"区县名称": "测试区", "行政区划代码": "500199"}[row[0].value])

    return edited_copy(tmp_path, edit)


# ------------------------------------------------------------------------------------------------------ JUnit
def test_junit_one_suite_per_file_one_case_per_indicator_with_stable_names() -> None:
    code, root, text = junit(YUBEI)
    assert code == 1
    [suite] = root.findall("testsuite")
    assert suite.get("name") == str(YUBEI)
    found = cases(suite)
    assert len(found) == TOP_LEVEL + 1  # + the workbook-level case
    ids = [r["id"] for r in json.loads(run_cli("assess", YUBEI, "--format", "json").stdout)["results"]]
    assert list(found) == [f"{PACK}.{i}" for i in ids] + [f"{PACK}.workbook"]  # table order, ids only
    assert all(case.get("classname") == PACK for case in found.values())
    failed = sorted(name for name, case in found.items() if outcome(case) == "failure")
    assert failed == [f"{PACK}.4", f"{PACK}.6", f"{PACK}.8"]
    assert found[f"{PACK}.4"].find("failure").get("type") == "not_met"
    assert "优良天数比率" in found[f"{PACK}.4"].find("failure").text  # sub-items in the details
    assert suite.get("tests") == str(TOP_LEVEL + 1) and suite.get("failures") == "3"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["district"] == "渝北区" and props["verdict"] == "fail" and props["fail_on"] == "constraint"
    assert junit(YUBEI)[2] == text  # byte-for-byte stable from run to run


def test_junit_failures_follow_the_gate_and_ungated_unmet_are_skipped_with_the_reason() -> None:
    code, root, _ = junit(YUBEI, "--fail-on", "never")
    assert code == 0
    found = cases(root.find("testsuite"))
    assert not [c for c in found.values() if outcome(c) in ("failure", "error")]
    skipped = found[f"{PACK}.6"].find("skipped")
    assert "未达标" in skipped.get("message") and "声环境功能区夜间达标率" in skipped.get("message")
    assert outcome(found[f"{PACK}.1"]) == "passed"


def test_junit_problems_are_errors_on_their_indicator_or_the_workbook(tmp_path: Path) -> None:
    code, root, _ = junit(hostile(tmp_path))
    assert code == 1
    found = cases(root.find("testsuite"))
    workbook = found[f"{PACK}.workbook"].find("error")
    assert workbook.get("type") == "unknown-indicator"
    # the submission has errors, and every indicator is still listed and judged (4 is unmet in 渝北 2023)
    assert len(found) == TOP_LEVEL + 1
    assert outcome(found[f"{PACK}.4"]) == "failure" and outcome(found[f"{PACK}.1"]) == "passed"


def test_junit_lists_an_unusable_file_as_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really")
    code, root, _ = junit(YUBEI, bad)
    assert code == 2
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [str(YUBEI), str(bad)]
    assert cases(suites[1])["ecoplan.file"].find("error").get("type") == "file-unreadable"
    assert root.get("errors") == "1" and root.get("failures") == "3"


# ----------------------------------------------------------------------------------------------------- GitHub
def test_github_annotations_name_file_code_and_cell_and_cannot_be_forged(tmp_path: Path) -> None:
    path = hostile(tmp_path)
    proc = run_cli("check", path, "--format", "github")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert not any(line.startswith("::error file=x") for line in lines)  # the newline in the name was escaped
    [unknown] = [line for line in lines if "unknown-indicator" in line]
    assert unknown.startswith(f"::error file={path},title=unknown-indicator 指标数据!D")
    assert "%0A::error file=x::pwned 100%25" in unknown
    assert lines[0].startswith(f"::error file={path},title=ecoplan check::")  # the verdict comes first
    assert any(line.startswith("::group::") for line in lines) and "::endgroup::" in lines


def test_github_gated_unmet_are_errors_others_warnings() -> None:
    out = run_cli("check", YUBEI, "--format", "github").stdout
    assert f"::error file={YUBEI},title=未达标 {PACK}.4 指标数据!D5::环境空气质量（约束性）未达标" in out
    never = run_cli("check", YUBEI, "--format", "github", "--fail-on", "never").stdout
    assert f"::warning file={YUBEI},title=未达标 {PACK}.4" in never
    assert never.splitlines()[0].startswith("::notice ")


def test_github_step_summary_gets_the_markdown_report(tmp_path: Path) -> None:

    summary = tmp_path / "summary.md"
    proc = run_cli("check", YUBEI, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 1
    assert "| 序号 | 指标 |" in summary.read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------------- Markdown
def test_markdown_for_a_pull_request_comment(tmp_path: Path) -> None:
    out = run_cli("check", YUBEI, hostile(tmp_path), "--format", "markdown").stdout
    assert out.startswith("## ecoplan check — 2 个文件：通过 0，未通过 1，有错误 1，无法读取 0（退出码 1）")
    assert "❌ 未通过" in out and "⛔ 有错误" in out
    assert "| `指标数据!D" in out and "`unknown-indicator`" in out
    assert "32 项指标：达标 29" in out


# ------------------------------------------------------------------------------------------------------- xlsx
def assess_xlsx(tmp_path: Path, source: Path = YUBEI) -> Path:
    out = tmp_path / "out" / "report.xlsx"
    proc = run_cli("assess", source, "--format", "xlsx", "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def formula_workbook(tmp_path: Path) -> Path:
    """A submission whose values look like formulas (= + - @) but were typed as text."""

    def edit(wb: Any) -> None:
        ws = wb["指标数据"]
        set_text(ws.cell(row_of(ws, "2"), 4), "=1+1")
        set_text(ws.cell(row_of(ws, "3"), 4), "@SUM(1)")

    return edited_copy(tmp_path, edit, name="formulas.xlsx")


def test_xlsx_report_has_coloured_statuses_frozen_header_and_autofilter(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(assess_xlsx(tmp_path))
    assert wb.sheetnames[:2] == ["达标情况", "汇总"]
    ws = wb["达标情况"]
    # The district, year and summary stand once in the title rows (issue 15: not repeated on every row).
    assert "渝北区 2023 年" in ws["A1"].value and "32 项指标：达标 29" in ws["A2"].value
    header = [c.value for c in ws[3]]
    assert header[:10] == ["领域", "序号", "指标名称", "属性", "状态", "指标值", "单位", "目标", "差距", "说明"]
    assert "区县" not in header and "年度" not in header
    assert ws.freeze_panes == "D4" and ws.auto_filter.ref.startswith("A3:")
    status = header.index("状态")
    rows = list(ws.iter_rows(min_row=4))
    fills = {r[status].value: r[status].fill.fgColor.rgb[-6:] for r in rows}
    assert fills["未达标"] == "FFC7CE" and fills["达标"] == "C6EFCE"
    assert sum(1 for r in rows if r[status].value == "未达标" and r[header.index("序号")].value) == 3
    summary = wb["汇总"]
    assert [c.value for c in summary[2]][:7] == ["渝北区", "500112", 2023, PACK, 32, 29, 3]


def test_xlsx_stores_numbers_as_numbers_with_units_beside_them_and_prints_one_page_wide(tmp_path: Path) -> None:
    import openpyxl

    ws = openpyxl.load_workbook(assess_xlsx(tmp_path))["达标情况"]
    header = [c.value for c in ws[3]]
    forest = next(r for r in ws.iter_rows(min_row=4) if r[header.index("指标名称")].value == "森林覆盖率")
    value, unit, gap = (forest[header.index(h)] for h in ("指标值", "单位", "差距"))
    assert value.value == 37.69 and value.data_type == "n" and value.number_format == "0.00"
    assert unit.value == "%" and header.index("单位") == header.index("指标值") + 1
    assert gap.value == -1.81 and gap.number_format == '+0.00 "个百分点";"−"0.00 "个百分点";0 "个百分点"'
    reason = forest[header.index("说明")]
    assert reason.alignment.wrap_text and ws.column_dimensions["J"].width >= 40
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3" and "渝北区 2023 年" in ws.oddHeader.center.text
    assert "2025 年规划目标进度" in header


def test_xlsx_writes_formula_like_values_as_text(tmp_path: Path) -> None:
    import openpyxl

    out = assess_xlsx(tmp_path, formula_workbook(tmp_path))
    ws = openpyxl.load_workbook(out)["达标情况"]
    values = [c for row in ws.iter_rows() for c in row if c.value in ("=1+1", "@SUM(1)")]
    assert len(values) == 2 and all(c.data_type == "s" for c in values)
    csv_text = run_cli("assess", formula_workbook(tmp_path), "--format", "csv").stdout
    assert "'=1+1" in csv_text and "'@SUM(1)" in csv_text


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) is not installed; install "
                    "libreoffice-calc-nogui to check that generated workbooks open")
def test_generated_xlsx_opens_in_libreoffice_and_keeps_text_as_text(tmp_path: Path) -> None:
    out = assess_xlsx(tmp_path, formula_workbook(tmp_path))
    profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"
    proc = subprocess.run([soffice(), "--headless", "--norestore", profile, "--convert-to",
                           "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "csv"), str(out)],
                          capture_output=True, text=True, timeout=180)
    converted = tmp_path / "csv" / "report.csv"
    assert converted.is_file(), proc.stdout + proc.stderr
    import openpyxl

    rows = list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8"))))
    assert rows[2][:3] == ["领域", "序号", "指标名称"]
    assert len(rows) == openpyxl.load_workbook(out)["达标情况"].max_row
    values = {row[5] for row in rows}
    assert "=1+1" in values and "@SUM(1)" in values  # shown as typed, not calculated


# -------------------------------------------------------------------------------------------------------- csv
def test_csv_for_a_file_starts_with_a_byte_order_mark_and_a_pipe_gets_none(tmp_path: Path) -> None:
    """Excel and WPS on Chinese Windows read a CSV without a BOM as GBK: every Chinese cell garbled."""
    from ecoplan.render.flat import render_csv
    from ecoplan.run.pipeline import evaluate_files

    assessment = evaluate_files([YUBEI], None, None).assessment
    assert assessment is not None
    data = render_csv(assessment, bom=True).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    records = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert next(r for r in records if r["name"] == "森林覆盖率")["status_zh"] == "未达标"
    assert records[0]["district"] == "渝北区"  # the first column's name is clean once the BOM is skipped
    piped = run_cli("assess", YUBEI, "--format", "csv").stdout
    assert piped.startswith("district,")  # a program reading the pipe sees no mark


def test_stdout_is_file_tells_a_redirect_from_a_pipe(tmp_path: Path) -> None:
    probe = [sys.executable, "-c", "from ecoplan.render.console import stdout_is_file; print(stdout_is_file())"]
    with (tmp_path / "out.txt").open("w") as handle:
        subprocess.run(probe, stdout=handle, check=True)
    assert (tmp_path / "out.txt").read_text().strip() == "True"
    assert subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip() == "False"
