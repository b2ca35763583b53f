"""A table as its grid: the text at every row and column, and which merged cell covers each position.

Word (gridSpan, vMerge) and spreadsheets (merged ranges) both come down to this: a merged cell covers a rectangle
of positions, each position knows the top-left corner of the cell covering it, so a 领域 cell merged over ten rows
gives those ten rows the same 领域, and a parent's name merged over its sub-rows says they are its items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Position = tuple[int, int]

_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9.%]")


def join_lines(lines: list[str]) -> str:
    """A cell's lines as one text: Chinese wraps without a space ("2020年" + "现状值"), words of Latin letters or
    digits keep one ("PM2.5" "浓度" stays "PM2.5浓度", "mg" "L" becomes "mg L")."""
    text = ""
    for line in (_SPACE.sub(" ", part).strip() for part in lines):
        if not line:
            continue
        if text and _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(line[0]):
            text += " "
        text += line
    return text


@dataclass
class Grid:
    """Text and merged-cell corner at each (row, column), 0-based; every row is as wide as the widest."""

    texts: list[list[str]] = field(default_factory=list)
    corners: list[list[Position]] = field(default_factory=list)
    page_starts: set[int] = field(default_factory=set)  # rows that begin a later page of a table split by pages

    @property
    def height(self) -> int:
        return len(self.texts)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.texts), default=0)

    def text(self, row: int, col: int) -> str:
        """The text of the cell covering (row, col); '' outside the grid."""
        if 0 <= row < self.height and 0 <= col < len(self.texts[row]):
            return self.texts[row][col]
        return ""

    def corner(self, row: int, col: int) -> Position:
        """The top-left position of the cell covering (row, col)."""
        if 0 <= row < self.height and 0 <= col < len(self.corners[row]):
            return self.corners[row][col]
        return (row, col)

    def starts_here(self, row: int, col: int) -> bool:
        """Whether the cell at (row, col) begins in this row (it is not merged down from a row above)."""
        return self.corner(row, col)[0] == row

    def row_texts(self, row: int) -> list[str]:
        """The texts of a row's cells, each merged cell once, left to right."""
        seen: set[Position] = set()
        texts = []
        for col in range(len(self.texts[row]) if 0 <= row < self.height else 0):
            corner = self.corner(row, col)
            if corner not in seen:
                seen.add(corner)
                texts.append(self.texts[row][col])
        return texts

    def is_blank(self, row: int) -> bool:
        return not any(t.strip() for t in self.texts[row])

    def padded(self) -> Grid:
        """The same grid with every row as wide as the widest (empty single cells added on the right)."""
        width = self.width
        for r, row in enumerate(self.texts):
            for c in range(len(row), width):
                row.append("")
                self.corners[r].append((r, c))
        return self


class GridBuilder:
    """Builds a Grid from cells given with their spans: a cell placed at (row, col) covering `rows` × `cols`."""

    def __init__(self) -> None:
        self.texts: dict[Position, str] = {}
        self.corners: dict[Position, Position] = {}
        self.height = 0

    def occupied(self, row: int, col: int) -> bool:
        return (row, col) in self.corners

    def place(self, row: int, col: int, text: str, rows: int = 1, cols: int = 1) -> None:
        """Put a cell's text at (row, col), covering `rows` rows and `cols` columns (positions already covered by
        an earlier cell are left to it)."""
        for r in range(row, row + max(rows, 1)):
            for c in range(col, col + max(cols, 1)):
                if (r, c) not in self.corners:
                    self.corners[(r, c)] = (row, col)
                    self.texts[(r, c)] = text
        self.height = max(self.height, row + max(rows, 1))

    def extend_down(self, corner: Position, row: int, col: int, cols: int) -> None:
        """Let the cell whose corner is `corner` cover (row, col … col+cols-1) too (a vertical merge continued)."""
        text = self.texts.get(corner, "")
        for c in range(col, col + max(cols, 1)):
            self.corners[(row, c)] = corner
            self.texts[(row, c)] = text
        self.height = max(self.height, row + 1)

    def grid(self) -> Grid:
        width = max((c + 1 for _, c in self.corners), default=0)
        texts = [[self.texts.get((r, c), "") for c in range(width)] for r in range(self.height)]
        corners = [[self.corners.get((r, c), (r, c)) for c in range(width)] for r in range(self.height)]
        return Grid(texts, corners)


@dataclass
class Block:
    """A grid as found in the file, with the words around it: the caption above, the paragraphs below."""

    grid: Grid
    where: str
    title: str | None = None
    notes: list[str] = field(default_factory=list)


__all__ = ["Block", "Grid", "GridBuilder", "Position", "join_lines"]
