"""The shipped workbooks are exactly what data/build.py makes of their text sources (data/src/*.yaml)."""

from __future__ import annotations

import subprocess
import sys

from conftest import DATA


def test_shipped_workbooks_match_their_sources() -> None:
    proc = subprocess.run([sys.executable, str(DATA / "build.py"), "--check"], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
