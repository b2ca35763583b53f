"""Limits on what a submitted workbook may be, checked before any parsing. Each can be set in the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """File size, inflated (unzipped) size, archive members, rows and columns per sheet."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_inflated_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 200.0
    max_members: int = 2000
    max_rows: int = 5000
    max_columns: int = 256

    @classmethod
    def from_env(cls) -> "Limits":
        """Defaults, overridden by ECOPLAN_MAX_FILE_MB, ECOPLAN_MAX_INFLATED_MB, ECOPLAN_MAX_ROWS, ECOPLAN_MAX_COLUMNS."""
        base = cls()
        return cls(
            max_file_bytes=int(_env_number("ECOPLAN_MAX_FILE_MB", base.max_file_bytes / 2**20) * 2**20),
            max_inflated_bytes=int(_env_number("ECOPLAN_MAX_INFLATED_MB", base.max_inflated_bytes / 2**20) * 2**20),
            max_ratio=base.max_ratio,
            max_members=base.max_members,
            max_rows=int(_env_number("ECOPLAN_MAX_ROWS", base.max_rows)),
            max_columns=int(_env_number("ECOPLAN_MAX_COLUMNS", base.max_columns)),
        )
