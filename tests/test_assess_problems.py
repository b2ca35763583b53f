"""`assess` on a workbook with errors: every problem at once, as `check` lists them, beside the verdict of every
indicator it can decide; the one it cannot read is 待核实 with its cell. One severity per problem in every output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, by_id, edited_copy, run_cli

YUBEI = DATA / "yubei-2023.xlsx"


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """渝北 2023 with "37,5" as 森林覆盖率 (8.1) and a blank 公众对生态环境质量满意程度 (21, 约束性)."""
    return edited_copy(YUBEI, tmp_path_factory.mktemp("broken") / "渝北-2023.xlsx",
                       {("8.1", 2023): "37,5", ("21", 2023): None})


def _problems(items: list[dict]) -> set[tuple[str, str, str | None]]:
    return {(p["code"], p["severity"], p["cell"]) for p in items}


def test_assess_lists_what_check_lists_and_decides_the_rest(broken: Path) -> None:
    checked = json.loads(run_cli("check", broken, "--format", "json").stdout)
    proc = run_cli("assess", broken, "--format", "json")
    assert proc.returncode == 0, proc.stderr  # a report: --fail-on never
    report = json.loads(proc.stdout)
    assert _problems(report["problems"]) == _problems(checked["problems"])
    codes = {p["code"] for p in report["problems"]}
    assert {"value-type", "missing-constraint-value"} <= codes
    [unreadable] = [p for p in report["problems"] if p["code"] == "value-type"]
    results = by_id(report)
    assert results["8.1"]["status"] == "review" and unreadable["cell"] in results["8.1"]["reason"]
    assert "37,5" in results["8.1"]["reason"]
    assert results["21"]["status"] == "missing"
    # Every other indicator is judged as in the intact workbook (29 met, 3 not met there).
    intact = by_id(json.loads(run_cli("assess", YUBEI, "--format", "json").stdout))
    changed = {i for i in results if results[i]["status"] != intact[i]["status"]}
    assert changed == {"8", "8.1", "21"}
    assert (report["summary"]["met"], report["summary"]["not_met"], report["summary"]["review"],
            report["summary"]["missing"]) == (28, 2, 1, 1)
    assert report["results"] == checked["results"]  # check judges with the same pipeline


@pytest.mark.parametrize(("fail_on", "code"), [("never", 0), ("not_met", 1), ("constraint", 1)])
def test_exit_codes_of_assess_with_errors(tmp_path: Path, fail_on: str, code: int) -> None:
    """Errors fail every gate but never; a workbook that gives no assessment at all is refused (2)."""
    # Only the unreadable cell: 21 keeps its value, and nothing the gates name is unmet but through the error.
    only_error = edited_copy(YUBEI, tmp_path / "one.xlsx", {("8.1", 2023): "37,5", ("4.1", 2023): "90%",
                                                            ("4.2", 2023): 20, ("6.5", 2023): 90})
    clean = edited_copy(YUBEI, tmp_path / "clean.xlsx", {("4.1", 2023): "90%", ("4.2", 2023): 20, ("6.5", 2023): 90,
                                                          ("8.1", 2023): 40})
    assert run_cli("assess", clean, "--format", "json", "--fail-on", fail_on).returncode == 0
    assert run_cli("assess", only_error, "--format", "json", "--fail-on", fail_on).returncode == code
    nameless = edited_copy(YUBEI, tmp_path / "nameless.xlsx", profile={"区县名称": None})
    proc = run_cli("assess", nameless, "--fail-on", fail_on)
    assert proc.returncode == 2 and "区县名称" in proc.stderr and proc.stdout == ""


def test_the_table_prints_the_problems_on_stderr(broken: Path) -> None:
    proc = run_cli("assess", broken)
    assert proc.returncode == 0
    assert "待核实" in proc.stdout and "达标" in proc.stdout  # the table, with its verdicts
    lines = proc.stderr.splitlines()
    assert lines[0].endswith("有 2 个问题（错误 2，警告 0）：") and str(broken) in lines[0]
    assert any("value-type" in line and "'37,5'" in line and "错误" in line for line in lines[1:])
    assert any("missing-constraint-value" in line and "错误" in line for line in lines[1:])


def test_one_severity_for_a_blank_constraint_cell_in_check_and_the_assess_workbook(broken: Path,
                                                                                    tmp_path: Path) -> None:
    from openpyxl import load_workbook

    checked = json.loads(run_cli("check", broken, "--format", "json").stdout)
    [blank] = [p for p in checked["problems"] if p["code"] == "missing-constraint-value"]
    out = tmp_path / "report.xlsx"
    proc = run_cli("assess", broken, "-o", out)
    assert proc.returncode == 0 and "“问题”工作表" in proc.stderr
    sheet = load_workbook(out)["问题"]
    header = next(row for row in sheet.iter_rows(values_only=True) if "代码" in row)
    rows = [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(values_only=True)]
    [shown] = [r for r in rows if r.get("代码") == "missing-constraint-value"]
    assert blank["severity"] == "error" and shown["级别"] == "错误" and shown["位置"] == blank["cell"]
    listed = {(r["代码"], r["级别"], r["位置"]) for r in rows if r.get("代码") in {p["code"] for p in checked["problems"]}}
    labels = {"error": "错误", "warning": "警告"}
    assert listed == {(p["code"], labels[p["severity"]], p["cell"]) for p in checked["problems"]}


def test_every_output_shows_each_problem_with_its_catalogue_severity(tmp_path: Path) -> None:
    """An error and a warning, through check's JSON, Markdown and GitHub annotations, and assess's stderr, JSON and
    xlsx 问题 sheet: each problem reads the same severity everywhere, the catalogue's."""
    from openpyxl import load_workbook

    from ecoplan.report.problems import CATALOGUE, SEVERITY_LABELS

    path = edited_copy(YUBEI, tmp_path / "mixed.xlsx", {("8.1", 2023): "37,5", ("6.1", 2023): "达标"})
    expected = {"value-type": "error", "value-asserted": "warning"}
    assert all(CATALOGUE[code].severity == severity for code, severity in expected.items())
    checked = json.loads(run_cli("check", path, "--format", "json").stdout)
    assert {p["code"]: p["severity"] for p in checked["problems"]} == expected
    assessed = run_cli("assess", path, "--format", "json")
    assert {p["code"]: p["severity"] for p in json.loads(assessed.stdout)["problems"]} == expected
    markdown = run_cli("check", path, "--format", "markdown").stdout
    github = run_cli("check", path, "--format", "github").stdout
    table = run_cli("assess", path).stderr
    out = tmp_path / "report.xlsx"
    run_cli("assess", path, "-o", out)
    sheet = list(load_workbook(out)["问题"].iter_rows(values_only=True))
    for code, severity in expected.items():
        label = SEVERITY_LABELS[severity]
        assert f"| {label} | `{code}` |" in markdown
        assert f"::{severity} file={path},title={code} " in github
        assert any(line.strip().startswith("指标数据!") and f"{label} {code}：" in line for line in table.splitlines())
        assert any(code in row and label in row for row in sheet)
