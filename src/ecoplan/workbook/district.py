"""A district workbook as data: the profile (区县信息) and the reported rows (指标数据), with every problem found.

Both sheet-name spellings and Chinese or English headers are accepted; so is the layout the documents print
(one row per indicator, one column per year). Every cell that cannot be read becomes a `Problem` naming the
sheet and cell; nothing stops at the first one, so `ecoplan check` can list them all.

These dataclasses are the one model of a submission: the command line assesses them, `ecoplan.load_district`
returns them, and `District.model_json_schema()` describes the contract from the same fields (their labels and
constraints are pydantic markers, read only when a schema is asked for: see docs/design.md for why not pydantic
models).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from ecoplan.normalize import compact
from ecoplan.quantity import format_number
from ecoplan.report.problems import Problem, errors_in
from ecoplan.rules.validation import Constrained
from ecoplan.workbook.layout import COLUMNS, Header, find_header, footer_label, header_like, split_id_and_name, text
from ecoplan.workbook.profile import (
    PROFILE_KEYS,
    PROFILE_LABELS,
    REGIONS,
    Profile,
    Year,
    load_profile,
    parse_year,
)
from ecoplan.workbook.reader import RawSheet, RawWorkbook, cell_ref, column_letter
from ecoplan.workbook.values import Reported, Task, parse_task, parse_value

__all__ = ["COLUMNS", "DATA_SHEETS", "INFO_SHEETS", "PROFILE_KEYS", "REGIONS", "District", "Profile", "Row",
           "load_district", "make_row", "parse_year"]

# The value parser is pure and its results are frozen, so a cell text seen before (不涉及, 建立, 未下达) is parsed
# once per process: parsing is ~60 % of loading a workbook, and a batch sees the same texts thousands of times.
# Only text is cached (see make_row). parse_task caches itself: task sentences recur inside value cells too.
# 1,024 entries: the texts that recur (a few hundred) stay, as each workbook uses them again; a larger cache only
# kept more of the one-off texts (task-and-actual sentences) and let a long batch's memory grow (2,048: 1.3x at
# 1,000 workbooks against 100 with --jobs 1; 1,024: 1.2x, at ~1 % more parsing).
_parse_text = lru_cache(maxsize=1024)(parse_value)

INFO_SHEETS = ("区县信息", "district")
DATA_SHEETS = ("指标数据", "indicators")
# Each 指标数据 column's label: the first header COLUMNS knows for it (指标编号, 指标名称, 年度, 指标值, …).
COLUMN_LABELS: dict[str, str] = {}
for _label, _column in COLUMNS.items():
    COLUMN_LABELS.setdefault(_column, _label)


class Parsed:
    """Marks a field the reader derives from others (a row's parsed value): left out of the schema, which
    describes what a workbook holds."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        # lazy: pydantic (~50 ms) only when a schema is built (ecoplan.District.model_json_schema)
        from pydantic_core import core_schema

        return core_schema.any_schema()

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        # lazy: pydantic (~50 ms) only when a schema is built (ecoplan.District.model_json_schema)
        from pydantic_core import PydanticOmit

        raise PydanticOmit


@dataclass(slots=True)
class Row:
    """One row of 指标数据: which indicator (id and/or name), which year, the 指标值 cell as read and parsed.

    Not frozen: one is made per row of every workbook, and a frozen dataclass takes twice as long to make."""

    id: Annotated[str | None, Constrained(title=COLUMN_LABELS["id"], description="指标体系中的编号，如 4.1")]
    name: Annotated[str | None, Constrained(title=COLUMN_LABELS["name"], description="指标的名称；与编号至少填一项")]
    year: Annotated[Year, Constrained(title=COLUMN_LABELS["year"])]
    reported: Annotated[Reported, Parsed()]  # `value` (and `superior_target`) parsed by make_row
    cell: Annotated[str, Constrained(title="单元格", description="指标值所在的单元格，如 指标数据!D7")]
    unit: Annotated[str | None, Constrained(title=COLUMN_LABELS["unit"])] = None
    note: Annotated[str | None, Constrained(title=COLUMN_LABELS["note"])] = None
    source: Annotated[str | None, Constrained(title=COLUMN_LABELS["source"])] = None
    value: Annotated[str | float | None, Constrained(
        title=COLUMN_LABELS["value"], description="单元格的数字或文字：≥25、不涉及、未考核、上级规定的考核任务…"
    )] = None
    superior_target: Annotated[str | None, Constrained(title=COLUMN_LABELS["superior_target"],
                                                       description="上级规定的考核任务（有这一列时）")] = None
    task_ref: Annotated[str | None, Parsed()] = None  # the 上级任务 cell: a problem about the task is placed there

    @property
    def key(self) -> str:
        return self.id or self.name or "?"


@dataclass
class District:
    """A loaded workbook: profile, rows, and the problems met while reading it (and, from `ecoplan.load_district`,
    checking it against its pack as `ecoplan check` does)."""

    path: Annotated[Path, Constrained(title="文件")]
    profile: Annotated[Profile | None, Constrained(
        title="区县信息", description="缺少区县名称或评估年度时为空（见 problems）")]
    rows: Annotated[list[Row], Constrained(title="指标数据")] = field(default_factory=list)
    problems: Annotated[list[Problem], Constrained(
        title="问题", description="工作簿的全部问题，每个带代码、级别和单元格（与 ecoplan check 相同）")] = \
        field(default_factory=list)
    # The problems of reading the file alone: an assessment adds those of its pack and year to these, so a
    # District that load_district already checked is not checked twice.
    read_problems: Annotated[list[Problem], Constrained(title="读取时的问题")] = field(default_factory=list)
    # 评估年度 and 指标体系 as written, also when the profile is incomplete (区县名称 or 评估年度 missing): the rows
    # are still matched and checked against that pack and year, so one run reports every problem of the file.
    year: Annotated[int | None, Constrained(title=f"{PROFILE_LABELS['year']}（如填写）")] = None
    named_pack: Annotated[str | None, Constrained(title=f"{PROFILE_LABELS['pack']}（如填写）")] = None
    pack_cell: Annotated[str | None, Constrained(title=f"{PROFILE_LABELS['pack']}所在单元格")] = None

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity error."""
        return errors_in(self.problems)

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of a loaded workbook: the 区县信息 fields and the 指标数据 columns with their Chinese
        labels and constraints (built by pydantic from these dataclasses)."""
        # lazy: pydantic (~130 ms with its schema machinery) only when a schema is asked for
        from pydantic import TypeAdapter

        return TypeAdapter(cls).json_schema()


def _find_sheet(book: RawWorkbook, names: tuple[str, ...]) -> RawSheet | None:
    wanted = {compact(n).lower() for n in names}
    for name, sheet in book.sheets.items():
        if compact(name).lower() in wanted:
            return sheet
    return None


def _has_content(row: list[Any]) -> bool:
    """Whether a row has any non-blank cell (calamine gives '' for empty cells, openpyxl None)."""
    for x in row:
        if type(x) is str:
            if x.strip():
                return True
        elif x is not None:
            return True
    return False


def load_district(book: RawWorkbook) -> District:
    """Turn the raw cells into a District; problems are collected, not raised."""
    district = District(path=book.path, profile=None)
    info = _find_sheet(book, INFO_SHEETS)
    data = _find_sheet(book, DATA_SHEETS)
    found = "、".join(book.sheets) or "无"
    for sheet, label, english in ((info, "区县信息", "district"), (data, "指标数据", "indicators")):
        if sheet is None:
            district.problems.append(Problem("sheet-missing",
                                             f"没有工作表“{label}”（或 {english}）；工作簿中的工作表：{found}"))
    year: int | None = None
    if info is not None:
        district.profile, year, district.named_pack, district.pack_cell = load_profile(info, district.problems)
        district.year = year
    if data is not None:
        _check_sheet(data, district.problems)
        # Rows without 年度 take the 评估年度; when that is missing, its own problem says so once (a row-by-row
        # "no year" would repeat one cause for every row).
        district.rows = _load_rows(data, year, district.problems, year_told=info is None or year is None)
    district.read_problems = list(district.problems)
    return district


def _check_merged(sheet: RawSheet, header: Header, problems: list[Problem]) -> None:
    """Cells merged down several rows in a column ecoplan reads lose the values of all but the first row.

    Merges elsewhere (a 领域 label spanning its indicators, as the documents' tables print them) are only layout.
    """
    used = header.used_columns()
    for r0, c0, r1, c1 in sheet.merged:
        if r1 > r0 and r1 > header.row and any(c0 <= c <= c1 for c in used):
            problems.append(Problem("merged-cells",
                                    f"单元格 {cell_ref(r0, c0)}:{cell_ref(r1, c1)} 跨行合并；每行都要有自己的值"
                                    "（取消合并后逐行填写）", f"{sheet.name}!{cell_ref(r0, c0)}"))


def _check_sheet(sheet: RawSheet, problems: list[Problem]) -> None:
    if sheet.hidden_rows:
        # Hidden is formatting, not deletion: the values are used, but the submitter may not expect that.
        shown = "、".join(str(n) for n in sheet.hidden_rows[:10]) + ("…" if len(sheet.hidden_rows) > 10 else "")
        problems.append(Problem("hidden-rows", f"第 {shown} 行被隐藏；其中的值照常读取",
                                f"{sheet.name}!A{sheet.hidden_rows[0]}"))
    if sheet.uncached_formulas:  # one cause (the tool that wrote the file): one problem, at the first cell
        refs = sheet.uncached_formulas
        listed = "、".join(refs[:5]) + (" 等" if len(refs) > 5 else "")
        more = f"（共 {len(refs)} 个单元格：{listed}）" if len(refs) > 1 else ""
        problems.append(Problem("formula-no-value", f"公式没有保存计算结果{more}（文件由不计算公式的工具"
                                "写出）；请在 Excel/WPS 中打开后保存，或直接填写数值", f"{sheet.name}!{refs[0]}"))


def _check_hidden_columns(sheet: RawSheet, header: Header, problems: list[Problem]) -> None:
    hidden = sorted(set(sheet.hidden_columns) & header.used_columns())
    if hidden:
        letters = "、".join(column_letter(c) for c in hidden)
        problems.append(Problem("hidden-columns", f"第 {letters} 列被隐藏；其中的值照常读取",
                                f"{sheet.name}!{cell_ref(header.row, hidden[0])}"))


def _load_rows(sheet: RawSheet, default_year: int | None, problems: list[Problem], *, year_told: bool) -> list[Row]:
    """The indicator rows of the data sheet: find the header, choose the layout, read the rows."""
    header = find_header(sheet)
    if header is None:
        problems.append(Problem("header-missing", "前 10 行中没有表头行：需要“指标名称”（或“指标编号”）"
                                "和“指标值”（或 2023年 这样的年度列）", f"{sheet.name}!A1"))
        return []
    if not any(_has_content(row) for row in sheet.rows[header.row + 1:]):
        problems.append(Problem("no-rows", "有表头行，但下面没有指标行", f"{sheet.name}!A{header.row + 2}"))
        return []
    if not header.wide and "value" not in header.columns:  # year columns beside a 年度 column: whose value is which?
        problems.append(Problem("header-missing", "表头有“年度”列，但没有“指标值”列",
                                f"{sheet.name}!{cell_ref(header.row, header.columns['year'])}"))
        return []
    if header.relabelled:
        problems.append(Problem("header-merged", header.relabelled,
                                f"{sheet.name}!{cell_ref(header.row, header.columns['id'])}"))
    if header.wide and default_year is not None:
        header.years = {c: y for c, y in header.years.items() if y <= default_year}  # later columns: plan targets
    _check_merged(sheet, header, problems)
    _check_hidden_columns(sheet, header, problems)
    return _RowReader(sheet, header, default_year, problems).read(year_told)


class _RowReader:
    """Reads the rows below the header in the chosen layout. Per sheet, not per row: the cell references' column
    letters and each year cell's year (a column of 2023.0 or "2023年" repeats one value on every row)."""

    def __init__(self, sheet: RawSheet, header: Header, default_year: int | None, problems: list[Problem]) -> None:
        self.sheet, self.header, self.default_year, self.problems = sheet, header, default_year, problems
        self.prefix = f"{sheet.name}!"
        col = header.columns.get
        self.id_col, self.name_col, self.year_col, self.value_col = col("id"), col("name"), col("year"), col("value")
        self.label_col = col("name", col("id", 0))
        self.value_letters = f"{self.prefix}{column_letter(self.value_col)}" if self.value_col is not None else ""
        self.year_letters = {c: f"{self.prefix}{column_letter(c)}" for c in header.years}
        self.years_seen: dict[Any, int] = {}
        self.without_year: list[str] = []  # cells of rows with no 年度 and no 评估年度 to default to
        self.dated_years: list[tuple[str, str]] = []  # (cell, date shown) of 年度 cells formatted as dates
        self.rows: list[Row] = []

    def read(self, year_told: bool) -> list[Row]:
        for r in range(self.header.row + 1, len(self.sheet.rows)):
            row = self.sheet.rows[r]
            if not _has_content(row):
                continue
            key = self._identify(r, row)
            if key is None:
                continue
            if self.header.wide:
                self._read_wide(r, row, *key)
            else:
                self._read_long(r, row, *key)
        if self.without_year and not year_told:
            self.problems.append(Problem("year-missing", f"{len(self.without_year)} 行没有年度，"
                                         "区县信息中也没有评估年度可用", self.without_year[0]))
        if self.dated_years:  # one cause, the column's format: said once, with how many rows it took
            cell, shown = self.dated_years[0]
            count = f"，这一列共 {len(self.dated_years)} 个年度是日期" if len(self.dated_years) > 1 else ""
            self.problems.append(Problem("value-type", f"年度应为年份（如 2023），填的是 {shown!r}（这是日期"
                                         f"{count}：请把该列设为数字格式）", cell))
        return self.rows

    def _identify(self, r: int, row: list[Any]) -> tuple[str | None, str | None] | None:
        """The row's (指标编号, 指标名称), or None for a row that is no indicator row (reported here if need be)."""
        ident, name = _text_at(row, self.id_col) or None, _text_at(row, self.name_col) or None
        footer = footer_label(row)
        if footer is not None and (ident is None or ident == footer[1] or name is None):
            column, label = footer
            self.problems.append(Problem("row-ignored", f"“{label[:20]}”不是指标行（合计、备注或落款），"
                                         "未读取", f"{self.prefix}{cell_ref(r, column)}"))
            return None
        if ident is None and name is None:
            if header_like(row):  # the second line of a two-line header (目标 / 2025年 2030年)
                return None
            self.problems.append(Problem("indicator-missing", "这一行有值，但没有指标名称或指标编号",
                                         f"{self.prefix}{cell_ref(r, self.label_col)}"))
            return None
        if self.header.ids_in_names and ident is None and name is not None:
            ident, name = split_id_and_name(name)
        return ident, name

    def _read_wide(self, r: int, row: list[Any], ident: str | None, name: str | None) -> None:
        for c, year in self.header.years.items():
            raw = row[c] if c < len(row) else ""
            if text(raw) == "":
                continue
            self._add(r, row, ident, name, year, _shown(self.sheet.percent_cells, r, c, raw),
                      f"{self.year_letters[c]}{r + 1}")

    def _read_long(self, r: int, row: list[Any], ident: str | None, name: str | None) -> None:
        year = self._year(r, row, ident or name)
        if year is None:
            return
        raw = row[self.value_col] if self.value_col is not None and self.value_col < len(row) else ""
        self._add(r, row, ident, name, year, _shown(self.sheet.percent_cells, r, self.value_col, raw),
                  f"{self.value_letters}{r + 1}")

    def _year(self, r: int, row: list[Any], key: str | None) -> int | None:
        """The row's 年度, or the 评估年度 when the cell is blank; None (with the problem noted) when neither."""
        cell = row[self.year_col] if self.year_col is not None and self.year_col < len(row) else ""
        if text(cell) == "":
            if self.default_year is None:
                self.without_year.append(f"{self.prefix}{cell_ref(r, self.label_col)}")
            return self.default_year
        known = type(cell) in (str, float, int)  # bool, dates and times are never a year
        year = self.years_seen.get(cell) if known else None
        if year is None:
            year = parse_year(cell)
            if year is not None and known:
                self.years_seen[cell] = year
        if year is None:
            assert self.year_col is not None  # a non-blank cell was read from it
            where = f"{self.prefix}{cell_ref(r, self.year_col)}"
            if isinstance(cell, (dt.date, dt.datetime)):
                self.dated_years.append((where, cell.isoformat()))
            else:
                self.problems.append(Problem("value-type", f"年度应为年份（如 2023），填的是 {text(cell)!r}",
                                             where, key))
        return year

    def _add(self, r: int, row: list[Any], ident: str | None, name: str | None, year: int, raw: Any,
             ref: str) -> None:
        col = self.header.columns.get
        task_column = col("superior_target")
        task = _text_at(row, task_column)
        self.rows.append(make_row(ident, name, year, raw, task, ref,
                              _text_at(row, col("unit")) or None, _text_at(row, col("note")) or None,
                              _text_at(row, col("source")) or None, self.problems,
                              task_ref=f"{self.prefix}{cell_ref(r, task_column)}" if task and task_column is not None
                              else None))


def _text_at(row: list[Any], column: int | None) -> str:
    """The text of `row`'s cell in `column` ('' where the row is short or the column absent)."""
    if column is None or column >= len(row):
        return ""
    cell = row[column]
    return cell.strip() if type(cell) is str else text(cell)


def _shown(percent_cells: set[tuple[int, int]], r: int, c: int | None, raw: Any) -> Any:
    """A number in a percentage-formatted cell as the person typed and sees it: 0.879 shown as 87.9% → "87.9%"."""
    if percent_cells and (r, c) in percent_cells and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return f"{format_number(round(raw * 100, 10))}%"
    return raw


def make_row(ident: str | None, name: str | None, year: int, raw: Any, task_cell: str, ref: str, unit: str | None,
             note: str | None, source: str | None, problems: list[Problem], task_ref: str | None = None) -> Row:
    """A Row with its 指标值 cell `raw` parsed (and the 上级任务 column's `task_cell`, '' when none); a date in the
    value cell and a task that disagrees with the column are added to `problems`."""
    if isinstance(raw, (dt.date, dt.datetime, dt.time)):
        problems.append(Problem("value-type", f"指标值是日期（{raw}）；请按上报的样子填写数字或文字", ref,
                                ident or name, year))
        raw = ""
    # Numbers are cheap to parse and rarely repeat: only text goes through the cache, so numbers never evict it.
    reported = _parse_text(raw) if type(raw) is str else parse_value(raw)
    if task_cell:
        task: Task = parse_task(task_cell)
        if reported.task is not None and reported.task.text != task.text:
            problems.append(Problem("task-conflict", f"上级任务列写的是 {task_cell!r}，指标值单元格里写的是 "
                                    f"{reported.task.text!r}；以上级任务列为准", ref, ident or name, year))
        reported = Reported(raw=reported.raw, value=reported.value, task=task, measures=reported.measures,
                            footnotes=reported.footnotes)
    value: str | float | None = raw if isinstance(raw, (str, float)) else None
    if isinstance(raw, bool):
        value = reported.raw  # TRUE / FALSE
    elif isinstance(raw, int):
        value = float(raw)
    return Row(ident, name, year, reported, ref, unit, note, source, value, task_cell or None, task_ref)
