"""Recognising an indicator table's columns by their headers, as the plans print them.

A header is read with its spaces and line breaks removed ("指        标", "2020年\\n现状值"); a header over two
rows (目标 over 2025年 and 2030年) reads as the two joined ("目标2025年"). The words are the seeds' own: 领域 /
类别, 任务, 序号, 指标 / 指标名称, 单位, 现状值 / 2020年, 目标值 / 2025年 / 指标值, 指标属性 / 类型, 适用范围,
达标情况, 备注. A column of a year alone (2019年) or a year's 指标值 holds reported values where the table has a
指标值 or 目标 column besides, and the targets where it has not (专栏1 of 004: 2025年).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ecoplan.rules.importer.grid import Grid

Role = Literal["domain", "task", "seq", "name", "unit", "attribute", "criterion", "target", "value", "scope",
               "attainment", "remark", "year", "submission"]

_WORDS: dict[str, Role] = {}
for _role, _words in (
        ("domain", "领域 类别 分类 指标领域 领域类别 方面 指标分类"),
        ("task", "任务 重点任务 建设任务 主要任务"),
        ("seq", "序号 编号 指标序号 指标编号 序"),
        ("name", "指标 指标名称 指标项 名称 具体指标 指标内容 评价指标 考核指标 指标名"),
        ("unit", "单位 指标单位 计量单位"),
        ("attribute", "指标属性 属性 指标类别 指标类型 类型 性质 指标性质"),
        ("criterion", "指标值 目标值 标准值 指标要求 考核要求 目标要求 控制要求 建设标准 目标 规划目标 指标目标值 "
                      "规划目标值 考核目标"),
        ("value", "现状值 现状 基准值 基期值 实际值 完成值 现状水平"),
        ("scope", "适用范围 范围 适用地区"),
        ("attainment", "达标情况 是否达标 达标 达标状况 完成情况"),
        ("remark", "备注 说明"),
        # A district's submission (ecoplan's own workbook: one row per indicator and year), not a plan's table.
        ("submission", "年度 评估年度 上级任务 数据来源")):
    for _word in _words.split():
        _WORDS[_word] = _role  # type: ignore[assignment]

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年?")
_TARGET_WORDS = ("目标", "规划")
_VALUE_WORDS = ("现状", "基准", "基期", "实际", "完成", "基数")
_ATTAINMENT_WORDS = ("达标",)
_SPACES = re.compile(r"[\s\u3000]+")


def header_key(text: str) -> str:
    """A header as compared: no spaces or line breaks, ASCII parentheses."""
    return _SPACES.sub("", text).replace("（", "(").replace("）", ")").strip("：:")


@dataclass(frozen=True)
class Column:
    """One grid column's part in the table: its role, the year it is for (target and value columns), its header."""

    role: Role
    label: str
    year: int | None = None


def classify(label: str) -> Column | None:
    """The role a header names, or None for a header this table reader does not use."""
    key = header_key(label)
    if not key:
        return None
    year = _YEAR.search(key)
    if year:
        rest = key.replace(year.group(0), "")
        number = int(year.group(1))
        if any(w in rest for w in _ATTAINMENT_WORDS):
            return Column("attainment", key, number)
        if any(w in rest for w in _TARGET_WORDS):
            return Column("target", key, number)
        if any(w in rest for w in _VALUE_WORDS):
            return Column("value", key, number)
        if rest in ("", "指标值", "值", "数值", "年度"):
            return Column("year", key, number)
        return None
    role = _WORDS.get(key)
    return Column(role, key) if role else None


@dataclass
class Header:
    """The header rows of a table and what each grid column is."""

    first: int  # the first header row
    depth: int  # how many rows the header takes
    columns: dict[int, Column] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # headers not recognised (their columns are not read)

    @property
    def end(self) -> int:
        """The first row below the header."""
        return self.first + self.depth

    def where(self, role: Role) -> list[int]:
        """The grid columns of a role, left to right."""
        return sorted(c for c, column in self.columns.items() if column.role == role)

    def years(self, role: Role) -> list[int]:
        return sorted({column.year for column in self.columns.values() if column.role == role and column.year})

    def columns_for(self, role: Role, year: int | None) -> list[int]:
        return sorted(c for c, column in self.columns.items() if column.role == role and column.year == year)

    def verdict_columns(self) -> dict[int, int]:
        """Each 达标情况 column → the year it judges: its own, else that of the nearest value column on its left
        (表1's one 达标情况 after 2019年…2022年 judges 2022)."""
        found = {}
        for col, column in self.columns.items():
            if column.role != "attainment":
                continue
            left = [c for c in self.where("value") if c < col and self.columns[c].year]
            year = column.year or (self.columns[left[-1]].year if left else None)
            if year:
                found[col] = year
        return found

    def signature(self) -> tuple[tuple[int, str], ...]:
        """What the header says, column by column: a repeated header row (a page's) has the same."""
        return tuple(sorted((c, col.label) for c, col in self.columns.items()))

    def is_indicator_table(self) -> bool:
        """An indicator table names its indicators and states a target (指标值, 目标值, a target year); a sheet of
        reported values by year (年度, 上级任务 — a district's submission) is none."""
        roles = {c.role for c in self.columns.values()}
        return "name" in roles and bool(roles & {"criterion", "target", "year"}) and "submission" not in roles


def read_header(grid: Grid, row: int) -> Header | None:
    """The header starting at `row`, over one row or two, if the row reads as an indicator table's header."""
    one = _header(grid, row, 1)
    if one is None or not one.is_indicator_table():
        return None
    if row + 1 < grid.height:
        two = _header(grid, row, 2)
        if two is not None and _second_row_is_header(grid, row + 1) and len(two.columns) >= len(one.columns):
            return _resolve(two)
    return _resolve(one)


def _header(grid: Grid, row: int, depth: int) -> Header | None:
    header = Header(row, depth)
    for col in range(grid.width):
        parts: list[str] = []
        for r in range(row, row + depth):
            text = grid.text(r, col)
            if r > row and grid.corner(r, col) == grid.corner(r - 1, col):
                continue  # the cell above reaches down into this row
            if text.strip():
                parts.append(text)
        label = "".join(parts)
        column = classify(label)
        if column is not None:
            header.columns[col] = column
        elif label.strip() and header_key(label) not in header.unknown:
            header.unknown.append(header_key(label))
    return header if header.columns else None


def _second_row_is_header(grid: Grid, row: int) -> bool:
    """Whether a row under a header row is more header (2025年 / 2030年 under 目标), not the first indicator."""
    fresh = [grid.text(row, c) for c in range(grid.width)
             if grid.corner(row, c) != grid.corner(row - 1, c) and grid.text(row, c).strip()]
    return bool(fresh) and all(classify(text) is not None for text in fresh)


def _resolve(header: Header) -> Header:
    """Columns of a year alone (2019年, 2023年指标值): reported values beside a 指标值 or 目标 column, else targets."""
    roles = {c.role for c in header.columns.values()}
    settled: Role = "value" if roles & {"criterion", "target"} else "target"
    for col, column in list(header.columns.items()):
        if column.role == "year":
            header.columns[col] = Column(settled, column.label, column.year)
    return header


__all__ = ["Column", "Header", "Role", "classify", "header_key", "read_header"]
