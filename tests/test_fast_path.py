"""A plain `ecoplan assess` skips typer for speed; it must behave exactly as the full command line does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT


def _run(args: list[str], fast: bool) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("ECOPLAN_NO_FASTPATH", None)
    if not fast:
        env["ECOPLAN_NO_FASTPATH"] = "1"
    return subprocess.run([sys.executable, "-m", "ecoplan", "assess", *args], capture_output=True, text=True,
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
