"""Issue 13 item 10 and issue 22: every quantified target the documents state is in a pack, not only the tables —
each with its sentence and seed line, in the pack's text or project part — judged through the command line like a
table row, and scoped as written (period totals pro-rata, 左右 within a marked tolerance, exceptions 待核实).
tests/test_packs_inventory.py holds the packs to the seeds line by line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import by_id, run_cli, shared_file
from ecoplan.rules.loader import load_pack


def _seed_line(prefix: str, line: int) -> str:
    matches = sorted(shared_file("seeds").glob(f"{prefix}_*.txt"))
    if not matches:
        shared_file("seeds", f"{prefix}_….txt")
    return "".join(matches[0].read_text(encoding="utf-8").splitlines()[line - 1].split())


def _inventory() -> list[dict[str, Any]]:
    path = shared_file("reference", "seed-indicators.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = data.get("indicators", data) if isinstance(data, dict) else data
    return [r for r in rows if isinstance(r, dict) and str(r.get("id", "")).startswith("001-TXT-")]


def test_every_text_target_of_001_is_in_the_chongqing_pack_at_its_line() -> None:
    pack = load_pack("chongqing-14th-fyp")
    inventory = _inventory()
    assert len(inventory) == 33
    # 001-TXT-04 concerns the 9 渝东北 districts only (L312): left out, documented; 001-TXT-05 (专栏3) is a project
    # quantity: three period totals PRJ-04.1-04.3. Every other keeps its id, in the text part.
    moved = {"001-TXT-04": None, "001-TXT-05": "PRJ-04"}
    for row in inventory:
        ident = moved.get(row["id"], "TXT-" + row["id"].removeprefix("001-TXT-"))
        if ident is None:
            assert pack.find("TXT-04") is None
            continue
        indicator = pack.find(ident)
        assert indicator is not None, row["id"]
        assert indicator.source is not None and indicator.source.line == row["line"], row["id"]


def contract_workbook(path: Path, district: dict[str, Any], rows: list[tuple[str, int, Any]]) -> Path:
    """A submission written from the contract (DESIGN.md): 区县信息 and 指标数据 with 指标编号, 年度, 指标值."""
    from openpyxl import Workbook

    book = Workbook()
    info = book.active
    info.title = "区县信息"
    info.append(["项目", "内容"])
    for key, value in district.items():
        info.append([key, value])
    data = book.create_sheet("指标数据")
    data.append(["指标编号", "年度", "指标值"])
    for row in rows:
        data.append(list(row))
    book.save(path)
    return path


def _results(path: Path) -> dict[str, dict[str, Any]]:
    proc = run_cli("assess", path, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return by_id(json.loads(proc.stdout))


def test_chongqing_text_targets_are_judged_like_table_rows(tmp_path: Path) -> None:
    district = {"区县名称": "重庆市", "行政区划代码": "500000", "评估年度": 2025, "指标体系": "chongqing-14th-fyp"}
    results = _results(contract_workbook(tmp_path / "cq.xlsx", district, [
        ("TXT-06", 2025, 15.6),    # 自然保护地面积占比 不低于15.4%
        ("TXT-19", 2025, 38),      # 农村生活污水治理率 提高到40%: 2 short
        ("TXT-23", 2025, 0.8),     # 放射源辐射事故年发生率 1起/万枚以下
        ("TXT-22", 2025, 1000),    # 新建美丽宜居村庄1000个 (2021-2025 total)
        ("PRJ-04.1", 2025, 520), ("PRJ-04.2", 2025, 310), ("PRJ-04.3", 2025, 55),  # 专栏3 新增…万平方米
        ("TXT-28.1", 2025, 100), ("TXT-28.2", 2025, 98),
    ]))
    assert results["TXT-06"]["status"] == "met"
    assert results["TXT-19"]["status"] == "not_met" and results["TXT-19"]["gap"] == pytest.approx(-2)
    assert results["TXT-23"]["status"] == "met"
    assert results["TXT-22"]["status"] == "met"
    assert results["PRJ-04"]["status"] == "not_met"  # 55 < 60 万平方米 of 近零、零碳建筑
    assert results["PRJ-04"]["part"] == "project" and results["TXT-06"]["part"] == "text"
    assert results["TXT-28"]["status"] == "not_met"  # 按时回复率 98 < 100
    assert results["TXT-02"]["status"] == "missing"  # no value given


@pytest.mark.parametrize(("year", "value", "status"), [(2023, 15.0, "met"), (2023, 14.0, "not_met"),
                                                       (2025, 24.0, "not_met"), (2025, 24.5, "met")])
def test_a_period_total_is_judged_on_its_path(tmp_path: Path, year: int, value: float, status: str) -> None:
    """001 L365 到2025年，完成…修复面积24.5平方公里: a 2021-2025 total, 3/5 of it (14.7) due by 2023 — never 24.5
    a year."""
    district = {"区县名称": "重庆市", "评估年度": year, "指标体系": "chongqing-14th-fyp"}
    results = _results(contract_workbook(tmp_path / "cq.xlsx", district, [("TXT-09.1", year, value)]))
    assert results["TXT-09.1"]["status"] == status


@pytest.mark.parametrize(("value", "status"), [(92.2, "met"), (95, "met"), (91.5, "not_met")])
def test_about_a_figure_is_judged_within_a_marked_tolerance(tmp_path: Path, value: float, status: str) -> None:
    """001 L411 稳定在93%左右: within the pack's ±1 (or above) is met; the reason says the tolerance is inferred."""
    district = {"区县名称": "重庆市", "评估年度": 2025, "指标体系": "chongqing-14th-fyp"}
    result = _results(contract_workbook(tmp_path / "cq.xlsx", district, [("TXT-15", 2025, value)]))["TXT-15"]
    assert result["status"] == status
    assert "推定" in result["reason"] and "容差" in result["reason"]


