"""What a criterion sees when it decides: one indicator's reported values by year, the profile, the defaults."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from ecoplan.normalize import unit_key
from ecoplan.quantity import convert_unit, format_number
from ecoplan.rules.defaults import Defaults
from ecoplan.vocabulary import Status
from ecoplan.workbook.values import (
    Expectation,
    Measures,
    NotAssessed,
    Number,
    Reported,
    TaskNotIssued,
    TrendClaim,
    Value,
    Words,
)

Direction = Literal["higher", "lower", "none"]


_COMBINE: dict[str, Callable[[list[float]], float]] = {
    "mean": lambda xs: sum(xs) / len(xs), "min": min, "max": max, "sum": sum}


@dataclass(frozen=True)
class Decision:
    """A criterion's verdict: status, the gap in the indicator's unit (negative = short), the reason in words."""

    status: Status
    reason: str
    gap: float | None = None
    gap_unit: str | None = None
    """The unit of `gap` when it is not the indicator's (a task in 天 for a rate in %: −4 天)."""


@dataclass(slots=True)
class Context:
    """One indicator (or sub-item) in one assessment year. Criteria only read it; it is not frozen because one
    is made for every decision, and a frozen dataclass takes twice as long to make."""

    year: int
    name: str
    unit: str | None
    direction: Direction
    defaults: Defaults
    history: Mapping[int, Reported] = field(default_factory=dict)
    profile: Mapping[str, str] = field(default_factory=dict)
    aggregate: str | None = None
    plan_period: tuple[int, int] | None = None
    aliases: tuple[str, ...] = ()
    printed: str | None = None
    """The target as the document prints it (the indicator's `text`): a state clause it names that the criterion
    does not test is said in the reason."""
    days_share: bool = False
    """The indicator (in %) is a share of the year's days (优良天数比率): N 天 is N / days in the year × 100 %."""

    @property
    def current(self) -> Reported | None:
        return self.history.get(self.year)

    @property
    def reported(self) -> Reported:
        """The assessed year's value: the evaluator asks a criterion to decide only a year that has one."""
        return self.history[self.year]

    def reference_year(self, reference: int | str) -> int | None:
        """The year a trend compares with: `previous` (the year before, only: a gap in the series is not bridged
        by an older year), `baseline`, or a year."""
        if reference == "previous":
            return self.year - 1
        if reference == "baseline":
            return self.defaults.baseline_year
        return int(reference)

    def number_of(self, reported: Reported | None, measure: str | None = None, year: int | None = None) -> float | None:
        """The number a reported value stands for, in the indicator's unit (the one unit rule: a day count of
        优良天数比率 is its share of `year`'s days, default the assessed year); None for words, bounds, markers
        without a number, and a figure in a unit the pack relates to nothing."""
        if reported is None:
            return None
        picked = self.pick(reported, measure)
        if not isinstance(picked, Number):
            return None
        converted = self.in_unit(picked, year)
        return None if converted is None else converted[0]

    def pick(self, reported: Reported, measure: str | None = None) -> Value | None:
        """The value a criterion tests: a named measure, the measure named like the indicator, or the main value.

        A cell that carries only per-zone measures (2类区: 100% 4a类区: 0) is combined by the indicator's
        `aggregate`; without one it stays a `Measures` value and the criterion asks for review.
        """
        measures = reported.measures
        if measure is not None:
            found = measures.get(measure) if measures else None
            if found is None and isinstance(reported.value, Measures):
                found = reported.value.get(measure)
            return found
        if measures is not None:
            for own_name in (self.name, *self.aliases):
                own = measures.get(own_name)
                if own is not None:
                    return own
        value = reported.value
        if isinstance(value, Measures):
            return self._aggregate(value) or value
        if isinstance(value, TrendClaim) and value.number is not None:
            return Number(value.number)
        return value

    def _aggregate(self, measures: Measures) -> Number | None:
        numbers = [n.value for _, n in measures.items]
        if not numbers or self.aggregate is None:
            return None
        return Number(_COMBINE[self.aggregate](numbers))

    def foreign(self, number: Number) -> bool:
        """Whether a number carries a unit other than the indicator's (326 天 for a rate in %)."""
        return bool(number.unit) and bool(self.unit) and unit_key(number.unit) != unit_key(self.unit)

    def convert(self, value: float, unit: str, to: str, year: int | None = None) -> tuple[float, str] | None:
        """`value` in `unit` expressed in unit `to`, with the words that say how; None when the pack states no
        relation between the two units for this indicator. `year`: whose days a day count is (default: the
        assessed year). `ecoplan.quantity.convert_unit` is the rule."""
        return convert_unit(value, unit, to, days_share=self.days_share, year=year or self.year)

    def in_unit(self, number: Number, year: int | None = None) -> tuple[float, str] | None:
        """`number` in the indicator's unit, and how to print it: `fmt` of it, or, when it was converted, the
        number as reported with the conversion ("325天（按全年365天折合为 89.04%）"). None when its unit is one
        the pack relates to nothing (326 天 for a rate without `days_share`). `year`: the year the number is
        for, when it is not the assessed year (a day count is converted with that year's days)."""
        if not (self.foreign(number) and number.unit and self.unit):
            return number.value, self.fmt(number.value)
        converted = self.convert(number.value, number.unit, self.unit, year)
        if converted is None:
            return None
        value, how = converted
        return value, f"{number}（{how}为 {self.fmt(round(value, 2))}）"

    def gap(self, value: float, target: float) -> float:
        """Value minus target, signed so that negative means short of the target whatever the direction."""
        return target - value if self.direction == "lower" else value - target

    def fmt(self, value: float) -> str:
        """A number with the indicator's unit."""
        unit = self.unit if self.unit and self.unit not in ("-", "—") else ""
        return f"{format_number(value)}{unit}"


def by_default(ctx: Context, setting: str, what: str) -> Decision:
    """The pack's convention for a value that cannot be compared (未下达, 未考核, an assertion, an estimate)."""
    outcome = getattr(ctx.defaults, setting)
    if outcome == "met":
        return Decision("met", f"{what}，按指标体系约定视为达标")
    if outcome == "missing":
        return Decision("missing", what)
    return Decision("review", f"{what}，需人工核实")


def undecidable(ctx: Context, value: Value | None) -> Decision | None:
    """The shared decisions for values that carry no comparable number; None when the value has one."""
    if isinstance(value, TaskNotIssued):
        return by_default(ctx, "when_task_not_issued", "上级未下达考核任务")
    if isinstance(value, NotAssessed):
        return by_default(ctx, "when_not_assessed", "上级未考核")
    if isinstance(value, Expectation):
        return by_default(ctx, "when_expected", f"预计值（{value.text}），非实测")
    if isinstance(value, Words) and value.asserts_completion:
        return by_default(ctx, "when_asserted", f"填报为“{value.text}”，无数值")
    if value is None:
        return Decision("missing", "无数据")
    return None


__all__ = ["Context", "Decision", "Direction", "Status", "by_default", "undecidable"]
