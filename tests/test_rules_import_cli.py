"""`ecoplan rules import` as a person meets it: what it writes and says, the files it refuses and why, and what the
draft carries for a reviewer (comments, notes, provisional targets) — run through the real command line."""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import DATA, run_cli
from ecoplan.rules.loader import load_pack
from plan_tables import FIXTURES, Transcription, load, write_docx, write_xlsx


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in line)


@pytest.fixture(scope="module")
def shapingba(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx(load("seed003-column2"), tmp_path_factory.mktemp("plan") / "沙坪坝区规划.docx")


def _draft(path: Path, tmp_path: Path, *extra: str) -> tuple[dict, str, Path]:
    target = tmp_path / f"draft-{len(list(tmp_path.glob('draft-*.yaml')))}.yaml"
    proc = run_cli("rules", "import", path, *extra, "-o", target)
    assert proc.returncode == 0, proc.stderr
    return yaml.safe_load(target.read_text(encoding="utf-8")), target.read_text(encoding="utf-8"), target


def _by_id(pack: dict) -> dict[str, dict]:
    found = {}
    for top in pack["indicators"]:
        found[top["id"]] = top
        for item in top.get("items", []):
            found[item["id"]] = item
    return found


def test_without_o_the_yaml_goes_to_stdout_and_the_report_to_stderr_in_80_columns(shapingba: Path) -> None:
    before = hashlib.sha256(shapingba.read_bytes()).hexdigest()
    proc = run_cli("rules", "import", shapingba, "--id", "shapingba-draft")
    assert proc.returncode == 0, proc.stderr
    pack = yaml.safe_load(proc.stdout)
    assert pack["id"] == "shapingba-draft" and len(pack["indicators"]) == 18
    report = proc.stderr.splitlines()
    assert any(line.startswith("行：20 行 → 指标 18 项，分项 2 项") for line in report), proc.stderr
    assert any("写成 manual 的指标 1 项（10.2）" in line for line in report), proc.stderr
    assert any(line.startswith("表注：6 条") for line in report), proc.stderr
    assert all(_width(line) <= 80 for line in report), [line for line in report if _width(line) > 80]
    assert hashlib.sha256(shapingba.read_bytes()).hexdigest() == before  # the plan is never written


def test_a_file_name_without_an_ascii_word_needs_an_id(shapingba: Path) -> None:
    proc = run_cli("rules", "import", shapingba)
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load(proc.stdout)["id"] == "imported-plan"


def test_o_takes_the_id_from_its_name_and_never_replaces_a_file_silently(shapingba: Path, tmp_path: Path) -> None:
    target = tmp_path / "my-county-2025.yaml"
    target.write_text("# reviewed by hand\n", encoding="utf-8")
    proc = run_cli("rules", "import", shapingba, "-o", target)
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert target.read_text(encoding="utf-8") == "# reviewed by hand\n"
    proc = run_cli("rules", "import", shapingba, "-o", target, "--force")
    assert proc.returncode == 0, proc.stderr
    assert load_pack(target).id == "my-county-2025"
    assert str(target) in proc.stderr.replace("\n  ", "") and "已写出" in proc.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["--id", "other", "-o", "{tmp}/mine.yaml"], "不一致"),
    (["-o", "{tmp}/Mine Pack.yaml"], "不能作指标体系 id"),
    (["-o", "{tmp}/mine.json"], ".yaml"),
    (["--table", "3"], "超出范围"),
    (["-o", "{tmp}"], "文件夹")])
def test_usage_errors_say_what_to_do(shapingba: Path, tmp_path: Path, args: list[str], words: str) -> None:
    proc = run_cli("rules", "import", shapingba, *[a.format(tmp=tmp_path) for a in args])
    assert proc.returncode == 2, proc.stdout
    assert words in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())


def test_o_never_writes_over_a_device(shapingba: Path) -> None:
    proc = run_cli("rules", "import", shapingba, "-o", "/dev/null", "--force")
    assert proc.returncode == 2 and "不是普通文件" in proc.stderr
    assert Path("/dev/null").is_char_device()


def test_several_tables_are_listed_and_one_is_chosen_with_table(tmp_path: Path) -> None:
    annex = write_xlsx([load("seed001-column1"), load("seed001-column2")], tmp_path / "annex.xlsx")
    proc = run_cli("rules", "import", annex)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    joined = proc.stderr.replace("\n  ", "").replace(" ", "")
    assert "中有2个指标表；请用--tableN选择其中一个" in joined
    assert "1. 专栏1 生态文明建设“十三五”规划主要指标完成情况（工作表 附表1，19 行）" in lines
    assert any(line.startswith("2. 专栏2 “十四五”生态环境保护核心指标（工作表 附表2") for line in lines)
    assert all(_width(line) <= 80 for line in lines)
    pack, _, _ = _draft(annex, tmp_path, "--table", "2")
    assert [top["id"] for top in pack["indicators"]] == ["1", "2", "3", "4", "5", "6", "7"]


