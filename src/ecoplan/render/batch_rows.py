"""The facts every batch view shows, as typed rows: the packs in reading order, each pack's ranking (one row per
district, its earlier years as history), its per-indicator counts, its unique column headers, and every input
with its status. The terminal, Markdown, xlsx, Word and HTML views format these rows; none of them decides an
order, a header, a count or a word on its own.

Districts assessed against different packs are ranked within their pack, never against each other: a share met
of one indicator system says nothing about another's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ecoplan.render.labels import attribute_text, status_text
from ecoplan.report.assessment import PART_LABELS, composition
from ecoplan.report.problems import Problem
from ecoplan.run.batch_aggregate import ASSESSED, DUPLICATE, UNUSABLE, BatchAggregate, Entry, PackBlock

# The order statuses are counted and coloured in (the worst first, as a reader scans for problems).
COUNTED = ("not_met", "missing", "review", "met", "not_applicable")
RANKING_HEADER = ["名次", "区县", "年度", "达标率", "达标/总数", status_text("not_met"), "其中约束性",
                  status_text("missing"), status_text("review"), "往年达标率"]
COUNTS_HEADER = ["列", "序号", *(status_text(s) for s in COUNTED), "属性", "指标"]
# What each entry status reads as (the JSON keeps the English id).
ENTRY_STATUS_TEXT = {ASSESSED: "已评估", DUPLICATE: "重复提交", UNUSABLE: "无法评估"}
# …and the colours it takes: an indicator status's (labels.STATUS_FILL, STATUS_STYLE), so the views need no more.
ENTRY_STATUS_TONE = {ASSESSED: "met", DUPLICATE: "missing", UNUSABLE: "not_met"}
FILES_HEADER = ["序号", "状态", "区县", "年度", "文件", "说明"]
SHOWN_PROBLEMS = 3  # an unusable file's errors named in a view; the rest are counted (check lists them all)


class Ranked(NamedTuple):
    """One district in its pack's ranking; the numbers stay numbers (a spreadsheet sorts them)."""

    rank: int
    entry: Entry  # the district's latest year, which ranks
    share: float  # 0..1
    met: int
    total: int
    not_met: int
    constraint_not_met: int
    missing: int
    review: int
    history: tuple[Entry, ...]  # the earlier years, newest first: shown, never ranked


def pack_blocks(aggregate: BatchAggregate) -> list[PackBlock]:
    """The packs in reading order: the one with the most districts first (usually the bureau's own system), then
    by id, so the order does not depend on which workbook finished first."""
    return list(aggregate.packs.values())


def ranking(block: PackBlock) -> list[Ranked]:
    """The districts of one pack, best first, by the aggregate's one ranking rule (ecoplan.run.batch_aggregate)."""
    rows = []
    for standing in block.standings:
        entry, s = standing.latest, standing.latest.summary
        rows.append(Ranked(standing.rank, entry, entry.share_met, s["met"], s["total"], s["not_met"],
                           s["constraint_not_met"], s["missing"], s["review"], standing.history))
    return rows


def history_text(history: Sequence[Entry]) -> str:
    """A district's earlier years as its ranking row shows them: "2022年 84.4%"."""
    return "，".join(f"{e.year}年 {percent(e.share_met)}" for e in history)


def ranking_text_row(row: Ranked) -> list[str]:
    """A ranking row as the texts of RANKING_HEADER."""
    return [str(row.rank), row.entry.name, str(row.entry.year), percent(row.share), f"{row.met}/{row.total}",
            str(row.not_met), str(row.constraint_not_met), str(row.missing), str(row.review),
            history_text(row.history)]


def percent(share: float) -> str:
    """A share as people read it in text: 90.6%."""
    return f"{share * 100:.1f}%"


class Counted(NamedTuple):
    """One top-level indicator of a pack with how many districts (their latest year) are in each status."""

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


def most_often(block: PackBlock, status: str) -> list[Counted]:
    """The indicators some district is in `status` for (未达标, 缺数据 …), the most districts first: a list that
    holds only what its heading names."""
    return sorted((r for r in counted(block) if r.counts[status]), key=lambda r: (-r.counts[status], r.column))


