"""Limits on what a submitted workbook may be, checked before any parsing. Each can be set in the environment.

The defaults are far above any real district workbook (a few dozen KB, ~100 rows, 8 columns) and far below
what would exhaust a CI runner; docs/limits.md lists them with what happens when one is exceeded.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ecoplan.errors import InputError

# setting → (environment variable, how the variable's number becomes the setting's value)
_MB = 2**20
ENVIRONMENT = {
    "max_file_bytes": ("ECOPLAN_MAX_FILE_MB", _MB),
    "max_inflated_bytes": ("ECOPLAN_MAX_INFLATED_MB", _MB),
    "max_ratio": ("ECOPLAN_MAX_RATIO", 1),
    "max_members": ("ECOPLAN_MAX_MEMBERS", 1),
    "max_rows": ("ECOPLAN_MAX_ROWS", 1),
    "max_columns": ("ECOPLAN_MAX_COLUMNS", 1),
}


def _env_number(name: str, default: float) -> float:
    """The positive finite number in $name, `default` when unset or empty; anything else is a usage error.

    A typo must not silently fall back to the default (the user would believe the limit was raised), and NaN or
    infinity must not reach int() (which raises): both are refused with exit code 2.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"应为正数，实际为 {raw!r}", name)
    return value


@dataclass(frozen=True)
class Limits:
    """File size, inflated (unzipped) size, compression ratio, archive members, rows and columns per sheet."""

    max_file_bytes: int = 20 * _MB
    max_inflated_bytes: int = 200 * _MB
    max_ratio: float = 200.0  # inflated ÷ compressed, for members over 1 MB inflated
    max_members: int = 2000
    max_rows: int = 5000  # data rows per sheet (the header row comes on top)
    max_columns: int = 256

    @classmethod
    def from_env(cls) -> Limits:
        """Defaults, overridden by ECOPLAN_MAX_FILE_MB, ECOPLAN_MAX_INFLATED_MB, ECOPLAN_MAX_RATIO,
        ECOPLAN_MAX_MEMBERS, ECOPLAN_MAX_ROWS and ECOPLAN_MAX_COLUMNS. Raises InputError for a bad value."""
        return _limits_for(tuple(os.environ.get(variable, "") for variable, _ in ENVIRONMENT.values()))


@lru_cache(maxsize=8)  # read for every workbook of a batch; the environment rarely changes within a run
def _limits_for(settings: tuple[str, ...]) -> Limits:
    base = Limits()
    values: dict[str, Any] = {}
    for setting, (variable, scale) in ENVIRONMENT.items():
        default = getattr(base, setting)
        number = _env_number(variable, default / scale) * scale
        values[setting] = number if isinstance(default, float) else max(1, int(number))
    return Limits(**values)
