"""Small text helpers shared by the renderers: values, gaps and statuses as people read them."""

from __future__ import annotations

from ecoplan.quantity import format_number
from ecoplan.render.cells import csv_text as safe_cell
from ecoplan.render.labels import STATUS_GLYPH, STATUS_STYLE, attribute_text, status_text
from ecoplan.report.assessment import Result


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


__all__ = ["STATUS_GLYPH", "STATUS_STYLE", "attribute_text", "gap_text", "safe_cell", "shown_value", "status_text",
           "value_text"]
