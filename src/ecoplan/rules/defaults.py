"""A pack's conventions for the cases its table leaves open (未下达, 未考核, an assertion, a missing year).

Its own module because both the pack (which holds it) and the criteria's `Context` (which reads it) need it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any, ClassVar, Literal

from ecoplan.rules.validation import STRICT, Constrained

Outcome = Literal["met", "review"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Defaults:
    """How a pack decides the cases its table leaves open (see docs/rule-packs.md)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT

    not_applicable_counts_as_met: bool = True
    when_task_not_issued: Outcome = "met"
    when_not_assessed: Outcome = "met"
    when_task_absent: Outcome = "met"
    when_asserted: Outcome = "met"
    when_expected: Outcome = "review"
    when_history_missing: Literal["met", "review", "missing"] = "review"
    trend_reference: Literal["previous", "baseline"] | int = "previous"
    baseline_year: int | None = None
    stable_tolerance: Annotated[float, Constrained(ge=0)] = 0.0

    def strict(self) -> Defaults:
        """The same defaults with every convention that counts an undecided value as 达标 turned to review."""
        return replace(self, when_task_not_issued="review", when_not_assessed="review", when_task_absent="review",
                       when_asserted="review", when_expected="review", when_history_missing="review")


__all__ = ["Defaults", "Outcome"]
