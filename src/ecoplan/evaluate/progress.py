"""Progress toward plan targets in later years (2025, 2030): pure functions, no I/O.

For one indicator and one target year the question is the planner's: at the pace the district is going, will it
get there? The method (docs/progress.md) is a straight line, in the indicator's own unit:

- baseline: the pack's ``defaults.baseline_year`` if the series has it, else the earliest year on record;
- latest: the latest year on record up to the assessed year;
- observed rate ``(latest − baseline) / years``; required rate from the baseline ``(target − baseline) / years``;
  rate still required ``(target − latest) / years left``; ratio = observed / required-from-baseline;
- expected now: the value on the line from (baseline year, baseline) to (target year, target) in the assessed year;
- projected: the latest value carried on at the observed rate to the target year.

Status: ``achieved`` when the target's own criterion is met now (decided by the caller with the evaluator, so a
target such as "完成上级规定的考核任务，且≥90或持续提高" is judged exactly as the rule pack says); otherwise, for a
numeric target, ``reverse`` (moving away), ``accelerate`` (0 to 95 % of the required rate), ``on_track`` (≥ 95 %);
``insufficient_data`` with fewer than two years or a target that is not a number.

Linear annual change, not a compound rate (Open SDG, the UN Progress Chart): the plans state their targets as
levels and percentage-point shares, a base of 0 or a change of sign needs no patching, and a share near 100 % has
no runaway growth rate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ecoplan.quantity import Op, compare
from ecoplan.rules.criteria import AllOf, AnyOf, Approximate, ByProfile, Criterion, Cumulative, Threshold
from ecoplan.rules.criteria.context import Context, Decision
from ecoplan.rules.pack import Indicator, Pack
from ecoplan.workbook.values import Reported

ProgressStatus = Literal["achieved", "on_track", "accelerate", "reverse", "insufficient_data"]

ON_TRACK_RATIO = 0.95
"""Observed rate as a share of the required rate at and above which an indicator is on track (Open SDG's 0.95)."""

PROGRESS_LABELS: dict[str, str] = {"achieved": "已达成", "on_track": "按进度", "accelerate": "需加快",
                                   "reverse": "需扭转", "insufficient_data": "数据不足"}
PROGRESS_ARROWS: dict[str, str] = {"achieved": "✓", "on_track": "↑", "accelerate": "↗", "reverse": "↓",
                                   "insufficient_data": "·"}
PROGRESS_ORDER: list[str] = ["achieved", "on_track", "accelerate", "reverse", "insufficient_data"]

_EPS = 1e-9


class DuplicateYearError(ValueError):
    """A series gives the same year twice: which value is meant cannot be guessed (Open SDG fails too)."""


@dataclass(frozen=True)
class NumericTarget:
    """The number a target criterion names, the comparison, and the measure it reads (if a named one)."""

    value: float
    op: Op
    measure: str | None = None


@dataclass(frozen=True, eq=False)
class Progress(Mapping[str, Any]):
    """One indicator against one target year. Rates are in the indicator's unit per year.

    It stays typed up to the report; read as a mapping it shows its JSON fields (rounded, with the label), so
    a renderer reads ``entry["status"]`` and ``dict(entry)`` is its JSON."""

    target_year: int
    target: str
    status: ProgressStatus
    reason: str
    target_value: float | None = None
    baseline_year: int | None = None
    baseline: float | None = None
    latest_year: int | None = None
    latest: float | None = None
    expected_now: float | None = None
    projected: float | None = None
    current_rate: float | None = None
    required_rate_from_base: float | None = None
    required_rate_from_now: float | None = None
    ratio: float | None = None
    series: tuple[tuple[int, float], ...] = field(default=())

    def __getitem__(self, key: str) -> Any:
        return self.as_dict()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_dict())

    def __len__(self) -> int:
        return len(self.as_dict())

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape — DESIGN.md's fields, then the extras that explain them (label, latest, projected) —
        with the numbers rounded for output. The one definition of the mapping (a literal: a batch's JSON lines
        make one for every target of every district)."""
        r = _r
        return {"target_year": self.target_year, "target": self.target, "target_value": r(self.target_value),
                "baseline_year": self.baseline_year, "baseline": r(self.baseline), "expected_now": r(self.expected_now),
                "status": self.status, "current_rate": r(self.current_rate),
                "required_rate_from_base": r(self.required_rate_from_base),
                "required_rate_from_now": r(self.required_rate_from_now), "ratio": r(self.ratio),
                "label": PROGRESS_LABELS[self.status], "latest_year": self.latest_year, "latest": r(self.latest),
                "projected": r(self.projected), "reason": self.reason}


def _r(value: float | None) -> float | None:
    """Rounded for output (6 decimals), so 0.1 + 0.2 prints as 0.3; -0.0 becomes 0."""
    if value is None:
        return None
    out = round(value, 6)
    return 0.0 if out == 0 else out


# -- the series ------------------------------------------------------------------------------------------------
def clean_series(points: Iterable[tuple[int, float]]) -> list[tuple[int, float]]:
    """The points sorted by year; a year given twice raises DuplicateYearError naming the year and both values."""
    seen: dict[int, float] = {}
    for year, value in points:
        if year in seen:
            raise DuplicateYearError(f"{year} 年的数值给出了两次（{seen[year]:g} 和 {value:g}）；请只保留一个")
        if not math.isfinite(value):
            continue
        seen[year] = value
    return sorted(seen.items())


def numeric_series(ctx: Context, history: Mapping[int, Reported], measure: str | None, *,
                   up_to: int) -> list[tuple[int, float]]:
    """The numbers a history stands for, by year up to `up_to`, in the indicator's unit (`Context.number_of`: 328 天
    of 优良天数比率 is 89.62 %); words, bounds, markers without a number and figures in unrelated units are left out."""
    points = [(year, ctx.number_of(reported, measure, year)) for year, reported in history.items() if year <= up_to]
    return clean_series((y, v) for y, v in points if v is not None)


def choose_baseline(series: Sequence[tuple[int, float]], baseline_year: int | None) -> tuple[int, float] | None:
    """The pack's baseline year if the series has it, else the earliest year on record (None for no points)."""
    if not series:
        return None
    if baseline_year is not None:
        for year, value in series:
            if year == baseline_year:
                return year, value
    return series[0]


