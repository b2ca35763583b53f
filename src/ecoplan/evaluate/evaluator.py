"""The evaluator: a pack, a district's matched values and a year in; an `Assessment` out. Pure: no I/O."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ecoplan.evaluate.context import Context, Decision
from ecoplan.evaluate.provisional import decide_provisional, inferred_reason
from ecoplan.normalize import unit_key
from ecoplan.quantity import format_number
from ecoplan.report.assessment import Assessment, Result
from ecoplan.report.problems import Problem
from ecoplan.rules.criteria import Criterion
from ecoplan.rules.criteria.superior_task import task_unit_conflict
from ecoplan.rules.pack import Indicator, Pack
from ecoplan.vocabulary import WORST_FIRST, Status
from ecoplan.workbook.district import Profile, Row
from ecoplan.workbook.values import Bound, NotApplicable, Number, Reported

if TYPE_CHECKING:  # progress is imported only when an output shows it (see _progress)
    from ecoplan.evaluate.progress import Progress


def assess(pack: Pack, profile: Profile, values: Mapping[str, Mapping[int, Row]], year: int, *,
           progress: bool = True, doubtful: Mapping[str, str] | None = None) -> Assessment:
    """Evaluate every indicator of `pack` for `year` against the district's values (leaf id → year → row);
    with `progress`, also each leaf's progress toward its later-year targets. `doubtful`: leaf id → why its
    value cannot be used (an error at its cell): that leaf is 待核实 for that reason (without the progress that
    would rest on that value), the others are decided."""
    results = [_evaluate(top, pack, profile, values, year, progress, doubtful or {}) for top in pack.indicators]
    # the summary counts the table (the whole pack where the document has none); the report model keeps the parts
    return Assessment.build({"name": profile.name, "code": profile.code, "year": year},
                            {"id": pack.id, "title": pack.title}, year, results,
                            pack.defaults.not_applicable_counts_as_met, pack.source.table if pack.source else None)


def _evaluate(indicator: Indicator, pack: Pack, profile: Profile, values: Mapping[str, Mapping[int, Row]],
              year: int, progress: bool, doubtful: Mapping[str, str]) -> Result:
    if indicator.items:
        items = [_evaluate(item, pack, profile, values, year, progress, doubtful) for item in indicator.items]
        status, reason = _roll_up(items)
        failing = [i for i in items if i.status == status and status != "met"]
        return Result(id=indicator.id, name=indicator.label, attribute=indicator.attribute, status=status,
                      value=None, target=indicator.criterion_text() or "各分项均达标", gap=None, reason=reason,
                      unit=indicator.unit, domain=indicator.domain, task=indicator.task, seq=indicator.seq,
                      items=items, cell=failing[0].cell if failing else None, **_part(indicator))
    rows = values.get(indicator.id, {})
    history = leaf_history(indicator, rows)
    current = rows.get(year)
    # One context per leaf: its criterion and the criteria of its later-year targets all read the same one.
    ctx = context_for(indicator, pack, profile, history, year)
    doubt = doubtful.get(indicator.id)
    decision = Decision("review", doubt) if doubt is not None else decide(indicator, ctx)
    return Result(id=indicator.id, name=indicator.label, attribute=indicator.attribute, status=decision.status,
                  value=_shown_value(current.reported, indicator.unit) if current else None,
                  target=indicator.criterion_text(),
                  brief=current.reported.brief() if current else None,
                  gap=rounded_gap(decision, indicator.precision), gap_unit=decision.gap_unit, reason=decision.reason,
                  unit=indicator.unit, domain=indicator.domain,
                  task=indicator.task, seq=indicator.seq, cell=current.cell if current else None,
                  progress=_progress(indicator, pack, ctx) if progress and doubt is None else None,
                  **_part(indicator))


def _part(indicator: Indicator) -> dict[str, Any]:
    """The part of the plan a result belongs to, and the sentences that restate its target."""
    return {"part": indicator.part or "table",
            "support": [{"line": s.line, "text": s.text} for s in indicator.support]}


def _progress(indicator: Indicator, pack: Pack, ctx: Context) -> list[Progress] | None:
    """Progress toward the leaf's later-year targets (None when it has none); each target's own criterion
    decides whether it is already achieved, exactly as the indicator's criterion decides 达标."""
    # lazy: progress (~2 ms) only for outputs that show it; a table batch imports the rest before it forks
    from ecoplan.evaluate.progress import indicator_progress, target_criteria

    targets = target_criteria(indicator, pack, ctx.year)
    if not targets:  # most leaves
        return None
    return indicator_progress(indicator, pack, ctx, targets, lambda criterion: decide(indicator, ctx, criterion))


def context_for(indicator: Indicator, pack: Pack, profile: Profile, history: Mapping[int, Reported],
                year: int) -> Context:
    """What a criterion of `indicator` sees in `year`."""
    return Context(year=year, name=indicator.label, unit=indicator.unit, direction=indicator.direction or "none",
                   defaults=pack.defaults, history=history, profile=profile.criteria_fields,
                   aggregate=indicator.aggregate, plan_period=pack.plan_period, aliases=tuple(indicator.aliases),
                   printed=indicator.text, days_share=indicator.days_share)


