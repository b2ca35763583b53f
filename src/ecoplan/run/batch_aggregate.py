"""What a batch found, input by input — the one model every batch format renders.

Every input is an `Entry`, in input order, with its status:

* ``assessed``: scored; its district, year, pack, summary and one status per top-level indicator are kept;
* ``duplicate``: scored, but another input has the same district (行政区划代码, else 区县名称), 评估年度 and pack
  (`duplicate_of` names them): named in every output, never ranked;
* ``unusable``: it could not be assessed; `problems` say why, as `check` names them.

An assessed or duplicate entry keeps its workbook's problems too (a cell it could not read is 待核实, and the
problem says why): every format shows them.

Rankings are within a pack (a share met of one indicator system says nothing about another's) and have one row per
district (`Standing`): its latest year ranks, its earlier years are its history and never ranked against it. The
per-indicator counts are over the ranked years, so they count districts.

The aggregate keeps ~1 KB per workbook in memory. What a format's renderer made of each workbook in the worker (its
JSON, its CSV rows, its sheet, its assessment) goes to a temporary file (`Spool`) and is read back when the output
is written: an entry's status can depend on a later input (the second copy of a district-year), so no entry is
final before the last one is in.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from ecoplan.report.problems import Problem, errors_in
from ecoplan.report.verdict import gated
from ecoplan.run.pipeline import district_key
from ecoplan.vocabulary import STATUS_ORDER

ASSESSED, DUPLICATE, UNUSABLE = "assessed", "duplicate", "unusable"
ENTRY_STATUSES = (ASSESSED, DUPLICATE, UNUSABLE)
PackColumns = list[tuple[str, str, str, str]]  # (id, seq, name, attribute) of each top-level indicator judged
# What a worker reports of a pack: its title, the columns of the part the batch judges (--part), and its layout
# ({"parts": each part's size, "table": the table's attributes}: what the pack counts as its document does).
PackInfo = tuple[str, PackColumns, dict[str, Any]]


@dataclass(slots=True)  # one per input for the whole batch: no per-instance __dict__
class Entry:
    """One input of the batch (see the module docstring); compact: no results, no reasons."""

    index: int  # position in the input
    path: str
    status: str  # ASSESSED, DUPLICATE or UNUSABLE
    name: str = ""
    code: str | None = None
    year: int = 0
    pack: str = ""
    summary: dict[str, int] = field(default_factory=dict)
    statuses: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()  # why an input is unusable; an assessed one's (cells read as 待核实 …)
    duplicate_of: tuple[str, ...] = ()  # a duplicate's other files
    others: dict[str, str] = field(default_factory=dict)  # the tally line of each part outside the judged one

    @property
    def share_met(self) -> float:
        total = self.summary.get("total", 0)
        return self.summary["met"] / total if total else 0.0

    @property
    def district_id(self) -> str:
        """The district's identity (ecoplan.run.pipeline.district_key)."""
        return district_key(self.code, self.name)


@dataclass(frozen=True)
class Standing:
    """One district in its pack's ranking: its latest year ranks; its earlier years are its history."""

    rank: int  # districts equal in share met and 约束性 unmet share a rank
    latest: Entry
    history: tuple[Entry, ...] = ()  # the earlier years, newest first


@dataclass
class PackBlock:
    """One pack's ranking and its districts × indicators counts (over each district's latest year)."""

    id: str
    title: str
    columns: PackColumns
    layout: dict[str, Any] = field(default_factory=dict)  # see PackInfo
    standings: list[Standing] = field(default_factory=list)
    counts: list[dict[str, int]] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        """The ranked workbooks (each district's latest year), best first: the matrix's rows."""
        return [s.latest for s in self.standings]

    def most_failed(self) -> list[tuple[int, dict[str, int]]]:
        """Column indexes with their counts, the most often unmet first (then missing, review; then table order)."""
        order = sorted(range(len(self.columns)), key=lambda i: (-self.counts[i]["not_met"], -self.counts[i]["missing"],
                                                                -self.counts[i]["review"], i))
        return [(i, self.counts[i]) for i in order]


