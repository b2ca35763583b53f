"""The flow of one workbook: read → load district → load pack → match → evaluate. Used by every command."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import ecoplan.cache as cache
from ecoplan.errors import InputError
from ecoplan.evaluate.evaluator import assess, unit_problems
from ecoplan.files import path_text
from ecoplan.normalize import compact
from ecoplan.report.assessment import Assessment
from ecoplan.report.problems import Problem
from ecoplan.rules.loader import UnknownPackError, load_pack, pack_dirs
from ecoplan.rules.pack import Pack
from ecoplan.workbook.district import District, load_district
from ecoplan.workbook.match import Matched, match, missing_constraint_values
from ecoplan.workbook.reader import read_workbook
from ecoplan.workbook.reported import agree


@dataclass
class Evaluation:
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
    """Packs are parsed once per process (a batch reuses them), and kept validated on disk between runs: reading a
    pack from YAML costs ~40 ms plus ~150 ms to import yaml and pydantic, more than the rest of an `assess`;
    unpickling costs ~1 ms and needs neither (see ecoplan.cache for what the key covers)."""
    subject, key = _pack_key(pack_id, strict)
    pack = cache.load("packs", subject, key) if key else None
    if isinstance(pack, Pack):
        return pack
    pack = load_pack(pack_id, strict=strict)
    if key:
        cache.store("packs", subject, key, pack)
    return pack


def _pack_key(pack_id: str, strict: bool) -> tuple[str, str]:
    """The cache subject and key of a validated pack: the package's source and versions (ecoplan.cache), the pack
    asked for, and the size and mtime of every rule file a pack could read — every pack in the pack folders (an
    `extends` may name any of them) and in the folder of a pack given by path. An empty key: do not cache."""
    if not cache.enabled():
        return "", ""
    dirs = pack_dirs()
    name = pack_id
    if pack_id.endswith((".yaml", ".yml")):
        name = str(Path(pack_id).resolve())
        dirs.append(Path(name).parent)
    files = [f for d in dirs for f in d.glob("*.y*ml")]
    subject = repr((name, strict, os.environ.get("ECOPLAN_RULES", "")))
    return subject, repr((cache.environment_stamp(), subject, cache.files_stamp(files)))


def evaluate_file(path: Path, pack_id: str | None = None, year: int | None = None, *, strict: bool = False,
                  default_pack: str | None = None, history: Sequence[tuple[Path, District]] = (),
                  progress: bool = True) -> Evaluation:
    """Read, validate and assess one workbook. Unreadable files and unknown packs raise InputError; problems
    inside a readable workbook are returned in `Evaluation.problems` (the assessment is made when none is an error).

    `history`: other workbooks of the same district, already loaded, whose rows add earlier (or later) years
    (see `evaluate_files`). `progress=False` leaves out progress toward later targets, for outputs that do not
    show it (a batch's matrix)."""
    book = read_workbook(path)
    district = load_district(book)
    return _evaluate_district(path, district, pack_id, year, strict=strict, default_pack=default_pack,
                              history=history, progress=progress)


def evaluate_files(paths: Sequence[Path], pack_id: str | None = None, year: int | None = None, *,
                   strict: bool = False, default_pack: str | None = None) -> Evaluation:
    """Assess several workbooks of one district as one time series (`ecoplan assess A.xlsx B.xlsx`).

    The assessed workbook is the one whose 评估年度 is `year` (default: the latest 评估年度); the others give
    history. Rows are merged by (indicator, year): the same value twice is fine, different values are an error
    naming both cells. Workbooks of different districts (区划代码, else 区县名称) are an error."""
    if len(paths) == 1:
        return evaluate_file(paths[0], pack_id, year, strict=strict, default_pack=default_pack)
    loaded = [(path, load_district(read_workbook(path))) for path in paths]
    return _evaluate_in_series(loaded, pack_id, year, strict=strict, default_pack=default_pack)


def evaluate_each_year(paths: Sequence[Path], pack_id: str | None = None, *,
                       strict: bool = False) -> list[Evaluation]:
    """`evaluate_files` for every 评估年度 of the workbooks, oldest first (each read once): the years side by side
    of the plans' own table (表4 prints 2022 and 2023). The last is what `evaluate_files` assesses by default."""
    loaded = [(path, load_district(read_workbook(path))) for path in paths]
    years: list[int | None] = [*sorted({d.profile.year for _, d in loaded if d.profile is not None})]
    # No 评估年度 anywhere: the one evaluation evaluate_files makes, whose problems say so.
    return [_evaluate_in_series(loaded, pack_id, year, strict=strict) for year in years or [None]]


def _evaluate_in_series(loaded: Sequence[tuple[Path, District]], pack_id: str | None, year: int | None, *,
                        strict: bool, default_pack: str | None = None) -> Evaluation:
    """Assess the workbook whose 评估年度 is `year` (default: the latest), the others giving its history."""
    dated = [(d.profile.year, i) for i, (_, d) in enumerate(loaded) if d.profile is not None]
    chosen = next((i for y, i in dated if y == year), None) if year is not None else None
    if chosen is None:
        chosen = max(dated)[1] if dated else 0
    path, district = loaded[chosen]
    others = [pair for i, pair in enumerate(loaded) if i != chosen]
    return _evaluate_district(path, district, pack_id, year, strict=strict, default_pack=default_pack,
                              history=others)


def merge_history(pack: Pack, primary: tuple[Path, District], matched: Matched,
                  others: Sequence[tuple[Path, District]]) -> list[Problem]:
    """Add the rows of other workbooks of the same district to `matched` (in place); the problems found.

    Cells from the other workbooks are named with their file (``yubei-2022.xlsx:指标数据!D5``) so every value in
    a report can be traced to its workbook."""
    problems: list[Problem] = []
    path, district = primary
    origin = {(leaf, y): (path, row) for leaf, years in matched.values.items() for y, row in years.items()}
    for other_path, other in others:
        problems.extend(_in_file(problem, other_path) for problem in other.problems)
        if district.profile is not None and other.profile is not None and not _same_district(district, other):
            problems.append(Problem("district-mismatch",
                                    f"{other_path.name} 是{other.profile.name}（{other.profile.code or '无代码'}），"
                                    f"{path.name} 是{district.profile.name}（{district.profile.code or '无代码'}）；"
                                    "历史数据必须来自同一区县的工作簿", f"{other_path.name}:区县信息"))
            continue
        other_matched = match(other, pack)
        problems.extend(_in_file(problem, other_path) for problem in other_matched.problems
                        if problem.severity == "error")
        for leaf, years in other_matched.values.items():
            for y, row in years.items():
                seen = origin.get((leaf, y))
                if seen is None:
                    origin[(leaf, y)] = (other_path, row)
                    matched.values.setdefault(leaf, {})[y] = replace(row, cell=f"{other_path.name}:{row.cell}")
                    continue
                seen_path, seen_row = seen
                if not agree(seen_row.reported, row.reported):
                    indicator = pack.find(leaf)
                    label = indicator.label if indicator else leaf
                    problems.append(Problem("history-conflict",
                                            f"{label} {y} 年在 {seen_path.name}:{seen_row.cell} 中为 "
                                            f"{seen_row.reported.raw!r}，在 {other_path.name}:{row.cell} 中却为 "
                                            f"{row.reported.raw!r}；请更正其中一个工作簿",
                                            f"{other_path.name}:{row.cell}", leaf, y))
    return problems


def _in_file(problem: Problem, path: Path) -> Problem:
    """A problem of another workbook of the series, its cell named with that workbook's file name."""
    return replace(problem, cell=f"{path.name}:{problem.cell or ''}".rstrip(":"))


def district_key(code: str | None, name: str) -> str:
    """A district's identity: its 行政区划代码, else its 区县名称 as written (spaces and widths ignored)."""
    return f"code:{code}" if code else f"name:{compact(name)}"


def _same_district(a: District, b: District) -> bool:
    assert a.profile is not None and b.profile is not None
    if a.profile.code and b.profile.code:
        return a.profile.code == b.profile.code
    return compact(a.profile.name) == compact(b.profile.name)


def _evaluate_district(path: Path, district: District, pack_id: str | None, year: int | None, *, strict: bool,
                       default_pack: str | None, history: Sequence[tuple[Path, District]] = (),
                       progress: bool = True) -> Evaluation:
    outcome = Evaluation(path=path, assessment=None, problems=list(district.problems), district=district)
    # An incomplete profile (区县名称 or 评估年度 missing) still names its pack: the rows are checked against it.
    chosen = pack_id or (district.profile.pack if district.profile else district.named_pack) or default_pack
    if chosen is None:
        if district.profile is not None:
            outcome.problems.append(Problem("pack-missing",
                                            "区县信息没有填写指标体系；请填写，或用 --pack ID 指定", "区县信息!A1"))
        return outcome
    try:
        pack = cached_pack(chosen, strict)
    except UnknownPackError as exc:
        if pack_id is not None or chosen != district.named_pack:
            raise  # --pack (or a caller's default) is wrong, not the workbook
        named = exc.in_workbook(path, district.pack_cell)
        if district.profile is not None:
            raise named from None
        # The file is already in error (its profile); the unknown pack is one more cause in the same list.
        outcome.problems.append(Problem("pack-unknown", named.message, named.within(str(path))))
        return outcome
    outcome.pack = pack
    matched = match(district, pack)
    outcome.matched = matched
    outcome.problems.extend(matched.problems)
    if history:
        outcome.problems.extend(merge_history(pack, (path, district), matched, history))
    # Blank 约束性 values are a cause of their own: listed now, not in a second round after the profile is fixed.
    # Not when no row could be read at all (no 指标数据 sheet, no header row): that one error is the cause of
    # every missing value, and 43 more lines would bury it.
    rows_read = bool(district.rows)
    if district.profile is None:
        known_year = year or district.year
        if known_year is not None and rows_read:
            outcome.problems.extend(missing_constraint_values(pack, matched, known_year))
        return outcome
    assessed_year = year or district.profile.year
    if rows_read:
        outcome.problems.extend(missing_constraint_values(pack, matched, assessed_year))
    # A blank 约束性 value is an error of the submission, but the assessment shows it as 缺数据: it does not stop it.
    if any(p.code != "missing-constraint-value" for p in outcome.errors):
        return outcome
    if not matched.values:
        outcome.problems.append(Problem("no-indicators",
                                        f"工作簿中没有一行与指标体系 {pack.id} 的指标对应", "指标数据!A1"))
        return outcome
    assessment = assess(pack, district.profile, matched.values, assessed_year, progress=progress)
    # A value and task in units the pack does not relate: the indicator is 待核实 in the assessment, and the cell
    # an error for `check` — found after assessing, so that `assess` still reports every other indicator.
    outcome.problems.extend(unit_problems(pack, district.profile, matched.values, assessed_year))
    assessment.source = path_text(path)
    assessment.problems = outcome.problems
    outcome.assessment = assessment
    return outcome


def require_assessment(outcome: Evaluation) -> Assessment:
    """The assessment, or an InputError that lists the workbook's errors (for `assess`, which needs usable input)."""
    if outcome.assessment is not None:
        return outcome.assessment
    errors = outcome.errors
    shown = "；".join(str(p) for p in errors[:8])
    more = f"；另有 {len(errors) - 8} 个（运行 ecoplan check 查看完整列表）" if len(errors) > 8 else ""
    raise InputError(f"工作簿无法评估：{shown}{more}", str(outcome.path))
