"""建立, 有效开展, 生态功能不降低、性质不改变: qualitative states, every required clause reported."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from ecoplan.rules.criteria.base import CriterionBase, Shorthand
from ecoplan.rules.criteria.context import Context, Decision, undecidable
from ecoplan.rules.criteria.superior_task import SUPERIOR_TASK_WORDS
from ecoplan.rules.validation import After, Constrained
from ecoplan.vocabulary import STATE_IMPLIES, STATE_WORDS, TREND_TARGET_WORDS
from ecoplan.workbook.values import Words


def _known_words(required: list[str], _info: object = None) -> list[str]:
    for clause in required:
        if not any(clause.endswith(w) for w in STATE_WORDS):  # 建立, 已建立
            raise ValueError(f"“{clause}”不是已知的状态词；可用：{'、'.join(sorted(STATE_WORDS))}")
    return required


@dataclass(frozen=True, kw_only=True, slots=True)
class State(CriterionBase):
    """A qualitative state (建立, 有效开展, 生态功能不降低、性质不改变): every required clause must be reported."""

    kind: Literal["state"] = "state"
    required: Annotated[list[str], Constrained(min_length=1), After(_known_words)]

    shorthand_rank: ClassVar[int | None] = 90  # the last resort: words that are no other kind's

    def describe(self) -> str:
        return "、".join(self.required)

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.reported
        value = reported.value
        if not isinstance(value, Words):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是状态描述，需人工核实")
        if value.negated:
            return Decision("not_met", f"填报“{value.text}”，未达到“{self.describe()}”")
        missing = [c for c in self.required if not any(_satisfies(v, c) for v in value.clauses)]
        if not missing:
            return Decision("met", f"填报“{value.text}”{_untested(ctx, self.required, value)}")
        known = all(any(v.endswith(w) for w in STATE_WORDS) for v in value.clauses)  # 开展, 已开展
        if known:
            return Decision("not_met", f"填报“{value.text}”，未达到“{'、'.join(missing)}”")
        return Decision("review", f"填报“{value.text}”，无法确认“{'、'.join(missing)}”")

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        clauses = [c for c in re.split(r"[、,，;；]+", t) if c]
        return {"kind": "state", "required": clauses} if all(map(_a_state_clause, clauses)) else None


def _a_state_clause(clause: str) -> bool:
    """Whether a clause of a state list is words of a state: no number, no 且 / 或 (another criterion joined to
    it), no label (东部地区：建立), not the superior's task, not a trend word on
    its own (保持稳定 is a trend, not a state)."""
    if re.search(r"[\d≥≤<>=:：且或]", clause):
        return False
    if any(w in clause for w in SUPERIOR_TASK_WORDS):
        return False
    return clause in STATE_WORDS or clause not in TREND_TARGET_WORDS


def _untested(ctx: Context, required: list[str], value: Words) -> str:
    """A clause the printed target names but the criterion does not test and the value does not report
    (面积不减少 after a re-delineation): said, so the reader sees the verdict rests on part of the target."""
    printed = [c for c in re.split(r"[、,，;；]+", ctx.printed or "") if c]
    skipped = [c for c in printed if not any(_satisfies(v, c) for v in value.clauses)]  # required ones are met
    return f"（未填报“{'、'.join(skipped)}”，该项未纳入判定）" if skipped else ""


def _satisfies(reported: str, required: str) -> bool:
    if reported.endswith(required):  # the same words, or the words with a qualifier before them (有效开展 ⇒ 开展)
        return True
    for word, weaker in STATE_IMPLIES.items():
        if reported.endswith(word) and any(required.endswith(w) for w in weaker):  # 制定, 已制定
            return True
    return False


__all__ = ["State"]
