"""Plain `ecoplan assess` and `ecoplan batch` calls skip typer for speed; they must behave exactly as the full
command line does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT


def _run(args: list[str], fast: bool, command: str = "assess") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("ECOPLAN_NO_FASTPATH", None)
    if not fast:
        env["ECOPLAN_NO_FASTPATH"] = "1"
    return subprocess.run([sys.executable, "-m", "ecoplan", command, *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


@pytest.mark.parametrize("args", [
    [str(DATA / "yubei-2023.xlsx"), "--format", "json"],
    [str(DATA / "yubei-2023.xlsx"), "-f", "csv", "--fail-on", "constraint"],
    [str(DATA / "yubei-2023.xlsx"), "--format=markdown", "-y", "2022", "--strict"],
    [str(DATA / "yubei-2022.xlsx"), str(DATA / "yubei-2023.xlsx"), "--pack", "national-demo-county-2024"],
    [str(DATA / "no-such.xlsx")],
    [str(DATA / "yubei-2023.xlsx"), "--pack", "no-such-pack"],
])
def test_same_output_and_exit_code(args: list[str]) -> None:
    fast, full = _run(args, True), _run(args, False)
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)


def test_unusual_calls_fall_back_to_the_full_parser(tmp_path: Path) -> None:
    proc = _run([str(DATA / "yubei-2023.xlsx"), "--format", "yaml"], True)
    assert proc.returncode == 2 and "yaml" in proc.stderr and "Traceback" not in proc.stderr
    assert _run([str(DATA / "yubei-2023.xlsx"), "--help"], True).returncode == 0


@pytest.mark.parametrize("args", [
    [str(DATA)],
    [str(DATA), "--format", "json", "--jobs", "2"],
    [str(DATA / "yubei-2023.xlsx"), str(DATA / "yubei-2022.xlsx"), "-f", "csv", "-j", "1", "--fail-on", "not_met"],
    [str(DATA), "--format=markdown", "--strict", "--pack", "national-demo-county-2024"],
    [str(DATA / "no-such.xlsx")],
    [str(DATA), "--jobs", "0"],
    [str(DATA), "--format", "xlsx"],
])
def test_batch_same_output_and_exit_code(args: list[str]) -> None:
    fast, full = _run(args, True, "batch"), _run(args, False, "batch")
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)


def test_batch_writes_the_same_workbook_either_way(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sheets = []
    for fast in (True, False):
        out = tmp_path / f"{fast}.xlsx"
        assert _run([str(DATA), "-o", str(out)], fast, "batch").returncode in (0, 1)
        book = load_workbook(out)
        sheets.append({ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets})
    assert sheets[0] == sheets[1]
