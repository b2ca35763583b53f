"""What every criterion kind shares: the base that declares `describe` and `decide`, the short-form hook, and
the test of a reported bound against a comparison.

Each kind is a frozen, slotted, keyword-only dataclass: pydantic validates it when a pack is read from YAML (see
`ecoplan.rules.validation`), the pack cache pickles it, and deciding needs no pydantic at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from ecoplan.quantity import Op, bound_implies, compare
from ecoplan.rules.criteria.context import Context, Decision, by_default, undecidable
from ecoplan.rules.validation import STRICT
from ecoplan.workbook.values import Bound, Measures, Number, TrendClaim

Shorthand = dict[str, Any]
"""A short form expanded into the mapping its kind validates ({"kind": "threshold", "op": ">=", "value": 90})."""


Expand = Callable[[Any, "str | None", "tuple[int, int] | None"], Any]
"""`ecoplan.rules.shorthand.expand`, handed to composite kinds so they expand their parts without importing it."""


class ShorthandError(ValueError):
    """A short criterion string that means nothing ecoplan knows."""


@dataclass(frozen=True, kw_only=True, slots=True)
class CriterionBase:
    """A criterion: it describes itself as the table would print it and decides one indicator in one year."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    shorthand_rank: ClassVar[int | None] = None
    """Where this kind's short forms are tried (lower first); None: the kind has no short form."""

    def describe(self) -> str:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    def decide(self, ctx: Context) -> Decision:  # pragma: no cover - every kind overrides it
        raise NotImplementedError

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        """The mapping a short form `t` (compacted; `text` as written) stands for, or None if it is not this kind's.

        Raises ShorthandError when the text is this kind's but cannot be expanded on its own."""
        return None

    @classmethod
    def fill(cls, data: Shorthand, direction: str | None, plan_period: tuple[int, int] | None,
             expand: Expand) -> Shorthand:
        """A mapping written out in YAML, with what the indicator and the pack imply filled in (the defaults a
        kind takes from the direction or the plan period; composite kinds expand their parts with `expand`)."""
        return data


_OPPOSITE: dict[Op, Op] = {">=": "<", ">": "<=", "<=": ">", "<": ">="}  # = has no one opposite


def decide_bound(value: Bound, op: Op, target: float, text: str) -> Decision:
    """A reported bound decides a comparison only if every value it allows satisfies it (or none does: for = 100,
    a bound that leaves out 100 itself)."""
    interval = value.interval
    if bound_implies(interval.op, interval.bound, op, target):
        return Decision("met", f"填报{interval}，满足{text}")
    if op == "==":
        excluded = not compare(target, interval.op, interval.bound)
    else:
        excluded = bound_implies(interval.op, interval.bound, _OPPOSITE[op], target)
    if excluded:
        return Decision("not_met", f"填报{interval}，不满足{text}")
    return Decision("review", f"填报{interval}，不足以判断是否{text}")


@dataclass(frozen=True, slots=True)
class Reading:
    """A reported number read in the indicator's unit: the number compared, and how to print it (the figure as
    reported, with the conversion when there was one: "328天（按全年366天折合为 89.62%）")."""

    number: float
    shown: str
    value: Number


def read_number(ctx: Context, what: str, *, measure: str | None = None,
                bound: tuple[Op, float, str] | None = None) -> Reading | Decision:
    """The opening every numeric criterion shares: the value it tests (`ctx.pick`) as a number in the indicator's
    unit, or the decision already reached without one — a bound that decides `bound` (op, target, text) on its
    own, the pack's convention for an assertion or a marker, 缺数据 for nothing, 待核实 for the rest. `what` ends
    the reason of a value that is no number ("与≥90比较", "判断持续提高")."""
    reported = ctx.reported
    value = ctx.pick(reported, measure)
    if isinstance(value, Number):
        converted = ctx.in_unit(value)  # 328 天 for 优良天数比率 in %: the pack's days_share says how
        if converted is None:
            return Decision("review", f"{value} 的单位不是 {ctx.unit}，无法{what}")
        return Reading(converted[0], converted[1], value)
    if isinstance(value, Bound) and bound is not None:
        return decide_bound(value, *bound)
    if isinstance(value, TrendClaim):
        return by_default(ctx, "when_asserted", f"填报为“{value.text}”，无数值")
    if isinstance(value, Measures):
        return Decision("review", f"分项数值（{value}）未规定汇总方式")
    if value is None and measure:
        return Decision("missing", f"未填报{measure}")
    return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值，无法{what}")


__all__ = ["CriterionBase", "Expand", "Reading", "Shorthand", "ShorthandError", "decide_bound", "read_number"]
