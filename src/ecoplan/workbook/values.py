"""The value parser: every form a 指标值 cell takes in the documents, turned into a typed value once, at load.

Forms (see DESIGN.md and seed-criteria.md §2): a number or percentage (``87.9%``, ``１２,６６６``, ``37.68 ^[2]``),
a bound (``≥25``, ``>-1``), the documents' task-and-actual cell (``上级规定的考核任务：325 天 当年指标值：321 天，
优良天数比率：87.9%``), 未考核 / 未下达 markers with a number in parentheses, trend words (``保持稳定(96.4)``),
assertions (完成…), expectations (预计…), state words (建立, 有效开展), water classes (Ⅱ类, II), named measures
(``2类区: 100% 4a类区: 0``), 不涉及, and free text. The parser never raises: what it cannot read becomes
``FreeText`` and the caller decides whether that is an error for the indicator at hand.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ecoplan.normalize import compact, fold, has_han, known_unit, odd_digits, strip_footnotes
from ecoplan.quantity import NUMBER, Interval, format_number, parse_op, to_float
from ecoplan.vocabulary import OPERATOR_WORDS, PLAN_PERIODS, TREND_WORDS, TrendSense
from ecoplan.workbook.reported import (
    CLASS_NAMES,
    Bound,
    ClaimWant,
    Expectation,
    FreeText,
    Measures,
    NotApplicable,
    NotAssessed,
    Number,
    Reported,
    Task,
    TaskNotIssued,
    TrendClaim,
    Value,
    WaterClass,
    Words,
)

# ---------------------------------------------------------------------------------------------------------------
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_CN_CLASS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_CLASS_RE = re.compile(r"^(劣)?(IV|V|I{1,3}|[一二三四五])类?(?:水质?|水体|水域功能)?$")

_TASK_ACTUAL = re.compile(r"^上级(?:规定|下达)?的?(?:考核)?(?:目标)?任务[:：](?P<task>.*?)[。;；,，]?\s*"
                          r"(?:当年指标值|当年值|实际值|完成值)[:：](?P<actual>.*)$")
_TASK_ONLY = re.compile(r"^上级(?:规定|下达)?的?(?:考核)?(?:目标)?任务[:：](?P<task>.*)$")
_PAREN_NUMBER = re.compile(rf"^(?P<head>.*?)\s*[(（]\s*(?P<num>{NUMBER})\s*%?\s*[)）]\s*$")
_YEAR_PAREN = re.compile(rf"^(?P<num>{NUMBER})\s*(?P<unit>%|‰)?\s*[(（]\s*(?P<year>(?:19|20)\d\d)\s*年?\s*[)）]$")
_QUANTITY = re.compile(
    rf"^(?P<op>≥|≤|>=|<=|>|<|=|⩾|⩽)?\s*(?P<open>\[)?\s*(?P<num>{NUMBER})\s*(?P<close>\])?\s*"
    r"(?P<unit>%|‰|(?!及?以[上下]|左右)(?:[^\d\s,，;；:：()（）\[\]<>=≥≤]|(?<=[A-Za-z])[23]){1,10}?)?\s*"
    r"(?P<suffix>及以上|以上|及以下|以下|左右)?$")  # a unit may end in 2 or 3 after a letter: m2, μg/m3 (㎡, m³)
# A running change and its base: 比2015年下降16.7% (base 2015), “十四五”累计下降10.8% (base 2020, the year before
# the period). Two changes with different bases are not one series (see `Number.since`).
_CHANGE = re.compile(
    rf"^(?:[^\d]{{0,30}}?)(?:(?:比|较)(?P<year>(?:19|20)\d\d)年?前?|[“\"]?(?P<period>{'|'.join(PLAN_PERIODS)})[”\"]?"
    rf"(?:期间|以来)?)(?:累计)?(?P<verb>下降|降低|减少|提高|增长|增加|上升)(?P<num>{NUMBER})\s*(?P<unit>%|‰)?$")
_WORD_BOUND = re.compile(rf"^(?P<word>{'|'.join(sorted(OPERATOR_WORDS, key=len, reverse=True))})\s*(?P<rest>.+)$")
# A name starts where a run of name characters starts (the look-behind; a unit ends the measure before it, as in
# "2类区:100%4a类区:0"): tried from every character of a long run, the name made the search quadratic ("71.1" and
# 32,000 characters took 25 s).
_MEASURE = re.compile(rf"(?<![^\s:：,，;；%‰])(?P<name>[^\s:：,，;；%‰]+?)\s*[:：]\s*(?P<num>{NUMBER})\s*"
                      r"(?P<unit>%|‰|天)?")
# The task's number at the end of its text. It starts where a number starts (the look-behind): tried from every
# digit of a long run, the search was quadratic.
_TASK_NUMBER = re.compile(rf"(?:下降|降低|减少|提高|增长|增加|达到|控制在|不低于|不超过)?\s*(?P<q>(?:≥|≤|>=|<=|>|<)?\s*"
                          rf"(?<![\d.,])(?:{NUMBER})\s*(?:%|‰|[^\d\s,，;；:：()（）]{{0,4}}?))$")
_NA_WORDS = {"不涉及", "/", "不适用", "n/a", "na", "无此项"}
# A dash (any length: a keyboard's "-" is a typed "—") or 未统计 as the value says there is no figure, as
# statistical tables use it: 缺数据, never a convention that can count as 达标 (a clerk's "——" over an unmet
# value must not pass). "/" keeps its table meaning, 不适用. Where a document defines
# its dash as 未进行考核统计 (沙坪坝 专栏1 注2), the workbook says so in those words: 未考核.
_NO_DATA_WORDS = {"-", "－", "--", "—", "——", "－－", "–", "……", "未统计", "无数据", "暂无数据", "数据缺失"}
_NOT_ASSESSED_WORDS = {"未考核", "未进行考核统计"}
# A trend word reported as the value says where the indicator went; 逐年提高 is 提高 said every year.
_CLAIM: dict[TrendSense, ClaimWant] = {"up": "up", "down": "down", "improve": "improve", "stable": "stable",
                                       "yearly_up": "up", "yearly_down": "down"}
_CLAUSE_SPLIT = re.compile(r"[、,，;；]+")
# A number, then (after optional space) what `_parse_actual` checks is a named measure: a Chinese character
# (has_han) opening a name that ends in a colon, as in "321 天 优良天数比例：87.9%".
_NUMBER_BEFORE_NAME = re.compile(rf"^({NUMBER}\s*(?:%|‰|天)?)\s*(?=[^:：,，]+[:：])")


def parse_class(text: str) -> int | None:
    """The rank of a water class written as Ⅱ, II, Ⅱ类, 劣Ⅴ类, 三类; None if it is not a class."""
    t = compact(text).upper().replace("类水", "类")
    m = _CLASS_RE.match(t)
    if not m:
        return None
    inferior, numeral = m.group(1), m.group(2)
    rank = _ROMAN.get(numeral) or _CN_CLASS.get(numeral)
    if rank is None:
        return None
    if inferior:
        return 6 if rank == 5 else None
    return rank


def parse_quantity(text: str) -> Number | Bound | None:
    """A number (with unit) or a bound, written as the documents write them; None if the text is neither."""
    t = compact(text)
    if not t:
        return None
    m = _CHANGE.match(t)
    if m:
        value = to_float(m.group("num"))
        if value is None:
            return None
        since = int(m.group("year")) if m.group("year") else PLAN_PERIODS[m.group("period")][0] - 1
        return Number(value, unit=m.group("unit"), since=since)
    m = _YEAR_PAREN.match(t)
    if m:
        value = to_float(m.group("num"))
        return None if value is None else Number(value, unit=m.group("unit"), year=int(m.group("year")))
    m = _WORD_BOUND.match(t)
    if m:
        inner = parse_quantity(m.group("rest"))
        if isinstance(inner, Number):
            return Bound(Interval(OPERATOR_WORDS[m.group("word")], inner.value))
        return None
    m = _QUANTITY.match(t)
    if not m:
        return None
    value = to_float(m.group("num"))
    if value is None:
        return None
    if bool(m.group("open")) != bool(m.group("close")):
        return None
    unit = m.group("unit")
    if unit and not known_unit(unit):
        return None
    op_symbol, suffix = m.group("op"), m.group("suffix")
    if op_symbol:
        op = parse_op(op_symbol)
        return Bound(Interval(op, value)) if op else None
    if suffix in ("以上", "及以上"):
        return Bound(Interval(">=", value))
    if suffix in ("以下", "及以下"):
        return Bound(Interval("<=", value))
    return Number(value, unit=unit or None, cumulative=bool(m.group("open")))


@lru_cache(maxsize=1024)  # pure, and the same task sentence recurs in every district's workbook
def parse_task(text: str) -> Task:
    """The superior's task as a cell or the 上级任务 column writes it."""
    raw = strip_footnotes(fold(text))
    t = compact(raw).rstrip("。")
    if not t:
        return Task(text=raw, not_issued=True)
    if re.search(r"未(?:逐年)?下达|未分解|无考核任务|未考核", t):
        return Task(text=raw, not_issued=True)
    period = next((years for name, years in PLAN_PERIODS.items() if name in t), None)
    since_m = re.search(r"(?:比|较)((?:19|20)[0-9][0-9])年", t)
    since = int(since_m.group(1)) if since_m else None
    # The number is the last quantity of the text, behind a verb such as 下降; anything else (3个国考断面…) is words.
    m = None if odd_digits(text) else _TASK_NUMBER.search(t)
    if m:
        head = t[: m.start("q")]
        q = parse_quantity(m.group("q"))
        head_ok = head == "" or bool(re.search(r"(下降|降低|减少|提高|增长|增加|达到|控制在|不低于|不超过)(幅度|率)?$",
                                               head))
        if q is not None and head_ok:
            if isinstance(q, Bound):
                return Task(text=raw, number=q.interval.bound, op=q.interval.op, period=period, since=since)
            return Task(text=raw, number=q.value, unit=q.unit, period=period, since=since)
    return Task(text=raw, period=period, since=since)


