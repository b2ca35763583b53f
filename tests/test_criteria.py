"""Each criterion kind at its boundaries, decided against hand-made histories (no workbook, no CLI)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from ecoplan.rules.criteria import Criterion
from ecoplan.rules.criteria.context import Context, Decision
from ecoplan.rules.pack import Defaults
from ecoplan.rules.shorthand import ShorthandError, expand
from ecoplan.vocabulary import TREND_TARGET_WORDS, TREND_WORDS
from ecoplan.workbook.values import Reported, parse_value

CRITERION = TypeAdapter(Criterion)


def criterion(raw: Any, direction: str = "higher", plan_period: tuple[int, int] | None = None):
    return CRITERION.validate_python(expand(raw, direction, plan_period))


def context(values: dict[int, Any], year: int = 2023, direction: str = "higher", unit: str = "%",
            profile: dict[str, str] | None = None, name: str = "指标", aggregate: str | None = None,
            days_share: bool = False, **defaults: Any) -> Context:
    """What a criterion sees: `values` by year as cells are read (a `Reported` is taken as it is)."""
    history = {y: v if isinstance(v, Reported) else parse_value(v) for y, v in values.items()}
    return Context(year=year, name=name, unit=unit, direction=direction, defaults=Defaults(**defaults),
                   history=history, profile=profile or {}, aggregate=aggregate, days_share=days_share)


def decide(raw: Any, values: dict[int, Any], year: int = 2023, direction: str = "higher", unit: str = "%",
           profile: dict[str, str] | None = None, name: str = "指标", **settings: Any) -> Decision:
    ctx = context(values, year, direction, unit, profile, name, **settings)
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


def test_a_value_of_another_year_says_so_and_one_of_the_assessed_year_does_not() -> None:
    """林地面积总量 14.8(2019年) standing in for 2023: the verdict is the number's, and the reason names the year the
    number is of, so no reader takes it for 2023's; a value of the assessed year itself carries no such note."""
    older = decide("≥13", {2023: "14.8（2019年）"})
    assert older.status == "met" and "（2019年数据）" in older.reason
    assert "年数据" not in decide("≥13", {2023: "14.8（2023年）"}).reason
    assert "年数据" not in decide("≥13", {2023: 14.8}).reason


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


RISING, FALLING = {2021: 10, 2022: 11, 2023: 12}, {2021: 12, 2022: 11, 2023: 10}
# The way each sense of a trend word wants the value to go: its own word (提高 up, 下降 down), or — for 改善 and
# 稳定 (None) — the indicator's direction (up when it gives none).
_SENSE_WAY = {"up": "up", "yearly_up": "up", "down": "down", "yearly_down": "down", "improve": None, "stable": None}


@pytest.mark.parametrize("direction", ["higher", "lower", "none"])
@pytest.mark.parametrize("word", sorted(TREND_TARGET_WORDS))
def test_a_trend_word_decides_by_its_own_words(word: str, direction: str) -> None:
    """Every trend word a criterion may be written as, under every direction: 逐年下降 / 持续下降 / 只减不增 … mean
    lower and 逐年提高 / 持续提高 … higher, whatever the indicator's direction; 改善 and 稳定 follow the direction.
    30 → 28 → 25 under 逐年下降 is met even where the pack calls the indicator higher-is-better."""
    way = _SENSE_WAY[TREND_WORDS[word]] or ("down" if direction == "lower" else "up")
    for series, goes in ((RISING, "up"), (FALLING, "down")):
        got = decide(word, series, direction=direction, unit="t")
        assert got.status == ("met" if goes == way else "not_met"), (word, direction, goes, got.reason)


@pytest.mark.parametrize("word, series", [("逐年下降", {2021: 12, 2022: 12, 2023: 10}),
                                          ("逐年提高", {2021: 10, 2022: 10, 2023: 12})])
def test_a_flat_year_is_no_yearly_move(word: str, series: dict[int, float]) -> None:
    """逐年: a flat year is not a fall (nor a rise); every year must move."""
    got = decide(word, series, unit="t")
    assert got.status == "not_met" and "2022年" in got.reason


