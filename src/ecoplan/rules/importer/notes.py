"""The notes under a table (注：1．…, 【1】…, *表示…): split into notes, attached to the rows they name, and read for
the two things that change a pack: a target the superior finally sets (以最终市级下达为准, 最终以重庆市下达数为准 →
`provisional:`) and the span of a bracketed total ([  ]内为5年累计数 → `plan_period`).

A note names a row by a symbol the row carries (* or 【1】), by the row's name written in it, or by one of the
terms it lists before 等 (单位GDP二氧化碳排放量、能耗、水耗和污染物排放总量减少等…) matching most of a row's name
or 领域. A note that names no row is reported as such, never attached at a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

_LEAD = re.compile(r"^\s*(?:注|说明)\s*[:：]?\s*")
_ITEM = re.compile(r"(?:^|(?<=[。；;\s]))(?:(\d{1,2})\s*[.．、](?!\d)|[（(](\d{1,2})[)）])")
_MARKER_ITEM = re.compile(r"【\s*(\d+)\s*】|\^?\[\s*(\d+)\s*\](?!\s*(?:内|的|中))")
_STAR = re.compile(r"^\s*([*※])")
_SENTENCE = re.compile(r"(?<=[。；;])")
PROVISIONAL = re.compile(r"以[^，。；,;]{0,40}?(?:下达|审批|核定|批复)[^，。；,;]{0,20}?为准")
_SPAN = re.compile(r"([\d一二三四五六七八九十]+)\s*年\s*累计")
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SUBJECT_END = re.compile(r"为|以|由|最终|目前|包含|表示|受|是|指")
_TERM_SPLIT = re.compile(r"[、，,和及与]")
_MIN_SHARE = 0.75  # a listed term names a row when this share of it (and two characters at least) is in the name


@dataclass
class Note:
    """One note: its label as printed (注1, 【1】, *), its words, and the symbol it explains, if any."""

    label: str
    text: str
    marker: str | None = None
    rows: list[str] = field(default_factory=list)  # ids of the rows it was attached to
    use: str | None = None  # what else it was read for (the plan period)

    def sentences(self) -> list[str]:
        return [s.strip() for s in _SENTENCE.split(self.text) if s.strip()]


def split_notes(lines: list[str]) -> list[Note]:
    """The notes of the lines under a table: each numbered item, each 【n】 and each *-note on its own."""
    notes: list[Note] = []
    for line in lines:
        text = _LEAD.sub("", line.strip())
        if not text:
            continue
        pieces = _pieces(text)
        for label, words in pieces:
            star = _STAR.match(words)
            marker = star.group(1) if star else (label if label.startswith("[") else None)
            notes.append(Note(_label(label, len(notes)), words.strip(), marker))
    return notes


def _pieces(text: str) -> list[tuple[str, str]]:
    """(label, words) of each note in one line: split at 【n】 markers, else at numbers (1．, (2))."""
    marks = list(_MARKER_ITEM.finditer(text))
    if marks and marks[0].start() == 0:
        return [(f"[{m.group(1) or m.group(2)}]", text[m.end():(marks[i + 1].start() if i + 1 < len(marks)
                                                                else len(text))].strip("；; "))
                for i, m in enumerate(marks)]
    items = list(_ITEM.finditer(text))
    if not items or items[0].start() != 0:
        return [("", text)]
    return [(items[i].group(1) or items[i].group(2) or "", text[m.end():(items[i + 1].start() if i + 1 < len(items)
                                                                         else len(text))])
            for i, m in enumerate(items)]


def _label(label: str, index: int) -> str:
    if label.startswith("["):
        return f"注【{label[1:-1]}】"
    return f"注{label}" if label else f"注（第{index + 1}条）"


def plan_span(notes: list[Note]) -> int | None:
    """The years a bracketed total spans, as a note says ([  ]内为5年累计数 → 5); marks that note's use."""
    for note in notes:
        match = _SPAN.search(note.text)
        if match and ("[" in note.text or "［" in note.text):
            raw = match.group(1)
            years = int(raw) if raw.isdigit() else _CHINESE_DIGITS.get(raw)
            if years:
                note.use = f"规划期 {years} 年累计数"
                return years
    return None


def provisional_words(text: str) -> str | None:
    """The sentence of `text` that makes a target provisional (…以最终市级下达为准), without its full stop."""
    for sentence in _SENTENCE.split(text):
        if PROVISIONAL.search(sentence):
            return sentence.strip().rstrip("。；;").strip()
    return None


@dataclass(frozen=True)
class Named:
    """A row a note can name: its id, its name, its 领域, and the texts of its cells (for symbols)."""

    id: str
    name: str
    domain: str | None
    cells: str


def rows_named(sentence: str, marker: str | None, rows: list[Named]) -> list[str]:
    """The ids of the rows a note's sentence names."""
    if marker is not None:
        return [row.id for row in rows if _carries(row.cells, marker)]
    terms = _terms(sentence)
    return [row.id for row in rows if (len(row.name) >= 2 and row.name in sentence)
            or any(_names(term, row.name) or (row.domain and _names(term, row.domain)) for term in terms)]


def _carries(cells: str, marker: str) -> bool:
    if marker in ("*", "※"):
        return marker in cells
    number = marker.strip("[]")
    return bool(re.search(rf"【\s*{number}\s*】|\[\s*{number}\s*\]", cells))


def _terms(sentence: str) -> list[str]:
    """The things a note lists before what it says of them (…、…和…等 / … 为 …)."""
    head = sentence.split("等")[0] if "等" in sentence else _SUBJECT_END.split(sentence)[0]
    return [t.strip() for t in _TERM_SPLIT.split(head) if len(t.strip()) >= 2]


def _names(term: str, name: str) -> bool:
    match = SequenceMatcher(None, term, name, autojunk=False).find_longest_match(0, len(term), 0, len(name))
    return match.size >= 2 and match.size >= _MIN_SHARE * len(term)


__all__ = ["PROVISIONAL", "Named", "Note", "plan_span", "provisional_words", "rows_named", "split_notes"]
