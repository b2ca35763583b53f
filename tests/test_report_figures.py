"""Figures as a report prints them (issue 23 item 4): gaps rounded to the precision of the figures compared (or the
pack's stated precision), a gap between percentages in 个百分点, xlsx number formats that print whole, the same
rounded facts in JSON, CSV, xlsx and the table; the Word table keeps the document's characters, never cuts a cell,
names its 领域 on every page and shows 不涉及 as 表4 does (达标, with 不涉及 noted)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import DATA, by_id, edited_copy, run_cli
from docx_support import body_rows, plan_tables
from ecoplan.evaluate.context import Decision
from ecoplan.evaluate.evaluator import rounded_gap
from ecoplan.quantity import format_number

YUBEI = DATA / "yubei-2023.xlsx"
_OFFICE = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


# --- rounding --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("gap", "reason", "precision", "rounded"), [
    (1.963014, "328天（按全年365天折合为 89.86%）（2022年 87.9%）满足持续提高", None, 1.96),
    (-1.8100000001, "37.69%（2021年 39.5%）不满足保持稳定或持续改善", None, -1.81),
    (0.012, "0.03 达到 下降20%(达到0.042以下)", None, 0.012),
    (-27.0, "300天 对任务 327天：未完成；82.2% 未达到 ≥90", None, -27.0),
    (7.417486, "92.4% 达到 ≥85", 1, 7.4),
    (0.04, "90 达到 ≥90", None, 0.04),  # rounded to 0 decimals it would read 0: one more until it shows
])
def test_a_gap_is_rounded_to_the_figures_it_compares(gap: float, reason: str, precision: int | None,
                                                     rounded: float) -> None:
    assert rounded_gap(Decision("met", reason, gap), precision) == rounded


def test_a_day_count_read_as_a_rate_gets_the_decimals_it_is_printed_with(tmp_path: Path) -> None:
    workbook = edited_copy(YUBEI, tmp_path / "days.xlsx", {("4.1", 2023): "328天"})
    result = by_id(json.loads(run_cli("assess", workbook, "-f", "json").stdout))["4.1"]
    assert "89.86%" in result["reason"] and result["gap"] == 1.96  # was 1.963014
    shown = run_cli("assess", workbook, "-f", "markdown").stdout
    assert "+1.96 个百分点" in shown and "1.963" not in shown


def _own_pack(folder: Path, precision: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "figures-test.yaml").write_text(
        "id: figures-test\ntitle: 精度测试\nlevel: county\nindicators:\n"
        f"  - {{id: '1', name: 森林覆盖率, unit: '%', attribute: constraint, criterion: '≥40', "
        f"precision: {precision}}}\n", encoding="utf-8")


def _book(path: Path, value: object) -> Path:
    book = Workbook()
    info = book.active
    info.title = "区县信息"
    for row in (["区县名称", "测试区"], ["评估年度", 2023], ["指标体系", "figures-test"]):
        info.append(row)
    data = book.create_sheet("指标数据")
    data.append(["指标编号", "指标名称", "年度", "指标值"])
    data.append(["1", "森林覆盖率", 2023, value])
    book.save(path)
    return path


def test_the_pack_may_state_the_precision(tmp_path: Path) -> None:

    _own_pack(tmp_path / "packs", precision=0)
    proc = run_cli("assess", _book(tmp_path / "a.xlsx", 37.69), "-f", "json",
                   env={"ECOPLAN_RULES": str(tmp_path / "packs")})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["results"][0]["gap"] == -2  # −2.31 to the document's whole percent


# --- one set of facts in every format --------------------------------------------------------------------------------
def _gap_shown(gap: float | None, unit: str) -> str:
    if gap is None:
        return ""
    sign = "+" if gap > 0 else ("−" if gap < 0 else "")
    points = {"%": "个百分点", "‰": "个千分点"}.get(unit, unit)
    return f"{sign}{format_number(abs(gap))}" + (f" {points}" if points and points not in ("-", "—") else "")


def test_json_csv_xlsx_and_the_table_carry_the_same_rounded_gaps(tmp_path: Path) -> None:
    workbook = edited_copy(YUBEI, tmp_path / "days.xlsx", {("4.1", 2023): "328天"})
    results = by_id(json.loads(run_cli("assess", workbook, "-f", "json").stdout))
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run_cli("assess", workbook, "-f", "csv").stdout))}
    markdown = run_cli("assess", workbook, "-f", "markdown").stdout
    assert run_cli("assess", workbook, "-o", tmp_path / "report.xlsx").returncode == 0
    sheet = load_workbook(tmp_path / "report.xlsx")["达标情况"]
    header = [c.value for c in sheet[3]]
    cells = {(r[header.index("序号")].value, r[header.index("指标名称")].value): r[header.index("差距")]
             for r in sheet.iter_rows(min_row=4)}
    compared = 0
    for ident, result in results.items():
        gap = result["gap"]
        unit = result.get("gap_unit") or rows[ident]["unit"]
        assert rows[ident]["gap"] == ("" if gap is None else format_number(gap)), ident
        assert rows[ident]["gap_unit"] == ("" if gap is None else unit), ident
        cell = next(c for (seq, name), c in cells.items() if name == result["name"])
        assert cell.value == gap, ident
        if gap is None:
            continue
        compared += 1
        shown = _gap_shown(gap, unit)
        assert shown in markdown, (ident, shown)
        if gap == int(gap) or abs(gap) >= 1:  # the cell's format prints the same decimals and unit
            decimals = len(format_number(abs(gap)).partition(".")[2])
            assert cell.number_format.startswith("+0" + ("." + "0" * decimals if decimals else "")), ident
        points = {"%": "个百分点"}.get(unit, unit)
        assert (f'"{points}"' in cell.number_format) == bool(points and points not in ("-", "—")), ident
    assert compared >= 20


# --- what prints -----------------------------------------------------------------------------------------------------
def _pdf_text(path: Path, tmp_path: Path) -> str:
    profile = (tmp_path / "lo").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path), str(path)], capture_output=True, timeout=240, check=False)
    pdf = path.with_suffix(".pdf")
    assert pdf.is_file()
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout


@pytest.mark.skipif(not _OFFICE, reason="LibreOffice or poppler-utils is not installed")
def test_the_xlsx_prints_every_number_whole(tmp_path: Path) -> None:
    workbook = edited_copy(YUBEI, tmp_path / "days.xlsx", {("4.1", 2023): "328天", ("17.3", 2023): 1673.125})
    assert run_cli("assess", workbook, "-o", tmp_path / "达标情况.xlsx").returncode == 0
    text = _pdf_text(tmp_path / "达标情况.xlsx", tmp_path)
    assert "###" not in text
    assert "−1.81 个百分点" in text and "+1.96 个百分点" in text and "−35 个百分点" in text


# --- the Word table --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("word") / "达标情况.docx"
    assert run_cli("assess", YUBEI, "-o", out).returncode == 0
    return out


def test_the_word_table_keeps_the_documents_characters_and_whole_cells(word: Path) -> None:
    from docx import Document

    rows = {r[2].strip(): r for r in body_rows(plan_tables(Document(str(word)))[0])}
    raw = load_workbook(YUBEI)["指标数据"]
    typed = next(r[3].value for r in raw.iter_rows(min_row=2) if r[0].value == "5.1")
    assert "，" in typed and "Ⅱ" in typed
    assert rows["地表水达到或好于Ⅲ类水体比例"][5] == typed  # the cell as the workbook has it: whole, "，" and "Ⅱ"


def test_not_applicable_is_met_with_its_value_as_table_4_prints_it(word: Path) -> None:
    from docx import Document

    document = Document(str(word))
    rows = {r[2].strip(): r for r in body_rows(plan_tables(document)[0])}
    assert rows["地下水国控点位Ⅴ类水比例"][5:7] == ["不涉及", "达标"]  # 表4: 不涉及 | 达标
    notes = "\n".join(p.text for p in document.paragraphs)
    assert "指标值为“不涉及”的指标按指标体系计为达标" in notes


@pytest.mark.skipif(not _OFFICE or shutil.which("pdftotext") is None, reason="LibreOffice is not installed")
def test_every_page_of_the_word_table_names_its_domain(word: Path, tmp_path: Path) -> None:
    """LibreOffice lays the document out; on every page that holds the table, the 领域 column names a domain
    (a merged cell continued from the page before would leave it blank)."""
    copy = tmp_path / "word.docx"
    copy.write_bytes(word.read_bytes())
    _pdf_text(copy, tmp_path)
    pdf = copy.with_suffix(".pdf")
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = bbox.split("<page ")[1:]
    domains = {"目标责任", "生态安全", "生态经济", "生态生活", "生态文化", "生态文明制度", "参考性指标"}
    checked = 0
    for page in pages:
        words = [(float(x0), float(y0), text) for x0, y0, text in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" [^>]*>([^<]*)</word>', page)]
        head = next(((x, y) for x, y, text in words if text == "领域"), None)
        if head is None:
            continue
        checked += 1
        column = "".join(text for x, y, text in sorted(words, key=lambda w: (w[1], w[0]))
                         if y > head[1] + 5 and abs(x - head[0]) < 15)
        assert any(d in column or column.startswith(d[:2]) for d in domains), (checked, column)
    assert checked >= 3  # the table spans pages
