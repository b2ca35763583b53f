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
from ecoplan.report.problems import Problem, errors_in
from ecoplan.rules.loader import RuleError, UnknownPackError, load_pack, pack_dirs
from ecoplan.rules.pack import Pack
from ecoplan.rules.yaml_source import MAX_RULE_FILE_BYTES
from ecoplan.workbook.district import District, load_district
from ecoplan.workbook.match import Matched, match, missing_constraint_values
from ecoplan.workbook.reader import read_workbook
from ecoplan.workbook.reported import Reading, agree


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
        return errors_in(self.problems)




# subject (see _pack_key) → (the digests of the rule files it was read from, the pack): packs are parsed once per
# process (a batch reuses them), and asked for again whenever those files' bytes change (a notebook that edits a
# pack and calls load_pack again gets the edited one).
_PACKS: dict[str, tuple[list[tuple[str, str]], Pack]] = {}


def cached_pack(pack_id: str, strict: bool = False) -> Pack:
    """The pack `pack_id` (an id, a title or a YAML path), parsed once per content of its rule files.

    Validated packs are kept on disk between runs too: reading a pack from YAML costs ~40 ms plus ~150 ms to import
    yaml and pydantic, more than the rest of an `assess`; unpickling costs ~1 ms and needs neither (see
    ecoplan.cache for what the key covers). Both are keyed on the SHA-1 of the bytes of every rule file the pack
    could read, never on sizes and times."""
    subject, digests = _pack_key(pack_id, strict)
    known = _PACKS.get(subject)
    if known is not None and known[0] == digests:
        return known[1]
    key = repr((cache.environment_stamp(), subject, digests)) if cache.enabled() else ""
    pack = cache.load("packs", subject, key) if key else None
    if not isinstance(pack, Pack):
        pack = load_pack(pack_id, strict=strict)
        if key:
            cache.store("packs", subject, key, pack)
    _PACKS[subject] = (digests, pack)
    return pack


def _pack_key(pack_id: str, strict: bool) -> tuple[str, list[tuple[str, str]]]:
    """The pack asked for, and the digests of every rule file it could read: every pack in the pack folders (an
    `extends` may name any of them) and in the folder of a pack given by path."""
    rules = os.environ.get("ECOPLAN_RULES", "")
    dirs = _pack_dirs(rules)
    name = pack_id
    if pack_id.endswith((".yaml", ".yml")):
        name = str(Path(pack_id).resolve())
        dirs = (*dirs, os.path.dirname(name))
    files = []
    for directory in dirs:  # os.scandir: a batch asks for its pack once per workbook (Path.glob took ~0.2 ms)
        try:
            with os.scandir(directory) as entries:
                files += [entry.path for entry in entries if entry.name.endswith((".yaml", ".yml"))]
        except OSError:
            continue
    return repr((name, strict, rules)), cache.file_digests(files, MAX_RULE_FILE_BYTES)


@lru_cache(maxsize=8)
def _pack_dirs(rules: str) -> tuple[str, ...]:
    """The pack folders for this $ECOPLAN_RULES (looked up once: the shipped folder does not move)."""
    return tuple(str(d) for d in pack_dirs())


def read_district(path: Path) -> District:
    """The workbook at `path`, read: its profile, rows and the problems of reading it. Raises InputError when the
    file cannot be read at all."""
    return load_district(read_workbook(path))


def evaluate_file(path: Path, pack: str | Pack | None = None, year: int | None = None, *, strict: bool = False,
                  progress: bool = True) -> Evaluation:
    """Read, validate and assess one workbook. Unreadable files and unknown packs raise InputError; problems
    inside a readable workbook are returned in `Evaluation.problems`, beside the assessment when one can be made.

    `pack`: an id, a title or a YAML path (default: the one the workbook names), or a loaded Pack.
    `progress=False` leaves out progress toward later targets, for outputs that do not show it (a batch's
    matrix)."""
    return _evaluate_district(path, read_district(path), pack, year, strict=strict, progress=progress)


def evaluate_files(paths: Sequence[Path], pack: str | Pack | None = None, year: int | None = None, *,
                   strict: bool = False) -> Evaluation:
    """Assess one workbook, or several of one district as one time series (`ecoplan assess A.xlsx B.xlsx`): see
    `evaluate_loaded`."""
    return evaluate_loaded([(path, read_district(path)) for path in paths], pack, year, strict=strict)


