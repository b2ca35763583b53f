"""Provisional and inferred targets: the pack marks a printed target the document calls provisional
("以最终市级下达为准") or one it infers rather than reads, and the reason says which figure decided.

A provisional target gives way to the figure the workbook's 上级任务 gives for that indicator and year: the
printed number in the criterion is replaced by the issued one. Without one, the printed target decides and the
reason says it is provisional.
"""

from __future__ import annotations

from dataclasses import replace

from ecoplan.quantity import Op, format_number
from ecoplan.rules.criteria import AllOf, AnyOf, Approximate, ByProfile, Criterion, Cumulative, SuperiorTask, Threshold
from ecoplan.rules.criteria.context import Context, Decision


def decide_provisional(criterion: Criterion, ctx: Context, provisional: str) -> Decision:
    """Decide `criterion`, whose printed target is provisional, with the issued task when the year has one."""
    task = ctx.reported.task
    printed = _printed_node(criterion, ctx)
    printed_text = format_number(_number(printed)) if printed is not None else criterion.describe()
    if task is None or task.not_issued or task.number is None:
        decision = criterion.decide(ctx)
        return replace(decision, reason=f"{decision.reason}（规划值 {printed_text}，{provisional}）")
    # The issued figure replaces the one printed number (the criterion's other parts still count); a criterion
    # without exactly one is judged against the task alone.
    substituted = _replace_node(criterion, ctx, printed, task.number, task.op) if printed is not None else None
    decision = (substituted or SuperiorTask()).decide(ctx)
    issued = f"{_issuer(provisional)} {format_number(task.number)}{task.unit or ''}"
    return replace(decision, reason=f"{issued}（替代规划值 {printed_text}）：{decision.reason}")


def inferred_reason(decision: Decision, inferred: str) -> Decision:
    """A decision on a target the pack inferred: its reason says so."""
    return replace(decision, reason=f"{decision.reason}（推定：{inferred}）")


def _issuer(provisional: str) -> str:
    """Who issues the final figure, in the document's words (市级下达, 国家审批)."""
    if "国家" in provisional:
        return "国家审批"
    return "市级下达" if "市" in provisional else "上级下达"


Numeric = Threshold | Cumulative | Approximate


def _numeric_nodes(criterion: Criterion, ctx: Context) -> list[Numeric]:
    if isinstance(criterion, (Threshold, Cumulative, Approximate)):
        return [criterion]
    if isinstance(criterion, (AllOf, AnyOf)):
        return [node for part in criterion.of for node in _numeric_nodes(part, ctx)]
    if isinstance(criterion, ByProfile):
        chosen = criterion.choose(ctx.profile)
        return _numeric_nodes(chosen, ctx) if chosen is not None else []
    return []


def _printed_node(criterion: Criterion, ctx: Context) -> Numeric | None:
    """The one part of the criterion that prints a number (in the case of the district's profile); None when it
    has none or several."""
    match _numeric_nodes(criterion, ctx):
        case [node]:
            return node
        case _:
            return None


def _number(node: Numeric) -> float:
    if isinstance(node, Threshold):
        return node.value
    return node.total if isinstance(node, Cumulative) else node.target


def _replace_node(criterion: Criterion, ctx: Context, node: Numeric, number: float, op: Op | None) -> Criterion:
    """The criterion with `node`'s number (and operator, when the task gives one) replaced."""
    if criterion is node:
        if isinstance(criterion, Threshold):
            return replace(criterion, value=number, op=op or criterion.op)
        if isinstance(criterion, Cumulative):
            return replace(criterion, total=number, op=op or criterion.op)
        if isinstance(criterion, Approximate):
            return replace(criterion, target=number)
    if isinstance(criterion, (AllOf, AnyOf)):
        return replace(criterion, of=[_replace_node(part, ctx, node, number, op) for part in criterion.of])
    if isinstance(criterion, ByProfile):
        chosen = criterion.choose(ctx.profile)
        if chosen is not None:
            return _replace_node(chosen, ctx, node, number, op)
    return criterion


__all__ = ["decide_provisional", "inferred_reason"]
