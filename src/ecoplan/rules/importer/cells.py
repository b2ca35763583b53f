"""A target cell read as a criterion, with the packs' own parser (`ecoplan.rules.shorthand`) and their validation.

What is read, and only that: the printed words ("≥90", "由国家下达", "[19.4]", "优于V类水域功能") as the short
forms a rule author writes. A cell that joins targets with 且 / ； and 或 is written out as all_of / any_of —
"A，且B或C" as A ∧ (B ∨ C), and "；" as 且, the reading every shipped pack takes (seed-criteria §1.4) — and its row
gets a comment saying so. A footnote mark (97.3*, ^[1]) is taken off the words and kept for the notes. Anything the
parser does not take — 57左右 (no tolerance printed), a rule per kind of city, an empty cell — becomes a `manual`
criterion holding the cell's words, and the comment says why; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ecoplan.normalize import compact
from ecoplan.rules.combined import by_profile, describe
from ecoplan.rules.combined import structure as split
from ecoplan.rules.importer.direction import Direction, direction_from_name
from ecoplan.rules.shorthand import expand
from ecoplan.vocabulary import TREND_WORDS

_MARKS = re.compile(r"(?:\^\s*)?(?:【\s*\d+\s*】|\[\s*\d+\s*\]$|\[\s*注\s*\d*\s*\])|[*※]+$")
_LEADING_BRACKET_TOTAL = re.compile(r"^[≥≤<>＜＞=]*\s*\[")
_AT_LEAST_CLASS = re.compile(r"达到或(?:优于|好于)")
_HIGHER_OP = re.compile(r"^(?:≥|>=|>|＞|不低于|不少于|不小于|高于|大于)|以上$")
_LOWER_OP = re.compile(r"^(?:≤|<=|<|＜|不超过|不高于|不大于|低于|小于|控制在)|以下$")
EMPTY = ("", "-", "—", "－", "/", "／", "——", "--", "无")


@dataclass
class Reading:
    """A cell as read: its words, the criterion (short form, mapping or manual), what was decided on the way."""

    text: str
    criterion: Any
    manual: bool = False
    decisions: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    direction: Direction | None = None  # the direction used: the one its operator states (≥, ≤), else the name's
    stated: bool = False  # whether the cell's own operator stated the direction
    kinds: set[str] = field(default_factory=set)  # the criterion kinds it holds


def is_empty(text: str) -> bool:
    return compact(text) in EMPTY


def take_marks(text: str) -> tuple[str, list[str]]:
    """The words without footnote marks (97.3* → 97.3, 未达标^[1] → 未达标), and the marks taken off.
    A cell that is itself a bracketed total ([19.4], ＜[75000]) keeps its brackets."""
    marks: list[str] = []
    words = text.strip()
    while True:
        match = _MARKS.search(words)
        if match is None or (_LEADING_BRACKET_TOTAL.match(words) and match.group(0).startswith("[")
                             and match.start() <= words.find("[")):
            break
        marks.append(match.group(0).lstrip("^ "))
        words = (words[:match.start()] + words[match.end():]).strip()
    return words, marks


def read_cell(text: str, direction: Direction | None, unit: str | None,
              plan_period: tuple[int, int] | None) -> Reading:
    """The criterion a target cell states, checked as a pack would be; `manual` with the cell's words otherwise.
    `direction` is the one the indicator's name suggests; an operator in the cell (≥, 以下) overrides it."""
    words, marks = take_marks(text)
    reading = Reading(text=text.strip(), criterion=None, marks=marks)
    if marks:
        reading.decisions.append(f"去掉脚注标记 {'、'.join(marks)}")
    if is_empty(words):
        return _manual(reading, "表中此格为空" if not words.strip() else f"表中此格为“{words}”，没有指标值")
    structure = split(_AT_LEAST_CLASS.sub("达到", words))
    if isinstance(structure, dict):
        reading.decisions.append(f"“{words}”读作 {describe(structure)}")
    stated = _stated_direction(structure)
    reading.direction, reading.stated = (stated, True) if stated else (direction, False)
    error = check(structure, reading.direction, unit, plan_period) or _stray_measure(structure, reading.direction,
                                                                                    plan_period)
    profile = by_profile(words) if error is not None else None
    if profile is not None and check(profile, reading.direction, unit, plan_period) is None:
        structure, error = profile, None
        fields = "、".join(sorted({k for case in profile["cases"] for k in case["when"]}))
        reading.decisions.append(f"“{words}”读作按区县的 {fields} 区分的判据（by_profile）")
    if error is not None:
        return _manual(reading, error)
    reading.criterion = structure
    reading.kinds = kinds_of(structure, reading.direction, plan_period)
    return reading


