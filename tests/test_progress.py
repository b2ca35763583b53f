"""Progress toward plan targets: 渝北 2022 → 2023 against the 2025/2030 targets of 表4, computed by hand, and the
edge cases of Open SDG's progress calculation (base 0, opposite signs, missing base year, duplicate years, fewer
than two points, target already achieved), plus a share near 100 % and lower-is-better."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, by_id, edited_copy, run_cli
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
