"""Text normalisation shared by the value parser, the rule loader and name matching.

Submissions mix full-width and half-width characters, extraction artefacts (``PM _{2.5}``, ``^[1]``) and
stray spaces; everything is folded here, once, so that the rest of the code compares clean strings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_FOOTNOTE = re.compile(r"\^\s*\[\s*\d+\s*\]|【\s*\d+\s*】|\[\s*注\s*\d*\s*\]")
# Every pattern here runs in time linear in the text (tests/test_values.py feeds them 1 MB): a run of spaces is
# taken whole (\s*+: "PM" and 1,000 spaces took 16 s when the three \s* could share them out in every way), and a
# run of backslashes is tried from its first one only.
_PM25 = re.compile(r"PM\s*+_?\s*+\{?\s*+2\s*+[.．]\s*+5\s*+\}?", re.IGNORECASE)
_PM10 = re.compile(r"PM\s*+_?\s*+\{?\s*+10\s*+\}?", re.IGNORECASE)
_LATEX = re.compile(r"\$|(?<!\\)\\++(?=%)")
_LATEX_OPS = {r"\geq": "≥", r"\leq": "≤", r"\ge": "≥", r"\le": "≤", r"\gt": ">", r"\lt": "<"}
_SPACE = re.compile(r"\s+")
# Signs NFKC leaves alone: the JIS forms of ≥ ≤ (≧ ≦, as Japanese-era input methods type them) and the minus
# sign U+2212 (what word processors and ecoplan's own gaps print) for the ASCII hyphen-minus.
_SIGNS = str.maketrans({"≧": "≥", "≦": "≤", "\u2212": "-"})


def _settled(step: Callable[[str], str], text: str) -> str:
    """Apply `step` until the text stops changing, so that the function built on it is idempotent.

    One pass is not always enough: removing a space or a marker can bring together what the next pass folds
    (``\\ %`` → ``\\%`` → ``%``; combining marks that NFKC reorders). Two passes settle every real text.
    """
    for _ in range(8):
        folded = step(text)
        if folded == text:
            break
        text = folded
    return text


def _fold_once(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for latex, op in _LATEX_OPS.items():
        text = text.replace(latex, op)
    text = _LATEX.sub("", text)
    text = _PM25.sub("PM2.5", text)
    text = _PM10.sub("PM10", text)
    return unicodedata.normalize("NFKC", text).translate(_SIGNS).strip()


def fold(text: str) -> str:
    """Fold width and compatibility forms (NFKC), LaTeX operators and PM2.5 spellings; trim.

    NFKC turns full-width digits, letters, ％ and ＜ into ASCII and Roman numerals like Ⅱ into ``II``. It runs
    first, so that full-width ``＼ge`` or ``＄`` are folded like their ASCII forms. Folding twice gives what
    folding once did.
    """
    if _folds_to_itself(text):
        return text.strip()  # what the steps below give such a text, without running them (most cells)
    once = _fold_once(text)
    return once if _folds_to_itself(once) else _settled(_fold_once, once)  # one pass settles nearly every text


def _folds_to_itself(text: str) -> bool:
    """Whether `_fold_once` would only strip `text`: it is in NFKC form and holds nothing else that folds."""
    return unicodedata.is_normalized("NFKC", text) and not _NEEDS_FOLD.search(text)


# What `_fold_once` changes besides NFKC: LaTeX (backslash, dollar), PM spellings and the signs above.
_NEEDS_FOLD = re.compile(r"[\\$≧≦\u2212]|pm", re.IGNORECASE)


def strip_footnotes(text: str) -> str:
    """Remove footnote markers (``^[2]``, ``【1】``) and trailing ``*`` (also those that removing one forms)."""
    if not any(mark in text for mark in "^【[*"):
        return text.strip()  # no marker to remove: what the steps below give, without running them
    return _settled(_strip_once, text)


def _strip_once(text: str) -> str:
    return _FOOTNOTE.sub("", text).strip().rstrip("*").strip()


def _key_once(name: str) -> str:
    text = _strip_once(_fold_once(name))  # one pass each: _settled repeats the whole key
    text = _SPACE.sub("", text)
    text = text.replace("（", "(").replace("）", ")").replace("“", "").replace("”", "").replace('"', "")
    text = text.replace("*", "")
    # Tables number their rows inside the name cell (1．森林增长, (2)…) and say 其中: before a sub-item.
    text = _LEADING.sub("", text)
    return text.lower()


_LEADING = re.compile(r"^(?:其中[:：]?|\d{1,2}[.、)]|\(\d{1,2}\)|[一二三四五六七八九十]{1,2}[、.])+(?=\D)")


@lru_cache(maxsize=8192)  # the same names and words are keyed again and again (pack, rows, batch)
def name_key(name: str) -> str:
    """The key two spellings of one indicator name share: folded, no spaces, no markers, one kind of bracket."""
    return _settled(_key_once, name)


@lru_cache(maxsize=1024)  # small: beside the recurring words it mostly sees one-off value texts (see district.py)
def compact(text: str) -> str:
    """Folded text without any white space (for matching words such as 不涉及 or 建立)."""
    squeezed = _SPACE.sub("", text)
    if _folds_to_itself(squeezed):
        return squeezed  # folding would not change it (see fold)
    once = _compact_once(text)
    return once if _folds_to_itself(once) else _settled(_compact_once, once)


def _compact_once(text: str) -> str:
    return _SPACE.sub("", _fold_once(text))


# Digits as no one writes a number — circled (⑦①), parenthesised or with a full stop (⑴ ⒎), super- and subscript
# (⁷¹, ₇; ² ³ ¹ after a letter are units: m², μg/m³), fractions (½), other scripts' digits (٧١.١, ७१.१: any
# decimal digit but ASCII and full-width) — and digits split by a space (7 1.1). NFKC makes most of them plain
# digits ("⑦①" → 71), and `float` reads the others; a value parser refuses them instead, as it refuses "71,1".
_ODD_DIGIT = re.compile("(?![0-9\uff10-\uff19])\\d|(?<![A-Za-z\u00b5\u03bc])[\u00b2\u00b3\u00b9]"
                        "|[\u00bc-\u00be\u2070\u2074-\u2079\u2080-\u2089\u2150-\u215f\u2189\u2460-\u249b\u24ea"
                        "\u3251-\u325f\u32b1-\u32bf\U0001f100-\U0001f10a]")
_SPLIT_DIGITS = re.compile("[0-9\uff10-\uff19]\\s+[0-9\uff10-\uff19]")


def odd_digits(text: str) -> bool:
    """Whether `text` writes digits as no one writes a number (see _ODD_DIGIT): it is then read as no number."""
    return bool(_ODD_DIGIT.search(text) or _SPLIT_DIGITS.search(text))


def has_han(text: str) -> bool:
    """Whether `text` holds a Chinese character (CJK Unified Ideographs, U+4E00–U+9FFF).

    Not a regex: `re` compiles a character range this wide into a 21,000-entry table, ~2.7 ms per pattern at
    start-up, more than the checks ever cost."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# The one table of unit spellings: each unit as the packs write it, then the other ways people type it, as
