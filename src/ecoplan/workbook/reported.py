"""What a 指标值 cell reports, as typed values: a number, a bound, a marker (不涉及, 未考核, 未下达), a trend word,
an expectation, state words, a water class, named measures, free text; the superior's task; the parsed cell.

The parser that makes them is `ecoplan.workbook.values`; criteria and renderers read them.
"""

from __future__ import annotations

import calendar
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


@dataclass(frozen=True)
class Reading:
    """How one indicator reads its cells, for telling whether two cells of one year state the same facts: its
    names (a measure so named in a sentence is the indicator's own value), its unit (a bare number is in it), and
    whether it is a share of the year's days (then N 天 and N/365 % are one fact)."""

    names: tuple[str, ...] = ()
    unit: str | None = None
    days_share: bool = False
    year: int | None = None


def agree(a: Reported, b: Reported, reading: Reading = Reading()) -> bool:
    """Whether two reports of one indicator's year (from two workbooks of a series) state no fact differently.

    The same fact may be written in different forms the contract allows: "82.2%" in one workbook and the
    documents' "上级规定的考核任务：327 天 当年指标值：300 天，优良天数比率：82.2%" in the other, or 321天 with 325天
    in the 上级任务 column. So the indicator's figures (its main value, and the measure named like it) are
    compared wherever two are in one unit, or in days and % of a share of the year's days (300 天 is 82.2 % as
    the % is written, to its decimals); the tasks by number, bound, unit and kind (their wording may differ; a base
    year or plan period counts only when both give one); other named measures only where both name them. A fact
    one of them leaves out is no conflict."""
    if not _same_figures(_figures(a, reading), _figures(b, reading), reading):
        return False
    if a.task is not None and b.task is not None and not _same_task(a.task, b.task):
        return False
    return a.measures is None or b.measures is None or _same_measures(a.measures, b.measures)


def _figures(reported: Reported, reading: Reading) -> tuple[list[Number], Value | None]:
    """The numbers a report gives for the indicator itself (the measure named like it, the main value), and its
    main value when that is no number (words, a class, a marker)."""
    numbers = []
    if reported.measures is not None:
        own = next((n for name in reading.names if (n := reported.measures.get(name)) is not None), None)
        if own is not None:
            numbers.append(own)
    value = reported.value
    if isinstance(value, TrendClaim) and value.number is not None:  # 保持稳定(95.4) reports 95.4
        value = Number(value.number)
    if isinstance(value, Number):
        return [*numbers, value], None
    return numbers, value


def _same_figures(a: tuple[list[Number], Value | None], b: tuple[list[Number], Value | None],
                  reading: Reading) -> bool:
    (numbers_a, other_a), (numbers_b, other_b) = a, b
    if other_a is not None and other_b is not None:
        if not _same_value(other_a, other_b):
            return False
    elif (other_a is not None and numbers_b) or (other_b is not None and numbers_a):
        return False  # words or a marker in one, a figure in the other
    if not numbers_a or not numbers_b:
        return True
    compared = [_same_number(x, y, reading) for x in numbers_a for y in numbers_b]
    answers = [c for c in compared if c is not None]
    return bool(answers) and all(answers)  # figures in units nothing relates are not the same fact


def _same_number(a: Number, b: Number, reading: Reading) -> bool | None:
    """Whether two figures for the indicator agree; None when their units cannot be compared."""
    if not (_same_if_both(a.since, b.since) and _same_if_both(a.year, b.year) and a.cumulative == b.cumulative):
        return False
    # A number without a unit is in the indicator's unit (87.9 and 87.9% agree for a rate in %), or, where that
    # is not known, in the other's.
    unit_a, unit_b = (unit_key(n.unit or reading.unit) or None for n in (a, b))
    if unit_a is None or unit_b is None or unit_a == unit_b:
        return a.value == b.value
    if reading.days_share and reading.year is not None and {unit_a, unit_b} == {_DAYS, _PERCENT}:
        days, share = (a, b) if unit_a == _DAYS else (b, a)
        decimals = len(format_number(share.value).partition(".")[2])
        in_year = 366 if calendar.isleap(reading.year) else 365
        return round(days.value / in_year * 100, decimals) == share.value
    return None


_DAYS, _PERCENT = unit_key("天"), unit_key("%")


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
        return bool(_same_number(a, b, Reading()))
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
           "Number", "Reading", "Reported", "Task", "TaskNotIssued", "TrendClaim", "Value", "WaterClass", "Words",
           "agree"]