def evaluate_loaded(loaded: Sequence[tuple[Path, District]], pack: str | Pack | None = None,
                    year: int | None = None, *, strict: bool = False) -> Evaluation:
    """Assess loaded workbooks of one district as one time series (one workbook is a series of one).

    The assessed workbook is the one whose 评估年度 is `year` (default: the latest 评估年度); the others give
    history. Rows are merged by (indicator, year): the same fact twice is fine, different values are an error
    naming both cells. Workbooks of different districts (区划代码, else 区县名称) are an error. A `year` that no
    workbook has data for raises InputError."""
    if year is not None:
        _require_year(loaded, year)
    return _evaluate_in_series(loaded, pack, year, strict=strict)


def _require_year(loaded: Sequence[tuple[Path, District]], year: int) -> None:
    """A year asked for (--year) that no workbook has a row or a 评估年度 for is bad usage: an InputError naming
    the years there are, never an assessment where every indicator is 缺数据."""
    years = {row.year for _, district in loaded for row in district.rows}
    years |= {district.profile.year for _, district in loaded if district.profile is not None}
    if year not in years:
        shown = "、".join(str(y) for y in sorted(years)) or "无"
        files = "、".join(str(path) for path, _ in loaded)
        raise InputError(f"{files} 中没有 {year} 年的数据（有数据的年度：{shown}）", "--year")


def evaluate_each_year(paths: Sequence[Path], pack: str | Pack | None = None, *,
                       strict: bool = False) -> list[Evaluation]:
    """`evaluate_files` for every 评估年度 of the workbooks, oldest first (each read once): the years side by side
    of the plans' own table (表4 prints 2022 and 2023). The last is what `evaluate_files` assesses by default."""
    loaded = [(path, read_district(path)) for path in paths]
    years: list[int | None] = [*sorted({d.profile.year for _, d in loaded if d.profile is not None})]
    # No 评估年度 anywhere: the one evaluation evaluate_files makes, whose problems say so.
    return [_evaluate_in_series(loaded, pack, year, strict=strict) for year in years or [None]]


def _evaluate_in_series(loaded: Sequence[tuple[Path, District]], pack: str | Pack | None, year: int | None, *,
                        strict: bool) -> Evaluation:
    """Assess the workbook whose 评估年度 is `year` (default: the latest), the others giving its history."""
    dated = [(d.profile.year, i) for i, (_, d) in enumerate(loaded) if d.profile is not None]
    chosen = next((i for y, i in dated if y == year), None) if year is not None else None
    if chosen is None:
        chosen = max(dated)[1] if dated else 0
    path, district = loaded[chosen]
    others = [pair for i, pair in enumerate(loaded) if i != chosen]
    return _evaluate_district(path, district, pack, year, strict=strict, history=others)


def merge_history(pack: Pack, primary: tuple[Path, District], matched: Matched,
                  others: Sequence[tuple[Path, District]]) -> list[Problem]:
    """Add the rows of other workbooks of the same district to `matched` (in place); the problems found.

    Cells from the other workbooks are named with their file (``yubei-2022.xlsx:指标数据!D5``) so every value in
    a report can be traced to its workbook."""
    problems: list[Problem] = []
    path, district = primary
    origin = {(leaf, y): (path, row) for leaf, years in matched.values.items() for y, row in years.items()}
    for other_path, other in others:
        problems.extend(_in_file(problem, other_path) for problem in other.read_problems)
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
                indicator = pack.find(leaf)
                reading = Reading((indicator.label, *indicator.aliases), indicator.unit, indicator.days_share, y) \
                    if indicator else Reading(year=y)
                if not agree(seen_row.reported, row.reported, reading):
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