def _manual(reading: Reading, why: str) -> Reading:
    reading.criterion = {"kind": "manual", "reason": reading.text or "（空）"}
    reading.manual = True
    reading.decisions.append(f"未能读作判据（{why}）：写成 manual，请人工改写")
    return reading


def _stray_measure(structure: Any, direction: str | None, plan_period: tuple[int, int] | None) -> str | None:
    """Words before a bound that name no measure (东部地区：≥60 — a kind of district, not 案件结案率≥75%): the
    threshold short form would take them for a measure the workbook never reports."""
    def measures(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["measure"]] if node.get("kind") == "threshold" and node.get("measure") else []
            return found + [m for part in node.get("of", []) or [] for m in measures(part)]
        return []

    stray = [m for m in measures(expand(structure, direction, plan_period)) if direction_from_name(m) is None]
    return f"“{stray[0]}”不是指标的分项名称" if stray else None


def _stated_direction(structure: Any) -> Direction | None:
    """The direction the cell's own words state: ≥ / 以上 / 持续提高 higher, ≤ / 以下 / 持续下降 lower (None if none
    or both)."""
    found: set[Direction] = set()
    for part in _atoms(structure):
        text = compact(part).removeprefix("达到")
        sense = TREND_WORDS.get(text)
        if _HIGHER_OP.search(text) or sense in ("up", "yearly_up"):
            found.add("higher")
        elif _LOWER_OP.search(text) or sense in ("down", "yearly_down"):
            found.add("lower")
    return found.pop() if len(found) == 1 else None


def _atoms(structure: Any) -> list[str]:
    if isinstance(structure, dict):
        return [a for part in next(iter(structure.values())) for a in _atoms(part)]
    return [structure]


@lru_cache(maxsize=1)
def _validator() -> Any:
    """pydantic's validator of one indicator, exactly as a pack validates it (built once)."""
    # lazy: pydantic (~50 ms) only when a plan is imported
    from pydantic import TypeAdapter

    from ecoplan.rules.pack import CompleteIndicator

    return TypeAdapter(CompleteIndicator)


def check(criterion: Any, direction: str | None, unit: str | None, plan_period: tuple[int, int] | None) -> str | None:
    """Why `criterion` would not load on an indicator with this direction and unit (the loader's own words), or
    None when it loads."""
    # lazy: pydantic only when a plan is imported
    from pydantic import ValidationError

    data = {"id": "x", "name": "x", "unit": unit, "direction": direction, "criterion": criterion}
    try:
        _validator().validate_python(data, context={"plan_period": plan_period})
    except ValidationError as exc:
        return "；".join(dict.fromkeys(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()))
    return None


def kinds_of(criterion: Any, direction: str | None, plan_period: tuple[int, int] | None) -> set[str]:
    """The criterion kinds a (valid) criterion holds: threshold, superior_task, trend, …"""
    def walk(node: Any) -> set[str]:
        if isinstance(node, dict):
            kind = node.get("kind")
            found = {kind} if isinstance(kind, str) else set()
            for part in node.get("of", []) or []:
                found |= walk(part)
            return found
        return set()

    return walk(expand(criterion, direction, plan_period))


__all__ = ["EMPTY", "Reading", "by_profile", "check", "is_empty", "kinds_of", "read_cell", "take_marks"]