# they read once folded (NFKC makes ㎡ "m2", m² "m2", µ "μ", ％ "%"; case is ignored). A unit made of parts is
# compared part by part around "/": ㎡/人 is 平方米/人, μg/m³ is 微克/立方米. Only the spelling varies here: 万吨
# and 吨 are different units (a value in one for an indicator in the other is a unit-mismatch problem).
UNIT_SPELLINGS: dict[str, tuple[str, ...]] = {
    "%": ("百分比",), "‰": ("千分比",), "天": ("天数", "d"),
    "吨": ("t",), "万吨": ("万t",), "千克": ("kg", "公斤"), "克": ("g",), "微克": ("μg", "ug", "mcg"), "毫克": ("mg",),
    "米": ("m",), "公里": ("km", "千米"),
    "平方米": ("m2", "平米"), "万平方米": ("万m2", "万平米"), "平方公里": ("km2", "平方千米"), "公顷": ("ha", "hm2"),
    "亩": (), "万亩": (),
    "立方米": ("m3", "方"), "万立方米": ("万m3", "万方"), "亿立方米": ("亿m3", "亿方"), "升": ("l",),
}
_UNIT_OF_SPELLING = {spelling: unit for unit, spellings in UNIT_SPELLINGS.items() for spelling in (unit, *spellings)}
_NO_UNIT = ("-", "—", "/", "无", "none")


@lru_cache(maxsize=1024)
def unit_key(unit: str | None) -> str:
    """A unit as `UNIT_SPELLINGS` names it, so that its spellings compare equal (㎡/人, m²/人 and 平方米/人;
    μg/m³, ug/m3 and 微克/立方米); '' for none ('-', '—'). A unit the table does not know is kept, folded."""
    if unit is None:
        return ""
    text = compact(unit).lower()
    if text in _NO_UNIT:
        return ""
    return "/".join(_UNIT_OF_SPELLING.get(part, part) for part in text.split("/"))


def known_unit(unit: str) -> bool:
    """Whether a unit written with Latin letters is one of `UNIT_SPELLINGS` (71.1abc is no number with a unit)."""
    return not re.search("[a-z]", unit_key(unit))
