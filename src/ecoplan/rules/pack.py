"""The rule-pack schema: a pack, its defaults, its indicators (with sub-items) and their criteria.

Unknown keys are rejected everywhere, so a misspelt key is an error with its line rather than a silently ignored
setting. Criterion short forms are expanded while validating (see `ecoplan.rules.shorthand`), with the
indicator's direction and the pack's plan period at hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from ecoplan.rules.criteria import ByProfile, Criterion, CriterionBase
from ecoplan.rules.defaults import Defaults, Outcome
from ecoplan.rules.validation import STRICT, After, Before, Constrained
from ecoplan.vocabulary import ATTRIBUTE_LABELS, PART_LABELS, PARTS, Part

Attribute = Literal["constraint", "expected", "reference"]
ATTRIBUTE_NAMES = ATTRIBUTE_LABELS
_ATTRIBUTE_WORDS = {v: k for k, v in ATTRIBUTE_NAMES.items()}
_DIRECTION_WORDS = {"higher_better": "higher", "lower_better": "lower", "越高越好": "higher", "越低越好": "lower",
                    "state": "none", "water_class": "none"}


@dataclass(frozen=True, kw_only=True, slots=True)
class _Strict:
    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT


@dataclass(frozen=True, kw_only=True, slots=True)
class Source(_Strict):
    """Where a pack or an indicator comes from, so a reviewer can check it against the document."""

    document: str | None = None
    seed: str | None = None
    table: str | None = None
    lines: str | None = None
    line: int | None = None
    standard: str | None = None
    sentence: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Support(_Strict):
    """A sentence of the document that restates a target the pack already encodes (the running text repeating a
    table row): shown with that target as its support, never counted as a second target."""

    line: int
    text: str
    note: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class TableCount(_Strict):
    """The document's own count of its indicator table, where it states one (表4 L399: 指标共32项，其中约束性指标
    27项，参考性指标5项): a test holds the pack's table part to it."""

    total: int
    constraint: int | None = None
    expected: int | None = None
    reference: int | None = None
    line: int | None = None
    text: str | None = None


def _criterion(raw: Any, info: Any) -> Any:
    """Expand a criterion's short form, with the indicator's direction and the pack's plan period at hand."""
    if raw is None:
        return None
    # lazy: the shorthand parser only when a pack is validated from YAML; a cached pack never needs it
    from ecoplan.rules.shorthand import ShorthandError, expand

    data = info.data
    direction = data.get("direction")
    context = info.context or {}
    if direction is None:
        direction = context.get("directions", {}).get(data.get("id"))
    try:
        return expand(raw, direction, context.get("plan_period"))
    except ShorthandError as exc:
        raise ValueError(str(exc)) from None


def _expand_targets(raw: Any, info: Any) -> Any:
    """Plan targets as written: a short criterion ("≥60") or {text, criterion}; "-" means none that year."""
    if not isinstance(raw, dict):
        return raw
    out: dict[Any, Any] = {}
    for year, target in raw.items():
        if isinstance(target, dict) and "criterion" in target:
            out[year] = {**target, "criterion": _criterion(target["criterion"], info)}
        elif target is None or (isinstance(target, str) and target.strip() in ("-", "—", "")):
            continue
        else:
            out[year] = {"text": str(target), "criterion": _criterion(target, info)}
    return out


