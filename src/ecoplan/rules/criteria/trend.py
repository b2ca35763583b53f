"""持续提高 / 持续下降 / 保持稳定或持续改善 / 逐年下降: the value against an earlier year's."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import ClassVar, Literal

from ecoplan.evaluate.context import Context, Decision, by_default, undecidable
from ecoplan.rules.criteria.base import CriterionBase, Shorthand
from ecoplan.vocabulary import TREND_TARGET_WORDS, TREND_WORDS, TrendSense
from ecoplan.workbook.values import Number, TrendClaim

TrendWant = Literal["up", "down", "improve", "stable_or_better", "strictly_yearly"]
_WANT: dict[TrendSense, TrendWant] = {"up": "up", "down": "down", "improve": "improve", "stable": "stable_or_better",
                                      "yearly_up": "strictly_yearly", "yearly_down": "strictly_yearly"}
_TREND_TEXT: dict[TrendWant, str] = {"up": "持续提高", "down": "持续下降", "improve": "持续改善",
                                     "stable_or_better": "保持稳定或持续改善", "strictly_yearly": "逐年改善"}


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

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.reported
        value = ctx.pick(reported)
        if isinstance(value, TrendClaim) and value.number is None:
            return by_default(ctx, "when_asserted", f"填报为“{value.text}”，无数值")
        if not isinstance(value, Number):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值，无法判断趋势")
        converted = ctx.in_unit(value)  # 325 天 for 优良天数比率 in %: the pack's days_share says how
        if converted is None:
            return Decision("review", f"{value} 的单位不是 {ctx.unit}，无法判断{self.describe()}")
        if self.want == "strictly_yearly":
            return self._yearly(ctx)
        now, shown_now = converted
        lower = ctx.direction == "lower" or self.want == "down"
        if value.since is None and _at_best(ctx, now, lower):
            return Decision("met", f"{shown_now} 已处于最优值，满足{self.describe()}")
        reference = ctx.defaults.trend_reference if self.reference == "default" else self.reference
        ref_year = ctx.reference_year(reference)
        earlier = ctx.history.get(ref_year) if ref_year is not None and ref_year < ctx.year else None
        before = ctx.pick(earlier) if earlier is not None else None
        if not isinstance(before, Number):
            where = f"{ref_year}年" if ref_year else "上一年度"
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
        """Whether a change (positive = better) satisfies the wanted trend."""
        if self.want == "stable_or_better":
            tolerance = ctx.defaults.stable_tolerance if self.tolerance is None else self.tolerance
            return change >= -tolerance - 1e-9
        return change > 1e-9

    def _across_bases(self, ctx: Context, now: Number, before: Number, ref_year: int | None,
                      lower: bool) -> Decision:
        """Two values with different bases: the change over the reference year only if the pack says how."""
        if self.across_bases == "change_since_base" and now.since is not None and now.since == ref_year:
            change = -now.value if lower else now.value
            ok = self._holds(ctx, change)
            return Decision("met" if ok else "not_met", f"{_with_base(ctx, now)}即{ref_year}年以来的变化，"
                            f"{'满足' if ok else '不满足'}{self.describe()}", change)
        return by_default(ctx, "when_history_missing", f"{ctx.year}年{_with_base(ctx, now)}与{ref_year}年"
                          f"{_with_base(ctx, before)}基年不同，无法判断{self.describe()}")

    def _yearly(self, ctx: Context) -> Decision:
        series = sorted((y, ctx.number_of(r)) for y, r in ctx.history.items() if y <= ctx.year)
        points = [(y, v) for y, v in series if v is not None]
        if len(points) < 2:
            return by_default(ctx, "when_history_missing", "只有一年数据，无法判断逐年变化")
        lower = ctx.direction == "lower"
        for (y0, v0), (y1, v1) in pairwise(points):
            step = v0 - v1 if lower else v1 - v0
            if step <= 1e-9:
                return Decision("not_met", f"{y1}年 {ctx.fmt(v1)} 未比{y0}年 {ctx.fmt(v0)} 改善")
        return Decision("met", f"{points[0][0]}—{points[-1][0]}年逐年改善", None)

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
