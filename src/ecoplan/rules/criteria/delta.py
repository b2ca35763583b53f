"""△EQI>-1: a change relative to a reference year, reported as the change or as the level."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from ecoplan.quantity import NUMBER, OP_SYMBOL, Op, compare, format_number, parse_op, to_float
from ecoplan.rules.criteria.base import CriterionBase, Shorthand, read_number
from ecoplan.rules.criteria.context import Context, Decision, by_default

# A string `re` compiles on first use: only parsing a pack reads it (see cumulative.py).
_DELTA = rf"^(?:△|Δ|∆)(?P<label>[A-Za-z]*)(?P<op>≥|≤|>=|<=|>|<)(?P<num>{NUMBER})$"


@dataclass(frozen=True, kw_only=True, slots=True)
class Delta(CriterionBase):
    """A change relative to a reference (△EQI>-1): the reported change, or the level minus the reference level."""

    kind: Literal["delta"] = "delta"
    op: Op
    value: float
    reported: Literal["change", "level"] = "change"
    reference: Literal["previous", "baseline"] | int = "previous"
    label: str = "△"

    shorthand_rank: ClassVar[int | None] = 30

    def describe(self) -> str:
        return f"{self.label}{OP_SYMBOL[self.op]}{format_number(self.value)}"

    def decide(self, ctx: Context) -> Decision:
        target = self.describe()
        read = read_number(ctx, f"与{target}比较", bound=(self.op, self.value, target))
        if isinstance(read, Decision):
            return read
        change = read.number
        if self.reported == "level":
            ref_year = ctx.reference_year(self.reference)
            before = ctx.number_of(ctx.history.get(ref_year), year=ref_year) if ref_year else None
            if before is None:
                return by_default(ctx, "when_history_missing", "缺少基准年数据，无法计算变化量")
            change = read.number - before
        ok = compare(change, self.op, self.value)
        # The gap is negative when short, whichever way the bound points (△<2: a change of 3 is 1 too many).
        gap = self.value - change if self.op in ("<=", "<") else change - self.value
        return Decision("met" if ok else "not_met", f"变化量 {format_number(change)} {'满足' if ok else '不满足'} "
                        f"{target}", gap)

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        m = re.match(_DELTA, t)
        if m is None:
            return None
        return {"kind": "delta", "op": parse_op(m.group("op")), "value": to_float(m.group("num")),
                "label": "△" + m.group("label")}


__all__ = ["Delta"]