def _parse_measures(text: str) -> Measures | None:
    t = fold(text)
    found = list(_MEASURE.finditer(t))
    if not found:
        return None
    # Every character must belong to a measure or a separator, or the text is something else.
    rest = _MEASURE.sub("", t)
    if re.sub(r"[\s,，;；、。]", "", rest):
        return None
    items = []
    for m in found:
        value = to_float(m.group("num"))
        if value is None:
            return None
        items.append((m.group("name"), Number(value, unit=m.group("unit"))))
    return Measures(tuple(items))


def _parse_actual(text: str) -> tuple[Value | None, Measures | None]:
    """The 当年指标值 part: a main value, then optional named measures (321 天，优良天数比率：87.9%)."""
    # "321 天 优良天数比例：87.9%" (no comma before the named measure) reads like "321 天，优良天数比例：87.9%".
    text = fold(text).strip().rstrip("。")
    named = _NUMBER_BEFORE_NAME.match(text)
    if named and has_han(text[named.end()]):
        text = f"{named.group(1)}，{text[named.end():]}"
    parts = [p for p in re.split(r"[,，;；]\s*", text) if p.strip()]
    if not parts:
        return None, None
    main = parse_value(parts[0]).value
    measures = _parse_measures("，".join(parts[1:])) if len(parts) > 1 else None
    if isinstance(main, Measures) and measures is None:
        return None, main
    return main, measures


