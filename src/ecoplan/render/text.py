"""Small text helpers shared by the renderers: values, gaps, counts and target years as people read them (the words,
glyphs and colours of a status are render/labels.py's)."""

from __future__ import annotations

from ecoplan.quantity import format_number
from ecoplan.render.labels import status_text
from ecoplan.report.assessment import Assessment, Result, Summary


def value_text(result: Result) -> str:
    if result.value is None:
        return ""
    if isinstance(result.value, float):
        return format_number(result.value)
    return str(result.value)


def shown_value(result: Result) -> str:
    """The value for people: the brief form of long task-and-actual cells (machine formats keep `value_text`)."""
    return result.brief or value_text(result)


def gap_text(result: Result, *, spaced: bool = True) -> str:
    """The gap with its unit and a sign: "−3.7 个百分点" short of the target, "+2 个百分点" beyond it (the gap
    between two percentages is in percentage points); in the failing clause's own unit where that is not the
    indicator's ("−27 天" against a task in days for a rate in %). Not `spaced`: "−3.7个百分点", for a sentence."""
    if result.gap is None:
        return ""
    unit = gap_unit_text(result)
    sign = "+" if result.gap > 0 else ("−" if result.gap < 0 else "")
    return f"{sign}{format_number(abs(result.gap))}{(' ' if spaced else '') + unit if unit else ''}"


POINTS = {"%": "个百分点", "％": "个百分点", "‰": "个千分点"}
"""A difference of two percentages is in percentage points (a difference of two per-mille figures likewise)."""


def gap_unit_text(result: Result) -> str:
    """The unit a gap is read in: the failing clause's or the indicator's, "个百分点" for percentages; "" for none."""
    unit = result.gap_unit or result.unit
    if not unit or unit in ("-", "—"):
        return ""
    return POINTS.get(unit, unit)


def target_years(assessment: Assessment) -> list[int]:
    """The plan's later target years (2025, 2030) the assessment carries progress toward: the year columns the
    xlsx and Word tables add."""
    return sorted({int(e["target_year"]) for _, r in assessment.rows() for e in (r.progress or [])})


def counts_sentence(summary: Summary) -> str:
    """The verdict counts as the plans write them: "32 项指标中，已达标 29 项（含不涉及 1 项），未达标 3 项（其中约束性
    3 项）", then 不涉及 (when not counted as met), 缺数据 and 待核实 when there are any."""
    s = summary
    included = s.not_applicable if s.not_applicable_counts_as_met else 0
    text = f"{s.total} 项{s.noun}中，已达标 {s.met} 项" + (f"（含不涉及 {included} 项）" if included else "")
    constraint = s.not_met and s.noun == "指标"  # only a table prints 指标属性
    text += f"，未达标 {s.not_met} 项" + (f"（其中约束性 {s.constraint_not_met} 项）" if constraint else "")
    others = ((status_text("not_applicable"), s.not_applicable - included), (status_text("missing"), s.missing),
              (status_text("review"), s.review))
    return text + "".join(f"，{label} {count} 项" for label, count in others if count)


__all__ = ["POINTS", "counts_sentence", "gap_text", "gap_unit_text", "shown_value", "target_years", "value_text"]
