"""Plain `ecoplan assess`, `batch` and `check` calls skip typer for speed, parsed with a description derived from
the typer declarations themselves; they must be taken, and behave exactly as the full command line does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT

# Runs the entry point as the console script does and reports, after everything else (atexit: the process must end
# normally, so coverage and other exit handlers run), whether typer was ever imported.
PROBE = """
import atexit, sys
atexit.register(lambda: print("typer imported" if "typer" in sys.modules else "typer never imported",
                              file=sys.stderr))
from ecoplan.cli.main import main
sys.argv = ["ecoplan", *sys.argv[1:]]
main()
"""


def _env(fast: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ECOPLAN_NO_FASTPATH", "ECOPLAN_NO_CACHE")}
    if not fast:
        env["ECOPLAN_NO_FASTPATH"] = "1"
    return env


def _run(args: list[str], fast: bool, command: str = "assess") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ecoplan", command, *args], capture_output=True, text=True,
                          cwd=ROOT, env=_env(fast), timeout=120)


def _probe(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                          env=_env(True), timeout=120)


@pytest.fixture(scope="module", autouse=True)
def derived() -> None:
    """The first typer run derives the description and caches it (in the tests' private cache folder)."""
    assert _run(["--help"], True).returncode == 0


@pytest.mark.parametrize("args", [
    ["assess", str(DATA / "yubei-2023.xlsx"), "--format", "json"],
    ["batch", str(DATA / "yubei-2022.xlsx"), "-f", "csv", "-j", "1"],
    ["check", str(DATA / "yubei-2023.xlsx"), "--fail-on=never"],
])
def test_the_fast_path_is_taken_and_prints_what_typer_prints(args: list[str]) -> None:
    fast = _probe(args)
    assert fast.stderr.endswith("typer never imported\n"), fast.stderr
    full = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                          env=_env(False), timeout=120)
    assert full.stderr.endswith("typer imported\n")
    assert (fast.returncode, fast.stdout) == (full.returncode, full.stdout)
    assert fast.stderr.replace("typer never imported", "") == full.stderr.replace("typer imported", "")


def test_an_unusual_call_goes_to_typer() -> None:
    proc = _probe(["assess", str(DATA / "yubei-2023.xlsx"), "-fjson"])  # a joined short option: typer's to judge
    assert proc.returncode == 0 and proc.stderr.endswith("typer imported\n")


def test_version_without_typer() -> None:
    from ecoplan import __version__

    proc = _probe(["--version"])
    assert proc.returncode == 0 and proc.stdout == f"ecoplan {__version__}\n"
    assert proc.stderr == "typer never imported\n"
    full = subprocess.run([sys.executable, "-m", "ecoplan", "--version"], capture_output=True, text=True, cwd=ROOT,
                          env=_env(False), timeout=120)
    assert full.stdout == proc.stdout


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
    [str(DATA), "--format", "jsonl", "-j", "2"],
    [str(DATA), "-o", "x.json", "--format", "csv"],
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


@pytest.mark.parametrize("args", [
    [str(DATA)],
    [str(DATA / "yubei-2023.xlsx"), "--format", "junit", "--fail-on", "not_met"],
    [str(DATA / "yubei-2023.xlsx"), "-f", "github", "-y", "2022"],
    [str(DATA / "no-such.xlsx")],
])
def test_check_same_output_and_exit_code(args: list[str]) -> None:
    fast, full = _run(args, True, "check"), _run(args, False, "check")
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)


def test_the_fast_path_follows_an_edited_declaration(tmp_path: Path) -> None:
    """The description is derived, not restated: a new spelling added to the typer declaration in a copy of the
    package is parsed by the fast path on the next run (the first run after the edit derives it anew)."""
    import shutil

    root = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "ecoplan", root / "ecoplan", ignore=shutil.ignore_patterns("__pycache__"))
    assess = root / "ecoplan" / "cli" / "assess.py"
    text = assess.read_text(encoding="utf-8")
    assert '"--pack", "-p"' in text
    assess.write_text(text.replace('"--pack", "-p"', '"--pack", "-p", "--rule-pack"', 1), encoding="utf-8")
    env = {**_env(True), "PYTHONPATH": str(root), "ECOPLAN_RULES": str(ROOT / "rules"),
           "ECOPLAN_CACHE_DIR": str(tmp_path / "cache")}
    args = ["assess", str(DATA / "yubei-2023.xlsx"), "--rule-pack", "yubei-2023-2030", "-f", "json"]
    runs = [subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=tmp_path,
                           env=env, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stderr.endswith("typer imported\n")  # nothing derived yet for this source
    assert runs[1].stderr.endswith("typer never imported\n") and runs[1].stdout == runs[0].stdout
