"""A workbook with cells it cannot read is still assessed in a batch (those indicators 待核实), and its entry carries
its problems in every batch format, as `check` lists them (issue 20 items 5 and 6): JSON and JSON Lines in the
assessment's "problems", CSV one row per problem, and the file list of the table, Markdown, HTML, xlsx and Word.
A workbook without problems shows none.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import DATA, edited_copy, run_cli

BROKEN = "in/渝北-2023.xlsx"  # "37,5" as 森林覆盖率 (8.1) and a blank 约束性 cell (21)
CLEAN = "in/yubei-2022.xlsx"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch-problems")
    (root / "in").mkdir()
    edited_copy(DATA / "yubei-2023.xlsx", root / BROKEN, {("8.1", 2023): "37,5", ("21", 2023): None})
    shutil.copy(DATA / "yubei-2022.xlsx", root / CLEAN)
    return root


@pytest.fixture(scope="module")
def checked(workdir: Path) -> set[tuple[str, str, str | None]]:
    """(code, severity, cell) of every problem `check` finds in the broken workbook."""
    found = {(p["code"], p["severity"], p["cell"])
             for p in json.loads(run_cli("check", BROKEN, "--format", "json", cwd=workdir).stdout)["problems"]}
    assert {code for code, _, _ in found} == {"value-type", "missing-constraint-value"}
    return found


def batch(workdir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = run_cli("batch", "in", *args, cwd=workdir, env=env)
    assert proc.returncode == 0, proc.stderr  # a report: both workbooks assessed
    return proc.stdout


def _written(workdir: Path, suffix: str) -> Path:
    out = workdir / f"report{suffix}"
    batch(workdir, "-o", str(out))
    return out


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_entries_carry_the_problems_check_lists(workdir: Path, checked: set, fmt: str) -> None:
    out = batch(workdir, "--format", fmt)
    entries = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    by_file = {e["file"]: e for e in entries}
    broken, clean = by_file[BROKEN], by_file[CLEAN]
    assert broken["status"] == "assessed" and clean["status"] == "assessed"
    assert {(p["code"], p["severity"], p["cell"]) for p in broken["problems"]} == checked
    assert clean["problems"] == []
    forest = next(i for r in broken["results"] for i in r["items"] if i["id"] == "8.1")
    assert forest["status"] == "review" and "37,5" in forest["reason"]


def test_csv_has_a_row_for_each_problem(workdir: Path, checked: set) -> None:
    rows = list(csv.DictReader(io.StringIO(batch(workdir, "--format", "csv"))))
    problems = [r for r in rows if r["problem"]]
    assert {(r["problem"], r["severity"], r["cell"] or None) for r in problems if r["file"] == BROKEN} == checked
    assert not [r for r in problems if r["file"] == CLEAN]
    assert all(r["状态"] == "已评估" and r["district"] == "渝北区" and r["year"] == "2023" for r in problems)
    value_type = next(r for r in problems if r["problem"] == "value-type")
    assert value_type["id"] == "8.1" and "37,5" in value_type["reason"]
    assert any(r["file"] == BROKEN and r["id"] == "8.1" and r["status"] == "review" for r in rows)


def _says_the_problems(note: str) -> None:
    assert "2 个问题（错误 2，警告 0）" in note
    assert "value-type" in note and "37,5" in note and "missing-constraint-value" in note


def test_the_terminal_table_names_the_problems_under_the_file(workdir: Path) -> None:
    # A wide page, one line per note: this reads what it says, not how it wraps.
    lines = batch(workdir, env={"COLUMNS": "250"}).splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith(BROKEN))
    _says_the_problems(lines[at + 1])
    clean = next(i for i, line in enumerate(lines) if line.endswith(CLEAN))
    assert "个问题" not in lines[clean + 1]


def test_markdown_names_the_problems_in_the_file_list(workdir: Path) -> None:
    rows = {cells[4]: cells[5] for line in batch(workdir, "--format", "markdown").splitlines()
            if len(cells := [c.strip() for c in line.strip("|").split("|")]) == 6 and cells[4].startswith("in/")}
    _says_the_problems(rows[BROKEN])
    assert "个问题" not in rows[CLEAN]


def test_html_names_the_problems_in_the_file_list(workdir: Path) -> None:
    page = _written(workdir, ".html").read_text(encoding="utf-8")
    notes = dict(re.findall(r'<code>(in/[^<]+)</code>.*?<td class="note">([^<]*)</td>', page))
    _says_the_problems(notes[BROKEN].replace("&#x27;", "'"))
    assert "个问题" not in notes[CLEAN]


def test_xlsx_names_the_problems_in_the_file_list(workdir: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(_written(workdir, ".xlsx"))
    notes = {row[4]: row[5] or "" for row in book["文件清单"].iter_rows(min_row=2, values_only=True)}
    _says_the_problems(notes[BROKEN])
    assert "个问题" not in notes[CLEAN]


def test_word_names_the_problems_in_the_file_list(workdir: Path) -> None:
    from docx import Document

    document = Document(str(_written(workdir, ".docx")))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["序号", "状态"])
    notes = {row.cells[4].text: row.cells[5].text for row in table.rows[1:]}
    _says_the_problems(notes[BROKEN])
    assert "个问题" not in notes[CLEAN]
