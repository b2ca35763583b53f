"""A district workbook as data: the profile (区县信息) and the reported rows (指标数据), with every problem found.

Both sheet-name spellings and Chinese or English headers are accepted; so is the layout the documents print
(one row per indicator, one column per year). Every cell that cannot be read becomes a `Problem` naming the
sheet and cell; nothing stops at the first one, so `ecoplan check` can list them all.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ecoplan.normalize import compact, fold
from ecoplan.quantity import format_number
from ecoplan.report.problems import Problem
from ecoplan.workbook.reader import RawSheet, RawWorkbook, cell_ref, column_letter
from ecoplan.workbook.values import Reported, Task, parse_task, parse_value

# The value parser is pure and its results are frozen, so a cell text seen before (不涉及, 建立, 未下达) is parsed
# once per process: parsing is ~60 % of loading a workbook, and a batch sees the same texts thousands of times.
# Only text is cached (see _row). parse_task caches itself: task sentences recur inside value cells too.
# 1,024 entries: the texts that recur (a few hundred) stay, as each workbook uses them again; a larger cache only
# kept more of the one-off texts (task-and-actual sentences) and let a long batch's memory grow (2,048: 1.3x at
# 1,000 workbooks against 100 with --jobs 1; 1,024: 1.2x, at ~1 % more parsing).
_parse_text = lru_cache(maxsize=1024)(parse_value)

INFO_SHEETS = ("区县信息", "district")
DATA_SHEETS = ("指标数据", "indicators")

PROFILE_KEYS: dict[str, str] = {
    "区县名称": "name", "名称": "name", "区县": "name", "name": "name", "district": "name",
    "行政区划代码": "code", "区划代码": "code", "code": "code",
    "评估年度": "year", "年度": "year", "year": "year",
    "指标体系": "pack", "pack": "pack", "规则": "pack",
    "地区类型": "region", "地区": "region", "region": "region",
    "行政级别": "admin_type", "行政类型": "admin_type", "admin_type": "admin_type",
    "城市规模": "city_size", "city_size": "city_size",
}
REGIONS = ("东部", "中部", "西部", "东北")
COLUMNS: dict[str, str] = {
    "指标编号": "id", "编号": "id", "id": "id", "indicator_id": "id",
    "指标名称": "name", "指标": "name", "name": "name", "indicator": "name",
    "年度": "year", "年份": "year", "year": "year",
    "指标值": "value", "数值": "value", "value": "value", "当年指标值": "value",
    "上级任务": "superior_target", "上级规定的考核任务": "superior_target", "superior_target": "superior_target",
    "单位": "unit", "unit": "unit",
    "备注": "note", "note": "note", "notes": "note",
    "数据来源": "source", "来源": "source", "source": "source",
}
_YEAR_HEADER = re.compile(r"^((?:19|20)\d\d)\s*年?(?:现状|指标值|实际值|数据|值)?$")


@dataclass(frozen=True, kw_only=True)
class Profile:
    """区县信息: who the district is; region, admin_type and city_size drive profile-dependent criteria.

    Each field is checked where its cell is read (`_load_profile`), so a bad year names its cell."""

    name: str
    year: int
    code: str | None = None
    pack: str | None = None
    region: str | None = None
    admin_type: str | None = None
    city_size: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @cached_property  # read for every indicator; the profile never changes
    def criteria_fields(self) -> dict[str, str]:
        """The profile as the criteria read it (only fields that are set)."""
        return {k: v for k, v in (("region", self.region), ("admin_type", self.admin_type),
                                  ("city_size", self.city_size)) if v}


@dataclass(slots=True)
class Row:
    """One reported value: which indicator (id and/or name), which year, the parsed value, and its cell.

    Not frozen: one is made per row of every workbook, and a frozen dataclass takes twice as long to make."""

    id: str | None
    name: str | None
    year: int
    reported: Reported
    cell: str
    unit: str | None = None
    note: str | None = None
    source: str | None = None

    @property
    def key(self) -> str:
        return self.id or self.name or "?"


@dataclass
class District:
    """A loaded workbook: profile, rows, and the problems met while reading it."""

    path: Path
    profile: Profile | None
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


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


def _text(cell: Any) -> str:
    if type(cell) is str:  # most cells: skip the checks below
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_year(cell: Any) -> int | None:
    """2023, 2023.0, "2023", "2023年", "２０２３" → 2023; anything else → None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return int(cell) if float(cell).is_integer() and 1900 <= cell <= 2100 else None
    m = re.fullmatch(r"((?:19|20)\d\d)\s*(?:年|\.0)?", compact(str(cell)))
    return int(m.group(1)) if m else None


