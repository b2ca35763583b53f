"""Criteria made of criteria — all_of, any_of, by_profile — and the `Criterion` union they nest.

The three kinds and the union live together because the union is recursive through them: pydantic resolves the
`Criterion` inside AllOf, AnyOf and ProfileCase from this module's namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

from ecoplan.rules.criteria.approximate import Approximate
from ecoplan.rules.criteria.base import CriterionBase, Expand, Shorthand
from ecoplan.rules.criteria.context import Context, Decision
from ecoplan.rules.criteria.cumulative import Cumulative
from ecoplan.rules.criteria.delta import Delta
from ecoplan.rules.criteria.manual import Manual
from ecoplan.rules.criteria.state import State
from ecoplan.rules.criteria.superior_task import SuperiorTask
from ecoplan.rules.criteria.threshold import Threshold
from ecoplan.rules.criteria.trend import Trend
from ecoplan.rules.criteria.water_class import WaterClassCriterion
from ecoplan.rules.validation import STRICT, Constrained, Tagged
from ecoplan.vocabulary import WORST_FIRST

ProfileField = Literal["region", "admin_type", "city_size"]


@dataclass(frozen=True, kw_only=True, slots=True)
class ProfileCase:
    """One branch of a profile-dependent criterion: applies when every listed field has one of the values."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRICT
    when: Annotated[dict[ProfileField, list[str]], Constrained(min_length=1)]
    criterion: Criterion

    def matches(self, profile: Mapping[str, str]) -> bool:
        return all(profile.get(key) in values for key, values in self.when.items())


@dataclass(frozen=True, kw_only=True, slots=True)
class ByProfile(CriterionBase):
    """A threshold that depends on the district (≥60 for 中西部市辖区 and 东部, ≥30 elsewhere)."""

    kind: Literal["by_profile"] = "by_profile"
    cases: Annotated[list[ProfileCase], Constrained(min_length=1)]
    otherwise: Criterion | None = None

    def fields(self) -> set[str]:
        """The profile fields this criterion reads (the workbook must give them)."""
        return {key for case in self.cases for key in case.when}

    def describe(self) -> str:
        parts = ["；".join("/".join(v) for v in c.when.values()) + "：" + c.criterion.describe() for c in self.cases]
        if self.otherwise is not None:
            parts.append("其他：" + self.otherwise.describe())
        return "；".join(parts)

    def choose(self, profile: Mapping[str, str]) -> Criterion | None:
        """The criterion that applies to a district with this profile (None: none does)."""
        for case in self.cases:
            if case.matches(profile):
                return case.criterion
        return self.otherwise

    def decide(self, ctx: Context) -> Decision:
        missing = sorted(f for f in self.fields() if not ctx.profile.get(f))
        if missing:
            return Decision("review", f"区县信息缺少{'、'.join(missing)}，无法确定适用的标准")
        chosen = self.choose(ctx.profile)
        if chosen is None:
            return Decision("review", "区县类型不在该指标的适用范围内")
        decision = chosen.decide(ctx)
        return Decision(decision.status, f"{decision.reason}（适用标准 {chosen.describe()}）", decision.gap,
                        decision.gap_unit)

    @classmethod
    def fill(cls, data: Shorthand, direction: str | None, plan_period: tuple[int, int] | None,
             expand: Expand) -> Shorthand:
        cases = data.get("cases")
        if isinstance(cases, list):
            data["cases"] = [{**c, "criterion": expand(c.get("criterion"), direction, plan_period)}
                             if isinstance(c, dict) else c for c in cases]
        if data.get("otherwise") is not None:
            data["otherwise"] = expand(data["otherwise"], direction, plan_period)
        return data


