"""Small text helpers shared by the renderers: values, gaps and statuses as people read them."""

from __future__ import annotations

import re
from typing import Any

from ecoplan.quantity import format_number
from ecoplan.report.assessment import ATTRIBUTE_LABELS, STATUS_LABELS, Result

STATUS_STYLE = {"met": "green", "not_met": "bold red", "not_applicable": "dim", "missing": "yellow",
                "review": "magenta"}
STATUS_GLYPH = {"met": "✓", "not_met": "✗", "not_applicable": "–", "missing": "?", "review": "!"}


def value_text(result: Result) -> str:
    if result.value is None:
        return ""
    if isinstance(result.value, float):
        return format_number(result.value)
    return str(result.value)


def shown_value(result: Result) -> str:
    """The value for people: the brief form of long task-and-actual cells (machine formats keep `value_text`)."""
    return result.brief or value_text(result)


def gap_text(result: Result) -> str:
    """The gap with its unit and a sign: "−3.7 %" short of the target, "+2 %" beyond it."""
    if result.gap is None:
        return ""
    unit = result.unit if result.unit and result.unit not in ("-", "—") else ""
    sign = "+" if result.gap > 0 else ("−" if result.gap < 0 else "")
    return f"{sign}{format_number(abs(result.gap))}{(' ' + unit) if unit else ''}"


def status_text(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def attribute_text(attribute: str | None) -> str:
    return ATTRIBUTE_LABELS.get(attribute or "", attribute or "")


_PLAIN = re.compile(r"^[-+]?\d+(?:\.\d+)?$|^[-—]$")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula (= + - @ tab CR) is prefixed with ' so it stays text.

    A plain number such as a negative gap ("-3.7") or the no-unit dash ("-") runs nothing and is left alone,
    so that spreadsheets still read it as a number.
    """
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN.match(value):
        return "'" + value
    return value
