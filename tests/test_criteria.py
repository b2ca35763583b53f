"""Each criterion kind at its boundaries, decided against hand-made histories (no workbook, no CLI)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from ecoplan.evaluate.context import Context
from ecoplan.rules.criteria import Criterion
from ecoplan.rules.pack import Defaults
from ecoplan.rules.shorthand import ShorthandError, expand
from ecoplan.workbook.values import parse_value

CRITERION = TypeAdapter(Criterion)


def criterion(raw: Any, direction: str = "higher", plan_period: tuple[int, int] | None = None):
    return CRITERION.validate_python(expand(raw, direction, plan_period))


def decide(raw: Any, values: dict[int, Any], year: int = 2023, direction: str = "higher", unit: str = "%",
           profile: dict[str, str] | None = None, name: str = "指标", **defaults: Any):
    ctx = Context(year=year, name=name, unit=unit, direction=direction, defaults=Defaults(**defaults),
                  history={y: parse_value(v) for y, v in values.items()}, profile=profile or {})
    return criterion(raw, direction).decide(ctx)


# -- threshold -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("rule, value, status", [
    ("≥12", 12, "met"), ("≥12", 11.99, "not_met"), ("≤25", 25, "met"), ("≤25", 25.01, "not_met"),
    (">-1", -1, "not_met"), (">-1", -0.99, "met"), ("<0.040", 0.040, "not_met"), ("<0.040", 0.039, "met"),
    ("≥ 30", 30, "met"), ("25以上", 25, "met"), ("不低于15.4%", 15.3, "not_met"),
])
def test_threshold_boundaries(rule: str, value: float, status: str) -> None:
    direction = "lower" if rule.startswith(("≤", "<")) else "higher"
    assert decide(rule, {2023: value}, direction=direction).status == status


def test_a_bare_100_means_exactly_100() -> None:
    assert decide("100", {2023: 99.73}).status == "not_met"  # 城镇新建绿色建筑比例 2022 in 表4
    assert decide("100", {2023: 100}).status == "met"


def test_a_bare_number_follows_the_direction() -> None:
    assert decide("35", {2023: 34}, direction="lower", unit="μg/m³").status == "met"  # PM2.5 35 = at most
    assert decide("35", {2023: 34}, direction="higher").status == "not_met"  # 95 = at least


def test_gap_is_in_the_unit_and_negative_when_short() -> None:
    assert decide("≥90", {2023: 87.9}).gap == pytest.approx(-2.1)
    assert decide("≤25", {2023: 30.5}, direction="lower").gap == pytest.approx(-5.5)
    assert decide("≤25", {2023: 20}, direction="lower").gap == pytest.approx(5)


def test_a_reported_bound_decides_only_if_it_is_strong_enough() -> None:
    assert decide("≥20", {2023: "≥25"}).status == "met"
    assert decide("≥20", {2023: "≥20"}).status == "met"
    assert decide("≥20", {2023: "≥15"}).status == "review"  # 15..∞ may or may not reach 20
    assert decide("≥20", {2023: "≤15"}).status == "not_met"


def test_named_measures() -> None:
    rule = {"all_of": ["案件线索启动率100", "案件结案率≥75"]}
    assert decide(rule, {2023: "案件线索启动率：100% 案件结案率：87.5%"}).status == "met"
    assert decide(rule, {2023: "案件线索启动率：100% 案件结案率：74.9%"}).status == "not_met"
    assert decide(rule, {2023: "案件线索启动率：99% 案件结案率：90%"}).status == "not_met"


# -- superior task -----------------------------------------------------------------------------------------------
def test_superior_task_boundary_is_inclusive() -> None:
    assert decide("完成上级规定的考核任务", {2022: "上级规定的考核任务：512.23 当年指标值：512.23"}, year=2022,
                  unit="t").status == "met"
    assert decide("完成上级规定的考核任务", {2022: "上级规定的考核任务：34 当年指标值：34.1"}, year=2022,
                  direction="lower").status == "not_met"


def test_superior_task_with_an_operator_in_the_task() -> None:
    assert decide("完成上级的目标任务", {2021: "上级规定的考核任务：≤40 当年指标值：37.12"}, year=2021,
                  direction="lower").status == "met"


def test_a_plan_period_task_is_judged_pro_rata() -> None:
    task = "上级规定的考核任务：“十四五”渝北区能耗强度下降14% 当年指标值：比2020年下降{}%"
    assert decide("完成上级规定的考核任务", {2022: task.format(10.8)}, year=2022).status == "met"  # 14×2/5 = 5.6
    assert decide("完成上级规定的考核任务", {2022: task.format(5.5)}, year=2022).status == "not_met"
    assert decide("完成上级规定的考核任务", {2025: task.format(13.9)}, year=2025).status == "not_met"  # final year


def test_annual_milestones_are_compared_as_given() -> None:
    cell = "上级规定的考核任务：单位地区生产总值用水量较2020年下降2% 当年指标值：0.87%"
    result = decide("完成上级规定的考核任务", {2022: cell}, year=2022)
    assert result.status == "not_met" and result.gap == pytest.approx(-1.13)


@pytest.mark.parametrize("value, setting", [("未考核(15.2)", "when_not_assessed"),
                                            ("十四五期间，未逐年下达(1.9)", "when_task_not_issued"),
                                            (94.6, "when_task_absent"), ("达到市总量控制要求", "when_asserted")])
def test_undecidable_tasks_follow_the_pack_convention(value: Any, setting: str) -> None:
    assert decide("完成上级规定的考核任务", {2023: value}).status == "met"
    assert decide("完成上级规定的考核任务", {2023: value}, **{setting: "review"}).status == "review"


def test_a_task_in_words_completes_at_the_stated_value() -> None:
    cell = "上级规定的考核任务：3个国考断面，长江沙溪镇达到Ⅱ类。当年指标值：{}"
    rule = {"kind": "superior_task", "complete_at": 100}
    assert decide(rule, {2023: cell.format(100)}).status == "met"
    assert decide(rule, {2023: cell.format(66.7)}).status == "not_met"


# -- trend -------------------------------------------------------------------------------------------------------
def test_stable_or_better_against_the_baseline_year() -> None:
    rule = {"kind": "trend", "want": "stable_or_better", "reference": "baseline"}
    forest = {2021: 39.5, 2022: 37.68, 2023: 37.69}
    assert decide(rule, forest, baseline_year=2021).status == "not_met"  # 表4: 未达标 although +0.01 on 2022
    assert decide("保持稳定或持续改善", forest).status == "met"  # the previous-year reading would say 达标
    assert decide(rule, {2021: 87.2, 2023: 95.4}, baseline_year=2021).status == "met"


def test_stable_tolerance() -> None:
    assert decide("保持稳定", {2022: 96.4, 2023: 95.4}).status == "not_met"
    assert decide("保持稳定", {2022: 96.4, 2023: 95.4}, stable_tolerance=1).status == "met"


def test_a_value_at_its_floor_holds_a_falling_trend() -> None:
    assert decide("持续下降", {2022: 0, 2023: 0}, direction="lower").status == "met"
    assert decide("持续下降", {2022: 1, 2023: 1}, direction="lower").status == "not_met"
    assert decide("持续提高", {2022: 100, 2023: 100}).status == "met"  # 100 % cannot rise


def test_trend_without_history_follows_the_convention() -> None:
    assert decide("持续提高", {2023: 12666}).status == "review"
    assert decide("持续提高", {2023: 12666}, when_history_missing="met").status == "met"


def test_trend_asserted_as_a_word() -> None:
    assert decide({"any_of": ["≥25", "持续提高"]}, {2023: "持续提高 ^[3]"}).status == "met"
    assert decide({"any_of": ["≥25", "持续提高"]}, {2023: "持续提高"}, when_asserted="review").status == "review"


def test_strictly_yearly() -> None:
    falling = {2019: 11.84, 2020: 9.66, 2021: 9.25, 2022: 8.92}
    assert decide("逐年下降", falling, year=2022, direction="lower").status == "met"
    assert decide("逐年下降", {**falling, 2021: 9.7}, year=2022, direction="lower").status == "not_met"
    assert decide("逐年下降", {2020: 0.011}, year=2020, direction="lower").status == "review"


# -- delta, state, class, approximate, cumulative, profile --------------------------------------------------------
def test_delta() -> None:
    assert decide("△EQI>-1", {2023: ">-1 ^[1]"}).status == "met"
    assert decide("△EQI>-1", {2023: -1}).status == "not_met"
    assert decide("△EQI>-1", {2023: -0.5}).status == "met"


@pytest.mark.parametrize("rule, value, status", [
    ("制定实施", "实施", "met"), ("有效开展", "开展", "not_met"), ("开展", "有效开展", "met"), ("建立", "未建立", "not_met"),
    ("生态功能不降低、性质不改变", "生态功能不降低、性质不改变", "met"), ("生态功能不降低、性质不改变", "性质不改变", "not_met"),
    ("不明显", "外来物种入侵不明显", "met"), ("建立", "正在研究制定方案", "review"), ("建立", 1, "review"),
])
def test_states(rule: str, value: Any, status: str) -> None:
    assert decide(rule, {2023: value}, direction="none", unit="-").status == status


def test_unknown_state_words_are_refused_at_load() -> None:
    with pytest.raises(ValidationError):
        criterion("很好")


@pytest.mark.parametrize("rule, value, status", [("Ⅲ类", "II", "met"), ("Ⅱ类", "Ⅲ类", "not_met"), ("Ⅱ类", "Ⅱ", "met"),
                                                 ("优于V类水域功能", "V类", "not_met"), ("优于V类水域功能", "IV", "met"),
                                                 ("Ⅴ类", "劣Ⅴ类", "not_met")])
def test_water_classes(rule: str, value: str, status: str) -> None:
    assert decide(rule, {2023: value}, direction="none", unit="类").status == status


def test_approximate_needs_a_tolerance() -> None:
    with pytest.raises(ShorthandError):
        expand("57左右", "higher", None)
    rule = {"kind": "approximate", "target": 57, "tolerance": 1}
    assert decide(rule, {2025: 56}, year=2025).status == "met"
    assert decide(rule, {2025: 55.9}, year=2025).status == "not_met"


def test_cumulative_is_pro_rata_in_intermediate_years() -> None:
    rule = {"kind": "cumulative", "total": 4.32, "period": [2021, 2025], "op": ">="}
    assert decide(rule, {2022: 1.8}, year=2022).status == "met"  # 4.32 × 2/5 = 1.728
    assert decide(rule, {2022: 1.7}, year=2022).status == "not_met"
    assert decide(rule, {2025: 4.31}, year=2025).status == "not_met"


def test_profile_dependent_threshold() -> None:
    rule = {"kind": "by_profile", "cases": [{"when": {"region": ["东部"]}, "criterion": "≥60"},
                                            {"when": {"region": ["中部", "西部"], "admin_type": ["市辖区"]},
                                             "criterion": "≥60"}], "otherwise": "≥30"}
    assert decide(rule, {2023: 45}, profile={"region": "西部", "admin_type": "市辖区"}).status == "not_met"
    assert decide(rule, {2023: 45}, profile={"region": "西部", "admin_type": "县"}).status == "met"
    assert decide(rule, {2023: 45}, profile={"region": "东部", "admin_type": "县"}).status == "not_met"
    assert decide(rule, {2023: 45}, profile={}).status == "review"


def test_all_of_and_any_of_read_a_and_b_or_c() -> None:
    # 完成上级规定的考核任务，且≤25或持续下降: PM2.5 2022 met its task, 30.5 > 25, but fell from 35 → 达标.
    rule = {"all_of": ["完成上级规定的考核任务", {"any_of": ["≤25", "持续下降"]}]}
    values = {2021: 35, 2022: "上级规定的考核任务：34 当年指标值：30.5"}
    assert decide(rule, values, year=2022, direction="lower").status == "met"
    values[2022] = "上级规定的考核任务：30 当年指标值：30.5"
    assert decide(rule, values, year=2022, direction="lower").status == "not_met"


def test_a_list_is_not_a_criterion() -> None:
    with pytest.raises(ShorthandError):
        expand(["≥90", "持续提高"], "higher", None)


def test_a_number_in_another_unit_is_not_compared() -> None:
    # 326 天 is the count of good days; "≥90" and "持续提高" are about the rate in %.
    cell = "上级规定的考核任务：325 天 当年指标值：326 天"
    rule = {"all_of": ["完成上级规定的考核任务", {"any_of": ["≥90", "持续提高"]}]}
    result = decide(rule, {2021: 87.9, 2022: cell}, year=2022, name="优良天数比率")
    assert result.status == "review"
    assert decide(rule, {2021: 87.9, 2022: cell + "，优良天数比率：89.3%"}, year=2022, name="优良天数比率").status == "met"