class _Parts:
    """What all_of and any_of share: the parts, their description, how a YAML mapping expands them, and deciding
    every part before `combine` weighs their decisions."""

    __slots__ = ()
    of: list[Criterion]
    joiner: ClassVar[str] = ""

    def describe(self) -> str:
        return self.joiner.join(f"（{c.describe()}）" if isinstance(c, (AllOf, AnyOf)) else c.describe()
                                for c in self.of)

    def decide(self, ctx: Context) -> Decision:
        return self.combine([c.decide(ctx) for c in self.of])

    def combine(self, decisions: list[Decision]) -> Decision:  # pragma: no cover - both kinds override it
        raise NotImplementedError

    @classmethod
    def fill(cls, data: Shorthand, direction: str | None, plan_period: tuple[int, int] | None,
             expand: Expand) -> Shorthand:
        if isinstance(data.get("of"), list):
            data["of"] = [expand(c, direction, plan_period) for c in data["of"]]
        return data


@dataclass(frozen=True, kw_only=True, slots=True)
class AllOf(_Parts, CriterionBase):
    """Every part must hold (完成上级规定的考核任务，且 …)."""

    kind: Literal["all_of"] = "all_of"
    of: Annotated[list[Criterion], Constrained(min_length=1)]
    joiner: ClassVar[str] = "，且"

    def combine(self, decisions: list[Decision]) -> Decision:
        """Met with the tightest part's gap; else the worst part's status, with that part's gap in its own unit
        (−4 天 against the task), never another's."""
        failing = [d for d in decisions if d.status != "met"]
        if not failing:
            return Decision("met", _reasons(decisions), *_pick_gap(decisions, min))
        worst = min(failing, key=lambda d: (WORST_FIRST.index(d.status), d.gap is None))
        return Decision(worst.status, _reasons(failing), worst.gap, worst.gap_unit)


@dataclass(frozen=True, kw_only=True, slots=True)
class AnyOf(_Parts, CriterionBase):
    """One part suffices (≥90或持续提高)."""

    kind: Literal["any_of"] = "any_of"
    of: Annotated[list[Criterion], Constrained(min_length=2)]
    joiner: ClassVar[str] = "或"

    def combine(self, decisions: list[Decision]) -> Decision:
        """Met by the first part that holds, with the loosest gap; not met when every part fails, with the
        shortfall against a level (≥90: −2.1) before a trend's change, of those the part closest to holding;
        else undecided as the first part not failing."""
        met = [d for d in decisions if d.status == "met"]
        if met:
            return Decision("met", met[0].reason, *_pick_gap(decisions, max))
        if all(d.status == "not_met" for d in decisions):
            levels = [d for c, d in zip(self.of, decisions, strict=True) if not isinstance(c, Trend)]
            gap = _pick_gap(levels, max)
            return Decision("not_met", _reasons(decisions), *(gap if gap[0] is not None else _pick_gap(decisions, max)))
        undecided = next(d for d in decisions if d.status != "not_met")
        return Decision(undecided.status, _reasons(decisions), None)


def _reasons(decisions: list[Decision]) -> str:
    """The parts' reasons, each once (two parts undecided for one cause give one reason)."""
    return "；".join(dict.fromkeys(d.reason for d in decisions))


def _pick_gap(decisions: list[Decision], choose: Callable[[list[float]], float]) -> tuple[float | None, str | None]:
    """One gap out of the parts': gaps in the indicator's unit first (gaps in different units do not compare)."""
    for unit in dict.fromkeys(d.gap_unit for d in sorted(decisions, key=lambda d: d.gap_unit is not None)):
        gaps = [d.gap for d in decisions if d.gap is not None and d.gap_unit == unit]
        if gaps:
            return choose(gaps), unit
    return None, None


Criterion = Annotated[
    Threshold | SuperiorTask | Trend | Delta | State | WaterClassCriterion | Approximate | Cumulative | ByProfile
    | AllOf | AnyOf | Manual,
    Tagged("kind"),
]
"""Every criterion kind, told apart by `kind`: the one registry of kinds (short forms, loader, schema)."""

__all__ = ["AllOf", "AnyOf", "ByProfile", "Criterion", "ProfileCase", "ProfileField"]
