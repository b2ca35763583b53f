"""The body of an indicator table read as indicators, each with its sub-items.

A row starts a new indicator when it has a 序号 of its own (in the 序号 column, or leading its name: 1．森林增长).
A row without one is a sub-item of the indicator above it (其中:嘉陵江), and so is each row beside a parent name
merged down over its sub-rows (环境空气质量 | 1.优良天数比例 / 2.PM2.5浓度下降幅度). 领域 and 任务 come from
their cells — merged over many rows, repeated, or left blank under the first — and a row that is one cell across
the whole table (一、生态空间) names the 领域 of the rows below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecoplan.rules.importer.grid import Grid
from ecoplan.rules.importer.tables import FoundTable

_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(?!\d)")
_SEQ = re.compile(r"^\s*([A-Za-z]?\d{1,3}|[一二三四五六七八九十]{1,3})\s*[.．、)）]?\s*$")


@dataclass
class Line:
    """One body row: the texts of the columns that make a pack, by role."""

    row: int
    seq: str
    name: str
    domain: str | None = None
    task: str | None = None
    unit: str = ""
    attribute: str = ""
    criterion: str | None = None  # the 指标值 column (None when the table has none)
    targets: dict[int, str] = field(default_factory=dict)
    scope: str = ""
    remark: str = ""
    cells: str = ""  # every cell's text, for the marks notes refer to
    values: dict[int, str] = field(default_factory=dict)  # reported values by year (表1's 2019年…2022年)
    verdicts: dict[int, str] = field(default_factory=dict)  # the table's 达标情况 by the year it judges


@dataclass
class Entry:
    """A top-level indicator: its 序号 and name as printed, its own row, its sub-items' rows."""

    seq: str
    name: str
    line: Line | None  # None for a parent that is only a merged name cell beside its sub-items
    items: list[Line] = field(default_factory=list)
    domain: str | None = None
    task: str | None = None
    decisions: list[str] = field(default_factory=list)


def read_entries(table: FoundTable) -> list[Entry]:
    """The table's indicators, in order, with their sub-items."""
    grid, header = table.grid, table.header
    seq_cols, name_cols = header.where("seq"), header.where("name")
    numbered_names = not seq_cols and any(_NUMBERED.match(_name_cells(grid, r, name_cols)[0][1])
                                          for r in table.rows if _name_cells(grid, r, name_cols))
    entries: list[Entry] = []
    current: Entry | None = None
    parent_corner: tuple[int, int] | None = None
    section: str | None = None
    domain = task = None
    for r in table.rows:
        if _is_section(grid, r):
            section = _first(grid, r, range(grid.width))
            domain, task = section, None
            continue
        domain = _first(grid, r, header.where("domain")) or domain
        task = _first(grid, r, header.where("task")) or task
        names = _name_cells(grid, r, name_cols)
        if not names:
            continue
        seq = _seq(grid, r, seq_cols)
        line = _line(grid, r, table, seq, names[-1][1], domain, task)
        if len(names) >= 2 and names[0][0] != names[-1][0]:
            corner, parent = names[0]
            if parent.strip() and (current is None or corner != parent_corner):
                current = Entry(seq or _number(parent), parent, None, [], domain, task)
                entries.append(current)
                parent_corner = corner
            elif current is None:
                current = Entry(seq, line.name, None, [], domain, task)
                entries.append(current)
            elif r in grid.page_starts:
                _carry_over(current, line)
            current.items.append(line)
            continue
        starts = _starts_indicator(grid, r, seq_cols, seq, line.name, numbered_names)
        if starts or current is None:
            current = Entry(seq or _number(line.name), line.name, line, [], domain, task)
            entries.append(current)
            parent_corner = names[0][0]  # sub-items beside this name, merged down, are its items
        else:
            if r in grid.page_starts:
                _carry_over(current, line)
            current.items.append(line)
            current.decisions.append(f"第 {r + 1} 行“{line.name}”没有序号：作为本指标的分项")
    return entries


