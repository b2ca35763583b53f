"""Issue 13 items 1–5, end to end: a small pack and a workbook written here from the contract (DESIGN.md: sheets
区县信息 and 指标数据), assessed as a user's file is. Each test is one general rule, not one shipped workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ecoplan.report.assessment import Result
from ecoplan.run.pipeline import evaluate_file

PACK_HEAD = """\
id: test-verdicts
title: 测试指标体系
defaults:
  when_history_missing: {history}
  when_task_not_issued: met
  when_expected: {expected}
indicators:
"""

INDICATORS = """\
  - id: "1"
    name: 优良天数比率
    attribute: 约束性
    unit: "%"
    direction: higher
    days_share: {days_share}
    criterion:
      all_of:
        - {{kind: superior_task}}
        - any_of: ["≥90", 持续提高]
  - id: "2"
    name: 危险废物填埋处置量占比
    attribute: 预期性
    unit: "%"
    direction: lower
    criterion: 持续下降
  - id: "3"
    name: 单位地区生产总值能耗降低率
    attribute: 约束性
    unit: "%"
    direction: higher
    criterion: {{kind: trend, want: stable_or_better, across_bases: {across}}}
  - id: "4"
    name: 建设用地使用面积下降率
    attribute: 参考性
    unit: "%"
    direction: higher
    criterion: "≥4.5"
  - id: "5"
    name: 用水总量
    attribute: 约束性
    unit: 万立方米
    direction: lower
    provisional: 以最终市级下达为准
    criterion: "≤4628"
  - id: "6"
    name: 森林覆盖率
    attribute: 预期性
    unit: "%"
    direction: higher
    inferred: 46%为全市平均水平，规划未列区级目标
    criterion: "≥46"
  - id: "7"
    name: 生态保护红线
    attribute: 约束性
    unit: "—"
    direction: none
    text: 面积不减少,性质不改变,功能不降低
    criterion: {{kind: state, required: [性质不改变, 功能不降低]}}
  - id: "8"
    name: 水环境质量
    attribute: 约束性
    unit: "%"
    direction: higher
    criterion:
      all_of:
        - {{kind: superior_task}}
        - 保持稳定或持续改善
