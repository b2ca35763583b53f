"""The pre-commit hook takes exactly the files `ecoplan check DIR` takes (issue 14.7)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT


def test_the_hook_matches_every_supported_suffix_in_any_case(tmp_path: Path) -> None:
    from ecoplan.run.discover import discover

    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
                if h["id"] == "ecoplan-check")
    names = ["a.xlsx", "b.XLSX", "c.xlsm", "d.xls", "e.ods", "f.Ods", "sub/g.xls", "~$a.xlsx", "sub/~$b.xls",
             ".hidden.xlsx", "notes.txt", "data.csv", "h.xlsx.bak"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    # pre-commit: `files` is searched in the path, `exclude` too (Python re).
    hooked = sorted(n for n in names if re.search(hook["files"], n) and not re.search(hook["exclude"], n))
    found = sorted(p.relative_to(tmp_path).as_posix() for p in discover([tmp_path]).files)
    assert hooked == found == ["a.xlsx", "b.XLSX", "c.xlsm", "d.xls", "e.ods", "f.Ods", "sub/g.xls"]
