"""Texts that hold more than one criterion, and how they are written out.

A target cell may join criteria ("完成上级规定的考核任务，且≥90或持续提高") or give one per kind of district
("东部地区：≥60；中西部、东北地区：≥30"). A short form is one criterion, so the short-form parser refuses such a
text and says how to write it; `ecoplan rules import` writes it out the same way. Both read the text here:
`structure` splits at 且 / ； (all_of) and 或 (any_of), the reading every shipped pack takes (seed-criteria §1.4);
`by_profile` reads one bound per kind of district in the profile's own words; `profile_words` tells such a kind
from the name of a measure.
"""

from __future__ import annotations

import re
from typing import Any

from ecoplan.normalize import compact
from ecoplan.vocabulary import ADMIN_TYPES, CITY_SIZES, REGIONS, TREND_TARGET_WORDS

_AND = re.compile(r"[，,]?\s*且\s*|\s*[；;]\s*")
_OR = re.compile(r"\s*或\s*")
_CASE = re.compile(r"\s*(?P<who>[^\d≥≤<>＜＞=；;]+?)\s*[:：]?\s*(?P<bound>(?:≥|≤|>=|<=|＞|＜|>|<)\s*\d+(?:\.\d+)?%?)"
                   r"\s*[；;，,。]?")
_PROFILE_WORDS = {**dict.fromkeys(CITY_SIZES, "city_size"), **dict.fromkeys(REGIONS, "region"),
                  **dict.fromkeys(ADMIN_TYPES, "admin_type")}


def structure(words: str) -> Any:
    """The words as one short form, or all_of / any_of of short forms where 且 / ； / 或 join targets (an 或 inside
    a trend word, 保持稳定或持续改善, joins nothing)."""
    words = words.strip().rstrip("。")
    if compact(words) in TREND_TARGET_WORDS:
        return words
    parts = [p for p in _AND.split(words) if p.strip()]
    ands = [_alternatives(p) for p in parts]
    return ands[0] if len(ands) == 1 else {"all_of": ands}


def _alternatives(part: str) -> Any:
    if compact(part) in TREND_TARGET_WORDS:
        return part.strip()
    options = [o.strip() for o in _OR.split(part) if o.strip()]
    return options[0] if len(options) == 1 else {"any_of": options}


def describe(structure: Any, nested: bool = False) -> str:
    """A structure in words: “A”且（“B”或“C”）."""
    if isinstance(structure, dict):
        (key, parts), = structure.items()
        joined = ("且" if key == "all_of" else "或").join(describe(p, True) for p in parts)
        return f"（{joined}）" if nested else joined
    return f"“{structure}”"


def by_profile(words: str, min_cases: int = 2) -> dict[str, Any] | None:
    """A cell that gives one bound per kind of district in the profile's own words — "超、特大城市 ≥70 大城市 ≥60
    中小城市 ≥50", "东部地区：≥60；中西部、东北地区：≥30" — as a by_profile criterion; None for anything else
    (a kind the workbook cannot state, such as 地级及以上城市市辖区, is not read)."""
    cases = []
    at = 0
    for match in _CASE.finditer(words):
        if match.start() != at:
            return None
        at = match.end()
        who = profile_words(match.group("who"))
        if who is None:
            return None
        field_names = {_PROFILE_WORDS[w] for w in who}
        if len(field_names) != 1:
            return None
        cases.append({"when": {field_names.pop(): who}, "criterion": compact(match.group("bound"))})
    if at != len(words) or len(cases) < min_cases:
        return None
    return {"kind": "by_profile", "cases": cases}


def profile_words(text: str) -> list[str] | None:
    """The profile values a list of kinds of district names ("超、特大城市" → 超大城市, 特大城市; "中西部地区" →
    中部, 西部; a trailing colon is the label's); None when the text names anything else (a measure's name)."""
    text = text.strip().rstrip(":：")
    parts = [p.strip().removesuffix("地区") for p in re.split(r"[、,，/和及与]", text) if p.strip()]
    found: list[str] = []
    for index, part in enumerate(parts):
        if part == "中西部":
            found += ["中部", "西部"]
        elif part in _PROFILE_WORDS:
            found.append(part)
        else:
            # "超" before "特大城市" shares its ending: 超 + 大城市
            following = parts[index + 1] if index + 1 < len(parts) else ""
            joined = next((part + following[i:] for i in range(len(following))
                           if part + following[i:] in _PROFILE_WORDS), None)
            if joined is None:
                return None
            found.append(joined)
    return found or None


__all__ = ["by_profile", "describe", "profile_words", "structure"]
