"""区县信息: who the district is — its keys in Chinese or English, checked where each cell is read.

The fields, their labels, the year range and the regions are written here once: the reader checks each cell
against them (with a problem at the cell), and `ecoplan.District.model_json_schema()` describes the same fields
(pydantic reads the `Constrained` markers only when the schema is asked for: the command line never imports it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Any, cast

from ecoplan.normalize import compact, fold, odd_digits
from ecoplan.report.problems import Problem
from ecoplan.rules.validation import Constrained
from ecoplan.vocabulary import REGIONS, Region
from ecoplan.workbook.layout import text
from ecoplan.workbook.reader import RawSheet

FIRST_YEAR, LAST_YEAR = 1900, 2100
"""The years a workbook (评估年度, 年度) and --year may name: the one statement of the range."""

# Each field of 区县信息 and the keys column A may name it by; the first key is the field's label.
PROFILE_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("区县名称", "名称", "区县", "name", "district"),
    "code": ("行政区划代码", "区划代码", "code"),
    "year": ("评估年度", "年度", "year"),
    "pack": ("指标体系", "pack", "规则"),
    "region": ("地区类型", "地区", "region"),
    "admin_type": ("行政级别", "行政类型", "admin_type"),
    "city_size": ("城市规模", "city_size"),
}
PROFILE_KEYS: dict[str, str] = {key: name for name, keys in PROFILE_FIELDS.items() for key in keys}
PROFILE_LABELS: dict[str, str] = {name: keys[0] for name, keys in PROFILE_FIELDS.items()}
REQUIRED = ("name", "year")

Year = Annotated[int, Constrained(ge=FIRST_YEAR, le=LAST_YEAR)]


@dataclass(frozen=True, kw_only=True)
class Profile:
    """区县信息: who the district is; region, admin_type and city_size drive profile-dependent criteria.

    Each field is checked where its cell is read (`load_profile`), so a bad year names its cell."""

    name: Annotated[str, Constrained(min_length=1, title=PROFILE_LABELS["name"], description="区县的名称，如 渝北区")]
    year: Annotated[Year, Constrained(title=PROFILE_LABELS["year"],
                                      description="评估的年度；指标数据中没有年度的行以它为年度")]
    code: Annotated[str | None, Constrained(title=PROFILE_LABELS["code"],
                                            description="6 位行政区划代码，用来识别同一区县的多份工作簿")] = None
    pack: Annotated[str | None, Constrained(title=PROFILE_LABELS["pack"],
                                            description="指标体系的编号或标题；不填时用 --pack 指定")] = None
    region: Annotated[Region | None, Constrained(title=PROFILE_LABELS["region"])] = None
    admin_type: Annotated[str | None, Constrained(title=PROFILE_LABELS["admin_type"],
                                                  description="如 市辖区、县、县级市")] = None
    city_size: Annotated[str | None, Constrained(title=PROFILE_LABELS["city_size"])] = None
    extra: Annotated[dict[str, str], Constrained(title="其他信息", description="区县信息中的其他项，原样保留")] = \
        field(default_factory=dict)

    @cached_property  # read for every indicator; the profile never changes
    def criteria_fields(self) -> dict[str, str]:
        """The profile as the criteria read it (only fields that are set)."""
        return {k: v for k, v in (("region", self.region), ("admin_type", self.admin_type),
                                  ("city_size", self.city_size)) if v}


def parse_year(cell: Any) -> int | None:
    """2023, 2023.0, "2023", "2023年", "２０２３" → 2023; anything else (or a year outside FIRST_YEAR–LAST_YEAR)
    → None."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return int(cell) if float(cell).is_integer() and FIRST_YEAR <= cell <= LAST_YEAR else None
    if odd_digits(str(cell)):  # "2 023", "⑳㉓", "٢٠٢٣": no year anyone writes (see normalize.odd_digits)
        return None
    m = re.fullmatch(r"([0-9]{4})\s*(?:年度?|\.0)?", compact(str(cell)))
    return int(m.group(1)) if m and FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR else None


def load_profile(sheet: RawSheet,
                 problems: list[Problem]) -> tuple[Profile | None, int | None, str | None, str | None]:
    """The profile (None when 区县名称 or 评估年度 is missing), and on their own the 评估年度 (rows default to it),
    the 指标体系 (the rows can still be matched against it when the profile is incomplete) and the cell it is in
    (an unknown pack is reported there)."""
    values: dict[str, str] = {}
    extra: dict[str, str] = {}
    cells: dict[str, str] = {}
    told: set[str] = set()  # fields whose cell already has a problem: not "missing" as well
    for r, row in enumerate(sheet.rows):
        key = text(row[0]) if row else ""
        if not key or compact(key).lower() in ("项目", "key", "字段", "项", "item"):
            continue
        canonical = PROFILE_KEYS.get(compact(key).lower()) or PROFILE_KEYS.get(compact(key))
        value = text(row[1]) if len(row) > 1 else ""
        if canonical is None:
            extra[key] = value
        elif canonical in values or canonical in told:
            problems.append(Problem("duplicate-key", f"“{key}”填了两次", f"{sheet.name}!A{r + 1}"))
        else:
            cells[canonical] = f"{sheet.name}!B{r + 1}"
            checked = _profile_value(canonical, value, row[1] if len(row) > 1 else "", cells[canonical], problems)
            if checked is None:
                told.add(canonical)
            else:
                values[canonical] = checked
    _check_required(sheet, values, cells, told, problems)
    _check_region(values, cells, problems)
    year = int(values["year"]) if values.get("year") else None
    pack, pack_cell = values.get("pack"), cells.get("pack")
    if not values.get("name") or year is None:
        return None, year, pack, pack_cell
    region = cast("Region | None", values.get("region"))  # one of REGIONS: _check_region kept no other
    return Profile(name=values["name"], year=year, code=values.get("code"), pack=pack,
                   region=region, admin_type=values.get("admin_type"),
                   city_size=values.get("city_size"), extra=extra), year, pack, pack_cell


def _profile_value(field_name: str, value: str, cell: Any, ref: str, problems: list[Problem]) -> str | None:
    """A profile value as stored (names as written, other text folded, the year as digits); None, with the
    problem added, for a 评估年度 that is no year."""
    if field_name == "name":
        return value
    if field_name == "year" and value:
        year = parse_year(cell)
        if year is None:
            problems.append(Problem("value-type", f"评估年度应为年份（如 2023），填的是 {value!r}", ref))
            return None
        return str(year)
    return fold(value)


def _check_required(sheet: RawSheet, values: dict[str, str], cells: dict[str, str], told: set[str],
                    problems: list[Problem]) -> None:
    for required in REQUIRED:
        label = PROFILE_LABELS[required]
        if not values.get(required) and required not in told:
            where = cells.get(required, f"{sheet.name}!A1")
            what = "是空的" if required in cells else "没有这一项"
            hint = "；指标数据中没有年度的行以它为年度" if required == "year" else ""
            problems.append(Problem("profile-missing", f"{sheet.name}中的{label}{what}{hint}", where))


def _check_region(values: dict[str, str], cells: dict[str, str], problems: list[Problem]) -> None:
    region = values.get("region")
    if region and region not in REGIONS:
        normal = next((r for r in REGIONS if region.startswith(r)), None)
        if normal:
            values["region"] = normal
        else:
            problems.append(Problem("value-type", f"{PROFILE_LABELS['region']}应为 {'、'.join(REGIONS)} 之一，"
                                    f"填的是 {region!r}",
                                    cells.get("region")))
            values.pop("region")