def test_a_yearly_trend_reads_every_year_in_the_indicators_unit() -> None:
    """The one unit rule in a series: 328 天 of 2024 is 89.62 % (366 days), a rise on 82.2 %, and 300 天 of 2023
    (82.19 %) is no rise on 2022's 82.2 %."""
    rule = {"kind": "trend", "want": "yearly_up"}
    rising = {2022: "80%", 2023: "82.2%", 2024: "328天"}
    assert decide(rule, rising, year=2024, days_share=True).status == "met"
    assert decide(rule, {**rising, 2022: "82.2%", 2023: "300天"}, year=2024, days_share=True).status == "not_met"
    assert decide(rule, rising, year=2024).status == "review"  # without days_share, 天 is no %


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


def test_cumulative_in_the_last_year_is_the_whole_total_not_a_share() -> None:
    """In the period's last year the total is judged as printed: the reason names no pro-rata share (按进度 5/5 would
    tell a reader the target was scaled when it was not)."""
    rule = {"kind": "cumulative", "total": 4.32, "period": [2021, 2025], "op": ">="}
    last = decide(rule, {2025: 4.32}, year=2025)
    assert last.status == "met" and "按进度" not in last.reason and "4.32" in last.reason
    assert "按进度4/5" in decide(rule, {2024: 4}, year=2024).reason


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


# -- rules each kind holds to (each test names its rule; a mutation run over the criteria breaks one of them) -------
def test_an_operator_word_gives_a_bare_numbers_operator_and_a_contradiction_is_refused() -> None:
    """大于25 is >25 (25 fails it), 不低于25 is ≥25 (25 meets it); 大于25以上 says two comparisons: refused at load."""
    assert criterion("大于25").op == ">" and decide("大于25", {2023: 25}).status == "not_met"
    assert decide("不低于25", {2023: 25}).status == "met"
    with pytest.raises(ShorthandError, match="“大于”、“以上”"):
        criterion("大于25以上")


def test_a_change_since_a_base_year_is_no_level_at_its_floor() -> None:
    """The floor shortcut (0 meets 持续下降) is for a level; a change since 2020 of 0 is no fall, judged against the
    year before like any change."""
    same = {2022: "比2020年下降0%", 2023: "比2020年下降0%"}
    got = decide("持续下降", same, direction="lower")
    assert got.status == "not_met" and "最优值" not in got.reason


def test_a_year_is_never_its_own_reference() -> None:
    """A trend compares with an earlier year only: reference 2023 in 2023 has nothing to compare with."""
    rule = {"kind": "trend", "want": "stable_or_better", "reference": 2023}
    assert decide(rule, {2023: 50}).status == "review"
    assert decide(rule, {2023: 50}, when_history_missing="missing").status == "missing"


def test_a_change_since_another_base_is_not_the_change_over_the_reference_year() -> None:
    """change_since_base reads a value as the change over the reference year only when its base is that year:
    比2021年下降4.67% in 2023 says nothing about the change since 2022."""
    rule = {"kind": "trend", "want": "stable_or_better", "across_bases": "change_since_base"}
    values = {2022: "比2015年下降16.7%", 2023: "比2022年下降4.67%"}
    assert decide(rule, values).status == "met"
    assert decide(rule, {**values, 2023: "比2021年下降4.67%"}).status == "review"


def test_a_change_since_the_reference_year_counts_the_trends_way() -> None:
    """Under 持续下降 (lower), the value since the reference year is the indicator's rise: −1.2 is a fall, 4.67 none."""
    rule = {"kind": "trend", "want": "down", "across_bases": "change_since_base"}
    values = {2022: "比2015年下降16.7%", 2023: "比2022年下降-1.2%"}
    assert decide(rule, values, direction="lower").status == "met"
    assert decide(rule, {**values, 2023: "比2022年下降4.67%"}, direction="lower").status == "not_met"


def test_a_task_with_a_strict_operator_has_its_gap_beyond_the_task() -> None:
    """The gap against a task of >30 is value − 30 (positive beyond the task), as for ≥30."""
    got = decide("完成上级规定的考核任务", {2023: "上级规定的考核任务：>30 当年指标值：35"}, unit="t")
    assert got.status == "met" and got.gap == pytest.approx(5)
    lower = decide("完成上级规定的考核任务", {2023: "上级规定的考核任务：<30 当年指标值：35"}, direction="lower", unit="t")
    assert lower.status == "not_met" and lower.gap == pytest.approx(-5)


