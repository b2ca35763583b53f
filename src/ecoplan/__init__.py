"""ecoplan: assess a district's eco-environment indicator values against a rule pack.

The Python API, for notebooks and scripts::

    import ecoplan
    district = ecoplan.load_district("渝北区-2023.xlsx")   # .xlsx, .xlsm, .xls or .ods; a pydantic model
    result = ecoplan.assess(district)                      # the pack named in 区县信息, or pack="yubei-2023-2030"
    result.summary.met, result.summary.not_met             # (29, 3)
    print(ecoplan.to_json(result))                         # exactly `ecoplan assess … --format json`

Everything is imported on first use: the command line imports this package too and must start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for type checkers: importing these costs the command line its start-up time
    from ecoplan.report.assessment import Assessment
    from ecoplan.rules.pack import Pack
    from ecoplan.workbook.model import District

from ecoplan.version import __version__

__all__ = ["District", "__version__", "assess", "load_district", "load_pack", "to_json"]


def load_district(path: str | Path) -> District:
    """Read and validate a district workbook. Problems inside it (a blank 评估年度, an unreadable value) are in
    `district.problems`, each with its cell; a file that cannot be read at all raises `ecoplan.errors.InputError`."""
    # lazy: workbook.model and pydantic (~250 ms) only for load_district; the command line imports this package
    from ecoplan.workbook.model import load

    return load(path)


def load_pack(id_or_path: str | Path) -> Pack:
    """A rule pack by its id (`yubei-2023-2030`), its title, or the path of a YAML file."""
    # lazy: the pipeline (~95 ms) only on use: `import ecoplan` is the command line's first import too
    from ecoplan.run.pipeline import cached_pack

    return cached_pack(str(id_or_path))


def assess(district: District, pack: str | Path | Pack | None = None, year: int | None = None) -> Assessment:
    """Assess a loaded district against `pack` (default: the one its 区县信息 names) for `year` (default: its
    评估年度). Raises InputError listing the workbook's errors when it cannot be assessed, as `ecoplan assess`."""
    # lazy: the pipeline (~95 ms) only on use: `import ecoplan` is the command line's first import too
    from ecoplan.rules.pack import Pack
    from ecoplan.run.pipeline import _evaluate_district, require_assessment

    loaded = district.to_loaded()
    if isinstance(pack, Pack):
        outcome = _evaluate_with(loaded, pack, year)
    else:
        outcome = _evaluate_district(loaded.path, loaded, str(pack) if pack is not None else None, year,
                                     strict=False, default_pack=None)
    return require_assessment(outcome)


def _evaluate_with(loaded: Any, pack: Pack, year: int | None) -> Any:
    """The pipeline's steps for a Pack object the caller built (run/pipeline.py looks packs up by id only)."""
    # lazy: the pipeline (~95 ms) only on use: `import ecoplan` is the command line's first import too
    from ecoplan.evaluate.evaluator import assess as evaluate
    from ecoplan.run.pipeline import Evaluation
    from ecoplan.workbook.match import match, missing_constraint_values

    outcome = Evaluation(path=loaded.path, assessment=None, problems=list(loaded.problems), district=loaded, pack=pack)
    matched = match(loaded, pack)
    outcome.problems.extend(matched.problems)
    if loaded.profile is None:
        return outcome
    assessed_year = year or loaded.profile.year
    outcome.problems.extend(missing_constraint_values(pack, matched, assessed_year))
    if not outcome.errors and matched.values:
        outcome.assessment = evaluate(pack, loaded.profile, matched.values, assessed_year)
        outcome.assessment.source = str(loaded.path)
        outcome.assessment.problems = outcome.problems
    return outcome


def to_json(assessment: Assessment) -> str:
    """The assessment as `ecoplan assess --format json` prints it (without the final newline)."""
    # lazy: the JSON renderer only for to_json: `import ecoplan` is the command line's first import too
    from ecoplan.render.json_format import render_json

    return render_json(assessment)


def __getattr__(name: str) -> Any:
    if name == "District":
        # lazy: workbook.model and pydantic (~250 ms) only when ecoplan.District is asked for
        from ecoplan.workbook.model import District

        return District
    raise AttributeError(f"module 'ecoplan' has no attribute {name!r}")
