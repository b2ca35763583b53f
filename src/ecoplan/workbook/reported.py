"""What a 指标值 cell reports, as typed values: a number, a bound, a marker (不涉及, 未考核, 未下达), a trend word,
an expectation, state words, a water class, named measures, free text; the superior's task; the parsed cell.

The parser that makes them is `ecoplan.workbook.values`; criteria and renderers read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ecoplan.normalize import compact, name_key, unit_key
from ecoplan.quantity import Interval, Op, format_number

CLASS_NAMES = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: "劣Ⅴ"}


@dataclass(frozen=True)
class Number:
    """A measured number in the cell's unit. `since`: the base year of a running change (比2020年下降10.8%)."""

    value: float
    unit: str | None = None
    year: int | None = None
    since: int | None = None
    cumulative: bool = False

    def __str__(self) -> str:
        unit = self.unit or ""
        return f"{format_number(self.value)}{unit}"


@dataclass(frozen=True)
class Bound:
    """A value reported only as a bound, as the documents do: ``≥25``, ``>-1``."""

    interval: Interval

    def __str__(self) -> str:
        return str(self.interval)


@dataclass(frozen=True)
class NotApplicable:
    """不涉及, ``/``, ``-``, or the absence of the object (无黑臭水体)."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class NotAssessed:
    """未考核 / ``--``: the superior did not assess the indicator; a number in parentheses is kept for reference."""

    number: float | None = None

    def __str__(self) -> str:
        return "未考核" + (f"({format_number(self.number)})" if self.number is not None else "")


@dataclass(frozen=True)
class TaskNotIssued:
    """未下达 / 未逐年下达: no task was assigned for the year."""

    number: float | None = None

    def __str__(self) -> str:
        return "未下达" + (f"({format_number(self.number)})" if self.number is not None else "")


ClaimWant = Literal["up", "down", "stable", "improve"]


@dataclass(frozen=True)
class TrendClaim:
    """A trend word as the value (持续提高, 保持稳定(96.4)): an assertion, with a number when one is given."""

    want: ClaimWant
    text: str
    number: float | None = None

    def __str__(self) -> str:
        return self.text + (f"({format_number(self.number)})" if self.number is not None else "")


@dataclass(frozen=True)
class Expectation:
    """预计…: an estimate, not a measurement."""

    text: str
    inner: Number | Bound | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Words:
    """State words or an assertion, split into clauses (生态功能不降低、性质不改变 → two clauses)."""

    text: str
    clauses: tuple[str, ...]

    @property
    def negated(self) -> bool:
        """未建立, 尚未开展, 没有…: the state is denied."""
        return any(c.startswith(("未", "尚未", "没有", "暂未")) for c in self.clauses)

    @property
    def asserts_completion(self) -> bool:
        """完成…, 达到…要求: a claim that the task was done, with no number."""
        return not self.negated and bool(re.search(r"完成|达到|达标|实现|满足|得到保护|得到保障|保持", self.text))

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class WaterClass:
    """A water-quality class; rank 1 (Ⅰ) … 5 (Ⅴ), 6 (劣Ⅴ). Smaller is better."""

    rank: int

    def __str__(self) -> str:
        return CLASS_NAMES[self.rank] + "类"


@dataclass(frozen=True)
class Measures:
    """Several named numbers in one cell: ``案件线索启动率：100% 案件结案率：87.5%``, ``2类区: 100% 4a类区: 0``."""

    items: tuple[tuple[str, Number], ...]

    def get(self, name: str) -> Number | None:
        key = name_key(name)
        for item_name, number in self.items:
            if name_key(item_name) == key:
                return number
        return None

    def __str__(self) -> str:
        return " ".join(f"{n}：{v}" for n, v in self.items)


@dataclass(frozen=True)
class FreeText:
    """Text none of the forms fits; decided as 待核实 (review) where text is allowed, an error where a number is due."""

    text: str

    def __str__(self) -> str:
        return self.text


Value = (Number | Bound | NotApplicable | NotAssessed | TaskNotIssued | TrendClaim | Expectation | Words | WaterClass
         | Measures | FreeText)


@dataclass(frozen=True)
class Task:
    """The task a superior assigned (上级任务): a number, a bound, words, or not issued.

    `period` is the plan period of a whole-period task (“十四五”…下降14% → 2021–2025), judged pro-rata before
    its last year; `since` the base year of a running-total task (较2020年下降2%).
    """

    text: str
    number: float | None = None
    op: Op | None = None
    unit: str | None = None
    period: tuple[int, int] | None = None
    since: int | None = None
    not_issued: bool = False

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Reported:
    """One parsed 指标值 cell: the main value, the superior's task if the cell carries one, named extra measures."""

    raw: str
    value: Value | None
    task: Task | None = None
    measures: Measures | None = None
    footnotes: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return self.raw

    def brief(self) -> str:
        """The cell in a few characters for a table: "300天（任务 327天）；优良天数比率 82.2%"."""
        if self.task is None:
            return self.raw
        task = self.task
        if task.not_issued:
            task_text = "未下达"
        elif task.number is not None:
            op = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}.get(task.op or "", "")
            task_text = f"{op}{format_number(task.number)}{task.unit or ''}"
            if task.period:
                task_text += f"（{task.period[0]}—{task.period[1]}）"
        else:
            task_text = task.text if len(task.text) <= 14 else task.text[:13] + "…"
        value = self.value
        main = str(value) if value is not None else ""
        if isinstance(value, Number) and value.since:
            main = f"{main}（自{value.since}年累计）"
        text = f"{main}（任务 {task_text}）" if main else f"任务 {task_text}"
        if self.measures is not None:
            text += "；" + "；".join(f"{n} {v}" for n, v in self.measures.items)
        return text


