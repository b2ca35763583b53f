"""Numbers as the documents write them: ``87.9%``, ``１２,６６６``, ``321 天``, ``≥25``, ``[19.4]``."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

from ecoplan.normalize import unit_key

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


# -- units -----------------------------------------------------------------------------------------------------
# The one unit rule: a value is compared, projected and drawn in its indicator's unit; a figure in another unit is
# converted only where the pack states how the two relate, else it is compared with nothing. Today the one stated
# relation is an indicator in % that is a share of the year's days (优良天数比率, `days_share`): N 天 is
# N / days in the year × 100 %.
_DAYS_AND_SHARE = frozenset({unit_key("天"), unit_key("%")})


def days_in_year(year: int) -> int:
    """366 in a leap year, else 365."""
    return 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365


def related_units(unit: str, to: str, *, days_share: bool) -> bool:
    """Whether a figure in `unit` can be read in `to`: the same unit, or days and % of an indicator that is a
    share of the year's days (`days_share`). `convert_unit` converts."""
    if unit == to or unit_key(unit) == unit_key(to):
        return True
    return days_share and {unit_key(unit), unit_key(to)} == _DAYS_AND_SHARE


def convert_unit(value: float, unit: str, to: str, *, days_share: bool, year: int) -> tuple[float, str] | None:
    """`value` in `unit` expressed in `to`, with the words that say how ("按全年366天折合"; "" for the same unit);
    None when the two units are not related (see `related_units`). `year`: whose days a day count is."""
    if unit_key(unit) == unit_key(to):
        return value, ""
    if not related_units(unit, to, days_share=days_share):
        return None
    days = days_in_year(year)
    if unit_key(unit) == unit_key("天"):
        return value / days * 100, f"按全年{days}天折合"
    return value * days / 100, f"按全年{days}天折合"
