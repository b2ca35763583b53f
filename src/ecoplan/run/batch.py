"""Batch scoring: many workbooks, each against its own pack, in parallel processes, in input order.

The per-workbook work is small (a few ms: read, load, match, evaluate), so the design keeps everything around it
smaller still:

* workers get chunks of paths (not one path per task), so inter-process traffic is one message per chunk;
* workers send back a compact row (district, summary, one status per top-level indicator) and, for formats that
  list every result, what the caller's renderer made of the workbook's assessment (`Job.encode` names that
  renderer function, "module:function"; this module renders nothing itself). Encoding in the workers keeps it
  parallel: done in the parent, JSON lines cost a batch ~1.5× the table's time;
* the parent consumes results as they arrive, in input order (`Executor.map` keeps order), and hands each row to
  the aggregate (ecoplan.run.batch_aggregate), which keeps the compact rows and puts the encoded part on disk.

The output therefore does not depend on `--jobs`: the same chunks are scored by the same code, and results are
consumed in the order of the input list.

Stopping: Ctrl-C or SIGTERM — sent to the parent or to its whole process group — stops the batch in the parent
(`stops_as_interrupt` turns SIGTERM into the KeyboardInterrupt Ctrl-C raises; the command line prints one line,
已中断, and exits 130). Workers ignore both signals, so none prints a traceback of its own; the parent kills them
when it stops, and each dies with its parent however the parent ends (`kill -9` included).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecoplan.errors import InputError
from ecoplan.files import path_text
from ecoplan.report.problems import Problem
from ecoplan.report.verdict import part_absent
from ecoplan.run.pipeline import evaluate_file, problem_of

Scored = dict[str, Any]  # what a worker sends back for one workbook (see the module docstring)
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>: the signal a process gets when its parent dies


# --- the worker --------------------------------------------------------------------------------------------------
def chunked(items: Sequence[Any], jobs: int, most: int = 64) -> list[list[Any]]:
    """Split `items` into chunks: several per worker (so a slow chunk does not leave a core idle at the end), but
    never so small that the ~1 ms of work per workbook drowns in inter-process messages."""
    if not items:
        return []
    size = max(1, min(most, -(-len(items) // (max(jobs, 1) * 8))))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


@dataclass(frozen=True)
class Job:
    """What every worker needs besides the paths: the options of the command (picklable)."""

    pack: str | None = None
    strict: bool = False
    encode: str | None = None  # "module:function" (path, Assessment) -> picklable value, for formats listing results
    progress: bool = False  # with progress toward later targets (only the JSON formats show it)
    part: str = "table"  # the part of each pack the ranking counts (--part; the table, or a whole pack without one)


def score_chunk(job: Job, paths: list[str]) -> tuple[dict[str, Any], list[Scored]]:
    """Score a chunk of workbooks. Returns the columns of every pack used (id → (title, columns)) and one
    compact row per workbook, in the chunk's order. Never raises for a bad workbook: its row carries its problems."""
    packs: dict[str, Any] = {}
    rows = [score_one(Path(p), job, packs) for p in paths]
    return packs, rows


def score_one(path: Path, job: Job, packs: dict[str, Any]) -> Scored:
    """One workbook → a compact row (see the module docstring) with its `problems` (as `check` names them); a
    workbook that cannot be assessed gives a row of its path and problems only."""
    try:
        # Only the JSON elements carry progress toward later targets; the matrix, CSV and sheets do not show it.
        outcome = evaluate_file(path, job.pack, strict=job.strict, progress=job.progress)
    except InputError as exc:
        return {"path": path_text(path), "problems": [problem_of(exc, path)]}
    except Exception as exc:  # a bug must not stop the batch either; say so for this workbook only
        if os.environ.get("ECOPLAN_DEBUG"):
            raise
        return {"path": path_text(path), "problems": [Problem("internal-error", f"内部错误（{type(exc).__name__}: "
                                                                               f"{exc}）；请连同该文件报告此问题")]}
    assessment = outcome.assessment
    if assessment is None:
        return {"path": path_text(path), "problems": list(outcome.problems)}
    pack_id = assessment.pack["id"]
    absent = part_absent(assessment, job.part)  # --part text on a pack without text targets: judged on nothing
    if absent is not None:
        assessment.problems.append(absent)
    judged = assessment.selected(job.part)  # the part the ranking and the gate judge: the matrix shows it
    if pack_id not in packs and outcome.pack is not None:
        pack = outcome.pack
        ids = {r.id for r in judged}
        columns = [(top.id, top.seq or top.id, top.label, top.attribute or "") for top in pack.indicators
                   if top.id in ids]
        # what the pack holds besides: each part's size, and the table's attributes (its count as the document's)
        layout = {"parts": {part: pack.counts(part)["total"] for part in pack.parts()},
                  "table": [top.attribute for top in pack.indicators if (top.part or "table") == "table"]}
        packs[pack_id] = (assessment.pack["title"] or pack_id, columns, layout)
    return {
        "path": path_text(path),
        "name": assessment.district["name"], "code": assessment.district.get("code"), "year": assessment.year,
        "pack": pack_id,
        "summary": assessment.summary_for(job.part).as_dict(),
        "parts": {part.name: part.summary.line() for part in assessment.parts if not part.headline},
        "statuses": [r.status for r in judged],
        "problems": list(assessment.problems),  # an assessed workbook's too: its unreadable cells are 待核实
        "encoded": _encoder(job.encode)(path_text(path), assessment) if job.encode else None,
    }


