"""End to end: `ecoplan assess` on the shipped 渝北 workbooks reproduces 表4's own verdicts (seeds/000)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA, assess_json, by_id, edited_copy, run_cli, shared_file

YUBEI = {2022: DATA / "yubei-2022.xlsx", 2023: DATA / "yubei-2023.xlsx"}

# 表4's 达标情况 columns (seeds/000 L399-480): every leaf row not listed here is 达标 (or 不涉及, which the
# document counts as 达标). The text after the table (L486-490) gives the counts: 27/5 and 29/3.
NOT_MET_LEAVES = {2022: {"4.1", "6.5", "8.1", "19", "23"}, 2023: {"4.1", "4.2", "6.5", "8.1"}}
NOT_MET_TOP = {2022: {"4", "6", "8", "19", "23"}, 2023: {"4", "6", "8"}}
NOT_APPLICABLE = {"5.2", "5.4", "6.3", "8.2", "8.3", "16"}


@pytest.mark.parametrize("year, met, not_met", [(2022, 27, 5), (2023, 29, 3)])
def test_summary_reproduces_the_documents_counts(year: int, met: int, not_met: int) -> None:
    report = assess_json(YUBEI[year])
    summary = report["summary"]
    assert summary["total"] == 32
    assert (summary["met"], summary["not_met"]) == (met, not_met)
    assert summary["constraint_not_met"] == not_met  # every unmet item is 约束性
    assert summary["missing"] == summary["review"] == 0
    assert report["district"] == {"name": "渝北区", "code": "500112", "year": year}
    assert report["pack"]["id"] == "yubei-2023-2030"
    unmet = {r["id"] for r in report["results"] if r["status"] == "not_met"}
    assert unmet == NOT_MET_TOP[year]


@pytest.mark.parametrize("year", [2022, 2023])
def test_every_leaf_agrees_with_table_4(year: int) -> None:
    results = by_id(assess_json(YUBEI[year]))
    leaves = {i: r for i, r in results.items() if not r["items"]}
    assert len(leaves) == 48  # 表4 has 48 leaf rows
    for leaf_id, result in leaves.items():
        if leaf_id in NOT_MET_LEAVES[year]:
            expected = {"not_met"}
        elif leaf_id in NOT_APPLICABLE:
            expected = {"not_applicable"}
        else:
            expected = {"met"}
        assert result["status"] in expected, (leaf_id, result["name"], result["reason"])


def test_leaf_verdicts_match_the_transcribed_seed() -> None:
    """Cross-check against the independent transcription in ../shared/reference (when it is beside the repo)."""
    yaml = pytest.importorskip("yaml")
    source = shared_file("reference", "seed-indicators.yaml")
    rows = [r for r in yaml.safe_load(source.read_text(encoding="utf-8"))["indicators"]
            if r["id"].startswith("000-T4-")]
    for year in (2022, 2023):
        results = by_id(assess_json(YUBEI[year]))
        for row in rows:
            verdict = ((row.get("attainment") or {}).get(str(year))
                       or (row.get("attainment_inferred") or {}).get(str(year)))
            parts = row["id"].split("-")[2:]  # 000-T4-04-1 → ["04", "1"]
            pack_id = ".".join([parts[0].lstrip("0") if parts[0][0] != "R" else parts[0], *parts[1:]])
            status = results[pack_id]["status"]
            counted = "未达标" if status == "not_met" else "达标"  # the document counts 不涉及 as 达标
            assert counted == verdict, (year, row["id"], row["name"], status)


def test_the_json_shape_is_the_documented_one() -> None:
    report = assess_json(YUBEI[2023])
    assert set(report) == {"district", "pack", "summary", "parts", "results", "problems"} and report["problems"] == []
    assert set(report["summary"]) == {"total", "met", "not_met", "not_applicable", "missing", "review",
                                      "constraint_not_met"}
    assert report["parts"] == {"table": report["summary"]}  # 表4 is all table
    for result in by_id(report).values():
        assert {"id", "name", "attribute", "status", "value", "target", "gap", "reason", "part", "items"} <= set(result)
        assert result["part"] == "table"
        assert result["status"] in {"met", "not_met", "not_applicable", "missing", "review"}
    forest = by_id(report)["8.1"]
    assert forest["value"] == 37.69 and forest["gap"] == pytest.approx(-1.81)  # 37.69 − 39.5 (2021), in %


def test_year_option_assesses_the_history_rows() -> None:
    """yubei-2023.xlsx also carries the 2022 rows: --year 2022 gives the 2022 verdict."""
    report = assess_json(YUBEI[2023], "--year", "2022")
    assert (report["summary"]["met"], report["summary"]["not_met"]) == (27, 5)


def test_pack_option_overrides_the_workbook() -> None:
    report = assess_json(YUBEI[2023], "--pack", "national-demo-county-2024")
    assert report["pack"]["id"] == "national-demo-county-2024"
    assert (report["summary"]["met"], report["summary"]["not_met"]) == (29, 3)


# -- one value changed in a copy flips the verdict ---------------------------------------------------------------
def test_good_days_above_the_task_flip_air_quality(tmp_path: Path) -> None:
    copy = edited_copy(YUBEI[2022], tmp_path / "y.xlsx", {
        ("4.1", 2022): "上级规定的考核任务：325 天 当年指标值：326 天，优良天数比率：89.3%"})
    results = by_id(assess_json(copy))
    assert results["4.1"]["status"] == "met"  # task met; 89.3 < 90 but rising from 87.9 (2021)
    assert results["4"]["status"] == "met"  # PM2.5 was met in 2022
    assert assess_json(copy)["summary"]["met"] == 28


def test_good_days_above_the_task_but_falling_and_below_90_still_fail(tmp_path: Path) -> None:
    copy = edited_copy(YUBEI[2022], tmp_path / "y.xlsx", {
        ("4.1", 2022): "上级规定的考核任务：325 天 当年指标值：326 天，优良天数比率：87.0%"})
    assert by_id(assess_json(copy))["4.1"]["status"] == "not_met"


def test_forest_cover_back_above_its_2021_level_is_met(tmp_path: Path) -> None:
    copy = edited_copy(YUBEI[2023], tmp_path / "y.xlsx", {("8.1", 2023): 39.6})
    report = assess_json(copy)
    assert by_id(report)["8.1"]["status"] == "met"
    assert by_id(report)["8.1"]["gap"] == pytest.approx(0.1)
    assert (report["summary"]["met"], report["summary"]["not_met"]) == (30, 2)


@pytest.mark.parametrize("value, status", [(99.9, "not_met"), (100, "met")])
def test_green_buildings_need_exactly_100(tmp_path: Path, value: float, status: str) -> None:
    copy = edited_copy(YUBEI[2022], tmp_path / "y.xlsx", {("23", 2022): value})
    assert by_id(assess_json(copy))["23"]["status"] == status


@pytest.mark.parametrize("admin_type, status", [("市辖区", "not_met"), ("县", "met")])
def test_rural_sewage_threshold_depends_on_the_district(tmp_path: Path, admin_type: str, status: str) -> None:
    # 中西部地级及以上城市市辖区：≥60；中西部其他地区：≥30 — 45 fails in a 市辖区 and passes in a 县.
    copy = edited_copy(YUBEI[2023], tmp_path / "y.xlsx", {("R1", 2023): 45}, {"行政级别": admin_type})
    result = by_id(assess_json(copy))["R1"]
    assert result["status"] == status
    assert result["gap"] == pytest.approx(-15 if admin_type == "市辖区" else 15)


def test_a_missing_profile_field_is_named(tmp_path: Path) -> None:
    copy = edited_copy(YUBEI[2023], tmp_path / "y.xlsx", profile={"行政级别": None})
    proc = run_cli("assess", copy)
    assert proc.returncode == 0  # a report (--fail-on never): the indicator that needs the field is 待核实
    assert "admin_type" in proc.stderr and "农村生活污水治理" in proc.stderr
    report = assess_json(copy, "--fail-on", "never")
    assert by_id(report)["R1"]["status"] == "review" and "admin_type" in by_id(report)["R1"]["reason"]
    assert (report["summary"]["met"], report["summary"]["review"]) == (28, 1)


# -- exit codes and the people's table ---------------------------------------------------------------------------
def test_fail_on_sets_the_exit_code() -> None:
    assert run_cli("assess", YUBEI[2023], "--format", "json").returncode == 0  # a report by default
    assert run_cli("assess", YUBEI[2023], "--format", "json", "--fail-on", "constraint").returncode == 1
    assert run_cli("assess", YUBEI[2023], "--format", "json", "--fail-on", "not_met").returncode == 1


def test_table_shows_statuses_in_words_and_the_summary_line() -> None:
    proc = run_cli("assess", YUBEI[2023])
    assert proc.returncode == 0, proc.stderr
    assert "32 项指标：达标 29（含不涉及 1），未达标 3（约束性 3）" in proc.stdout
    for word in ("达标", "未达标", "不涉及", "生态安全", "森林覆盖率", "−1.81 个百分点"):
        assert word in proc.stdout


def test_strict_mode_reports_conventions_as_review() -> None:
    report = assess_json(YUBEI[2023], "--strict")
    results = by_id(report)
    assert results["15"]["status"] == "review"  # 未考核
    assert results["13"]["status"] == "review"  # 持续提高 asserted, no share given
    assert report["summary"]["review"] >= 3


def test_csv_and_markdown_carry_the_same_facts() -> None:
    report = assess_json(YUBEI[2023])
    csv_out = run_cli("assess", YUBEI[2023], "--format", "csv").stdout
    markdown = run_cli("assess", YUBEI[2023], "--format", "markdown").stdout
    rows = csv_out.strip().splitlines()
    assert len(rows) - 1 == len(by_id(report))
    assert "32 项指标：达标 29" in markdown
    for result in by_id(report).values():
        assert result["name"] in csv_out and result["name"] in markdown


# -- bad input: exit 2, one paragraph naming the place, never a traceback ----------------------------------------
def _refused(proc, *fragments: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_missing_file(tmp_path: Path) -> None:
    _refused(run_cli("assess", tmp_path / "nope.xlsx"), "nope.xlsx", "找不到文件")


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("区县名称,渝北区\n", encoding="utf-8")
    _refused(run_cli("assess", path), "notes.xlsx", "不是工作簿")


def test_missing_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "empty.xlsx")
    _refused(run_cli("assess", tmp_path / "empty.xlsx"), "empty.xlsx", "区县信息", "指标数据", "Sheet1")


def test_unknown_pack() -> None:
    _refused(run_cli("assess", YUBEI[2023], "--pack", "no-such-pack"), "no-such-pack", "national-demo-county-2024")


def test_text_where_a_number_belongs_names_the_cell(tmp_path: Path) -> None:
    copy = edited_copy(YUBEI[2023], tmp_path / "y.xlsx", {("21", 2023): "很满意"})
    proc = run_cli("assess", copy)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    for fragment in ("y.xlsx", "指标数据!D", "很满意", "value-type"):
        assert fragment in proc.stderr
    assert "待核实" in proc.stdout  # 21 is 待核实, and the table is there


def test_the_input_is_never_modified(tmp_path: Path) -> None:
    before = YUBEI[2023].read_bytes()
    run_cli("assess", YUBEI[2023], "--format", "json")
    assert YUBEI[2023].read_bytes() == before


def test_python_dash_m_and_console_script_agree() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0 and "assess" in proc.stdout
    report = json.loads(run_cli("assess", YUBEI[2022], "--format", "json").stdout)
    assert report["summary"]["not_met"] == 5


@pytest.mark.parametrize("year, met", [(2022, 27), (2023, 29)])
def test_a_workbook_with_only_the_assessed_year_gives_the_same_verdict(tmp_path: Path, year: int, met: int) -> None:
    """The plan pack records the earlier values its trends need (森林覆盖率 2021 = 39.5, 注【2】)."""
    from openpyxl import load_workbook

    book = load_workbook(YUBEI[year])
    sheet = book["指标数据"]
    for row in sorted((r[0].row for r in sheet.iter_rows(min_row=2) if r[2].value != year), reverse=True):
        sheet.delete_rows(row)
    book.save(tmp_path / "only.xlsx")
    report = assess_json(tmp_path / "only.xlsx")
    assert report["summary"]["met"] == met and report["summary"]["total"] == 32
    assert by_id(report)["8.1"]["status"] == "not_met"


# -- issue 13: gaps in the failing clause's unit, best bounds, reading order on the shipped workbooks -------------
def test_air_quality_gap_is_the_task_shortfall_in_days() -> None:
    air = by_id(assess_json(YUBEI[2023]))["4.1"]
    assert air["status"] == "not_met"
    assert (air["gap"], air["gap_unit"]) == (-27, "天")  # 300 天 against 327 天, not the change from 2022


def test_a_value_at_its_floor_is_met_under_strict_without_history() -> None:
    report = by_id(assess_json(YUBEI[2023], "--strict"))
    assert report["R3"]["status"] == "met" and "最优值" in report["R3"]["reason"]


def _with_task_column(source: Path, target: Path, rows: dict[tuple[str, int], tuple[str, str]]) -> Path:
    """A copy whose rows keyed (指标编号, 年度) get a new 指标值 and 上级任务: the task in its own column."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book["指标数据"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in ("指标编号", "年度", "指标值", "上级任务")}
    for row in range(2, sheet.max_row + 1):
        key = (str(sheet.cell(row, col["指标编号"]).value), int(sheet.cell(row, col["年度"]).value))
        if key in rows:
            sheet.cell(row, col["指标值"]).value, sheet.cell(row, col["上级任务"]).value = rows.pop(key)
    assert not rows, f"rows not found: {rows}"
    book.save(target)
    return target


