"""The value parser reads every form the documents and the contract use, once, into typed values."""

from __future__ import annotations

import pytest

from ecoplan.normalize import name_key
from ecoplan.workbook.reported import agree
from ecoplan.workbook.values import (
    Bound,
    Expectation,
    FreeText,
    Measures,
    NotApplicable,
    NotAssessed,
    Number,
    TaskNotIssued,
    TrendClaim,
    WaterClass,
    Words,
    parse_task,
    parse_value,
)


@pytest.mark.parametrize("cell, value", [
    (96.4, 96.4), ("96.4", 96.4), ("87.9%", 87.9), ("８７．９％", 87.9), ("12,666", 12666), ("321 天", 321),
    ("37.68 ^[2]", 37.68), ("15.26*", 15.26), ("0.030", 0.03), ("-1.5", -1.5),
])
def test_numbers(cell: object, value: float) -> None:
    parsed = parse_value(cell).value
    assert isinstance(parsed, Number) and parsed.value == pytest.approx(value)


@pytest.mark.parametrize("cell, op, bound", [("≥25", ">=", 25), (">-1 ^[1]", ">", -1), ("≥ 30", ">=", 30),
                                             ("$\\geq 72.8\\%$", ">=", 72.8), ("98%以上", ">=", 98),
                                             ("不低于15.4%", ">=", 15.4), ("≤40", "<=", 40), ("＜75000", "<", 75000)])
def test_bounds(cell: str, op: str, bound: float) -> None:
    parsed = parse_value(cell).value
    assert isinstance(parsed, Bound) and (parsed.interval.op, parsed.interval.bound) == (op, bound)


def test_task_and_actual_with_a_named_measure() -> None:
    parsed = parse_value("上级规定的考核任务：325 天 当年指标值：321 天，优良天数比率：87.9%")
    assert parsed.value == Number(321, unit="天")
    assert parsed.task is not None and parsed.task.number == 325 and parsed.task.unit == "天"
    assert parsed.measures is not None and parsed.measures.get("优良天数比率").value == 87.9


def test_plan_period_task_and_running_change() -> None:
    parsed = parse_value("上级规定的考核任务：“十四五”渝北区能耗强度下降14% 当年指标值：比2020年下降10.8%")
    assert parsed.task.number == 14 and parsed.task.period == (2021, 2025)
    assert parsed.value.value == 10.8 and parsed.value.since == 2020


def test_a_task_in_words_keeps_no_number() -> None:
    parsed = parse_value("上级规定的考核任务：3个国考断面，长江沙溪镇达到Ⅱ类，御临河御临镇、东河入御临河口达到Ⅲ类。当年指标值：100")
    assert parsed.task.number is None and parsed.value.value == 100


@pytest.mark.parametrize("cell, kind", [
    ("不涉及", NotApplicable), ("无黑臭水体", NotApplicable), ("/", NotApplicable), ("未考核(15.2)", NotAssessed),
    ("未进行考核统计", NotAssessed), ("十四五期间，未逐年下达(1.9)", TaskNotIssued), ("上级规定的考核任务：未下达", TaskNotIssued),
    ("持续提高 ^[3]", TrendClaim), ("保持稳定(96.4)", TrendClaim), ("数据暂未公布,预计将≥60", Expectation),
    ("建立", Words), ("生态功能不降低、性质不改变", Words), ("II", WaterClass), ("劣V类", WaterClass),
    ("案件线索启动率：100% 案件结案率：87.5%", Measures), ("2类区: 100% 4a类区: 0", Measures),
    ("NaN", FreeText), ("inf", FreeText), ("abc", FreeText),
])
def test_forms(cell: str, kind: type) -> None:
    assert isinstance(parse_value(cell).value, kind)


def test_markers_keep_their_number() -> None:
    assert parse_value("未考核(15.2)").value.number == 15.2
    assert parse_value("保持稳定(96.4)").value.number == 96.4
    assert parse_value("14.8(2019年)").value.year == 2019


def test_water_class_spellings() -> None:
    assert {parse_value(c).value.rank for c in ("Ⅲ", "III", "Ⅲ类", "三类", "III类水")} == {3}


def test_blank_is_missing_not_zero() -> None:
    assert parse_value(None).value is None and parse_value("  ").value is None


def test_task_column_forms() -> None:
    assert parse_task("未下达").not_issued
    assert parse_task("325天").number == 325
    assert parse_task("≤40").op == "<="


def test_names_match_across_spellings() -> None:
    assert name_key("PM _{2.5} 浓度") == name_key("PM2.5浓度") == name_key("ＰＭ２．５ 浓度")
    assert name_key("森林覆盖率*") == name_key("森林覆盖率 ^[2]") == name_key("森林覆盖率")
    assert name_key("近岸海域水质优良（一、二类）比例") == name_key("近岸海域水质优良(一、二类)比例")


def test_names_match_with_the_tables_numbering_and_qizhong() -> None:
    assert name_key("1．森林增长") == name_key("森林增长")
    assert name_key("其中:嘉陵江") == name_key("嘉陵江")
    assert name_key("（2）PM2.5浓度") == name_key("PM2.5浓度")
    assert name_key("2类区") != name_key("类区")  # a number that is part of the name stays


