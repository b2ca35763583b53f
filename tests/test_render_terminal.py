"""What a person sees: every table ecoplan prints (assess, check, batch, rules list, rules show, rules lint) on a
pseudo-terminal of 80 and 120 columns (a real window size, not COLUMNS), piped into a pager on one, and piped into
a program as pre-commit and CI runners do (80 columns) — no line wider than that, and no id, path, name, number
with its unit or option broken across lines (render/console.page_width is the width rule, render/wrap.py the
breaking rule)."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import ROOT, run_cli
from ecoplan.render.wrap import longest_unbreakable, wrap
from terminal_support import on_terminal, piped, piped_to_terminal

YUBEI_2023 = ROOT / "data" / "yubei-2023.xlsx"
MERGED = Path("tests") / "fixtures" / "merged-value-rows.xls"  # a submission with errors, by a relative path
CORPUS = Path("tests") / "corpus" / "rules"


def indicator_names(path: Path = YUBEI_2023) -> list[str]:
    report = json.loads(run_cli("assess", path, "--format", "json").stdout)
    names: list[str] = []

    def visit(result: dict) -> None:
        names.append(result["name"])
        for item in result["items"]:
            visit(item)

    for result in report["results"]:
        visit(result)
    return names


def pack_ids() -> list[str]:
    from ecoplan.rules.loader import available_packs

    return list(available_packs())


# (command, the words that must each stand whole on one line of its output)
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "assess": (["assess", "data/yubei-2023.xlsx"], ["−27 天", "−1.1 μg/m³", "−1.81 个百分点", "37.69"]),
    "check": (["check", "data/yubei-2023.xlsx", str(MERGED), "data/jiulongpo-2025.xlsx"],
              ["data/yubei-2023.xlsx", str(MERGED), "merged-cells", "missing-constraint-value", "--fail-on",
               "指标数据!D2", "−27 天"]),
    "batch": (["batch", "data"], ["national-demo-2019", "yubei-2023-2030", "gaoxin-14th-fyp"]),
    "rules list": (["rules", "list"], ["national-demo-county-2024", "ecoplan rules show"]),
    "rules show": (["rules", "show", "yubei-2023-2030"], ["yubei-2023-2030", "2025年目标", "μg/m³"]),
    "rules lint": (["rules", "lint", str(CORPUS)], ["tests/corpus/rules/approximate-no-tolerance.yaml:9:16:",
                                                    "unknown-criterion", "indicators.0.criterion:"]),
}
_UNIT_FIRST = re.compile(r"\s*(?:天|%|μg|mg|个百分点|万吨|吨|公顷|平方米|年|个|项|类)")


def assert_laid_out(lines: list[str], columns: int, whole: list[str]) -> None:
    """No line wider than `columns`; each of `whole` on one line; no number torn from the unit after it, no
    comparison sign from its number."""
    too_wide = [line for line in lines if cell_len(line) > columns]
    assert not too_wide, too_wide[:3]
    for word in whole:
        assert any(word in line for line in lines), f"{word!r} is not whole on any line"
    prose = [line for line in lines if not line.lstrip().startswith(("│", "┃", "┏", "┡", "└─", "├"))]
    for line, following in itertools.pairwise(prose):
        torn = (re.search(r"\d$", line) and _UNIT_FIRST.match(following)) or re.search(r"[≥≤<>]\s*$", line)
        assert not torn, f"a number is torn from its unit or sign:\n{line}\n{following}"


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_table_fits_the_terminal_and_breaks_no_word(command: str, columns: int) -> None:
    args, whole = COMMANDS[command]
    lines = on_terminal(columns, *args, exit_codes=(0, 1, 2))
    assert len(lines) > 5, lines
    assert_laid_out(lines, columns, whole)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_piped_output_is_80_columns_as_in_pre_commit_and_ci_logs(command: str) -> None:
    args, whole = COMMANDS[command]
    lines = piped(*args)
    assert len(lines) > 5, lines
    if command == "rules lint":  # one line per problem for editors and CI problem matchers, as compilers print
        assert all(re.match(r"\S+:\d+:\d+: [a-z-]+: ", line) for line in lines), lines[:3]
        return
    assert_laid_out(lines, 80, whole)


def test_a_wider_page_is_asked_for_with_columns() -> None:
    lines = piped("assess", "data/yubei-2023.xlsx", env={"COLUMNS": "200"})
    assert max(cell_len(line) for line in lines) > 120
    assert any("序号" in line and "说明" in line for line in lines)  # the full table, names whole


@pytest.mark.parametrize("command", ["assess", "batch", "rules list", "check"])
def test_a_pipe_read_on_a_terminal_is_laid_out_for_that_terminal(command: str) -> None:
    args, whole = COMMANDS[command]
    lines = piped_to_terminal(120, *args)
    assert_laid_out(lines, 120, whole)
    assert max(cell_len(line) for line in lines) > 80  # the terminal's width, not the pipe's 80


def test_a_table_written_to_a_file_is_80_columns(tmp_path: Path) -> None:
    out = tmp_path / "达标情况.txt"
    proc = run_cli("assess", YUBEI_2023, "--format", "table", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert_laid_out(out.read_text(encoding="utf-8").splitlines(), 80, indicator_names())


@pytest.mark.parametrize("columns", [80, 120])
def test_assess_keeps_names_whole_and_the_summary_last(columns: int) -> None:
    lines = on_terminal(columns, "assess", str(YUBEI_2023))
    assert_laid_out(lines, columns, indicator_names())
    assert lines[-1] == "32 项指标：达标 29（含不涉及 1），未达标 3（约束性 3）"
    assert len(lines) <= 260, len(lines)  # ~950 lines when the table folded every name a character a line
    # the unmet ones carry their gap and their reason right under their name
    at = next(i for i, line in enumerate(lines) if "└ 未达标 森林覆盖率" in line)
    block = "\n".join(lines[at:at + 3])
    assert "37.69 → 保持稳定或持续改善" in block and "差距 −1.81 个百分点" in block
    assert "规划目标 ✓2025 ✓2030" in block  # the plan's target, named as such, apart from the verdict
    assert "37.69%（2021年 39.5%）不满足保持稳定或持续改善" in block


def test_progress_counts_say_what_they_count() -> None:
    lines = on_terminal(80, "assess", str(YUBEI_2023))
    assert any(line.startswith("2025 年目标（42 个分项）：✓已达成 35") for line in lines)


def test_a_wide_terminal_gets_the_full_table_with_names_whole() -> None:
    lines = on_terminal(200, "assess", str(YUBEI_2023))
    assert any("序号" in line and "指标值" in line and "说明" in line for line in lines)  # the header row
    assert_laid_out(lines, 200, indicator_names())
    assert lines[-1].startswith("32 项指标")


def test_rules_list_gives_every_pack_id_whole_at_80_columns() -> None:
    lines = on_terminal(80, "rules", "list")
    for pack_id in pack_ids():
        assert any(line.startswith(pack_id + "  ") for line in lines), pack_id  # at a line's start, to copy


def test_rules_show_gives_every_name_whole_at_80_columns() -> None:
    lines = on_terminal(80, "rules", "show", "national-demo-county-2024")
    from ecoplan.rules.loader import load_pack

    pack = load_pack("national-demo-county-2024")
    for top in pack.indicators:
        for node in top.walk():
            assert any(line.startswith(node.id + " ") and node.label in line for line in lines), node.id


def test_check_fits_80_columns_with_the_unmet_names_whole() -> None:
    lines = on_terminal(80, "check", str(YUBEI_2023), exit_codes=(1,))
    assert_laid_out(lines, 80, ["环境空气质量", "优良天数比率", "声环境功能区夜间达标率", "森林覆盖率"])
    assert any("位置 指标数据!D20" in line for line in lines)  # where to look in the workbook
    assert len(lines) < 60  # blocks: 50 lines for 渝北 2023 (the folded nine-column table took 69, names in pieces)
    assert not any(line != line.rstrip() for line in lines)  # no trailing spaces in a CI log


def test_check_at_120_columns_gives_the_problems_as_a_table() -> None:
    lines = on_terminal(120, "check", str(MERGED), exit_codes=(1,))
    assert any("位置" in line and "代码" in line and "说明" in line for line in lines)
    assert_laid_out(lines, 120, ["merged-cells", "missing-constraint-value"])


# --- the breaking rule itself ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [12, 20, 33, 47])
def test_the_rule_breaks_between_words_and_chinese_characters_only(size: int) -> None:
    text = ("300天（任务 327天）；优良天数比率 82.2% → 完成上级规定的考核任务，且≥90或持续提高 差距 −27 天；"
            "东北地区： ≥ 30；见 national-demo-county-2024 和 data/yubei-2023.xlsx，--fail-on constraint")
    lines = wrap(text, size, "  ")
    assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert cell_len(line) <= size or cell_len(line.strip()) == longest_unbreakable(line.strip())
        assert not line.strip().startswith(("，", "；", "）", "%", "：")), line  # 禁则: no closing punctuation first
        assert not line.rstrip().endswith("（"), line
    joined = "\n".join(lines)
    for whole in ("327天", "−27 天", "≥ 30", "--fail-on", "82.2%"):
        assert whole in joined, (whole, lines)
    if size >= 26:  # the id and the path fit: never cut
        assert "national-demo-county-2024" in joined and "data/yubei-2023.xlsx" in joined


def test_a_path_wider_than_the_line_is_cut_after_a_slash() -> None:
    lines = wrap("文件 data/submissions/2023/渝北区/very-long-name-of-a-file.xlsx 不是工作簿", 24)
    assert all(cell_len(line) <= 24 for line in lines)
    assert any(line.endswith("/") for line in lines[:-1]), lines


def test_a_terminal_that_states_no_size_gets_80_columns() -> None:
    """pre-commit runs a hook on a pseudo-terminal it gives no size (when it colours its output): 80 columns."""
    lines = on_terminal(0, "check", "data/yubei-2023.xlsx", exit_codes=(1,))
    assert_laid_out(lines, 80, ["环境空气质量", "−27 天"])
    assert max(cell_len(line) for line in lines) > 60


@pytest.mark.parametrize("columns", [80, 120])
def test_the_problems_assess_lists_beside_its_table_fit_the_terminal(columns: int) -> None:
    lines = on_terminal(columns, "assess", "data/chongqing-2020.xlsx", stderr_too=True)
    assert any("有 4 个问题" in line for line in lines)
    assert_laid_out(lines, columns, ["missing-constraint-value", "[3.4 2020]", "7 项指标"])
