"""Aggregates for the batch-view tests, built as `ecoplan batch` builds them (not a test module)."""

from __future__ import annotations

from pathlib import Path

from ecoplan.run.batch import BatchAggregate, Job, collect_workbooks, iter_scored


def aggregate_of(*paths: Path) -> BatchAggregate:
    """The aggregate `ecoplan batch PATHS` builds, from the real scoring of these files."""
    files, missing = collect_workbooks(list(paths))
    aggregate = BatchAggregate()
    for where, message in missing:
        aggregate.add({}, {"path": where, "error": message})
    for packs, row in iter_scored(files, Job(fmt="table"), 1):
        aggregate.add(packs, row)
    return aggregate


DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = ("yubei-2023.xlsx", "yubei-2022.xlsx", "gaoxin-2020.xlsx")  # two packs; 渝北区's with two years


def sample_folder(folder: Path) -> Path:
    """`folder` filled with the SAMPLE workbooks and one file that is not a workbook."""
    import shutil

    for name in SAMPLE:
        shutil.copy(DATA / name, folder / name)
    (folder / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    return folder
