"""Matching a district's rows to a pack's indicators, and the checks that need the pack.

Rows are matched by 指标编号 (id) or by name, where the name comparison ignores spaces, full/half width, footnote
markers and PM2.5 spellings. Unknown names, duplicated rows, unit mismatches, text where a number is due and
profile fields a criterion needs are reported as problems with the cell they come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ecoplan.normalize import compact, name_key, unit_key
from ecoplan.report.problems import Problem
from ecoplan.rules.criteria import Manual, State, WaterClassCriterion
from ecoplan.rules.pack import Indicator, Pack
from ecoplan.workbook.district import District, Row
from ecoplan.workbook.values import FreeText, NotApplicable, Number, Words

_PROFILE_LABELS = {"region": "地区类型 (region)", "admin_type": "行政级别 (admin_type)", "city_size": "城市规模 (city_size)"}
@dataclass
class Matched:
    """Rows by leaf id and year, with the problems found while matching."""

    values: dict[str, dict[int, Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


# Row names repeat across a batch (the same ~50 indicator names in every workbook); folding one costs ~10 µs.
_name_key = lru_cache(maxsize=8192)(name_key)


@dataclass
class _PackIndex:
    """What matching needs from a pack, computed once per pack object (a batch matches thousands of workbooks
    against the same few packs; building this took ~2 ms per workbook)."""

    pack: Pack  # kept so that the id() key below cannot be reused by another object
    by_id: dict[str, Indicator]
    by_name: dict[str, list[Indicator]]
    composites: dict[str, Indicator]
    names: dict[str, set[str]]  # leaf or composite id → every name key that row names may use for it
    profile_fields: list[str]


_INDEXES: dict[int, _PackIndex] = {}


def _pack_index(pack: Pack) -> _PackIndex:
    cached = _INDEXES.get(id(pack))
    if cached is not None and cached.pack is pack:
        return cached
    by_id, by_name, composites = _index(pack)
    names = {node.id: {_name_key(n) for n in [node.label, *node.aliases]} for node in by_id.values()}
    for key, nodes in by_name.items():
        for node in nodes:
            names[node.id].add(key)
    if len(_INDEXES) > 64:  # packs loaded outside cached_pack (rules lint, tests) must not pile up
        _INDEXES.clear()
    index = _INDEXES[id(pack)] = _PackIndex(pack, by_id, by_name, composites, names, sorted(pack.profile_fields()))
    return index


def _index(pack: Pack) -> tuple[dict[str, Indicator], dict[str, list[Indicator]], dict[str, Indicator]]:
    by_id: dict[str, Indicator] = {}
    by_name: dict[str, list[Indicator]] = {}
    composites: dict[str, Indicator] = {}
    for top in pack.indicators:
        for node in top.walk():
            by_id[node.id] = node
            if node.items:
                composites[_name_key(node.label)] = node
                continue
            keys = {_name_key(n) for n in [node.label, *node.aliases]}
            if node is not top:
                keys |= {_name_key(f"{top.label}{n}") for n in [node.label, *node.aliases]}
                keys |= {_name_key(f"{top.label}/{n}") for n in [node.label, *node.aliases]}
            for key in keys:
                by_name.setdefault(key, [])
                if not any(n is node for n in by_name[key]):  # identity: model equality compares every field
                    by_name[key].append(node)
    return by_id, by_name, composites


def is_numeric(leaf: Indicator) -> bool:
    """Whether the indicator is measured as a number (not a state word or a water class)."""
    if leaf.direction not in ("higher", "lower"):
        return False
    return not isinstance(leaf.criterion, (State, WaterClassCriterion, Manual))


def match(district: District, pack: Pack) -> Matched:
    """Assign each row to a leaf indicator of the pack; collect problems (nothing is raised)."""
    result = Matched()
    index = _pack_index(pack)
    cells: dict[tuple[str, int], str] = {}
    for row in district.rows:
        leaf = _resolve(row, index, result.problems)
        if leaf is None:
            continue
        if leaf.items:
            result.problems.append(Problem("composite-value", "warning",
                                           f"{leaf.label} is decided by its sub-items "
                                           f"({'、'.join(i.label for i in leaf.items)}); this row is ignored",
                                           row.cell, row.key, row.year))
            continue
        slot = (leaf.id, row.year)
        if slot in cells:
            result.problems.append(Problem("duplicate-row", "error",
                                           f"{leaf.label} {row.year} is given twice (also at {cells[slot]}); keep one row",
                                           row.cell, leaf.id, row.year))
            continue
        cells[slot] = row.cell
        _check_row(row, leaf, result.problems)
        result.values.setdefault(leaf.id, {})[row.year] = row
    _check_profile(district, pack, index.profile_fields, result.problems)
    return result


def _resolve(row: Row, index: _PackIndex, problems: list[Problem]) -> Indicator | None:
    by_id, by_name, composites = index.by_id, index.by_name, index.composites
    if row.id is not None:
        found = by_id.get(row.id.strip()) or by_id.get(compact(row.id))
        if found is not None:
            if row.name and _name_key(row.name) not in index.names[found.id]:
                problems.append(Problem("id-name-mismatch", "warning",
                                        f"指标编号 {row.id} is {found.label} in the pack, but the row names {row.name}; "
                                        "the id is used", row.cell, row.id, row.year))
            return found
        if row.name is None:
            problems.append(Problem("unknown-indicator", "error", f"指标编号 {row.id!r} is not in the pack", row.cell,
                                    row.id, row.year))
            return None
    key = _name_key(row.name or "")
    candidates = by_name.get(key, [])
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        ids = "、".join(c.id for c in candidates)
        problems.append(Problem("ambiguous-indicator", "error",
                                f"{row.name} names several indicators ({ids}); fill 指标编号 to say which", row.cell,
                                row.name, row.year))
        return None
    if key in composites:
        return composites[key]
    problems.append(Problem("unknown-indicator", "error",
                            f"{row.name!r} is not an indicator of the pack (check the spelling, or fill 指标编号)",
                            row.cell, row.name, row.year))
    return None


def _check_row(row: Row, leaf: Indicator, problems: list[Problem]) -> None:
    if row.unit and leaf.unit and unit_key(row.unit) != unit_key(leaf.unit):
        problems.append(Problem("unit-mismatch", "error",
                                f"单位 {row.unit!r} differs from the pack's unit {leaf.unit!r} for {leaf.label}",
                                row.cell, leaf.id, row.year))
    value = row.reported.value
    # "71.1吨" for a rate in % was judged as 71.1%: a unit typed into the value cell must agree too. A cell that
    # also carries the superior's task (325 天 for 优良天数比率) is the documents' own form and is exempt.
    if isinstance(value, Number) and value.unit and leaf.unit and row.reported.task is None \
            and unit_key(value.unit) != unit_key(leaf.unit):
        problems.append(Problem("unit-mismatch", "error",
                                f"指标值 {row.reported.raw!r} is in {value.unit}, but {leaf.label} is measured in "
                                f"{leaf.unit}", row.cell, leaf.id, row.year))
    # Words with a figure in them ("鱼类100%得到保护") are a sentence to review; words without one ("很满意") or
    # text that is no Chinese at all ("N/A", "NaN") where a number is due are errors in the submission.
    if is_numeric(leaf) and (isinstance(value, FreeText) or (isinstance(value, Words) and not value.asserts_completion
                                                              and not value.negated and not _has_digit(value.text))):
        problems.append(Problem("value-type", "error",
                                f"{leaf.label} needs a number (or a bound such as ≥25, 不涉及, 未考核), got "
                                f"{row.reported.raw!r}", row.cell, leaf.id, row.year))
    if isinstance(value, NotApplicable) and not leaf.may_be_na:
        problems.append(Problem("not-applicable-unexpected", "warning",
                                f"{leaf.label} is reported 不涉及 but the pack does not mark it as possibly not "
                                "applicable", row.cell, leaf.id, row.year))


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _check_profile(district: District, pack: Pack, profile_fields: list[str], problems: list[Problem]) -> None:
    if district.profile is None:
        return
    have = district.profile.criteria_fields
    for field_name in profile_fields:
        if field_name not in have:
            users = [leaf.label for _, leaf in pack.leaves() if leaf.criterion is not None
                     and field_name in _fields_of(leaf)]
            problems.append(Problem("profile-missing", "error",
                                    f"区县信息 lacks {_PROFILE_LABELS[field_name]}, which "
                                    f"{'、'.join(users) or 'a criterion'} needs to choose its threshold",
                                    "区县信息!A1"))


def _fields_of(leaf: Indicator) -> set[str]:
    from ecoplan.rules.criteria import ByProfile
    from ecoplan.rules.pack import _walk_criteria

    fields: set[str] = set()
    for criterion in [leaf.criterion, *[t.criterion for t in leaf.targets.values()]]:
        for node in _walk_criteria(criterion):
            if isinstance(node, ByProfile):
                fields |= node.fields()
    return fields


def missing_constraint_values(pack: Pack, matched: Matched, year: int) -> list[Problem]:
    """约束性 indicators with no value for the assessed year (a CI gate treats these as errors)."""
    problems = []
    for top, leaf in pack.leaves():
        attribute = leaf.attribute or top.attribute
        if attribute == "constraint" and year not in matched.values.get(leaf.id, {}):
            problems.append(Problem("missing-constraint-value", "warning",
                                    f"约束性 indicator {leaf.label} has no value for {year}", None, leaf.id, year))
    return problems