def test_exactly_100_is_a_share() -> None:
    """A bare figure above 100 for a rate in % has no known unit (327 typed for 327 天); 100 itself is a share."""
    assert decide("完成上级规定的考核任务", {2023: "上级规定的考核任务：100 当年指标值：100"}).status == "met"
    assert decide("完成上级规定的考核任务", {2023: "上级规定的考核任务：100.5 当年指标值：100"}).status == "review"


def test_a_level_delta_is_this_year_minus_the_reference_year() -> None:
    """△ of a level (reported: level) is this year's value minus the reference year's: 60 → 59.5 is −0.5 (>−1
    holds), 60 → 58.5 is −1.5 (fails by 0.5)."""
    rule = {"kind": "delta", "op": ">", "value": -1, "reported": "level"}
    assert decide(rule, {2022: 60, 2023: 59.5}).status == "met"
    fell = decide(rule, {2022: 60, 2023: 58.5})
    assert fell.status == "not_met" and fell.gap == pytest.approx(-0.5)
    assert decide(rule, {2023: 58.5}).status == "review"  # no reference year: the pack's convention


def test_a_delta_gap_is_negative_when_short_whichever_way_the_bound_points() -> None:
    """△EQI>-1 with −1.5 is 0.5 short (−0.5); △<2 with 3 is 1 over (−1); a change inside either bound is positive."""
    assert decide("△EQI>-1", {2023: -1.5}).gap == pytest.approx(-0.5)
    assert decide("△EQI>-1", {2023: 0}).gap == pytest.approx(1)
    assert decide({"kind": "delta", "op": "<", "value": 2}, {2023: 3}).gap == pytest.approx(-1)
    assert decide({"kind": "delta", "op": "<", "value": 2}, {2023: 0.5}).gap == pytest.approx(1.5)


def test_the_first_year_of_the_plan_period_is_in_the_period() -> None:
    """A plan-period total in its first year is judged pro-rata (1/5), not set aside as before the period."""
    rule = {"kind": "cumulative", "total": 10, "period": [2021, 2025], "op": ">="}
    assert decide(rule, {2021: 2}, year=2021).status == "met"      # 10 × 1/5 = 2
    assert decide(rule, {2021: 1.9}, year=2021).status == "not_met"
    assert decide(rule, {2020: 5}, year=2020).status == "review"   # the year before the period


def test_below_an_approximate_band_is_better_for_lower_is_better() -> None:
    """57左右 ±1 for a lower-is-better indicator: 50 is better than the band (met), 60 is outside it (not met)."""
    rule = {"kind": "approximate", "target": 57, "tolerance": 1}
    assert decide(rule, {2025: 50}, year=2025, direction="lower").status == "met"
    above = decide(rule, {2025: 60}, year=2025, direction="lower")
    assert above.status == "not_met" and above.gap == pytest.approx(-2)
    assert decide(rule, {2025: 60}, year=2025, direction="higher").status == "met"


def test_a_state_with_an_unknown_clause_is_to_be_verified() -> None:
    """A value whose clauses are all known state words and miss the required one is 未达标; one with a clause no
    vocabulary knows (a sentence) may say more, so it is 待核实."""
    assert decide("有效开展", {2023: "开展、实施"}, direction="none", unit="-").status == "not_met"
    assert decide("有效开展", {2023: "开展、正在研究方案"}, direction="none", unit="-").status == "review"
    # a clause ending in a known word (已开展, 正在开展) says that state, no more: still short of 有效开展
    assert decide("有效开展", {2023: "已开展"}, direction="none", unit="-").status == "not_met"


def test_a_water_class_gap_counts_classes() -> None:
    """The gap of a water class is the classes to spare: Ⅱ against 达到Ⅲ类 is +1, Ⅴ is −2; 优于Ⅲ类 with Ⅲ is −1."""
    assert decide("Ⅲ类", {2023: "II"}, direction="none", unit="类").gap == 1
    assert decide("Ⅲ类", {2023: "V"}, direction="none", unit="类").gap == -2
    assert decide("优于Ⅲ类", {2023: "Ⅲ"}, direction="none", unit="类").gap == -1