_PLAIN_NUMBER = re.compile(r"^(-?[0-9]{1,15}(?:\.[0-9]{1,15})?)(%?)$")


def parse_value(cell: object) -> Reported:
    """Parse one 指标值 cell (str, number, or None) into a `Reported` value. Never raises."""
    if cell is None:
        return Reported(raw="", value=None)
    if isinstance(cell, bool):  # a logical cell, shown as Excel and WPS show it
        shown = "TRUE" if cell else "FALSE"
        return Reported(raw=shown, value=FreeText(shown))
    if isinstance(cell, (int, float)):
        number = float(cell)
        raw = format_number(number) if number == number and abs(number) != float("inf") else str(cell)
        if number != number or abs(number) == float("inf"):
            return Reported(raw=raw, value=FreeText(raw))
        return Reported(raw=raw, value=Number(number))
    raw = str(cell).strip()
    if not raw:
        return Reported(raw="", value=None)
    plain = _PLAIN_NUMBER.match(raw)  # most cells: "87.9", "71.1%" — skip folding and the form-by-form search
    if plain:
        return Reported(raw=raw, value=Number(float(plain.group(1)), unit=plain.group(2) or None))
    folded = fold(raw)
    footnotes = tuple(re.findall(r"\^\s*\[\s*(\d+)\s*\]|【\s*(\d+)\s*】", folded))
    text = strip_footnotes(folded)
    t = compact(text)
    notes = tuple(a or b for a, b in footnotes)
    return Reported(raw=raw, footnotes=notes, **_classify(text, t, numbers=not odd_digits(raw)))


