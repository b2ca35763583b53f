"""持续提高 / 持续下降 / 保持稳定或持续改善 / 逐年下降: the value against an earlier year's."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, Literal

from ecoplan.rules.criteria.base import CriterionBase, Shorthand, read_number
from ecoplan.rules.criteria.context import Context, Decision, by_default
from ecoplan.vocabulary import TREND_TARGET_WORDS, TREND_WORDS, TrendSense
from ecoplan.workbook.values import Number

TrendWant = Literal["up", "down", "improve", "stable_or_better", "yearly_up", "yearly_down", "strictly_yearly"]
_WANT: dict[TrendSense, TrendWant] = {"up": "up", "down": "down", "improve": "improve", "stable": "stable_or_better",
                                      "yearly_up": "yearly_up", "yearly_down": "yearly_down"}
_TREND_TEXT: dict[TrendWant, str] = {"up": "持续提高", "down": "持续下降", "improve": "持续改善",
                                     "stable_or_better": "保持稳定或持续改善", "yearly_up": "逐年提高",
                                     "yearly_down": "逐年下降", "strictly_yearly": "逐年改善"}
# A trend that names its way (提高, 下降) means that way whatever the indicator's direction; 改善 and 稳定 follow
# the direction (higher when it gives none).
_NAMED_WAY: dict[TrendWant, bool] = {"up": False, "yearly_up": False, "down": True, "yearly_down": True}
_YEARLY_VERB: dict[TrendWant, str] = {"yearly_up": "提高", "yearly_down": "下降", "strictly_yearly": "改善"}


@dataclass(frozen=True, kw_only=True, slots=True)
class Trend(CriterionBase):
    """持续提高 / 持续下降 / 保持稳定或持续改善 / 逐年下降, against the previous year, the baseline, or a year.

    Like is compared with like: "previous" is the year before and nothing older; a change since one base year
    (比2015年下降16.7%) is not compared with a change since another (比2020年下降4.67%) unless `across_bases`
    says how. A value at its best bound (0 under 持续下降, 100 % under 持续提高 or 保持) holds before any
    history is looked at: there is nothing left to improve.
    """

    kind: Literal["trend"] = "trend"
    want: TrendWant
    reference: Literal["previous", "baseline", "default"] | int = "default"
    tolerance: float | None = None
    text: str | None = None
    across_bases: Literal["undecidable", "change_since_base"] = "undecidable"
    """`change_since_base`: each value is the change since its base year in the indicator's good direction (a
    reduction for 能耗降低率), so a value whose base is the reference year is itself the change over it."""

    shorthand_rank: ClassVar[int | None] = 20

    def describe(self) -> str:
        return self.text or _TREND_TEXT[self.want]

    @property
    def yearly(self) -> bool:
        """Whether every year of the series must move the wanted way (逐年), not only the latest."""
        return self.want in _YEARLY_VERB

    def lower(self, ctx: Context) -> bool:
        """Whether this trend wants the value to fall: by its words (下降), else by the indicator's direction."""
        named = _NAMED_WAY.get(self.want)
        return ctx.direction == "lower" if named is None else named

    def decide(self, ctx: Context) -> Decision:
        read = read_number(ctx, f"判断{self.describe()}")
        if isinstance(read, Decision):
            return read
        lower = self.lower(ctx)
        if self.yearly:
            return self._yearly(ctx, lower)
        now, shown_now, value = read.number, read.shown, read.value
        if value.since is None and _at_best(ctx, now, lower):
            return Decision("met", f"{shown_now} 已处于最优值，满足{self.describe()}")
        reference = ctx.defaults.trend_reference if self.reference == "default" else self.reference
        ref_year = ctx.reference_year(reference)
        earlier = ctx.history.get(ref_year) if ref_year is not None and ref_year < ctx.year else None
        before = ctx.pick(earlier) if earlier is not None else None
        if not isinstance(before, Number):
            where = f"{ref_year}年" if ref_year is not None else "基准年"  # None: the pack gives no baseline_year
            missing = (f"缺少{where}数据" if earlier is None or not earlier.raw
                       else f"{where}填报“{earlier.raw}”，无数值")
            return by_default(ctx, "when_history_missing", f"{missing}，无法判断{self.describe()}")
        if before.since != value.since:
            return self._across_bases(ctx, value, before, ref_year, lower)
        earlier_converted = ctx.in_unit(before, ref_year)
        if earlier_converted is None:
            return Decision("review", f"{ref_year}年的 {before} 的单位不是 {ctx.unit}，无法判断{self.describe()}")
        then, shown_then = earlier_converted
        change = then - now if lower else now - then
        ok = self._holds(ctx, change)
        shown = f"{shown_now}（{ref_year}年 {shown_then}）"
        # The gap is the shortfall against the reference level (37.69 against 2021's 39.5: −1.81).
        return Decision("met" if ok else "not_met", f"{shown}{'满足' if ok else '不满足'}{self.describe()}", change)

    def _holds(self, ctx: Context, change: float) -> bool:
        """Whether a change (positive = the wanted way) satisfies the wanted trend."""
        if self.want == "stable_or_better":
            tolerance = ctx.defaults.stable_tolerance if self.tolerance is None else self.tolerance
            return change >= -tolerance - 1e-9
        return change > 1e-9

    def _across_bases(self, ctx: Context, now: Number, before: Number, ref_year: int | None,
                      lower: bool) -> Decision:
        """Two values with different bases: the change over the reference year only if the pack says how."""
        if self.across_bases == "change_since_base" and now.since == ref_year:  # ref_year: a year with a value
            change = -now.value if lower else now.value
            ok = self._holds(ctx, change)
            return Decision("met" if ok else "not_met", f"{_with_base(ctx, now)}即{ref_year}年以来的变化，"
                            f"{'满足' if ok else '不满足'}{self.describe()}", change)
        return by_default(ctx, "when_history_missing", f"{ctx.year}年{_with_base(ctx, now)}与{ref_year}年"
                          f"{_with_base(ctx, before)}基年不同，无法判断{self.describe()}")

    def _yearly(self, ctx: Context, lower: bool) -> Decision:
        """逐年: every year of the series moves the wanted way; a flat year is no move."""
        series = sorted((y, ctx.number_of(r, year=y)) for y, r in ctx.history.items() if y <= ctx.year)
        points = [(y, v) for y, v in series if v is not None]
        if len(points) < 2:
            return by_default(ctx, "when_history_missing", "只有一年数据，无法判断逐年变化")
        verb = _YEARLY_VERB[self.want]
        for (y0, v0), (y1, v1) in pairwise(points):
            step = v0 - v1 if lower else v1 - v0
            if step <= 1e-9:
                return Decision("not_met", f"{y1}年 {ctx.fmt(v1)} 未比{y0}年 {ctx.fmt(v0)} {verb}")
        return Decision("met", f"{points[0][0]}—{points[-1][0]}年逐年{verb}", None)

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        if t in TREND_TARGET_WORDS:
            return {"kind": "trend", "text": t, "want": _WANT[TREND_WORDS[t]]}
        return None


def _at_best(ctx: Context, now: float, lower: bool) -> bool:
    """A level at its best bound: 0 when lower is better, exactly 100 % when higher is better (a figure above
    100 % is no share, so it has no bound)."""
    return now <= 0 if lower else ctx.unit == "%" and abs(now - 100) < 1e-9


def _with_base(ctx: Context, number: Number) -> str:
    """A value with the base year of its change, or as a level."""
    return f"（比{number.since}年 {ctx.fmt(number.value)}）" if number.since else f"（水平值 {ctx.fmt(number.value)}）"


__all__ = ["Trend", "TrendWant"]
