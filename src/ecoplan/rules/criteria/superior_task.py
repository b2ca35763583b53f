"""完成上级规定的考核任务 and its kin: the reported value against the task the superior assigned that year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from ecoplan.evaluate.context import Context, Decision, by_default, undecidable
from ecoplan.quantity import OP_SYMBOL, Op, compare, format_number
from ecoplan.rules.criteria.base import CriterionBase, Shorthand, decide_bound
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
        ok = compare(value.value, op, required)
        unit = value.unit or task.unit or ""
        verb = "完成" if ok else "未完成"
        reason = f"{format_number(value.value)}{unit} 对任务 {format_number(required)}{unit}{note}：{verb}"
        # A task in another unit than the indicator's (days for a % rate) gives no gap in the indicator's unit.
        foreign = bool(unit) and bool(ctx.unit) and unit != ctx.unit
        return Decision("met" if ok else "not_met", reason, None if foreign else ctx.gap(value.value, required))

    @classmethod
    def from_shorthand(cls, t: str, text: str, direction: str | None,
                       plan_period: tuple[int, int] | None) -> Shorthand | None:
        if t == "superior_task":
            return {"kind": "superior_task"}
        if any(w in t for w in SUPERIOR_TASK_WORDS):
            return {"kind": "superior_task", "text": text.strip()}
        return None


__all__ = ["SUPERIOR_TASK_WORDS", "SuperiorTask"]