def _classify(text: str, t: str, numbers: bool = True) -> dict:
    if t in _NO_DATA_WORDS:
        return {"value": None}
    if t.lower() in _NA_WORDS or t.startswith("不涉及"):
        return {"value": NotApplicable(text)}
    if re.match(r"^无[^\d]{1,12}$", t) and not re.search(r"(变化|降低|减少|下降)$", t):
        return {"value": NotApplicable(text)}  # 无黑臭水体: nothing to treat
    if not numbers:  # ⑦①, ⁷¹, ٧١.١, 7 1.1 (see normalize.odd_digits): words to review, or no number at all
        return _words(text, t)
    m = _TASK_ACTUAL.match(t)
    if m:
        main, measures = _parse_actual(m.group("actual"))
        return {"value": main, "task": parse_task(m.group("task")), "measures": measures}
    m = _TASK_ONLY.match(t)
    if m:
        task = parse_task(m.group("task"))
        return {"value": TaskNotIssued() if task.not_issued else None, "task": task}
    head, paren_number = t, None
    m = _PAREN_NUMBER.match(t)
    if m and m.group("head"):
        head, paren_number = m.group("head"), to_float(m.group("num"))
    if head in _NOT_ASSESSED_WORDS or head.startswith("未考核"):
        return {"value": NotAssessed(paren_number)}
    quantity = parse_quantity(t)
    if quantity is not None:
        return {"value": quantity}
    # An expectation is read before a missing task: "未下达该指标考核任务，但预计该指标仍能达标" is an estimate.
    if "预计" in t:
        inner_text = re.split(r"预计将?", t, maxsplit=1)[1]
        inner = parse_quantity(re.split(r"[,，;；]", inner_text)[0])
        return {"value": Expectation(text, inner)}
    if re.search(r"未(?:逐年)?下达|未分解", head):
        return {"value": TaskNotIssued(paren_number)}
    sense = TREND_WORDS.get(head)
    if sense is not None:
        return {"value": TrendClaim(_CLAIM[sense], head, paren_number)}
    rank = parse_class(t)
    if rank is not None:
        return {"value": WaterClass(rank)}
    measures = _parse_measures(text)
    if measures is not None:
        return {"value": measures, "measures": measures}
    # "321天，优良天数比率：87.9%": the actual and its rate, with the task in its own column
    m = re.match(rf"^({NUMBER}\s*(?:%|‰|天)?)\s*[,，;；]?\s*([^\d].*[:：].+)$", t)
    if m:
        main, extra = parse_quantity(m.group(1)), _parse_measures(m.group(2))
        if main is not None and extra is not None:
            return {"value": main, "measures": extra}
    if re.fullmatch(r"(?:NaN|nan|NAN|inf|-inf|Infinity|-Infinity|#N/A|#VALUE!|#DIV/0!|#REF!)", t):
        return {"value": FreeText(text)}
    return _words(text, t)


def _words(text: str, t: str) -> dict:
    if not has_han(t):  # digits or Latin letters only: nothing a criterion reads
        return {"value": FreeText(text)}
    clauses = tuple(c for c in _CLAUSE_SPLIT.split(t) if c)
    return {"value": Words(text, clauses)}


# The typed values are re-exported: callers import them from here as from `ecoplan.workbook.reported`.
__all__ = ["CLASS_NAMES", "Bound", "ClaimWant", "Expectation", "FreeText", "Measures", "NotApplicable", "NotAssessed",
           "Number", "Reported", "Task", "TaskNotIssued", "TrendClaim", "Value", "WaterClass", "Words", "parse_class",
           "parse_quantity", "parse_task", "parse_value"]
