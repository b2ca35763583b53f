"""The Python API runs the command line's pipeline: `ecoplan.assess` on a path, a list of paths or a loaded District
gives the JSON and the problems of `ecoplan assess --format json`; `load_district` reports what `ecoplan check`
reports; one model of a submission (workbook/district.py) whose schema describes the workbook contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import ecoplan
from conftest import DATA, ROOT, edited_copy, run_cli

WORKBOOKS = sorted(DATA.glob("*.xlsx")) + sorted((ROOT / "tests" / "fixtures").glob("*-20??.*"))
YUBEI = DATA / "yubei-2023.xlsx"


def _cli_json(*args: str | Path) -> str:
    proc = run_cli("assess", *args, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_the_api_gives_exactly_the_command_lines_json(path: Path) -> None:
    expected = _cli_json(path)
    assert ecoplan.to_json(ecoplan.assess(path)) + "\n" == expected
    assert ecoplan.to_json(ecoplan.assess(ecoplan.load_district(path))) + "\n" == expected


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """渝北 2023 with an unreadable value, a blank 约束性 value, and 4.1's task without its unit (327 for a rate in
    %, which only the assessment finds: a unit-mismatch the old copy of the pipeline in the API dropped)."""
    return edited_copy(YUBEI, tmp_path_factory.mktemp("api") / "broken.xlsx",
                       {("8.1", 2023): "37,5", ("21", 2023): None,
                        ("4.1", 2023): "上级规定的考核任务：327 当年指标值：90.4%"})


def test_the_same_problems_and_json_by_path_district_pack_id_and_pack_object(broken: Path) -> None:
    expected = json.loads(_cli_json(broken, "--pack", "yubei-2023-2030"))
    assert {"unit-mismatch", "value-type", "missing-constraint-value"} <= {p["code"] for p in expected["problems"]}
    pack = ecoplan.load_pack("yubei-2023-2030")
    district = ecoplan.load_district(broken)
    for result in (ecoplan.assess(broken), ecoplan.assess(str(broken), pack="yubei-2023-2030"),
                   ecoplan.assess([broken]), ecoplan.assess(district, pack), ecoplan.assess(district),
                   ecoplan.assess(broken, ROOT / "rules" / "yubei-2023-2030.yaml")):
        assert json.loads(ecoplan.to_json(result)) == expected


def test_a_list_of_paths_is_one_district_series_as_on_the_command_line() -> None:
    series = [DATA / "yubei-2022.xlsx", YUBEI]
    assert ecoplan.to_json(ecoplan.assess(series)) + "\n" == _cli_json(*series)
    assert ecoplan.to_json(ecoplan.assess(series, year=2022)) + "\n" == _cli_json(*series, "--year", "2022")


def test_strict_is_the_command_lines_strict() -> None:
    assert ecoplan.to_json(ecoplan.assess(YUBEI, strict=True)) + "\n" == _cli_json(YUBEI, "--strict")
    pack = ecoplan.load_pack("yubei-2023-2030")
    assert ecoplan.to_json(ecoplan.assess(YUBEI, pack, strict=True)) + "\n" == _cli_json(YUBEI, "--strict")


def _broken_workbooks(folder: Path) -> list[Path]:
    from openpyxl import load_workbook

    nameless = edited_copy(YUBEI, folder / "nameless.xlsx", {("8.1", 2023): "37,5"}, profile={"区县名称": None})
    typo = edited_copy(YUBEI, folder / "typo.xlsx", {("21", 2023): "很满意"}, profile={"指标体系": "yubei-2023"})
    twice = folder / "twice.xlsx"
    book = load_workbook(YUBEI)
    sheet = book["指标数据"]
    sheet.append([cell.value for cell in sheet[5]])  # a row again
    sheet.append([None, "不存在的指标", 2023, 5])
    book.save(twice)
    units = edited_copy(YUBEI, folder / "units.xlsx", {("6.1", 2023): "71.1吨", ("1", 2023): "N/A"},
                        profile={"地区类型": "华南"})
    return [nameless, typo, twice, units]


def test_load_district_reports_every_problem_check_reports(tmp_path: Path) -> None:
    for path in _broken_workbooks(tmp_path):
        checked = json.loads(run_cli("check", path, "--format", "json").stdout)
        district = ecoplan.load_district(path)
        assert [p.as_dict() for p in district.problems] == checked["problems"], path.name
        assert district.errors, path.name
    assert len(checked["problems"]) >= 2  # the last one: two cells and the region, all at once


def test_exports_and_dir_show_the_api_only() -> None:
    assert sorted(dir(ecoplan)) == sorted(["Assessment", "District", "InputError", "Pack", "__version__", "assess",
                                           "load_district", "load_pack", "to_json"])
    assert issubclass(ecoplan.InputError, Exception) and ecoplan.InputError is ecoplan.errors.InputError
    result = ecoplan.assess(YUBEI)
    assert isinstance(result, ecoplan.Assessment) and isinstance(ecoplan.load_pack("yubei-2023-2030"), ecoplan.Pack)
    assert isinstance(ecoplan.load_district(YUBEI), ecoplan.District)


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: ecoplan.assess(42), "工作簿路径"),
    (lambda: ecoplan.assess([]), "路径列表"),
    (lambda: ecoplan.assess(YUBEI, pack=3), "pack 需要指标体系 id"),
    (lambda: ecoplan.assess(YUBEI, year="2023"), "year 需要整数年份"),
    (lambda: ecoplan.assess(YUBEI, year=True), "year 需要整数年份"),
    (lambda: ecoplan.load_pack(None), "load_pack 需要指标体系 id"),
    (lambda: ecoplan.load_district(b"x.xlsx"), "path 需要工作簿路径"),
    (lambda: ecoplan.to_json({"district": {}}), "to_json 需要 ecoplan.assess 返回的 Assessment"),
])
def test_a_wrong_argument_type_is_a_type_error_saying_what_was_expected(call, expected: str) -> None:
    with pytest.raises(TypeError, match=expected):
        call()


def test_a_year_without_data_raises_as_the_command_line_exits() -> None:
    proc = run_cli("assess", YUBEI, "--year", "2019")
    assert proc.returncode == 2
    with pytest.raises(ecoplan.InputError) as caught:
        ecoplan.assess(YUBEI, year=2019)
    assert str(caught.value) == f"{YUBEI} 中没有 2019 年的数据（有数据的年度：2021、2022、2023）"
    assert str(caught.value) in proc.stderr


def test_errors_name_no_command_line_option(tmp_path: Path) -> None:
    with pytest.raises(ecoplan.InputError) as caught:
        ecoplan.assess(YUBEI, pack="yubei")
    assert str(caught.value).startswith("未知的指标体系 yubei；已有的指标体系：") and "--pack" not in str(caught.value)
    with pytest.raises(ecoplan.InputError, match="未知的指标体系"):
        ecoplan.load_pack("nope")
    with pytest.raises(ecoplan.InputError, match="找不到文件"):
        ecoplan.load_district(tmp_path / "nope.xlsx")
    # A pack the workbook names is the workbook's problem: load_district lists it at its cell, assess raises.
    typo = edited_copy(YUBEI, tmp_path / "typo.xlsx", profile={"指标体系": "yubei-2023"})
    [problem] = [p for p in ecoplan.load_district(typo).problems if p.code == "pack-unknown"]
    assert problem.cell and problem.cell.startswith("区县信息!B")
    with pytest.raises(ecoplan.InputError, match="指标体系“yubei-2023”不存在"):
        ecoplan.assess(typo)


def test_the_schema_describes_the_workbook_contract() -> None:
    schema = ecoplan.District.model_json_schema()
    profile, row = schema["$defs"]["Profile"]["properties"], schema["$defs"]["Row"]["properties"]
    assert profile["name"]["title"] == "区县名称" and schema["properties"]["profile"]["title"] == "区县信息"
    assert (profile["year"]["minimum"], profile["year"]["maximum"]) == (1900, 2100)
    assert (row["year"]["minimum"], row["year"]["maximum"]) == (1900, 2100)
    assert profile["region"]["anyOf"][0]["enum"] == ["东部", "中部", "西部", "东北"]
    assert [row[k]["title"] for k in ("id", "name", "year", "value", "superior_target")] == \
        ["指标编号", "指标名称", "年度", "指标值", "上级任务"]
    assert "reported" not in row  # derived from 指标值, not part of what a workbook holds


def test_the_reader_keeps_the_years_and_regions_the_schema_states(tmp_path: Path) -> None:
    """The rules are written once: what the schema states is what the reader refuses, at the cell."""
    from ecoplan.vocabulary import REGIONS
    from ecoplan.workbook.profile import FIRST_YEAR, LAST_YEAR, parse_year

    assert [parse_year(y) for y in (FIRST_YEAR - 1, FIRST_YEAR, LAST_YEAR, LAST_YEAR + 1)] == \
        [None, FIRST_YEAR, LAST_YEAR, None]
    assert [parse_year(f"{y}年") for y in (FIRST_YEAR - 1, LAST_YEAR, LAST_YEAR + 1)] == [None, LAST_YEAR, None]
    schema = ecoplan.District.model_json_schema()["$defs"]["Profile"]["properties"]
    assert tuple(schema["region"]["anyOf"][0]["enum"]) == REGIONS
    path = edited_copy(YUBEI, tmp_path / "r.xlsx", profile={"地区类型": "华南", "评估年度": "1899"})
    problems = {(p.code, p.cell): p.message for p in ecoplan.load_district(path).problems}
    assert any("东部、中部、西部、东北" in m for (code, _), m in problems.items() if code == "value-type")
    assert any("1899" in m for (code, _), m in problems.items() if code == "value-type")


def test_importing_ecoplan_does_not_import_pydantic_or_the_pipeline() -> None:
    code = "import sys, ecoplan; print(sorted(m for m in ('pydantic', 'ecoplan.run.pipeline') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip()
    assert out == "[]"
