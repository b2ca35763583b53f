"""Matching a district's rows to a pack's indicators, and the checks that need the pack.

Rows are matched by 指标编号 (id) or by name, where the name comparison ignores spaces, full/half width, footnote
markers and PM2.5 spellings. Unknown names, duplicated rows, unit mismatches, text where a number is due and
profile fields a criterion needs are reported as problems with the cell they come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from ecoplan.evaluate.context import related_units
from ecoplan.normalize import compact, name_key, unit_key
from ecoplan.report.problems import Problem
from ecoplan.rules.criteria import Approximate, ByProfile, Cumulative, Manual, State, Threshold, WaterClassCriterion
from ecoplan.rules.pack import Indicator, Pack, walk_criteria
from ecoplan.workbook.district import District, Row
from ecoplan.workbook.profile import PROFILE_LABELS
from ecoplan.workbook.values import FreeText, NotApplicable, Number, TrendClaim, Words


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
            if row.reported.raw:  # a heading row left blank, as the plans print 环境空气质量 above 4.1, 4.2: fine
                result.problems.append(Problem("composite-value",
                                               f"{leaf.label}由其分项（{'、'.join(i.label for i in leaf.items)}）"
                                               "判定；这一行的值未使用", row.cell, row.key, row.year))
            continue
        slot = (leaf.id, row.year)
        if slot in cells:
            result.problems.append(Problem("duplicate-row",
                                           f"{leaf.label} {row.year} 年填了两次（另一处在 {cells[slot]}）；只保留一行",
                                           row.cell, leaf.id, row.year))
            continue
        cells[slot] = row.cell
        _check_row(row, leaf, result.problems)
        result.values.setdefault(leaf.id, {})[row.year] = _in_column_unit(row, leaf)
    _check_profile(district, pack, index.profile_fields, result.problems)
    return result


def _resolve(row: Row, index: _PackIndex, problems: list[Problem]) -> Indicator | None:
    by_id, by_name, composites = index.by_id, index.by_name, index.composites
    if row.id is not None:
        found = by_id.get(row.id.strip()) or by_id.get(compact(row.id))
        if found is not None:
            if row.name and _name_key(row.name) not in index.names[found.id]:
                problems.append(Problem("id-name-mismatch",
                                        f"指标编号 {row.id} 在指标体系中是“{found.label}”，"
                                        f"但这一行的名称是“{row.name}”；按编号读取", row.cell, row.id, row.year))
            return found
        if row.name is None:
            problems.append(Problem("unknown-indicator", f"指标编号 {row.id} 不在指标体系中"
                                    f"{_near_ids(row.id, index)}", row.cell, row.id, row.year))
            return None
    key = _name_key(row.name or "")
    candidates = by_name.get(key, [])
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        ids = "、".join(c.id for c in candidates)
        problems.append(Problem("ambiguous-indicator",
                                f"“{row.name}”对应多个指标（{ids}）；请填写指标编号加以区分", row.cell,
                                row.name, row.year))
        return None
    if key in composites:
        return composites[key]
    if row.id is not None:  # both unknown: the id was filled in, so say what the pack has near it
        message = f"指标编号 {row.id} 和指标名称“{row.name}”都不在指标体系中{_near_ids(row.id, index)}"
    else:
        message = f"“{row.name}”不是指标体系中的指标（请核对名称，或填写指标编号）"
    problems.append(Problem("unknown-indicator", message, row.cell, row.name, row.year))
    return None


def _near_ids(ident: str, index: _PackIndex) -> str:
    """What the pack numbers beside an unknown id: "；编号 4 下有 4.1 优良天数比率、4.2 …" (its parent's items), or
    the top-level range."""
    parent = compact(ident).rsplit(".", 1)[0] if "." in ident else None
    node = index.by_id.get(parent) if parent else None
    if node is not None and node.items:
        items = "、".join(f"{i.id} {i.label}" for i in node.items)
        return f"；编号 {node.id}（{node.label}）下只有：{items}"
    tops = [i.id for i in index.pack.indicators]
    return f"；指标体系的编号为 {tops[0]}–{tops[-1]}" if tops else ""


def _in_column_unit(row: Row, leaf: Indicator) -> Row:
    """The row with a bare number given the 单位 column's unit when that is another one the indicator relates to
    its own (300 with 单位 天 for 优良天数比率 in %: 300 天, read through days_share), so it is never taken as 300 %."""
    value = row.reported.value
    if not row.unit or not leaf.unit or row.unit == leaf.unit or not isinstance(value, Number) \
            or value.unit is not None or unit_key(row.unit) == unit_key(leaf.unit):
        return row  # the usual row: the unit as the pack writes it, or a value with its own unit
    return replace(row, reported=replace(row.reported, value=replace(value, unit=row.unit)))


def _check_row(row: Row, leaf: Indicator, problems: list[Problem]) -> None:
    if row.unit and leaf.unit and not related_units(row.unit, leaf.unit, days_share=leaf.days_share):
        problems.append(Problem("unit-mismatch",
                                f"单位“{row.unit}”与指标体系中{leaf.label}的单位“{leaf.unit}”不同",
                                row.cell, leaf.id, row.year))
    value = row.reported.value
    # "71.1吨" for a rate in % was judged as 71.1%: a unit typed into the value cell must agree too. A cell that
    # also carries the superior's task (325 天 for 优良天数比率) is the documents' own form and is exempt.
    if isinstance(value, Number) and value.unit and leaf.unit and row.reported.task is None \
            and not related_units(value.unit, leaf.unit, days_share=leaf.days_share):
        problems.append(Problem("unit-mismatch",
                                f"指标值 {row.reported.raw!r} 的单位是 {value.unit}，而{leaf.label}以 {leaf.unit} 计",
                                row.cell, leaf.id, row.year))
    # Words with a figure in them ("鱼类100%得到保护") are a sentence to review; words without one ("很满意") or
    # text that is no Chinese at all ("N/A", "NaN") where a number is due are errors in the submission.
    if is_numeric(leaf) and (isinstance(value, FreeText) or (isinstance(value, Words) and not value.asserts_completion
                                                              and not value.negated and not _has_digit(value.text))):
        problems.append(Problem("value-type",
                                f"{leaf.label}应填数字（或 ≥25 这样的范围、不涉及、未考核），填的是 "
                                f"{row.reported.raw!r}", row.cell, leaf.id, row.year))
    # "达标" or "已完成" where the standard is a level (≥85): the pack's when_asserted convention decides it, which a
    # document may intend (沙坪坝 专栏1 prints 完成), but a submission that types words over a figure is said.
    if isinstance(leaf.criterion, (Threshold, Approximate, Cumulative)) and (
            (isinstance(value, Words) and value.asserts_completion)
            or (isinstance(value, TrendClaim) and value.number is None)):
        problems.append(Problem("value-asserted",
                                f"{leaf.label}的标准是 {leaf.criterion_text()}，填的是 {row.reported.raw!r}，没有数值；"
                                "按指标体系的约定判定，请核实", row.cell, leaf.id, row.year))
    if isinstance(value, NotApplicable) and not leaf.may_be_na:
        problems.append(Problem("not-applicable-unexpected",
                                f"{leaf.label}填报为不涉及，但指标体系没有标明它可以不涉及", row.cell, leaf.id,
                                row.year))


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
            problems.append(Problem("profile-missing",
                                    f"区县信息缺少{PROFILE_LABELS[field_name]}（{field_name}），"
                                    f"{'、'.join(users) or '有的指标'}要据此确定标准值", "区县信息!A1"))


def _fields_of(leaf: Indicator) -> set[str]:
    fields: set[str] = set()
    for criterion in [leaf.criterion, *[t.criterion for t in leaf.targets.values()]]:
        for node in walk_criteria(criterion):
            if isinstance(node, ByProfile):
                fields |= node.fields()
    return fields


def missing_constraint_values(pack: Pack, matched: Matched, year: int) -> list[Problem]:
    """约束性 indicators with no value for the assessed year — no row, or a row whose 指标值 is blank (a CI gate
    treats these as errors). The blank cell is named, so the submitter finds it."""
    problems = []
    for top, leaf in pack.leaves():
        attribute = leaf.attribute or top.attribute
        row = matched.values.get(leaf.id, {}).get(year)
        reported = row.reported if row is not None else None
        if attribute == "constraint" and (reported is None or (reported.value is None and reported.task is None
                                                               and reported.measures is None)):
            if reported is None:
                where = "没有这一年的行"
            else:
                where = f"指标值“{reported.raw}”表示无数据" if reported.raw.strip() else "指标值是空的"
            problems.append(Problem("missing-constraint-value",
                                    f"约束性指标{leaf.label} {year} 年没有填报值（{where}）",
                                    row.cell if row is not None else None, leaf.id, year))
    return problems
