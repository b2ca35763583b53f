"""Aggregates for the batch-view tests, built as `ecoplan batch` builds them (not a test module)."""

from __future__ import annotations

from pathlib import Path

from ecoplan.run.batch import BatchAggregate, Job, iter_scored
from ecoplan.run.discover import discover


def aggregate_of(*paths: Path) -> BatchAggregate:
    """The aggregate `ecoplan batch PATHS` builds, from the real scoring of these files."""
    found = discover(list(paths))
    aggregate = BatchAggregate()
    for where in found.missing:
        aggregate.add({}, {"path": str(where), "error": "没有这个文件或文件夹"})
    for packs, row in iter_scored(found.files, Job(), 1):
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
