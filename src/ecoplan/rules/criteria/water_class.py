"""达到Ⅲ类, 优于Ⅱ类: a water-quality class (Ⅰ < Ⅱ < Ⅲ < Ⅳ < Ⅴ < 劣Ⅴ; smaller is better)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from ecoplan.evaluate.context import Context, Decision, undecidable
from ecoplan.rules.criteria.base import CriterionBase, Shorthand
from ecoplan.rules.validation import STRICT, Before, Constrained
from ecoplan.workbook.values import CLASS_NAMES, WaterClass, parse_class

_PREFIXES: dict[str, Literal["at_least", "better_than"]] = {
    "优于": "better_than", "好于": "better_than", "达到": "at_least", "不低于": "at_least", "达到或优于": "at_least",
    "达到或好于": "at_least"}
# The whole text: a prefix, the class (parse_class reads it), a suffix naming the water.
_CLASS_TARGET = rf"(?P<prefix>{'|'.join(sorted(_PREFIXES, key=len, reverse=True))})?(?P<cls>.+?)(?:水域功能|水质|水体)?"


def _class_rank(raw: object, _info: object = None) -> object:
    """Ⅲ, III or 3 → 3 (the rank the model keeps)."""
    if isinstance(raw, str):
        rank = parse_class(raw)
        if rank is None:
            raise ValueError(f"“{raw}”不是水质类别（Ⅰ Ⅱ Ⅲ Ⅳ Ⅴ 劣Ⅴ，或 I II III IV V）")
        return rank
    return raw


@dataclass(frozen=True, kw_only=True, slots=True)
class WaterClassCriterion(CriterionBase):
    """达到 / 优于 a water-quality class (Ⅰ < Ⅱ < Ⅲ < Ⅳ < Ⅴ < 劣Ⅴ; smaller is better)."""

    kind: Literal["water_class"] = "water_class"
    op: Literal["at_least", "better_than"] = "at_least"
    water_class: Annotated[int, Before(_class_rank), Constrained(ge=1, le=6)]

    # The YAML key is `class` (a Python keyword, so not a field name).
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **STRICT, "alias_generator": lambda name: "class" if name == "water_class" else name,
        "validate_by_name": True, "validate_by_alias": True}
    shorthand_rank: ClassVar[int | None] = 60

    def describe(self) -> str:
        return ("优于" if self.op == "better_than" else "达到") + CLASS_NAMES[self.water_class] + "类"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.reported
        value = reported.value
        if not isinstance(value, WaterClass):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是水质类别")
        worst_allowed = self.water_class - 1 if self.op == "better_than" else self.water_class
        ok = value.rank <= worst_allowed
        # The gap counts classes: +1 one class better than needed, −1 one class short.
        return Decision("met" if ok else "not_met", f"{value}{'满足' if ok else '不满足'}{self.describe()}",
                        float(worst_allowed - value.rank))

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        m = re.fullmatch(_CLASS_TARGET, t)
        rank = parse_class(m.group("cls")) if m else None
        if m is None or rank is None:
            return None
        return {"kind": "water_class", "op": _PREFIXES.get(m.group("prefix") or "达到", "at_least"), "class": rank}


__all__ = ["WaterClassCriterion"]