def _carry_over(entry: Entry, line: Line) -> None:
    """A sub-item at the top of a later page whose cells are empty continues the merged cells of the sub-item
    above it, which the page break cut (LibreOffice keeps no merge across two tables): take those cells over."""
    above = entry.items[-1] if entry.items else entry.line
    if above is None:
        return
    taken = []
    for name in ("unit", "attribute", "criterion"):
        if not (getattr(line, name) or "").strip() and (getattr(above, name) or "").strip():
            setattr(line, name, getattr(above, name))
            taken.append(name)
    for mapping in ("targets", "values", "verdicts"):
        mine, theirs = getattr(line, mapping), getattr(above, mapping)
        for year, text in theirs.items():
            if not mine.get(year, "").strip() and text.strip():
                mine[year] = text
                taken.append(f"{mapping}:{year}")
    if taken:
        entry.decisions.append(f"第 {line.row + 1} 行“{line.name}”在续表页首，单元格为空：视为被分页截断的合并单元格，"
                               "沿用上一行的单位、指标值等")


def _starts_indicator(grid: Grid, row: int, seq_cols: list[int], seq: str, name: str, numbered: bool) -> bool:
    """Whether a one-name row starts an indicator: its own 序号 (not merged down from above), or a numbered name
    where the table numbers its names; in a table with no numbering at all, every row."""
    if seq_cols:
        return bool(seq) and grid.starts_here(row, seq_cols[0])
    if numbered:
        return bool(_NUMBERED.match(name))
    return True


def _line(grid: Grid, row: int, table: FoundTable, seq: str, name: str, domain: str | None,
          task: str | None) -> Line:
    header = table.header
    criterion_cols = header.where("criterion")
    line = Line(row, seq, name, domain, task, _first(grid, row, header.where("unit")),
                _first(grid, row, header.where("attribute")),
                _first(grid, row, criterion_cols) if criterion_cols else None,
                {year: _first(grid, row, header.columns_for("target", year)) for year in header.years("target")},
                _first(grid, row, header.where("scope")), _first(grid, row, header.where("remark")),
                " ".join(grid.row_texts(row)))
    line.values = {year: _first(grid, row, header.columns_for("value", year)) for year in header.years("value")}
    line.verdicts = {year: grid.text(row, col).strip() for col, year in header.verdict_columns().items()
                     if grid.text(row, col).strip()}
    return line


def _name_cells(grid: Grid, row: int, cols: list[int]) -> list[tuple[tuple[int, int], str]]:
    """The distinct cells under the name header, left to right (two where a parent and a sub-item stand side by
    side); empty when the row has no name."""
    seen: dict[tuple[int, int], str] = {}
    for col in cols:
        seen.setdefault(grid.corner(row, col), grid.text(row, col))
    cells = list(seen.items())
    if not any(text.strip() for _, text in cells):
        return []
    if len(cells) >= 2 and not cells[-1][1].strip():
        return cells[:1]  # a sub-item column left empty: the row is the parent's own
    return cells


def _seq(grid: Grid, row: int, cols: list[int]) -> str:
    text = _first(grid, row, cols)
    match = _SEQ.match(text)
    return match.group(1) if match else text.strip()


def _number(name: str) -> str:
    match = _NUMBERED.match(name)
    return match.group(1) if match else ""


def _first(grid: Grid, row: int, cols: list[int] | range) -> str:
    """The first non-empty text among the row's cells in `cols`."""
    for col in cols:
        text = grid.text(row, col).strip()
        if text:
            return text
    return ""


def _is_section(grid: Grid, row: int) -> bool:
    """A row that is one cell across the whole table: a heading for the rows below it."""
    return grid.width > 2 and len({grid.corner(row, c) for c in range(grid.width)}) == 1 and not grid.is_blank(row)


__all__ = ["Entry", "Line", "read_entries"]
