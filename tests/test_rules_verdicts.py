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


def _provisional(printed: Any, reported: Any, earlier: dict[int, Any] | None = None,
                 profile: dict[str, str] | None = None) -> Any:
    """`printed` (a threshold such as "≤4628", or a criterion; provisional, 以最终市级下达为准) decided on 2023's
    `reported` for an indicator in 万立方米, lower is better, with `earlier` years' values."""
    from ecoplan.evaluate.provisional import decide_provisional
    from ecoplan.rules.criteria import Threshold
    from ecoplan.rules.criteria.context import Context
    from ecoplan.rules.defaults import Defaults
    from ecoplan.workbook.values import parse_value

    history = {year: parse_value(v) for year, v in (earlier or {}).items()}
    ctx = Context(year=2023, name="用水总量", unit="万立方米", direction="lower", defaults=Defaults(),
                  history={**history, 2023: reported}, profile=profile or {})
    if isinstance(printed, str):
        printed = Threshold(op={"≤": "<=", "<": "<"}[printed[0]], value=float(printed[1:]))
    return decide_provisional(printed, ctx, "以最终市级下达为准")


def test_an_issued_figure_replaces_only_the_printed_number() -> None:
    """≤4628或持续下降 with an issued 4640: the issued figure replaces 4628 and 持续下降 still counts — 4650, down from
    4700, is met; a criterion with no single printed number is judged against the task alone."""
    from ecoplan.rules.criteria import AnyOf, Threshold, Trend
    from ecoplan.workbook.values import parse_value

    either = AnyOf(of=[Threshold(op="<=", value=4628), Trend(want="down")])
    cell = parse_value("上级规定的考核任务：4640 当年指标值：4650")
    got = _provisional(either, cell, {2022: 4700})
    assert got.status == "met" and "市级下达 4640（替代规划值 4628）" in got.reason
    assert _provisional(either, cell, {2022: 4600}).status == "not_met"
    two = AnyOf(of=[Threshold(op="<=", value=4628), Threshold(op="<=", value=5000)])
    alone = _provisional(two, cell, {2022: 4700})
    assert alone.status == "not_met" and "对任务 4640" in alone.reason  # the task decides, not ≤5000


def test_a_task_not_issued_never_replaces_the_printed_target() -> None:
    """A task marked 未下达 leaves the printed target in force, whatever figure it carries."""
    from ecoplan.workbook.values import Number, Reported, Task

    not_issued = Reported(raw="4640", value=Number(4640), task=Task(text="未下达(4700)", number=4700,
                                                                      not_issued=True))
    got = _provisional("≤4628", not_issued)
    assert got.status == "not_met" and "规划值 4628" in got.reason and "4700" not in got.reason


def test_a_task_in_words_never_replaces_the_printed_target() -> None:
    """An issued task without a figure (完成市级下达目标) cannot replace the printed number: the printed target
    decides, and says it is provisional."""
    from ecoplan.workbook.values import parse_value

    got = _provisional("≤4628", parse_value("上级规定的考核任务：完成市级下达目标 当年指标值：4600"))
    assert got.status == "met" and "（规划值 4628，以最终市级下达为准）" in got.reason


def test_an_issued_figure_replaces_the_number_of_the_profiles_case() -> None:
    """A profile-dependent target: the issued figure replaces the number of the case that applies to the district."""
    from ecoplan.rules.criteria import ByProfile, ProfileCase, Threshold
    from ecoplan.workbook.values import parse_value

    by_region = ByProfile(cases=[ProfileCase(when={"region": ["西部"]}, criterion=Threshold(op="<=", value=4628))],
                          otherwise=Threshold(op="<=", value=5000))
    cell = parse_value("上级规定的考核任务：4640 当年指标值：4635")
    west = _provisional(by_region, cell, profile={"region": "西部"})
    assert west.status == "met" and "（替代规划值 4628）" in west.reason
    east = _provisional(by_region, cell, profile={"region": "东部"})
    assert east.status == "met" and "（替代规划值 5000）" in east.reason


