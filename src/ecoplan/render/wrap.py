"""The one line-breaking rule for text read in a terminal: where a line of Chinese, numbers, ids and paths may end.

A line may end

* at a space, unless the space joins a number to its unit ("−27 天", "2 个百分点": a word of at most four
  characters after a number) or follows a comparison sign ("≥ 30");
* between two characters when one of them is wide (Chinese), as Chinese text is set — but never inside a number
  and its unit ("327天", "2023年", "Ⅱ类", "35μg/m3"), never before closing punctuation nor after opening
  punctuation (the 禁则 of Chinese typesetting: "，" "）" "%" never start a line, "（" "“" never end one).

A run of narrow characters without spaces — an id ("national-demo-county-2024"), a path, an option
("--fail-on"), a number — is never broken, unless it alone is wider than the line: then it is cut after a "/"
(or "-", "_", ".") where it can, anywhere where it must. Widths count East Asian wide characters as two columns,
as terminals draw them. No rich here: the batch overview (render/batch_table.py) wraps plain strings with it
without loading rich; render/terminal.py applies it to rich's styled text and table cells.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉’”…%‰℃°:;,.!?)]}")
"""Closing punctuation (and units written as signs): a line never starts with one."""
NO_LINE_END = frozenset("（《「『【〔〈‘“([{")
"""Opening punctuation: a line never ends with one."""
_SIGNS = frozenset("≥≤<>=≠≈±~～＞＜≧≦")
"""Comparison signs: "≥ 30" stays on one line."""
_FOLD_AFTER = frozenset("/\\-_.:")
"""Where an id or a path too long for a line is cut, when it must be."""
UNIT_CHARACTERS = 4
"""The longest unit kept with its number: "天", "万吨", "μg/m3", "个百分点"."""
_PUNCTUATION = NO_LINE_START | NO_LINE_END | frozenset("·—–→←↑↓、")


@lru_cache(maxsize=4096)  # the same names, years and words are measured many times in a batch overview
def width(text: str) -> int:
    """Terminal columns of a text: East Asian wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if ch.isascii():
        return 1
    if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _wide(ch: str) -> bool:
    return not ch.isascii() and unicodedata.east_asian_width(ch) in ("W", "F")


def _digit(ch: str) -> bool:
    return ch.isdigit() or "\u2160" <= ch <= "\u217f"  # Ⅰ–Ⅻ: "Ⅱ类" is a number and its unit too


def _glued(text: str) -> set[int]:
    """Positions a line may not start at because they belong to the number before them: the unit right after it
    ("327天") or after one space ("−27 天"), a word of at most UNIT_CHARACTERS characters."""
    glued: set[int] = set()
    n = len(text)
    for i, ch in enumerate(text):
        if not _digit(ch) or (i + 1 < n and (_digit(text[i + 1]) or text[i + 1] in ".,")):
            continue  # not the last digit of a number
        k = i + 1
        spaced = k < n and text[k] == " "
        unit = _unit_length(text, k + 1 if spaced else k)
        if spaced and unit and (k + 1 + unit == n or not _unit_char(text[k + 1 + unit])):
            glued.update(range(k + 1, k + 1 + unit))  # "−27 天", "2 个百分点": not a longer word after a space
        elif not spaced:
            glued.update(range(k, k + min(unit, UNIT_CHARACTERS)))
    return glued


def _unit_char(ch: str) -> bool:
    return ch != " " and not _digit(ch) and ch not in _PUNCTUATION and ch not in _SIGNS


def _unit_length(text: str, start: int) -> int:
    """How many characters from `start` could be a unit (up to a space, a digit or punctuation), at most
    UNIT_CHARACTERS + 1 (one more: the caller can tell a unit from a longer word)."""
    length = 0
    while start + length < len(text) and length <= UNIT_CHARACTERS and _unit_char(text[start + length]):
        length += 1
    return length


def _sign_before(text: str, i: int) -> bool:
    """Whether the word before the spaces ending at `i` is a comparison sign alone ("≥" of "≥ 30")."""
    j = i
    while j > 0 and text[j - 1] == " ":
        j -= 1
    k = j
    while k > 0 and text[k - 1] != " ":
        k -= 1
    return k < j and all(c in _SIGNS for c in text[k:j])


