"""The short criterion strings a rule author writes ("≥90", "建立", "持续提高", "[19.4]"), expanded at load.

Each kind's short forms live in its own module (`from_shorthand`); this module tries them in the kinds' order
and fills in what a written-out mapping leaves to the indicator and the pack (`fill`). Only atomic criteria have
a short form. Combinations are written out as ``all_of`` / ``any_of``: punctuation such as "，且…或…" is
ambiguous, so the parser never guesses a structure from it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ecoplan.normalize import compact
from ecoplan.rules.combined import by_profile, describe, profile_words, structure
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
    raise ShorthandError(_refusal(text, direction, plan_period))


def _refusal(text: str, direction: str | None, plan_period: tuple[int, int] | None) -> str:
    """Why no short form reads the whole text, and how to write it: by_profile for a bound per kind of district,
    all_of / any_of for criteria joined by 且 / ； / 或 (written out for the author when each part reads)."""
    words = text.strip()
    profile = by_profile(words, min_cases=1)
    if profile is not None:
        return (f"“{words}”按区县类型给出目标，不是一个判据：请写成 {_flow(profile)}"
                "（其余区县的目标写在 otherwise:）")
    label = re.match(r"\s*(?P<who>[^:：]+)[:：]", words)
    if label is not None and profile_words(label.group("who")) is not None:
        return (f"“{words}”的“{label.group('who').strip()}”是区县类型，不是判据的一部分：按区县类型区分的目标请写成 "
                "{kind: by_profile, cases: [{when: {region: [东部]}, criterion: …}, …], otherwise: …}")
    parts = structure(words)
    if not isinstance(parts, dict) and len(commas := [p for p in re.split(r"\s*[，,]\s*", words) if p]) > 1:
        parts = {"all_of": commas}  # "A，B": both, when each reads on its own
    if isinstance(parts, dict):
        if all(_reads(atom, direction, plan_period) for atom in _atoms(parts)):
            return f"“{words}”连着几个判据（{describe(parts)}），一个短写只能是一个判据：请写成 {_flow(parts)}"
        return (f"“{words}”连着几个判据，一个短写只能是一个判据：同时满足的写成 {{all_of: [判据, …]}}，"
                "满足其一的写成 {any_of: [判据, …]}")
    if re.search(r"[且或并]", words):
        return (f"无法把“{words}”读作一个判据：几个判据同时满足的写成 {{all_of: [判据, …]}}，满足其一的写成 "
                "{any_of: [判据, …]}，或写成带 kind: 的映射")
    return (f"无法把“{words}”读作判据；请写成带 kind: 的映射，如 {{kind: threshold, op: \">=\", value: 90}} 或 "
            "{kind: manual, reason: …}")


def _atoms(parts: Any) -> list[str]:
    if isinstance(parts, dict):
        return [a for part in next(iter(parts.values())) for a in _atoms(part)]
    return [parts]


def _reads(atom: str, direction: str | None, plan_period: tuple[int, int] | None) -> bool:
    try:
        _atomic(atom, direction, plan_period)
    except ShorthandError:
        return False
    return True


def _flow(node: Any) -> str:
    """A criterion structure in YAML flow style; a text that is not plain words is quoted (≥90, [19.4])."""
    if isinstance(node, dict):
        return "{" + ", ".join(f"{key}: {_flow(value)}" for key, value in node.items()) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_flow(item) for item in node) + "]"
    text = str(node)
    plain = re.fullmatch(r"[A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff]*", text)
    return text if plain else json.dumps(text, ensure_ascii=False)


__all__ = ["SUPERIOR_TASK_WORDS", "TREND_TARGET_WORDS", "ShorthandError", "expand"]
