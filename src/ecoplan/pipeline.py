"""The flow of one workbook: read → load district → load pack → match → evaluate. Used by every command."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ecoplan.errors import InputError
from ecoplan.evaluate.evaluator import assess
from ecoplan.problems import Problem
from ecoplan.report import Assessment
from ecoplan.rules.loader import load_pack
from ecoplan.rules.pack import Pack
from ecoplan.workbook.district import District, load_district
from ecoplan.workbook.match import Matched, match, missing_constraint_values
from ecoplan.workbook.reader import read_workbook


@dataclass
class Outcome:
    """What loading and assessing one workbook gave: the assessment (if it could be made) and every problem."""

    path: Path
    assessment: Assessment | None
    problems: list[Problem] = field(default_factory=list)
    pack: Pack | None = None
    district: District | None = None
    matched: Matched | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@lru_cache(maxsize=32)
def cached_pack(pack_id: str, strict: bool = False) -> Pack:
    """Packs are parsed once per process (a batch reuses them)."""
    return load_pack(pack_id, strict=strict)


def evaluate_file(path: Path, pack_id: str | None = None, year: int | None = None, *, strict: bool = False,
                  default_pack: str | None = None) -> Outcome:
    """Read, validate and assess one workbook. Unreadable files and unknown packs raise InputError; problems
    inside a readable workbook are returned in `Outcome.problems` (the assessment is made when none is an error)."""
    book = read_workbook(path)
    district = load_district(book)
    outcome = Outcome(path=path, assessment=None, problems=list(district.problems), district=district)
    chosen = pack_id or (district.profile.pack if district.profile else None) or default_pack
    if chosen is None:
        if district.profile is not None:
            outcome.problems.append(Problem("pack-missing", "error", "区县信息 names no 指标体系 (pack); give --pack ID",
                                            "区县信息!A1"))
        return outcome
    pack = cached_pack(chosen, strict)
    outcome.pack = pack
    matched = match(district, pack)
    outcome.matched = matched
    outcome.problems.extend(matched.problems)
    if district.profile is None:
        return outcome
    assessed_year = year or district.profile.year
    outcome.problems.extend(missing_constraint_values(pack, matched, assessed_year))
    if outcome.errors:
        return outcome
    if not matched.values:
        outcome.problems.append(Problem("no-indicators", "error",
                                        f"no row of the workbook matches an indicator of {pack.id}", "指标数据!A1"))
        return outcome
    assessment = assess(pack, district.profile, matched.values, assessed_year)
    assessment.source = str(path)
    assessment.problems = outcome.problems
    outcome.assessment = assessment
    return outcome


def require_assessment(outcome: Outcome) -> Assessment:
    """The assessment, or an InputError that lists the workbook's errors (for `assess`, which needs usable input)."""
    if outcome.assessment is not None:
        return outcome.assessment
    errors = outcome.errors
    shown = "; ".join(str(p) for p in errors[:8])
    more = f"; and {len(errors) - 8} more (run ecoplan check for the full list)" if len(errors) > 8 else ""
    raise InputError(f"the workbook cannot be assessed: {shown}{more}", str(outcome.path))