"""

PROFILE = [("区县名称", "测试区"), ("行政区划代码", "500999"), ("评估年度", 2023), ("指标体系", "test-verdicts"),
           ("地区类型", "西部")]
HEADER = ["指标编号", "指标名称", "年度", "指标值", "上级任务", "单位"]


def write_pack(tmp_path: Path, *, history: str = "review", expected: str = "review", days_share: bool = False,
               across: str = "undecidable") -> Path:
    # One file per set of defaults: a pack read once is kept for the process (keyed on its path).
    folder = tmp_path / f"{history}-{expected}-{days_share}-{across}"
    folder.mkdir(exist_ok=True)
    path = folder / "test-verdicts.yaml"
    body = INDICATORS.format(days_share=str(days_share).lower(), across=across)
    path.write_text(PACK_HEAD.format(history=history, expected=expected) + body, encoding="utf-8")
    return path


def write_workbook(tmp_path: Path, rows: list[tuple[str, int, Any, Any]], year: int = 2023,
                   units: dict[str, str] | None = None) -> Path:
    """A workbook as the contract describes it: (指标编号, 年度, 指标值, 上级任务) rows; `units`: 单位 by 指标编号."""
    from openpyxl import Workbook

    names = {"1": "优良天数比率", "2": "危险废物填埋处置量占比", "3": "单位地区生产总值能耗降低率",
             "4": "建设用地使用面积下降率", "5": "用水总量", "6": "森林覆盖率", "7": "生态保护红线", "8": "水环境质量"}
    book = Workbook()
    info = book.active
    info.title = "区县信息"
    info.append(["项目", "内容"])
    for key, value in PROFILE:
        info.append([key, year if key == "评估年度" else value])
    data = book.create_sheet("指标数据")
    data.append(HEADER)
    for ident, row_year, value, task in rows:
        data.append([ident, names[ident], row_year, value, task, (units or {}).get(ident)])
    path = tmp_path / "district.xlsx"
    book.save(path)
    return path


def results(tmp_path: Path, rows: list[tuple[str, int, Any, Any]], strict: bool = False,
            **pack: Any) -> dict[str, Result]:
    outcome = evaluate_file(write_workbook(tmp_path, rows), str(write_pack(tmp_path, **pack)), strict=strict)
    assert outcome.assessment is not None, [str(p) for p in outcome.problems]
    return {r.id: r for _, r in outcome.assessment.rows()}


# -- item 1: trends compare like with like --------------------------------------------------------------------------
def test_previous_means_the_year_before_only(tmp_path: Path) -> None:
    # 2022 says only 未下达: the trend is undecidable, never a silent reach back to 2021's 60 %.
    rows = [("2", 2021, 0.5, None), ("2", 2022, "未下达", None), ("2", 2023, 0.9, None)]
    got = results(tmp_path, rows)["2"]
    assert got.status == "review"
    assert "2022年" in got.reason and "2021" not in got.reason
    assert results(tmp_path, rows, history="met")["2"].status == "met"


def test_a_missing_previous_row_is_undecidable_too(tmp_path: Path) -> None:
    got = results(tmp_path, [("2", 2021, 0.5, None), ("2", 2023, 0.9, None)])["2"]
    assert got.status == "review"
    assert "缺少2022年数据" in got.reason


def test_changes_with_different_bases_are_not_one_series(tmp_path: Path) -> None:
    rows = [("3", 2022, "比2015年下降16.7%", None), ("3", 2023, "比2022年下降4.67%", None)]
    got = results(tmp_path, rows)["3"]
    assert got.status == "review"  # not "worse than 16.7"
    assert "基年不同" in got.reason
    # A plan-period total carries its base too: “十四五”累计 is since 2020.
    same = [("3", 2022, "比2020年下降4.67%", None), ("3", 2023, "“十四五”累计下降10.8%", None)]
    assert results(tmp_path, same)["3"].status == "met"


def test_the_pack_can_say_how_changes_over_different_bases_compare(tmp_path: Path) -> None:
    rows = [("3", 2022, "比2015年下降16.7%", None), ("3", 2023, "比2022年下降4.67%", None)]
    got = results(tmp_path, rows, across="change_since_base")["3"]
    assert got.status == "met"
    assert "2022年以来的变化" in got.reason
    rising = [("3", 2022, "比2015年下降16.7%", None), ("3", 2023, "比2022年下降-1.2%", None)]
    assert results(tmp_path, rising, across="change_since_base")["3"].status == "not_met"


@pytest.mark.parametrize("strict", [False, True])
def test_a_value_at_its_best_bound_needs_no_history(tmp_path: Path, strict: bool) -> None:
    got = results(tmp_path, [("2", 2023, 0, None)], strict=strict)["2"]
    assert got.status == "met"
    assert "最优值" in got.reason
    # 100 % under 保持稳定: met without an earlier year (the task part is met on its own figure).
    full = results(tmp_path, [("8", 2023, "上级规定的考核任务：100% 当年指标值：100%", None)], strict=strict)["8"]
    assert full.status == "met"


# -- item 2: provisional and inferred targets -----------------------------------------------------------------------
def test_an_issued_figure_replaces_a_provisional_target(tmp_path: Path) -> None:
    got = results(tmp_path, [("5", 2023, 4640, 4630)])["5"]
    assert got.status == "not_met"  # 4640 misses the issued ≤4630
    assert "市级下达 4630（替代规划值 4628）" in got.reason
    eased = results(tmp_path, [("5", 2023, 4640, 4650)])["5"]
    assert eased.status == "met"  # the printed 4628 would fail it
    assert "替代规划值 4628" in eased.reason


def test_without_an_issued_figure_the_printed_target_decides_and_says_so(tmp_path: Path) -> None:
    got = results(tmp_path, [("5", 2023, 4600, None)])["5"]
    assert got.status == "met"
    assert "规划值 4628，以最终市级下达为准" in got.reason


def test_an_inferred_target_is_named_in_the_reason(tmp_path: Path) -> None:
    got = results(tmp_path, [("6", 2023, 47.1, None)])["6"]
    assert got.status == "met"
    assert "推定：46%为全市平均水平" in got.reason


# -- item 3: units are never dropped --------------------------------------------------------------------------------
def test_a_task_in_days_for_a_rate_is_not_read_as_percent(tmp_path: Path) -> None:
    got = results(tmp_path, [("1", 2023, 90.4, "327天")])["1"]
    assert got.status == "review"
    assert "327%" not in got.reason and "单位不同" in got.reason
    assert got.gap is None or got.gap > -10  # never −236.6
    bare = results(tmp_path, [("1", 2023, 90.4, 327)])["1"]  # the template's "如 327" without its unit
    assert bare.status == "review"


def test_a_stated_relation_converts_days_and_says_so(tmp_path: Path) -> None:
    got = results(tmp_path, [("1", 2022, 88.0, None), ("1", 2023, 90.4, "327天")], days_share=True)["1"]
    assert got.status == "met"  # 327 / 365 = 89.59 % ≤ 90.4 %
    assert "按全年365天折合为 89.59%" in got.reason
    short = results(tmp_path, [("1", 2022, 91.0, None), ("1", 2023, 88.5, "327天")], days_share=True)["1"]
    assert short.status == "not_met"
    assert short.gap == -1.09  # 88.5 against the task as the reason prints it (89.59 %), not −1.089041


# -- item 4: the gap is the failing clause's shortfall, in its unit --------------------------------------------------
def test_the_gap_is_the_task_shortfall_in_days(tmp_path: Path) -> None:
    cell = "上级规定的考核任务：325 天 当年指标值：321 天，优良天数比率：87.9%"
    rows = [("1", 2022, 85.0, None), ("1", 2023, cell, None)]
    got = results(tmp_path, rows)["1"]
    assert got.status == "not_met"
    assert got.gap == pytest.approx(-4)
    assert got.gap_unit == "天"


def test_the_gap_of_a_failed_threshold_is_against_the_threshold(tmp_path: Path) -> None:
    # Task met; ≥90 fails by 2.1 and 持续提高 fails too: the gap is −2.1 %, not the change from last year.
    rows = [("1", 2022, 93.6, None), ("1", 2023, "上级规定的考核任务：85% 当年指标值：87.9%", None)]
    got = results(tmp_path, rows)["1"]
    assert got.status == "not_met"
    assert got.gap == pytest.approx(-2.1)
    assert got.gap_unit is None


# -- item 5: reading order and reasons -------------------------------------------------------------------------------
def test_an_expectation_is_read_before_a_missing_task(tmp_path: Path) -> None:
    value = "自2022年起，全市未下达该指标考核任务，目前该指标无统计数据，但预计该指标仍能达标"
    got = results(tmp_path, [("4", 2023, value, None)])["4"]
    assert got.status == "review"  # when_expected: review, although when_task_not_issued is met
    assert "预计" in got.reason and "未下达考核任务" not in got.reason
    assert results(tmp_path, [("4", 2023, value, None)], expected="met")["4"].status == "met"


def test_a_clause_reported_only_in_part_is_named(tmp_path: Path) -> None:
    got = results(tmp_path, [("7", 2023, "性质不改变,功能不降低", None)])["7"]
    assert got.status == "met"
    assert "面积不减少" in got.reason
    whole = results(tmp_path, [("7", 2023, "面积不减少,性质不改变,功能不降低", None)])["7"]
    assert "未纳入判定" not in whole.reason


def test_no_reason_is_printed_twice(tmp_path: Path) -> None:
    got = results(tmp_path, [("8", 2023, "完成上级规定的考核任务；保持稳定或持续改善", None)], strict=True)["8"]
    assert got.status == "review"
    parts = got.reason.split("；")
    assert len(parts) == len(set(parts)), got.reason


def test_a_unit_mismatch_is_an_error_at_its_cell(tmp_path: Path) -> None:
    from ecoplan.evaluate.evaluator import unit_problems
    from ecoplan.rules.loader import load_pack
    from ecoplan.workbook.district import load_district
    from ecoplan.workbook.match import match
    from ecoplan.workbook.reader import read_workbook

    rows = [("1", 2023, 90.4, "327天"), ("5", 2023, 4600, 4650)]
    district = load_district(read_workbook(write_workbook(tmp_path, rows)))
    assert district.profile is not None
    # The task is what to correct (the pack relates no days to %): the problem is at the 上级任务 cell, E2.
    for days_share, expected in ((False, [("unit-mismatch", "error", "指标数据!E2")]), (True, [])):
        pack = load_pack(str(write_pack(tmp_path, days_share=days_share)))
        problems = unit_problems(pack, district.profile, match(district, pack).values, 2023)
        assert [(p.code, p.severity, p.cell) for p in problems] == expected
        assert all("327天" in p.message for p in problems)


def test_a_bare_task_is_named_at_its_cell_as_typed(tmp_path: Path) -> None:
    """A task "327" (no unit) for a rate in %: the problem is at the task's cell and shows no "%" never typed."""
    from ecoplan.evaluate.evaluator import unit_problems
    from ecoplan.rules.loader import load_pack
    from ecoplan.workbook.district import load_district
    from ecoplan.workbook.match import match
    from ecoplan.workbook.reader import read_workbook

    district = load_district(read_workbook(write_workbook(tmp_path, [("1", 2023, 90.4, 327)])))
    assert district.profile is not None
    for days_share in (False, True):
        pack = load_pack(str(write_pack(tmp_path, days_share=days_share)))
        problems = unit_problems(pack, district.profile, match(district, pack).values, 2023)
        assert [(p.code, p.cell) for p in problems] == [("unit-mismatch", "指标数据!E2")]
        assert "对任务 327：" in problems[0].message and "327%" not in problems[0].message
        # A pack that converts days only lacks the task's unit; one that does not must say how to convert.
        assert ("规定两种单位的换算" in problems[0].message) != days_share


