"""Batch scoring: many workbooks, each against its own pack, in parallel processes, streamed in input order.

The per-workbook work is small (a few ms: read, load, match, evaluate), so the design keeps everything around it
smaller still:

* workers get chunks of paths (not one path per task), so inter-process traffic is one message per chunk;
* workers send back a compact row (district, summary, one status per top-level indicator) and, for formats that
  list every result, what the caller's renderer made of the workbook's assessment (`Job.encode` names that
  renderer function, "module:function"; this module renders nothing itself). Encoding in the workers keeps it
  parallel: done in the parent, JSON lines cost a batch ~1.5× the table's time;
* the parent consumes results as they arrive, in input order (`Executor.map` keeps order), hands each encoded
  workbook on and drops it, and keeps only the compact rows (`BatchAggregate`), so memory grows by ~1 KB per
  workbook, not by a whole assessment.

The output therefore does not depend on `--jobs`: the same chunks are scored by the same code, and results are
consumed in the order of the input list.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ecoplan.errors import InputError
from ecoplan.files import path_text
from ecoplan.report.verdict import gated
from ecoplan.run.pipeline import district_key, evaluate_file
from ecoplan.vocabulary import STATUS_ORDER

Scored = dict[str, Any]  # what a worker sends back for one workbook (see the module docstring)
PackColumns = list[tuple[str, str, str, str]]  # (id, seq, name, attribute) of each top-level indicator


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
    compact row per workbook, in the chunk's order. Never raises for a bad workbook: its row carries the error."""
    packs: dict[str, Any] = {}
    rows = [score_one(Path(p), job, packs) for p in paths]
    return packs, rows


def score_one(path: Path, job: Job, packs: dict[str, Any]) -> Scored:
    """One workbook → a compact row (see the module docstring); errors become `row["error"]`."""
    try:
        # Only the JSON elements carry progress toward later targets; the matrix, CSV and sheets do not show it.
        outcome = evaluate_file(path, job.pack, strict=job.strict, progress=job.progress)
    except InputError as exc:
        return {"path": path_text(path), "error": str(exc).removeprefix(f"{path}: ")}  # the row names the file
    except Exception as exc:  # a bug must not stop the batch either; say so for this workbook only
        if os.environ.get("ECOPLAN_DEBUG"):
            raise
        return {"path": path_text(path), "error": f"内部错误（{type(exc).__name__}: {exc}）；请报告此问题"}
    assessment = outcome.assessment
    if assessment is None:
        errors = outcome.errors
        shown = "；".join(str(p) for p in errors[:3])
        more = f"；另有 {len(errors) - 3} 个（运行 ecoplan check 查看完整列表）" if len(errors) > 3 else ""
        return {"path": path_text(path), "error": f"无法评估：{shown or '没有可用的行'}{more}"}
    pack_id = assessment.pack["id"]
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
    summary = assessment.summary_for(job.part)
    row: Scored = {
        "path": path_text(path), "error": None,
        "name": assessment.district["name"], "code": assessment.district.get("code"), "year": assessment.year,
        "pack": pack_id,
        "summary": summary.as_dict(),
        "parts": {part.name: part.summary.line() for part in assessment.parts if not part.headline},
        "statuses": [r.status for r in judged],
        "encoded": _encoder(job.encode)(path_text(path), assessment) if job.encode else None,
    }
    return row


@functools.cache
def _encoder(name: str) -> Callable[[str, Any], Any]:
    """The renderer function a Job names ("module:function"), imported once per process."""
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)  # type: ignore[no-any-return]


def _score_chunk_star(args: tuple[Job, list[str]]) -> tuple[dict[str, Any], list[Scored]]:
    return score_chunk(*args)


