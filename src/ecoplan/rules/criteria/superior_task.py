"""完成上级规定的考核任务 and its kin: the reported value against the task the superior assigned that year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Literal

from ecoplan.evaluate.context import Context, Decision, by_default, undecidable
from ecoplan.normalize import unit_key
from ecoplan.quantity import OP_SYMBOL, Op, compare, format_number
from ecoplan.rules.criteria.base import CriterionBase, Shorthand, decide_bound
from ecoplan.vocabulary import TREND_TARGET_WORDS
from ecoplan.workbook.values import Bound, Number, TrendClaim

SUPERIOR_TASK_WORDS = ("完成上级", "完成市级", "完成市下", "完成区级", "由国家下达", "达到市总量控制要求",
                       "完成重庆市", "上级下达", "市级下达", "按期完成", "以市级下达为准")
"""Words that make a target the superior's task (its short form)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SuperiorTask(CriterionBase):
    """完成上级规定的考核任务 and its kin: the reported value against the task the superior assigned that year.

    A task with a plan period (“十四五”…下降14%) is judged on the pro-rata path before the period's last year.
    `complete_at` completes a task given only in words (3个国考断面…达到Ⅱ类) when the value reaches it.
    """

    kind: Literal["superior_task"] = "superior_task"
    complete_at: float | None = None
    measure: str | None = None
    text: str = "完成上级规定的考核任务"

    shorthand_rank: ClassVar[int | None] = 10

    def describe(self) -> str:
        return self.text

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.reported
        value = ctx.pick(reported, self.measure) if self.measure else reported.value
        task = reported.task
        if task is not None and task.not_issued and not isinstance(value, Number):
            return by_default(ctx, "when_task_not_issued", "上级未下达考核任务")
        early = undecidable(ctx, value)
        if early is not None:
            return early
        if isinstance(value, TrendClaim):
            return by_default(ctx, "when_asserted", f"填报为“{value.text}”")
        if task is None:
            return by_default(ctx, "when_task_absent", "未填报上级任务值")
        if task.not_issued:
            return by_default(ctx, "when_task_not_issued", "上级未下达考核任务")
        if task.number is None:
            if self.complete_at is not None and isinstance(value, Number):
                ok = compare(value.value, ">=" if ctx.direction != "lower" else "<=", self.complete_at)
                verb = "完成" if ok else "未完成"
                return Decision("met" if ok else "not_met", f"{ctx.fmt(value.value)}（任务：{task.text}）{verb}",
                                ctx.gap(value.value, self.complete_at))
            return by_default(ctx, "when_task_absent", f"上级任务为文字（{task.text}），无法比较")
        if not isinstance(value, (Number, Bound)):
            return Decision("review", f"“{reported.raw}”中没有可与任务比较的数值")
        op: Op = task.op or ("<=" if ctx.direction == "lower" else ">=")
        required, note = task.number, ""
        if task.period is not None and ctx.year < task.period[1]:
            start, end = task.period
            elapsed = max(0, ctx.year - start + 1)
            required = task.number * elapsed / (end - start + 1)
            note = f"（{start}—{end}年任务{format_number(task.number)}，按进度{elapsed}/{end - start + 1}）"
        if isinstance(value, Bound):
            return decide_bound(value, op, required, f"任务{OP_SYMBOL[op]}{format_number(required)}")
        return _against_task(ctx, value, task.number, task.unit, op, required, note)

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        if t == "superior_task":
            return {"kind": "superior_task"}
        if any(w in t for w in SUPERIOR_TASK_WORDS) and _only_a_task(t):
            return {"kind": "superior_task", "text": text.strip()}
        return None


def _only_a_task(t: str) -> bool:
    """Whether the words say the superior's task and nothing else: a number, a bound, a trend word or a joining
    word (且, 或, 并, ，, ；) is another criterion the task's words would swallow (完成上级规定的考核任务，且≥90)."""
    if re.search(r"[\d≥≤<>=，,；;且或并]", t):
        return False
    return not any(w in t for w in TREND_TARGET_WORDS)


def _against_task(ctx: Context, value: Number, number: float, task_unit: str | None, op: Op, required: float,
                  note: str) -> Decision:
    """A number against the task's (pro-rata) figure, compared only in one unit: the task is converted when the
    pack states how the units relate, else the row is 待核实. The gap is in the unit compared."""
    unit = value.unit or ctx.unit or ""
    wanted = task_unit or value.unit or ctx.unit or ""
    conflict = task_unit_conflict(ctx, value, number, task_unit)
    if conflict is not None:
        return Decision("review", f"{conflict.text}，需人工核实")
    shown = f"{format_number(required)}{unit_text(wanted)}"
    if unit_key(unit) != unit_key(wanted):
        converted = ctx.convert(required, wanted, unit)
        assert converted is not None  # task_unit_conflict said the units relate
        required, how = converted
        shown += f"（{how}为 {format_number(round(required, 2))}{unit_text(unit)}）"
    ok = compare(value.value, op, required)
    gap = value.value - required if op in (">=", ">") else required - value.value
    reason = f"{format_number(value.value)}{unit_text(unit)} 对任务 {shown}{note}：{'完成' if ok else '未完成'}"
    gap_unit = unit if unit_key(unit) != unit_key(ctx.unit) else None
    return Decision("met" if ok else "not_met", reason, gap, gap_unit)


@dataclass(frozen=True)
class UnitConflict:
    """Why a value and its task cannot be compared, in words; `in_task`: the task's figure is the one in question
    (its cell is where to correct it), else the value's."""

    text: str
    in_task: bool


def task_unit_conflict(ctx: Context, value: Number, number: float, task_unit: str | None) -> UnitConflict | None:
    """Why a value and its task cannot be compared (units the pack does not relate, or a bare figure above 100
    for a rate in %: 327 typed for 327 天); None when they can. The task is shown as typed: a bare 327 gets no
    unit it never had."""
    unit = value.unit or ctx.unit or ""
    wanted = task_unit or value.unit or ctx.unit or ""
    value_text = f"{format_number(value.value)}{unit_text(unit)}"
    task_text = f"{format_number(number)}{unit_text(task_unit)}"
    if _not_a_share(ctx, value.value, value.unit):
        return UnitConflict(f"{format_number(value.value)} 对任务 {task_text}：{ctx.unit}指标的数值超过100，单位不明",
                            in_task=False)
    if _not_a_share(ctx, number, task_unit):
        return UnitConflict(f"{value_text} 对任务 {task_text}：上级任务没有写单位，{ctx.unit}指标的任务超过100，"
                            "单位不明", in_task=True)
    if unit_key(unit) != unit_key(wanted) and ctx.convert(1.0, wanted, unit) is None:
        return UnitConflict(f"{value_text} 与上级任务 {task_text} 单位不同，指标体系未规定换算", in_task=True)
    return None


def unit_text(unit: str | None) -> str:
    """A unit as printed after a number ('' for none, '-' and '—')."""
    return unit if unit and unit_key(unit) else ""


def _not_a_share(ctx: Context, number: float, unit: str | None) -> bool:
    """A bare figure above 100 for an indicator in %: no share, so its unit is unknown (327 typed for 327 天)."""
    return unit is None and unit_key(ctx.unit) == "%" and number > 100


__all__ = ["SUPERIOR_TASK_WORDS", "SuperiorTask", "UnitConflict", "task_unit_conflict", "unit_text"]