class Spool:
    """Values kept by entry index in a temporary file (deleted when closed), so memory does not grow with them."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._at: dict[int, int] = {}

    def put(self, index: int, value: Any) -> None:
        if self._file is None:
            # lazy: tempfile (~8 ms) only for formats that keep what the workers rendered
            import tempfile

            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by `close`, with the aggregate)
        self._at[index] = self._file.seek(0, os.SEEK_END)
        pickle.dump(value, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def get(self, index: int) -> Any:
        """The value put for `index`, or None."""
        if self._file is None or index not in self._at:
            return None
        self._file.seek(self._at[index])
        return pickle.load(self._file)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class BatchAggregate:
    """Every input's entry, built as rows arrive (`add`), then settled once (`settle`): duplicates marked, rankings
    and counts made. Use it as a context manager (the spool is a temporary file)."""

    def __init__(self, skipped: Sequence[str] = ()) -> None:
        self.entries: list[Entry] = []
        self.skipped = list(skipped)  # files under the folders that are not workbooks (named, never read)
        self.columns: dict[str, PackInfo] = {}  # pack id → what the workers report of it
        self.packs: dict[str, PackBlock] = {}  # by `settle`: the packs in reading order
        self.spool = Spool()

    def __enter__(self) -> BatchAggregate:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.spool.close()

    @property
    def total(self) -> int:
        return len(self.entries)

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)

    def of(self, status: str) -> list[Entry]:
        return [e for e in self.entries if e.status == status]

    def add(self, packs: dict[str, Any], row: dict[str, Any]) -> Entry:
        """Take one scored row (ecoplan.run.batch), in input order; its encoded part goes to the spool."""
        index = len(self.entries)
        if "pack" not in row:
            entry = Entry(index, row["path"], UNUSABLE, problems=tuple(row["problems"]))
        else:
            pack_id = row["pack"]
            if pack_id not in self.columns:
                self.columns[pack_id] = packs[pack_id]
            entry = Entry(index, row["path"], ASSESSED, row["name"], row.get("code"), row["year"], pack_id,
                          row["summary"], tuple(sys.intern(s) for s in row["statuses"]),
                          problems=tuple(row.get("problems", ())), others=row.get("parts", {}))
            if row.get("encoded") is not None:
                self.spool.put(index, row["encoded"])
        self.entries.append(entry)
        return entry

    def encoded(self, entry: Entry) -> Any:
        """What the format's renderer made of this workbook in its worker (None when the format needs nothing)."""
        return self.spool.get(entry.index)

    def settle(self) -> None:
        """Once every row is in: mark the duplicates, then rank each pack's districts and count its indicators."""
        self._mark_duplicates()
        by_district: dict[tuple[str, str], list[Entry]] = {}
        for entry in self.of(ASSESSED):
            by_district.setdefault((entry.pack, entry.district_id), []).append(entry)
        blocks: dict[str, PackBlock] = {}
        for (pack_id, _), years in by_district.items():
            if pack_id not in blocks:
                blocks[pack_id] = PackBlock(pack_id, *self.columns[pack_id])
            newest_first = sorted(years, key=lambda e: -e.year)
            blocks[pack_id].standings.append(Standing(0, newest_first[0], tuple(newest_first[1:])))
        for block in blocks.values():
            block.standings = _ranked(block.standings)
            block.counts = _counts(block)
        # Reading order: the pack with the most districts first (usually the bureau's own system), then by id.
        self.packs = {b.id: b for b in sorted(blocks.values(), key=lambda b: (-len(b.standings), b.id))}

    def _mark_duplicates(self) -> None:
        groups: dict[tuple[str, int, str], list[Entry]] = {}
        for entry in self.of(ASSESSED):
            groups.setdefault((entry.district_id, entry.year, entry.pack), []).append(entry)
        for group in groups.values():
            if len(group) > 1:
                for entry in group:
                    entry.status = DUPLICATE
                    entry.duplicate_of = tuple(e.path for e in group if e is not entry)

    def standings(self) -> Iterator[tuple[PackBlock, Standing]]:
        """Every ranked district with its pack, the packs in reading order."""
        for block in self.packs.values():
            for standing in block.standings:
                yield block, standing

    def districts(self) -> int:
        """How many districts were ranked: several years of one district are one district."""
        return len({s.latest.district_id for _, s in self.standings()})


def _ranked(standings: list[Standing]) -> list[Standing]:
    """Share met of the latest year (highest first), then 约束性 unmet (fewest first), then name, then input order;
    equal share and 约束性 unmet share a rank."""
    def merit(entry: Entry) -> tuple[float, int]:
        return -entry.share_met, entry.summary["constraint_not_met"]

    order = sorted(standings, key=lambda s: (*merit(s.latest), s.latest.name, s.latest.index))
    ranked: list[Standing] = []
    for position, standing in enumerate(order, 1):
        tie = bool(ranked) and merit(ranked[-1].latest) == merit(standing.latest)
        ranked.append(Standing(ranked[-1].rank if tie else position, standing.latest, standing.history))
    return ranked


def _counts(block: PackBlock) -> list[dict[str, int]]:
    zero: dict[str, int] = dict.fromkeys(STATUS_ORDER, 0)
    counts = [dict(zero) for _ in block.columns]
    for entry in block.entries:
        for index, status in enumerate(entry.statuses[:len(block.columns)]):
            counts[index][status] = counts[index].get(status, 0) + 1
    return counts


def gate_failed_any(aggregate: BatchAggregate, fail_on: str) -> bool:
    """Whether any assessed workbook (every year, not only the ranked ones) fails the `--fail-on` gate as `assess`
    judges it (ecoplan.report.verdict.gate_failed): an indicator `gated` names, or an error in the workbook (a cell
    it cannot read may hide an unmet indicator) — under any gate but `never`."""
    if fail_on == "never":
        return False
    for entry in aggregate.of(ASSESSED):
        if errors_in(entry.problems):
            return True
        attributes = [column[3] or None for column in aggregate.columns[entry.pack][1]]
        pairs = zip(entry.statuses, attributes, strict=False)  # a row may be shorter than a changed pack
        if any(gated(status, attribute, fail_on) for status, attribute in pairs):
            return True
    return False


def batch_exit_code(aggregate: BatchAggregate, gate: bool) -> int:
    """0: every input assessed (and the gate passed); 1: some input is unusable or a duplicate, or the gate failed;
    2: nothing could be assessed at all (no usable input)."""
    if not any(e.status != UNUSABLE for e in aggregate.entries):
        return 2
    if any(e.status != ASSESSED for e in aggregate.entries) or gate:
        return 1
    return 0