def test_a_series_accepts_one_fact_written_in_two_allowed_forms(tmp_path: Path) -> None:
    """yubei-2023.xlsx writes 2022's 优良天数比率 as the documents do ("上级规定的考核任务：325 天 当年指标值：321 天，
    优良天数比率：87.9%"); another workbook of 2022 puts 321天 in 指标值 and 325天 in 上级任务. Same facts: no conflict."""
    other = _with_task_column(YUBEI[2022], tmp_path / "2022.xlsx", {("4.1", 2022): ("321天", "325 天"),
                                                                    ("19", 2022): ("0.87%", "2%")})
    proc = run_cli("assess", other, YUBEI[2023], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert (summary["met"], summary["not_met"]) == (29, 3)


def test_a_series_reports_two_different_values_for_one_year(tmp_path: Path) -> None:
    other = _with_task_column(YUBEI[2022], tmp_path / "2022.xlsx", {("4.1", 2022): ("320天", "325天")})
    proc = run_cli("assess", other, YUBEI[2023], "--fail-on", "constraint")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    for fragment in ("history-conflict", "优良天数比率 2022", "2022.xlsx:指标数据!D", "320天"):
        assert fragment in proc.stderr, proc.stderr


def test_an_unknown_pack_named_by_the_workbook_is_placed_at_its_cell(tmp_path: Path) -> None:
    """A typo in 区县信息's 指标体系 is the workbook's fault, not --pack's: the message names the file and the cell,
    and check and batch place it there too."""
    from openpyxl import load_workbook

    copy = edited_copy(YUBEI[2023], tmp_path / "typo.xlsx", profile={"指标体系": "yubei-2023"})
    info = load_workbook(copy)["区县信息"]
    cell = next(f"区县信息!B{r}" for r in range(1, info.max_row + 1) if info.cell(r, 1).value == "指标体系")
    proc = run_cli("assess", copy)
    _refused(proc, f"typo.xlsx: {cell}: 指标体系“yubei-2023”不存在", "yubei-2023-2030", "请改正区县信息中的指标体系")
    assert "--pack:" not in proc.stderr
    checked = json.loads(run_cli("check", copy, "--format", "json").stdout)
    problem = checked["problems"][0]
    assert (problem["code"], problem["cell"]) == ("pack-unknown", cell)
    batch = run_cli("batch", copy, "--format", "csv")  # the problem as check names it (issue 20 item 6)
    assert f"{cell}: 错误 pack-unknown：指标体系“yubei-2023”不存在" in batch.stderr


def test_an_unknown_pack_option_is_still_blamed_on_the_option() -> None:
    _refused(run_cli("assess", YUBEI[2023], "--pack", "nope"), "--pack: 未知的指标体系 nope")
