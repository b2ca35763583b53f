"""`ecoplan batch` to Word: an overview (each pack's ranking, the indicators unmet and without data most often,
every input with its status) and one section per district with the plan's own table and its 指标达标分析
paragraph, written from what the batch kept (the renderer reads no file); LibreOffice opens it (converted to PDF
when installed)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from batchview_support import aggregate_of, sample_folder
from docx_support import body_rows, plan_tables
from ecoplan.render.batch_docx import render_batch_docx
from ecoplan.run.pipeline import evaluate_file

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_folder(tmp_path_factory.mktemp("in"))


def docx_of(*paths: Path) -> bytes:
    with aggregate_of(*paths, fmt="docx") as aggregate:
        return render_batch_docx(aggregate)


@pytest.fixture(scope="module")
def report(folder: Path) -> bytes:
    return docx_of(folder)


def _document(data: bytes):  # type: ignore[no-untyped-def]
    from docx import Document

    return Document(io.BytesIO(data))


def test_overview_ranks_within_each_pack_and_lists_the_unscored(report: bytes) -> None:
    document = _document(report)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "一、总体情况" in text and "二、各区县达标情况" in text
    first = document.tables[0]  # the packs by id (one district each): gaoxin-14th-fyp, then yubei-2023-2030
    assert [c.text for c in first.rows[0].cells][:4] == ["名次", "区县", "年度", "达标率"]
    yubei = [[c.text for c in row.cells] for row in document.tables[1].rows]
    # One row per district: 2023 ranks, 2022 is its history.
    assert [r[:4] + r[-1:] for r in yubei[1:]] == [["1", "渝北区", "2023", "90.6%", "2022年 84.4%"]]
    # 未达标 and 缺数据 apart: each sentence names only indicators in its own status.
    assert "未达标最多的指标（共 1 个区县，各取最新年度）：4 环境空气质量（1 个区县）" in text
    assert "各区县均无缺数据的指标。" in text  # 渝北区 2023 has a value for every indicator
    assert "缺数据最多的指标（共 1 个区县，各取最新年度）：" in text  # 重庆高新区's pack has some
    files = next(t for t in document.tables if t.rows[0].cells[1].text == "状态")
    statuses = {row.cells[4].text.rsplit("/", 1)[-1]: row.cells[1].text for row in files.rows[1:]}
    assert statuses == {"broken.xlsx": "无法评估", "gaoxin-2020.xlsx": "已评估", "yubei-2022.xlsx": "已评估",
                        "yubei-2023.xlsx": "已评估"}


def test_each_district_has_the_plan_table_with_its_years_and_the_analysis(report: bytes, folder: Path) -> None:
    document = _document(report)
    plans = plan_tables(document)
    # one per district and part: 渝北区 (2022 and 2023 side by side); 重庆高新区's 专栏1, its text targets and its
    # project quantities (each part under its own heading, each table over as many pages as it needs)
    assert len(plans) == 4
    yubei = evaluate_file(folder / "yubei-2023.xlsx", progress=False).assessment
    assert yubei is not None
    # the packs in reading order (one district each: by id): 重庆高新区's tables first, then 渝北区's; its
    # first page
    table = plans[-1][0]
    # render/docx.py's table, as `assess --format docx` writes it: two header rows, each year's 指标值 | 达标情况
    # under one merged year cell, then the plan's own 2025/2030 targets.
    top = [c.text for c in table.rows[0].cells]
    bottom = [c.text for c in table.rows[1].cells]
    assert top[:5] == ["领域", "序号", "指标名称", "单位", "目标值"] and top[-1] == "指标属性"
    assert top[5:9] == ["2022 年", "2022 年", "2023 年", "2023 年"]
    assert bottom[5:11] == ["指标值", "达标情况", "指标值", "达标情况", "2025 年", "2030 年"]
    rows = body_rows(plans[-1])
    assert len(rows) == len(yubei.rows())  # every indicator and sub-item, over the table's pages
    body = {row[2].strip(): (row[6], row[8]) for row in rows}
    # As 表4: 森林覆盖率 unmet in 2023; 城镇新建绿色建筑比例 unmet in 2022 and met in 2023.
    assert body["森林覆盖率"][1] == "未达标" and body["环境空气质量"] == ("未达标", "未达标")
    assert body["城镇新建绿色建筑比例"] == ("未达标", "达标")
    # The header rows repeat on every page; 领域 cells are merged down their rows, and each page names its own.
    xml = table._tbl.xml
    assert "w:tblHeader" in xml
    domains = [row[0] for row in rows]  # a merged cell reads the same on each of its rows
    assert all(domains) and set(domains) == {r.domain for r in yubei.results if r.domain}
    assert xml.count('w:vMerge w:val="restart"') > len(set(domains[:len(table.rows) - 2]))  # header's, 领域's
    text = "\n".join(p.text for p in document.paragraphs)
    # The plan's own counts (seeds/000, 三、指标达标分析): 2022 27 met / 5 not met; 2023 29 met / 3 not met.
    title = "渝北区国家生态文明建设示范区建设指标（2025年、2030年规划目标）"
    assert f"2022 年渝北区对照{title}，32 项指标中，已达标 27 项" in text and "未达标 5 项（其中约束性 5 项）" in text
    assert f"2023 年渝北区对照{title}，32 项指标中，已达标 29 项" in text and "未达标 3 项（其中约束性 3 项）" in text
    assert "森林覆盖率：指标值为37.69%" in text and "差距−1.81个百分点" in text


def test_the_renderer_reads_no_file(folder: Path, tmp_path: Path) -> None:
    # The sections come from what the batch kept of each workbook: the files may be gone by the time it renders.
    moved = tmp_path / "yubei-2023.xlsx"
    shutil.copy(folder / "yubei-2023.xlsx", moved)
    with aggregate_of(moved, fmt="docx") as aggregate:
        moved.unlink()
        document = _document(render_batch_docx(aggregate))
    assert any(t.rows[0].cells[0].text == "领域" for t in document.tables)


def test_a_control_character_in_a_name_does_not_break_the_document(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    source = load_workbook(DATA / "yubei-2023.xlsx")
    for row in source["区县信息"].iter_rows():
        if row[0].value == "区县名称":
            row[1].value = "渝北_x0001_区"
    source.save(tmp_path / "control.xlsx")
    document = _document(docx_of(tmp_path / "control.xlsx"))
    assert any("渝北区" in p.text for p in document.paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler-utils is not installed")
def test_libreoffice_opens_it(report: bytes, tmp_path: Path) -> None:
    path = tmp_path / "batch.docx"
    path.write_bytes(report)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=180)
    pdf = tmp_path / "batch.pdf"
    assert pdf.exists()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "指标达标分析" in text and "重庆高新区" in text and "森林覆盖率" in text


@pytest.mark.parametrize("years", [1, 2, 3])
@pytest.mark.parametrize("plan_years", [0, 2])
def test_the_plan_table_fills_the_landscape_page_and_no_more(years: int, plan_years: int) -> None:
    from ecoplan.render.docx import column_widths

    widths = column_widths(years, plan_years)
    assert len(widths) == 6 + 2 * years + plan_years
    assert sum(widths) == pytest.approx(29.7 - 2 * 1.8, abs=0.25)  # A4 landscape between its margins
    assert min(widths) >= 0.9


def test_duplicates_are_listed_and_get_no_section(tmp_path: Path) -> None:
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(DATA / "yubei-2023.xlsx", tmp_path / name)
    shutil.copy(DATA / "yubei-2022.xlsx", tmp_path / "c.xlsx")
    document = _document(docx_of(tmp_path))
    plans = plan_tables(document)
    assert len(plans) == 1  # 渝北区 ranks with 2022, its only year not duplicated
    assert [c.text for c in plans[0][0].rows[0].cells].count("2023 年") == 0
    files = next(t for t in document.tables if t.rows[0].cells[1].text == "状态")
    rows = [[c.text for c in row.cells] for row in files.rows[1:]]
    assert [(r[4].rsplit("/", 1)[-1], r[1]) for r in rows] == [("a.xlsx", "重复提交"), ("b.xlsx", "重复提交"),
                                                              ("c.xlsx", "已评估")]
    assert "b.xlsx" in rows[0][5] and "a.xlsx" in rows[1][5]  # each names the other
