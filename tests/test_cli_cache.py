"""The pack cache is keyed on everything a validated pack depends on: an edit of any source file of the package
misses (issue 12 item 3: an edit of a word table once left cached runs at 29/3 while a fresh load gave 28/4)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

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


def _edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` (as long) in `path`, then put its mtime back: only the bytes say it changed."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def _status_61(rules: Path, cache: Path) -> str:
    proc = run_cli("assess", ROOT / "data" / "yubei-2023.xlsx", "--format", "json",
                   env={"ECOPLAN_RULES": str(rules), "ECOPLAN_CACHE_DIR": str(cache)})
    assert proc.returncode == 0, proc.stderr
    import json

    return next(i["status"] for r in json.loads(proc.stdout)["results"] for i in r["items"] if i["id"] == "6.1")


def test_an_edit_keeping_size_and_mtime_gives_the_new_verdict_on_the_command_line(tmp_path: Path) -> None:
    rules, cache = tmp_path / "rules", tmp_path / "cache"
    shutil.copytree(ROOT / "rules", rules)
    assert _status_61(rules, cache) == "met"  # 6.1 reports 71.1 against ≥70
    assert _status_61(rules, cache) == "met"  # now from the cache
    assert list((cache / "packs").glob("*.pickle"))
    _edit_keeping_size_and_mtime(rules / "national-demo-county-2024.yaml", 'criterion: "≥70"\n        source: {line: 420}',
                                 'criterion: "≥80"\n        source: {line: 420}')
    assert _status_61(rules, cache) == "not_met"


def test_load_pack_in_one_process_sees_an_edit_keeping_size_and_mtime(tmp_path: Path) -> None:
    import ecoplan

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "national-demo-county-2024.yaml"
    target = str(ecoplan.load_pack(path).find("6.1").criterion)  # type: ignore[union-attr]
    assert ecoplan.load_pack(path) is ecoplan.load_pack(path)  # unchanged bytes: parsed once in the process
    _edit_keeping_size_and_mtime(path, 'criterion: "≥70"\n        source: {line: 420}',
                                 'criterion: "≥80"\n        source: {line: 420}')
    edited = ecoplan.load_pack(path).find("6.1")
    assert edited is not None and "80" in str(edited.criterion) and "70" in target


def test_a_library_without_a_version_to_key_on_turns_caching_off(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    from ecoplan import cache

    # A library copied into a folder with no *.dist-info beside it (as a vendored or source-tree copy is): its path
    # says nothing of its content, so it cannot key a cache. Made here, so the test holds however ecoplan itself
    # was installed (CI installs it non-editable, with a dist-info).
    (tmp_path / "undated_library").mkdir()
    (tmp_path / "undated_library" / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    cache._dependency_versions.cache_clear()
    try:
        assert cache.enabled()
        monkeypatch.setattr(cache, "DEPENDENCIES", {**cache.DEPENDENCIES, "undated_library": "undated_library"})
        cache._dependency_versions.cache_clear()
        assert not cache.enabled() and cache.folder("packs") is None
    finally:
        monkeypatch.undo()
        cache._dependency_versions.cache_clear()
