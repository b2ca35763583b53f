"""One catalogue of problem codes: every code the source can report is in it, docs/ci.md shows it whole, and
the messages a person reads are Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from ecoplan.report.problems import CATALOGUE, catalogue_table

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "ecoplan"


def _codes_in_source() -> set[str]:
    codes = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'Problem\(\s*"([a-z][a-z-]+)"', text))
        codes |= set(re.findall(r'\bcode = "([a-z][a-z-]+)"', text))
    return codes


def test_every_code_the_source_reports_is_in_the_catalogue() -> None:
    missing = _codes_in_source() - set(CATALOGUE)
    assert not missing, f"codes without a catalogue entry: {sorted(missing)}"


def test_docs_ci_lists_the_catalogue_as_it_is() -> None:
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert catalogue_table() in docs, ("docs/ci.md is out of step with the catalogue; paste the output of python "
                                       "-c 'from ecoplan.report.problems import catalogue_table as t; print(t())'")


def test_every_entry_reads_in_chinese() -> None:
    for code, kind in CATALOGUE.items():
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", code)
        assert re.search(r"[\u4e00-\u9fff]", kind.zh) and re.search(r"[\u4e00-\u9fff]", kind.help), code


def test_the_reader_and_the_loaders_speak_chinese() -> None:
    """The messages of the modules this catalogue covers hold no English sentence (codes and names aside)."""
    found = 0
    for name in ("workbook/district.py", "workbook/match.py", "workbook/reader.py", "workbook/zipped.py",
                 "workbook/ole2.py", "workbook/layout.py", "workbook/profile.py", "run/pipeline.py"):
        text = (SOURCE / name).read_text(encoding="utf-8")
        messages = re.findall(r'Problem\(\s*"[a-z-]+",\s*f?"([^"]*)"', text, re.S)
        messages += re.findall(r'InputError\(\s*f?"([^"]*)"', text)
        found += len(messages)
        for message in messages:
            english = re.findall(r"\b(?:the|is|has|no|not|a|an|of|got|needs)\b", message)
            assert not english, f"{name}: {message!r}"
    assert found > 40  # the patterns still find the messages (Problem(code, message, …))
