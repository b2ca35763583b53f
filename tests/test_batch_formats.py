"""Every input is accounted for in every batch format, and every format tells the same facts (issue 20 item 6).

One folder — good workbooks, one that is not a workbook, two copies of one district-year, two years of one
district, and a file that is not a workbook at all — goes through `ecoplan batch` in each format. Each output is
read back the way its reader reads it (JSON, CSV, the terminal's lines, Markdown, the HTML table, the xlsx and Word
tables) and must give the same files in the same order, with the same statuses and the same counts; duplicates are
never ranked, and a district's earlier year is its history, not a second ranking row.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, run_cli
from ecoplan.render.json_format import assessment_indented, assessment_line, batch_entry, list_element
from ecoplan.run.pipeline import evaluate_file

STATUS_WORDS = {"已评估": "assessed", "重复提交": "duplicate", "无法评估": "unusable"}
# The folder, as inputs in the order discovery lists them (sorted paths), with the status each must get.
EXPECTED = {
    "in/broken.xlsx": "unusable",  # not a workbook
    "in/chongqing-2020.xlsx": "duplicate",  # …and its copy below: the same district, year and pack
    "in/gaoxin-2020.xlsx": "assessed",
    "in/resent/重庆-2020-改.xlsx": "duplicate",
    "in/yubei-2022.xlsx": "assessed",  # 渝北区's earlier year: its history
    "in/yubei-2023.xlsx": "assessed",  # 渝北区's latest year: ranked
}
COUNTS = {"assessed": 3, "duplicate": 2, "unusable": 1}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder holding `in/` (run from the working folder, so paths are short and read alike)."""
    root = tmp_path_factory.mktemp("batch")
    folder = root / "in"
    (folder / "resent").mkdir(parents=True)
    for name in ("yubei-2023.xlsx", "yubei-2022.xlsx", "gaoxin-2020.xlsx", "chongqing-2020.xlsx"):
        shutil.copy(DATA / name, folder / name)
    shutil.copy(DATA / "chongqing-2020.xlsx", folder / "resent" / "重庆-2020-改.xlsx")
    (folder / "broken.xlsx").write_text("not a workbook", encoding="utf-8")
    (folder / "readme.txt").write_text("说明", encoding="utf-8")
    return root