@pytest.mark.parametrize(("before", "now", "status"), [(50, 48, "met"), (50, 50, "met"), (50, 52, "review")])
def test_an_exception_the_document_allows_is_reviewed_with_its_words(tmp_path: Path, before: int, now: int,
                                                                     status: str) -> None:
    """001 L482 在保证…正常开发建设的前提下，尾矿库数量原则上只减不增: more tailings ponds may be the exception."""
    district = {"区县名称": "重庆市", "评估年度": 2023, "指标体系": "chongqing-14th-fyp"}
    result = _results(contract_workbook(tmp_path / "cq.xlsx", district,
                                        [("TXT-27.1", 2022, before), ("TXT-27.1", 2023, now)]))["TXT-27.1"]
    assert result["status"] == status
    if status == "review":
        assert "原则上只减不增" in result["reason"] and "前提下" in result["reason"]


def test_text_targets_of_003(tmp_path: Path) -> None:
    shapingba = {"区县名称": "沙坪坝区", "行政区划代码": "500106", "评估年度": 2023, "指标体系": "shapingba-14th-fyp"}
    results = _results(contract_workbook(tmp_path / "spb.xlsx", shapingba,
                                 [("TXT-02", 2023, 100), ("TXT-03", 2023, 1), ("TXT-08", 2023, 13)]))
    assert results["TXT-02"]["status"] == "met"       # 危险废物规范化管理抽查考核合格率 100 (L387)
    assert results["TXT-03"]["status"] == "not_met"   # 不发生突发重特大环境污染事件 (L387)
    assert results["TXT-08"]["status"] == "met"       # 新增水土流失治理面积21平方公里 by 2025: 12.6 due by 2023, 13 done


def test_text_targets_of_004(tmp_path: Path) -> None:
    gaoxin = {"区县名称": "重庆高新区", "评估年度": 2025, "指标体系": "gaoxin-14th-fyp"}
    results = _results(contract_workbook(tmp_path / "gx.xlsx", gaoxin,
                                         [("TXT-11", 2025, 11.5), ("TXT-05", 2025, "功能不降低、面积不减少、性质不改变")]))
    assert results["TXT-11"]["status"] == "not_met"  # 人均公园绿地面积不低于12平方米/人 (L290)
    assert results["TXT-05"]["status"] == "met"      # the 十四五 red-line target (L280)


def test_a_past_result_is_not_a_target() -> None:
    """004 L25 完成上级下达生态保护红线管控目标任务 is a 十三五 result: no target quotes it (the L280 one replaces it)."""
    pack = load_pack("gaoxin-14th-fyp")
    assert all(node.source is None or node.source.line != 25 for top in pack.indicators for node in top.walk())
