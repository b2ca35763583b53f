"""ecoplan: assess a district's eco-environment indicator values against a rule pack.

The Python API, for notebooks and scripts, runs the very pipeline of the command line::

    import ecoplan
    district = ecoplan.load_district("渝北区-2023.xlsx")   # .xlsx, .xlsm, .xls or .ods; every problem check finds
    result = ecoplan.assess(district)                      # the pack named in 区县信息, or pack="yubei-2023-2030"
    result = ecoplan.assess(["渝北区-2022.xlsx", "渝北区-2023.xlsx"])   # a path, or one district's years
    result.summary.met, result.summary.not_met             # (29, 3)
    print(ecoplan.to_json(result))                         # exactly `ecoplan assess … --format json`

Everything is imported on first use: the command line imports this package too and must start fast.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ecoplan.errors import InputError
from ecoplan.version import __version__

if TYPE_CHECKING:  # only for type checkers: importing these costs the command line its start-up time
    from collections.abc import Sequence
    from pathlib import Path

    from ecoplan.report.assessment import Assessment
    from ecoplan.rules.pack import Pack
    from ecoplan.workbook.district import District

__all__ = ["Assessment", "District", "InputError", "Pack", "__version__", "assess", "load_district", "load_pack",
           "to_json"]

# The public names imported on first use (ecoplan.District …): module and name.
_LAZY = {"Assessment": "ecoplan.report.assessment", "District": "ecoplan.workbook.district",
         "Pack": "ecoplan.rules.pack"}


def load_district(path: str | os.PathLike[str], pack: str | os.PathLike[str] | Pack | None = None) -> District:
    """Read a district workbook, with every problem `ecoplan check` reports for it in `district.problems` (each
    with its code, severity and cell), checked against `pack` (default: the pack its 区县信息 names). A file that
    cannot be read at all, or an unknown `pack`, raises `ecoplan.InputError`."""
    # lazy: the pipeline (~95 ms) only on use: `import ecoplan` is the command line's first import too
    from dataclasses import replace

    from ecoplan.run.pipeline import evaluate_loaded, problem_of, read_district

    where = _path(path, "path")
    chosen = _pack(pack)
    with _api_errors():
        district = read_district(where)
        try:
            problems = evaluate_loaded([(where, district)], chosen).problems
        except InputError as exc:
            if chosen is not None:
                raise  # the caller's pack, not the workbook's
            problems = [*district.read_problems, problem_of(exc, where)]  # the pack its 区县信息 names
    return replace(district, problems=problems)


def load_pack(id_or_path: str | os.PathLike[str]) -> Pack:
    """A rule pack by its id (`yubei-2023-2030`), its title, or the path of a YAML file. The same pack object is
    returned again until the bytes of its rule files change."""
    if not isinstance(id_or_path, (str, os.PathLike)):
        raise TypeError(f"load_pack 需要指标体系 id 或 YAML 文件路径（str 或 Path），得到 {_kind(id_or_path)}")
    # lazy: the pipeline (~95 ms) only on use: `import ecoplan` is the command line's first import too
    from ecoplan.run.pipeline import cached_pack

    with _api_errors():
        return cached_pack(os.fspath(id_or_path))


def assess(district: District | str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
           pack: str | os.PathLike[str] | Pack | None = None, year: int | None = None, *,
           strict: bool = False) -> Assessment:
    """Assess a district workbook as `ecoplan assess` does: `district` is a loaded District, a workbook's path,
    or a list of paths (one district's years: the latest 评估年度 is assessed, the others are its history).

    `pack`: an id, a YAML path or a loaded Pack (default: the one the workbook names); `year`: the year to assess
    (default: its 评估年度); `strict`: as --strict. The assessment carries every problem of the workbook in
    `problems` (an indicator whose cell has an error is 待核实). Raises `ecoplan.InputError` where the command
    line exits with 2: an unreadable file, an unknown pack, a year without data, nothing to assess."""
    # lazy: the pipeline (~95 ms) only on use: `import ecoplan` is the command line's first import too
    from pathlib import Path

    from ecoplan.run.pipeline import evaluate_files, evaluate_loaded, require_assessment
    from ecoplan.workbook.district import District

    chosen = _pack(pack)
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise TypeError(f"year 需要整数年份（如 2023），得到 {_kind(year)}")
    with _api_errors():
        if isinstance(district, District):
            outcome = evaluate_loaded([(district.path, district)], chosen, year, strict=strict)
        elif isinstance(district, (str, os.PathLike)):
            outcome = evaluate_files([_path(district, "district")], chosen, year, strict=strict)
        elif isinstance(district, (list, tuple)) and district \
                and all(isinstance(p, (str, os.PathLike)) for p in district):
            outcome = evaluate_files([Path(p) for p in district], chosen, year, strict=strict)
        else:
            raise TypeError("assess 需要 ecoplan.District、工作簿路径（str 或 Path）或同一区县各年度工作簿的路径列表，"
                            f"得到 {_kind(district)}")
        return require_assessment(outcome)


def to_json(assessment: Assessment) -> str:
    """The assessment as `ecoplan assess --format json` prints it (without the final newline)."""
    # lazy: the JSON renderer only for to_json: `import ecoplan` is the command line's first import too
    from ecoplan.render.json_format import render_json
    from ecoplan.report.assessment import Assessment

    if not isinstance(assessment, Assessment):
        raise TypeError(f"to_json 需要 ecoplan.assess 返回的 Assessment，得到 {_kind(assessment)}")
    return render_json(assessment)


def _path(value: object, name: str) -> Path:
    # lazy: pathlib only on use (the command line's start-up imports this module)
    from pathlib import Path

    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} 需要工作簿路径（str 或 Path），得到 {_kind(value)}")
    return Path(value)


def _pack(pack: object) -> str | Pack | None:
    """The `pack` argument as the pipeline takes it: None, an id or path as text, or a Pack."""
    # lazy: the pack model only on use (the command line's start-up imports this module)
    from ecoplan.rules.pack import Pack

    if pack is None or isinstance(pack, Pack):
        return pack
    if isinstance(pack, (str, os.PathLike)):
        return os.fspath(pack)
    raise TypeError(f"pack 需要指标体系 id、YAML 文件路径或 ecoplan.Pack，得到 {_kind(pack)}")


def _kind(value: object) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


@contextmanager
def _api_errors() -> Iterator[None]:
    """Errors as the API says them: an InputError placed at a command-line option (--pack, --year) names no
    place, as the caller passed no option."""
    try:
        yield
    except InputError as error:
        if error.where is not None and error.where.startswith("--"):
            error.where = None
        raise


def __getattr__(name: str) -> object:
    if name in _LAZY:
        # lazy: the model classes only when asked for (the command line's start-up imports this module)
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ecoplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
