"""What a person sees in a terminal: `ecoplan assess` run on a pseudo-terminal of 80 and 120 columns (a real
window size, not COLUMNS), its colours stripped, read line by line."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import termios
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import ROOT, run_cli, start_cli

YUBEI_2023 = ROOT / "data" / "yubei-2023.xlsx"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def on_terminal(columns: int, *args: str, exit_code: int = 0) -> list[str]:
    """Run `python -m ecoplan ARGS` with stdout on a pty of `columns` × 50; the lines shown, colours removed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    proc = start_cli(*args, stdout=follower, stderr=subprocess.PIPE, env={"TERM": "xterm-256color"})
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the pty (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=120) == exit_code, proc.stderr.read() if proc.stderr else ""
    text = _ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")
    return text.rstrip("\n").split("\n")


def indicator_names() -> list[str]:
    report = json.loads(run_cli("assess", YUBEI_2023, "--format", "json").stdout)
    names: list[str] = []

    def visit(result: dict) -> None:
        names.append(result["name"])
        for item in result["items"]:
            visit(item)

    for result in report["results"]:
        visit(result)
    return names


@pytest.mark.parametrize("columns", [80, 120])
def test_assess_fits_the_terminal_with_names_whole_and_the_summary_last(columns: int) -> None:
    lines = on_terminal(columns, "assess", str(YUBEI_2023))
    too_wide = [line for line in lines if cell_len(line) > columns]
    assert not too_wide, too_wide[:3]
    for name in indicator_names():
        assert any(name in line for line in lines), f"{name} is not whole on any line"
    assert lines[-1] == "32 项指标：达标 29（含不涉及 1），未达标 3（约束性 3）"
    assert len(lines) <= 250, len(lines)  # ~950 lines when the table folded every name a character a line
    # the unmet ones carry their gap and their reason right under their name
    at = next(i for i, line in enumerate(lines) if "└ 未达标 森林覆盖率" in line)
    block = "\n".join(lines[at:at + 3])
    assert "37.69 → 保持稳定或持续改善" in block and "差距 −1.81 %" in block
    assert "规划目标 ✓2025 ✓2030" in block  # the plan's target, named as such, apart from the verdict
    assert "37.69%（2021年 39.5%）不满足保持稳定或持续改善" in block


def test_progress_counts_say_what_they_count() -> None:
    lines = on_terminal(80, "assess", str(YUBEI_2023))
    assert any(line.startswith("2025 年目标（42 个分项）：✓已达成 35") for line in lines)


def test_wide_terminal_gets_the_full_table_with_names_whole() -> None:
    lines = on_terminal(200, "assess", str(YUBEI_2023))
    assert any("序号" in line and "指标值" in line and "说明" in line for line in lines)  # the header row
    assert all(cell_len(line) <= 200 for line in lines)
    assert any("自然保护地和生态保护红线生态环境重点问题整改率" in line for line in lines)
    assert lines[-1].startswith("32 项指标")


def test_redirected_output_gets_a_wide_page_with_the_full_table() -> None:
    from ecoplan.render.console import redirected_width

    assert redirected_width("") == 200 and redirected_width("abc") == 200
    assert redirected_width("80") == 200 and redirected_width("250") == 250
    redirected = run_cli("assess", YUBEI_2023, env={"COLUMNS": "80"})
    lines = redirected.stdout.splitlines()
    assert redirected.returncode == 0 and max(cell_len(line) for line in lines) <= 200
    assert any("序号" in line and "说明" in line for line in lines)  # the full table, names whole
    assert any("自然保护地和生态保护红线生态环境重点问题整改率" in line for line in lines)


def piped_to_terminal(columns: int, *args: str) -> list[str]:
    """`ecoplan ARGS | less` as a person types it: stdout a pipe, stderr their terminal of `columns` × 50."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    try:
        done = run_cli(*args, stdout=subprocess.PIPE, stderr=follower, text=False)
    finally:
        os.close(follower)
        os.close(leader)
    return done.stdout.decode().splitlines()


@pytest.mark.parametrize("command", [["assess", str(YUBEI_2023)], ["batch", str(ROOT / "data")]])
def test_a_pipe_read_on_a_terminal_is_laid_out_for_that_terminal(command: list[str]) -> None:
    lines = piped_to_terminal(80, *command)
    too_wide = [line for line in lines if cell_len(line) > 80]
    assert lines and not too_wide, too_wide[:3]
    if command[0] == "assess":
        assert lines[-1] == "32 项指标：达标 29（含不涉及 1），未达标 3（约束性 3）"
        for name in indicator_names():
            assert any(name in line for line in lines), f"{name} is not whole on any line"


def test_files_get_the_same_wide_page_whatever_columns_the_shell_exports(tmp_path: Path) -> None:
    """CI runners and shells export COLUMNS of some terminal: a file written with COLUMNS=80 is still the page
    written without it, for `batch` as for `assess` (one width rule in render/console.py)."""
    pages = []
    for columns in (None, "80"):
        out = tmp_path / f"batch-{columns}.txt"
        with out.open("w") as sink:
            run_cli("batch", ROOT / "data", stdout=sink, stderr=subprocess.DEVNULL,
                    env={"COLUMNS": columns} if columns else None)
        pages.append(out.read_text())
    assert pages[0] == pages[1]
    assert max(cell_len(line) for line in pages[1].splitlines()) > 80


def test_check_fits_80_columns_with_the_unmet_names_whole() -> None:
    lines = on_terminal(80, "check", str(YUBEI_2023), exit_code=1)
    assert all(cell_len(line) <= 80 for line in lines), [line for line in lines if cell_len(line) > 80][:3]
    for name in ("环境空气质量", "优良天数比率", "声环境功能区夜间达标率", "森林覆盖率"):
        assert any(line.rstrip().endswith(name) or f" {name} " in line for line in lines), name
    assert any("位置 指标数据!D20" in line for line in lines)  # where to look in the workbook
    assert len(lines) < 60  # blocks: 50 lines for 渝北 2023 (the folded nine-column table took 69, names in pieces)
