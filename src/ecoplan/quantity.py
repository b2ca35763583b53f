"""Numbers as the documents write them: ``87.9%``, ``１２,６６６``, ``321 天``, ``≥25``, ``[19.4]``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Op = Literal[">=", "<=", ">", "<", "=="]

# ASCII digits only: `\d` also takes other scripts' digits ("٧١.١", "७१.१"), which no one here types as a number
# (full-width digits, which Chinese input methods type, are folded to ASCII before any parser sees them).
NUMBER = r"(?:[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[-+]?\.[0-9]+)"
_NUMBER_RE = re.compile(rf"^\s*({NUMBER})\s*$")

_UNIT_WORD = (r"(?:[A-Za-zμµ]+[23²³]?"
              r"|[天日年月时分秒钟个座处家项条所户人次起辆台株棵枚件套吨千公斤克毫微万亿百平方立米顷亩里元升度瓦标煤准点])+")
UNIT = rf"(?:%|‰|‱|{_UNIT_WORD}(?:/{_UNIT_WORD})*)"
"""A unit as a target writes it after its number (%, 天, 平方公里, 起/万枚, μg/m3): made only of measure words, so
that words after a number which are no unit (或持续提高, 且…) are never taken for one."""

_OP_WORDS: dict[str, Op] = {
    "≥": ">=", ">=": ">=", "⩾": ">=", "≧": ">=",
    "≤": "<=", "<=": "<=", "⩽": "<=", "≦": "<=",
    ">": ">", "<": "<", "=": "==", "==": "==",
}
OP_SYMBOL: dict[str, str] = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}


def parse_op(symbol: str) -> Op | None:
    """The comparison an operator symbol stands for, or None."""
    return _OP_WORDS.get(symbol.strip())


def to_float(text: str) -> float | None:
    """A plain number (thousands separators allowed), or None. NaN and infinity are not numbers here."""
    m = _NUMBER_RE.match(text)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    return value if math.isfinite(value) else None


def compare(value: float, op: Op, bound: float) -> bool:
    """``value op bound``; ≥ and ≤ include equality, as every boundary case in the documents is 达标."""
    if op == ">=":
        return value >= bound or math.isclose(value, bound, rel_tol=0, abs_tol=1e-9)
    if op == "<=":
        return value <= bound or math.isclose(value, bound, rel_tol=0, abs_tol=1e-9)
    if op == ">":
        return value > bound and not math.isclose(value, bound, rel_tol=0, abs_tol=1e-9)
    if op == "<":
        return value < bound and not math.isclose(value, bound, rel_tol=0, abs_tol=1e-9)
    return math.isclose(value, bound, rel_tol=0, abs_tol=1e-9)


def bound_implies(bound_op: Op, bound: float, op: Op, target: float) -> bool:
    """Whether every value allowed by ``x bound_op bound`` satisfies ``x op target`` (a reported "≥25" vs "≥20")."""
    if bound_op in (">=", ">") and op in (">=", ">"):
        if bound > target:
            return True
        if math.isclose(bound, target, abs_tol=1e-9):
            return op == ">=" or bound_op == ">"
        return False
    if bound_op in ("<=", "<") and op in ("<=", "<"):
        if bound < target:
            return True
        if math.isclose(bound, target, abs_tol=1e-9):
            return op == "<=" or bound_op == "<"
        return False
    if bound_op == "==":
        return compare(bound, op, target)
    return False


@dataclass(frozen=True)
class Interval:
    """What a bound such as ``≥25`` or ``>-1`` says about a value."""

    op: Op
    bound: float

    def __str__(self) -> str:
        return f"{OP_SYMBOL[self.op]}{format_number(self.bound)}"


def format_number(value: float) -> str:
    """A number as a person writes it: no trailing zeros, no exponent for ordinary magnitudes."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"