def test_an_any_of_that_holds_reports_its_loosest_margin() -> None:
    """≥90或≥80 with 95: met with the margin of the part that holds best (+15), not the tightest (+5)."""
    assert decide({"any_of": ["≥90", "≥80"]}, {2023: 95}).gap == pytest.approx(15)
    assert decide({"all_of": ["≥90", "≥80"]}, {2023: 95}).gap == pytest.approx(5)  # all_of: the tightest


def test_an_any_of_with_an_undecided_part_is_undecided() -> None:
    """≥90或持续提高 with 85 and no earlier year: the level fails but the trend might hold, so 待核实, not 未达标."""
    got = decide({"any_of": ["≥90", "持续提高"]}, {2023: 85})
    assert got.status == "review" and got.gap is None
    assert decide({"any_of": ["≥90", "持续提高"]}, {2022: 86, 2023: 85}).status == "not_met"


def test_a_gap_in_the_indicators_unit_comes_first() -> None:
    """All parts met: the gap is in the indicator's unit (+0.4 %), not the task's margin in days (+1 天)."""
    cell = "上级规定的考核任务：327 天 当年指标值：328 天，优良天数比率：90.4%"
    got = decide({"all_of": ["完成上级规定的考核任务", "≥90"]}, {2023: cell}, name="优良天数比率", days_share=True)
    assert got.status == "met" and got.gap == pytest.approx(0.4) and got.gap_unit is None


@pytest.mark.parametrize("aggregate, status", [("min", "not_met"), ("max", "met"), ("mean", "not_met"),
                                               ("sum", "met")])
def test_per_zone_values_are_combined_by_the_stated_aggregate(aggregate: str, status: str) -> None:
    """2类区: 100% 4a类区: 0 against ≥85: min 0, mean 50 fail; max 100, sum 100 pass; no aggregate: 待核实."""
    cell = "2类区: 100% 4a类区: 0"
    assert decide("≥85", {2023: cell}, aggregate=aggregate).status == status
    assert decide("≥85", {2023: cell}).status == "review"


def test_only_words_that_assert_completion_follow_the_assertion_convention() -> None:
    """完成市级任务 where a number is due follows when_asserted (met by default); 建立 is no number and no claim of
    completion, so it is 待核实."""
    assert decide("≥90", {2023: "完成市级任务"}).status == "met"
    assert decide("≥90", {2023: "完成市级任务"}, when_asserted="review").status == "review"
    assert decide("≥90", {2023: "建立"}).status == "review"


def test_a_pack_may_count_missing_history_as_missing() -> None:
    """when_history_missing: missing — a trend without its earlier year is 缺数据, not 待核实 nor 达标."""
    assert decide("持续提高", {2023: 50}, when_history_missing="missing").status == "missing"
    assert decide("持续提高", {2023: 50}, when_history_missing="met").status == "met"
    assert decide("持续提高", {2023: 50}).status == "review"


def test_a_water_class_criterion_reads_as_written() -> None:
    """达到Ⅲ类 and 优于Ⅴ类 say so in the reason; a class is given by the YAML key `class` or the field's name."""
    assert decide("达到Ⅲ类", {2023: "II"}, direction="none", unit="类").reason == "Ⅱ类满足达到Ⅲ类"
    assert decide("优于V类水域功能", {2023: "V"}, direction="none", unit="类").reason == "Ⅴ类不满足优于Ⅴ类"
    assert criterion({"kind": "water_class", "water_class": "Ⅲ"}) == criterion({"kind": "water_class", "class": 3})


@pytest.mark.parametrize("value, status", [("未考核", "met"), ("不明显", "review"), (3, "review"), (None, "missing")])
def test_a_water_class_that_is_no_class(value: Any, status: str) -> None:
    """A marker follows the pack's convention (未考核: met); words or a bare number are no class (待核实)."""
    assert decide("Ⅲ类", {2023: value}, direction="none", unit="类").status == status


