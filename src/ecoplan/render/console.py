"""Consoles for people: the terminal's own width on a terminal (or read on one through a pipe into a pager); 80
columns where no terminal shows the output as it is written (pre-commit, a CI log, a file)."""

from __future__ import annotations

import os
import stat
import sys
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

PAGE_WIDTH = 80
"""The width of output no terminal shows as it is written (a pipe into a program, pre-commit, a CI log, a file):
the width every terminal and log viewer has."""


def stdout_console() -> Console:
    """A console on stdout, `page_width()` columns wide."""
    # lazy: rich.console (~55 ms) only for terminal output; JSON, CSV and files never build a Console
    from rich.console import Console

    return Console(width=page_width(sys.stdout), highlight=False, soft_wrap=False)


def page_width(stream: IO[str]) -> int:
    """The columns to lay terminal output out in — the one rule for `assess`, `check`, `batch` and `rules`:

    * `stream` is a terminal: its own width (COLUMNS wins, as for every program; a terminal that states no size,
      as pre-commit's, is PAGE_WIDTH);
    * a pipe while stderr is a terminal (`| less`, `| head`): that terminal's width, where the person reads it;
    * otherwise (a pipe into a program, pre-commit, a CI log, a file): `unseen_width()`, PAGE_WIDTH columns.
    """
    if _is_terminal(stream):
        return _columns() or _terminal_width(stream)
    if read_on_terminal(stream):
        return _columns() or _terminal_width(sys.stderr)
    return unseen_width()


def read_on_terminal(stream: IO[str]) -> bool:
    """Whether a person reads `stream` as it is written: a terminal, or a pipe into a pager on one (stderr is the
    terminal). Not a file, nor a pipe in CI or into a program."""
    return _is_terminal(stream) or (_is_terminal(sys.stderr) and not _is_regular_file(stream))


def unseen_width() -> int:
    """The width of output that no terminal shows as it is written (a pipe, a file, `-o report.txt`): PAGE_WIDTH,
    or COLUMNS when it is set (`COLUMNS=200 ecoplan check … > report.txt` asks for a wide page)."""
    return _columns() or PAGE_WIDTH


def _columns() -> int | None:
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def _terminal_width(stream: IO[str]) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or PAGE_WIDTH
    except (AttributeError, OSError, ValueError):
        return PAGE_WIDTH


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
