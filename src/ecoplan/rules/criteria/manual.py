"""全市前列: a target one workbook cannot decide; always 待核实, with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ecoplan.rules.criteria.base import CriterionBase
from ecoplan.rules.criteria.context import Context, Decision


@dataclass(frozen=True, kw_only=True, slots=True)
class Manual(CriterionBase):
    """A target that one workbook cannot decide (全市前列): always 待核实, with the reason."""

    kind: Literal["manual"] = "manual"
    reason: str

    def describe(self) -> str:
        return self.reason

    def decide(self, ctx: Context) -> Decision:
        return Decision("review", self.reason)


__all__ = ["Manual"]