def test_an_issued_figure_replaces_a_period_total_or_an_approximate_target() -> None:
    """[10] over 2021–2025 with an issued 5: 2023 needs 3 (pro-rata 3/5), so 3 is met; an issued >5 keeps its
    strict operator (3 is not > 3); a task without an operator keeps the printed one. 57左右 (±1) with an issued 60:
    59.5 is within it."""
    from ecoplan.rules.criteria import Approximate, Cumulative
    from ecoplan.workbook.values import parse_value

    total = Cumulative(total=10, period=(2021, 2025), op=">=")
    issued = _provisional(total, parse_value("上级规定的考核任务：5 当年指标值：3"))
    assert issued.status == "met" and "（替代规划值 10）" in issued.reason
    assert _provisional(total, parse_value("上级规定的考核任务：>5 当年指标值：3")).status == "not_met"
    assert _provisional(total, parse_value("3")).status == "not_met"  # the printed 10: 6 needed
    about = Approximate(target=57, tolerance=1)
    near = _provisional(about, parse_value("上级规定的考核任务：60 当年指标值：59.5"))
    assert near.status == "met" and "（替代规划值 57）" in near.reason
    assert _provisional(about, parse_value("59.5")).status == "not_met"  # lower is better: above 57±1


def test_an_issued_tasks_operator_replaces_the_printed_one() -> None:
    """An issued task <4640 replaces both the printed figure and its ≤: 4640 misses it."""
    from ecoplan.workbook.values import parse_value

    got = _provisional("≤4628", parse_value("上级规定的考核任务：<4640 当年指标值：4640"))
    assert got.status == "not_met" and "市级下达 4640（替代规划值 4628）" in got.reason
    assert _provisional("≤4628", parse_value("上级规定的考核任务：4640 当年指标值：4640")).status == "met"


def test_an_inferred_target_is_named_in_the_reason(tmp_path: Path) -> None:
    got = results(tmp_path, [("6", 2023, 47.1, None)])["6"]
    assert got.status == "met"
    assert "推定：46%为全市平均水平" in got.reason


# -- item 3: units are never dropped --------------------------------------------------------------------------------
def test_a_task_in_days_for_a_rate_is_not_read_as_percent(tmp_path: Path) -> None:
    got = results(tmp_path, [("1", 2023, 90.4, "327天")])["1"]
    assert got.status == "review"
    assert "327%" not in got.reason and "单位不同" in got.reason
    assert got.gap is None  # 待核实 has no gap: never −236.6 (90.4 − 327)
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
    from ecoplan.rules.criteria import Threshold
    from ecoplan.rules.criteria.context import Context
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
    from ecoplan.rules.criteria import Trend
    from ecoplan.rules.criteria.context import Context
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


# -- the counts -------------------------------------------------------------------------------------------------------
def test_counts_are_over_top_level_results_and_add_not_applicable_to_met_only_by_convention() -> None:
    """不涉及 is counted on its own and, where the pack says so (as the documents do), with 达标 too; 约束性 unmet
    indicators are counted apart; every status lands in exactly one count."""
    from ecoplan.report.assessment import Summary

    def result(status: str, attribute: str = "expected") -> Result:
        return Result(id=status, name=status, attribute=attribute, status=status, value=None, target="",  # type: ignore[arg-type]
                      gap=None, reason="")

    results = [result("met"), result("met"), result("not_applicable"), result("not_met", "constraint"),
               result("not_met"), result("missing"), result("review"), result("review")]
    counted = Summary.count(results, True)
    assert (counted.total, counted.met, counted.not_applicable, counted.not_met, counted.constraint_not_met,
            counted.missing, counted.review) == (8, 3, 1, 2, 1, 1, 2)
    apart = Summary.count(results, False)
    assert (apart.met, apart.not_applicable, apart.not_applicable_counts_as_met) == (2, 1, False)


