"""≥20, ≤25, >-1, <0.040, 不低于90: a comparison with a number (≥ and ≤ include the boundary)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from ecoplan.evaluate.context import Context, Decision, by_default, undecidable
from ecoplan.normalize import fold
from ecoplan.quantity import NUMBER, OP_SYMBOL, UNIT, Op, compare, format_number, parse_op, to_float
from ecoplan.rules.combined import profile_words
from ecoplan.rules.criteria.base import CriterionBase, Expand, Shorthand, ShorthandError, decide_bound
from ecoplan.rules.criteria.superior_task import SUPERIOR_TASK_WORDS
from ecoplan.vocabulary import OPERATOR_WORDS, TREND_TARGET_WORDS
from ecoplan.workbook.values import Bound, Measures, Number, TrendClaim

# A string `re` compiles on first use: only parsing a pack reads it (see cumulative.py). The whole text must match
# (fullmatch): words before the bound are a measure's name, an operator word may stand before the number
# (不低于90, 案件结案率不低于75%), a unit and a suffix after it.
_THRESHOLD = (rf"(?P<measure>[^\d≥≤<>=]*?)(?P<word>{'|'.join(sorted(OPERATOR_WORDS, key=len, reverse=True))})?"
              rf"(?P<op>≥|≤|>=|<=|>|<|=)?(?P<num>{NUMBER})(?P<unit>{UNIT})?(?P<suffix>及以上|以上|及以下|以下|左右)?")
_SUFFIX_OPS: dict[str, Op] = {"以上": ">=", "及以上": ">=", "以下": "<=", "及以下": "<="}


@dataclass(frozen=True, kw_only=True, slots=True)
class Threshold(CriterionBase):
    """A comparison with a number: ≥20, ≤25, >-1, <0.040. ≥ and ≤ include the boundary."""

    kind: Literal["threshold"] = "threshold"
    op: Op
    value: float
    measure: str | None = None

    shorthand_rank: ClassVar[int | None] = 50

    def describe(self) -> str:
        prefix = f"{self.measure}" if self.measure else ""
        return f"{prefix}{OP_SYMBOL[self.op]}{format_number(self.value)}"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.reported
        value = ctx.pick(reported, self.measure)
        target = self.describe()
        if isinstance(value, Number):
            converted = ctx.in_unit(value)
            if converted is None:
                return Decision("review", f"{value} 的单位不是 {ctx.unit}，无法与{target}比较")
            number, shown = converted
            ok = compare(number, self.op, self.value)
            gap = ctx.gap(number, self.value)
            verb = "达到" if ok else "未达到"
            own_year = f"（{value.year}年数据）" if value.year and value.year != ctx.year else ""
            return Decision("met" if ok else "not_met", f"{shown}{own_year} {verb} {target}", gap)
        if isinstance(value, Bound):
            return decide_bound(value, self.op, self.value, target)
        if isinstance(value, TrendClaim):
            return by_default(ctx, "when_asserted", f"填报为“{value.text}”，无数值")
        if isinstance(value, Measures):
            return Decision("review", f"分项数值（{value}）未规定汇总方式")
        if value is None and self.measure:
            return Decision("missing", f"未填报{self.measure}")
        return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值，无法与{target}比较")

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        m = re.fullmatch(_THRESHOLD, t)
        if m is None or to_float(m.group("num")) is None or m.group("suffix") == "左右":
            return None
        measure = m.group("measure")
        if measure and not _names_a_measure(measure):
            return None
        word, symbol, suffix = m.group("word"), m.group("op"), m.group("suffix")
        stated = [op for op in (OPERATOR_WORDS.get(word or ""), parse_op(symbol or ""), _SUFFIX_OPS.get(suffix or ""))
                  if op is not None]
        if len(set(stated)) > 1:
            said = "、".join(f"“{w}”" for w in (word, symbol, suffix) if w)
            raise ShorthandError(f"“{text}”的{said}说的不是同一个比较：请只写一个，如“≥25”或“>25”")
        if not stated and direction not in ("higher", "lower"):
            raise ShorthandError(f"“{text}”只是一个数字：指标需要 direction: higher 或 lower，"
                                 "才能知道它是下限还是上限")
        op = stated[0] if stated else (">=" if direction == "higher" else "<=")
        data: Shorthand = {"kind": "threshold", "op": op, "value": to_float(m.group("num"))}
        if measure:
            data["measure"] = measure
        return data

    @classmethod
    def fill(cls, data: Shorthand, direction: str | None, plan_period: tuple[int, int] | None,
             expand: Expand) -> Shorthand:
        if isinstance(data.get("op"), str):
            data["op"] = parse_op(fold(data["op"])) or data["op"]
        return data


def _names_a_measure(words: str) -> bool:
    """Whether the words before a bound name what is measured (案件结案率≥75%): not a label or a kind of district
    (东部地区：≥60), no joining word (且, 或, 并), no trend or task words (持续提高≥90)."""
    if re.search(r"[\s，,；;：:、。.！!？?（）()“”\"'《》【】\[\]且或并]", words) or profile_words(words):
        return False
    return not any(w in words for w in (*TREND_TARGET_WORDS, *SUPERIOR_TASK_WORDS))


__all__ = ["Threshold"]
