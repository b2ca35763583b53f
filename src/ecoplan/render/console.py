"""Consoles for people: wide enough for Chinese tables when output is redirected; errors to stderr."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def stdout_console() -> Console:
    from rich.console import Console

    # Redirected output gets a wide page: a narrow one folds the Chinese columns into unreadable slivers.
    columns = os.environ.get("COLUMNS", "")
    width = None if sys.stdout.isatty() else max(int(columns) if columns.isdigit() else 0, 200)
    return Console(width=width, highlight=False, soft_wrap=False)