# -- the target ------------------------------------------------------------------------------------------------
def numeric_target(criterion: Criterion | None, profile: Mapping[str, str] | None = None) -> NumericTarget | None:
    """The one number a target criterion aims at, or None when it names none or several.

    ``≥96`` → 96; ``完成上级规定的考核任务，且≥35`` → 35 (the task has no number in the pack); ``≥90或持续提高`` → 90;
    a profile-dependent threshold → the case that applies; 建立 / Ⅲ类 / 持续提高 / two measures → None.
    """
    match list(_numbers(criterion, profile or {})):
        case [found]:
            return found
        case _:
            return None


def _numbers(criterion: Criterion | None, profile: Mapping[str, str]) -> Iterable[NumericTarget]:
    if isinstance(criterion, Threshold):
        yield NumericTarget(criterion.value, criterion.op, criterion.measure)
    elif isinstance(criterion, Approximate):
        yield NumericTarget(criterion.target, "==")
    elif isinstance(criterion, Cumulative):
        yield NumericTarget(criterion.total, criterion.op)
    elif isinstance(criterion, ByProfile):
        yield from _numbers(criterion.choose(profile), profile)
    elif isinstance(criterion, (AllOf, AnyOf)):
        for part in criterion.of:
            yield from _numbers(part, profile)


def reached_upward(target: NumericTarget, direction: str | None, now: float) -> bool:
    """Whether the target is reached by going up (≥ / ≤, else the indicator's direction, else where the target lies
    from the latest value `now`: an = target overshot is reached by coming back)."""
    if target.op in (">=", ">", "<=", "<"):
        return target.op in (">=", ">")
    if direction in ("higher", "lower"):
        return direction == "higher"
    return target.value >= now


