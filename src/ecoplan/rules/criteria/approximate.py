"""57左右: within an explicit tolerance of a target (the documents give none, so the pack must)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from ecoplan.evaluate.context import Context, Decision, undecidable
from ecoplan.quantity import NUMBER, UNIT, format_number
from ecoplan.rules.criteria.base import CriterionBase, Shorthand, ShorthandError
from ecoplan.rules.validation import Constrained
from ecoplan.workbook.values import Number


@dataclass(frozen=True, kw_only=True, slots=True)
class Approximate(CriterionBase):
    """57左右: within an explicit tolerance of the target (the documents give none, so the pack must)."""

    kind: Literal["approximate"] = "approximate"
    target: float
    tolerance: Annotated[float, Constrained(ge=0)]

    shorthand_rank: ClassVar[int | None] = 70

    def describe(self) -> str:
        return f"{format_number(self.target)}左右（±{format_number(self.tolerance)}）"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.reported
        value = ctx.pick(reported)
        if not isinstance(value, Number):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值")
        off = value.value - self.target
        within = abs(off) <= self.tolerance + 1e-9
        # Beyond the band on the good side (more forest than "57左右") is not a failure.
        better = (ctx.direction == "higher" and off > 0) or (ctx.direction == "lower" and off < 0)
        ok = within or better
        gap = ctx.gap(value.value, self.target - self.tolerance if ctx.direction != "lower"
                      else self.target + self.tolerance)
        where = "在" if within else ("优于" if better else "不在")
        return Decision("met" if ok else "not_met", f"{ctx.fmt(value.value)} {where}{self.describe()}"
                        f"{'范围内' if within else ('范围' if better else '范围内')}", gap)

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        if re.fullmatch(rf"{NUMBER}{UNIT}?左右", t):
            raise ShorthandError(f"“{text}”是约数：请写成 {{kind: approximate, target: …, tolerance: …}}，"
                                 "并给出采用的容差（文件没有规定）")
        return None


__all__ = ["Approximate"]
