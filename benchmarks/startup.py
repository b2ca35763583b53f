"""One `ecoplan assess data/yubei-2023.xlsx --format json` against the framework's floor: a minimal typer application
that reads the same workbook with python-calamine and prints it as JSON, nothing else.

    python benchmarks/startup.py [--runs N]

Both run as a user runs them (the installed `ecoplan` command, its cache warm), alternately, N times each (default
9) after one unmeasured run of each; prints each one's median wall time and CPU time and the ratios. Target: ecoplan
≤ 1.5× the floor in wall time. The machine's load moves both; the ratio of medians of interleaved runs is what to
compare.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "data" / "yubei-2023.xlsx"
TARGET = 1.5

FLOOR = '''\
import json

import typer
from python_calamine import CalamineWorkbook

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@app.command()
def assess(path: str, fmt: str = typer.Option("json", "--format")) -> None:
    book = CalamineWorkbook.from_path(path)
    sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    print(json.dumps(sheets, ensure_ascii=False, default=str))


app()
'''

# What a user runs with: byte-compiled modules and the caches on (these switches would turn them off).
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ECOPLAN_NO_CACHE")}


def ecoplan_command() -> list[str]:
    """The installed `ecoplan` script beside this interpreter, else `python -m ecoplan`."""
    script = Path(sys.executable).parent / "ecoplan"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "ecoplan"]


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of `command`, start to exit; its output is read and dropped, a failure stops.
    CPU time (user + system) is what other load on the machine moves least."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, env=ENV, cwd=ROOT)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    """Measure and print the medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="measured runs of each (at least 7)")
    runs = max(parser.parse_args().runs, 7)
    with tempfile.TemporaryDirectory() as folder:
        floor_script = Path(folder) / "floor_app.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        floor = [sys.executable, str(floor_script), str(WORKBOOK), "--format", "json"]
        ecoplan = [*ecoplan_command(), "assess", str(WORKBOOK), "--format", "json"]
        timed(floor), timed(ecoplan)  # warm the file cache, the byte-code and ecoplan's pack cache
        floor_times, ecoplan_times = [], []
        for _ in range(runs):
            floor_times.append(timed(floor))
            ecoplan_times.append(timed(ecoplan))
    print(f"median of {runs} interleaved runs each, {os.getloadavg()[0]:.1f} load average at the end")
    for index, what in ((0, "wall"), (1, "CPU ")):
        floor_ms = statistics.median(t[index] for t in floor_times) * 1000
        ecoplan_ms = statistics.median(t[index] for t in ecoplan_times) * 1000
        ratio = ecoplan_ms / floor_ms
        print(f"{what}: floor (typer + python-calamine → JSON) {floor_ms:.0f} ms, ecoplan assess --format json "
              f"{ecoplan_ms:.0f} ms: {ratio:.2f}× (target ≤ {TARGET}×: {'met' if ratio <= TARGET else 'not met'})")


if __name__ == "__main__":
    main()
