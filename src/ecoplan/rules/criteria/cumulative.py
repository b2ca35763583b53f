"""[19.4]: a total over a plan period, judged pro-rata before the period's end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from ecoplan.quantity import NUMBER, OP_SYMBOL, Op, compare, format_number, parse_op, to_float
from ecoplan.rules.criteria.base import CriterionBase, Expand, Shorthand, ShorthandError, read_number
from ecoplan.rules.criteria.context import Context, Decision

# Shorthand patterns are strings that `re` compiles on first use and caches: they are only read when a pack is
# parsed from YAML, never by a run that finds its packs in the cache.
_CUMULATIVE = rf"^(?P<op>≥|≤|>=|<=|>|<)?\[(?P<num>{NUMBER})\]$"


@dataclass(frozen=True, kw_only=True, slots=True)
class Cumulative(CriterionBase):
    """A total over a plan period ([19.4]): the running total since the period's start, pro-rata before its end."""

    kind: Literal["cumulative"] = "cumulative"
    total: float
    period: tuple[int, int]
    op: Op

    shorthand_rank: ClassVar[int | None] = 40

    def describe(self) -> str:
        return f"{self.period[0]}—{self.period[1]}年累计{OP_SYMBOL[self.op]}{format_number(self.total)}"

    def decide(self, ctx: Context) -> Decision:
        start, end = self.period
        if ctx.year < start:
            return Decision("review", f"{ctx.year}年在规划期{start}—{end}年之前")
        required, note = self.total, ""
        if ctx.year < end:
            elapsed = ctx.year - start + 1
            required = self.total * elapsed / (end - start + 1)
            note = f"（按进度{elapsed}/{end - start + 1}）"
        shown = f"{OP_SYMBOL[self.op]}{format_number(required)}"
        read = read_number(ctx, f"与{shown}比较", bound=(self.op, required, shown))
        if isinstance(read, Decision):
            return read
        ok = compare(read.number, self.op, required)
        return Decision("met" if ok else "not_met", f"累计 {read.shown} 对 {ctx.fmt(required)}{note}："
                        f"{'达到' if ok else '未达到'}", ctx.gap(read.number, required))

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        m = re.match(_CUMULATIVE, t)
        if m is None:
            return None
        if plan_period is None:
            raise ShorthandError(f"“{text}”是规划期累计值：请为指标体系给出 plan_period，或写成 "
                                 "{kind: cumulative, total: …, period: [start, end]}")
        op = parse_op(m.group("op")) if m.group("op") else ("<=" if direction == "lower" else ">=")
        return {"kind": "cumulative", "total": to_float(m.group("num")), "period": list(plan_period), "op": op}

    @classmethod
    def fill(cls, data: Shorthand, direction: str | None, plan_period: tuple[int, int] | None,
             expand: Expand) -> Shorthand:
        if "op" not in data:
            data["op"] = "<=" if direction == "lower" else ">="
        if "period" not in data and plan_period is not None:
            data["period"] = list(plan_period)
        return data


__all__ = ["Cumulative"]
