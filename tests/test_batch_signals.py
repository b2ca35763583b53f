"""A parallel batch stops cleanly (issue 21 item 3): Ctrl-C or SIGTERM, sent to the parent or to its whole process
group, ends it with one line (已中断), exit 130, no traceback and no file left half-written; and its workers die
with it, even when the parent is killed with SIGKILL. The signals are sent for real to a running `ecoplan batch`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table in /proc")
COPIES = 40  # × 5 workbooks: a batch of a few seconds, long enough to be stopped while it runs


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    for copy in range(COPIES):
        for name in ("yubei-2023.xlsx", "yubei-2022.xlsx", "gaoxin-2020.xlsx", "shapingba-2020.xlsx",
                     "chongqing-2020.xlsx"):
            shutil.copy(DATA / name, folder / f"{copy:03d}-{name}")
    return folder


def children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_batch(folder: Path, out: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """`ecoplan batch FOLDER --jobs 2 -o OUT` in a process group of its own, and its two workers once scoring."""
    proc = subprocess.Popen([sys.executable, "-m", "ecoplan", "batch", str(folder), "--jobs", "2", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "NO_COLOR": "1"})
    deadline = time.monotonic() + 60
    while len(workers := children(proc.pid)) < 2:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.01)
    time.sleep(0.2)  # well inside the scoring
    return proc, workers


def gone(pids: list[int], within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("to_group", [False, True], ids=["parent", "group"])
def test_a_signal_stops_the_batch_with_one_line(many: Path, tmp_path: Path, signum: int, to_group: bool) -> None:
    proc, workers = start_batch(many, tmp_path / "r.json")
    if to_group:
        os.killpg(proc.pid, signum)  # as a terminal's Ctrl-C, or a service manager stopping the job, sends it
    else:
        os.kill(proc.pid, signum)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    # One line, and no traceback from the parent or a worker.
    assert stderr.splitlines() == ["ecoplan: 错误：已中断"]
    assert stdout == ""
    assert gone(workers), [pid for pid in workers if alive(pid)]
    assert list(tmp_path.iterdir()) == []  # nothing written, no temporary file


def test_workers_die_with_a_killed_parent(many: Path, tmp_path: Path) -> None:
    proc, workers = start_batch(many, tmp_path / "r.json")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert gone(workers), [pid for pid in workers if alive(pid)]  # not left waiting for work that never comes


def test_a_worker_leaves_the_stop_signals_to_its_parent_and_dies_with_it() -> None:
    # What every worker does first, checked in a process of its own: a worker waiting for work when a Ctrl-C
    # reaches the whole group would otherwise print a KeyboardInterrupt traceback of its own.
    probe = """
import ctypes, os, signal
from ecoplan.run.batch import STOP_SIGNALS, _worker_start
signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)  # as the parent starts its workers
_worker_start(os.getppid())
death = ctypes.c_int()
ctypes.CDLL(None).prctl(2, ctypes.byref(death), 0, 0, 0)  # PR_GET_PDEATHSIG
print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN, signal.getsignal(signal.SIGTERM) is signal.SIG_IGN,
      death.value == signal.SIGKILL, sorted(signal.pthread_sigmask(signal.SIG_BLOCK, [])) == [])
"""
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["True"] * 4, proc.stderr