# -- the calculation -------------------------------------------------------------------------------------------
def linear_progress(series: Sequence[tuple[int, float]], target: NumericTarget, *, year: int, target_year: int,
                    baseline_year: int | None = None, direction: str | None = None, unit: str | None = None,
                    achieved: bool = False, target_text: str = "", note: str = "",
                    achieved_reason: str | None = None) -> Progress:
    """Progress of a numeric series toward `target` by `target_year`, assessed in `year`.

    `series` is (year, value) pairs (see `clean_series`); points after `year` are ignored. `achieved` is the
    verdict of the target's own criterion on the assessed year (it short-circuits the status, as in Open SDG).
    `note` is prefixed to the reason (say why the criterion is not achieved when its number is);
    `achieved_reason` replaces the reason when the status is achieved (the criterion's own words).
    """
    text = target_text or f"{target.op.replace('>=', '≥').replace('<=', '≤').replace('==', '=')}{target.value:g}"
    points = [(y, v) for y, v in clean_series(series) if y <= year]
    base = choose_baseline(points, baseline_year)
    common: dict[str, Any] = {"target_year": target_year, "target": text, "target_value": target.value,
                              "series": tuple(points)}
    if base is None:
        status: ProgressStatus = "achieved" if achieved else "insufficient_data"
        reason = (achieved_reason or note + "已达到目标") if achieved else note + f"{year}年及以前无数值"
        return Progress(status=status, reason=reason, **common)
    t0, v0 = base
    t1, v1 = points[-1]
    upward = reached_upward(target, direction, v1)
    common.update(baseline_year=t0, baseline=v0, latest_year=t1, latest=v1)
    required_base = (target.value - v0) / (target_year - t0)
    expected_now = v0 + required_base * (year - t0)
    required_now = (target.value - v1) / (target_year - t1)
    base_note = "" if baseline_year is None or t0 == baseline_year else f"（无{baseline_year}年数据，以{t0}年为基期）"
    if t1 <= t0:
        # One point (or the baseline is the latest year): no rate can be observed.
        if achieved:
            return Progress(status="achieved", reason=achieved_reason or note + f"{t1}年 {v1:g} 已达到目标{text}",
                            expected_now=expected_now, required_rate_from_base=required_base,
                            required_rate_from_now=required_now, **common)
        return Progress(status="insufficient_data", reason=note + f"只有{t1}年一个数值，无法计算年均变化{base_note}",
                        expected_now=expected_now, required_rate_from_base=required_base,
                        required_rate_from_now=required_now, **common)
    rate = (v1 - v0) / (t1 - t0)
    projected = v1 + rate * (target_year - t1)
    if unit == "%" and 0 <= v1 <= 100:
        projected = min(100.0, max(0.0, projected))  # a share cannot be projected past 0 or 100 %
    needed = required_base if upward else -required_base  # > 0: the baseline is short of the target
    moving = rate if upward else -rate                     # > 0: moving toward the target
    # The ratio compares like with like only when the baseline was short of the target; a baseline already
    # beyond it (the 2025 target below the 2022 value) makes the required rate point backwards.
    ratio = rate / required_base if needed > _EPS else None
    numbers = {"expected_now": expected_now, "projected": projected, "current_rate": rate,
               "required_rate_from_base": required_base, "required_rate_from_now": required_now, "ratio": ratio}
    pace = f"年均变化 {_fmt(rate)}，自{t0}年需 {_fmt(required_base)}/年，今后需 {_fmt(required_now)}/年"
    if achieved:
        status, words = "achieved", f"{t1}年 {v1:g} 已达到目标{text}"
    elif moving < -_EPS:
        status, words = "reverse", f"{t0}—{t1}年背离目标（{pace}）"
    elif needed <= _EPS:
        # The baseline already met the target and the value has not moved away: only the criterion's other
        # parts (a superior task, a trend) fall short, which a rate cannot measure.
        status, words = "accelerate", f"数值已在目标一侧，但目标条件未满足（{pace}）"
    elif moving >= ON_TRACK_RATIO * needed - _EPS:
        status, words = "on_track", f"按进度（{pace}，完成所需速度的 {moving / needed:.0%}）"
    else:
        status, words = "accelerate", f"需加快（{pace}，仅为所需速度的 {max(moving, 0) / needed:.0%}）"
    reason = achieved_reason if status == "achieved" and achieved_reason else note + words + base_note
    return Progress(status=status, reason=reason, **numbers, **common)  # type: ignore[arg-type]


def criterion_progress(decision: Decision, *, target_year: int, target_text: str,
                       series: Sequence[tuple[int, float]] = (), na_counts_as_met: bool = True) -> Progress:
    """Progress toward a target that names no single number (建立, Ⅲ类, 持续提高, two measures): from the
    criterion alone — achieved if it holds now, else insufficient data (a rate toward a word means nothing)."""
    points = tuple(series)
    if decision.status == "met":
        return Progress(target_year, target_text, "achieved", f"当前已满足：{decision.reason}", series=points)
    if decision.status == "not_applicable" and na_counts_as_met:
        return Progress(target_year, target_text, "achieved", f"{decision.reason}（不涉及，按指标体系约定计为达成）",
                        series=points)
    return Progress(target_year, target_text, "insufficient_data",
                    f"目标不是单一数值，无法计算进度；当前{_STATUS_WORDS.get(decision.status, decision.status)}："
                    f"{decision.reason}", series=points)