def test_an_old_binary_word_file_is_refused_with_how_to_convert_it(tmp_path: Path) -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le")
    for name in ("规划.doc", "plan.bin"):  # by its name, and by its content
        path = tmp_path / name
        path.write_bytes(ole2)
        proc = run_cli("rules", "import", path)
        assert proc.returncode == 2
        assert ".doc" in proc.stderr and "soffice --headless --convert-to docx" in proc.stderr


@pytest.mark.parametrize(("content", "words"), [(b"%PDF-1.7\n", "PDF"), (b"", "空的"), (b"hello, world\n", "不是")])
def test_what_is_no_plan_file_is_named(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "plan.docx"
    path.write_bytes(content)
    proc = run_cli("rules", "import", path)
    assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr


def test_a_word_file_whose_xml_declares_entities_is_refused(shapingba: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.docx"
    with zipfile.ZipFile(shapingba) as source, zipfile.ZipFile(hostile, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>', 1)
            target.writestr(item, data)
    proc = run_cli("rules", "import", hostile)
    assert proc.returncode == 2 and "DOCTYPE" in proc.stderr


def test_the_checked_in_sample_plan_is_004s_table() -> None:
    """tests/fixtures/plan_tables/gaoxin-plan.docx (written from the 004 transcription) is what the parsing tests
    hand `rules import`: it must stay a plan that imports."""
    proc = run_cli("rules", "import", FIXTURES / "gaoxin-plan.docx", "--id", "gaoxin-plan")
    assert proc.returncode == 0, proc.stderr
    assert [top["id"] for top in yaml.safe_load(proc.stdout)["indicators"]] == [str(i) for i in range(1, 18)]


def test_a_districts_submission_is_no_plan_table() -> None:
    proc = run_cli("rules", "import", DATA / "yubei-2023.xlsx")
    assert proc.returncode == 2 and "没有找到指标表" in proc.stderr


def test_a_file_without_an_indicator_table_says_what_a_table_needs(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("表5 重点工程")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["序号", "项目名称", "建设内容"], strict=True):
        cell.text = text
    path = tmp_path / "projects.docx"
    document.save(path)
    proc = run_cli("rules", "import", path)
    assert proc.returncode == 2 and "没有找到指标表" in proc.stderr and "指标名称" in proc.stderr


# ---------------------------------------------------------------------------------------- what the draft says
def test_the_draft_of_shapingba_reads_its_notes_and_remarks(shapingba: Path, tmp_path: Path) -> None:
    pack, text, _ = _draft(shapingba, tmp_path)
    rows = _by_id(pack)
    assert pack["plan_period"] == [2021, 2025] and pack["target_years"] == [2025]
    assert pack["defaults"]["baseline_year"] == 2020
    assert rows["1"]["provisional"] == "以最终市级下达为准"  # its 备注
    note3 = "单位GDP二氧化碳排放量、能耗、非化石能源占一次能源消费的比例和污染物排放总量减少等最终以重庆市下达数为准"
    assert {i for i, row in rows.items() if row.get("provisional", "").endswith(note3)} == {
        "5", "6", "7", "12", "13", "14", "15"}
    assert "备注：以优化调整后为准" in rows["3"]["source"]["note"] and "provisional" not in rows["3"]
    assert rows["2"]["source"]["note"].startswith("注5：")  # 森林覆盖率现状值 …
    assert rows["10.2"]["criterion"] == {"kind": "manual", "reason": "（空）"}
    assert rows["9"]["direction"] == "lower" and rows["9"]["criterion"] == "34"
    assert "unit" not in rows["8"]  # the table prints none
    assert rows["4"]["attribute"] == "预期性" and rows["10.1"]["criterion"] == "II"
    assert "# 第 12 行“其中:嘉陵江”没有序号：作为本指标的分项" in text
    assert "#   注4：沙坪坝区无镇级集中式饮用水源地。（未关联到任何指标，请人工核对）" in text
    assert "# 方向取越低越好（名称中的“浓度”）" in text


def test_a_star_a_note_explains_is_its_mark(tmp_path: Path) -> None:
    pack, _, _ = _draft(write_docx(load("seed001-column2"), tmp_path / "c2.docx"), tmp_path)
    rows = _by_id(pack)
    assert rows["4"]["criterion"] == "97.3" and rows["4"]["text"] == "97.3*"
    assert rows["4"]["source"]["note"].startswith("注2：*表示") and "may_be_na" not in rows["4"]


@pytest.mark.parametrize("writer", ["docx", "xlsx"])
def test_a_header_over_two_rows_a_task_column_and_numbering_that_starts_again(tmp_path: Path, writer: str) -> None:
    """表4's layout (an excerpt): 目标 over 2025年 and 2030年, 任务 beside 领域, 参考性指标 numbered 1… again."""
    excerpt = Transcription("t4", "表 4 渝北区国家生态文明建设示范区建设指标", [
        ["领域", "任务", "序号", "指标名称", "指标值", "单位", "目标", "<"],
        ["^", "^", "^", "^", "^", "^", "2025年", "2030年"]], [
        ["目标责任", "（一）目标责任落实", "1", "生态文明建设工作占党政实绩考核的比例", "≥20", "%", "≥25", "≥25"],
        ["^", "^", "2", "党政领导干部生态环境损害责任追究制度", "建立", "-", "建立", "建立"],
        ["生态安全", "（三）生态质量提升", "8", "生态系统保护修复", "", "", "", ""],
        ["^", "^", "", "森林覆盖率*", "保持稳定或持续改善", "%", "37.69", "37.69"],
        ["^", "^", "", "草原综合植被盖度*", "保持稳定或持续改善", "%", "-", "-"],
        ["^", "^", "9", "受污染耕地安全利用率*", "≥93", "%", "完成上级规定的考核任务", "完成上级规定的考核任务"],
        ["参考性指标", "", "1", "农村生活污水治理（管控）率", "东部地区：≥60；中西部、东北地区：≥30", "%", "62", "65"],
        ["^", "", "2", "危险废物填埋处置量占比", "持续下降", "%", "0", "0"]], [])
    path = (write_docx(excerpt, tmp_path / "t4.docx") if writer == "docx"
            else write_xlsx([excerpt], tmp_path / "t4.xlsx", cover=False))
    pack, text, target = _draft(path, tmp_path)
    rows = _by_id(pack)
    assert [top["id"] for top in pack["indicators"]] == ["1", "2", "8", "9", "R1", "R2"]
    assert pack["target_years"] == [2025, 2030]
    assert rows["8.1"]["may_be_na"] is True and rows["8.1"]["name"] == "森林覆盖率"
    assert rows["8.1"]["targets"][2030] == {"text": "37.69", "criterion": "37.69"}
    assert 2025 not in rows["8.2"].get("targets", {})  # "-": no target that year
    assert rows["8"]["task"] == "（三）生态质量提升" and rows["R1"]["domain"] == "参考性指标"
    assert rows["R1"]["criterion"]["kind"] == "by_profile"
    assert rows["R2"]["direction"] == "lower"  # 持续下降 says so, whatever 占比 in the name suggests
    assert "序号 1 重新开始编号：编为 R1" in text
    assert load_pack(target).find("8.1").may_be_na


def test_a_table_continued_without_its_header_on_the_next_page_is_one_table(tmp_path: Path) -> None:
    table = load("seed004-column1")
    table.pages = [9]
    path = write_docx(table, tmp_path / "split.docx", split=True)
    import docx

    document = docx.Document(str(path))
    second = document.tables[1]
    second._tbl.remove(second.rows[0]._tr)  # the second page carries no header
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    pack, _, _ = _draft(path, tmp_path)
    assert [top["id"] for top in pack["indicators"]] == [str(i) for i in range(1, 18)]
    assert _by_id(pack)["10"]["domain"] == "污染物排放总量减少"  # the merged 领域 goes on over the page break


def test_a_parent_on_its_own_row_with_its_name_merged_down_beside_its_sub_items(tmp_path: Path) -> None:
    table = Transcription("parent", "表2 指标", [["序号", "指标名称", "<", "单位", "指标值"]], [
        ["1", "环境空气质量", "", "", ""],
        ["^", "^", "优良天数比率", "%", "≥90"],
        ["^", "^", "PM2.5浓度", "μg/m3", "≤25"],
        ["2", "森林覆盖率", "<", "%", "≥40"]], [])
    pack, _, _ = _draft(write_docx(table, tmp_path / "parent.docx"), tmp_path)
    assert [(top["id"], [i["id"] for i in top.get("items", [])]) for top in pack["indicators"]] == [
        ("1", ["1.1", "1.2"]), ("2", [])]
    assert _by_id(pack)["1.2"]["direction"] == "lower"
