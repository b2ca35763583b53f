"""Issue 13 item 8 and issue 15 item 4 (template part): the template asks for exactly the values the criteria
need — the assessed year and the earlier years its trends and baselines compare with — and prints cleanly."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, run_cli

SOURCE = DATA / "src" / "yubei-2023.yaml"


def _template(tmp_path: Path, pack: str, *args: str) -> Path:
    out = tmp_path / f"{pack}.xlsx"
    proc = run_cli("template", pack, "-o", out, "--year", "2023", *args)
    assert proc.returncode == 0, proc.stderr
    return out


def _rows(path: Path) -> list[dict[str, Any]]:
    import openpyxl

    ws = openpyxl.load_workbook(path)["指标数据"]
    header = [c.value for c in ws[1]]
    return [{h: ws.cell(r, c + 1).value for c, h in enumerate(header)} | {"row": r}
            for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value is not None]


def _fill_yellow_cells_only(template: Path, target: Path) -> None:
    """Fill the template as a clerk with the document at hand: every pre-filled row whose value the document
    gives (data/src/yubei-2023.yaml, by 指标编号 and 年度), nothing added."""
    import openpyxl

    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    known = {(str(row["id"]), row["year"]): row for row in data["rows"]}
    wb = openpyxl.load_workbook(template)
    info = wb["区县信息"]
    for r in range(2, info.max_row + 1):
        key = info.cell(r, 1).value
        if key in data["district"] and key != "指标体系":
            info.cell(r, 2).value = data["district"][key]
    ws = wb["指标数据"]
    for r in range(2, ws.max_row + 1):
        row = known.get((str(ws.cell(r, 1).value), ws.cell(r, 3).value))
        for column, key in ((4, "value"), (5, "superior_target")):
            if row is not None and row.get(key) is not None:
                ws.cell(r, column).value = row[key]
                ws.cell(r, column).data_type = "s" if isinstance(row[key], str) else "n"
    wb.save(target)


def _summary(path: Path, *args: str) -> dict[str, Any]:
    proc = run_cli("assess", path, "--format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["summary"]


def test_the_national_template_lists_the_years_its_trends_and_baselines_need(tmp_path: Path) -> None:
    rows = _rows(_template(tmp_path, "national-demo-county-2024", "--history", "0"))
    earlier = {(str(r["指标编号"]), r["年度"]) for r in rows if r["年度"] != 2023}
    assert earlier == {
        # 持续提高 / 持续下降 / 持续改善: the year before
        ("4.1", 2022), ("4.2", 2022), ("5.2", 2022), ("13", 2022), ("R3", 2022), ("R4", 2022),
        # 保持稳定或持续改善 / 有所改善 against the baseline year 2021
        ("5.1", 2021), ("8.1", 2021), ("8.2", 2021), ("18", 2021),
    }
    wanted = {(str(r["指标编号"]), r["年度"]): r["指标要求"] for r in rows}
    assert "2021" in wanted[("8.1", 2021)] and "2023" in wanted[("8.1", 2021)]


@pytest.mark.parametrize("pack", ["yubei-2023-2030", "national-demo-county-2024"])
def test_filling_every_yellow_cell_and_adding_nothing_gives_the_documents_verdicts(tmp_path: Path,
                                                                                  pack: str) -> None:
    filled = tmp_path / "filled.xlsx"
    _fill_yellow_cells_only(_template(tmp_path, pack, "--history", "0"), filled)
    summary = _summary(filled)
    # the same verdicts as the shipped workbook, which carries every row the document prints
    assert summary == _summary(DATA / "yubei-2023.xlsx", "--pack", pack)
    if pack == "yubei-2023-2030":
        assert (summary["met"], summary["not_met"], summary["review"]) == (29, 3, 0)  # 表4's 2023 verdict


def test_the_task_prompt_shows_the_unit_and_the_documents_notation(tmp_path: Path) -> None:
    import openpyxl

    template = _template(tmp_path, "yubei-2023-2030")
    ws = openpyxl.load_workbook(template)["指标数据"]
    row = next(r["row"] for r in _rows(template) if r["指标编号"] == "4.1" and r["年度"] == 2023)
    prompts = [dv.prompt for dv in ws.data_validations.dataValidation
               if any(str(rng) == f"E{row}" for rng in dv.sqref.ranges)]
    assert prompts and "327天" in prompts[0] and "“%”" in prompts[0] and "2023年" in prompts[0]


def test_every_printed_sheet_is_landscape_one_page_wide_with_its_header_repeated(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(_template(tmp_path, "yubei-2023-2030"))
    for name in ("说明", "区县信息", "指标数据"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1, name
        assert ws.page_setup.fitToHeight == 0, name  # as many pages long as needed
    assert wb["指标数据"].print_title_rows == "$1:$1"
    guide = wb["说明"]
    assert guide.column_dimensions["A"].width <= 100  # fits the page: nothing cut off at the right
    assert all(cell.alignment.wrap_text for cell in guide["A"])


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed to print the template")
def test_the_printed_guide_shows_every_word(tmp_path: Path) -> None:
    """Through LibreOffice to PDF: the 说明 page holds the whole text of every item, none clipped."""
    import openpyxl

    template = _template(tmp_path, "yubei-2023-2030")
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(template)],
                   capture_output=True, text=True, timeout=180, check=True)
    pdf = template.with_suffix(".pdf")
    page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    printed = "".join(page.split())
    for cell in openpyxl.load_workbook(template)["说明"]["A"]:
        assert "".join(str(cell.value or "").split()) in printed, cell.value
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    # 说明 1 page, 区县信息 1 page, 指标数据 98 rows on a few pages: one page wide, not dozens of slices
    assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))) <= 8


def test_the_guide_names_the_comparison_rows(tmp_path: Path) -> None:
    import openpyxl

    guide = " ".join(str(c.value) for c in openpyxl.load_workbook(_template(tmp_path, "yubei-2023-2030"))["说明"]["A"])
    assert "比较所需的往年行已列出" in guide and "2021年、2022年" in guide
