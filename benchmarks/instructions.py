"""Instructions executed by ecoplan's commands (valgrind's callgrind): a figure other load cannot move.

    python benchmarks/instructions.py     # ~3 minutes; needs valgrind (Debian: apt-get install valgrind)

benchmarks/run.py measures wall time, as a user waits for it; on a shared 2-core machine its ratios drift by ±0.1
between runs of one commit (docs/speed.md). The count of instructions a process executes is the same for the same
code and inputs whatever else the machine does, so comparing it before and after a change (run this script on
both commits) shows whether the change made the code do more or less, to a fraction of a per cent.

It is not a substitute for the wall-time figures: work that waits on memory (large strings, big dicts) takes more
time per instruction, and a bare `python -c` spends most of its 30 ms in the kernel (starting the process, mapping
libraries), which callgrind does not count — so ratios against the bare read are not comparable to run.py's.
The batches run with `--jobs 1`, one process, so that every instruction is counted; the table batch includes
rendering the ranking and matrix at the end, which the JSON Lines batch does not do.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

from run import ENV, ROOT, WORKBOOK, ecoplan, generate

_COLLECTED = re.compile(r"Collected : (\d+)")


def instructions(command: list[str]) -> int:
    """Instructions executed by `command` (one process; its output discarded)."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=ENV, check=True)
    found = _COLLECTED.findall(done.stderr)
    if not found:
        sys.exit(f"valgrind printed no instruction count for {command}:\n{done.stderr[-2000:]}")
    return int(found[-1])


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    small = generate(100)
    batch = ecoplan("batch", str(small), "--jobs", "1")
    instructions(batch)  # warm the pack cache, as a user's second run finds it
    figures = {
        "assess --format json (one workbook)": instructions(ecoplan("assess", str(WORKBOOK), "--format", "json")),
        "batch of 100, table": instructions(batch),
        "batch of 100, jsonl": instructions([*batch, "--format", "jsonl"]),
    }
    print(f"instructions executed (callgrind, whole processes, Python {sys.version.split()[0]})")
    for name, count in figures.items():
        print(f"    {name:36s} {count / 1e6:8,.0f} M")


if __name__ == "__main__":
    main()
