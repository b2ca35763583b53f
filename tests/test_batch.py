"""`ecoplan batch`: many workbooks scored side by side, bad ones listed, the same output whatever --jobs is."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# Shipped workbooks that assess cleanly, with their district names.
GOOD = {"yubei-2023.xlsx": "渝北区", "yubei-2022.xlsx": "渝北区", "shapingba-2020.xlsx": "沙坪坝区",
        "chongqing-2020.xlsx": "重庆市", "gaoxin-2020.xlsx": "重庆高新区"}


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ecoplan", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


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
    proc = run("batch", folder)
    assert proc.returncode == 1, proc.stderr  # one workbook could not be scored
    out = proc.stdout
    assert "已评估 5 个，无法评估 1 个" in out
    assert "broken.xlsx" in out and "not an .xlsx workbook" in out
    assert "~$" not in out  # the lock file is not a workbook
    for name in set(GOOD.values()):
        assert name in out
    assert "指标矩阵" in out and "各指标状态计数" in out
    # The ranking: 重庆市 2020 (chongqing-14th-fyp) has the lowest share met of the good ones among these.
    ranking = out.split("排名", 1)[1].split("指标矩阵", 1)[0]
    assert ranking.index("渝北区") < ranking.index("重庆市")


def test_json_is_a_list_of_assess_objects(folder: Path) -> None:
    proc = run("batch", folder, "--format", "json")
    assert proc.returncode == 1
    items = json.loads(proc.stdout)
    assert len(items) == 5
    assert "broken.xlsx" in proc.stderr
    single = run("assess", DATA / "yubei-2023.xlsx", "--format", "json")
    assert json.loads(single.stdout) in items


def test_exit_0_when_everything_scored_and_gate(folder: Path) -> None:
    (folder / "broken.xlsx").unlink()
    assert run("batch", folder, "--format", "csv").returncode == 0
    # 渝北区 2023 has 约束性 indicators unmet: the gate fails.
    assert run("batch", folder, "--format", "csv", "--fail-on", "constraint").returncode == 1


def test_no_usable_input_is_exit_2(tmp_path: Path) -> None:
    assert run("batch", tmp_path).returncode == 2  # an empty folder
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 truncated")
    proc = run("batch", tmp_path)
    assert proc.returncode == 2 and "bad.xlsx" in proc.stdout
    assert run("batch", DATA / "yubei-2023.xlsx", "--pack", "no-such-pack").returncode == 2
    assert run("batch", DATA / "yubei-2023.xlsx", "--format", "xlsx").returncode == 2  # xlsx needs -o


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_output_does_not_depend_on_jobs(tmp_path: Path, fmt: str) -> None:
    # Enough copies for several chunks per worker, so parallel results really arrive out of order.
    for copy in range(6):
        (tmp_path / f"c{copy}").mkdir()
        for name in GOOD:
            shutil.copy(DATA / name, tmp_path / f"c{copy}" / name)
    (tmp_path / "c3" / "broken.xlsx").write_text("junk", encoding="utf-8")
    outputs = {jobs: run("batch", tmp_path, "--format", fmt, "--jobs", jobs) for jobs in ("1", "2", "3")}
    assert outputs["1"].returncode == 1
    assert outputs["1"].stdout == outputs["2"].stdout == outputs["3"].stdout
    assert outputs["1"].stderr == outputs["2"].stderr == outputs["3"].stderr


def test_xlsx_report(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = tmp_path / "out" / "report.xlsx"
    proc = run("batch", folder, "-o", report)
    assert proc.returncode == 1, proc.stderr
    book = load_workbook(report)
    assert book.sheetnames[0] == "总览"
    assert len(book.sheetnames) == 1 + 5  # the overview and one sheet per scored district
    overview = book["总览"]
    texts = [c.value for row in overview.iter_rows() for c in row if c.value]
    assert "broken.xlsx" in " ".join(str(t) for t in texts)
    unmet = [c for row in overview.iter_rows() for c in row if isinstance(c.value, str) and c.value == "✗ 未达标"]
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
    assert run("batch", tmp_path / "evil.xlsx", "-o", report).returncode == 0
    book = load_workbook(report)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


def test_refuses_to_overwrite_an_input(folder: Path) -> None:
    target = folder / "yubei-2022.xlsx"
    before = target.read_bytes()
    proc = run("batch", folder, "-o", target)
    assert proc.returncode == 2
    assert target.read_bytes() == before


def test_the_same_workbook_named_twice_or_through_a_link_is_scored_once(tmp_path: Path) -> None:
    shutil.copy(DATA / "yubei-2023.xlsx", tmp_path / "a.xlsx")
    (tmp_path / "link.xlsx").symlink_to(tmp_path / "a.xlsx")
    proc = run("batch", tmp_path, tmp_path / "a.xlsx", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) == 1


def test_a_folder_lists_the_workbooks_path_rglob_would_in_the_same_order(tmp_path: Path) -> None:
    from ecoplan.run.batch import collect_workbooks

    for relative in ["b.xlsx", "a-b.xlsx", "a/b.xlsx", "a/c/渝北区.XLSX", "a/~$b.xlsx", "a/notes.txt", ".xlsx",
                     "z/x.xlsx.bak", "z/.hidden/y.xlsx", "m.xlsx/inner.xlsx"]:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"PK")
    (tmp_path / "folder-link").symlink_to(tmp_path / "a", target_is_directory=True)  # not followed
    (tmp_path / "file-link.xlsx").symlink_to(tmp_path / "b.xlsx")  # the same file as b.xlsx: listed once
    (tmp_path / "dangling.xlsx").symlink_to(tmp_path / "gone.xlsx")  # not a file: skipped
    files, errors = collect_workbooks([tmp_path])
    expected = sorted(p for p in tmp_path.rglob("*") if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")
                      and p.is_file() and p.name != "file-link.xlsx")
    assert errors == [] and files == expected
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a/b.xlsx", "a/c/渝北区.XLSX", "a-b.xlsx", "b.xlsx", "m.xlsx/inner.xlsx", "z/.hidden/y.xlsx"]