def counts_text_row(row: Counted) -> list[str]:
    """A counts row as the texts of COUNTS_HEADER."""
    return [str(row.column), row.seq, *[str(row.counts[s]) for s in COUNTED], row.attribute, row.name]


def indicator_label(row: Counted) -> str:
    """An indicator as a list names it: "4 环境空气质量" (序号 and name)."""
    return f"{row.seq} {row.name}" if row.seq and row.seq != row.name else row.name


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


# --- every input ---------------------------------------------------------------------------------------------
class Listed(NamedTuple):
    """One input as the file list shows it."""

    number: int  # 1-based, in input order
    entry: Entry
    status: str  # ENTRY_STATUS_TEXT
    name: str  # the district ("" when unusable)
    year: str
    note: str  # where it ranks, whose history it is, which files it duplicates, or why it is unusable; then
    # `problems`
    ranked: bool  # the latest year of its district: a ranking row shows it
    problems: str  # an assessed workbook's problems (its 待核实 cells say why), "" when it has none


def listed(aggregate: BatchAggregate) -> list[Listed]:
    """Every input in input order with its status and what became of it."""
    places: dict[int, str] = {}
    ranked: set[int] = set()
    for block, standing in aggregate.standings():
        latest = standing.latest
        ranked.add(latest.index)
        places[latest.index] = f"排名第 {standing.rank}（{block.title}）"
        for earlier in standing.history:
            places[earlier.index] = f"往年数据：列为 {latest.name} 的历史（以 {latest.year} 年排名），不单独排名"
    rows = []
    for entry in aggregate.entries:
        if entry.status == UNUSABLE:
            note = problems_text(entry.problems)
        elif entry.status == DUPLICATE:
            note = duplicate_text(entry)
        else:
            note = places.get(entry.index, "")
        assessed = entry.status != UNUSABLE
        problems = assessed_problems_text(entry.problems) if assessed else ""
        rows.append(Listed(entry.index + 1, entry, ENTRY_STATUS_TEXT[entry.status], entry.name if assessed else "",
                           str(entry.year) if assessed else "", "；".join(t for t in (note, problems) if t),
                           entry.index in ranked, problems))
    return rows


def listed_text_row(row: Listed) -> list[str]:
    """A file-list row as the texts of FILES_HEADER."""
    return [str(row.number), row.status, row.name, row.year, row.entry.path, row.note]


def problems_text(problems: Sequence[Problem]) -> str:
    """Why a file could not be assessed: its errors (the first few), each as `check` writes a problem."""
    errors = [p for p in problems if p.severity == "error"] or list(problems)
    shown = "；".join(str(p) for p in errors[:SHOWN_PROBLEMS])
    more = len(errors) - SHOWN_PROBLEMS
    return shown + (f"；另有 {more} 个错误（运行 ecoplan check 查看完整列表）" if more > 0 else "")


def assessed_problems_text(problems: Sequence[Problem]) -> str:
    """An assessed workbook's problems, counted by severity, then the first few as `problems_text` names them;
    "" when it has none."""
    if not problems:
        return ""
    errors = sum(1 for p in problems if p.severity == "error")
    return f"{len(problems)} 个问题（错误 {errors}，警告 {len(problems) - errors}）：{problems_text(problems)}"


def duplicate_text(entry: Entry) -> str:
    """Why a duplicate is not ranked, naming the other files."""
    return (f"重复提交：{entry.name} {entry.year} 年也在 {'、'.join(entry.duplicate_of)} 中（同一指标体系）；"
            "请只保留一份，重复的均不参与排名")


def headline(aggregate: BatchAggregate) -> str:
    """The batch in one line: how many inputs, and how many of each status."""
    counts = "，".join(f"{ENTRY_STATUS_TEXT[s]} {aggregate.count(s)} 个" for s in ENTRY_STATUS_TEXT)
    return f"共 {aggregate.total} 个工作簿：{counts}（{aggregate.districts()} 个区县参与排名）"


def skipped_text(aggregate: BatchAggregate) -> str:
    """The heading over the files that were not read."""
    return f"跳过的文件（不是工作簿，未读取）：{len(aggregate.skipped)} 个"
