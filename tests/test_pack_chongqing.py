"""The 重庆市 packs of seeds/001_ffe3df235e0d3900.txt, through the real command line.

- chongqing-13th-fyp (专栏1, L24-149): 2020 目标值 vs 2020 实际值, no verdict column; read literally every row is met,
  several exactly at the boundary, and the Ⅲ target vs II actual is met (seed-criteria §5.5).
- chongqing-14th-fyp (专栏2, L191-272, plus text targets): the 2020 现状值 assessed against the 2025 targets; the
  gaps below are computed by hand from the table. Gap = value − target in the indicator's unit (target − value
  for lower-is-better), negative = short of the target.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK_13TH = ROOT / "data" / "chongqing-2020-13th.xlsx"
WORKBOOK_14TH = ROOT / "data" / "chongqing-2020.xlsx"


def assess(path: Path) -> dict:
    assert path.exists(), f"{path} missing: run python data/build.py"
    proc = run_cli("assess", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def flatten(results: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for result in results:
        out[result["id"]] = result
        out.update(flatten(result.get("items") or []))
    return out


# ---------------------------------------------------------------------------------------------------- 十三五 review
@pytest.fixture(scope="module")
def review_13th() -> dict:
    return assess(WORKBOOK_13TH)


EXPECTED_13TH = {
    "1": "met",      # 森林增长: all three sub-items met
    "1.1": "met",    # 林地面积总量 6897 ≥ 6300 万亩
    "1.2": "met",    # 森林覆盖率 52.5 ≥ 46
    "1.3": "met",    # 森林蓄积量 2.41 ≥ 2.4 亿立方米
    "2": "met",      # 城市绿地
    "2.1": "met",    # 建成区绿地率 39.4 ≥ 38.9
    "2.2": "met",    # 建成区绿化覆盖率 42.9 ≥ 41
    "3": "met",      # 能耗降低 [19.4] ≥ [16] (five-year totals)
    "4": "met",      # 二氧化碳排放降低 [21.88] ≥ [19.5]
    "5": "met",      # 用水量降低 [29] vs [29]: met at the boundary
    "6": "met",      # 净增建设用地总量 [52821] < [75000] 公顷 (lower is better, strict)
    "7": "met",      # 大宗工业固体废弃物综合利用率 85 vs 85: boundary
    "8": "met",      # 长江干流重庆段水质 II, target Ⅲ: II is better
    "9": "met",      # 空气质量: both sub-items met
    "9.1": "met",    # PM2.5 33 ≤ 45.6 μg/m3 (lower is better)
    "9.2": "met",    # 优良天数比率 91.2 ≥ 83
    "10": "met",     # 主要污染物排放总量减少: all four met
    "10.1": "met",   # 化学需氧量 [8.3] ≥ [7.4]
    "10.2": "met",   # 二氧化硫 [22.4] ≥ [18]
    "10.3": "met",   # 氨氮 [7.4] ≥ [6.3]
    "10.4": "met",   # 氮氧化物 [18.3] ≥ [18]
    "11": "met",     # 城市生活污水集中处理率 95 vs 95: boundary
    "12": "met",     # 城市生活垃圾无害化处理率 100 ≥ 95
}


def test_13th_header(review_13th: dict) -> None:
    assert review_13th["pack"]["id"] == "chongqing-13th-fyp"
    assert review_13th["district"]["name"] == "重庆市"
    assert int(review_13th["district"]["year"]) == 2020


@pytest.mark.parametrize("indicator_id", list(EXPECTED_13TH))
def test_13th_item_by_item(review_13th: dict, indicator_id: str) -> None:
    result = flatten(review_13th["results"])[indicator_id]
    assert result["status"] == EXPECTED_13TH[indicator_id], result.get("reason")


def test_13th_counts(review_13th: dict) -> None:
    summary = review_13th["summary"]
    assert summary["total"] == 12
    assert summary["met"] == 12
    assert summary["not_met"] == summary["missing"] == summary["review"] == summary["not_applicable"] == 0


@pytest.mark.parametrize("indicator_id, gap", [
    ("5", 0.0),              # [29] − [29]
    ("7", 0.0),              # 85 − 85
    ("11", 0.0),             # 95 − 95
    ("3", 19.4 - 16),        # five-year totals
    ("6", 75000 - 52821),    # lower is better: target − value
    ("9.1", 45.6 - 33),      # lower is better
    ("1.1", 6897 - 6300),
])
def test_13th_gaps(review_13th: dict, indicator_id: str, gap: float) -> None:
    assert flatten(review_13th["results"])[indicator_id]["gap"] == pytest.approx(gap, abs=1e-6)


# ---------------------------------------------------------------------------------------------------- 十四五 baseline
@pytest.fixture(scope="module")
def baseline_14th() -> dict:
    return assess(WORKBOOK_14TH)


# 2020 现状值 against the 2025 目标值, by hand.
EXPECTED_14TH = {
    # id: (status, gap)
    "4": ("met", 100 - 97.3),         # 国控断面水质优良比例 100 vs 97.3* (more sections from 2021, 注2)
    "5": ("not_met", 91.2 - 92.6),    # 优良天数比率 91.2 vs 92.6
    "6": ("not_met", 52.5 - 57),      # 森林覆盖率 52.5 vs 57
    "7": ("not_met", 42.9 - 43),      # 城市建成区绿化覆盖率 42.9 vs ≥43
    "TXT-01": ("not_met", 19.3 - 20),  # 非化石能源消费占比 19.3 vs 20%以上 (L18, L284)
    "TXT-07": ("not_met", 69.5 - 72),  # 水土保持率 69.5 vs 72%以上 (L361)
    "TXT-10": ("not_met", 95 - 98),    # 城市生活污水集中处理率 95 vs 98%以上 (L141, L393)
    "TXT-13": ("met", 0.0),            # 城市集中式饮用水水源地水质达标率 100 vs 100 (L16, L397)
    "TXT-PM25": ("met", 35 - 33),      # PM2.5 33 vs ≤35 μg/m3, lower is better: target − value (L16, L407)
}


def test_14th_header(baseline_14th: dict) -> None:
    assert baseline_14th["pack"]["id"] == "chongqing-14th-fyp"
    assert int(baseline_14th["district"]["year"]) == 2020


@pytest.mark.parametrize("indicator_id", list(EXPECTED_14TH))
def test_14th_gap_from_baseline(baseline_14th: dict, indicator_id: str) -> None:
    status, gap = EXPECTED_14TH[indicator_id]
    result = flatten(baseline_14th["results"])[indicator_id]
    assert result["status"] == status, result.get("reason")
    assert result["gap"] == pytest.approx(gap, abs=1e-6)


def test_14th_undecidable_rows(baseline_14th: dict) -> None:
    by_id = flatten(baseline_14th["results"])
    # 由国家下达: the national task is not in the table, so the baseline cannot be judged against it.
    assert by_id["1"]["status"] == "review"
    assert by_id["2"]["status"] == "review"
    # 主要污染物重点工程减排量: 现状值 "—", a new indicator with no baseline.
    assert by_id["3"]["status"] == "missing"


def test_14th_counts(baseline_14th: dict) -> None:
    summary = baseline_14th["summary"]  # the table (专栏2), as the document counts it
    assert summary["total"] == 7
    assert summary["met"] == 1                        # 4
    assert summary["not_met"] == 3                    # 5, 6, 7
    assert summary["review"] == 2                     # 1, 2
    assert summary["missing"] == 1                    # 3
    assert summary["not_applicable"] == 0
    assert baseline_14th["parts"]["table"] == summary
