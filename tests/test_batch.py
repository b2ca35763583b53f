"""`ecoplan batch`: many workbooks scored side by side, bad ones listed, the same output whatever --jobs is."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# Shipped workbooks that assess cleanly, with their district names.
GOOD = {"yubei-2023.xlsx": "渝北区", "yubei-2022.xlsx": "渝北区", "shapingba-2020.xlsx": "沙坪坝区",
        "chongqing-2020.xlsx": "重庆市", "gaoxin-2020.xlsx": "重庆高新区"}


# A wide page where a test reads what the overview says about long temporary paths, not how it wraps at 80 columns
# (tests/test_batchview_table.py and test_render_terminal.py look at that).
WIDE = {"COLUMNS": "200"}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """The good workbooks (one in a sub-folder), a broken one, and an Office lock file that must be skipped."""
    (tmp_path / "sub").mkdir()
    for index, name in enumerate(GOOD):
        shutil.copy(DATA / name, tmp_path / ("sub" if index == 0 else "") / name)
    (tmp_path / "broken.xlsx").write_text("this is not a workbook", encoding="utf-8")
    shutil.copy(DATA / "yubei-2023.xlsx", tmp_path / "~$yubei-2023.xlsx")
    return tmp_path


def test_table_scores_the_good_and_lists_the_broken(folder: Path) -> None:
    proc = run_cli("batch", folder, env=WIDE)
    assert proc.returncode == 1, proc.stderr  # one workbook could not be scored
    out = proc.stdout
    assert "已评估 5 个，重复提交 0 个，无法评估 1 个" in out
    assert "broken.xlsx" in out and "不是工作簿" in out
    assert "~$" not in out  # the lock file is not a workbook
    for name in set(GOOD.values()):
        assert name in out
    assert "指标矩阵" in out and "各指标状态计数" in out
    # Districts are ranked within their pack (issue 14.3), never across packs, one row per district (issue 20.6):
    # 渝北区 ranks with 2023 (29/32 met), its 2022 (27/32) shown beside it as history, never ranked against it.
    ranking = out.split("排名", 1)[1].split("指标矩阵", 1)[0]
    packs = re.findall(r"\(([a-z0-9-]+)\)：(\d+) 个区县", ranking)  # one ranking table per pack
    assert sorted(pack for pack, _ in packs) == sorted({pack for pack, _ in packs})
    assert dict(packs) == {"yubei-2023-2030": "1", "chongqing-14th-fyp": "1", "gaoxin-14th-fyp": "1",
                           "shapingba-14th-fyp": "1"}
    yubei = ranking.split("(yubei-2023-2030)", 1)[1].split("\n\n", 1)[0]
    rows = [line.split() for line in yubei.splitlines() if line.strip()[:1].isdigit()]
    assert [(cells[0], cells[2], cells[-2], cells[-1]) for cells in rows] == [("1", "2023", "2022年", "84.4%")]


def test_json_is_a_list_of_every_input(folder: Path) -> None:
    proc = run_cli("batch", folder, "--format", "json")
    assert proc.returncode == 1
    items = json.loads(proc.stdout)
    assert len(items) == 6  # every input, the broken one included (issue 20.6)
    assert "broken.xlsx" in proc.stderr
    single = run_cli("assess", DATA / "yubei-2023.xlsx", "--format", "json")
    # Every assessed element is DESIGN.md's object with "file", its path (issue 14.3: a reader can trace each
    # entry), and "status".
    assert {"file": str(folder / "sub" / "yubei-2023.xlsx"), "status": "assessed",
            **json.loads(single.stdout)} in items
    assert sorted(Path(item["file"]).name for item in items if item["status"] == "assessed") == sorted(GOOD)
    assert [item["status"] for item in items if Path(item["file"]).name == "broken.xlsx"] == ["unusable"]


def test_exit_0_when_everything_scored_and_gate(folder: Path) -> None:
    (folder / "broken.xlsx").unlink()
    assert run_cli("batch", folder, "--format", "csv").returncode == 0
    # 渝北区 2023 has 约束性 indicators unmet: the gate fails.
    assert run_cli("batch", folder, "--format", "csv", "--fail-on", "constraint").returncode == 1


def test_no_usable_input_is_exit_2(tmp_path: Path) -> None:
    assert run_cli("batch", tmp_path).returncode == 2  # an empty folder
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 truncated")
    proc = run_cli("batch", tmp_path, env=WIDE)
    assert proc.returncode == 2 and "bad.xlsx" in proc.stdout
    assert run_cli("batch", DATA / "yubei-2023.xlsx", "--pack", "no-such-pack").returncode == 2


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_output_does_not_depend_on_jobs(tmp_path: Path, fmt: str) -> None:
    # Enough copies for several chunks per worker, so parallel results really arrive out of order.
    for copy in range(6):
        (tmp_path / f"c{copy}").mkdir()
        for name in GOOD:
            shutil.copy(DATA / name, tmp_path / f"c{copy}" / name)
    (tmp_path / "c3" / "broken.xlsx").write_text("junk", encoding="utf-8")
    outputs = {jobs: run_cli("batch", tmp_path, "--format", fmt, "--jobs", jobs) for jobs in ("1", "2", "3")}
    assert outputs["1"].returncode == 1
    assert outputs["1"].stdout == outputs["2"].stdout == outputs["3"].stdout
    assert outputs["1"].stderr == outputs["2"].stderr == outputs["3"].stderr


def test_xlsx_report(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = tmp_path / "out" / "report.xlsx"
    proc = run_cli("batch", folder, "-o", report)
    assert proc.returncode == 1, proc.stderr
    book = load_workbook(report)
    # 15.4: ranking, one matrix per pack, indicator counts and every input with its status on sheets of their own.
    assert book.sheetnames[0] == "排名"
    assert "指标统计" in book.sheetnames and "文件清单" in book.sheetnames
    assert any("broken.xlsx" in str(row[4]) and row[1] == "无法评估"
               for row in book["文件清单"].iter_rows(values_only=True))
    matrix = book[next(n for n in book.sheetnames if n.startswith("矩阵"))]
    last = int(re.sub(r"\D", "", matrix.auto_filter.ref.split(":")[1]))  # the table's rows; its legend follows
    unmet = [c for row in matrix.iter_rows(min_row=2, max_row=last) for c in row if c.value == "✗"]
    assert unmet and all(c.fill.fgColor.rgb.endswith("FFC7CE") for c in unmet)


def test_xlsx_keeps_formula_like_text_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = load_workbook(DATA / "yubei-2023.xlsx")
    info = source["区县信息"]
    for row in info.iter_rows():
        if row[0].value == "区县名称":
            row[1].value = '=HYPERLINK("http://example.com","x")'
            row[1].data_type = "s"
    source.save(tmp_path / "evil.xlsx")
    report = tmp_path / "report.xlsx"
    assert run_cli("batch", tmp_path / "evil.xlsx", "-o", report).returncode == 0
    book = load_workbook(report)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_refuses_to_overwrite_an_input(folder: Path) -> None:
    target = folder / "yubei-2022.xlsx"
    before = target.read_bytes()
    proc = run_cli("batch", folder, "-o", target)
    assert proc.returncode == 2
    assert target.read_bytes() == before


def test_the_same_workbook_named_twice_or_through_a_link_is_scored_once(tmp_path: Path) -> None:
    shutil.copy(DATA / "yubei-2023.xlsx", tmp_path / "a.xlsx")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "a.xlsx")
    proc = run_cli("batch", tmp_path, tmp_path / "a.xlsx", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) == 1


def test_a_folder_lists_every_supported_workbook_and_names_what_it_skipped(tmp_path: Path) -> None:
    from ecoplan.run.discover import discover

    for relative in ["b.xlsx", "a-b.xls", "a/b.ods", "a/c/渝北区.XLSX", "a/d.XlSm", "a/~$b.xlsx", "a/notes.txt",
                     ".xlsx", "z/x.xlsx.bak", "z/.hidden/y.xlsx", "m.xlsx/inner.xlsx", "data.csv"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"PK")
    (tmp_path / "folder-link").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed
    (tmp_path / "file-link.xlsx").symlink_to(tmp_path / "b.xlsx")  # the same file as b.xlsx: listed once
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")  # no file: named as skipped
    found = discover([tmp_path, tmp_path / "absent"])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == [
        "a/b.ods", "a/c/渝北区.XLSX", "a/d.XlSm", "a-b.xls", "b.xlsx", "m.xlsx/inner.xlsx"]
    # Lock files and hidden files or folders are left out; every other entry is named as skipped, with why where
    # it is not the suffix (the link to nothing, the link to a folder).
    skipped = ["a/notes.txt", "dangling.xlsx", "data.csv", "folder-link", "z/x.xlsx.bak"]
    assert [p.relative_to(tmp_path).as_posix() for p in found.skipped] == skipped
    assert found.missing == [tmp_path / "absent"]
    note = found.skipped_note()
    assert note is not None and note.startswith("跳过 5 项") and "data.csv" in note
    # One entry a line, so a long list stays readable in an 80-column terminal (it was one 350-column line).
    why = {"dangling.xlsx": "（链接指向的文件不存在）", "folder-link": "（链接指向文件夹（不跟随））"}
    assert note.splitlines()[1:] == [f"  {tmp_path / name}{why.get(name, '')}" for name in skipped]


def test_batch_and_check_take_the_same_files_and_say_what_they_skipped(tmp_path: Path) -> None:
    (tmp_path / "deep" / "deeper").mkdir(parents=True)
    shutil.copy(DATA / "yubei-2023.xlsx", tmp_path / "deep" / "deeper" / "YUBEI.XLSX")
    shutil.copy(DATA / "gaoxin-2020.xlsx", tmp_path / "gaoxin-2020.xlsx")
    (tmp_path / "readme.txt").write_text("说明", encoding="utf-8")
    batch = run_cli("batch", tmp_path, "--format", "json")
    check = run_cli("check", tmp_path, "--format", "json", "--fail-on", "never")
    batch_files = sorted(item["file"] for item in json.loads(batch.stdout))
    check_files = sorted(item["file"] for item in json.loads(check.stdout))
    assert batch_files == check_files == sorted([str(tmp_path / "deep" / "deeper" / "YUBEI.XLSX"),
                                                 str(tmp_path / "gaoxin-2020.xlsx")])
    for proc in (batch, check):
        assert "跳过 1 项" in proc.stderr and "readme.txt" in proc.stderr


def test_the_same_district_and_year_twice_is_a_duplicate_never_ranked(tmp_path: Path) -> None:
    (tmp_path / "resent").mkdir()
    shutil.copy(DATA / "yubei-2023.xlsx", tmp_path / "yubei-2023.xlsx")
    shutil.copy(DATA / "yubei-2023.xlsx", tmp_path / "resent" / "渝北2023-修改.xlsx")
    shutil.copy(DATA / "yubei-2022.xlsx", tmp_path / "yubei-2022.xlsx")  # another year of the district: fine
    shutil.copy(DATA / "gaoxin-2020.xlsx", tmp_path / "gaoxin-2020.xlsx")
    proc = run_cli("batch", tmp_path, env=WIDE)
    assert proc.returncode == 1, proc.stderr
    ranking = proc.stdout.split("排名", 1)[1].split("指标矩阵", 1)[0]
    yubei = ranking.split("(yubei-2023-2030)", 1)[1].split("\n\n", 1)[0]
    years = [line.split()[2] for line in yubei.splitlines() if line.strip()[:1].isdigit()]
    assert years == ["2022"]  # neither copy of 2023 is ranked
    listed = re.findall(r"^\s+\d+\s+重复提交\s+渝北区\s+2023\s+(\S+)$", proc.stdout, re.M)
    assert sorted(Path(p).name for p in listed) == ["yubei-2023.xlsx", "渝北2023-修改.xlsx"]
    markdown = run_cli("batch", tmp_path, "--format", "markdown")
    assert markdown.returncode == 1 and len(re.findall(r"^\| \d+ \| 重复提交 \|", markdown.stdout, re.M)) == 2


def test_several_years_of_one_district_are_one_district(tmp_path: Path) -> None:
    from ecoplan.run.batch_aggregate import ASSESSED, BatchAggregate

    aggregate = BatchAggregate()
    columns = {"p": ("P", [("1", "1", "指标", "constraint")])}
    for path, name, code, year, met in [("a", "渝北区", "500112", 2022, 1), ("b", "渝北区", "500112", 2023, 0),
                                        ("c", "沙坪坝区", None, 2023, 1), ("d", "沙坪坝 区", None, 2022, 1)]:
        aggregate.add(columns, {"path": path, "name": name, "code": code, "year": year, "pack": "p",
                                "summary": {"total": 1, "met": met, "constraint_not_met": 1 - met},
                                "statuses": ["met" if met else "not_met"]})
    # The same district and year against another pack is not a duplicate: each pack ranks its own.
    aggregate.add({"q": ("Q", [("1", "1", "指标", "constraint")])},
                  {"path": "e", "name": "渝北区", "code": "500112", "year": 2023, "pack": "q",
                   "summary": {"total": 1, "met": 1, "constraint_not_met": 0}, "statuses": ["met"]})
    aggregate.settle()
    assert [e.status for e in aggregate.entries] == [ASSESSED] * 5
    assert aggregate.districts() == 2
    # One row per district and pack: its latest year ranks (渝北区 2023, though its 2022 was better), the earlier
    # years are its history; the counts are over the ranked years (one 未达标, one 达标).
    block = aggregate.packs["p"]
    assert [(s.rank, s.latest.path, [e.path for e in s.history]) for s in block.standings] == [
        (1, "c", ["d"]), (2, "b", ["a"])]
    assert block.counts[0]["met"] == 1 and block.counts[0]["not_met"] == 1
    assert list(aggregate.packs) == ["p", "q"] and [s.latest.path for s in aggregate.packs["q"].standings] == ["e"]


def test_duplicates_name_each_other_and_leave_the_ranking() -> None:
    from ecoplan.run.batch_aggregate import ASSESSED, DUPLICATE, BatchAggregate, batch_exit_code

    aggregate = BatchAggregate()
    columns = {"p": ("P", [("1", "1", "指标", "constraint")])}
    for path, year in [("a", 2023), ("b", 2022), ("c", 2023)]:
        aggregate.add(columns, {"path": path, "name": "渝北区", "code": "500112", "year": year, "pack": "p",
                                "summary": {"total": 1, "met": 1, "constraint_not_met": 0}, "statuses": ["met"]})
    aggregate.settle()
    assert [(e.status, e.duplicate_of) for e in aggregate.entries] == [(DUPLICATE, ("c",)), (ASSESSED, ()),
                                                                       (DUPLICATE, ("a",))]
    assert [(s.latest.path, s.history) for s in aggregate.packs["p"].standings] == [("b", ())]
    assert batch_exit_code(aggregate, gate=False) == 1