def test_a_composite_points_at_its_first_item_of_its_own_status() -> None:
    """A composite unmet (or undecided) takes the cell of its first item with that status — the cell a reader must
    look at — and a met composite points nowhere. 渝北 2023: 6 城乡环境治理 fails on 6.5, not on 6.1."""
    from conftest import DATA

    outcome = evaluate_file(DATA / "yubei-2023.xlsx")
    assert outcome.assessment is not None
    composites = [r for r in outcome.assessment.results if r.items]
    assert {r.status for r in composites} >= {"met", "not_met"}
    for top in composites:
        same = [i for i in top.items if i.status == top.status]
        assert top.cell == (same[0].cell if top.status != "met" else None), top.id
    six = next(r for r in composites if r.id == "6")
    assert six.items[0].status == "met" and six.cell is not None and six.cell != six.items[0].cell


def test_a_composite_states_its_own_target_else_every_item_met() -> None:
    """环境空气质量 (优良天数比率 + PM2.5浓度) prints no target of its own: its target reads 各分项均达标; where the
    pack gives a composite its words, the report shows those words."""
    from dataclasses import replace

    from conftest import DATA
    from ecoplan.evaluate.evaluator import assess

    outcome = evaluate_file(DATA / "yubei-2023.xlsx")
    assert outcome.assessment and outcome.pack and outcome.district and outcome.district.profile and outcome.matched
    assert {r.id: r.target for r in outcome.assessment.results}["4"] == "各分项均达标"
    pack = outcome.pack
    worded = replace(pack, indicators=[replace(i, text="两项均完成市级下达任务") if i.id == "4" else i
                                       for i in pack.indicators])
    got = assess(worded, outcome.district.profile, outcome.matched.values, 2023)
    assert {r.id: r.target for r in got.results}["4"] == "两项均完成市级下达任务"


def test_a_doubtful_value_is_reviewed_without_progress_resting_on_it() -> None:
    """A leaf whose cell is in error (`doubtful`) is 待核实 for that reason and shows no progress toward 2025/2030
    (it would rest on the value in doubt); its sibling keeps its verdict and its progress."""
    from conftest import DATA
    from ecoplan.evaluate.evaluator import assess

    outcome = evaluate_file(DATA / "yubei-2023.xlsx")
    assert outcome.assessment and outcome.pack and outcome.district and outcome.district.profile and outcome.matched
    args = (outcome.pack, outcome.district.profile, outcome.matched.values, 2023)
    plain = {r.id: r for _, r in assess(*args).rows()}
    doubted = {r.id: r for _, r in assess(*args, doubtful={"4.1": "指标数据!D10 无法读取"}).rows()}
    assert plain["4.1"].progress and doubted["4.1"].progress is None
    assert doubted["4.1"].status == "review" and doubted["4.1"].reason == "指标数据!D10 无法读取"
    assert doubted["4.2"].progress == plain["4.2"].progress and doubted["4.2"].status == plain["4.2"].status


@pytest.mark.parametrize("cell, shown", [
    (37.5, 37.5), ("37.5%", 37.5), ("37.69【2】", "37.69【2】"), ("[37.5]", "[37.5]"),
    ("37.5（2022年）", "37.5（2022年）"), ("比2020年下降16.4%", "比2020年下降16.4%"),
    ("上级规定的考核任务：33 当年指标值：34.1", "上级规定的考核任务：33 当年指标值：34.1")])
def test_a_value_is_shown_as_a_number_only_when_it_is_a_plain_figure(tmp_path: Path, cell: Any, shown: Any) -> None:
    """The reports show the number alone only for a plain figure in the indicator's unit; a footnote, a period total,
    another year's figure, a change since a base year or a value beside its task is shown as written (the number
    alone would say less)."""
    assert results(tmp_path, [("6", 2023, cell, None)])["6"].value == shown


def test_a_row_without_a_value_is_missing_for_the_year(tmp_path: Path) -> None:
    """A row for the year with its value and task blank is 缺数据 for that year, before any criterion is asked."""
    got = results(tmp_path, [("6", 2023, None, None)])["6"]
    assert (got.status, got.reason) == ("missing", "无2023年数据")


def test_a_figure_in_another_unit_is_shown_as_written(tmp_path: Path) -> None:
    """326天 for 优良天数比率 (a rate in %) is shown as 326天, never as the bare 326 that would read as 326 %."""
    assert results(tmp_path, [("1", 2023, "326天", None)])["1"].value == "326天"