def test_a_value_in_days_meets_a_rate_threshold_only_through_the_stated_relation() -> None:
    from ecoplan.evaluate.context import Context
    from ecoplan.rules.criteria import Threshold
    from ecoplan.rules.defaults import Defaults
    from ecoplan.workbook.values import parse_value

    def decide(days_share: bool, year: int = 2023) -> Any:
        ctx = Context(year=year, name="优良天数比率", unit="%", direction="higher", defaults=Defaults(),
                      history={year: parse_value("330天")}, days_share=days_share)
        return Threshold(op=">=", value=90).decide(ctx)

    assert decide(False).status == "review"  # 330 天 is no percentage
    converted = decide(True)
    assert converted.status == "met" and "按全年365天折合" in converted.reason  # 330 / 365 = 90.41 %
    assert decide(True, year=2024).status == "met"  # 330 / 366 = 90.16 %
    assert decide(True, year=2024).gap == pytest.approx(330 / 366 * 100 - 90)


def test_a_value_in_days_is_judged_by_a_trend_through_the_same_relation() -> None:
    """持续提高 of 优良天数比率 in %: 325 天 in 2023 (89.04 %) against 87.9 % in 2022 is an improvement, as 89.04 % is;
    a 2020 count is converted with 2020's 366 days."""
    from ecoplan.evaluate.context import Context
    from ecoplan.rules.criteria import Trend
    from ecoplan.rules.defaults import Defaults
    from ecoplan.workbook.values import parse_value

    def decide(days_share: bool, history: dict[int, str], year: int = 2023) -> Any:
        ctx = Context(year=year, name="优良天数比率", unit="%", direction="higher", defaults=Defaults(),
                      history={y: parse_value(v) for y, v in history.items()}, days_share=days_share)
        return Trend(want="up").decide(ctx)

    assert decide(False, {2022: "87.9%", 2023: "325天"}).status == "review"  # days are no percentage
    converted = decide(True, {2022: "87.9%", 2023: "325天"})
    assert converted.status == "met", converted.reason
    assert "325天（按全年365天折合为 89.04%）（2022年 87.9%）" in converted.reason
    assert decide(True, {2022: "90%", 2023: "325天"}).status == "not_met"  # 89.04 % is below 90 %
    # 2020 had 366 days: 330 天 is 90.16 %, so 90.2 % in 2021 is an improvement, not a fall.
    assert decide(True, {2020: "330天", 2021: "90.2%"}, year=2021).status == "met"


