"""Criteria: a discriminated union of small typed models, each deciding itself against a `Context`.

Text such as "≥90" or "保持稳定或持续改善" is turned into these models once, when the pack is loaded
(`ecoplan.rules.shorthand`); deciding never parses text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from ecoplan.evaluate.context import Context, Decision, by_default, undecidable
from ecoplan.quantity import OP_SYMBOL, Op, bound_implies, compare, format_number
from ecoplan.rules.validation import STRICT, After, Before, Constrained, Tagged
from ecoplan.workbook.values import CLASS_NAMES, Bound, Measures, NotApplicable, Number, TrendClaim, WaterClass, Words

# Frozen, keyword-only dataclasses: pydantic validates them when a pack is loaded (see `ecoplan.rules.validation`);
# deciding needs no pydantic at all.
rule_model = dataclass(frozen=True, kw_only=True)


@rule_model
class _Criterion:
    __pydantic_config__ = STRICT

    def describe(self) -> str:  # pragma: no cover - every kind overrides it
        raise NotImplementedError


@rule_model
class Threshold(_Criterion):
    """A comparison with a number: ≥20, ≤25, >-1, <0.040. ≥ and ≤ include the boundary."""

    kind: Literal["threshold"] = "threshold"
    op: Op
    value: float
    measure: str | None = None

    def describe(self) -> str:
        prefix = f"{self.measure}" if self.measure else ""
        return f"{prefix}{OP_SYMBOL[self.op]}{format_number(self.value)}"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
        value = ctx.pick(reported, self.measure)
        target = self.describe()
        if isinstance(value, Number) and ctx.foreign(value):
            return Decision("review", f"{value} 的单位不是 {ctx.unit}，无法与{target}比较")
        if isinstance(value, Number):
            ok = compare(value.value, self.op, self.value)
            gap = ctx.gap(value.value, self.value)
            verb = "达到" if ok else "未达到"
            own_year = f"（{value.year}年数据）" if value.year and value.year != ctx.year else ""
            return Decision("met" if ok else "not_met", f"{ctx.fmt(value.value)}{own_year} {verb} {target}", gap)
        if isinstance(value, Bound):
            return _decide_bound(value, self.op, self.value, target)
        if isinstance(value, TrendClaim):
            return by_default(ctx, "when_asserted", f"填报为“{value.text}”，无数值")
        if isinstance(value, Measures):
            return Decision("review", f"分项数值（{value}）未规定汇总方式")
        if value is None and self.measure:
            return Decision("missing", f"未填报{self.measure}")
        return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值，无法与{target}比较")


def _decide_bound(value: Bound, op: Op, target: float, text: str) -> Decision:
    """A reported bound decides a threshold only if every value it allows satisfies the threshold."""
    interval = value.interval
    if bound_implies(interval.op, interval.bound, op, target):
        return Decision("met", f"填报{interval}，满足{text}")
    opposite = {">=": "<", ">": "<=", "<=": ">", "<": ">="}.get(op)
    if opposite and bound_implies(interval.op, interval.bound, opposite, target):  # type: ignore[arg-type]
        return Decision("not_met", f"填报{interval}，不满足{text}")
    return Decision("review", f"填报{interval}，不足以判断是否{text}")


@rule_model
class SuperiorTask(_Criterion):
    """完成上级规定的考核任务 and its kin: the reported value against the task the superior assigned that year.

    A task with a plan period (“十四五”…下降14%) is judged on the pro-rata path before the period's last year.
    `complete_at` completes a task given only in words (3个国考断面…达到Ⅱ类) when the value reaches it.
    """

    kind: Literal["superior_task"] = "superior_task"
    complete_at: float | None = None
    measure: str | None = None
    text: str = "完成上级规定的考核任务"

    def describe(self) -> str:
        return self.text

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
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
                return Decision("met" if ok else "not_met",
                                f"{ctx.fmt(value.value)}（任务：{task.text}）{verb}", ctx.gap(value.value, self.complete_at))
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
            return _decide_bound(value, op, required, f"任务{OP_SYMBOL[op]}{format_number(required)}")
        ok = compare(value.value, op, required)
        unit = value.unit or task.unit or ""
        verb = "完成" if ok else "未完成"
        reason = f"{format_number(value.value)}{unit} 对任务 {format_number(required)}{unit}{note}：{verb}"
        # A task in another unit than the indicator's (days for a % rate) gives no gap in the indicator's unit.
        foreign = bool(unit) and bool(ctx.unit) and unit != ctx.unit
        return Decision("met" if ok else "not_met", reason, None if foreign else ctx.gap(value.value, required))


TrendWant = Literal["up", "down", "improve", "stable_or_better", "strictly_yearly"]
_TREND_TEXT = {"up": "持续提高", "down": "持续下降", "improve": "持续改善", "stable_or_better": "保持稳定或持续改善",
               "strictly_yearly": "逐年改善"}


@rule_model
class Trend(_Criterion):
    """持续提高 / 持续下降 / 保持稳定或持续改善 / 逐年下降, against the previous year, the baseline, or a year.

    A value at its best bound holds (0 for 持续下降, 100 % for 持续提高): there is nothing left to improve.
    """

    kind: Literal["trend"] = "trend"
    want: TrendWant
    reference: Literal["previous", "baseline", "default"] | int = "default"
    tolerance: float | None = None
    text: str | None = None

    def describe(self) -> str:
        return self.text or _TREND_TEXT[self.want]

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
        value = ctx.pick(reported)
        if isinstance(value, TrendClaim) and value.number is None:
            return by_default(ctx, "when_asserted", f"填报为“{value.text}”，无数值")
        if not isinstance(value, Number):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值，无法判断趋势")
        if ctx.foreign(value):
            return Decision("review", f"{value} 的单位不是 {ctx.unit}，无法判断{self.describe()}")
        now = value.value
        if self.want == "strictly_yearly":
            return self._yearly(ctx, now)
        reference = ctx.defaults.trend_reference if self.reference == "default" else self.reference
        ref_year = ctx.reference_year(reference)
        before = ctx.number_of(ctx.history.get(ref_year)) if ref_year is not None and ref_year < ctx.year else None
        if before is None:
            where = f"{ref_year}年" if ref_year else "上一年度"
            return by_default(ctx, "when_history_missing", f"缺少{where}数据，无法判断{self.describe()}")
        lower = ctx.direction == "lower" or self.want == "down"
        change = before - now if lower else now - before
        tolerance = ctx.defaults.stable_tolerance if self.tolerance is None else self.tolerance
        at_floor = (lower and now <= 0) or (not lower and ctx.unit == "%" and now >= 100)
        if self.want == "stable_or_better":
            ok = change >= -tolerance - 1e-9
        else:
            ok = change > 1e-9 or at_floor
        shown = f"{ctx.fmt(now)}（{ref_year}年 {ctx.fmt(before)}）"
        verb = "满足" if ok else "不满足"
        floor_note = "，已处于最优值" if at_floor and change <= 1e-9 else ""
        return Decision("met" if ok else "not_met", f"{shown}{verb}{self.describe()}{floor_note}", change)

    def _yearly(self, ctx: Context, now: float) -> Decision:
        series = sorted((y, ctx.number_of(r)) for y, r in ctx.history.items() if y <= ctx.year)
        points = [(y, v) for y, v in series if v is not None]
        if len(points) < 2:
            return by_default(ctx, "when_history_missing", "只有一年数据，无法判断逐年变化")
        lower = ctx.direction == "lower"
        for (y0, v0), (y1, v1) in zip(points, points[1:]):
            step = v0 - v1 if lower else v1 - v0
            if step <= 1e-9:
                return Decision("not_met", f"{y1}年 {ctx.fmt(v1)} 未比{y0}年 {ctx.fmt(v0)} 改善")
        return Decision("met", f"{points[0][0]}—{points[-1][0]}年逐年改善", None)


@rule_model
class Delta(_Criterion):
    """A change relative to a reference (△EQI>-1): the reported change, or the level minus the reference level."""

    kind: Literal["delta"] = "delta"
    op: Op
    value: float
    reported: Literal["change", "level"] = "change"
    reference: Literal["previous", "baseline"] | int = "previous"
    label: str = "△"

    def describe(self) -> str:
        return f"{self.label}{OP_SYMBOL[self.op]}{format_number(self.value)}"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
        value = ctx.pick(reported)
        if isinstance(value, Bound):
            return _decide_bound(value, self.op, self.value, self.describe())
        if not isinstance(value, Number):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值")
        change = value.value
        if self.reported == "level":
            ref_year = ctx.reference_year(self.reference)
            before = ctx.number_of(ctx.history.get(ref_year)) if ref_year else None
            if before is None:
                return by_default(ctx, "when_history_missing", "缺少基准年数据，无法计算变化量")
            change = value.value - before
        ok = compare(change, self.op, self.value)
        return Decision("met" if ok else "not_met", f"变化量 {format_number(change)} {'满足' if ok else '不满足'} "
                        f"{self.describe()}", change - self.value)


# State words in implication order: a stronger word satisfies a weaker one.
STATE_IMPLIES: dict[str, set[str]] = {
    "全面实施": {"实施", "制定实施", "制定"}, "实施": {"制定实施", "制定"}, "制定实施": {"实施", "制定"},
    "有效开展": {"开展"}, "全面开展": {"开展"}, "全面完成": {"完成", "基本完成"}, "完成": {"基本完成"},
    "有效保障": {"保障"}, "全面消除": {"消除", "基本消除"}, "消除": {"基本消除"}, "全面建立": {"建立"},
    "建立健全": {"建立"}, "建立并实施": {"建立", "实施"}, "编制实施": {"编制", "实施", "制定实施"},
}
STATE_WORDS = set(STATE_IMPLIES) | {w for ws in STATE_IMPLIES.values() for w in ws} | {
    "建立", "开展", "保障", "不明显", "不降低", "不改变", "不减少", "面积不减少", "性质不改变", "功能不降低",
    "生态功能不降低", "落实", "编制", "基本完成"}


@rule_model
class State(_Criterion):
    """A qualitative state (建立, 有效开展, 生态功能不降低、性质不改变): every required clause must be reported."""

    kind: Literal["state"] = "state"
    required: Annotated[list[str], Constrained(min_length=1), After(lambda words, _: _known_words(words))]

    def describe(self) -> str:
        return "、".join(self.required)

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
        value = reported.value
        if not isinstance(value, Words):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是状态描述，需人工核实")
        if value.negated:
            return Decision("not_met", f"填报“{value.text}”，未达到“{self.describe()}”")
        missing = [c for c in self.required if not any(_satisfies(v, c) for v in value.clauses)]
        if not missing:
            return Decision("met", f"填报“{value.text}”")
        known = all(any(v == w or v.endswith(w) for w in STATE_WORDS) for v in value.clauses)
        if known:
            return Decision("not_met", f"填报“{value.text}”，未达到“{'、'.join(missing)}”")
        return Decision("review", f"填报“{value.text}”，无法确认“{'、'.join(missing)}”")


def _known_words(required: list[str]) -> list[str]:
    for clause in required:
        if not any(clause == w or clause.endswith(w) for w in STATE_WORDS):
            raise ValueError(f"“{clause}” is not a known state word; known: {'、'.join(sorted(STATE_WORDS))}")
    return required


def _satisfies(reported: str, required: str) -> bool:
    if reported == required or reported.endswith(required):
        return True
    for word, weaker in STATE_IMPLIES.items():
        if reported.endswith(word) and (required in weaker or any(required.endswith(w) for w in weaker)):
            return True
    return False


@rule_model
class WaterClassCriterion(_Criterion):
    """达到 / 优于 a water-quality class (Ⅰ < Ⅱ < Ⅲ < Ⅳ < Ⅴ < 劣Ⅴ; smaller is better)."""

    kind: Literal["water_class"] = "water_class"
    op: Literal["at_least", "better_than"] = "at_least"
    water_class: Annotated[int, Before(lambda raw, _: _class_rank(raw)), Constrained(ge=1, le=6)]

    # The YAML key is `class` (a Python keyword, so not a field name).
    __pydantic_config__ = {**STRICT, "alias_generator": lambda name: "class" if name == "water_class" else name,
                           "validate_by_name": True, "validate_by_alias": True}

    def describe(self) -> str:
        return ("优于" if self.op == "better_than" else "达到") + CLASS_NAMES[self.water_class] + "类"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
        value = reported.value
        if not isinstance(value, WaterClass):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是水质类别")
        worst_allowed = self.water_class - 1 if self.op == "better_than" else self.water_class
        ok = value.rank <= worst_allowed
        # The gap counts classes: +1 one class better than needed, −1 one class short.
        return Decision("met" if ok else "not_met", f"{value}{'满足' if ok else '不满足'}{self.describe()}",
                        float(worst_allowed - value.rank))


def _class_rank(raw: object) -> object:
    """Ⅲ, III or 3 → 3 (the rank the model keeps)."""
    if isinstance(raw, str):
        from ecoplan.workbook.values import parse_class

        rank = parse_class(raw)
        if rank is None:
            raise ValueError(f"“{raw}” is not a water class (Ⅰ Ⅱ Ⅲ Ⅳ Ⅴ 劣Ⅴ, or I II III IV V)")
        return rank
    return raw


@rule_model
class Approximate(_Criterion):
    """57左右: within an explicit tolerance of the target (the documents give none, so the pack must)."""

    kind: Literal["approximate"] = "approximate"
    target: float
    tolerance: Annotated[float, Constrained(ge=0)]

    def describe(self) -> str:
        return f"{format_number(self.target)}左右（±{format_number(self.tolerance)}）"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
        value = ctx.pick(reported)
        if not isinstance(value, Number):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值")
        off = value.value - self.target
        within = abs(off) <= self.tolerance + 1e-9
        # Beyond the band on the good side (more forest than "57左右") is not a failure.
        better = (ctx.direction == "higher" and off > 0) or (ctx.direction == "lower" and off < 0)
        ok = within or better
        gap = ctx.gap(value.value, self.target - self.tolerance if ctx.direction != "lower"
                      else self.target + self.tolerance)
        where = "在" if within else ("优于" if better else "不在")
        return Decision("met" if ok else "not_met", f"{ctx.fmt(value.value)} {where}{self.describe()}"
                        f"{'范围内' if within else ('范围' if better else '范围内')}", gap)


@rule_model
class Cumulative(_Criterion):
    """A total over a plan period ([19.4]): the running total since the period's start, pro-rata before its end."""

    kind: Literal["cumulative"] = "cumulative"
    total: float
    period: tuple[int, int]
    op: Op

    def describe(self) -> str:
        return f"{self.period[0]}—{self.period[1]}年累计{OP_SYMBOL[self.op]}{format_number(self.total)}"

    def decide(self, ctx: Context) -> Decision:
        reported = ctx.current
        if reported is None:
            return Decision("missing", "无数据")
        value = ctx.pick(reported)
        start, end = self.period
        if ctx.year < start:
            return Decision("review", f"{ctx.year}年在规划期{start}—{end}年之前")
        required, note = self.total, ""
        if ctx.year < end:
            elapsed = ctx.year - start + 1
            required = self.total * elapsed / (end - start + 1)
            note = f"（按进度{elapsed}/{end - start + 1}）"
        if isinstance(value, Bound):
            return _decide_bound(value, self.op, required, f"{OP_SYMBOL[self.op]}{format_number(required)}")
        if not isinstance(value, Number):
            return undecidable(ctx, value) or Decision("review", f"“{reported.raw}”不是数值")
        ok = compare(value.value, self.op, required)
        return Decision("met" if ok else "not_met", f"累计 {ctx.fmt(value.value)} 对 {ctx.fmt(required)}{note}："
                        f"{'达到' if ok else '未达到'}", ctx.gap(value.value, required))