def _id_text(raw: Any, _: Any) -> Any:
    """Ids and numbers in the table may be written as YAML numbers (3, 4.1)."""
    return str(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else raw


def _word(words: dict[str, str]) -> Before:
    """Accept the table's own words (约束性, 越高越好) for a field's codes."""
    return Before(lambda raw, _: words.get(raw, raw) if isinstance(raw, str) else raw)


def _complete(indicator: Indicator, info: Any) -> Indicator:
    """A whole indicator has a name and exactly one of criterion and items (a pack that extends may omit them)."""
    if (info.context or {}).get("partial"):
        return indicator
    if not indicator.name:
        raise ValueError(f"指标 {indicator.id} 没有 name（名称）")
    if indicator.items and indicator.criterion is not None:
        raise ValueError(f"指标 {indicator.id} 同时有 criterion 和 items：有分项的指标由分项判定，请去掉 criterion")
    if not indicator.items and indicator.criterion is None:
        raise ValueError(f"指标 {indicator.id} 需要 criterion（或 items）")
    return indicator


@dataclass(frozen=True, kw_only=True, slots=True)
class Target(_Strict):
    """A plan target for a later year (表4's 目标 2025年 / 2030年 columns)."""

    text: str | None = None
    criterion: Criterion


@dataclass(frozen=True, kw_only=True, slots=True)
class Indicator(_Strict):
    """One row of the table: an indicator with a criterion, or a composite with sub-items."""

    id: Annotated[str, Before(_id_text), Constrained(min_length=1)]
    seq: Annotated[str | None, Before(_id_text)] = None
    name: str | None = None
    aliases: list[str] = field(default_factory=list)
    domain: str | None = None
    task: str | None = None
    attribute: Annotated[Attribute | None, _word(_ATTRIBUTE_WORDS)] = None
    unit: str | None = None
    provisional: str | None = None
    inferred: str | None = None
    direction: Annotated[Literal["higher", "lower", "none"] | None, _word(_DIRECTION_WORDS)] = None
    may_be_na: bool | None = None
    text: str | None = None
    criterion: Annotated[Criterion | None, Before(_criterion)] = None
    aggregate: Literal["mean", "min", "max", "sum"] | None = None
    # The indicator in % is a share of the year's days (优良天数比率): a value or task in 天 is converted.
    days_share: bool = False
    # Decimals the document prints this indicator's figures with (its gap is rounded to them); unset: the decimals
    # of the figures compared, as the reason prints them.
    precision: Annotated[int | None, Constrained(ge=0, le=6)] = None
    targets: Annotated[dict[int, Target], Before(_expand_targets)] = field(default_factory=dict)
    # Values the document itself records for earlier years (表4 注【2】: 森林覆盖率 2021 = 39.5). Trends use them
    # when the workbook has no row for that year; a workbook row always wins.
    history: dict[int, float] = field(default_factory=dict)
    items: list[CompleteIndicator] = field(default_factory=list)
    soft: bool = False
    source: Source | None = None
    # Which part of the plan the indicator belongs to: its table (the default), its running text or its major
    # projects. Sub-items take their indicator's part.
    part: Part | None = None
    support: list[Support] = field(default_factory=list)

    # -- helpers -----------------------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        return self.name or self.id

    def criterion_text(self) -> str:
        """The criterion as the table prints it, or as ecoplan describes it."""
        if self.text:
            return self.text
        return self.criterion.describe() if self.criterion is not None else ""

    def walk(self) -> Iterator[Indicator]:
        """This indicator and every sub-item, depth first."""
        yield self
        for item in self.items:
            yield from item.walk()


CompleteIndicator = Annotated[Indicator, After(_complete)]


def _check_pack(pack: Pack, info: Any) -> Pack:
    """A whole pack has a title; indicator ids are unique across every level; the parts come in their order
    (table, text, project) and a sub-item is in its indicator's part."""
    if not (info.context or {}).get("partial") and not pack.title:
        raise ValueError("指标体系需要 title（标题）")
    seen: set[str] = set()
    for indicator in pack.indicators:
        for item in indicator.walk():
            if item.id in seen:
                raise ValueError(f"指标 id {item.id!r} 出现了两次")
            seen.add(item.id)
            if item is not indicator and item.part not in (None, indicator.part or "table"):
                raise ValueError(f"分项 {item.id} 的 part 与所属指标 {indicator.id} 不同；分项随所属指标")
    reached = PARTS[0]
    for top in pack.indicators:
        if PARTS.index(part_of(top)) < PARTS.index(reached):
            raise ValueError(f"指标 {top.id}（{PART_LABELS[part_of(top)]}）写在了{PART_LABELS[reached]}之后；"
                             "依次写指标表、正文目标、重大工程")
        reached = part_of(top)
    return pack


def part_of(indicator: Indicator) -> Part:
    """The part an indicator belongs to (the table unless it says otherwise)."""
    return indicator.part or "table"


@dataclass(frozen=True, kw_only=True, slots=True)
class Pack(_Strict):
    """One indicator system: one table of one document."""

    id: Annotated[str, Constrained(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str | None = None
    source: Source | None = None
    level: Literal["county", "municipal", "district"] | None = None
    extends: str | None = None
    plan_period: tuple[int, int] | None = None
    target_years: list[int] = field(default_factory=list)
    defaults: Defaults = field(default_factory=Defaults)
    table_count: TableCount | None = None
    indicators: list[CompleteIndicator] = field(default_factory=list)

    def leaves(self) -> Iterator[tuple[Indicator, Indicator]]:
        """Every (top-level indicator, leaf) pair; a plain indicator is its own leaf."""
        for top in self.indicators:
            for item in top.walk():
                if not item.items:
                    yield top, item

    def find(self, indicator_id: str) -> Indicator | None:
        for top in self.indicators:
            for item in top.walk():
                if item.id == indicator_id:
                    return item
        return None

    def profile_fields(self) -> set[str]:
        """Profile fields (region, admin_type, city_size) that some criterion of the pack depends on."""
        found: set[str] = set()
        for _, leaf in self.leaves():
            for criterion in [leaf.criterion, *[t.criterion for t in leaf.targets.values()]]:
                for node in walk_criteria(criterion):
                    if isinstance(node, ByProfile):
                        found |= node.fields()
        return found

    def parts(self) -> list[Part]:
        """The parts the pack has, in their order (table, text, project)."""
        present = {part_of(top) for top in self.indicators}
        return [part for part in PARTS if part in present]

    def counts(self, part: Part | None = None) -> dict[str, int]:
        """Top-level indicators (of one part, or all) by attribute: total, constraint, expected, reference."""
        tops = [top for top in self.indicators if part is None or part_of(top) == part]
        counts = {"total": len(tops), "constraint": 0, "expected": 0, "reference": 0}
        for indicator in tops:
            if indicator.attribute:
                counts[indicator.attribute] += 1
        return counts


def walk_criteria(criterion: Any) -> Iterator[CriterionBase]:
    """A criterion and every criterion inside it (all_of / any_of parts, by_profile cases and otherwise), depth
    first; nothing for None."""
    if criterion is None:
        return
    yield criterion
    for child in getattr(criterion, "of", []) or []:
        yield from walk_criteria(child)
    for case in getattr(criterion, "cases", []) or []:
        yield from walk_criteria(case.criterion)
    yield from walk_criteria(getattr(criterion, "otherwise", None))



# What the loader validates a pack document as: the pack with its whole-pack checks.
ValidatedPack = Annotated[Pack, After(_check_pack)]

__all__ = ["ATTRIBUTE_NAMES", "PARTS", "Attribute", "CompleteIndicator", "Defaults", "Indicator", "Outcome", "Pack",
           "Source", "Support", "TableCount", "Target", "ValidatedPack", "part_of", "walk_criteria"]
