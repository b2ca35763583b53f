"""Criteria: a discriminated union of small typed models, each deciding itself against a `Context`.

One module per kind holds its model, its `decide`, its description and its short forms ("≥90", "建立",
"持续提高", "[19.4]"); text is turned into these models once, when the pack is loaded (`ecoplan.rules.shorthand`),
and deciding never parses text. The `Criterion` union is the one registry of kinds: `CRITERION_KINDS` (the
loader's list), `KIND_MODELS` (kind → model) and `SHORTHAND_KINDS` (the order short forms are tried in) are
derived from it.
"""

from __future__ import annotations

from typing import get_args

from ecoplan.rules.criteria.approximate import Approximate
from ecoplan.rules.criteria.base import CriterionBase, ShorthandError
from ecoplan.rules.criteria.composite import AllOf, AnyOf, ByProfile, Criterion, ProfileCase
from ecoplan.rules.criteria.cumulative import Cumulative
from ecoplan.rules.criteria.delta import Delta
from ecoplan.rules.criteria.manual import Manual
from ecoplan.rules.criteria.state import State
from ecoplan.rules.criteria.superior_task import SuperiorTask
from ecoplan.rules.criteria.threshold import Threshold
from ecoplan.rules.criteria.trend import Trend, TrendWant
from ecoplan.rules.criteria.water_class import WaterClassCriterion
from ecoplan.workbook.values import NotApplicable

_MODELS: tuple[type[CriterionBase], ...] = get_args(get_args(Criterion)[0])
KIND_MODELS: dict[str, type[CriterionBase]] = {str(model.__dataclass_fields__["kind"].default): model
                                               for model in _MODELS}
"""Each criterion kind's YAML name and its model, in the union's order."""
CRITERION_KINDS: tuple[str, ...] = tuple(KIND_MODELS)
_RANKS: dict[type[CriterionBase], int] = {m: m.shorthand_rank for m in _MODELS if m.shorthand_rank is not None}
SHORTHAND_KINDS: tuple[type[CriterionBase], ...] = tuple(sorted(_RANKS, key=_RANKS.__getitem__))

__all__ = ["CRITERION_KINDS", "KIND_MODELS", "SHORTHAND_KINDS", "AllOf", "AnyOf", "Approximate", "ByProfile",
           "Criterion", "CriterionBase", "Cumulative", "Delta", "Manual", "NotApplicable", "ProfileCase",
           "ShorthandError", "State", "SuperiorTask", "Threshold", "Trend", "TrendWant", "WaterClassCriterion"]
