"""`ecoplan check`'s run: each submission through the one pipeline into a `Checked` (ecoplan.report.verdict holds
the data and the verdict rules), and the duplicates across the files checked together."""

from __future__ import annotations

from pathlib import Path

from ecoplan.errors import InputError
from ecoplan.files import path_text
from ecoplan.report.problems import Problem
from ecoplan.report.verdict import Checked, IndicatorKeys, part_absent
from ecoplan.run.pipeline import district_key, evaluate_file, problem_of


def check_submission(path: Path, pack_id: str | None, fail_on: str, year: int | None = None, *,
                     strict: bool = False, part: str = "table") -> Checked:
    """Validate and assess one submission; never raises for bad input (an unusable file is a `Checked` too)."""
    checked = Checked(path=path_text(path), fail_on=fail_on, part=part)
    try:
        outcome = evaluate_file(path, pack_id, year, strict=strict)
    except InputError as exc:
        checked.problems = [problem_of(exc, path)]
        checked.unusable = True
        return checked
    checked.problems = list(outcome.problems)
    if outcome.pack is not None:
        checked.pack_id, checked.pack_title = outcome.pack.id, outcome.pack.title
        checked.indicators = [IndicatorKeys(top.id, top.label, top.attribute,
                                    frozenset(k for node in top.walk() for k in (node.id, node.label, *node.aliases)))
                              for top in outcome.pack.indicators]
    if outcome.district is not None and outcome.district.profile is not None:
        profile = outcome.district.profile
        checked.district = {"name": profile.name, "code": profile.code, "year": year or profile.year}
    if outcome.assessment is not None:
        absent = part_absent(outcome.assessment, part)
        checked.problems += [absent] if absent is not None else []
        outcome.assessment.problems = checked.problems
        checked.assessment = outcome.assessment
    return checked


def flag_duplicates(checks: list[Checked]) -> None:
    """The same district (行政区划代码, else 区县名称), 评估年度 and pack in two or more files: an error in each,
    naming the others (a re-submission or a copy in a sub-folder must not be judged twice)."""
    groups: dict[tuple[str, object, str | None], list[Checked]] = {}
    for checked in checks:
        district = (checked.assessment.district if checked.assessment else None) or checked.district
        if district and district.get("name") and district.get("year"):
            key = (district_key(district.get("code"), str(district["name"])), district["year"], checked.pack_id)
            groups.setdefault(key, []).append(checked)
    for group in groups.values():
        if len(group) < 2:
            continue
        for checked in group:
            district = (checked.assessment.district if checked.assessment else None) or checked.district or {}
            others = "、".join(c.path for c in group if c is not checked)
            checked.problems.append(Problem(
                "duplicate-submission",
                f"重复提交：{district.get('name')} {district.get('year')} 年也在 {others} 中；请只保留一份",
                "区县信息"))


__all__ = ["check_submission", "flag_duplicates"]
