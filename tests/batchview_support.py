"""Aggregates for the batch-view tests, built as `ecoplan batch` builds them (not a test module)."""

from __future__ import annotations

import shutil
from pathlib import Path

from ecoplan.render.batch_emit import batch_encoder, needs_progress
from ecoplan.run.batch import Job, iter_scored
from ecoplan.run.batch_aggregate import BatchAggregate
from ecoplan.run.discover import discover

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE = ("yubei-2023.xlsx", "yubei-2022.xlsx", "gaoxin-2020.xlsx")  # two packs; 渝北区's with two years


def aggregate_of(*paths: Path, fmt: str = "table") -> BatchAggregate:
    """The settled aggregate `ecoplan batch PATHS --format FMT` builds, from the real scoring of these files (close
    it, or use it in a `with`, when `fmt` keeps what the workers render: docx, xlsx, json, jsonl, csv)."""
    found = discover(list(paths))
    aggregate = BatchAggregate(skipped=[str(p) for p in found.skipped])
    job = Job(encode=batch_encoder(fmt), progress=needs_progress(fmt))
    for packs, row in iter_scored(found.files, job, 1):
        aggregate.add(packs, row)
    aggregate.settle()
    return aggregate


def sample_folder(folder: Path) -> Path:
    """`folder` filled with the SAMPLE workbooks and one file that is not a workbook."""
    for name in SAMPLE:
        shutil.copy(DATA / name, folder / name)
    (folder / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    return folder
