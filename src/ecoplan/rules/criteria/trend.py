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

    A value at its best bound holds (0 for 持续下降, 100 % for 持续提高): there is nothing left to improve.
    """

    kind: Literal["trend"] = "trend"
    want: TrendWant
    reference: Literal["previous", "baseline", "default"] | int = "default"
    tolerance: float | None = None
    text: str | None = None

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
        if ctx.foreign(value):
            return Decision("review", f"{value} 的单位不是 {ctx.unit}，无法判断{self.describe()}")
        now = value.value
        if self.want == "strictly_yearly":
            return self._yearly(ctx)
        reference = ctx.defaults.trend_reference if self.reference == "default" else self.reference
        ref_year = ctx.reference_year(reference)
        before = ctx.number_of(ctx.history.get(ref_year)) if ref_year is not None and ref_year < ctx.year else None
        if before is None:
            where = f"{ref_year}年" if ref_year else "上一年度"
            return by_default(ctx, "when_history_missing", f"缺少{where}数据，无法判断{self.describe()}")
        lower = ctx.direction == "lower" or self.want == "down"
        change = before - now if lower else now - before
        tolerance = ctx.defaults.stable_tolerance if self.tolerance is None else self.tolerance
        at_floor = (lower and now <= 0) or (not lower and ctx.unit == "%" and now >= 100)
        ok = change >= -tolerance - 1e-9 if self.want == "stable_or_better" else change > 1e-9 or at_floor
        shown = f"{ctx.fmt(now)}（{ref_year}年 {ctx.fmt(before)}）"
        verb = "满足" if ok else "不满足"
        floor_note = "，已处于最优值" if at_floor and change <= 1e-9 else ""
        return Decision("met" if ok else "not_met", f"{shown}{verb}{self.describe()}{floor_note}", change)

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


__all__ = ["Trend", "TrendWant"]