def decide(indicator: Indicator, ctx: Context, criterion: Criterion | None = None) -> Decision:
    """Decide one leaf indicator (or one of its plan targets, via `criterion`) in the context's year."""
    current = ctx.current
    if current is None or (current.value is None and current.task is None and current.measures is None):
        return Decision("missing", f"无{ctx.year}年数据")
    if isinstance(current.value, NotApplicable):
        return Decision("not_applicable", f"填报“{current.value.text}”")
    if criterion is not None:  # a later-year plan target: the document's own figure
        return criterion.decide(ctx)
    chosen = indicator.criterion
    assert chosen is not None  # a leaf always has a criterion (checked when the pack is loaded)
    provisional = indicator.provisional
    decision = decide_provisional(chosen, ctx, provisional) if provisional else chosen.decide(ctx)
    return inferred_reason(decision, indicator.inferred) if indicator.inferred else decision


def unit_problems(pack: Pack, profile: Profile, values: Mapping[str, Mapping[int, Row]], year: int) -> list[Problem]:
    """A `unit-mismatch` error at each cell of `year` whose value and superior task are in units the pack does not
    relate (90.4 % against a task of 327 天); the indicator itself is 待核实 for the same reason."""
    problems = []
    for _, leaf in pack.leaves():
        row = values.get(leaf.id, {}).get(year)
        task = row.reported.task if row is not None else None
        if row is None or task is None or task.number is None or task.not_issued:
            continue
        ctx = context_for(leaf, pack, profile, leaf_history(leaf, values.get(leaf.id, {})), year)
        value = ctx.pick(row.reported)
        conflict = task_unit_conflict(ctx, value, task.number, task.unit) if isinstance(value, Number) else None
        if conflict is None:
            continue
        if not conflict.in_task:
            advice = f"请按指标单位（{leaf.unit}）填写指标值"
        elif task.unit is None and leaf.days_share:  # the pack converts days: the task only lacks its unit
            advice = "请写明上级任务的单位（如 327 天写作“327天”）"
        else:
            advice = f"请按指标单位（{leaf.unit}）填写上级任务，或在指标体系中规定两种单位的换算"
        # At the task's own cell when the task is what to correct (the 上级任务 column; a task written in the
        # value cell is at the value's cell).
        cell = (row.task_ref or row.cell) if conflict.in_task else row.cell
        problems.append(Problem("unit-mismatch", f"{leaf.label}：{conflict.text}；{advice}", cell, leaf.id, year))
    return problems


def _roll_up(items: list[Result]) -> tuple[Status, str]:
    """A composite is met when every applicable item is met; 不涉及 items are skipped."""
    statuses = {i.status for i in items}
    status = next(s for s in WORST_FIRST if s in statuses)
    if status == "not_applicable":
        return status, "各分项均不涉及"
    if status == "met":
        skipped = sum(1 for i in items if i.status == "not_applicable")
        return status, "各分项均达标" + (f"（{skipped} 项不涉及）" if skipped else "")
    names = "、".join(i.name for i in items if i.status == status)
    words = {"not_met": "未达标", "missing": "缺数据", "review": "待核实"}[status]
    return status, f"{names}{words}"


def leaf_history(indicator: Indicator, rows: Mapping[int, Row]) -> dict[int, Reported]:
    """A leaf's values by year: the pack's own record of earlier years, overridden by the workbook's rows."""
    if not indicator.history:  # most leaves
        return {year: row.reported for year, row in rows.items()}
    recorded = {year: Reported(raw=format_number(value), value=Number(value))
                for year, value in indicator.history.items()}
    return {**recorded, **{year: row.reported for year, row in rows.items()}}


def _shown_value(reported: Reported, unit: str | None) -> object:
    """The value for the reports: the number itself where it is in the indicator's unit (12.3㎡/人 for 平方米/人 is
    12.3), else the cell as written (325天 for a rate in %: the number alone would read as 325 %)."""
    value = reported.value
    if isinstance(value, Number) and reported.task is None and reported.measures is None and value.since is None \
            and value.year is None and not value.cumulative and not reported.footnotes \
            and unit_key(value.unit) in ("", unit_key(unit)):
        return value.value
    return reported.raw


def rounded_gap(decision: Decision, precision: int | None = None) -> float | None:
    """The gap as a report prints it: to the indicator's stated precision, else to the most decimals among the
    figures the reason compares ("37.69%（2021年 39.5%）" → −1.81; "328天（按全年365天折合为 89.86%）" → 2
    decimals), never to 0 when it is not (one more decimal, up to 6, until it shows)."""
    gap = decision.gap
    if gap is None:
        return None
    decimals = precision if precision is not None else max(
        (len(m.group(1)) for m in _DECIMALS.finditer(decision.reason)), default=0)
    shown = round(gap, decimals)
    while shown == 0 and round(gap, 6) != 0 and decimals < 6:
        decimals += 1
        shown = round(gap, decimals)
    return shown or 0.0  # "or": no -0.0 in the JSON


_DECIMALS = re.compile(r"\d\.(\d+)")


__all__ = ["Bound", "assess", "context_for", "decide", "unit_problems"]