# --- running -----------------------------------------------------------------------------------------------------
def iter_scored(files: Sequence[Path], job: Job, jobs: int,
                progress: Callable[[int], None] | None = None) -> Iterator[tuple[dict[str, Any], Scored]]:
    """Score every file; yield (packs seen so far in this chunk, row) in input order, whatever `jobs` is."""
    chunks = chunked([str(f) for f in files], jobs)
    if jobs <= 1 or len(chunks) <= 1:
        results: Iterable[tuple[dict[str, Any], list[Scored]]] = (score_chunk(job, c) for c in chunks)
        yield from _flatten(results, progress)
        return
    # lazy: multiprocessing and the process pool (~30 ms) only when the files are spread over several workers
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: workers inherit the imported modules (and any pack already parsed), so they start in ~1 ms instead of
    # re-importing the program's modules; spawn is the fallback where fork does not exist.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)), mp_context=context) as pool:
        yield from _flatten(pool.map(_score_chunk_star, [(job, c) for c in chunks]), progress)


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
    others: dict[str, str] = field(default_factory=dict)  # the tally line of each part outside the headline

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
    # the pack's parts and their sizes, and its table's attributes ({"parts": {...}, "table": [...]})
    layout: dict[str, Any] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        if not self.counts:
            self.counts = [dict.fromkeys(STATUS_ORDER, 0) for _ in self.columns]
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
    duplicates: list[str] = field(default_factory=list)  # paths of workbooks taken out as 重复提交

    def add(self, packs: dict[str, Any], row: Scored) -> Entry | None:
        """Take one row; return its Entry (None for a workbook that could not be scored)."""
        self.total += 1
        if row.get("error"):
            self.errors.append((row["path"], row["error"]))
            return None
        pack_id = row["pack"]
        if pack_id not in self.packs:
            title, columns, *layout = packs[pack_id]  # (title, columns of the judged part, the pack's layout)
            self.packs[pack_id] = PackBlock(pack_id, title, columns, layout=layout[0] if layout else {})
        entry = Entry(len(self.entries), row["path"], row["name"], row.get("code"), row["year"], pack_id,
                      row["summary"], tuple(sys.intern(s) for s in row["statuses"]), row.get("parts", {}))
        self.entries.append(entry)
        self.packs[pack_id].add(entry)
        return entry

    def ranking(self) -> list[Entry]:
        """Districts are ranked within their pack, never against each other: the packs in order of appearance,
        and within a pack share met (highest first), then 约束性 unmet (fewest first), then name, then input order."""
        order = {pack_id: i for i, pack_id in enumerate(self.packs)}
        return sorted(self.entries, key=lambda e: (order.get(e.pack, 0), -e.share_met,
                                                   e.summary["constraint_not_met"], e.name, e.index))

    def rankings(self) -> dict[str, list[Entry]]:
        """The ranking of each pack (pack id → its entries, best first), in order of appearance."""
        ranked: dict[str, list[Entry]] = {pack_id: [] for pack_id in self.packs}
        for entry in self.ranking():
            ranked.setdefault(entry.pack, []).append(entry)
        return ranked

    def districts(self) -> int:
        """How many districts were scored: several years of one district are one district."""
        return len({district_key(e.code, e.name) for e in self.entries})

    def settle_duplicates(self) -> list[tuple[str, str]]:
        """Take out every workbook whose district (行政区划代码, else 区县名称), 评估年度 and pack another workbook
        has too: each is listed among the errors as 重复提交, naming the other files, and none of them is ranked.
        (One district's year assessed against two packs is not a duplicate: each pack ranks its own.)
        Returns the (path, message) pairs added. Call once, when every row is in."""
        groups: dict[tuple[str, int, str], list[Entry]] = {}
        for entry in self.entries:
            groups.setdefault((district_key(entry.code, entry.name), entry.year, entry.pack), []).append(entry)
        duplicated = {id(e) for group in groups.values() if len(group) > 1 for e in group}
        if not duplicated:
            return []
        added: list[tuple[str, str]] = []
        for group in groups.values():
            if len(group) < 2:
                continue
            for entry in group:
                others = "、".join(e.path for e in group if e is not entry)
                added.append((entry.path, f"重复提交：{entry.name} {entry.year} 年也在 {others} 中；"
                                          "请只保留一份，重复的均不参与排名"))
        self.errors.extend(added)
        self.duplicates.extend(path for path, _ in added)
        self.entries = [e for e in self.entries if id(e) not in duplicated]
        for block in self.packs.values():
            block.entries, block.counts = [], []
        for entry in self.entries:
            self.packs[entry.pack].add(entry)
        self.packs = {k: v for k, v in self.packs.items() if v.entries}
        return added


def gate_failed_any(aggregate: BatchAggregate, fail_on: str) -> bool:
    """Whether any scored district fails the `--fail-on` gate (ecoplan.report.verdict.gated on each indicator of
    the part the batch judges: its columns)."""
    for block in aggregate.packs.values():
        attributes = [column[3] or None for column in block.columns]
        for entry in block.entries:
            pairs = zip(entry.statuses, attributes, strict=False)  # a row may be shorter than a changed pack
            if any(gated(status, attribute, fail_on) for status, attribute in pairs):
                return True
    return False


def batch_exit_code(aggregate: BatchAggregate, gate: bool) -> int:
    """0: every workbook scored (and the gate passed); 1: some workbook could not be scored or is a duplicate, or
    the gate failed; 2: nothing could be scored at all (no usable input)."""
    if not aggregate.entries and not aggregate.duplicates:
        return 2
    if aggregate.errors or gate:
        return 1
    return 0
