"""The pack cache is keyed on everything a validated pack depends on: an edit of any source file of the package
misses (issue 12 item 3: an edit of a word table once left cached runs at 29/3 while a fresh load gave 28/4)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

# Loads a pack through the cache and says whether the cache answered: in "block" mode parsing a pack fails, so
# only a cached pack can be had and a miss shows as "miss".
PROBE = """
import sys
from ecoplan.run import pipeline
block = sys.argv[1] == "block"
if block:
    def refuse(*args, **kwargs):
        raise RuntimeError("parsed")
    pipeline.load_pack = refuse
try:
    pack = pipeline.cached_pack("yubei-2023-2030")
except RuntimeError:
    print("miss")
else:
    print("hit" if block else "loaded", len(pack.indicators))
"""


def _probe(package_root: Path, cache: Path, mode: str, pack: str = "yubei-2023-2030",
           rules: Path = ROOT / "rules", **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "ECOPLAN_NO_CACHE"}
    environ.update(PYTHONPATH=str(package_root), ECOPLAN_CACHE_DIR=str(cache), ECOPLAN_RULES=str(rules),
                   PYTHONDONTWRITEBYTECODE="1", **env)
    proc = subprocess.run([sys.executable, "-c", PROBE.replace("yubei-2023-2030", pack), mode], capture_output=True,
                          text=True, env=environ, timeout=120, cwd=package_root)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _copy_of_the_package(tmp_path: Path) -> Path:
    root = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "ecoplan", root / "ecoplan", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_an_edit_of_any_source_file_misses_the_cache(tmp_path: Path) -> None:
    root, cache = _copy_of_the_package(tmp_path), tmp_path / "cache"
    assert _probe(root, cache, "block") == "miss"  # nothing cached yet: the probe itself shows a miss
    assert _probe(root, cache, "load").startswith("loaded")
    assert _probe(root, cache, "block").startswith("hit")
    # A module outside rules/ that shorthand expansion depends on: before the fix, only rules/*.py was keyed.
    quantity = root / "ecoplan" / "quantity.py"
    quantity.write_text(quantity.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _probe(root, cache, "block") == "miss"
    assert _probe(root, cache, "load").startswith("loaded")
    assert _probe(root, cache, "block").startswith("hit")
    # The stale entry was replaced, not kept beside the new one.
    assert len(list((cache / "packs").glob("*.pickle"))) == 1


def test_an_edited_rule_file_misses_and_no_cache_turns_it_off(tmp_path: Path) -> None:
    root, cache, rules = _copy_of_the_package(tmp_path), tmp_path / "cache", tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    by_path = str(rules / "yubei-2023-2030.yaml")  # a pack given by path, extending a pack beside it
    assert _probe(root, cache, "load", by_path, rules).startswith("loaded")
    assert _probe(root, cache, "block", by_path, rules).startswith("hit")
    parent = rules / "national-demo-county-2024.yaml"
    parent.write_text(parent.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _probe(root, cache, "block", by_path, rules) == "miss"
    assert _probe(root, cache, "load", by_path, rules).startswith("loaded")
    assert _probe(root, cache, "block", by_path, rules, ECOPLAN_NO_CACHE="1") == "miss"


def test_tests_never_use_the_users_cache(private_cache: Path) -> None:
    assert os.environ["ECOPLAN_CACHE_DIR"] == str(private_cache)
    assert not str(private_cache).startswith(os.path.expanduser("~/.cache"))
