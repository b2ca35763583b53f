"""Which way an indicator is better, read from its name — for a bare number ("35") and a superior task, which
need it — and said in a comment on the row, because it is a reading, not a printed fact.

The head of a Chinese noun phrase is at its end: the word of either list that ends last in the name decides
(单位地区生产总值能耗 is a level, lower is better; 单位地区生产总值能耗降低 is a reduction, higher is better). A name
with neither kind of word gets no direction, and a bare number on it stays for a person to decide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower"]

# Reductions and shares end in these: the larger, the better.
HIGHER_WORDS = ("率", "比例", "比率", "比重", "占比", "覆盖率", "面积", "指数", "降低", "下降", "减少", "削减",
                "减排量", "下降率", "降低率", "下降幅度", "提高幅度", "消除比例", "保有率", "蓄积量", "天数", "满意度",
                "参与度", "达标率", "利用率", "处理率", "总量减少", "盖度", "分担率", "数量", "个数", "总量控制")
# Levels of a burden end in these: the smaller, the better.
LOWER_WORDS = ("浓度", "排放量", "排放强度", "能耗", "水耗", "用水量", "使用量", "消费量", "强度", "净增", "填埋量",
               "超标", "劣V类", "劣Ⅴ类", "黑臭水体", "噪声", "排放", "碳排放", "二氧化碳排放")

_PARENS = re.compile(r"[（(][^（()）]*[)）]")


@dataclass(frozen=True)
class NameDirection:
    """A direction and the word of the name it was read from."""

    direction: Direction
    word: str


def direction_from_name(name: str) -> NameDirection | None:
    """The direction the name's head word says, or None when it has no such word."""
    text = _PARENS.sub("", name)  # (湿润地区), (PM2.5), (类别) qualify; they are not the head
    best: tuple[int, int, NameDirection] | None = None
    for words, direction in ((HIGHER_WORDS, "higher"), (LOWER_WORDS, "lower")):
        for word in words:
            end = text.rfind(word)
            if end < 0:
                continue
            key = (end + len(word), len(word))
            if best is None or key > best[:2]:
                best = (*key, NameDirection(direction, word))  # type: ignore[arg-type]
    return best[2] if best else None


__all__ = ["Direction", "NameDirection", "direction_from_name"]