def _evaluate_district(path: Path, district: District, asked: str | Pack | None, year: int | None, *,
                       strict: bool, history: Sequence[tuple[Path, District]] = (),
                       progress: bool = True) -> Evaluation:
    outcome = Evaluation(path=path, assessment=None, problems=list(district.read_problems), district=district)
    # An incomplete profile (区县名称 or 评估年度 missing) still names its pack: the rows are checked against it.
    chosen = asked or (district.profile.pack if district.profile else district.named_pack)
    if chosen is None:
        if district.profile is not None:
            outcome.problems.append(Problem("pack-missing",
                                            "区县信息没有填写指标体系；请填写，或用 --pack ID 指定", "区县信息!A1"))
        return outcome
    try:
        pack = _strict(chosen, strict) if isinstance(chosen, Pack) else cached_pack(chosen, strict)
    except UnknownPackError as exc:
        if asked is not None:
            raise  # --pack is wrong, not the workbook
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
    if not matched.values:
        if not outcome.errors:  # rows that match nothing are already errors, each at its cell
            outcome.problems.append(Problem("no-indicators",
                                            f"工作簿中没有一行与指标体系 {pack.id} 的指标对应", "指标数据!A1"))
        return outcome
    # Errors in some cells do not stop the assessment: each indicator whose value has one is 待核实 with the
    # problem and its cell as the reason, every other indicator is decided, and all problems are reported with it.
    doubtful = _doubtful(outcome.problems, matched, assessed_year)
    assessment = assess(pack, district.profile, matched.values, assessed_year, progress=progress, doubtful=doubtful)
    # A value and task in units the pack does not relate: the indicator is 待核实 in the assessment, and the cell
    # an error for `check` — found after assessing, so that `assess` still reports every other indicator.
    outcome.problems.extend(unit_problems(pack, district.profile, matched.values, assessed_year))
    if all(result.status == "missing" for _, result in assessment.rows()):
        # Soda #1208 / ThetaDataDx #1308: an assessment that measured nothing must never look green.
        outcome.problems.append(Problem("nothing-evaluated", f"{pack.id} 的指标在 {assessed_year} 年都没有数值；"
                                        "工作簿中的行属于其他年度，或与指标体系不匹配", "指标数据!A1"))
    assessment.source = path_text(path)
    assessment.problems = outcome.problems
    outcome.assessment = assessment
    return outcome


def _doubtful(problems: Sequence[Problem], matched: Matched, year: int) -> dict[str, str]:
    """Leaf id → the errors at its value for `year` (the problem's cell is that row's, or the problem names the
    leaf and year: a second row, a conflicting workbook), said with their cells. A blank 约束性 value is not one:
    it is 缺数据."""
    leaf_at = {rows[year].cell: leaf for leaf, rows in matched.values.items() if year in rows}
    found: dict[str, list[str]] = {}
    for problem in problems:
        if problem.severity != "error" or problem.code == "missing-constraint-value":
            continue
        leaf = leaf_at.get(problem.cell or "")
        if leaf is None and problem.year == year and problem.indicator in matched.values:
            leaf = problem.indicator
        if leaf is not None:
            found.setdefault(leaf, []).append(f"{problem.cell}：{problem.message}" if problem.cell else problem.message)
    return {leaf: "；".join(messages) for leaf, messages in found.items()}


def _strict(pack: Pack, strict: bool) -> Pack:
    """A pack the caller loaded, with --strict's defaults when asked (as `load_pack(strict=True)` gives them)."""
    return replace(pack, defaults=pack.defaults.strict()) if strict else pack


def problem_of(error: InputError, path: Path) -> Problem:
    """An input error about one workbook as one of its problems (for `check` and `ecoplan.load_district`, which
    list a file they cannot use rather than stop): an invalid rule file, an unknown pack, or a file that cannot
    be read, at the place it names inside `path`."""
    if isinstance(error, RuleError):
        code = "rule-invalid"
    elif isinstance(error, UnknownPackError):
        code = "pack-unknown"
    else:
        code = "file-unreadable"
    return Problem(code, error.message, error.within(str(path)))


def require_assessment(outcome: Evaluation) -> Assessment:
    """The assessment, or an InputError that lists the workbook's errors (for `assess`, which needs usable input)."""
    if outcome.assessment is not None:
        return outcome.assessment
    errors = outcome.errors
    shown = "；".join(str(p) for p in errors[:8])
    more = f"；另有 {len(errors) - 8} 个（运行 ecoplan check 查看完整列表）" if len(errors) > 8 else ""
    raise InputError(f"工作簿无法评估：{shown}{more}", str(outcome.path))
