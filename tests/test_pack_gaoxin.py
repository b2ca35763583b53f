"""gaoxin-14th-fyp (专栏1 of seeds/004), end to end: the 2020 values the text reports (L21, L25) against the 2025
targets, with the gaps checked by hand."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, ROOT, by_id
from conftest import run_cli as run


@pytest.fixture(scope="module")
def report() -> dict:
    proc = run("assess", str(DATA / "gaoxin-2020.xlsx"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_pack_lints_clean():
    proc = run("rules", "lint", str(ROOT / "rules" / "gaoxin-14th-fyp.yaml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pack_and_district(report):
    assert report["pack"]["id"] == "gaoxin-14th-fyp"
    assert report["district"]["name"] == "重庆高新区"
    assert report["district"]["year"] == 2020
    # 专栏1's 17 (the table), then the text's 42 targets and the 3 project quantities of 专栏5-6 apart
    assert [len([r for r in report["results"] if r["part"] == p]) for p in ("table", "text", "project")] == [17, 42, 3]
    assert {k: v["total"] for k, v in report["parts"].items()} == {"table": 17, "text": 42, "project": 3}


def test_gaps_from_2020_to_2025(report):
    results = by_id(report)
    # 环境空气质量优良天数 328 (L21) vs 达到320天及以上: 8 days to spare (target below 2020).
    assert results["4"]["status"] == "met"
    assert results["4"]["gap"] == pytest.approx(328 - 320)
    # PM2.5 31 μg/m3 (L21) vs 35, lower is better: gap = target − value.
    assert results["5"]["status"] == "met"
    assert results["5"]["gap"] == pytest.approx(35 - 31)
    # 乡镇集中式饮用水水源地水质达标率 100 (L21) vs 100.
    assert results["7"]["status"] == "met"
    assert results["7"]["gap"] == pytest.approx(0)
    # 森林覆盖率 36.1 (L25) vs 57左右 (±1): short by 19.9 points to the edge of the band (56). The document gives no
    # tolerance, so the reason says the pack's ±1 is inferred.
    assert results["14"]["status"] == "not_met"
    assert results["14"]["gap"] == pytest.approx(36.1 - (57 - 1))
    assert "推定" in results["14"]["reason"] and "容差" in results["14"]["reason"]


def test_water_class_strictly_better(report):
    # 梁滩河 2020: the sections 达到V类 (L21); the target 优于V类水域功能 needs Ⅳ or better.
    assert by_id(report)["6"]["status"] == "not_met"


def test_everything_else_has_no_2020_value(report):
    statuses = {str(r["id"]): r["status"] for r in report["results"] if r["part"] == "table"}
    no_value = {"1", "2", "3", "8", "9", "10", "11", "12", "13", "15", "16", "17"}
    assert {i for i, s in statuses.items() if s == "missing"} == no_value
    # the text states no 2020 value for any of its targets (L25's red-line sentence is a 十三五 result, not a target)
    assert {r["status"] for r in report["results"] if r["part"] != "table"} == {"missing"}
    summary = report["summary"]  # 专栏1's 17 indicators, as the document counts them
    assert (summary["total"], summary["met"], summary["not_met"], summary["missing"]) == (17, 3, 2, 12)
    assert summary["constraint_not_met"] == 2   # 6 梁滩河水体水质 and 14 森林覆盖率 are 约束性