_STATUS_WORDS = {"not_met": "未达到", "missing": "缺数据", "review": "待核实", "not_applicable": "不涉及"}


def _fmt(value: float) -> str:
    text = f"{value:+.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0") else text


# -- one indicator ---------------------------------------------------------------------------------------------
def target_criteria(indicator: Indicator, pack: Pack, year: int) -> list[tuple[int, str, Criterion]]:
    """(target year, text, criterion) for the targets after `year`: the indicator's own `targets`, or — in a plan
    pack whose criteria are the end-of-plan targets and that gives no `targets` anywhere — the criterion itself
    for each of the pack's `target_years`."""
    if indicator.targets:
        return [(ty, t.text or t.criterion.describe(), t.criterion)
                for ty, t in sorted(indicator.targets.items()) if ty > year]
    # Asked for every leaf: walking the pack again costs ≤ 0.3 ms an assessment (chongqing-14th-fyp, 46 leaves).
    if pack.target_years and indicator.criterion is not None and not any(leaf.targets for _, leaf in pack.leaves()):
        return [(ty, indicator.criterion_text(), indicator.criterion) for ty in sorted(pack.target_years) if ty > year]
    return []


def indicator_progress(indicator: Indicator, pack: Pack, ctx: Context, targets: list[tuple[int, str, Criterion]],
                       decide_target: Callable[[Criterion], Decision]) -> list[Progress]:
    """Progress toward each of `targets` (`target_criteria` of the leaf in the context's year).

    `ctx` is the leaf in the assessed year: its history, and how numbers are read out of reported values
    (measures, aggregates); `decide_target(criterion)` is the evaluator's verdict of a target criterion on the
    assessed year. A history that gives a year twice cannot reach here (the workbook loader rejects it), so
    DuplicateYearError does not escape.
    """
    history, year = ctx.history, ctx.year
    out: list[Progress] = []
    series_of: dict[str | None, list[tuple[int, float]]] = {}  # by measure: the targets of a leaf share a series
    for target_year, text, criterion in targets:
        decision = decide_target(criterion)
        number = numeric_target(criterion, ctx.profile)
        measure = number.measure if number else None
        if measure not in series_of:
            series_of[measure] = numeric_series(ctx, history, measure, up_to=year)
        series = series_of[measure]
        if number is None:
            out.append(criterion_progress(decision, target_year=target_year, target_text=text, series=series,
                                          na_counts_as_met=pack.defaults.not_applicable_counts_as_met))
            continue
        if decision.status == "not_applicable":
            out.append(criterion_progress(decision, target_year=target_year, target_text=text, series=series,
                                          na_counts_as_met=pack.defaults.not_applicable_counts_as_met))
            continue
        note = ""
        if decision.status in ("not_met", "review") and series and _meets(series[-1][1], number):
            note = f"数值已达到，但{decision.reason}；"
        entry = linear_progress(series, number, year=year, target_year=target_year,
                                baseline_year=pack.defaults.baseline_year, direction=indicator.direction,
                                unit=indicator.unit, achieved=decision.status == "met", target_text=text, note=note,
                                achieved_reason=f"当前已满足：{decision.reason}")
        out.append(entry)
    return out


def _meets(value: float, target: NumericTarget) -> bool:
    return compare(value, target.op, target.value)


def summarize_progress(entries: Iterable[Mapping[str, Any]]) -> dict[int, dict[str, int]]:
    """Counts of progress statuses by target year (target year → status → count), statuses in display order."""
    counts: dict[int, dict[str, int]] = {}
    for entry in entries:
        row = counts.setdefault(int(entry["target_year"]), dict.fromkeys(PROGRESS_ORDER, 0))
        row[entry["status"]] = row.get(entry["status"], 0) + 1
    return dict(sorted(counts.items()))


__all__ = [
    "ON_TRACK_RATIO",
    "PROGRESS_ARROWS",
    "PROGRESS_LABELS",
    "PROGRESS_ORDER",
    "DuplicateYearError",
    "NumericTarget",
    "Progress",
    "choose_baseline",
    "clean_series",
    "criterion_progress",
    "indicator_progress",
    "linear_progress",
    "numeric_series",
    "numeric_target",
    "reached_upward",
    "summarize_progress",
    "target_criteria",
]