def load_district(book: RawWorkbook) -> District:
    """Turn the raw cells into a District; problems are collected, not raised."""
    district = District(path=book.path, profile=None)
    info = _find_sheet(book, INFO_SHEETS)
    data = _find_sheet(book, DATA_SHEETS)
    found = "、".join(book.sheets) or "none"
    if info is None:
        district.problems.append(Problem("sheet-missing", "error",
                                         f"no sheet 区县信息 (or district); the workbook has: {found}"))
    if data is None:
        district.problems.append(Problem("sheet-missing", "error",
                                         f"no sheet 指标数据 (or indicators); the workbook has: {found}"))
    if info is not None:
        district.profile = _load_profile(info, district.problems)
    if data is not None:
        _check_sheet(data, district.problems)
        default_year = district.profile.year if district.profile else None
        district.rows = _load_rows(data, default_year, district.problems)
    return district


def _check_merged(sheet: RawSheet, header_row: int, used: set[int], problems: list[Problem]) -> None:
    """Cells merged down several rows in a column ecoplan reads lose the values of all but the first row.

    Merges elsewhere (a 领域 label spanning its indicators, as the documents' tables print them) are only layout.
    """
    for r0, c0, r1, c1 in sheet.merged:
        if r1 > r0 and r1 > header_row and any(c0 <= c <= c1 for c in used):
            problems.append(Problem("merged-cells", "error",
                                    f"cells {cell_ref(r0, c0)}:{cell_ref(r1, c1)} are merged across rows; every row "
                                    "needs its own values (unmerge and fill each row)", f"{sheet.name}!{cell_ref(r0, c0)}"))


def _check_sheet(sheet: RawSheet, problems: list[Problem]) -> None:
    if sheet.hidden_rows:
        # Hidden is formatting, not deletion: the values are used, but the submitter may not expect that.
        shown = "、".join(str(n) for n in sheet.hidden_rows[:10]) + ("…" if len(sheet.hidden_rows) > 10 else "")
        problems.append(Problem("hidden-rows", "warning", f"rows {shown} are hidden in Excel; their values are read "
                                "like any other row", f"{sheet.name}!A{sheet.hidden_rows[0]}"))
    for ref in sheet.uncached_formulas:
        problems.append(Problem("formula-no-value", "error",
                                "a formula with no saved result (the file was written by a tool that does not "
                                "calculate); open and save it in Excel/WPS, or type the value", f"{sheet.name}!{ref}"))


def _load_profile(sheet: RawSheet, problems: list[Problem]) -> Profile | None:
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    cells: dict[str, str] = {}
    for r, row in enumerate(sheet.rows):
        if not row:
            continue
        key = _text(row[0])
        value = _text(row[1]) if len(row) > 1 else ""
        if not key or compact(key).lower() in ("项目", "key", "字段", "项", "item"):
            continue
        canonical = PROFILE_KEYS.get(compact(key).lower()) or PROFILE_KEYS.get(compact(key))
        if canonical is None:
            extra[key] = value
            continue
        if canonical in values:
            problems.append(Problem("duplicate-key", "error", f"key {key} is given twice", f"{sheet.name}!A{r + 1}"))
            continue
        values[canonical] = fold(value) if canonical != "name" else value
        cells[canonical] = f"{sheet.name}!B{r + 1}"
        if canonical == "year" and row and len(row) > 1:
            year = parse_year(row[1])
            if year is None and value:
                problems.append(Problem("value-type", "error", f"评估年度 must be a year such as 2023, got {value!r}",
                                        cells["year"]))
                values.pop("year")
            elif year is not None:
                values["year"] = str(year)
    for required, label in (("name", "区县名称"), ("year", "评估年度")):
        if not values.get(required):
            if required == "year" and any(p.cell == cells.get("year") for p in problems):
                continue
            problems.append(Problem("profile-missing", "error", f"sheet {sheet.name} has no {label} ({required})",
                                    f"{sheet.name}!A1"))
    region = values.get("region")
    if region and region not in REGIONS:
        normal = next((r for r in REGIONS if region.startswith(r)), None)
        if normal:
            values["region"] = normal
        else:
            problems.append(Problem("value-type", "error", f"地区类型 must be one of {'/'.join(REGIONS)}, got {region!r}",
                                    cells.get("region")))
    if not values.get("name") or not values.get("year"):
        return None
    return Profile(name=values["name"], year=int(values["year"]), code=values.get("code"), pack=values.get("pack"),
                   region=values.get("region"), admin_type=values.get("admin_type"),
                   city_size=values.get("city_size"), extra=extra)


