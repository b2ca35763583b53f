"""The shipped rule packs travel inside the package: an installed ecoplan finds them from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import DATA, ROOT, run_cli

SHIPPED = sorted(p.stem for p in (ROOT / "rules").glob("*.yaml"))


def test_the_wheel_carries_every_pack(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
                           str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {proc.stderr.strip()[-300:]}")
    wheel = next(tmp_path.glob("ecoplan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"ecoplan/packs/{pack}.yaml" for pack in SHIPPED} <= set(names)


def test_packs_are_found_from_another_directory(tmp_path: Path) -> None:
    proc = run_cli("rules", "list", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for pack in SHIPPED:
        if pack != "schema":
            assert pack in proc.stdout
    report = run_cli("assess", DATA / "yubei-2023.xlsx", "--format", "json", cwd=tmp_path)
    assert report.returncode == 0, report.stderr


def test_every_shipped_pack_lints_clean() -> None:
    proc = run_cli("rules", "lint")
    assert proc.returncode == 0, proc.stdout + proc.stderr