@rule_model
class Manual(_Criterion):
    """A target that one workbook cannot decide (全市前列): always 待核实, with the reason."""

    kind: Literal["manual"] = "manual"
    reason: str

    def describe(self) -> str:
        return self.reason

    def decide(self, ctx: Context) -> Decision:
        if ctx.current is None:
            return Decision("missing", "无数据")
        return Decision("review", self.reason)


ProfileField = Literal["region", "admin_type", "city_size"]


@rule_model
class ProfileCase:
    """One branch of a profile-dependent criterion: applies when every listed field has one of the values."""

    __pydantic_config__ = STRICT
    when: Annotated[dict[ProfileField, list[str]], Constrained(min_length=1)]
    criterion: Criterion

    def matches(self, profile: dict[str, str] | object) -> bool:
        return all(getattr_or_key(profile, key) in values for key, values in self.when.items())


def getattr_or_key(profile: object, key: str) -> str | None:
    if isinstance(profile, dict):
        return profile.get(key)
    return getattr(profile, key, None)


@rule_model
class ByProfile(_Criterion):
    """A threshold that depends on the district (≥60 for 中西部市辖区 and 东部, ≥30 elsewhere)."""

    kind: Literal["by_profile"] = "by_profile"
    cases: Annotated[list[ProfileCase], Constrained(min_length=1)]
    otherwise: Criterion | None = None

    def fields(self) -> set[str]:
        """The profile fields this criterion reads (the workbook must give them)."""
        return {key for case in self.cases for key in case.when}

    def describe(self) -> str:
        parts = ["；".join("/".join(v) for v in c.when.values()) + "：" + c.criterion.describe() for c in self.cases]
        if self.otherwise is not None:
            parts.append("其他：" + self.otherwise.describe())
        return "；".join(parts)

    def choose(self, ctx: Context) -> Criterion | None:
        for case in self.cases:
            if case.matches(dict(ctx.profile)):
                return case.criterion
        return self.otherwise

    def decide(self, ctx: Context) -> Decision:
        missing = sorted(f for f in self.fields() if not ctx.profile.get(f))
        if missing:
            return Decision("review", f"区县信息缺少{'、'.join(missing)}，无法确定适用的标准")
        chosen = self.choose(ctx)
        if chosen is None:
            return Decision("review", "区县类型不在该指标的适用范围内")
        decision = chosen.decide(ctx)
        return Decision(decision.status, f"{decision.reason}（适用标准 {chosen.describe()}）", decision.gap)


