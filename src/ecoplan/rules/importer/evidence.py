"""What a table that also reports values (表1's 2019年…2022年, with its 达标情况) shows about its own rules.

Read with the workbook's own value parser, a row's reported values can say what its target cell leaves open:
- the direction, where the document prints the superior's task with an operator (上级规定的考核任务：≤40 — lower
  is better, whatever the name says: PM2.5浓度下降幅度);
- that the row is judged as a reduction, where every value is a fall in % since a base year (比2020年下降10.8%)
  while the unit column gives the level's unit (吨标煤/万元);
- how the document counts what cannot be measured, where its verdict column says 达标 beside a value that is an
  expectation (预计将≥60), a task not issued, not assessed, or a number with no task to meet.
Each is a reading of printed figures, and the row's comment says which cell showed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ecoplan.normalize import unit_key
from ecoplan.rules.importer.direction import Direction
from ecoplan.rules.importer.rows import Line
from ecoplan.workbook.values import Bound, Expectation, NotAssessed, Number, Reported, TaskNotIssued, parse_value

_REDUCTION = re.compile(r"下降|降低|减少")
_MET = re.compile(r"^\s*达标")
_NOT_MET = re.compile(r"^\s*未达标|^\s*不达标")


@dataclass
class Shown:
    """A direction or unit the reported values show, with the cell that shows it."""

    value: str
    why: str


@dataclass
class Conventions:
    """How the document's verdicts count values that cannot be measured: default key → rows shown met / not."""

    met: dict[str, list[str]] = field(default_factory=dict)
    not_met: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, ident: str, met: bool) -> None:
        (self.met if met else self.not_met).setdefault(key, []).append(ident)


def _reported(line: Line) -> list[tuple[int, Reported]]:
    return [(year, parse_value(text)) for year, text in sorted(line.values.items()) if text.strip()]


def printed_direction(line: Line) -> Shown | None:
    """The direction the superior's tasks printed in the row's values state (≤40: lower; ≥300天: higher)."""
    found: dict[Direction, str] = {}
    for year, reported in _reported(line):
        task = reported.task
        if task is not None and task.op is not None:
            sense: Direction = "higher" if task.op in (">=", ">") else "lower"
            found.setdefault(sense, f"{year}年的上级任务“{task.text}”")
    if len(found) != 1:
        return None
    (sense, why), = found.items()
    return Shown(sense, why)


def reduction_unit(line: Line, unit: str | None) -> Shown | None:
    """'%' when every number the row reports is a fall in % since a base year while its unit is a level's."""
    if unit is None or unit_key(unit) == "%":
        return None
    numbers = [(year, reported) for year, reported in _reported(line) if isinstance(reported.value, Number)]
    if not numbers:
        return None
    for _, reported in numbers:
        value = reported.value
        if not (isinstance(value, Number) and value.since is not None and unit_key(value.unit) == "%"
                and _REDUCTION.search(reported.raw)):
            return None
    year, reported = numbers[-1]
    return Shown("%", f"{year}年的值“{reported.raw}”")


def shown_conventions(line: Line, ident: str, kinds: set[str], conventions: Conventions) -> None:
    """Add what the row's verdicts show of the document's conventions to `conventions`."""
    values = dict(_reported(line))
    for year, verdict in line.verdicts.items():
        met = bool(_MET.match(verdict))
        if not met and not _NOT_MET.match(verdict):
            continue
        reported = values.get(year)
        if reported is None:
            continue
        value = reported.value
        if isinstance(value, Expectation):
            conventions.add("when_expected", ident, met)
        elif isinstance(value, TaskNotIssued) or (reported.task is not None and reported.task.not_issued):
            conventions.add("when_task_not_issued", ident, met)
        elif isinstance(value, NotAssessed):
            conventions.add("when_not_assessed", ident, met)
        elif "superior_task" in kinds and isinstance(value, (Number, Bound)) and reported.task is None:
            conventions.add("when_task_absent", ident, met)


__all__ = ["Conventions", "Shown", "printed_direction", "reduction_unit", "shown_conventions"]
