"""Several workbooks of one district are one series: a fact written in two accepted forms is one fact, and every
conflict between them is reported at once, naming both cells."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import DATA, edited_copy, run_cli
from ecoplan.workbook.reported import Reading, agree
from ecoplan.workbook.values import parse_value

AIR = Reading(("优良天数比率",), "%", days_share=True, year=2023)
SENTENCE = "上级规定的考核任务：327 天 当年指标值：300 天，优良天数比率：82.2%"


@pytest.mark.parametrize("one, other, same", [
    ("82.2%", SENTENCE, True),                        # the rate, and the sentence that names it
    ("82.2", SENTENCE, True),                         # a bare number is in the indicator's unit
    ("82.3%", SENTENCE, False),
    ("300天", SENTENCE, True),                         # the day count the sentence gives
    ("301天", SENTENCE, False),
    ("300天", "82.2%", True),                          # 300 / 365 = 82.19 %, written to one decimal
    ("300天", "82.3%", False),
    ("300天", "82.19%", True),
    ("300天", "82.20%", True),                         # 82.2: written to one decimal again
    ("300天", "82.18%", False),
    ("上级规定的考核任务：327 天 当年指标值：300 天，优良天数比率：82.3%", SENTENCE, False),
    ("上级规定的考核任务：326 天 当年指标值：300 天，优良天数比率：82.2%", SENTENCE, False),  # another task
    ("不涉及", "82.2%", False),
    ("保持稳定(82.2)", "82.2%", True),
])
def test_one_fact_in_two_forms(one: str, other: str, same: bool) -> None:
    a, b = parse_value(one), parse_value(other)
    assert agree(a, b, AIR) is same and agree(b, a, AIR) is same


def test_days_and_percent_are_one_fact_only_where_the_pack_relates_them() -> None:
    plain = Reading(("优良天数比率",), "%", days_share=False, year=2023)
    assert not agree(parse_value("300天"), parse_value("82.2%"), plain)
    leap = Reading(("优良天数比率",), "%", days_share=True, year=2024)  # 300 / 366 = 81.97 %
    assert agree(parse_value("300天"), parse_value("82.0%"), leap)
    assert not agree(parse_value("300天"), parse_value("82.2%"), leap)


def _later_copy(tmp_path: Path, name: str, values: dict[tuple[str, int], object]) -> Path:
    """yubei-2023.xlsx again, as the 2024 workbook that repeats 2022 and 2023 as its history."""
    return edited_copy(DATA / "yubei-2023.xlsx", tmp_path / name, values=values, profile={"评估年度": 2024})


def test_a_rate_written_alone_and_in_the_documents_sentence_is_one_fact(tmp_path: Path) -> None:
    later = _later_copy(tmp_path, "渝北-2024.xlsx", {("4.1", 2023): "82.2%", ("4.1", 2022): "321天"})
    proc = run_cli("assess", later, DATA / "yubei-2023.xlsx", "--year", "2023", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert "history-conflict" not in proc.stderr + json.dumps(report.get("problems", []))
    assert (report["summary"]["met"], report["summary"]["not_met"]) == (29, 3)


def test_every_conflict_is_reported_at_once_naming_both_cells(tmp_path: Path) -> None:
    later = _later_copy(tmp_path, "渝北-2024.xlsx", {("4.1", 2023): "83.2%", ("6.1", 2023): 70.5, ("9", 2022): 99})
    proc = run_cli("assess", later, DATA / "yubei-2023.xlsx", "--year", "2023")
    assert "Traceback" not in proc.stderr
    conflicts = re.findall(r"history-conflict：([^\n]*?请更正其中一个工作簿)", proc.stderr)
    assert len(conflicts) == 3, proc.stderr
    for (label, year, cell), line in zip([("优良天数比率", 2023, "D5"), ("城市生活污水集中收集率", 2023, "D11"),
                                          ("受污染耕地安全利用率", 2022, "D71")], conflicts, strict=True):
        assert f"{label} {year} 年" in line
        assert f"渝北-2024.xlsx:指标数据!{cell}" in line and f"yubei-2023.xlsx:指标数据!{cell}" in line
