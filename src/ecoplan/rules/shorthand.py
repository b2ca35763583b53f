"""The short criterion strings a rule author writes ("≥90", "建立", "持续提高", "[19.4]"), expanded at load.

Only atomic criteria have a short form. Combinations are written out as ``all_of`` / ``any_of``: punctuation such
as "，且…或…" is ambiguous, so the parser never guesses a structure from it.
"""

from __future__ import annotations

import re
from typing import Any

from ecoplan.normalize import compact, fold
from ecoplan.quantity import NUMBER, parse_op, to_float
from ecoplan.workbook.values import parse_class

SUPERIOR_TASK_WORDS = ("完成上级", "完成市级", "完成市下", "完成区级", "由国家下达", "达到市总量控制要求",
                       "完成重庆市", "上级下达", "市级下达", "按期完成", "以市级下达为准")
TREND_WORDS: dict[str, dict[str, Any]] = {
    "持续提高": {"want": "up"}, "稳步提高": {"want": "up"}, "有所提高": {"want": "up"}, "提升": {"want": "up"},
    "持续下降": {"want": "down"}, "持续减少": {"want": "down"}, "只减不增": {"want": "down"},
    "负增长": {"want": "down"},
    "持续改善": {"want": "improve"}, "有所改善": {"want": "improve"},
    "保持稳定或持续改善": {"want": "stable_or_better"}, "保持稳定或有所改善": {"want": "stable_or_better"},
    "保持稳定": {"want": "stable_or_better"}, "不降低": {"want": "stable_or_better"}, "巩固": {"want": "stable_or_better"},
    "逐年下降": {"want": "strictly_yearly"}, "逐年提高": {"want": "strictly_yearly"},
}
_THRESHOLD = re.compile(rf"^(?P<measure>[^\d≥≤<>=]*?)(?P<op>≥|≤|>=|<=|>|<|=)?(?P<num>{NUMBER})(?P<unit>%|‰|天|"
                        r"[^\d\s]{0,6}?)?(?P<suffix>及以上|以上|及以下|以下|左右)?$")
_WORD_OPS = {"不低于": ">=", "不少于": ">=", "达到": ">=", "不超过": "<=", "不高于": "<=", "控制在": "<=", "低于": "<",
             "高于": ">"}
_CUMULATIVE = re.compile(rf"^(?P<op>≥|≤|>=|<=|>|<)?\[(?P<num>{NUMBER})\]$")
_DELTA = re.compile(rf"^(?:△|Δ|∆)(?P<label>[A-Za-z]*)(?P<op>≥|≤|>=|<=|>|<)(?P<num>{NUMBER})$")


class ShorthandError(ValueError):
    """A short criterion string that means nothing ecoplan knows."""


def expand(raw: Any, direction: str | None, plan_period: tuple[int, int] | None) -> Any:
    """Turn a criterion as written in YAML into the mapping the `Criterion` union validates."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, str):
        return _atomic(raw, direction, plan_period)
    if isinstance(raw, list):
        raise ShorthandError("a criterion is one string or mapping; write several as {all_of: [...]} or {any_of: [...]}")
    if isinstance(raw, dict):
        data = dict(raw)
        if "kind" not in data and len(data) == 1:
            (key, inner), = data.items()
            if key in ("all_of", "any_of"):
                data = {"kind": key, "of": inner}
            elif key in ("superior_task", "trend", "threshold", "state", "water_class", "delta", "manual",
                         "approximate", "cumulative", "by_profile"):
                data = {"kind": key, **(inner or {})} if isinstance(inner, dict) or inner is None else data
        kind = data.get("kind")
        if kind in ("all_of", "any_of") and isinstance(data.get("of"), list):
            data["of"] = [expand(c, direction, plan_period) for c in data["of"]]
        if kind == "by_profile":
            cases = data.get("cases")
            if isinstance(cases, list):
                data["cases"] = [
                    {**c, "criterion": expand(c.get("criterion"), direction, plan_period)} if isinstance(c, dict) else c
                    for c in cases]
            if data.get("otherwise") is not None:
                data["otherwise"] = expand(data["otherwise"], direction, plan_period)
        if kind == "threshold" and isinstance(data.get("op"), str):
            data["op"] = parse_op(fold(data["op"])) or data["op"]
        if kind == "cumulative" and "op" not in data:
            data["op"] = "<=" if direction == "lower" else ">="
        if kind == "cumulative" and "period" not in data and plan_period is not None:
            data["period"] = list(plan_period)
        return data
    if raw is None:
        raise ShorthandError("the criterion is empty")
    return raw


def _atomic(text: str, direction: str | None, plan_period: tuple[int, int] | None) -> dict[str, Any]:
    t = compact(text).rstrip("。")
    if not t:
        raise ShorthandError("the criterion is empty")
    if t == "superior_task":
        return {"kind": "superior_task"}
    if any(w in t for w in SUPERIOR_TASK_WORDS):
        return {"kind": "superior_task", "text": text.strip()}
    if t in TREND_WORDS:
        return {"kind": "trend", "text": t, **TREND_WORDS[t]}
    m = _DELTA.match(t)
    if m:
        return {"kind": "delta", "op": parse_op(m.group("op")), "value": to_float(m.group("num")),
                "label": "△" + m.group("label")}
    m = _CUMULATIVE.match(t)
    if m:
        if plan_period is None:
            raise ShorthandError(f"“{text}” is a plan-period total: give the pack a plan_period, or write "
                                 "{kind: cumulative, total: …, period: [start, end]}")
        op = parse_op(m.group("op")) if m.group("op") else ("<=" if direction == "lower" else ">=")
        return {"kind": "cumulative", "total": to_float(m.group("num")), "period": list(plan_period), "op": op}
    for word, op in _WORD_OPS.items():
        if t.startswith(word) and re.search(r"\d", t):
            rest = _threshold(t[len(word):], direction, text)
            if rest is not None:
                if rest["op"] in (">=", "<=") and rest.get("bare"):
                    rest["op"] = op
                rest.pop("bare", None)
                return rest
    threshold = _threshold(t, direction, text)
    if threshold is not None:
        threshold.pop("bare", None)
        return threshold
    cls_text = t
    op = "at_least"
    for prefix, prefix_op in (("优于", "better_than"), ("好于", "better_than"), ("达到", "at_least"),
                              ("不低于", "at_least")):
        if cls_text.startswith(prefix):
            cls_text, op = cls_text[len(prefix):], prefix_op
    cls_text = re.sub(r"(水域功能|水质|水体)$", "", cls_text)
    rank = parse_class(cls_text)
    if rank is not None:
        return {"kind": "water_class", "op": op, "class": rank}
    if "左右" in t:
        raise ShorthandError(f"“{text}” is approximate: write {{kind: approximate, target: …, tolerance: …}} "
                             "with the tolerance you apply (the documents give none)")
    if re.search(r"\d", t):
        raise ShorthandError(f"cannot read “{text}” as a criterion; write it as a mapping with kind:")
    clauses = [c for c in re.split(r"[、,，;；]+", t) if c]
    return {"kind": "state", "required": clauses}


def _threshold(t: str, direction: str | None, text: str) -> dict[str, Any] | None:
    m = _THRESHOLD.match(t)
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
            raise ShorthandError(f"“{text}” is a bare number: the indicator needs direction higher or lower to "
                                 "know whether it is a floor or a ceiling")
        op, bare = (">=" if direction == "higher" else "<="), True
    data: dict[str, Any] = {"kind": "threshold", "op": op, "value": value, "bare": bare}
    if measure:
        data["measure"] = measure
    return data