def _starts_word(text: str, i: int) -> bool:
    """Whether the "." at `i` begins a word (".xlsx"), not a sentence's end."""
    return text[i] == "." and i + 1 < len(text) and text[i + 1].isalnum()


def break_points(text: str) -> list[bool]:
    """For each position i, whether a line may end before text[i] (the spaces there are dropped)."""
    n = len(text)
    allowed = [False] * (n + 1)
    allowed[n] = True
    glued = _glued(text)
    for i in range(1, n):
        before, ch = text[i - 1], text[i]
        if ch == " " or (ch in NO_LINE_START and not _starts_word(text, i)) or i in glued:
            continue
        if before == " ":
            allowed[i] = not _sign_before(text, i)
        elif before not in NO_LINE_END:
            allowed[i] = _wide(before) or _wide(ch)
    return allowed


def line_spans(text: str, size: int, rest: int | None = None, *,
               allowed: list[bool] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` (one paragraph, no newline) broken by the rule: the first line at most
    `size` columns, the others at most `rest` (default `size`; less when they are indented). Spaces where a line
    breaks are dropped; the text's own leading spaces stay on its first line. When the first word does not fit in
    `size` but the later lines are wider, the first line is left empty (the word starts the next line whole).
    `allowed`: break_points(text) narrowed by the caller (help keeps a bracket whole)."""
    n = len(text)
    if not text.strip(" "):
        return [(0, 0)]
    widths = [_char_width(ch) for ch in text]
    allowed = break_points(text) if allowed is None else allowed
    spans: list[tuple[int, int]] = []
    start, limit = 0, size
    while start < n:
        best, running = None, 0
        for end in range(start + 1, n + 1):
            running += widths[end - 1]
            if text[end - 1] != " " and running > limit:  # trailing spaces are dropped: they never overflow
                break
            if allowed[end]:
                best = end
        if best is None and not spans and rest is not None and rest > limit:
            spans.append((start, start))  # the first word does not fit after what precedes the text: next line
            limit = rest
            continue
        if best is None:  # one word wider than the line: cut it
            best = _cut(text, widths, start, limit)
        stop = best
        while stop > start and text[stop - 1] == " ":
            stop -= 1
        spans.append((start, stop))
        start = best
        while start < n and text[start] == " ":
            start += 1
        limit = size if rest is None else rest
    return spans


def _cut(text: str, widths: list[int], start: int, limit: int) -> int:
    """Where to cut a word too wide for the line: after its last "/" (or "-", "_", ".", ":") that fits, else after
    as many characters as fit (at least one)."""
    end, used, after = start, 0, None
    while end < len(text) and text[end] != " " and used + widths[end] <= limit:
        used += widths[end]
        end += 1
        if text[end - 1] in _FOLD_AFTER and end < len(text) and text[end] != " ":
            after = end
    if end < len(text) and text[end] != " " and after is not None:
        return after
    return max(end, start + 1)


def wrap(text: str, size: int, indent: str = "") -> list[str]:
    """`text` as lines of at most `size` columns by the rule; continuation lines start with `indent`; a newline in
    the text starts a new paragraph, flush like the first."""
    lines: list[str] = []
    room = max(1, size - width(indent))
    for paragraph in text.split("\n"):
        spans = line_spans(paragraph, size, room)
        lines += [("" if i == 0 else indent) + paragraph[a:b] for i, (a, b) in enumerate(spans)]
    return lines


def longest_unbreakable(text: str) -> int:
    """The columns of the widest piece of `text` no line may be narrower than (a table column's least width)."""
    widest = 0
    for paragraph in text.split("\n"):
        allowed = break_points(paragraph)
        start = 0
        for end in range(1, len(paragraph) + 1):
            if allowed[end]:
                widest = max(widest, width(paragraph[start:end].strip(" ")))
                start = end
    return widest


__all__ = ["NO_LINE_END", "NO_LINE_START", "break_points", "line_spans", "longest_unbreakable", "width", "wrap"]
