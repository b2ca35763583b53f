"""Batch scoring: many workbooks, each against its own pack, in parallel processes, streamed in input order.

The per-workbook work is small (a few ms: read, load, match, evaluate), so the design keeps everything around it
smaller still:

* workers get chunks of paths (not one path per task), so inter-process traffic is one message per chunk;
* workers send back plain dicts and tuples: a compact row (district, summary, one status per top-level
  indicator) plus, for formats that list every result (json, csv), the already rendered text of that
  workbook, so the parent never rebuilds `Assessment` objects;
* the parent consumes results as they arrive, in input order (`Executor.map` keeps order), and keeps only the
  compact rows (`BatchAggregate`), so memory grows by ~1 KB per workbook, not by a whole assessment.

The output therefore does not depend on `--jobs`: the same chunks are scored by the same code, and results are
consumed in the order of the input list.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecoplan.errors import InputError
from ecoplan.run.pipeline import evaluate_file

LOCK_PREFIX = "~$"  # Office writes ~$name.xlsx lock files beside an open workbook; they are not workbooks
STATUSES = ("met", "not_met", "not_applicable", "missing", "review")
# The formats whose per-workbook text a worker renders (the parent only concatenates it).
TEXT_FORMATS = ("json", "csv")

Row = dict[str, Any]
PackColumns = list[tuple[str, str, str, str]]  # (id, seq, name, attribute) of each top-level indicator


# --- inputs ----------------------------------------------------------------------------------------------------
def collect_workbooks(arguments: Sequence[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand files and directories (recursively, *.xlsx, no ~$ lock files) into a sorted, de-duplicated list.

    A file named on the command line is taken whatever its suffix (the reader then says what it is); a path that
    does not exist is returned as an error, so one typo does not stop the batch.
    """
    files: list[Path] = []
    errors: list[tuple[str, str]] = []
    seen: set[object] = set()

    def add(path: Path, key: object = None) -> None:
        # The same file named twice (or through a link) is scored once: it is known by its device and inode
        # (resolving the path would look up every directory on the way, for each of thousands of files).
        if key is None:
            try:
                info = path.stat()
                key = (info.st_dev, info.st_ino)
            except OSError:
                key = path  # a dangling link or an unreadable entry: kept, and the reader says what is wrong
        if key not in seen:
            seen.add(key)
            files.append(path)

    for argument in arguments:
        if argument.is_dir():
            for path, key in sorted(_workbooks_under(argument), key=lambda found: found[0]):
                add(path, key)
        elif argument.exists():
            add(argument)
        else:
            errors.append((str(argument), "no such file or directory"))
    return files, errors


def _workbooks_under(folder: Path) -> Iterator[tuple[Path, object]]:
    """Every *.xlsx file under `folder` (not ~$ lock files; links to folders are not followed), with its
    (device, inode) where the directory listing gives it without a stat: a thousand workbooks are listed in a few
    ms, where Path.rglob and a stat of each took four times as long."""
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            device = directory.stat().st_dev
            with os.scandir(directory) as entries:
                listed = list(entries)
        except OSError:
            continue  # unreadable: skipped, as Path.rglob does
        for entry in listed:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(directory / name)
                elif len(name) > 5 and name[-5:].lower() == ".xlsx" and not name.startswith(LOCK_PREFIX):
                    if entry.is_symlink():
                        if entry.is_file():
                            yield directory / name, None  # add() stats it: the link's target is what counts
                    elif entry.is_file(follow_symlinks=False):
                        yield directory / name, (device, entry.inode())
            except OSError:
                continue


