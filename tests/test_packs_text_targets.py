"""Issue 13 item 10: every quantified target the documents state is in a pack, not only the tables — each with
its sentence and seed line — and judged through the command line like a table row."""

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
    for row in inventory:
        indicator = pack.find("TXT-" + row["id"].removeprefix("001-TXT-"))
        assert indicator is not None, row["id"]
        assert indicator.source is not None and indicator.source.line == row["line"], row["id"]


@pytest.mark.parametrize(("pack_id", "seed"), [("chongqing-14th-fyp", "001"), ("shapingba-14th-fyp", "003"),
                                               ("gaoxin-14th-fyp", "004")])
def test_each_text_target_quotes_its_seed_line(pack_id: str, seed: str) -> None:
    pack = load_pack(pack_id)
    for top in pack.indicators:
        if not top.id.startswith("TXT-"):
            continue
        for node in top.walk():
            if node.text is None or node.source is None or node.source.line is None:
                continue
            line = _seed_line(seed, node.source.line)
            for part in node.text.split("……"):  # an elision marks words left out of a long sentence
                assert "".join(part.split()).rstrip("。") in line, (node.id, part)
            assert node.attribute is None, node.id  # the text states no 约束性/预期性


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
        ("TXT-05", 2025, "既有建筑绿色化改造面积：520 可再生能源建筑应用面积：310 近零、零碳建筑示范项目：55"),
        ("TXT-28.1", 2025, 100), ("TXT-28.2", 2025, 98),
    ]))
    assert results["TXT-06"]["status"] == "met"
    assert results["TXT-19"]["status"] == "not_met" and results["TXT-19"]["gap"] == pytest.approx(-2)
    assert results["TXT-23"]["status"] == "met"
    assert results["TXT-22"]["status"] == "met"
    assert results["TXT-05"]["status"] == "not_met"  # 55 < 60 万平方米 of 近零、零碳建筑
    assert results["TXT-28"]["status"] == "not_met"  # 按时回复率 98 < 100
    assert results["TXT-02"]["status"] == "missing"  # no value given


def test_text_targets_of_003_and_004(tmp_path: Path) -> None:
    shapingba = {"区县名称": "沙坪坝区", "行政区划代码": "500106", "评估年度": 2023, "指标体系": "shapingba-14th-fyp"}
    results = _results(contract_workbook(tmp_path / "spb.xlsx", shapingba,
                                 [("TXT-危废", 2023, 100), ("TXT-突发事件", 2023, 1)]))
    assert results["TXT-危废"]["status"] == "met"       # 危险废物规范化管理抽查考核合格率 100 (L387)
    assert results["TXT-突发事件"]["status"] == "not_met"  # 不发生突发重特大环境污染事件 (L387)
    gaoxin = {"区县名称": "重庆高新区", "评估年度": 2025, "指标体系": "gaoxin-14th-fyp"}
    results = _results(contract_workbook(tmp_path / "gx.xlsx", gaoxin, [("TXT-公园绿地", 2025, 11.5)]))
    assert results["TXT-公园绿地"]["status"] == "not_met"  # 人均公园绿地面积不低于12平方米/人 (L290)


def test_the_result_004_states_is_reproduced() -> None:
    """004 L25: 完成上级下达生态保护红线管控目标任务 — the shipped 2020 workbook carries it, and it is 达标."""
    from conftest import DATA

    assert _results(DATA / "gaoxin-2020.xlsx")["TXT-红线管控"]["status"] == "met"
