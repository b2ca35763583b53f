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
    # 27 text targets (the document has no table): the 21 of seed-indicators but the 2035 outlook, and 7 more
    assert len(baseline["results"]) == 27
    assert set(baseline["parts"]) == {"text"} and baseline["summary"] == baseline["parts"]["text"]


def test_gaps_from_the_14th_results(baseline):
    results = by_id(baseline)
    # 生态保护红线面积 18.06 (L6) vs 不少于18.06: met at the boundary.
    assert results["TXT-02"]["status"] == "met"
    assert results["TXT-02"]["gap"] == pytest.approx(0)
    # 重特大突发环境事件 0 (L9: 连续19年未发生较大及以上) vs ≤0, lower is better: gap = 0 − 0.
    assert results["TXT-05"]["status"] == "met"
    assert results["TXT-05"]["gap"] == pytest.approx(0)
    # 黑臭水体 0 (L30 巩固…清零成效) vs ≤0.
    assert results["TXT-11"]["status"] == "met"
    assert results["TXT-11"]["gap"] == pytest.approx(0)
    # 全焚烧 100 % and 零填埋 0 t (L46 保持…).
    assert results["TXT-09.1"]["status"] == "met" and results["TXT-09.1"]["gap"] == pytest.approx(0)
    assert results["TXT-09.2"]["status"] == "met" and results["TXT-09.2"]["gap"] == pytest.approx(0)
    assert results["TXT-09"]["status"] == "met"
    # 长江和尚山国考断面 Ⅱ类 (L5) vs 巩固 (not worse than Ⅱ): class, status only.
    assert results["TXT-19.1"]["status"] == "met"


def test_statuses_of_the_14th_results(baseline):
    results = by_id(baseline)
    # 全市前列 is a rank among districts: never decided from one workbook.
    assert results["TXT-10"]["status"] == "review"
    # 氮氧化物 / 挥发性有机物 (L5: the 十四五 totals) without the 十五五 task the city issues: 待核实, as in every plan
    # pack (issue 22: a city task printed without its figure), and the reason says the measure is inferred.
    assert results["TXT-07.1"]["status"] == "review" and "推定" in results["TXT-07.1"]["reason"]
    assert results["TXT-07.2"]["status"] == "review"
    # 化学需氧量 and 总磷 are not reported, so the composite cannot be met.
    assert results["TXT-07.3"]["status"] == "missing"
    assert results["TXT-07.4"]["status"] == "missing"
    assert results["TXT-07"]["status"] == "missing"
    # 优良天数: the text gives only the best year (最高达到333天), no 2025 value.
    assert results["TXT-19.2"]["status"] == "missing"
    top = {str(r["id"]): r["status"] for r in baseline["results"]}
    assert {i for i, s in top.items() if s == "met"} == {"TXT-02", "TXT-05", "TXT-09", "TXT-11"}
    reported = {"TXT-02", "TXT-05", "TXT-09", "TXT-10", "TXT-11"}
    assert {i for i, s in top.items() if s == "missing"} == set(top) - reported
    assert "TXT-21" not in top  # the 2035 outlook (L24) is not a 2026-2030 target


# ------------------------------------------------------------------------------------------- a plan year, 2026
def _write_workbook(path: Path, rows: list[tuple]) -> None:
    from test_packs_text_targets import contract_workbook

    contract_workbook(path, {"区县名称": "九龙坡区", "评估年度": 2026, "指标体系": "jiulongpo-15th-fyp",
                             "地区类型": "西部", "行政级别": "市辖区"}, rows)


@pytest.fixture(scope="module")
def plan_year(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("jiulongpo") / "jiulongpo-2026.xlsx"
    _write_workbook(path, [
        ("TXT-01", 2025, 20), ("TXT-01", 2026, 15),       # 扬尘示范工地: each year's own count (15, not 35)
        ("TXT-02", 2026, 18.0),                      # 生态保护红线面积 below 18.06
        ("TXT-03", 2026, 100),                       # 辐射安全许可证持证率
        ("TXT-04", 2026, 1),                         # 辐射安全事故: one is one too many
        ("TXT-13", 2026, 95),                       # 溯源和整治覆盖率: not yet 全覆盖
        ("TXT-16", 2026, 35),                       # 应急救援圈 35 min vs ≤30
        ("TXT-17", 2025, 30), ("TXT-17", 2026, 31),     # 绿色出行比例 rising year on year
        ("TXT-19.1", 2026, "Ⅲ类"),                  # worse than the 十四五's Ⅱ
        ("TXT-19.2", 2025, 320), ("TXT-19.2", 2026, 318),  # 优良天数 below the 2025 level
        ("TXT-20", 2025, 0.60), ("TXT-20", 2026, 0.62),    # 水生生物完整性指数 above the 2025 level
    ])
    return assess(path)


def test_plan_year_thresholds(plan_year):
    results = by_id(plan_year)
    expected = {
        "TXT-01": ("not_met", 15 - 20),      # per year: 2026's own 15 < 20
        "TXT-02": ("not_met", 18.0 - 18.06),
        "TXT-03": ("met", 0),
        "TXT-04": ("not_met", 0 - 1),          # zero event, lower is better: target − value
        "TXT-13": ("not_met", 95 - 100),
        "TXT-16": ("not_met", 30 - 35),       # lower is better
    }
    for ident, (status, gap) in expected.items():
        assert results[ident]["status"] == status, ident
        assert results[ident]["gap"] == pytest.approx(gap, abs=1e-6), ident


def test_plan_year_trends_and_classes(plan_year):
    results = by_id(plan_year)
    assert results["TXT-17"]["status"] == "met"       # 稳步提高: 31 > 30 (previous year)
    assert results["TXT-20"]["status"] == "met"       # 提升: 0.62 > 0.60 (2025, the baseline)
    assert results["TXT-19.2"]["status"] == "not_met"  # 巩固: 318 < 320 (2025)
    assert results["TXT-19.1"]["status"] == "not_met"  # Ⅲ is worse than Ⅱ
    assert results["TXT-19"]["status"] == "not_met"


def test_a_gradual_target_is_met_on_its_way(tmp_path):
    """L45 逐步实现医疗卫生机构电子转移联单全覆盖: rising toward 100 is on the way (met), falling is not."""
    rising = tmp_path / "rising.xlsx"
    _write_workbook(rising, [("TXT-12.1", 2025, 80), ("TXT-12.1", 2026, 90)])
    assert by_id(assess(rising))["TXT-12.1"]["status"] == "met"
    falling = tmp_path / "falling.xlsx"
    _write_workbook(falling, [("TXT-12.1", 2025, 90), ("TXT-12.1", 2026, 80)])
    assert by_id(assess(falling))["TXT-12.1"]["status"] == "not_met"


def test_a_city_task_without_its_figure_is_reviewed(tmp_path):
    """L93 单位地区生产总值二氧化碳排放降低完成市级下达目标: no figure printed; without the task, 待核实 (as in
    chongqing-14th-fyp); with it, judged."""
    path = tmp_path / "task.xlsx"
    _write_workbook(path, [("TXT-06", 2026, 3.5)])
    assert by_id(assess(path))["TXT-06"]["status"] == "review"