def _header(sheet: RawSheet) -> tuple[int, dict[str, int], dict[int, int]] | None:
    """Find the header row: returns (row index, field → column, column → year for the wide layout)."""
    for r, row in enumerate(sheet.rows[:10]):
        columns: dict[str, int] = {}
        years: dict[int, int] = {}
        for c, cell in enumerate(row):
            label = compact(_text(cell)).lower()
            if not label:
                continue
            field_name = COLUMNS.get(label)
            if field_name and field_name not in columns:
                columns[field_name] = c
                continue
            m = _YEAR_HEADER.match(label)
            if m and "目标" not in label:
                years[c] = int(m.group(1))
        if ("name" in columns or "id" in columns) and ("value" in columns or years):
            return r, columns, years
    return None


_HEADER_WORDS = {"目标", "达标情况", "领域", "任务", "序号", "属性", "指标属性", "备注"}


def _header_like(row: list[Any]) -> bool:
    labels = [compact(_text(x)).lower() for x in row if _text(x)]
    return bool(labels) and all(_YEAR_HEADER.match(x) or x in _HEADER_WORDS or x in COLUMNS
                                or re.fullmatch(r"((?:19|20)\d\d)年?目标", x) for x in labels)


def _load_rows(sheet: RawSheet, default_year: int | None, problems: list[Problem]) -> list[Row]:
    header = _header(sheet)
    if header is None:
        problems.append(Problem("header-missing", "error",
                                "no header row with 指标名称 (or 指标编号) and 指标值 (or year columns such as 2023年) in "
                                "the first 10 rows", f"{sheet.name}!A1"))
        return []
    start, columns, years = header
    if not any(_has_content(row) for row in sheet.rows[start + 1:]):
        problems.append(Problem("no-rows", "error", "the sheet has a header row but no indicator rows below it",
                                f"{sheet.name}!A{start + 2}"))
        return []
    # The documents' own layout (one column per year) also has a 指标值 column, which there holds the criterion;
    # so a sheet with year columns and no 年度 column is read by its year columns.
    wide = bool(years) and "year" not in columns
    if wide and default_year is not None:
        years = {c: y for c, y in years.items() if y <= default_year}  # later columns are plan targets
    used = set(columns.values()) | (set(years) if wide else set())
    if wide:
        used.discard(columns.get("value", -1))
    _check_merged(sheet, start, used, problems)
    rows: list[Row] = []
    id_col, name_col, unit_col, note_col, source_col, task_col, year_col, value_col = (
        columns.get(f) for f in ("id", "name", "unit", "note", "source", "superior_target", "year", "value"))
    label_col = columns.get("name", columns.get("id", 0))
    if not wide and value_col is None:  # year columns beside a 年度 column: no column says which value is whose
        problems.append(Problem("header-missing", "error", "the header has a 年度 column but no 指标值 column",
                                f"{sheet.name}!A{start + 1}"))
        return []
    # Per sheet, not per row: the cell references' column letters, and each year cell's year (a column of
    # 2023.0 or "2023年" repeats one value on every row).
    prefix = f"{sheet.name}!"
    value_letters = f"{prefix}{column_letter(value_col)}" if value_col is not None else ""  # (wide: unused)
    year_letters = {c: f"{prefix}{column_letter(c)}" for c in years}
    years_seen: dict[Any, int] = {}
    percent = sheet.percent_cells
    for r in range(start + 1, len(sheet.rows)):
        row = sheet.rows[r]
        if not _has_content(row):
            continue
        ident, name = _text_at(row, id_col) or None, _text_at(row, name_col) or None
        if ident is None and name is None:
            if _header_like(row):  # the second line of a two-line header (目标 / 2025年 2030年)
                continue
            problems.append(Problem("indicator-missing", "error", "a row with values but no 指标名称 or 指标编号",
                                    f"{prefix}{cell_ref(r, label_col)}"))
            continue
        unit = _text_at(row, unit_col) or None
        note = _text_at(row, note_col) or None
        source = _text_at(row, source_col) or None
        task_cell = _text_at(row, task_col)
        if wide:
            for c, year in years.items():
                raw = row[c] if c < len(row) else ""
                if _text(raw) == "":
                    continue
                if percent:
                    raw = _shown(percent, r, c, raw)
                rows.append(_row(ident, name, year, raw, task_cell, f"{year_letters[c]}{r + 1}", unit, note, source,
                                 problems))
            continue
        year_cell = row[year_col] if year_col is not None and year_col < len(row) else ""
        if _text(year_cell) == "":
            if default_year is None:
                problems.append(Problem("year-missing", "error", "no 年度 and no 评估年度 to default to",
                                        f"{prefix}{cell_ref(r, label_col)}", ident or name))
                continue
            year = default_year
        else:
            known = type(year_cell) in (str, float, int)  # bool, dates and times are never a year
            year = years_seen.get(year_cell) if known else None
            if year is None:
                year = parse_year(year_cell)
                if year is not None and known:
                    years_seen[year_cell] = year
            if year is None:
                ref = f"{prefix}{cell_ref(r, columns['year'])}"
                shown = year_cell.isoformat() if isinstance(year_cell, (dt.date, dt.datetime)) else _text(year_cell)
                problems.append(Problem("value-type", "error", f"年度 must be a year such as 2023, got {shown!r}"
                                        + (" (a date: format the column as a number)" if isinstance(
                                            year_cell, (dt.date, dt.datetime)) else ""), ref, ident or name))
                continue
        raw = row[value_col] if value_col is not None and value_col < len(row) else ""
        if percent:
            raw = _shown(percent, r, value_col, raw)
        rows.append(_row(ident, name, year, raw, task_cell, f"{value_letters}{r + 1}", unit, note, source, problems))
    return rows


