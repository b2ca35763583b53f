"""README.md is the user's page (issue 23 item 8) and stays true: its links lead to files a clone has, its start
commands do what it says, and the terminal output it shows is what ecoplan prints at 80 columns."""

from __future__ import annotations

import json
import re

from conftest import ROOT, run_cli
from terminal_support import on_terminal

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_link_leads_to_a_file_of_the_repository() -> None:
    links = re.findall(r"\]\(([^)#]+)\)", README)
    assert len(links) >= 8
    for link in links:
        assert not link.startswith(("..", "/")), link  # nothing outside the clone (../shared is not in one)
        assert (ROOT / link).exists(), link
    assert "../shared/DESIGN.md" not in README


def test_the_start_is_one_environment_and_its_first_assessment_is_as_stated() -> None:
    start = README[README.index("## Start"):README.index("## What you see")]
    blocks = re.findall(r"```bash\n(.*?)```", start, flags=re.S)
    assert len(blocks) == 2
    assert blocks[0].count("python3 -m venv") == 1 and "python3 -m venv" not in blocks[1]  # one environment
    assert 'pip install ".[test]"' in blocks[1] and "python -m pytest" in blocks[1]
    assert "ecoplan assess data/yubei-2023.xlsx" in blocks[0] and "29 of 32 met" in blocks[0]
    summary = json.loads(run_cli("assess", ROOT / "data" / "yubei-2023.xlsx", "-f", "json").stdout)["summary"]
    assert (summary["met"], summary["total"]) == (29, 32)


def test_the_output_shown_is_what_an_80_column_terminal_shows() -> None:
    shown = README[README.index("## What you see"):]
    sample = re.search(r"```\n(.*?)```", shown, flags=re.S)
    assert sample is not None
    lines = on_terminal(80, "assess", "data/yubei-2023.xlsx")
    expected = [line for line in sample.group(1).splitlines() if line.strip() and line != "…"]
    assert len(expected) > 20
    missing = [line for line in expected if line not in lines]
    assert not missing, missing
    assert expected[-1] == lines[-1]  # the summary comes last


def test_speed_figures_and_design_notes_live_in_docs() -> None:
    assert "callgrind" not in README and "ms per workbook" not in README
    assert "callgrind" in (ROOT / "docs" / "speed.md").read_text(encoding="utf-8")
    assert "## Layout" in (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    assert len(README.splitlines()) < 260
