"""Where a batch spends its time: each stage of the pipeline, in-process, in ms per workbook, beside the floor.

    python benchmarks/stages.py          # 300 of the generated workbooks (run benchmarks/run.py once first)
    python benchmarks/stages.py 1000

Each stage runs on the previous stage's output for every workbook, best of three rounds (the machine is noisy).
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def best(work: Callable[[], object], count: int, rounds: int = 3) -> float:
    """The fastest of `rounds` runs of `work`, in ms per workbook."""
    fastest = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest / count * 1000


def main() -> None:
    from python_calamine import CalamineWorkbook

    from ecoplan.evaluate.evaluator import assess
    from ecoplan.run.batch import Job, score_one
    from ecoplan.run.pipeline import cached_pack
    from ecoplan.workbook.district import load_district
    from ecoplan.workbook.match import match
    from ecoplan.workbook.reader import read_workbook

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    paths = sorted((HERE / "out" / "workbooks-1000").rglob("*.xlsx"))[:count]
    if not paths:
        sys.exit("no generated workbooks: run python benchmarks/run.py (or benchmarks/generate.py 1000) first")
    gc.set_threshold(20_000, 20, 20)  # as `ecoplan batch` does

    def floor() -> None:
        for path in paths:
            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()

    books = [read_workbook(p) for p in paths]
    districts = [load_district(b) for b in books]
    packs = [cached_pack(d.profile.pack) if d.profile and d.profile.pack else None for d in districts]
    usable = [(d, p) for d, p in zip(districts, packs, strict=True) if p is not None]
    matched = [(match(d, p), d, p) for d, p in usable]
    figures = {
        "floor (calamine)": best(floor, len(paths)),
        "read (safety pass + calamine)": best(lambda: [read_workbook(p) for p in paths], len(paths)),
        "load district": best(lambda: [load_district(b) for b in books], len(paths)),
        "match": best(lambda: [match(d, p) for d, p in usable], len(paths)),
        "evaluate (no progress)": best(lambda: [assess(p, d.profile, m.values, d.profile.year, progress=False)
                                                for m, d, p in matched], len(paths)),
        "evaluate with progress": best(lambda: [assess(p, d.profile, m.values, d.profile.year)
                                                for m, d, p in matched], len(paths)),
        "whole (score_one, table)": best(lambda: [score_one(p, Job(), {}) for p in paths], len(paths)),
    }
    print(f"{len(paths)} workbooks, ms per workbook (in-process, best of 3):")
    for name, value in figures.items():
        print(f"  {name:32s} {value:6.2f}")


if __name__ == "__main__":
    main()
