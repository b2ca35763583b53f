"""Consoles for people: the terminal's own width on a terminal; a stated or wide page when redirected."""

from __future__ import annotations

import os
import stat
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

REDIRECTED_WIDTH = 200
"""The page width of redirected output: wide enough for the full table, names whole."""


def stdout_console() -> Console:
    """A console on stdout. On a terminal rich asks the terminal for its size; redirected output (a file, a pipe)
    has no size: it gets a 200-column page where the full table fits with every name whole, or COLUMNS if that is
    wider. A narrower COLUMNS is not taken: shells and CI runners export the width of some terminal that is not
    the one the file will be read in, and `check`'s table folds names below ~160 columns."""
    # lazy: rich.console (~55 ms) only for terminal output; JSON, CSV and files never build a Console
    from rich.console import Console

    width = None if sys.stdout.isatty() else redirected_width(os.environ.get("COLUMNS", ""))
    return Console(width=width, highlight=False, soft_wrap=False)


def redirected_width(columns: str) -> int:
    """The width of redirected output: REDIRECTED_WIDTH, or COLUMNS when it is a wider number."""
    return max(int(columns), REDIRECTED_WIDTH) if columns.strip().isdigit() else REDIRECTED_WIDTH


def stdout_is_file() -> bool:
    """True when stdout was redirected into a regular file (`> out.csv`), not a terminal or a pipe: what is
    written is then a file a person opens, and a CSV needs its byte order mark."""
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # replaced or closed stdout (a test's capture): not a file
        return False