def test_every_name_the_seed_tables_print_finds_its_indicator() -> None:
    """Names exactly as the transcription in ../shared/reference gives them match a leaf or a composite."""
    import yaml

    from conftest import shared_file
    from ecoplan.rules.loader import load_pack
    from ecoplan.workbook.match import _pack_index

    source = shared_file("reference", "seed-indicators.yaml")
    packs = {"000-T4": "national-demo-county-2024", "000-T1": "national-demo-2019", "001-C2": "chongqing-14th-fyp",
             "001-C1": "chongqing-13th-fyp", "003-C2": "shapingba-14th-fyp", "003-C1": "shapingba-13th-fyp",
             "004-C1": "gaoxin-14th-fyp"}
    rows = yaml.safe_load(source.read_text(encoding="utf-8"))["indicators"]
    for prefix, pack_id in packs.items():
        index = _pack_index(load_pack(pack_id))
        for row in rows:
            if row["id"].startswith(prefix + "-"):
                key = name_key(row.get("sub_item") or row["name"])
                assert key in index.by_name or key in index.composites, (pack_id, row["id"], row["name"])


@pytest.mark.parametrize("a, task_a, b, task_b, same", [
    ("上级规定的考核任务：325 天 当年指标值：321 天，优良天数比率：87.9%", "", "321天", "325天", True),
    ("87.9", "", "87.9%", "", True),  # a number without a unit is in the indicator's unit
    ("0.87%", "较2020年下降2%", "0.87%", "2%", True),  # a base year only one of them gives
    ("0.87%", "较2020年下降2%", "0.87%", "较2021年下降2%", False),
    ("321天", "325天", "321天", "327天", False),
    ("321天", "", "320天", "", False),
    ("案件线索启动率：100% 案件结案率：87.5%", "", "案件结案率：87.5%", "", True),
    ("案件线索启动率：100% 案件结案率：87.5%", "", "案件结案率：88%", "", False),
    ("建立", "", "建立", "", True),
    ("建立", "", "未建立", "", False),
])
def test_two_reports_agree_when_no_fact_both_state_differs(a: str, task_a: str, b: str, task_b: str,
                                                           same: bool) -> None:
    from ecoplan.workbook.district import make_row

    rows = [make_row("x", None, 2022, value, task, "A1", None, None, None, []) for value, task in ((a, task_a),
                                                                                                (b, task_b))]
    assert agree(rows[0].reported, rows[1].reported) is same
    assert agree(rows[1].reported, rows[0].reported) is same


@pytest.mark.parametrize("cell", ["-", "－", "--", "—", "——", "－－", "未统计", "无数据", "暂无数据"])
def test_a_dash_or_no_data_word_is_no_value(cell: str) -> None:
    """Statistical tables print a dash for "no figure": it is 缺数据, never 未考核 (which a pack may count as met)."""
    parsed = parse_value(cell)
    assert parsed.value is None and parsed.task is None and parsed.raw == cell


@pytest.mark.parametrize("cell, shown", [("≧25", "≥25"), ("≦25", "≤25"), ("＞＝72.8", "≥72.8"), (">−1", ">-1"),
                                         ("−1.5", "-1.5")])
def test_signs_people_type_read_as_the_bound_they_mean(cell: str, shown: str) -> None:
    """≧/≦ (JIS forms) and the minus sign U+2212 (what word processors, and ecoplan's gaps, print)."""
    assert str(parse_value(cell).value) == shown


@pytest.mark.parametrize("cell, year", [("2023", 2023), ("2023年", 2023), ("2023年度", 2023), (2023.0, 2023),
                                        ("2023年初", None)])
def test_a_year_as_people_write_it(cell: object, year: int | None) -> None:
    from ecoplan.workbook.profile import parse_year

    assert parse_year(cell) == year


# ------------------------------------------------------------------------ work bounded by the input's size
def test_every_text_parser_does_linear_work_on_1_mb() -> None:
    """Every parser of cell and rule text, fed 1 MB texts shaped to make a backtracking pattern slow, stays within
    a budget of passes over the text (tests/text_budget.py): no pattern is quadratic (a quadratic one would need
    ~500,000 passes, and the child is stopped long before)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).with_name("text_budget.py")
    sys.path.insert(0, str(script.parent))
    from text_budget import BUDGET, PARSERS, SHAPES

    try:
        proc = subprocess.run([sys.executable, str(script), str(2**20)], capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        started = [json.loads(line) for line in lines.splitlines() if '"start"' in line]
        pytest.fail(f"a parser did not finish on 1 MB: {started[-1] if started else 'the first'}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    runs = [json.loads(line) for line in proc.stdout.splitlines() if '"passes"' in line]
    assert len(runs) == len(PARSERS) * len(SHAPES)  # every parser, every shape
    over = [(r["parser"], r["shape"], round(r["passes"])) for r in runs if r["passes"] > BUDGET]
    assert over == [], over