def _text_at(row: list[Any], column: int | None) -> str:
    """The text of `row`'s cell in `column` ('' where the row is short or the column absent)."""
    if column is None or column >= len(row):
        return ""
    cell = row[column]
    return cell.strip() if type(cell) is str else _text(cell)


def _shown(percent_cells: set[tuple[int, int]], r: int, c: int | None, raw: Any) -> Any:
    """A number in a percentage-formatted cell as the person typed and sees it: 0.879 shown as 87.9% → "87.9%"."""
    if (r, c) in percent_cells and isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return f"{format_number(round(raw * 100, 10))}%"
    return raw


def _row(ident: str | None, name: str | None, year: int, raw: Any, task_cell: str, ref: str, unit: str | None,
         note: str | None, source: str | None, problems: list[Problem]) -> Row:
    if isinstance(raw, (dt.date, dt.datetime, dt.time)):
        problems.append(Problem("value-type", "error", f"指标值 is a date ({raw}); type the number or text as it is "
                                "reported", ref, ident or name, year))
        raw = ""
    # Numbers are cheap to parse and rarely repeat: only text goes through the cache, so numbers never evict it.
    reported = _parse_text(raw) if type(raw) is str else parse_value(raw)
    if task_cell:
        task: Task = parse_task(task_cell)
        if reported.task is not None and reported.task.text != task.text:
            problems.append(Problem("task-conflict", "warning", f"上级任务 column says {task_cell!r} but the value cell "
                                    f"says {reported.task.text!r}; the column is used", ref, ident or name, year))
        reported = Reported(raw=reported.raw, value=reported.value, task=task, measures=reported.measures,
                            footnotes=reported.footnotes)
    return Row(ident, name, year, reported, ref, unit, note, source)

