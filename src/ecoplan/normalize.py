"""Text normalisation shared by the value parser, the rule loader and name matching.

Submissions mix full-width and half-width characters, extraction artefacts (``PM _{2.5}``, ``^[1]``) and
stray spaces; everything is folded here, once, so that the rest of the code compares clean strings.
"""

from __future__ import annotations

import re
import unicodedata

_FOOTNOTE = re.compile(r"\^\s*\[\s*\d+\s*\]|【\s*\d+\s*】|\[\s*注\s*\d*\s*\]")
_PM25 = re.compile(r"PM\s*_?\s*\{?\s*2\s*[.．]\s*5\s*\}?", re.IGNORECASE)
_PM10 = re.compile(r"PM\s*_?\s*\{?\s*10\s*\}?", re.IGNORECASE)
_LATEX = re.compile(r"\$|\\(?=[%])")
_LATEX_OPS = {r"\geq": "≥", r"\leq": "≤", r"\ge": "≥", r"\le": "≤", r"\gt": ">", r"\lt": "<"}
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold width and compatibility forms (NFKC), LaTeX operators and PM2.5 spellings; trim.

    NFKC turns full-width digits, letters, ％ and ＜ into ASCII and Roman numerals like Ⅱ into ``II``.
    """
    for latex, op in _LATEX_OPS.items():
        text = text.replace(latex, op)
    text = _LATEX.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _PM25.sub("PM2.5", text)
    text = _PM10.sub("PM10", text)
    return text.strip()


def strip_footnotes(text: str) -> str:
    """Remove footnote markers (``^[2]``, ``【1】``) and trailing ``*``."""
    text = _FOOTNOTE.sub("", text)
    return text.strip().rstrip("*").strip()


def name_key(name: str) -> str:
    """The key two spellings of one indicator name share: folded, no spaces, no markers, one kind of bracket."""
    text = strip_footnotes(fold(name))
    text = _SPACE.sub("", text)
    text = text.replace("（", "(").replace("）", ")").replace("“", "").replace("”", "").replace('"', "")
    text = text.replace("*", "")
    return text.lower()


def compact(text: str) -> str:
    """Folded text without any white space (for matching words such as 不涉及 or 建立)."""
    return _SPACE.sub("", fold(text))