@pytest.mark.parametrize("direction, value, status", [
    ("higher", 57.8, "met"), ("higher", 56.2, "not_met"), ("lower", 56.2, "met"), ("lower", 57.8, "not_met"),
    ("none", 57.8, "not_met"), ("none", 56.2, "not_met"), ("higher", 57.5, "met"), ("lower", 56.5, "met")])
def test_beyond_an_approximate_band_only_the_good_side_is_met(direction: str, value: float, status: str) -> None:
    """57左右 ±0.5: within the band (the ends included) is met; beyond it, only on the indicator's good side."""
    rule = {"kind": "approximate", "target": 57, "tolerance": 0.5}
    assert decide(rule, {2025: value}, year=2025, direction=direction).status == status


@pytest.mark.parametrize("rule, value, status", [
    ("=100", "≥95", "review"), ("=100", "≤95", "not_met"), ("=100", "<100", "not_met"), ("=100", ">99", "review"),
    ("≤25", "≤20", "met"), ("≤25", ">25", "not_met"), ("≤25", "≥25", "review"), ("<0.04", "≥0.04", "not_met")])
def test_a_reported_bound_against_every_operator(rule: str, value: str, status: str) -> None:
    """A bound decides only when every value it allows passes (met) or fails (not met); for = 100, one that leaves
    out 100 itself fails."""
    direction = "lower" if rule.startswith(("≤", "<")) else "higher"
    assert decide(rule, {2023: value}, direction=direction).status == status


def test_a_bound_is_no_number_for_a_trend_or_an_approximate_target() -> None:
    """≥25 reported against 持续提高 or 57左右: a bound tells neither a change nor a distance (待核实)."""
    assert decide("持续提高", {2022: 20, 2023: "≥25"}).status == "review"
    assert decide({"kind": "approximate", "target": 57, "tolerance": 1}, {2023: "≥56"}).status == "review"


def test_a_named_measure_not_reported_is_missing_by_name() -> None:
    """案件结案率≥75 where the cell gives only 案件线索启动率: 缺数据, naming the measure; an empty cell: 无数据."""
    got = decide("案件结案率≥75", {2023: "案件线索启动率：100%"})
    assert (got.status, got.reason) == ("missing", "未填报案件结案率")
    assert (decide("≥75", {2023: None}).status, decide("≥75", {2023: None}).reason) == ("missing", "无数据")


def test_combined_criteria_describe_themselves_as_the_table_writes_them() -> None:
    """A ∧ (B ∨ C) reads 完成上级规定的考核任务，且（≥90或持续提高）; a profile-dependent target lists its cases."""
    rule = {"all_of": ["完成上级规定的考核任务", {"any_of": ["≥90", "持续提高"]}]}
    assert criterion(rule).describe() == "完成上级规定的考核任务，且（≥90或持续提高）"
    by_profile = {"kind": "by_profile", "cases": [{"when": {"region": ["中部", "西部"], "admin_type": ["市辖区"]},
                                                   "criterion": "≥60"}], "otherwise": "≥30"}
    assert criterion(by_profile).describe() == "中部/西部；市辖区：≥60；其他：≥30"
    alone = {"kind": "by_profile", "cases": [{"when": {"region": ["东部"]}, "criterion": "≥60"}]}
    assert criterion(alone).describe() == "东部：≥60"


def test_a_combination_reports_the_deciding_parts_reason_and_gap() -> None:
    """any_of met speaks with its first part that holds; all_of unmet takes the gap of a failing part that has one
    (逐年提高 failing has no gap; ≥90 failing by 5 has)."""
    assert decide({"any_of": ["≥80", "≥90"]}, {2023: 95}).reason == "95% 达到 ≥80"
    got = decide({"all_of": ["逐年提高", "≥90"]}, {2022: 86, 2023: 85})
    assert got.status == "not_met" and got.gap == pytest.approx(-5)


@pytest.mark.parametrize("value, reason", [(57.2, "57.2% 在57左右（±0.5）范围内"), (57.8, "57.8% 优于57左右（±0.5）范围"),
                                           (56.2, "56.2% 不在57左右（±0.5）范围内")])
