"""The broken-workbook corpus through the real command line: nothing crashes, nothing is lost, nothing executes.

Every case of tests/corpus/make_corpus.py is run as `python -m ecoplan assess FILE --format json` in a child
process with a 2 GB address-space limit and a 30 s timeout, and must give its documented exit code, a
one-paragraph message naming the fault and its place, no traceback, and leave the file byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))
from make_corpus import Case, build

from conftest import run_cli

MEMORY_LIMIT = 2 * 1024**3
TIME_LIMIT = 30.0


def _limit_memory() -> None:  # runs in the child before exec: bounded memory for every case
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_assess(path: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`ecoplan assess PATH --format json` as a user runs it, with bounded memory and time."""
    return run_cli("assess", path, "--format", "json", *extra, env=env, timeout=TIME_LIMIT,
                   preexec_fn=_limit_memory, stdin=subprocess.DEVNULL)


def fingerprint(path: Path) -> str | None:
    """The file's content hash (None for what has no content to change: missing, directory, fifo)."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:  # unreadable on purpose: compare the metadata instead
        info = path.lstat()
        return f"{info.st_size}:{info.st_mtime_ns}:{info.st_mode}"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    return {case.name: case for case in build(tmp_path_factory.mktemp("corpus"))}


CASE_NAMES = [case.name for case in build(Path("unused"), write=False)]  # ids without building


def test_corpus_is_big_enough() -> None:
    """The issue asks for at least 30 broken workbooks."""
    assert len([n for n in CASE_NAMES if not n.startswith("valid")]) >= 30


@pytest.mark.parametrize("name", CASE_NAMES)
def test_corpus_case(corpus: dict[str, Case], name: str) -> None:
    case = corpus[name]
    if case.skip:
        pytest.skip(case.skip)
    before = fingerprint(case.path)
    started = time.monotonic()
    proc = run_assess(case.path)
    elapsed = time.monotonic() - started
    assert fingerprint(case.path) == before, "the input file was changed"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert elapsed < TIME_LIMIT
    assert proc.returncode == case.code, f"exit {proc.returncode}, expected {case.code}; stderr: {proc.stderr}"
    if case.code == 2:
        message = proc.stderr.strip()
        assert message.startswith("ecoplan: 错误："), message
        assert "\n" not in message, f"not one paragraph: {message}"
        assert "内部错误" not in message, message
        assert str(case.path) in message, f"the message does not name the file: {message}"
        for fragment in case.fragments:
            assert fragment in message, f"{fragment!r} not in {message!r}"
        assert proc.stdout == "", "nothing is printed on stdout when the input cannot be used"
        return
    report = json.loads(proc.stdout)  # strict JSON: no NaN/Infinity
    by_id = {r["id"]: r for top in report["results"] for r in [top, *top["items"]]}
    for ident, (status, value) in case.results.items():
        assert by_id[ident]["status"] == status, by_id[ident]
        if value is not None:
            assert by_id[ident]["value"] == pytest.approx(value), by_id[ident]
        if status == "review":  # a value the workbook's errors make doubtful: the reason names the cell
            assert any(p["cell"] and p["cell"] in by_id[ident]["reason"] for p in report["problems"]), by_id[ident]
    listed = json.dumps(report["problems"], ensure_ascii=False)
    for fragment in case.fragments:  # the problem is reported with the assessment
        assert fragment in listed, f"{fragment!r} not in {listed}"


# ------------------------------------------------------------------------------------- limits as settings
from make_corpus import BASE_ROWS, PROFILE, workbook, zip_bytes  # noqa: E402


@pytest.fixture()
def valid(tmp_path: Path) -> Path:
    path = tmp_path / "valid.xlsx"
    path.write_bytes(zip_bytes(workbook()))
    return path


@pytest.mark.parametrize("variable, value, fragment", [
    ("ECOPLAN_MAX_ROWS", "3", "工作表 区县信息 有 7 行，超过上限 3（ECOPLAN_MAX_ROWS）"),
    ("ECOPLAN_MAX_COLUMNS", "4", "列，超过上限 4（ECOPLAN_MAX_COLUMNS）"),
    ("ECOPLAN_MAX_FILE_MB", "0.001", "超过上限 0 MB（ECOPLAN_MAX_FILE_MB）"),
    ("ECOPLAN_MAX_INFLATED_MB", "0.001", "ECOPLAN_MAX_INFLATED_MB"),
    ("ECOPLAN_MAX_MEMBERS", "3", "个成员，超过上限 3"),
])
def test_each_limit_is_a_setting_that_refuses_before_parsing(valid: Path, variable: str, value: str,
                                                             fragment: str) -> None:
    assert run_assess(valid).returncode == 0
    proc = run_assess(valid, env={variable: value})
    assert proc.returncode == 2 and fragment in proc.stderr, proc.stderr


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_a_bad_limit_value_is_a_usage_error_not_the_default(valid: Path, value: str) -> None:
    proc = run_assess(valid, env={"ECOPLAN_MAX_ROWS": value})
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"ECOPLAN_MAX_ROWS: 应为正数，实际为 {value!r}" in proc.stderr, proc.stderr


def test_raising_a_limit_admits_the_big_sheet(corpus: dict[str, Case]) -> None:
    proc = run_assess(corpus["rows-10000"].path, env={"ECOPLAN_MAX_ROWS": "20000"})
    assert "ECOPLAN_MAX_ROWS" not in proc.stderr and "Traceback" not in proc.stderr


# ---------------------------------------------------------------------------------------------------- outputs
@pytest.mark.parametrize("spelling", ["same", "dot-slash", "symlink", "hardlink"])
def test_output_never_overwrites_the_input_workbook(valid: Path, spelling: str) -> None:
    before = fingerprint(valid)
    target: str | Path = valid
    if spelling == "dot-slash":
        target = f"./{valid.name}"
    elif spelling == "symlink":
        target = valid.with_name("link.xlsx")
        target.symlink_to(valid.name)
    elif spelling == "hardlink":
        target = valid.with_name("hard.xlsx")
        os.link(valid, target)
    proc = run_cli("assess", valid.name, "-o", target, "--format", "json", cwd=valid.parent)
    assert proc.returncode == 2, proc.stderr
    assert "拒绝覆盖" in proc.stderr
    assert fingerprint(valid) == before


def test_output_is_written_whole_and_leaves_no_temporary_file(valid: Path) -> None:
    report = valid.with_name("report.json")
    report.write_text("old report", encoding="utf-8")
    proc = run_cli("assess", valid, "-o", report, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(report.read_text(encoding="utf-8"))["district"]["name"] == "测试区"
    assert sorted(p.name for p in valid.parent.iterdir()) == ["report.json", "valid.xlsx"]


def test_csv_never_carries_a_live_formula_from_submitted_text(tmp_path: Path) -> None:
    profile = [list(r) for r in PROFILE]
    profile[1][1] = '=cmd|" /C calc"!A0'  # 区县名称
    rows = [list(r) for r in BASE_ROWS]
    rows[2][3] = '=HYPERLINK("http://x.test","建立")'  # a state indicator: the text reaches the report
    rows.append(["3", "领导干部自然资源资产离任审计", 2023, "@SUM(A1)开展"])
    rows.append(["6.4", "城市生活垃圾回收利用率", 2023, 30, None, "%"])  # a negative gap stays a number
    path = tmp_path / "injection.xlsx"
    path.write_bytes(zip_bytes(workbook(rows, profile=profile)))
    proc = run_cli("assess", path, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    import csv
    import io

    records = list(csv.DictReader(io.StringIO(proc.stdout)))
    cells = [value for record in records for value in record.values()]
    assert not [c for c in cells if c[:1] in ("=", "@", "\t", "\r") or (c[:1] in "+-" and len(c) > 1
                                                                       and not c[1:].replace(".", "").isdigit())]
    by_id = {r["id"]: r for r in records}
    assert by_id["2"]["value"] == "'=HYPERLINK(\"http://x.test\",\"建立\")"
    assert by_id["2"]["district"] == "'=cmd|\" /C calc\"!A0"
    assert by_id["3"]["value"].startswith("'@")
    assert float(by_id["6.4"]["gap"]) < 0  # "-5", not "'-5"


def test_xlsx_report_keeps_submitted_formulas_as_text(tmp_path: Path) -> None:
    import openpyxl

    profile = [list(r) for r in PROFILE]
    profile[1][1] = '=cmd|" /C calc"!A0'
    rows = [list(r) for r in BASE_ROWS]
    rows[2][3] = '=HYPERLINK("http://x.test","建立")'
    path = tmp_path / "injection.xlsx"
    path.write_bytes(zip_bytes(workbook(rows, profile=profile)))
    report = tmp_path / "report.xlsx"
    proc = run_cli("assess", path, "--format", "xlsx", "-o", report)
    assert proc.returncode == 0, proc.stderr
    cells = [c for ws in openpyxl.load_workbook(report) for row in ws.iter_rows() for c in row]
    assert any(c.value == '=HYPERLINK("http://x.test","建立")' for c in cells)  # the text is kept…
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # …but never as a formula


def test_hidden_rows_are_read_and_named_in_a_warning(corpus: dict[str, Case]) -> None:
    from ecoplan.workbook.district import load_district
    from ecoplan.workbook.reader import read_workbook

    district = load_district(read_workbook(corpus["hidden-rows"].path))
    assert {(r.id, r.year) for r in district.rows} >= {("6.1", 2023), ("6.4", 2023)}
    warning = [p for p in district.problems if p.code == "hidden-rows"]
    assert len(warning) == 1 and warning[0].cell == "指标数据!A3" and "3、6" in warning[0].message
