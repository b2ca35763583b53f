"""jiulongpo-15th-fyp (the quantified targets in the text of seeds/002), end to end.

The shipped workbook holds the 十四五 results the text reports (year 2025, the plan's baseline); a workbook written
here exercises the 十五五 kinds (a count per year, zero events, a trend against 2025) in a plan year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA, ROOT, by_id
from conftest import assess_json as assess
from conftest import run_cli as run


def test_pack_lints_clean():
    proc = run("rules", "lint", str(ROOT / "rules" / "jiulongpo-15th-fyp.yaml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ------------------------------------------------------------------------------------------- 十四五 results, 2025
@pytest.fixture(scope="module")
def baseline() -> dict:
    return assess(DATA / "jiulongpo-2025.xlsx")


def test_pack_and_district(baseline):
    assert baseline["pack"]["id"] == "jiulongpo-15th-fyp"
    assert baseline["district"]["name"] == "九龙坡区"
    assert baseline["district"]["year"] == 2025
    assert len(baseline["results"]) == 21


def test_gaps_from_the_14th_results(baseline):
    results = by_id(baseline)
    # 生态保护红线面积 18.06 (L6) vs 不少于18.06: met at the boundary.
    assert results["2"]["status"] == "met"
    assert results["2"]["gap"] == pytest.approx(0)
    # 重特大突发环境事件 0 (L9: 连续19年未发生较大及以上) vs ≤0, lower is better: gap = 0 − 0.
    assert results["5"]["status"] == "met"
    assert results["5"]["gap"] == pytest.approx(0)
    # 黑臭水体 0 (L30 巩固…清零成效) vs ≤0.
    assert results["11"]["status"] == "met"
    assert results["11"]["gap"] == pytest.approx(0)
    # 全焚烧 100 % and 零填埋 0 t (L46 保持…).
    assert results["9.1"]["status"] == "met" and results["9.1"]["gap"] == pytest.approx(0)
    assert results["9.2"]["status"] == "met" and results["9.2"]["gap"] == pytest.approx(0)
    assert results["9"]["status"] == "met"
    # 长江和尚山国考断面 Ⅱ类 (L5) vs 巩固 (not worse than Ⅱ): class, status only.
    assert results["19.1"]["status"] == "met"


def test_statuses_of_the_14th_results(baseline):
    results = by_id(baseline)
    # 全市前列 is a rank among districts: never decided from one workbook.
    assert results["10"]["status"] == "review"
    # 氮氧化物 / 挥发性有机物 reductions (L5) without the task value: accepted by the pack's convention.
    assert results["7.1"]["status"] == "met"
    assert results["7.2"]["status"] == "met"
    # 化学需氧量 and 总磷 are not reported, so the composite cannot be met.
    assert results["7.3"]["status"] == "missing"
    assert results["7.4"]["status"] == "missing"
    assert results["7"]["status"] == "missing"
    # 优良天数: the text gives only the best year (最高达到333天), no 2025 value.
    assert results["19.2"]["status"] == "missing"
    top = {str(r["id"]): r["status"] for r in baseline["results"]}
    assert {i for i, s in top.items() if s == "met"} == {"2", "5", "9", "11"}
    not_reported = {"1", "3", "4", "6", "7", "8", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21"}
    assert {i for i, s in top.items() if s == "missing"} == not_reported


# ------------------------------------------------------------------------------------------- a plan year, 2026
def _write_workbook(path: Path, rows: list[tuple]) -> None:
    from test_packs_text_targets import contract_workbook

    contract_workbook(path, {"区县名称": "九龙坡区", "评估年度": 2026, "指标体系": "jiulongpo-15th-fyp",
                             "地区类型": "西部", "行政级别": "市辖区"}, rows)


@pytest.fixture(scope="module")
def plan_year(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("jiulongpo") / "jiulongpo-2026.xlsx"
    _write_workbook(path, [
        ("1", 2025, 20), ("1", 2026, 15),       # 扬尘示范工地: each year's own count (15, not 35)
        ("2", 2026, 18.0),                      # 生态保护红线面积 below 18.06
        ("3", 2026, 100),                       # 辐射安全许可证持证率
        ("4", 2026, 1),                         # 辐射安全事故: one is one too many
        ("13", 2026, 95),                       # 溯源和整治覆盖率: not yet 全覆盖
        ("16", 2026, 35),                       # 应急救援圈 35 min vs ≤30
        ("17", 2025, 30), ("17", 2026, 31),     # 绿色出行比例 rising year on year
        ("19.1", 2026, "Ⅲ类"),                  # worse than the 十四五's Ⅱ
        ("19.2", 2025, 320), ("19.2", 2026, 318),  # 优良天数 below the 2025 level
        ("20", 2025, 0.60), ("20", 2026, 0.62),    # 水生生物完整性指数 above the 2025 level
    ])
    return assess(path)


def test_plan_year_thresholds(plan_year):
    results = by_id(plan_year)
    expected = {
        "1": ("not_met", 15 - 20),        # per year: 2026's own 15 < 20
        "2": ("not_met", 18.0 - 18.06),
        "3": ("met", 0),
        "4": ("not_met", 0 - 1),          # zero event, lower is better: target − value
        "13": ("not_met", 95 - 100),
        "16": ("not_met", 30 - 35),       # lower is better
    }
    for ident, (status, gap) in expected.items():
        assert results[ident]["status"] == status, ident
        assert results[ident]["gap"] == pytest.approx(gap, abs=1e-6), ident


def test_plan_year_trends_and_classes(plan_year):
    results = by_id(plan_year)
    assert results["17"]["status"] == "met"       # 稳步提高: 31 > 30 (previous year)
    assert results["20"]["status"] == "met"       # 提升: 0.62 > 0.60 (2025, the baseline)
    assert results["19.2"]["status"] == "not_met"  # 巩固: 318 < 320 (2025)
    assert results["19.1"]["status"] == "not_met"  # Ⅲ is worse than Ⅱ
    assert results["19"]["status"] == "not_met"
