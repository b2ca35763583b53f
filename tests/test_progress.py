"""Progress toward plan targets: 渝北 2022 → 2023 against the 2025/2030 targets of 表4, computed by hand, and the
edge cases of Open SDG's progress calculation (base 0, opposite signs, missing base year, duplicate years, fewer
than two points, target already achieved), plus a share near 100 % and lower-is-better."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, by_id, edited_copy, run_cli, yubei_2024
from ecoplan.evaluate.progress import DuplicateYearError, NumericTarget, clean_series, linear_progress, numeric_target
from ecoplan.rules.criteria import AllOf, AnyOf, State, SuperiorTask, Threshold, Trend

Y22, Y23 = DATA / "yubei-2022.xlsx", DATA / "yubei-2023.xlsx"


@pytest.fixture(scope="module")
def yubei() -> dict[str, dict]:
    """`ecoplan assess yubei-2022.xlsx yubei-2023.xlsx --format json`: 2023 assessed, 2021-2022 as history."""
    proc = run_cli("assess", Y22, Y23, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return by_id(json.loads(proc.stdout))


def entry(results: dict[str, dict], ident: str, target_year: int) -> dict:
    found = [p for p in results[ident]["progress"] if p["target_year"] == target_year]
    assert len(found) == 1, results[ident]["progress"]
    return found[0]


# -- 渝北 2023, by hand ------------------------------------------------------------------------------------------
def test_good_air_days_need_reversal(yubei: dict[str, dict]) -> None:
    # 4.1 优良天数比率, target ≥90 (with 完成上级任务: 300 天 < 327 天, so not achieved).
    # Baseline 2021 (the pack's baseline_year) = 87.9; 2023 = 82.2.
    # observed (82.2 − 87.9) / 2 = −2.85 /yr; required (90 − 87.9) / (2025 − 2021) = 0.525 /yr → moving away.
    # still required (90 − 82.2) / 2 = 3.9 /yr; expected 2023: 87.9 + 0.525 × 2 = 88.95.
    p = entry(yubei, "4.1", 2025)
    assert p["status"] == "reverse"
    assert (p["baseline_year"], p["baseline"]) == (2021, 87.9)
    assert p["current_rate"] == pytest.approx(-2.85)
    assert p["required_rate_from_base"] == pytest.approx(0.525)
    assert p["required_rate_from_now"] == pytest.approx(3.9)
    assert p["expected_now"] == pytest.approx(88.95)
    assert p["ratio"] == pytest.approx(-2.85 / 0.525, abs=1e-6)
    assert entry(yubei, "4.1", 2030)["status"] == "reverse"


def test_pm25_lower_is_better_needs_acceleration(yubei: dict[str, dict]) -> None:
    # 4.2 PM2.5浓度 (lower is better), target ≤25; 2021 = 35, 2023 = 34.1.
    # observed (34.1 − 35) / 2 = −0.45 /yr; required (25 − 35) / 4 = −2.5 /yr; ratio 0.45 / 2.5 = 0.18 < 0.95
    # and > 0 → accelerate. Still required (25 − 34.1) / 2 = −4.55 /yr. 2030: (25 − 35) / 9 = −1.111 /yr,
    # ratio 0.405 → accelerate.
    p = entry(yubei, "4.2", 2025)
    assert p["status"] == "accelerate"
    assert p["current_rate"] == pytest.approx(-0.45)
    assert p["required_rate_from_base"] == pytest.approx(-2.5)
    assert p["required_rate_from_now"] == pytest.approx(-4.55)
    assert p["ratio"] == pytest.approx(0.18)
    assert p["expected_now"] == pytest.approx(30.0)
    p30 = entry(yubei, "4.2", 2030)
    assert p30["status"] == "accelerate"
    assert p30["ratio"] == pytest.approx(0.45 / (10 / 9), abs=1e-6)


def test_satisfaction_on_track(yubei: dict[str, dict]) -> None:
    # 21 公众对生态环境质量满意程度, target 96 (2025) / 97 (2030); no 2021 value → baseline 2022 = 93; 2023 = 93.98.
    # observed 0.98 /yr; required (96 − 93) / 3 = 1.0 /yr → 98 % ≥ 95 % → on track.
    # 2030: (97 − 93) / 8 = 0.5 /yr → 196 % → on track; still required (97 − 93.98) / 7 = 0.4314 /yr.
    p = entry(yubei, "21", 2025)
    assert (p["status"], p["baseline_year"]) == ("on_track", 2022)
    assert p["ratio"] == pytest.approx(0.98)
    assert p["required_rate_from_now"] == pytest.approx(1.01)
    p30 = entry(yubei, "21", 2030)
    assert p30["status"] == "on_track"
    assert p30["required_rate_from_now"] == pytest.approx(3.02 / 7, abs=1e-6)


def test_park_green_space_needs_acceleration(yubei: dict[str, dict]) -> None:
    # 24 人均公园绿地面积, target 14.8 (2025); 2022 = 12, 2023 = 12.15.
    # observed 0.15 /yr; required 2.8 / 3 = 0.9333 /yr; ratio 0.1607 → accelerate; still required 2.65 / 2 = 1.325.
    p = entry(yubei, "24", 2025)
    assert p["status"] == "accelerate"
    assert p["ratio"] == pytest.approx(0.15 / (2.8 / 3), abs=1e-6)  # JSON rounds to 6 decimals
    assert p["required_rate_from_now"] == pytest.approx(1.325)
    assert p["projected"] == pytest.approx(12.45)  # 12.15 + 0.15 × 2


def test_sewage_collection_below_a_target_its_baseline_met_is_reversal(yubei: dict[str, dict]) -> None:
    # 6.1 城市生活污水集中收集率, target ≥72 (2025); 2022 = 72.02 (baseline, already above 72), 2023 = 71.1.
    # The value fell (−0.92 /yr) below the target → reverse; the required rate from the baseline is
    # (72 − 72.02) / 3 < 0, so a ratio would be meaningless and is null. Still required (72 − 71.1) / 2 = 0.45.
    p = entry(yubei, "6.1", 2025)
    assert p["status"] == "reverse"
    assert p["ratio"] is None
    assert p["required_rate_from_now"] == pytest.approx(0.45)
    # 2030 target 75: required (75 − 72.02) / 8 = 0.3725 /yr, observed −0.92 → reverse.
    assert entry(yubei, "6.1", 2030)["status"] == "reverse"


def test_rural_sewage_stagnant_needs_acceleration(yubei: dict[str, dict]) -> None:
    # R1 农村生活污水治理（管控）率: 60 in 2022 and 2023, target 62 → observed 0, required 2/3 /yr → ratio 0:
    # not moving away, not moving either → accelerate (0 to 95 %).
    p = entry(yubei, "R1", 2025)
    assert (p["status"], p["ratio"]) == ("accelerate", 0.0)


def test_already_achieved(yubei: dict[str, dict]) -> None:
    # 8.1 森林覆盖率: 2023 = 37.69 meets the target ≥37.69 although it fell from 39.5 (2021) → achieved.
    assert entry(yubei, "8.1", 2025)["status"] == "achieved"
    # 6.4 城市生活垃圾回收利用率: 41 ≥ 35 and no task given (pack default: met) → achieved, though falling.
    assert entry(yubei, "6.4", 2025)["status"] == "achieved"
    # 2 责任追究制度: target 建立, reported 建立 → achieved from the criterion alone.
    assert entry(yubei, "2", 2030)["status"] == "achieved"


def test_non_numeric_unmet_target_is_insufficient_data(yubei: dict[str, dict]) -> None:
    # 27 生态环境损害赔偿 2030: 启动率 =100 and 结案率 ≥95 (two numbers); 结案率 90 < 95 → no single number to
    # measure a pace against → insufficient_data, with the criterion's reason.
    p = entry(yubei, "27", 2030)
    assert p["status"] == "insufficient_data"
    assert "95" in p["reason"]
    assert entry(yubei, "27", 2025)["status"] == "achieved"


def test_leaves_without_targets_have_no_progress(yubei: dict[str, dict]) -> None:
    # 22 绿色出行比例 has no 表4 target; composites carry progress on their sub-items only.
    assert "progress" not in yubei["22"]
    assert "progress" not in yubei["4"]
    for field in ("target_year", "target", "baseline_year", "baseline", "expected_now", "status", "current_rate",
                  "required_rate_from_base", "required_rate_from_now", "ratio"):
        assert field in entry(yubei, "21", 2025)


def test_national_pack_has_no_progress() -> None:
    proc = run_cli("assess", Y23, "--pack", "national-demo-county-2024", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert all("progress" not in r for r in by_id(json.loads(proc.stdout)).values())


def test_one_workbook_with_several_years_equals_two_workbooks(yubei: dict[str, dict]) -> None:
    proc = run_cli("assess", Y23, "--format", "json")
    alone = by_id(json.loads(proc.stdout))
    assert {k: r.get("progress") for k, r in alone.items()} == {k: r.get("progress") for k, r in yubei.items()}


def test_table_shows_progress_arrows() -> None:
    proc = run_cli("assess", Y22, Y23)
    assert proc.returncode == 0, proc.stderr
    assert "进度" in proc.stdout and "↓2025" in proc.stdout and "↗2030" in proc.stdout
    assert "2025 年目标" in proc.stdout
    plain = run_cli("assess", Y23, "--pack", "national-demo-county-2024")
    assert "进度" not in plain.stdout.splitlines()[2]


def test_conflicting_years_across_workbooks_name_both_cells(tmp_path) -> None:
    changed = edited_copy(Y22, tmp_path / "y22.xlsx", {("6.1", 2022): 73})
    proc = run_cli("assess", changed, Y23, "--fail-on", "constraint")
    assert proc.returncode == 1  # the report is made; the error fails every gate but never
    assert "history-conflict" in proc.stderr
    assert "y22.xlsx:指标数据!" in proc.stderr and "yubei-2023.xlsx:指标数据!" in proc.stderr
    assert "72.02" in proc.stderr and "73" in proc.stderr


def test_workbooks_of_another_district_are_refused() -> None:
    proc = run_cli("assess", Y23, DATA / "chongqing-2020.xlsx", "--format", "json")
    assert proc.returncode == 0  # --fail-on never: the report of 渝北 2023 alone, with the error in it
    report = json.loads(proc.stdout)
    [mismatch] = [p for p in report["problems"] if p["code"] == "district-mismatch"]
    assert "同一区县" in mismatch["message"] and "重庆市" in mismatch["message"]
    assert report["district"]["name"] == "渝北区" and report["summary"]["met"] == 29


def test_history_from_another_workbook_feeds_progress(tmp_path) -> None:
    # A 2023 workbook with its earlier years removed: 21's 2022 point is the pack's record of 表4 (93).
    # A 2022 workbook passed beside it gives its own 2022 value, which wins over the pack's record.
    from openpyxl import load_workbook

    book = load_workbook(Y23)
    sheet = book["指标数据"]
    header = [c.value for c in sheet[1]]
    year_col = header.index("年度") + 1
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, year_col).value != 2023:
            sheet.delete_rows(row)
    only = tmp_path / "only-2023.xlsx"
    book.save(only)
    alone = by_id(json.loads(run_cli("assess", only, "--format", "json").stdout))
    assert (entry(alone, "21", 2025)["baseline_year"], entry(alone, "21", 2025)["baseline"]) == (2022, 93)
    lower = edited_copy(Y22, tmp_path / "y22.xlsx", {("21", 2022): 88})
    both = by_id(json.loads(run_cli("assess", only, lower, "--format", "json").stdout))
    assert (entry(both, "21", 2025)["baseline_year"], entry(both, "21", 2025)["baseline"]) == (2022, 88)
    assert entry(both, "21", 2025)["current_rate"] > entry(alone, "21", 2025)["current_rate"]


# -- Open SDG's edge cases, on the pure function -----------------------------------------------------------------
AT_LEAST_10 = NumericTarget(10, ">=")


def test_base_of_zero_needs_no_substitute() -> None:
    # Open SDG replaces a base of 0 by 0.001 (a compound rate divides by it). Linear: (4 − 0) / 2 = 2 /yr against
    # (10 − 0) / 5 = 2 /yr → ratio 1.0 → on track.
    p = linear_progress([(2020, 0.0), (2022, 4.0)], AT_LEAST_10, year=2022, target_year=2025)
    assert (p.status, p.current_rate, p.required_rate_from_base, p.ratio) == ("on_track", 2.0, 2.0, 1.0)


def test_opposite_signs_are_computed_linearly() -> None:
    # Open SDG gives no result when base and current have opposite signs. A change rate from −2 to +1 over 3 years
    # is +1 /yr; the target ≥4 needs (4 − (−2)) / 5 = 1.2 /yr → 83 % → accelerate.
    p = linear_progress([(2020, -2.0), (2023, 1.0)], NumericTarget(4, ">="), year=2023, target_year=2025)
    assert p.status == "accelerate"
    assert p.ratio == pytest.approx(1.0 / 1.2)


def test_missing_base_year_falls_back_to_earliest_year() -> None:
    # baseline_year 2020 is not on record: the earliest year (2021) is the baseline, and the reason says so.
    p = linear_progress([(2021, 5.0), (2023, 7.0)], AT_LEAST_10, year=2023, target_year=2025, baseline_year=2020)
    assert (p.baseline_year, p.baseline) == (2021, 5.0)
    assert "无2020年数据" in p.reason
    # (7 − 5) / 2 = 1 /yr against (10 − 5) / 4 = 1.25 /yr → 80 % → accelerate.
    assert p.status == "accelerate" and p.ratio == pytest.approx(0.8)


def test_duplicate_years_are_an_error() -> None:
    with pytest.raises(DuplicateYearError, match="2022"):
        clean_series([(2021, 1.0), (2022, 2.0), (2022, 3.0)])
    with pytest.raises(DuplicateYearError):
        linear_progress([(2022, 2.0), (2022, 2.5)], AT_LEAST_10, year=2023, target_year=2025)


def test_fewer_than_two_points_is_insufficient_data() -> None:
    p = linear_progress([(2023, 5.0)], AT_LEAST_10, year=2023, target_year=2025)
    assert p.status == "insufficient_data" and p.current_rate is None
    assert linear_progress([], AT_LEAST_10, year=2023, target_year=2025).status == "insufficient_data"
    # Points after the assessed year do not count.
    assert linear_progress([(2023, 5.0), (2024, 9.0)], AT_LEAST_10, year=2023,
                           target_year=2025).status == "insufficient_data"


def test_target_achieved_short_circuits() -> None:
    # Falling, but already past the target: achieved (the caller's criterion verdict decides; a single point too).
    p = linear_progress([(2021, 14.0), (2023, 12.0)], AT_LEAST_10, year=2023, target_year=2025, achieved=True)
    assert p.status == "achieved" and p.current_rate == pytest.approx(-1.0)
    assert linear_progress([(2023, 12.0)], AT_LEAST_10, year=2023, target_year=2025,
                           achieved=True).status == "achieved"


def test_share_near_100_percent() -> None:
    # 99.2 → 99.5 in a year against 100 by 2025: required (100 − 99.2) / 4 = 0.2 /yr, observed 0.3 → on track;
    # a compound rate would be ~0.3 % against ~0.2 % — same verdict here, but the projection is capped at 100.
    p = linear_progress([(2021, 99.2), (2022, 99.5)], NumericTarget(100, "=="), year=2022, target_year=2025,
                        direction="higher", unit="%")
    assert p.status == "on_track"
    assert p.projected == 100.0


def test_lower_is_better_reverse() -> None:
    # ≤25 target, value rising 30 → 32: moving away → reverse; ratio negative.
    p = linear_progress([(2021, 30.0), (2023, 32.0)], NumericTarget(25, "<="), year=2023, target_year=2025)
    assert p.status == "reverse" and p.ratio is not None and p.ratio < 0


def test_numeric_target_reads_the_one_number_of_a_criterion() -> None:
    assert numeric_target(Threshold(op=">=", value=96)) == NumericTarget(96, ">=")
    task_and_35 = AllOf(of=[SuperiorTask(), Threshold(op=">=", value=35)])
    assert numeric_target(task_and_35) == NumericTarget(35, ">=")
    either = AnyOf(of=[Threshold(op="<=", value=25), Trend(want="down")])
    assert numeric_target(either) == NumericTarget(25, "<=")
    assert numeric_target(State(required=["建立"])) is None
    two = AllOf(of=[Threshold(op="==", value=100, measure="a"), Threshold(op=">=", value=90, measure="b")])
    assert numeric_target(two) is None


def test_batch_formats_without_progress_give_the_same_verdicts() -> None:
    # A batch's matrix, CSV and sheets show no progress, so it is not computed for them; every verdict and reason
    # must be what the full evaluation gives.
    from ecoplan.run.pipeline import evaluate_file

    full = evaluate_file(Y23).assessment
    lean = evaluate_file(Y23, progress=False).assessment
    assert full is not None and lean is not None
    assert any(r.progress for r in full.results for r in r.walk())
    assert not any(r.progress for r in lean.results for r in r.walk())
    strip = lambda a: [(r.id, r.status, r.value, r.gap, r.reason) for top in a.results for r in top.walk()]  # noqa: E731
    assert strip(lean) == strip(full) and lean.summary == full.summary


# -- rules the pace follows (each test names its rule) -----------------------------------------------------------
def _pace(latest: float) -> str:
    """The status of a series 2021: 0 → 2023: `latest` against ≥10 by 2025 (required 2.5 /yr, observed latest/2)."""
    return linear_progress([(2021, 0.0), (2023, latest)], AT_LEAST_10, year=2023, target_year=2025).status


def test_on_track_means_at_least_95_percent_of_the_required_pace() -> None:
    """On track from 95 % of the required pace, that share included (Open SDG's 0.95); below it, accelerate."""
    assert _pace(5.0) == "on_track"      # 100 %
    assert _pace(4.75) == "on_track"     # exactly 95 %
    assert _pace(4.7) == "accelerate"    # 94 %
    assert _pace(4.55) == "accelerate"   # 91 %: would pass at a 0.9 threshold
    assert _pace(-0.5) == "reverse"


def test_not_applicable_counts_as_achieved_only_where_the_pack_says_so() -> None:
    """不涉及 is 已达成 toward a plan target only when the pack counts 不涉及 as met."""
    from ecoplan.evaluate.progress import criterion_progress
    from ecoplan.rules.criteria.context import Decision

    na = Decision("not_applicable", "填报“不涉及”")
    assert criterion_progress(na, target_year=2025, target_text="建立").status == "achieved"
    kept_apart = criterion_progress(na, target_year=2025, target_text="建立", na_counts_as_met=False)
    assert kept_apart.status == "insufficient_data" and "不涉及" in kept_apart.reason


def test_an_equal_target_is_approached_from_where_the_value_stands() -> None:
    """An = target without a direction (57左右 with direction none) is reached from the latest value: moving off it,
    either way, is moving away (需扭转); arriving at it from below is on track."""
    at = NumericTarget(57, "==")
    assert linear_progress([(2021, 57.0), (2023, 58.0)], at, year=2023, target_year=2025).status == "reverse"
    assert linear_progress([(2021, 57.0), (2023, 56.0)], at, year=2023, target_year=2025).status == "reverse"
    assert linear_progress([(2021, 50.0), (2023, 57.0)], at, year=2023, target_year=2025).status == "on_track"
    assert linear_progress([(2021, 50.0), (2023, 60.0)], at, year=2023, target_year=2025).status == "reverse"


def test_days_are_projected_as_the_verdict_reads_them(tmp_path) -> None:
    """The one unit rule in progress: 优良天数比率 2024 = 328天 (task 327天; 2023 82.2 %) is 89.62 % of 2024's 366
    days, as the verdict says — never 328 %, never projected to 408 % by 2025."""
    from ecoplan.run.pipeline import evaluate_file

    workbook = yubei_2024(tmp_path, "328天")
    outcome = evaluate_file(workbook)
    assert outcome.assessment is not None, [str(p) for p in outcome.problems]
    leaf = {r.id: r for _, r in outcome.assessment.rows()}["4.1"]
    assert leaf.status == "met" and "按全年366天折合为 89.62%" in leaf.reason
    share = 328 / 366 * 100
    p25, p30 = (dict(p) for p in leaf.progress or [])
    assert p25["status"] == p30["status"] == "achieved"
    assert (p25["latest_year"], p25["latest"]) == (2024, pytest.approx(share, abs=1e-6))
    assert p25["baseline"] == 87.9 and p25["current_rate"] == pytest.approx((share - 87.9) / 3, abs=1e-6)
    assert p25["projected"] == pytest.approx(share + (share - 87.9) / 3, abs=1e-6)
    assert p25["required_rate_from_now"] == pytest.approx(90 - share, abs=1e-6)
    assert max(p["projected"] for p in (p25, p30)) < 100


def test_days_short_of_the_task_are_a_reversal_not_a_leap(tmp_path) -> None:
    """320天 in 2024 (87.43 %, task 327天 missed) after 87.9 % in 2021: the rate is falling — 需扭转, not the
    +77 points a year that 320 read as % would make look 按进度."""
    from ecoplan.run.pipeline import evaluate_file

    outcome = evaluate_file(yubei_2024(tmp_path, "320天"))
    assert outcome.assessment is not None
    leaf = {r.id: r for _, r in outcome.assessment.rows()}["4.1"]
    assert leaf.status == "not_met" and (leaf.gap, leaf.gap_unit) == (-7, "天")
    assert [p["status"] for p in leaf.progress or []] == ["reverse", "reverse"]
    assert leaf.progress[0]["latest"] == pytest.approx(320 / 366 * 100, abs=1e-6)


def test_an_assessment_carries_progress_unless_asked_not_to() -> None:
    """The evaluator's default is the full assessment, progress included; progress=False leaves it out."""
    from ecoplan.evaluate.evaluator import assess
    from ecoplan.run.pipeline import evaluate_file

    outcome = evaluate_file(Y23)
    assert outcome.pack and outcome.district and outcome.district.profile and outcome.matched
    args = (outcome.pack, outcome.district.profile, outcome.matched.values, 2023)
    assert any(r.progress for _, r in assess(*args).rows())
    assert not any(r.progress for _, r in assess(*args, progress=False).rows())


def test_progress_numbers_are_rounded_to_six_decimals_and_never_negative_zero() -> None:
    """The JSON of progress rounds to 6 decimals (0.1 + 0.2 is 0.3) and writes −0 as 0; ±1 stay ±1."""
    from ecoplan.evaluate.progress import Progress

    shown = Progress(2025, "≥10", "on_track", "", target_value=0.1 + 0.2, baseline=-1e-9, latest=1.0,
                     projected=-1.0, ratio=1 / 3).as_dict()
    assert (shown["target_value"], shown["ratio"], shown["latest"], shown["projected"]) == (0.3, 0.333333, 1.0, -1.0)
    assert str(shown["baseline"]) == "0.0"


def test_a_series_stops_at_the_assessed_year_and_reads_its_own_measure() -> None:
    """Progress in 2023 reads 2021–2023 only (a 2024 row is not history yet), in the indicator's unit."""
    from ecoplan.evaluate.progress import numeric_series
    from ecoplan.rules.criteria.context import Context
    from ecoplan.rules.defaults import Defaults
    from ecoplan.workbook.values import parse_value

    history = {y: parse_value(v) for y, v in {2021: 80, 2022: "300天", 2024: 90, 2023: "结案率：87.5%"}.items()}
    ctx = Context(year=2023, name="优良天数比率", unit="%", direction="higher", defaults=Defaults(), history=history,
                  days_share=True)
    assert numeric_series(ctx, history, None, up_to=2023) == [(2021, 80), (2022, pytest.approx(300 / 365 * 100))]
    assert numeric_series(ctx, history, "结案率", up_to=2024) == [(2023, 87.5)]


def test_the_baseline_is_the_packs_year_when_the_series_has_it() -> None:
    """The baseline is the pack's baseline year where the series has it, else the earliest year on record."""
    from ecoplan.evaluate.progress import choose_baseline

    series = [(2020, 1.0), (2021, 2.0), (2022, 3.0)]
    assert choose_baseline(series, 2021) == (2021, 2.0)
    assert choose_baseline(series, 2019) == (2020, 1.0)
    assert choose_baseline(series, None) == (2020, 1.0)
    assert choose_baseline([], 2021) is None


def test_a_profile_dependent_target_aims_at_the_districts_case() -> None:
    """The number of a profile-dependent target is that of the case the district's profile chooses."""
    from ecoplan.rules.criteria import ByProfile, ProfileCase

    by_region = ByProfile(cases=[ProfileCase(when={"region": ["西部"]}, criterion=Threshold(op=">=", value=60))],
                          otherwise=Threshold(op=">=", value=30))
    assert numeric_target(by_region, {"region": "西部"}) == NumericTarget(60, ">=")
    assert numeric_target(by_region, {"region": "东部"}) == NumericTarget(30, ">=")
    assert numeric_target(by_region) == NumericTarget(30, ">=")


def test_progress_without_a_number_says_why_and_names_its_target() -> None:
    """No number up to the assessed year: 数据不足, "2023年及以前无数值"; achieved by the criterion alone: 已达成 with
    the criterion's reason (else "已达到目标"). The target is named as the pack writes it, else as ≥10, ≤25, =57."""
    empty = linear_progress([], AT_LEAST_10, year=2023, target_year=2025)
    assert (empty.status, empty.reason, empty.target) == ("insufficient_data", "2023年及以前无数值", "≥10")
    assert linear_progress([], AT_LEAST_10, year=2023, target_year=2025, achieved=True).reason == "已达到目标"
    told = linear_progress([], AT_LEAST_10, year=2023, target_year=2025, achieved=True, achieved_reason="当前已满足：建立")
    assert (told.status, told.reason) == ("achieved", "当前已满足：建立")
    assert linear_progress([], NumericTarget(25, "<="), year=2023, target_year=2025).target == "≤25"
    assert linear_progress([], NumericTarget(57, "=="), year=2023, target_year=2025).target == "=57"
    named = linear_progress([], AT_LEAST_10, year=2023, target_year=2025, target_text="完成上级规定的考核任务，且≥10")
    assert named.target == "完成上级规定的考核任务，且≥10"


def test_each_progress_state_says_why_in_words() -> None:
    """Each state's reason gives the pace in numbers (observed, required from the baseline, required from now), the
    share of the required pace, and says when the baseline is not the pack's baseline year."""
    def reason(series: list[tuple[int, float]], target: NumericTarget = AT_LEAST_10, **kw: object) -> str:
        return linear_progress(series, target, year=2023, target_year=2025, **kw).reason  # type: ignore[arg-type]

    assert reason([(2021, 30.0), (2023, 32.0)], NumericTarget(25, "<=")) == \
        "2021—2023年背离目标（年均变化 +1，自2021年需 -1.25/年，今后需 -3.5/年）"
    assert reason([(2021, 0.0), (2023, 5.0)], baseline_year=2021) == \
        "按进度（年均变化 +2.5，自2021年需 +2.5/年，今后需 +2.5/年，完成所需速度的 100%）"
    assert reason([(2021, 5.0), (2023, 7.0)], baseline_year=2020) == \
        "需加快（年均变化 +1，自2021年需 +1.25/年，今后需 +1.5/年，仅为所需速度的 80%）（无2020年数据，以2021年为基期）"
    assert reason([(2021, 12.0), (2023, 12.0)]).startswith("数值已在目标一侧，但目标条件未满足（年均变化 0，")
    assert reason([(2021, 12.0), (2023, 12.0)], achieved=True) == "2023年 12 已达到目标≥10"
    assert reason([(2021, 12.0), (2023, 12.0)], achieved=True, achieved_reason="当前已满足：12 达到 ≥10") == \
        "当前已满足：12 达到 ≥10"
    assert reason([(2023, 5.0)], baseline_year=2021) == "只有2023年一个数值，无法计算年均变化（无2021年数据，以2023年为基期）"
    assert reason([(2023, 12.0)], achieved=True) == "2023年 12 已达到目标≥10"
    assert reason([(2023, 12.0)], achieved=True, achieved_reason="当前已满足") == "当前已满足"
    assert reason([(2021, 5.0), (2023, 7.0)], note="数值已达到，但任务未完成；").startswith("数值已达到，但任务未完成；需加快")
    assert reason([(2021, 5.0), (2023, 7.0)], achieved_reason="当前已满足").startswith("需加快")  # only when achieved


def test_a_share_is_projected_within_0_and_100_percent() -> None:
    """A share in % (0 ≤ latest ≤ 100, the ends included) is projected within 0–100 %; a figure above 100 % is no
    share, and a number without % is not capped."""
    def projected(series: list[tuple[int, float]], unit: str | None = "%") -> float | None:
        return linear_progress(series, AT_LEAST_10, year=2023, target_year=2025, unit=unit).projected

    assert projected([(2021, 98.0), (2023, 100.0)]) == 100.0
    assert projected([(2021, 2.0), (2023, 0.0)]) == 0.0
    assert projected([(2021, 110.0), (2023, 120.0)]) == 130.0
    assert projected([(2021, 99.5), (2023, 100.5)]) == 101.5
    assert projected([(2021, 1.0), (2023, -0.5)]) == -2.0
    assert projected([(2021, 98.0), (2023, 100.0)], unit=None) == 102.0


# -- which targets, and what a target's progress says (a small pack written here) --------------------------------
def _plan(tmp_path, targets: str, rows: list[tuple[int, object, object]], year: int = 2023, plan_only: bool = False):
    """Progress of one indicator 城市生活垃圾回收利用率 (%, higher) — criterion 完成上级规定的考核任务，且≥35, with
    `targets` (YAML) — over `rows` (年度, 指标值, 上级任务), assessed in `year`; `plan_only`: a second indicator
    has no targets, and the pack none at all (its criteria are the end-of-plan targets)."""
    from openpyxl import Workbook

    from ecoplan.run.pipeline import evaluate_file

    pack = tmp_path / f"plan-{len(list(tmp_path.iterdir()))}.yaml"
    pack.write_text(f"""\
id: test-plan
title: 测试规划
target_years: [2023, 2025, 2030]
defaults: {{baseline_year: 2021, when_task_absent: met}}
indicators:
  - id: "1"
    name: 城市生活垃圾回收利用率
    attribute: 约束性
    unit: "%"
    direction: higher
    criterion:
      all_of: [{{kind: superior_task}}, "≥35"]
{"" if plan_only else "    targets:" + targets}
""", encoding="utf-8")
    book = Workbook()
    info = book.active
    info.title = "区县信息"
    for pair in (("项目", "内容"), ("区县名称", "测试区"), ("行政区划代码", "500999"), ("评估年度", year),
                 ("指标体系", "test-plan")):
        info.append(list(pair))
    data = book.create_sheet("指标数据")
    data.append(["指标编号", "指标名称", "年度", "指标值", "上级任务", "单位"])
    for row_year, value, task in rows:
        data.append(["1", "城市生活垃圾回收利用率", row_year, value, task, "%"])
    path = tmp_path / f"district-{len(list(tmp_path.iterdir()))}.xlsx"
    book.save(path)
    outcome = evaluate_file(path, str(pack))
    assert outcome.assessment is not None, [str(p) for p in outcome.problems]
    return {dict(p)["target_year"]: dict(p) for p in outcome.assessment.results[0].progress or []}


def test_targets_are_the_later_years_named_as_the_pack_writes_them(tmp_path) -> None:
    """Progress is toward targets after the assessed year (a 2023 target in 2023 is the verdict, not progress); a
    target's text is the pack's, else the criterion's own description."""
    targets = """
      2023: "≥30"
      2025: {text: 完成上级规定的考核任务且≥36, criterion: {all_of: [{kind: superior_task}, "≥36"]}}
      2030: "≥40\""""
    got = _plan(tmp_path, targets, [(2021, 30, None), (2023, 34, None)])
    assert sorted(got) == [2025, 2030]
    assert (got[2025]["target"], got[2030]["target"]) == ("完成上级规定的考核任务且≥36", "≥40")


def test_a_plan_packs_criterion_is_its_target_for_each_target_year(tmp_path) -> None:
    """A pack that gives no `targets` at all: the indicator's criterion is its target in each later target year."""
    got = _plan(tmp_path, "", [(2021, 30, None), (2023, 34, None)], plan_only=True)
    assert sorted(got) == [2025, 2030]
    assert got[2025]["target"] == "完成上级规定的考核任务，且≥35" and got[2025]["status"] == "on_track"


def test_a_number_past_the_target_with_a_failed_task_says_so(tmp_path) -> None:
    """41 ≥ 35 with the task missed: the progress reason says the number is there and what is not; a latest value
    short of the number (30, after 40 in 2021) says nothing of the kind, whatever an earlier year did."""
    targets = """
      2025: {text: 完成上级规定的考核任务，且≥35, criterion: {all_of: [{kind: superior_task}, "≥35"]}}"""
    short_task = _plan(tmp_path, targets, [(2021, 30, None), (2023, 41, 45)])[2025]
    assert short_task["status"] != "achieved" and short_task["reason"].startswith("数值已达到，但")
    fell = _plan(tmp_path, targets, [(2021, 40, None), (2023, 30, None)])[2025]
    assert fell["status"] == "reverse" and "数值已达到" not in fell["reason"]


def test_progress_is_counted_by_target_year_in_display_order() -> None:
    """The counts of progress states per target year, every state present (0 where none), years in order."""
    from ecoplan.evaluate.progress import PROGRESS_ORDER, summarize_progress

    entries = [{"target_year": 2030, "status": "reverse"}, {"target_year": 2025, "status": "on_track"},
               {"target_year": 2025, "status": "on_track"}, {"target_year": 2025, "status": "achieved"}]
    counts = summarize_progress(entries)
    assert list(counts) == [2025, 2030] and list(counts[2025]) == PROGRESS_ORDER
    assert counts[2025] == {"achieved": 1, "on_track": 2, "accelerate": 0, "reverse": 0, "insufficient_data": 0}
    assert counts[2030]["reverse"] == 1 and sum(counts[2030].values()) == 1
