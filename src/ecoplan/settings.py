"""ecoplan's settings in the environment (ECOPLAN_…), read by one rule wherever they are read: the workbook limits
(ecoplan.workbook.limits) and the pack cache's switch (ecoplan.cache). Foundation: it imports no layer."""

from __future__ import annotations

import os

from ecoplan.errors import InputError


def env_integer(name: str, default: int) -> int:
    """The positive integer in $name, `default` when unset or empty; anything else is a usage error (exit 2).

    Only ASCII digits: a typo must not silently keep the default (the user would believe the limit was raised),
    and "٣", "३" or "³" — which int() and float() read as 3 — are no setting anyone means to type."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) == 0:
        raise InputError(f"应为正整数，实际为 {raw!r}", name)
    return int(raw)


def env_switch(name: str) -> bool:
    """Whether the on/off variable $name is on: unset, empty or 0 is off, an ASCII integer other than 0 is on
    (ECOPLAN_NO_CACHE=0 keeps the cache); anything else is a usage error (exit 2)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return False
    if not (raw.isascii() and raw.isdigit()):
        raise InputError(f"应为 0 或 1（1 表示开启这一设置），实际为 {raw!r}", name)
    return int(raw) != 0