def test_an_approximate_target_says_where_the_value_is(value: float, reason: str) -> None:
    """Within the band, beyond it on the good side, or outside it: the reason says which."""
    rule = {"kind": "approximate", "target": 57, "tolerance": 0.5}
    assert decide(rule, {2025: value}, year=2025).reason == reason


def test_every_alternative_failing_shows_the_levels_shortfall_before_a_trends() -> None:
    """≥90或持续提高 with 86 → 85: both fail; the gap is the level's (−5 from 90), not the trend's smaller −1, which
    would hide how far the level is; with no level gap at all, the trend's change is shown."""
    got = decide({"any_of": ["≥90", "持续提高"]}, {2022: 86, 2023: 85})
    assert got.status == "not_met" and got.gap == pytest.approx(-5)
    trends = decide({"any_of": ["持续提高", "逐年提高"]}, {2022: 86, 2023: 85})
    assert trends.status == "not_met" and trends.gap == pytest.approx(-1)


def test_gaps_in_different_units_are_never_compared() -> None:
    """A combination takes its gap among the parts' gaps in the indicator's unit first: +3 % is shown, not the
    larger +10 天 of a task counted in days (a gap in another unit is shown only when no part has one in the
    indicator's unit)."""
    from ecoplan.rules.criteria import AnyOf

    either = criterion({"any_of": ["≥90", "完成上级规定的考核任务"]})
    assert isinstance(either, AnyOf)
    got = either.combine([Decision("met", "93% 达到 ≥90", 3.0, None), Decision("met", "任务完成", 10.0, "天")])
    assert (got.gap, got.gap_unit) == (3.0, None)
    days_only = either.combine([Decision("met", "a", None, None), Decision("met", "b", 10.0, "天")])
    assert (days_only.gap, days_only.gap_unit) == (10.0, "天")


def test_a_trend_against_a_baseline_the_pack_does_not_give_is_to_be_verified() -> None:
    """持续提高 against the baseline where the pack names no baseline_year: 待核实, saying the baseline is missing
    (not the previous year's value)."""
    got = decide("持续提高", {2022: 80, 2023: 82}, trend_reference="baseline")
    assert got.status == "review" and got.reason.startswith("缺少基准年数据")


def test_a_period_total_keeps_its_own_operator_and_period() -> None:
    """A cumulative target written out keeps what it says (≤, 2016–2020) whatever the indicator's direction and the
    pack's plan period; what it leaves out comes from them (direction lower: ≤; the plan period)."""
    written = criterion({"kind": "cumulative", "total": 10, "period": [2016, 2020], "op": "<="}, "higher", (2021, 2025))
    assert (written.op, written.period) == ("<=", (2016, 2020))
    filled = criterion({"kind": "cumulative", "total": 10}, "lower", (2021, 2025))
    assert (filled.op, filled.period) == ("<=", (2021, 2025))
    assert criterion({"kind": "cumulative", "total": 10}, "higher", (2021, 2025)).op == ">="


def test_a_state_word_may_be_written_with_a_prefix_but_must_end_in_a_known_word() -> None:
    """required: [已建立] is 建立 said in a sentence (accepted); 研究 is no state the vocabulary knows (refused)."""
    assert criterion({"kind": "state", "required": ["已建立"]}, "none").required == ["已建立"]
    with pytest.raises(ValidationError, match="不是已知的状态词"):
        criterion({"kind": "state", "required": ["研究"]}, "none")


@pytest.mark.parametrize("unit", [None, "", "-", "—"])
def test_a_figure_without_a_unit_is_printed_bare(unit: str | None) -> None:
    """An indicator without a unit (none, or the tables' - and —) prints its figures bare: "12 达到 ≥10"."""
    assert decide("≥10", {2023: 12}, unit=unit).reason == "12 达到 ≥10"  # type: ignore[arg-type]


def test_a_state_list_naming_the_superiors_task_is_two_criteria() -> None:
    """建立，完成上级规定的考核任务 is not one state list (the task is no state): refused, saying the all_of to write."""
    with pytest.raises(ShorthandError, match=r"\{all_of: \[建立, 完成上级规定的考核任务\]\}"):
        criterion("建立，完成上级规定的考核任务", "none")


