"""rich pieces every terminal report is laid out with, so all of them follow render/wrap.py's line-breaking rule:
a table cell that wraps by it, text printed wrapped and indented by it, and the test whether a table fits the page.

Each report (assess, check, rules list, rules show) builds its table, prints it when `fits`, and otherwise prints
one block per row with `print_wrapped`: the choice is made from the table's least width, so it holds for any
column a renderer adds.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ecoplan.render.wrap import line_spans, longest_unbreakable, width

READABLE = 22
"""The narrowest a wrapped column of sentences may get (11 Chinese characters) before one block per row reads
better."""
WHOLE = 1 << 20
"""A `Cell`'s least width that keeps it on one line."""


def wrap_text(text: Text | str, size: int, indent: int = 0) -> list[Text]:
    """`text` (styles kept) as lines of at most `size` columns; the continuation lines of each paragraph (a newline
    starts one) indented by `indent` spaces."""
    text = Text(text) if isinstance(text, str) else text
    lines: list[Text] = []
    room = max(1, size - indent)
    offset = 0
    for paragraph in text.plain.split("\n"):
        for i, (start, end) in enumerate(line_spans(paragraph, size, room)):
            piece = text[offset + start:offset + end]
            lines.append(Text(" " * indent).append_text(piece) if i else piece)
        offset += len(paragraph) + 1
    return lines


def print_wrapped(console: Console, text: Text | str, indent: int = 0, hanging: int | None = None) -> None:
    """Print `text` wrapped to the console by the rule, every line `indent` spaces in (the lines after the first
    `hanging` spaces, when given) — never a line wider than the console, nor trailing spaces."""
    text = Text(text) if isinstance(text, str) else text
    rest = indent if hanging is None else hanging
    for line in wrap_text(text, console.width - indent, rest - indent):
        console.print(Text(" " * indent).append_text(line) if indent else line, overflow="ignore", crop=False,
                      no_wrap=True, soft_wrap=True)


class Cell:
    """A table cell wrapped by the rule: rich gives its column at least the widest piece no line may split (and
    `least` columns, for a column of sentences that would be unreadable narrower)."""

    def __init__(self, text: Text | str, least: int = 0) -> None:
        self.text = Text(text) if isinstance(text, str) else text
        self.least = least

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plain = self.text.plain
        whole = max((width(line) for line in plain.split("\n")), default=0)
        least = min(whole, max(self.least, longest_unbreakable(plain)))
        return Measurement(least, whole)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in wrap_text(self.text, options.max_width):
            yield from line.render(console)
            yield Segment.line()


def whole(text: Text | str) -> Cell:
    """A cell kept on one line: an indicator's name, a status, a gap ("−27 天"), an id."""
    return Cell(text, least=WHOLE)


def fits(console: Console, table: Table) -> bool:
    """Whether `table` fits the console's width with every cell at least at its least width (no word, name or id
    cut, no column of sentences below READABLE); when it does, the wrapped columns are given their widths here.

    rich itself narrows the widest columns first when a table is too wide, below what their cells need (an id
    "national-demo-county-2024" cut in two): so the widths are shared out here, each wrapped column getting its
    least width and a share of the rest in proportion to what it would take beyond that."""
    options = console.options.update_width(10_000)
    spans = []
    for column in table.columns:
        measured = [Measurement.get(console, options, cell) for cell in (column.header, *column.cells)]
        spans.append((max(m.minimum for m in measured) + _PADDING, max(m.maximum for m in measured) + _PADDING))
    room = console.width - (len(table.columns) + 1 if table.box and table.show_edge else len(table.columns) - 1)
    least, most = sum(lo for lo, _ in spans), sum(hi for _, hi in spans)
    if least > room:
        return False
    spare = min(room, most) - least
    wanted = most - least
    for column, (lo, hi) in zip(table.columns, spans, strict=True):
        share = (hi - lo) * spare // wanted if wanted else 0
        column.width = lo + share - _PADDING
    short = min(room, most) - sum(column.width or 0 for column in table.columns) - _PADDING * len(spans)
    for column, (_, hi) in zip(table.columns, spans, strict=True):  # what the rounding down left, to the first
        grow = min(short, hi - _PADDING - (column.width or 0))
        column.width = (column.width or 0) + grow
        short -= grow
    return True


_PADDING = 2
"""Each table cell's padding: one space either side (rich's default)."""


def cells(values: Iterable[Text | str], least: int = 0) -> list[Cell]:
    """Each value as a `Cell` (wrapped by the rule, at least `least` columns wide when it is a sentence)."""
    return [Cell(value, least) for value in values]


__all__ = ["READABLE", "Cell", "cells", "fits", "print_wrapped", "whole", "wrap_text"]
