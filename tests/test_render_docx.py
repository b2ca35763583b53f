"""The plan's own table as Word: read back with python-docx, and opened by LibreOffice (converted to PDF) when it is
installed."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DATA
from docx_support import body_rows, plan_tables
from ecoplan.render.docx import render_docx
from ecoplan.run.pipeline import evaluate_files


@pytest.fixture(scope="module")
def yubei_two_years() -> bytes:
    y22, y23 = DATA / "yubei-2022.xlsx", DATA / "yubei-2023.xlsx"
    a22 = evaluate_files([y22], None, None).assessment
    a23 = evaluate_files([y22, y23], None, None).assessment
    assert a22 is not None and a23 is not None
    return render_docx([a23, a22])  # given out of order: the table still reads 2022 then 2023


def _document(data: bytes):  # type: ignore[no-untyped-def]
    import docx

    return docx.Document(io.BytesIO(data))


def test_the_table_has_the_plans_columns_and_the_years_side_by_side(yubei_two_years: bytes) -> None:
    pages = plan_tables(_document(yubei_two_years))[0]
    table = pages[0]
    top = [c.text for c in table.rows[0].cells]
    bottom = [c.text for c in table.rows[1].cells]
    assert top[:5] == ["领域", "序号", "指标名称", "单位", "目标值"]
    assert top[5:9] == ["2022 年", "2022 年", "2023 年", "2023 年"]  # one merged cell over 指标值 | 达标情况
    assert bottom[5:9] == ["指标值", "达标情况", "指标值", "达标情况"]
    assert bottom[9:11] == ["2025 年", "2030 年"] and top[-1] == "指标属性"
    rows = {r[2].strip(): r for r in body_rows(pages)}
    forest = rows["森林覆盖率"]
    assert forest[3] == "%" and forest[6] == "未达标" and forest[8] == "未达标" and forest[7] == "37.69"
    assert forest[9] == "37.69"  # the plan's own 2025 target
    water = rows["万元地区生产总值用水量下降率"]
    assert (water[6], water[8]) == ("未达标", "达标")  # 2022 unmet, 2023 met, as 表4 says
    assert rows["生态文明建设工作占党政实绩考核的比例"][0] == "目标责任"
    assert len(body_rows(pages)) == 32 + 22  # the 32 indicators of 表4 and their 22 sub-items, over its pages
    assert all([c.text for c in page.rows[0].cells] == top for page in pages)  # each page has the header


def test_the_analysis_states_the_counts_and_each_unmet_indicator(yubei_two_years: bytes) -> None:
    text = "\n".join(p.text for p in _document(yubei_two_years).paragraphs)
    assert "2022 年渝北区" in text and "已达标 27 项" in text and "未达标 5 项" in text
    assert "已达标 29 项（含不涉及 1 项），未达标 3 项（其中约束性 3 项）" in text
    assert "未达标指标包括环境空气质量（优良天数比率、PM2.5浓度）" in text
    assert "森林覆盖率：指标值为37.69%，目标为保持稳定或持续改善，差距−1.81个百分点。" in text  # no stray space
    assert text.index("2022 年渝北区") < text.index("2023 年渝北区")


def test_the_page_is_landscape_with_the_header_repeated(yubei_two_years: bytes) -> None:
    document = _document(yubei_two_years)
    section = document.sections[0]
    assert section.page_width > section.page_height
    header_rows = document.tables[0].rows[:2]
    assert all(r._tr.trPr is not None and r._tr.trPr.xpath("./w:tblHeader") for r in header_rows)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_it(yubei_two_years: bytes, tmp_path: Path) -> None:
    source = tmp_path / "达标情况.docx"
    source.write_bytes(yubei_two_years)
    profile = (tmp_path / "profile").as_uri()  # its own profile: LibreOffice instances sharing one block each other
    proc = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), str(source)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "达标情况.pdf"
    assert pdf.is_file(), proc.stdout + proc.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "森林覆盖率" in text and "指标达标分析" in text and "未达标" in text
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        size = next(line for line in info.splitlines() if line.startswith("Page size"))
        width, height = (float(v) for v in size.split(":")[1].split("pts")[0].split(" x "))
        assert width > height  # landscape, as it was set


def test_several_districts_get_an_overview_and_a_section_each() -> None:
    names = ("yubei-2023.xlsx", "chongqing-2020.xlsx")
    found = [evaluate_files([DATA / name], None, None).assessment for name in names]
    document = _document(render_docx([a for a in found if a is not None]))
    overview = document.tables[0]
    assert [c.text for c in overview.rows[0].cells][:3] == ["区县", "年度", "指标体系"]
    assert {r.cells[0].text for r in overview.rows[1:]} == {"渝北区", "重庆市"}
    # after the overview, each district's own table; 重庆市's pack has its text targets and its project quantities
    # in tables of their own (one per part, each under its heading)
    assert len(plan_tables(document)) == 4
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("指标达标分析") == 2 and "2020 年重庆市" in text and "2023 年渝北区" in text