def test_a_stronger_state_satisfies_a_weaker_one_said_in_a_sentence() -> None:
    """全面实施 implies 制定, also written 已制定; and 不降低, a trend word too, is a state inside a state list."""
    assert decide({"kind": "state", "required": ["已制定"]}, {2023: "全面实施"}, direction="none", unit="-").status == \
        "met"
    assert criterion("性质不改变、不降低", "none").required == ["性质不改变", "不降低"]


def test_a_task_in_words_is_complete_at_the_packs_figure() -> None:
    """A task the superior gave in words (complete_at: 100): 100 完成 (met), 95 未完成 (not met, gap −5)."""
    rule = {"kind": "superior_task", "complete_at": 100}
    met = decide(rule, {2023: "上级规定的考核任务：全面完成 当年指标值：100"})
    short = decide(rule, {2023: "上级规定的考核任务：全面完成 当年指标值：95"})
    assert (met.status, met.reason) == ("met", "100%（任务：全面完成）完成")
    assert (short.status, short.reason, short.gap) == ("not_met", "95%（任务：全面完成）未完成", -5)


def test_a_period_task_is_pro_rata_only_inside_its_period() -> None:
    """“十四五” 14 %: 2/5 of it in 2022 (5.6), all of it in 2025 and after, none before 2021 (any value meets it,
    its gap the value itself)."""
    task = "上级规定的考核任务：“十四五”能耗强度下降14% 当年指标值：{}%"
    in_2022 = decide("完成上级规定的考核任务", {2022: task.format(5.6)}, year=2022)
    assert in_2022.status == "met" and "按进度2/5" in in_2022.reason
    for year in (2025, 2026):
        last = decide("完成上级规定的考核任务", {year: task.format(13.9)}, year=year)
        assert last.status == "not_met" and "按进度" not in last.reason and last.gap == pytest.approx(-0.1)
    early = decide("完成上级规定的考核任务", {2019: task.format(3)}, year=2019)
    assert early.status == "met" and early.gap == pytest.approx(3)


def test_a_trend_describes_itself_by_its_text_else_its_word() -> None:
    """A trend written out names itself by its `text` (稳步提高), else by its word (持续提高, 逐年下降)."""
    assert criterion({"kind": "trend", "want": "up"}).describe() == "持续提高"
    assert criterion({"kind": "trend", "want": "yearly_down"}).describe() == "逐年下降"
    assert criterion({"kind": "trend", "want": "up", "text": "稳步提高"}).describe() == "稳步提高"


def test_a_task_figure_is_read_in_the_indicators_unit() -> None:
    """The one unit rule for the task the charts draw: 327天 of 优良天数比率 is 89.59 % in 2023 (365 days); a task
    without a unit takes the value's (50 beside 天: 13.7 %); no figure for 未下达, a task in words, or a bare 327
    for a rate in %; an indicator without a unit takes the figure as it is."""
    from ecoplan.rules.criteria.superior_task import task_in_unit
    from ecoplan.workbook.values import parse_task

    rate = context({}, unit="%", days_share=True)

    def level(task: str, value_unit: str | None = None, ctx: Context = rate) -> float | None:
        parsed = parse_task(task)
        assert parsed is not None
        return task_in_unit(ctx, parsed, value_unit, 2023)

    assert level("327天") == pytest.approx(327 / 365 * 100)
    assert level("50", "天") == pytest.approx(50 / 365 * 100) and level("50") == 50
    assert level("未下达") is None and level("全面完成") is None and level("327") is None
    assert level("327天", ctx=context({}, unit=None)) == 327  # type: ignore[arg-type]


def test_only_100_percent_itself_is_at_its_best_bound() -> None:
    """100 % holds 持续提高 (nothing left to rise); 99.5 % after 99.6 % is a fall, not "nearly 100"; 100 of a
    figure not in % is no bound (100 t after 100 t is no rise)."""
    assert decide("持续提高", {2022: 100, 2023: 100}).status == "met"
    assert decide("持续提高", {2022: 99.6, 2023: 99.5}).status == "not_met"
    assert decide("持续提高", {2022: 100, 2023: 100}, unit="t").status == "not_met"
