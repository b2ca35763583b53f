"""Limits on what a submitted workbook may be, checked before any parsing. Each can be set in the environment.

The defaults are far above any real district workbook (a few dozen KB, ~100 rows, 8 columns) and far below
what would exhaust a CI runner; docs/limits.md lists them with what happens when one is exceeded.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ecoplan.settings import env_integer

# setting → (environment variable, how the variable's number becomes the setting's value)
_MB = 2**20
ENVIRONMENT = {
    "max_file_bytes": ("ECOPLAN_MAX_FILE_MB", _MB),
    "max_inflated_bytes": ("ECOPLAN_MAX_INFLATED_MB", _MB),
    "max_ratio": ("ECOPLAN_MAX_RATIO", 1),
    "max_members": ("ECOPLAN_MAX_MEMBERS", 1),
    "max_rows": ("ECOPLAN_MAX_ROWS", 1),
    "max_columns": ("ECOPLAN_MAX_COLUMNS", 1),
    "max_cell_chars": ("ECOPLAN_MAX_CELL_CHARS", 1),
}


@dataclass(frozen=True)
class Limits:
    """File size, inflated (unzipped) size, compression ratio, archive members, rows and columns per sheet."""

    max_file_bytes: int = 20 * _MB
    max_inflated_bytes: int = 200 * _MB
    max_ratio: float = 200.0  # inflated ÷ compressed, for members over 1 MB inflated
    max_members: int = 2000
    max_rows: int = 5000  # data rows per sheet (the header row comes on top)
    max_columns: int = 256
    max_cell_chars: int = 10_000  # the longest cell of a real submission is a note of ~130 characters

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by ECOPLAN_MAX_FILE_MB, ECOPLAN_MAX_INFLATED_MB, ECOPLAN_MAX_RATIO,
        ECOPLAN_MAX_MEMBERS, ECOPLAN_MAX_ROWS, ECOPLAN_MAX_COLUMNS and ECOPLAN_MAX_CELL_CHARS. Raises InputError for
        a bad value."""
        return _limits_for(tuple(os.environ.get(variable, "") for variable, _ in ENVIRONMENT.values()))


@lru_cache(maxsize=8)  # read for every workbook of a batch; the environment rarely changes within a run
def _limits_for(settings: tuple[str, ...]) -> Limits:
    base = Limits()
    values: dict[str, Any] = {}
    for setting, (variable, scale) in ENVIRONMENT.items():
        default = getattr(base, setting)
        number = env_integer(variable, int(default // scale)) * scale
        values[setting] = float(number) if isinstance(default, float) else number
    return Limits(**values)

