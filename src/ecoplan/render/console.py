"""Consoles for people: the terminal's own width on a terminal (or read on one through a pipe); a stated or wide
page when written to a file."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

REDIRECTED_WIDTH = 200
"""The page width of output written to a file: wide enough for the full table, names whole."""


def stdout_console() -> Console:
    """A console on stdout, `page_width()` columns wide (None: rich asks the terminal for its size)."""
    # lazy: rich.console (~55 ms) only for terminal output; JSON, CSV and files never build a Console
    from rich.console import Console

    return Console(width=page_width(sys.stdout), highlight=False, soft_wrap=False)


def page_width(stream: IO[str]) -> int | None:
    """The columns to lay terminal output out in — the one rule for `assess`, `check`, `batch` and `rules`:

    * `stream` is a terminal: None, its own size (COLUMNS wins, as for every program);
    * a pipe while stderr is a terminal (`| less`, `| head`): that terminal's width, where the person reads it;
    * otherwise (a file, a pipe in CI): a 200-column page where the full table fits with every name whole, or
      COLUMNS if that is wider. A narrower COLUMNS is not taken there: shells and CI runners export the width of
      some terminal that is not the one the file will be read in, and `check`'s table folds names below ~160
      columns.
    """
    if _is_terminal(stream):
        return None
    if _is_terminal(sys.stderr) and not _is_regular_file(stream):
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else _stderr_columns()
    return redirected_width(os.environ.get("COLUMNS", ""))


def terminal_columns(stream: IO[str]) -> int:
    """`page_width` as a number: a terminal's own size when it is one."""
    return page_width(stream) or shutil.get_terminal_size((80, 24)).columns


def redirected_width(columns: str) -> int:
    """The width of output written to a file: REDIRECTED_WIDTH, or COLUMNS when it is a wider number."""
    return max(int(columns), REDIRECTED_WIDTH) if columns.strip().isdigit() else REDIRECTED_WIDTH


def _stderr_columns() -> int:
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


def _is_terminal(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def _is_regular_file(stream: IO[str]) -> bool:
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (AttributeError, OSError, ValueError):  # replaced or closed stream (a test's capture): not a file
        return False


def stdout_is_file() -> bool:
    """True when stdout was redirected into a regular file (`> out.csv`), not a terminal or a pipe: what is
    written is then a file a person opens, and a CSV needs its byte order mark."""
    return _is_regular_file(sys.stdout)