@functools.cache
def _encoder(name: str) -> Callable[[str, Any], Any]:
    """The renderer function a Job names ("module:function"), imported once per process."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


def _score_chunk_star(args: tuple[Job, list[str]]) -> tuple[dict[str, Any], list[Scored]]:
    return score_chunk(*args)


def _worker_start(parent: int) -> None:
    """First thing in each worker (started with the stop signals blocked, see `iter_scored`): Ctrl-C and SIGTERM
    are the parent's to handle — a worker ignores them, so a signal to the whole process group prints no traceback
    per worker —, and the worker dies with its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with(parent)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _die_with(parent: int) -> None:
    """End this process when `parent` ends, however it ends: on Linux the kernel sends SIGKILL (prctl
    PR_SET_PDEATHSIG); elsewhere a thread watches for the worker being handed to another parent."""
    if sys.platform.startswith("linux"):
        # lazy: ctypes only in a worker of a parallel batch, on Linux
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    else:
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os._exit(1)


# --- running -----------------------------------------------------------------------------------------------------
def iter_scored(files: Sequence[Path], job: Job, jobs: int,
                progress: Callable[[int], None] | None = None) -> Generator[tuple[dict[str, Any], Scored], None, None]:
    """Score every file; yield (packs seen so far in this chunk, row) in input order, whatever `jobs` is.

    Close the iterator when done with it (`contextlib.closing`): a batch stopped early kills its workers then."""
    chunks = chunked([str(f) for f in files], jobs)
    if jobs <= 1 or len(chunks) <= 1:
        results: Iterable[tuple[dict[str, Any], list[Scored]]] = (score_chunk(job, c) for c in chunks)
        yield from _flatten(results, progress)
        return
    # lazy: multiprocessing and the process pool (~30 ms) only when the files are spread over several workers
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork: workers inherit the imported modules (and any pack already parsed), so they start in ~1 ms instead of
    # re-importing the program's modules; spawn is the fallback where fork does not exist.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    # The workers are started (forked, by the first `map` submission) with the stop signals blocked: one arriving
    # before a worker has set its own handlers waits, instead of running the parent's handler in the worker.
    others = set(multiprocessing.active_children())  # a caller's own processes, which are not ours to stop
    with _blocked(STOP_SIGNALS):
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context,
                                   initializer=_worker_start, initargs=(os.getpid(),))
        results = pool.map(_score_chunk_star, [(job, c) for c in chunks])
    workers = [p for p in multiprocessing.active_children() if p not in others]
    try:
        yield from _flatten(results, progress)
    except BrokenProcessPool:
        _stop(pool, workers)
        time.sleep(0.2)  # a worker killed by the signal that is stopping us too: let that signal be handled first
        raise
    except BaseException:  # an interrupt, an error in the consumer, or the iterator closed early
        _stop(pool, workers)
        raise
    pool.shutdown()


def _stop(pool: Any, workers: Sequence[Any]) -> None:
    """Stop the pool now: pending chunks are dropped and its workers, which ignore SIGTERM, are killed."""
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.kill()
    for worker in workers:
        worker.join(timeout=5)


@contextlib.contextmanager
def _blocked(signals: frozenset[signal.Signals]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread handles signals
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def stops_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM stops the process as Ctrl-C does (KeyboardInterrupt), so whatever is being written is
    cleaned up and the command line says 已中断 (exit 130) instead of dying mid-write."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread (the Python API may run a batch in another)
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _flatten(results: Iterable[tuple[dict[str, Any], list[Scored]]],
             progress: Callable[[int], None] | None) -> Iterator[tuple[dict[str, Any], Scored]]:
    for packs, rows in results:
        for row in rows:
            yield packs, row
        if progress is not None:
            progress(len(rows))


class ProgressBar:
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
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] 已评估 {self.done}/{self.total} 个工作簿")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