_WORST = ["not_met", "missing", "review", "not_applicable", "met"]


@rule_model
class AllOf(_Criterion):
    """Every part must hold (完成上级规定的考核任务，且 …)."""

    kind: Literal["all_of"] = "all_of"
    of: Annotated[list[Criterion], Constrained(min_length=1)]

    def describe(self) -> str:
        return "，且".join(_wrap(c) for c in self.of)

    def decide(self, ctx: Context) -> Decision:
        decisions = [c.decide(ctx) for c in self.of]
        failing = [d for d in decisions if d.status != "met"]
        if not failing:
            return Decision("met", "；".join(d.reason for d in decisions), _min_gap(decisions))
        worst = min(failing, key=lambda d: (_WORST.index(d.status), d.gap is None))
        return Decision(worst.status, "；".join(d.reason for d in failing), worst.gap)


@rule_model
class AnyOf(_Criterion):
    """One part suffices (≥90或持续提高)."""

    kind: Literal["any_of"] = "any_of"
    of: Annotated[list[Criterion], Constrained(min_length=2)]

    def describe(self) -> str:
        return "或".join(_wrap(c) for c in self.of)

    def decide(self, ctx: Context) -> Decision:
        decisions = [c.decide(ctx) for c in self.of]
        met = [d for d in decisions if d.status == "met"]
        if met:
            return Decision("met", met[0].reason, _max_gap(decisions))
        if all(d.status == "not_met" for d in decisions):
            return Decision("not_met", "；".join(d.reason for d in decisions), _max_gap(decisions))
        worst = next(d for d in decisions if d.status != "not_met")
        return Decision(worst.status, "；".join(d.reason for d in decisions), None)


def _wrap(criterion: Criterion) -> str:
    text = criterion.describe()
    return f"（{text}）" if isinstance(criterion, (AllOf, AnyOf)) else text


def _min_gap(decisions: list[Decision]) -> float | None:
    gaps = [d.gap for d in decisions if d.gap is not None]
    return min(gaps) if gaps else None


def _max_gap(decisions: list[Decision]) -> float | None:
    gaps = [d.gap for d in decisions if d.gap is not None]
    return max(gaps) if gaps else None


Criterion = Annotated[
    Threshold | SuperiorTask | Trend | Delta | State | WaterClassCriterion | Approximate | Cumulative | ByProfile | AllOf | AnyOf | Manual,
    Tagged("kind"),
]

__all__ = ["AllOf", "AnyOf", "Approximate", "ByProfile", "Criterion", "Cumulative", "Delta", "Manual",
           "NotApplicable", "ProfileCase", "State", "SuperiorTask", "Threshold", "Trend", "WaterClassCriterion"]