def chunked(items: Sequence[Any], jobs: int, most: int = 64) -> list[list[Any]]:
    """Split `items` into chunks: several per worker (so a slow chunk does not leave a core idle at the end), but
    never so small that the ~1 ms of work per workbook drowns in inter-process messages."""
    if not items:
        return []
    size = max(1, min(most, -(-len(items) // (max(jobs, 1) * 8))))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


# --- the worker --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """What every worker needs besides the paths: the options of the command (picklable)."""

    pack: str | None = None
    strict: bool = False
    fmt: str = "table"


def score_chunk(job: Job, paths: list[str]) -> tuple[dict[str, Any], list[Row]]:
    """Score a chunk of workbooks. Returns the columns of every pack used (id → (title, columns)) and one
    compact row per workbook, in the chunk's order. Never raises for a bad workbook: its row carries the error."""
    packs: dict[str, Any] = {}
    rows = [score_one(Path(p), job, packs) for p in paths]
    return packs, rows


def score_one(path: Path, job: Job, packs: dict[str, Any]) -> Row:
    """One workbook → a compact row (see the module docstring); errors become `row["error"]`."""
    try:
        # Only the JSON elements carry progress toward later targets; the matrix, CSV and sheets do not show it.
        outcome = evaluate_file(path, job.pack, strict=job.strict, progress=job.fmt == "json")
    except InputError as exc:
        message = exc.message if exc.where == str(path) else str(exc)
        return {"path": str(path), "error": message}
    except Exception as exc:  # a bug must not stop the batch either; say so for this workbook only
        if os.environ.get("ECOPLAN_DEBUG"):
            raise
        return {"path": str(path), "error": f"internal error ({type(exc).__name__}: {exc}); please report it"}
    assessment = outcome.assessment
    if assessment is None:
        errors = outcome.errors
        shown = "; ".join(str(p) for p in errors[:3])
        more = f"; and {len(errors) - 3} more (run ecoplan check for the full list)" if len(errors) > 3 else ""
        return {"path": str(path), "error": f"cannot be assessed: {shown or 'no usable rows'}{more}"}
    pack_id = assessment.pack["id"]
    if pack_id not in packs and outcome.pack is not None:
        packs[pack_id] = (assessment.pack["title"] or pack_id,
                          [(top.id, top.seq or top.id, top.label, top.attribute or "") for top in outcome.pack.indicators])
    summary = assessment.summary
    row: Row = {
        "path": str(path), "error": None,
        "name": assessment.district["name"], "code": assessment.district.get("code"), "year": assessment.year,
        "pack": pack_id,
        "summary": summary.as_dict(),
        "statuses": [r.status for r in assessment.results],
    }
    if job.fmt == "json":
        # Indented as one element of DESIGN.md's list, so the parent can stream "[", the elements, "]" and the
        # result equals json.dumps(list, indent=2) (JSON strings hold no raw newline, so indenting lines is safe).
        import json  # here, not at the top: a table batch never needs it

        text = json.dumps(assessment.as_dict(), ensure_ascii=False, indent=2)
        row["text"] = "  " + text.replace("\n", "\n  ")
    elif job.fmt == "csv":
        from ecoplan.render.flat import render_csv

        row["text"] = render_csv(assessment).split("\n", 1)[1]  # without the header; the parent writes it once
    elif job.fmt == "xlsx":
        from ecoplan.render.batch_xlsx import district_rows

        row["sheet"] = district_rows(assessment)
    return row


def _score_chunk_star(args: tuple[Job, list[str]]) -> tuple[dict[str, Any], list[Row]]:
    return score_chunk(*args)


# --- running -----------------------------------------------------------------------------------------------------
def iter_scored(files: Sequence[Path], job: Job, jobs: int,
                progress: Callable[[int], None] | None = None) -> Iterator[tuple[dict[str, Any], Row]]:
    """Score every file; yield (packs seen so far in this chunk, row) in input order, whatever `jobs` is."""
    chunks = chunked([str(f) for f in files], jobs)
    if jobs <= 1 or len(chunks) <= 1:
        results: Iterable[tuple[dict[str, Any], list[Row]]] = (score_chunk(job, c) for c in chunks)
        yield from _flatten(results, progress)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: workers inherit the imported modules (and any pack already parsed), so they start in ~1 ms instead of
    # re-importing the program's modules; spawn is the fallback where fork does not exist.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
        yield from _flatten(pool.map(_score_chunk_star, [(job, c) for c in chunks]), progress)


def _flatten(results: Iterable[tuple[dict[str, Any], list[Row]]],
             progress: Callable[[int], None] | None) -> Iterator[tuple[dict[str, Any], Row]]:
    for packs, rows in results:
        for row in rows:
            yield packs, row
        if progress is not None:
            progress(len(rows))


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes, logs or CI)."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.enabled = total > 0 and hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    def __call__(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.1 and self.done < self.total):
            return
        self._last = now
        width = 30
        filled = int(width * self.done / self.total)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} workbooks")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()


# --- aggregating -------------------------------------------------------------------------------------------------
@dataclass(slots=True)  # one per workbook for the whole batch: no per-instance __dict__
class Entry:
    """What the overview keeps of one scored workbook (compact: no results, no reasons)."""

    index: int
    path: str
    name: str
    code: str | None
    year: int
    pack: str
    summary: dict[str, int]
    statuses: tuple[str, ...]

    @property
    def share_met(self) -> float:
        total = self.summary["total"]
        return self.summary["met"] / total if total else 0.0


@dataclass
class PackBlock:
    """The districts × indicators matrix of one pack, with per-indicator status counts built as rows arrive."""

    id: str
    title: str
    columns: PackColumns
    entries: list[Entry] = field(default_factory=list)
    counts: list[dict[str, int]] = field(default_factory=list)

    def add(self, entry: Entry) -> None:
        if not self.counts:
            self.counts = [dict.fromkeys(STATUSES, 0) for _ in self.columns]
        self.entries.append(entry)
        for index, status in enumerate(entry.statuses[:len(self.columns)]):
            self.counts[index][status] = self.counts[index].get(status, 0) + 1

    def most_failed(self) -> list[tuple[int, dict[str, int]]]:
        """Column indexes with their counts, the most often unmet first (then missing, review; then table order)."""
        order = sorted(range(len(self.columns)), key=lambda i: (-self.counts[i]["not_met"], -self.counts[i]["missing"],
                                                                -self.counts[i]["review"], i))
        return [(i, self.counts[i]) for i in order]


@dataclass
class BatchAggregate:
    """Everything the overview needs, built incrementally from the stream of rows."""

    entries: list[Entry] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    packs: dict[str, PackBlock] = field(default_factory=dict)
    total: int = 0

    def add(self, packs: dict[str, Any], row: Row) -> Entry | None:
        """Take one row; return its Entry (None for a workbook that could not be scored)."""
        self.total += 1
        if row.get("error"):
            self.errors.append((row["path"], row["error"]))
            return None
        pack_id = row["pack"]
        if pack_id not in self.packs:
            title, columns = packs[pack_id]
            self.packs[pack_id] = PackBlock(pack_id, title, columns)
        entry = Entry(len(self.entries), row["path"], row["name"], row.get("code"), row["year"], pack_id,
                      row["summary"], tuple(sys.intern(s) for s in row["statuses"]))
        self.entries.append(entry)
        self.packs[pack_id].add(entry)
        return entry

    def ranking(self) -> list[Entry]:
        """Share met (highest first), then 约束性 unmet (fewest first), then name, then input order."""
        return sorted(self.entries, key=lambda e: (-e.share_met, e.summary["constraint_not_met"], e.name, e.index))


def gate_failed_any(aggregate: BatchAggregate, fail_on: Any) -> bool:
    """Whether any scored district fails the `--fail-on` gate."""
    from ecoplan.report.assessment import Summary
    from ecoplan.report.verdict import gate_failed

    return any(gate_failed(Summary(**{k: v for k, v in e.summary.items()}), fail_on) for e in aggregate.entries)


def exit_code(aggregate: BatchAggregate, gate: bool) -> int:
    """0: every workbook scored (and the gate passed); 1: some workbook could not be scored, or the gate failed;
    2: nothing could be scored at all (no usable input)."""
    if not aggregate.entries:
        return 2
    if aggregate.errors or gate:
        return 1
    return 0
