"""Consoles for people: the terminal's own width on a terminal; a stated or wide page when redirected."""

from __future__ import annotations

import os
import stat
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

REDIRECTED_WIDTH = 200
"""The page width of redirected output when COLUMNS does not say: wide enough for the full table."""
MIN_WIDTH = 40


def stdout_console() -> Console:
    """A console on stdout. On a terminal rich asks the terminal for its size; redirected output (a file, a pipe)
    has no size, so it takes COLUMNS when set (a person or a script stating the width) and otherwise 200 columns,
    where the full table fits and names stay whole."""
    from rich.console import Console

    width = None if sys.stdout.isatty() else redirected_width(os.environ.get("COLUMNS", ""))
    return Console(width=width, highlight=False, soft_wrap=False)


def redirected_width(columns: str) -> int:
    """COLUMNS as a width (never below 40), or REDIRECTED_WIDTH when it is unset or not a number."""
    return max(int(columns), MIN_WIDTH) if columns.strip().isdigit() else REDIRECTED_WIDTH


def stdout_is_file() -> bool:
    """True when stdout was redirected into a regular file (`> out.csv`), not a terminal or a pipe: what is
    written is then a file a person opens, and a CSV needs its byte order mark."""
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # replaced or closed stdout (a test's capture): not a file
        return False
