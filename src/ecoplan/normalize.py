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
_PM25 = re.compile(r"PM\s*_?\s*\{?\s*2\s*[.．]\s*5\s*\}?", re.IGNORECASE)
_PM10 = re.compile(r"PM\s*_?\s*\{?\s*10\s*\}?", re.IGNORECASE)
_LATEX = re.compile(r"\$|\\+(?=[%])")
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


def has_han(text: str) -> bool:
    """Whether `text` holds a Chinese character (CJK Unified Ideographs, U+4E00–U+9FFF).

    Not a regex: `re` compiles a character range this wide into a 21,000-entry table, ~2.7 ms per pattern at
    start-up, more than the checks ever cost."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


_UNIT_ALIASES = {"ug/m3": "μg/m3", "μg/m³": "μg/m3", "微克/立方米": "μg/m3", "µg/m3": "μg/m3", "mg/m³": "mg/m3",
                 "毫克/立方米": "mg/m3", "百分比": "%", "％": "%", "吨": "t", "天数": "天", "m2/人": "平方米/人",
                 "㎡/人": "平方米/人", "平方公里": "km2", "km²": "km2"}


@lru_cache(maxsize=1024)
def unit_key(unit: str | None) -> str:
    """A unit folded so that μg/m³, ug/m3 and 微克/立方米 compare equal; '-' and '—' mean no unit."""
    if unit is None:
        return ""
    text = compact(unit).lower().replace("³", "3").replace("²", "2")
    if text in ("-", "—", "/", "无", "none"):
        return ""
    return _UNIT_ALIASES.get(text, text)
