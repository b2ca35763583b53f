"""The short criterion strings a rule author writes ("≥90", "建立", "持续提高", "[19.4]"), expanded at load.

Each kind's short forms live in its own module (`from_shorthand`); this module tries them in the kinds' order
and fills in what a written-out mapping leaves to the indicator and the pack (`fill`). Only atomic criteria have
a short form. Combinations are written out as ``all_of`` / ``any_of``: punctuation such as "，且…或…" is
ambiguous, so the parser never guesses a structure from it.
"""

from __future__ import annotations

from typing import Any

from ecoplan.normalize import compact
from ecoplan.rules.criteria import KIND_MODELS, SHORTHAND_KINDS, ShorthandError
from ecoplan.rules.criteria.superior_task import SUPERIOR_TASK_WORDS
from ecoplan.vocabulary import TREND_TARGET_WORDS

_COMPOSITE_KEYS = ("all_of", "any_of")


def expand(raw: Any, direction: str | None, plan_period: tuple[int, int] | None) -> Any:
    """Turn a criterion as written in YAML into the mapping the `Criterion` union validates."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, str):
        return _atomic(raw, direction, plan_period)
    if isinstance(raw, list):
        raise ShorthandError("判据应为一个字符串或一个映射；多个判据请写成 {all_of: [...]} 或 "
                             "{any_of: [...]}")
    if isinstance(raw, dict):
        data = dict(raw)
        if "kind" not in data and len(data) == 1:
            (key, inner), = data.items()
            if key in _COMPOSITE_KEYS:
                data = {"kind": key, "of": inner}
            elif key in KIND_MODELS:
                data = {"kind": key, **(inner or {})} if isinstance(inner, dict) or inner is None else data
        model = KIND_MODELS.get(data.get("kind"))  # type: ignore[arg-type]
        return model.fill(data, direction, plan_period, expand) if model is not None else data
    if raw is None:
        raise ShorthandError("判据是空的")
    return raw


def _atomic(text: str, direction: str | None, plan_period: tuple[int, int] | None) -> dict[str, Any]:
    t = compact(text).rstrip("。")
    if not t:
        raise ShorthandError("判据是空的")
    for model in SHORTHAND_KINDS:
        data = model.from_shorthand(t, text, direction, plan_period)
        if data is not None:
            return data
    raise ShorthandError(f"无法把“{text}”读作判据；请写成带 kind: 的映射")


__all__ = ["SUPERIOR_TASK_WORDS", "TREND_TARGET_WORDS", "ShorthandError", "expand"]
