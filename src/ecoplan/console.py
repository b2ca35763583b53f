"""Consoles for people: wide enough for Chinese tables when output is redirected; errors to stderr."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def stdout_console() -> "Console":
    from rich.console import Console

    width = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", "200"))
    return Console(width=width, highlight=False, soft_wrap=False)


def stderr_console() -> "Console":
    from rich.console import Console

    return Console(stderr=True, highlight=False)
