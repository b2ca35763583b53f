"""`ecoplan batch` as a person sees it in a terminal of 80 and 120 columns: no line wider than the terminal, the
rankings and the matrix legible (the matrix split into column groups when it does not fit), every indicator's name
whole on one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import terminal_support
from conftest import run_cli
from ecoplan.render.batch_table import INDENT, render_batch_text, width, wrap
from ecoplan.run.batch_aggregate import BatchAggregate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def on_terminal(columns: int, *args: str) -> str:
    """The text `ecoplan ARGS` shows on a pseudo-terminal of `columns` (tests/terminal_support.py)."""
    return "\n".join(terminal_support.on_terminal(columns, *args))


@pytest.mark.parametrize("columns", [80, 120])
def test_batch_on_a_terminal_fits_and_names_stay_whole(columns: int) -> None:
    shown = on_terminal(columns, "batch", str(DATA))
    lines = shown.splitlines()
    too_wide = [line for line in lines if width(line) > columns]
    assert not too_wide, too_wide[:3]
    # Every indicator of every pack appears whole on one line (the counts table names them).
    single = run_cli("assess", DATA / "yubei-2023.xlsx", "--format", "json")
    names = [r["name"] for r in json.loads(single.stdout)["results"]]
    assert names and all(any(name in line for line in lines) for name in names)
    # The ranking of 渝北区's own pack: one row, 2023 (29/32) on a whole line with its share, and its earlier year
    # 2022 (27/32) as its history, beside it or on the next line.
    assert re.search(r"1\s+渝北区\s+2023\s+90\.6%.*\n?.*2022年 84\.4%", shown)
    assert not re.search(r"\d\s+渝北区\s+2022\s+84\.4%", shown)
    assert shown.rstrip().splitlines()[-1].startswith("共 9 个工作簿：已评估 9 个")  # the summary comes last
    if columns == 80:
        # Narrow is a little longer than wide, never a hard-wrap of every row (which roughly doubles the lines).
        wide = on_terminal(120, "batch", str(DATA)).splitlines()
        assert len(lines) <= 1.25 * len(wide)


def _aggregate(indicators: int, districts: list[str]) -> BatchAggregate:
    """An aggregate of one pack with `indicators` columns, built through BatchAggregate.add as a batch does."""
    columns = [(f"X{i}", str(i), f"指标名称很长的第{i}个指标（含括号说明）", "constraint")
               for i in range(1, indicators + 1)]
    packs = {"big": ("一个指标很多的体系", columns)}
    aggregate = BatchAggregate()
    for number, name in enumerate(districts):
        statuses = ["met" if (i + number) % 3 else "not_met" for i in range(indicators)]
        met = statuses.count("met")
        summary = {"total": indicators, "met": met, "not_met": indicators - met, "not_applicable": 0, "missing": 0,
                   "review": 0, "constraint_not_met": indicators - met}
        aggregate.add(packs, {"path": f"/d/{number}.xlsx", "name": name, "code": None,
                              "year": 2023, "pack": "big", "summary": summary, "statuses": statuses})
    aggregate.settle()
    return aggregate


@pytest.mark.parametrize("columns", [50, 80, 120])
def test_a_wide_matrix_is_split_into_column_groups(columns: int) -> None:
    aggregate = _aggregate(60, ["渝北区", "重庆两江新区（直管区）", "沙坪坝区"])
    lines = render_batch_text(aggregate, columns=columns).splitlines()
    assert max(width(line) for line in lines) <= columns
    groups = [line for line in lines if line.strip().startswith("指标 ") and "（共 60 个）" in line]
    assert len(groups) >= 2  # 60 indicators never fit in one row of 120 columns
    # Each district shows, over all groups, all 60 glyphs: beside its label, or on the line below it when the
    # label takes more than half the page.
    label = "重庆两江新区（直管区） 2023"
    at = [i for i, line in enumerate(lines) if line.strip().startswith(label)]
    assert len(at) == len(groups)
    rows = [lines[i] if lines[i].strip() != label else lines[i + 1] for i in at]
    assert sum(line.count("✓") + line.count("✗") for line in rows) == 60
    # The names: whole on one line each.
    for i in range(1, 61):
        assert any(f"指标名称很长的第{i}个指标（含括号说明）" in line for line in lines)


def test_a_table_too_wide_becomes_one_block_per_district() -> None:
    aggregate = _aggregate(3, ["一个名字非常非常非常非常长的区县用来测试窄终端的排版"])
    lines = render_batch_text(aggregate, columns=50).splitlines()
    assert max(width(line) for line in lines) <= 50
    ranking = "\n".join(lines)
    assert "未达标 1" in ranking and "达标/总数 2/3" in ranking  # header and value side by side in the block


@pytest.mark.parametrize("size", range(20, 90))
def test_a_wrapped_heading_never_starts_a_line_with_closing_punctuation(size: int) -> None:
    # 禁则: "：2 份评估" alone at the start of a line reads as a stray colon; the character before it comes along.
    heading = "渝北区国家生态文明建设示范区建设指标（2025年、2030年规划目标） (yubei-2023-2030)：2 份评估，共 32 项。"
    lines = wrap(heading, size, INDENT)
    assert "".join(line.strip().replace(" ", "") for line in lines) == heading.replace(" ", "")
    assert all(width(line) <= size for line in lines)
    assert not any(line.strip()[0] in "：，。）" for line in lines if line.strip())


@pytest.mark.parametrize("size", [24, 25, 36])
def test_a_row_with_no_earlier_years_gets_no_empty_line_under_it(size: int) -> None:
    """The last column (往年达标率) moves to the row's next line when it does not fit beside the others; a district
    with no earlier year has nothing to move, and the ranking must not show a blank line under it (重庆高新区 at 80
    columns did)."""
    from ecoplan.render.batch_table import fit_table

    rows = [["1", "重庆高新区", "2020", ""], ["2", "渝北区", "2023", "2022 84.4%"]]
    lines = fit_table(["名次", "区县", "年度", "往年达标率"], rows, right={0}, size=size, keys=2)
    assert all(line.strip() for line in lines), lines
    assert any("2022 84.4%" in line for line in lines) and all(width(line) <= size for line in lines)
