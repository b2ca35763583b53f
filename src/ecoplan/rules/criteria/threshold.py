"""≥20, ≤25, >-1, <0.040, 不低于90: a comparison with a number (≥ and ≤ include the boundary)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from ecoplan.normalize import fold
from ecoplan.quantity import NUMBER, OP_SYMBOL, Op, compare, format_number, parse_op, to_float
from ecoplan.rules.criteria.base import CriterionBase, Expand, Shorthand, ShorthandError, read_number
from ecoplan.rules.criteria.context import Context, Decision
from ecoplan.vocabulary import OPERATOR_WORDS

# A string `re` compiles on first use: only parsing a pack reads it (see cumulative.py).
_THRESHOLD = (rf"^(?P<measure>[^\d≥≤<>=]*?)(?P<op>≥|≤|>=|<=|>|<|=)?(?P<num>{NUMBER})(?P<unit>%|‰|天|"
              r"[^\d\s]{0,6}?)?(?P<suffix>及以上|以上|及以下|以下|左右)?$")


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
        target = self.describe()
        read = read_number(ctx, f"与{target}比较", measure=self.measure, bound=(self.op, self.value, target))
        if isinstance(read, Decision):
            return read
        ok = compare(read.number, self.op, self.value)
        year = read.value.year
        own_year = f"（{year}年数据）" if year and year != ctx.year else ""
        return Decision("met" if ok else "not_met", f"{read.shown}{own_year} {'达到' if ok else '未达到'} {target}",
                        ctx.gap(read.number, self.value))

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        for word, op in OPERATOR_WORDS.items():
            if t.startswith(word) and re.search(r"\d", t):
                rest = _threshold(t[len(word):], direction, text)
                if rest is not None:
                    if rest.pop("bare"):  # 大于25: the word's operator; 大于25以上 keeps the written ≥
                        rest["op"] = op
                    return rest
        threshold = _threshold(t, direction, text)
        if threshold is not None:
            threshold.pop("bare", None)
        return threshold

    @classmethod
    def fill(cls, data: Shorthand, direction: str | None, plan_period: tuple[int, int] | None,
             expand: Expand) -> Shorthand:
        if isinstance(data.get("op"), str):
            data["op"] = parse_op(fold(data["op"])) or data["op"]
        return data


def _threshold(t: str, direction: str | None, text: str) -> dict[str, Any] | None:
    m = re.match(_THRESHOLD, t)
    if not m:
        return None
    value = to_float(m.group("num"))
    if value is None:
        return None
    measure = m.group("measure") or None
    suffix = m.group("suffix")
    if m.group("op"):
        op = parse_op(m.group("op"))
        bare = False
    elif suffix in ("以上", "及以上"):
        op, bare = ">=", False
    elif suffix in ("以下", "及以下"):
        op, bare = "<=", False
    elif suffix == "左右":
        return None
    else:
        if direction not in ("higher", "lower"):
            raise ShorthandError(f"“{text}”只是一个数字：指标需要 direction: higher 或 lower，"
                                 "才能知道它是下限还是上限")
        op, bare = (">=" if direction == "higher" else "<="), True
    data: dict[str, Any] = {"kind": "threshold", "op": op, "value": value, "bare": bare}
    if measure:
        data["measure"] = measure
    return data


__all__ = ["Threshold"]
