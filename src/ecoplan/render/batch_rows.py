"""The facts every batch view shows, as typed rows: the packs in reading order, each pack's ranking, its
per-indicator counts and its unique column headers. The terminal, Markdown, xlsx, Word and HTML views format these
rows; none of them decides an order, a header or a count on its own.

Districts assessed against different packs are ranked within their pack, never against each other: a share met
of one indicator system says nothing about another's.
"""

from __future__ import annotations

from typing import NamedTuple

from ecoplan.render.labels import attribute_text, status_text
from ecoplan.report.assessment import PART_LABELS, composition
from ecoplan.run.batch import BatchAggregate, Entry, PackBlock

# The order statuses are counted and coloured in (the worst first, as a reader scans for problems).
COUNTED = ("not_met", "missing", "review", "met", "not_applicable")
RANKING_HEADER = ["名次", "区县", "年度", "达标率", "达标/总数", status_text("not_met"), "其中约束性",
                  status_text("missing"), status_text("review")]
COUNTS_HEADER = ["列", "序号", *(status_text(s) for s in COUNTED), "属性", "指标"]


class Ranked(NamedTuple):
    """One district in its pack's ranking; the numbers stay numbers (a spreadsheet sorts them)."""

    rank: int
    entry: Entry
    share: float  # 0..1
    met: int
    total: int
    not_met: int
    constraint_not_met: int
    missing: int
    review: int


def pack_blocks(aggregate: BatchAggregate) -> list[PackBlock]:
    """The packs in reading order: the one with the most districts first (usually the bureau's own system),
    then by id, so the order does not depend on which workbook finished first."""
    return sorted(aggregate.packs.values(), key=lambda block: (-len(block.entries), block.id))


def ranking(aggregate: BatchAggregate, block: PackBlock) -> list[Ranked]:
    """The districts of one pack, ranked by the aggregate's one ordering rule (share met, then 约束性 unmet fewest,
    then name, then input order); ties in all of share and 约束性 unmet share a rank."""
    ranked: list[Ranked] = []
    previous: tuple[float, int] | None = None
    for position, entry in enumerate((e for e in aggregate.ranking() if e.pack == block.id), 1):
        s = entry.summary
        key = (entry.share_met, s["constraint_not_met"])
        rank = ranked[-1].rank if previous == key and ranked else position
        previous = key
        ranked.append(Ranked(rank, entry, entry.share_met, s["met"], s["total"], s["not_met"],
                             s["constraint_not_met"], s["missing"], s["review"]))
    return ranked


def matrix_entries(aggregate: BatchAggregate, block: PackBlock) -> list[Entry]:
    """The matrix's rows: the pack's districts in ranking order (the best first, as the ranking lists them)."""
    return [row.entry for row in ranking(aggregate, block)]


def ranking_text_row(row: Ranked) -> list[str]:
    """A ranking row as the texts of RANKING_HEADER."""
    return [str(row.rank), row.entry.name, str(row.entry.year), percent(row.share), f"{row.met}/{row.total}",
            str(row.not_met), str(row.constraint_not_met), str(row.missing), str(row.review)]


def percent(share: float) -> str:
    """A share as people read it in text: 90.6%."""
    return f"{share * 100:.1f}%"


class Counted(NamedTuple):
    """One top-level indicator of a pack with how many districts are in each status."""

    column: int  # 1-based position in the pack (the matrix's column number)
    seq: str
    name: str
    attribute: str  # 约束性 / 预期性 / "" as people read it
    counts: dict[str, int]


def counted(block: PackBlock) -> list[Counted]:
    """The pack's indicators, the most often unmet first (then missing, review; then table order)."""
    rows = []
    for index, counts in block.most_failed():
        _, seq, name, attribute = block.columns[index]
        rows.append(Counted(index + 1, seq, name, attribute_text(attribute), {s: counts.get(s, 0) for s in COUNTED}))
    return rows


def counts_text_row(row: Counted) -> list[str]:
    """A counts row as the texts of COUNTS_HEADER."""
    return [str(row.column), row.seq, *[str(row.counts[s]) for s in COUNTED], row.attribute, row.name]


def column_headers(block: PackBlock) -> list[str]:
    """A header per indicator column that no other column of the pack shares: "序号 名称" (two packs' 序号 both
    start at 1, and a pack's own 序号 may repeat across its sections), numbered further if still not unique."""
    headers: list[str] = []
    seen: set[str] = set()
    for _, seq, name, _ in block.columns:
        base = f"{seq} {name}".strip() if seq and seq != name else name
        header, n = base, 2
        while header in seen:
            header, n = f"{base} ({n})", n + 1
        seen.add(header)
        headers.append(header)
    return headers


def parts_note(block: PackBlock) -> str:
    """What the pack counts, as its document counts it, and the parts kept apart: "指标表 7 项，均为约束性；正文目标
    34 项另计（不计入指标表）" (the matrix and the counts show the part the batch judges, the table by default)."""
    sizes = block.layout.get("parts") or {"table": len(block.columns)}
    table = block.layout.get("table", [column[3] or None for column in block.columns])
    others = [f"{PART_LABELS[name]} {sizes[name]} 项" for name in ("text", "project") if sizes.get(name)]
    if not table:
        return f"本文件没有指标表：{'、'.join(others)}"
    return f"指标表 {composition(table)}" + (f"；{'、'.join(others)}另计（不计入指标表）" if others else "")


def other_parts(entries: list[Entry]) -> list[str]:
    """Each district's tally of the parts outside the headline: "重庆市 2020 · 34 项正文目标：达标 3，…"."""
    return [f"{district_label(e)} · {line}" for e in entries for line in e.others.values()]


def district_label(entry: Entry) -> str:
    """A district as a row label: name and year (one district can appear with several years)."""
    return f"{entry.name} {entry.year}"
