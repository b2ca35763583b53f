"""Every word table ecoplan reads or prints, once: operator words, trend words, state words, plan periods,
status and attribute labels, the status orders, regions.

The value parser (`ecoplan.workbook.values`), the criterion short forms (`ecoplan.rules.criteria`) and the
renderers all take their words from here, so a word added for one is known to all.
"""

from __future__ import annotations

from typing import Literal, get_args

from ecoplan.quantity import Op

# -- verdicts ---------------------------------------------------------------------------------------------------
Status = Literal["met", "not_met", "not_applicable", "missing", "review"]

STATUS_LABELS: dict[str, str] = {"met": "达标", "not_met": "未达标", "not_applicable": "不涉及", "missing": "缺数据",
                                 "review": "待核实"}
STATUS_ORDER: tuple[Status, ...] = ("met", "not_met", "not_applicable", "missing", "review")
"""The order statuses are listed and counted in (tables, charts, batch columns)."""
WORST_FIRST: tuple[Status, ...] = ("not_met", "missing", "review", "met", "not_applicable")
"""Which status a composite takes: the first one any part has (不涉及 parts are skipped, so it comes last)."""

ATTRIBUTE_LABELS: dict[str, str] = {"constraint": "约束性", "expected": "预期性", "reference": "参考性"}

# -- parts of a pack ----------------------------------------------------------------------------------------------
Part = Literal["table", "text", "project"]
PARTS: tuple[Part, ...] = ("table", "text", "project")
PART_LABELS: dict[str, str] = {"table": "指标表", "text": "正文目标", "project": "重大工程"}
"""The parts of a plan a pack encodes, in the order they are shown: its indicator table (the headline, counted as
the document counts it), the quantified targets of its running text, and the quantities of its major projects."""

# -- numbers in words -------------------------------------------------------------------------------------------
OPERATOR_WORDS: dict[str, Op] = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "达到": ">=",
    "不超过": "<=", "不高于": "<=", "不大于": "<=", "控制在": "<=",
    "高于": ">", "大于": ">", "低于": "<", "小于": "<",
}
"""A word in front of a number that makes it a bound: 不低于90 is ≥90 (values and criteria alike)."""

PLAN_PERIODS: dict[str, tuple[int, int]] = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
                                            "十五五": (2026, 2030)}

# -- trends -----------------------------------------------------------------------------------------------------
TrendSense = Literal["up", "down", "improve", "stable", "yearly_up", "yearly_down"]
TREND_WORDS: dict[str, TrendSense] = {
    "持续提高": "up", "稳步提高": "up", "有所提高": "up", "提升": "up", "提高": "up",
    "持续下降": "down", "持续减少": "down", "只减不增": "down", "负增长": "down", "下降": "down",
    "持续改善": "improve", "有所改善": "improve",
    "保持稳定或持续改善": "stable", "保持稳定或有所改善": "stable", "保持稳定": "stable", "稳定": "stable",
    "不降低": "stable", "巩固": "stable",
    "逐年下降": "yearly_down", "逐年提高": "yearly_up",
}
"""Trend words as a target says them (持续提高) and as a cell reports them (保持稳定(96.4))."""
TREND_TARGET_WORDS = frozenset(TREND_WORDS) - {"提高", "下降", "稳定"}
"""The trend words a criterion may be written as: a bare 提高 or 下降 says no more than the direction does."""

# -- states -----------------------------------------------------------------------------------------------------
STATE_IMPLIES: dict[str, set[str]] = {
    "全面实施": {"实施", "制定实施", "制定"}, "实施": {"制定实施", "制定"}, "制定实施": {"实施", "制定"},
    "有效开展": {"开展"}, "全面开展": {"开展"}, "全面完成": {"完成", "基本完成"}, "完成": {"基本完成"},
    "有效保障": {"保障"}, "全面消除": {"消除", "基本消除"}, "消除": {"基本消除"}, "全面建立": {"建立"},
    "建立健全": {"建立"}, "建立并实施": {"建立", "实施"}, "编制实施": {"编制", "实施", "制定实施"},
}
"""State words in implication order: a stronger word satisfies the weaker ones it lists."""
STATE_WORDS = frozenset(STATE_IMPLIES) | {w for ws in STATE_IMPLIES.values() for w in ws} | {
    "建立", "开展", "保障", "不明显", "不降低", "不改变", "不减少", "面积不减少", "性质不改变", "功能不降低",
    "生态功能不降低", "落实", "编制", "基本完成"}

# -- districts --------------------------------------------------------------------------------------------------
Region = Literal["东部", "中部", "西部", "东北"]
"""地区类型 in 区县信息 (the workbook contract's type of the field)."""
REGIONS: tuple[str, ...] = get_args(Region)
ADMIN_TYPES = ("市辖区", "县", "县级市", "自治县", "旗", "自治旗", "林区", "特区")
CITY_SIZES = ("超大城市", "特大城市", "大城市", "中小城市")

__all__ = ["ADMIN_TYPES", "ATTRIBUTE_LABELS", "CITY_SIZES", "OPERATOR_WORDS", "PARTS", "PART_LABELS", "PLAN_PERIODS",
           "REGIONS", "STATE_IMPLIES", "STATE_WORDS", "STATUS_LABELS", "STATUS_ORDER", "TREND_TARGET_WORDS",
           "TREND_WORDS", "WORST_FIRST", "Part", "Region", "Status", "TrendSense"]