def test_a_unit_column_in_days_is_read_through_days_share(tmp_path: Path) -> None:
    """单位 天 beside a bare 330 for 优良天数比率 (in %): 330 天, never 330 %, converted where the pack says how, and
    a unit-mismatch error where it does not."""
    workbook = write_workbook(tmp_path, [("1", 2023, 330, "327天")], units={"1": "天"})
    outcome = evaluate_file(workbook, str(write_pack(tmp_path, days_share=True)))
    assert outcome.assessment is not None, [str(p) for p in outcome.problems]
    got = {r.id: r for _, r in outcome.assessment.rows()}["1"]
    assert got.status == "met", got.reason  # 330 天 ≥ 327 天, and 330 / 365 = 90.41 % ≥ 90
    assert "330天 对任务 327天：完成" in got.reason and "330天（按全年365天折合为 90.41%）" in got.reason
    refused = evaluate_file(workbook, str(write_pack(tmp_path, days_share=False)))
    assert [(p.code, p.cell) for p in refused.errors if p.code == "unit-mismatch"] == [("unit-mismatch", "指标数据!D2")]
    assert refused.assessment is not None  # the error makes the indicator 待核实, at its cell
    doubted = {r.id: r for _, r in refused.assessment.rows()}["1"]
    assert doubted.status == "review" and "指标数据!D2" in doubted.reason and "单位" in doubted.reason