def batch(workdir: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    proc = run_cli("batch", "in", "--jobs", "2", *args, cwd=workdir, env=env)
    assert proc.returncode == 1, proc.stderr  # a duplicate and an unusable file: exit 1, the rest assessed
    return proc


def _out(workdir: Path, suffix: str) -> Path:
    out = workdir / f"report{suffix}"
    batch(workdir, "-o", str(out))
    return out


def test_json_lists_every_input_in_order_with_its_status(workdir: Path) -> None:
    entries = json.loads(batch(workdir, "--format", "json").stdout)
    assert {e["file"]: e["status"] for e in entries} == EXPECTED
    assert [e["file"] for e in entries] == list(EXPECTED)
    by_file = {e["file"]: e for e in entries}
    # An assessed entry is `assess --format json` with its file and status before it.
    single = json.loads(run_cli("assess", "in/yubei-2023.xlsx", "--format", "json", cwd=workdir).stdout)
    assert by_file["in/yubei-2023.xlsx"] == {"file": "in/yubei-2023.xlsx", "status": "assessed", **single}
    # A duplicate is assessed too, and names the other copy.
    copy = by_file["in/resent/重庆-2020-改.xlsx"]
    assert copy["duplicate_of"] == ["in/chongqing-2020.xlsx"]
    assert by_file["in/chongqing-2020.xlsx"]["duplicate_of"] == ["in/resent/重庆-2020-改.xlsx"]
    assert copy["summary"] == by_file["in/chongqing-2020.xlsx"]["summary"] and copy["results"]
    # An unusable file carries its problems as `check` names them (no path repeated in the cell).
    broken = by_file["in/broken.xlsx"]
    assert set(broken) == {"file", "status", "problems"}
    check = json.loads(run_cli("check", "in/broken.xlsx", "--format", "json", cwd=workdir).stdout)
    assert broken["problems"] == check["problems"]
    assert broken["problems"][0]["code"] == "file-unreadable" and broken["problems"][0]["severity"] == "error"


def test_stderr_names_each_input_not_assessed_by_what_it_is(workdir: Path) -> None:
    # The copies of 重庆市 2020 have problems of their own (a 约束性 row missing): still, each is named a duplicate.
    lines = batch(workdir, "--format", "json").stderr.splitlines()
    said = {path: next(line for line in lines if line.startswith(f"ecoplan: {path}: ")) for path, status in
            EXPECTED.items() if status != "assessed"}
    assert "不是工作簿" in said["in/broken.xlsx"]
    assert all("重复提交" in said[p] and "missing-constraint-value" not in said[p]
               for p in ("in/chongqing-2020.xlsx", "in/resent/重庆-2020-改.xlsx"))


def test_json_lines_are_the_json_entries(workdir: Path) -> None:
    entries = json.loads(batch(workdir, "--format", "json").stdout)
    lines = batch(workdir, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == entries


def test_csv_has_a_status_column(workdir: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(batch(workdir, "--format", "csv").stdout)))
    statuses: dict[str, str] = {}
    for row in rows:
        assert statuses.setdefault(row["file"], STATUS_WORDS[row["状态"]]) == STATUS_WORDS[row["状态"]]
    assert statuses == EXPECTED and list(statuses) == list(EXPECTED)
    broken = [r for r in rows if r["file"] == "in/broken.xlsx"]
    assert [(r["problem"], r["severity"]) for r in broken] == [("file-unreadable", "error")]
    assert "不是工作簿" in broken[0]["reason"]
    copies = {r["duplicate_of"] for r in rows if r["file"] == "in/chongqing-2020.xlsx"}
    assert copies == {"in/resent/重庆-2020-改.xlsx"}


def _headline_counts(text: str) -> dict[str, int]:
    found = re.search(r"已评估 (\d+) 个，重复提交 (\d+) 个，无法评估 (\d+) 个", text)
    assert found, text[:400]
    return dict(zip(("assessed", "duplicate", "unusable"), map(int, found.groups()), strict=True))


def test_table_lists_every_input_and_ranks_districts_once(workdir: Path) -> None:
    # A wide page: this reads what the table says, not how it wraps at 80 columns (test_batchview_table.py does).
    out = batch(workdir, env={"COLUMNS": "200"}).stdout
    rows = re.findall(r"^\s+(\d+)\s+(已评估|重复提交|无法评估)\s.*?(in/\S+\.xlsx)$", out, re.M)
    assert [(path, STATUS_WORDS[word]) for _, word, path in rows] == list(EXPECTED.items())
    assert _headline_counts(out) == COUNTS
    ranking = out.split("排名", 1)[1].split("指标矩阵", 1)[0]
    assert "重庆市" not in ranking  # both copies of 重庆市 2020 are duplicates: never ranked
    yubei = [line.split() for line in ranking.splitlines() if line.split()[1:2] == ["渝北区"]]
    assert len(yubei) == 1 and yubei[0][2] == "2023" and "2022年" in yubei[0][-2]  # 2022 is its history
    assert "in/readme.txt" in out  # the skipped file is named on the page


def test_markdown_lists_every_input(workdir: Path) -> None:
    out = batch(workdir, "--format", "markdown").stdout
    rows = re.findall(r"^\| (\d+) \| (已评估|重复提交|无法评估) \|[^|]*\|[^|]*\| (in/[^|]+?) \|", out, re.M)
    assert [(path, STATUS_WORDS[word]) for _, word, path in rows] == list(EXPECTED.items())
    assert _headline_counts(out) == COUNTS
    ranking = out.split("### 指标矩阵", 1)[0]
    assert "重庆市" not in ranking and ranking.count("| 渝北区 |") == 1


def test_html_lists_every_input_and_the_skipped_files(workdir: Path) -> None:
    page = _out(workdir, ".html").read_text(encoding="utf-8")
    rows = re.findall(r'<td class=num>\d+</td><td class="s-\w+">(\w+)</td>.*?<code>(in/[^<]+)</code>', page)
    assert [(path, STATUS_WORDS[word]) for word, path in rows] == list(EXPECTED.items())
    assert _headline_counts(page) == COUNTS
    rankings = re.findall(r'<table class="rank">.*?</table>', page, re.S)
    assert rankings and not any("重庆市" in table for table in rankings)
    assert sum(table.count("渝北区 2023") for table in rankings) == 1 and "往年：2022年" in page
    assert "in/readme.txt" in page and "跳过的文件" in page


def test_xlsx_lists_every_input_and_gives_no_duplicate_an_unmarked_sheet(workdir: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(_out(workdir, ".xlsx"))
    files = list(book["文件清单"].iter_rows(min_row=2, values_only=True))
    assert [(path, STATUS_WORDS[word]) for _, word, _, _, path, _ in files] == list(EXPECTED.items())
    assert _headline_counts(book["文件清单"].oddHeader.center.text) == COUNTS
    ranked = [row[2] for row in book["排名"].iter_rows(min_row=2, values_only=True)]
    assert "重庆市" not in ranked and ranked.count("渝北区") == 1
    # Every assessed workbook has its sheet; a duplicate's sheet says so in its name.
    district_sheets = [n for n in book.sheetnames if re.search(r" \d{4}", n)]
    assert sorted(n for n in district_sheets if "重庆市" in n) == ["重复 · 重庆市 2020 · chongqing-2020",
                                                                 "重复 · 重庆市 2020 · 重庆-2020-改"]
    assert {"渝北区 2023", "渝北区 2022", "重庆高新区 2020"} <= set(district_sheets)
    assert "跳过的文件" in book.sheetnames


def test_word_lists_every_input(workdir: Path) -> None:
    from docx import Document

    document = Document(str(_out(workdir, ".docx")))
    table = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:2] == ["序号", "状态"])
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [(row[4], STATUS_WORDS[row[1]]) for row in rows] == list(EXPECTED.items())
    text = "\n".join(p.text for p in document.paragraphs)
    assert _headline_counts(text) == COUNTS
    ranking = [[c.text for c in row.cells] for t in document.tables if t.rows[0].cells[0].text == "名次"
               for row in t.rows[1:]]
    assert [r[1] for r in ranking].count("渝北区") == 1 and "重庆市" not in [r[1] for r in ranking]
    # One section per ranked district: 渝北区's shows both its years side by side.
    assert "渝北区（2022、2023 年）" in text and "重庆市（" not in text


def test_an_entry_joined_as_text_equals_the_object_encoded_whole() -> None:
    assessment = evaluate_file(DATA / "yubei-2023.xlsx").assessment
    assert assessment is not None
    head = {"file": "a \"b\".xlsx", "status": "duplicate", "duplicate_of": ["c.xlsx"]}
    whole = {**head, **assessment.as_dict()}
    indented = batch_entry(head, assessment_indented("x", assessment), indented=True)
    assert indented == json.dumps(whole, ensure_ascii=False, indent=2)
    assert json.loads("[\n" + list_element(indented) + "\n]") == [whole]
    line = batch_entry(head, assessment_line("x", assessment), indented=False)
    assert line == json.dumps(whole, ensure_ascii=False) and "\n" not in line
