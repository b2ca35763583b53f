"""The Python API: `load_district` gives a validated pydantic model, `assess` gives the assessment whose JSON is
exactly `ecoplan assess --format json`, and the model holds the contract the command line loads by."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import ecoplan
from ecoplan.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted((ROOT / "data").glob("*.xlsx")) + sorted((ROOT / "tests" / "fixtures").glob("*-20??.*"))


def _cli_json(path: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "ecoplan", "assess", str(path), "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


@pytest.mark.parametrize("path", WORKBOOKS, ids=[p.name for p in WORKBOOKS])
def test_the_api_gives_exactly_the_command_lines_json(path: Path) -> None:
    district = ecoplan.load_district(path)
    assert isinstance(district, ecoplan.District) and not district.errors
    assert ecoplan.to_json(ecoplan.assess(district)) + "\n" == _cli_json(path)


def test_the_notebook_example() -> None:
    district = ecoplan.load_district(ROOT / "data" / "yubei-2023.xlsx")
    result = ecoplan.assess(district)
    assert (result.summary.total, result.summary.met, result.summary.not_met) == (32, 29, 3)
    assert district.profile is not None and (district.profile.name, district.profile.year) == ("渝北区", 2023)


def test_a_pack_object_or_id_and_a_year_can_be_given() -> None:
    district = ecoplan.load_district(ROOT / "data" / "yubei-2023.xlsx")
    pack = ecoplan.load_pack("yubei-2023-2030")
    by_object, by_id = ecoplan.assess(district, pack), ecoplan.assess(district, "yubei-2023-2030")
    assert ecoplan.to_json(by_object) == ecoplan.to_json(by_id)
    assert ecoplan.assess(district, year=2024).summary.missing == 32


def test_a_changed_row_is_assessed_as_changed() -> None:
    district = ecoplan.load_district(ROOT / "data" / "yubei-2023.xlsx")
    rows = [r.model_copy(update={"value": 50.0}) if (r.id, r.year) == ("6.1", 2023) else r for r in district.rows]
    changed = district.model_copy(update={"rows": rows})
    by_id = {r.id: r for r in ecoplan.assess(changed).results for r in [r, *r.items]}
    assert by_id["6.1"].status == "not_met" and by_id["6.1"].value == 50


def test_validation_errors_name_their_cell() -> None:
    from ecoplan.workbook.district import District, Row
    from ecoplan.workbook.model import IndicatorRow, validate
    from ecoplan.workbook.values import parse_value

    bad = Row(None, None, 1800, parse_value(1.0), "指标数据!D9", cell_value=1.0)
    model = validate(District(path=Path("x.xlsx"), profile=None, rows=[bad]))
    assert model.rows == [] and [p.cell for p in model.problems] == ["指标数据!D9"]
    assert {p.code for p in model.problems} == {"value-type"} and "年度" in model.problems[0].message
    with pytest.raises(ValueError):
        IndicatorRow(year=2023, cell="指标数据!D2")  # neither id nor name


def test_the_schema_describes_the_workbook_contract() -> None:
    schema = ecoplan.District.model_json_schema()
    profile, row = schema["$defs"]["Profile"]["properties"], schema["$defs"]["IndicatorRow"]["properties"]
    assert profile["name"]["title"] == "区县名称" and schema["properties"]["profile"]["title"] == "区县信息"
    assert profile["year"]["minimum"] == 1900
    assert profile["region"]["anyOf"][0]["enum"] == ["东部", "中部", "西部", "东北"]
    assert [row[k]["title"] for k in ("id", "name", "year", "value")] == ["指标编号", "指标名称", "年度", "指标值"]


def test_an_unusable_workbook_raises_with_its_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到文件"):
        ecoplan.load_district(tmp_path / "nope.xlsx")


def test_importing_ecoplan_does_not_import_pydantic() -> None:
    code = "import sys, ecoplan; print('pydantic' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