def agree(a: Reported, b: Reported) -> bool:
    """Whether two reports of one indicator's year (from two workbooks of a series) state no fact differently.

    The same fact may be written in different forms the contract allows: 321天 with 325天 in the 上级任务 column,
    or the documents' "上级规定的考核任务：325 天 当年指标值：321 天，优良天数比率：87.9%". So the main values are
    compared as values (units by their key), the tasks by number, bound, unit and kind (their wording may differ;
    a base year or plan period counts only when both give one), and named measures only where both name them. A
    fact one of them leaves out is no conflict."""
    if not _same_value(a.value, b.value):
        return False
    if a.task is not None and b.task is not None and not _same_task(a.task, b.task):
        return False
    return a.measures is None or b.measures is None or _same_measures(a.measures, b.measures)


def _same_measures(a: Measures, b: Measures) -> bool:
    """Named measures agree when each one both name is the same number."""
    for name, number in a.items:
        other = b.get(name)
        if other is not None and not _same_value(number, other):
            return False
    return True


def _same_value(a: Value | None, b: Value | None) -> bool:
    if isinstance(a, Measures) and isinstance(b, Measures):
        return _same_measures(a, b)
    if isinstance(a, Number) and isinstance(b, Number):
        # A number without a unit is in the indicator's unit: 87.9 and 87.9% agree for a rate in %.
        return a.value == b.value and a.cumulative == b.cumulative \
            and _same_if_both(unit_key(a.unit) or None, unit_key(b.unit) or None) \
            and _same_if_both(a.since, b.since) and _same_if_both(a.year, b.year)
    return a == b


def _same_task(a: Task, b: Task) -> bool:
    if a.number is None and b.number is None and not (a.not_issued or b.not_issued):
        return compact(a.text) == compact(b.text)  # words only (完成上级任务): the words must agree
    return (a.number, a.op, a.not_issued) == (b.number, b.op, b.not_issued) \
        and _same_if_both(unit_key(a.unit) or None, unit_key(b.unit) or None) \
        and _same_if_both(a.since, b.since) and _same_if_both(a.period, b.period)


def _same_if_both(a: object, b: object) -> bool:
    return a is None or b is None or a == b


__all__ = ["CLASS_NAMES", "Bound", "ClaimWant", "Expectation", "FreeText", "Measures", "NotApplicable", "NotAssessed",
           "Number", "Reported", "Task", "TaskNotIssued", "TrendClaim", "Value", "WaterClass", "Words", "agree"]
