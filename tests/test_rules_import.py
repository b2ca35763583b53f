"""`ecoplan rules import` on the seed documents' own tables, as planning offices send them: Word files written by
python-docx and by LibreOffice (one table whose header repeats on each page, or a table cut by page breaks into
tables that continue one another), and a spreadsheet annex (.xlsx, and .xls / .ods through LibreOffice).

Measured against the hand-written packs: every file gives exactly the pack's table indicators (ids and names), the
draft lints, and on every shipped workbook of the pack the draft's verdicts equal the hand-written pack's for at
least 90 % of the leaf indicators — each difference one that docs/rule-packs.md lists with its reason.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, ROOT, by_id, run_cli
from ecoplan.rules.loader import load_pack
from ecoplan.rules.pack import part_of
from plan_tables import PACKS, SOFFICE, convert, load, write_docx, write_xlsx

NAMES = list(PACKS)
SPLIT = "seed000-table1"  # the table the seed prints over five pages


@pytest.fixture(scope="session")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every plan file of every variant, by "<variant>/<table name>": python-docx Word files (one table, and the
    page-split one), the annex workbook (all five tables, one per sheet, after a cover sheet), and — where
    LibreOffice is installed — the same re-saved by LibreOffice as .docx, .xls and .ods."""
    folder = tmp_path_factory.mktemp("plans")
    files: dict[str, Path] = {}
    tables = [load(name) for name in NAMES]
    for table in tables:
        files[f"docx/{table.name}"] = write_docx(table, folder / f"{table.name}.docx")
    files[f"split/{SPLIT}"] = write_docx(load(SPLIT), folder / f"{SPLIT}-split.docx", split=True)
    annex = write_xlsx(tables, folder / "annex.xlsx")
    for name in NAMES:
        files[f"xlsx/{name}"] = annex
    if SOFFICE:
        lo = folder / "lo"
        for path in convert([files[f"docx/{n}"] for n in NAMES] + [files[f"split/{SPLIT}"]], "docx", lo):
            key = f"lo-split/{SPLIT}" if path.stem.endswith("-split") else f"lo-docx/{path.stem}"
            files[key] = path
        for to in ("xls", "ods"):
            converted = convert([annex], to, lo)[0]
            for name in NAMES:
                files[f"{to}/{name}"] = converted
    return files


VARIANTS = [("docx", name) for name in NAMES] + [("split", SPLIT)] + [("xlsx", name) for name in NAMES] + [
    pytest.param(variant, name, marks=pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed"))
    for variant in ("lo-docx", "xls", "ods") for name in NAMES] + [
    pytest.param("lo-split", SPLIT, marks=pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed"))]


@pytest.fixture(scope="session")
def drafts(plans: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`draft(variant, name)`: the pack file `ecoplan rules import` writes from that variant's file (the annex's
    sheet of that table) and the report it printed — each import run once per session."""
    folder = tmp_path_factory.mktemp("drafts")
    done: dict[tuple[str, str], tuple[Path, str]] = {}

    def draft(variant: str, name: str) -> tuple[Path, str]:
        if (variant, name) not in done:
            target = folder / variant / f"{PACKS[name]}.yaml"
            extra = ["--table", str(NAMES.index(name) + 1)] if variant in ("xlsx", "xls", "ods") else []
            proc = run_cli("rules", "import", plans[f"{variant}/{name}"], *extra, "-o", target)
            assert proc.returncode == 0, proc.stderr
            done[(variant, name)] = (target, proc.stderr)
        return done[(variant, name)]

    draft.done = done  # type: ignore[attr-defined]
    return draft


def table_part(pack: Any) -> list[Any]:
    """The indicators of a pack's table part (its text and project targets are not the table's)."""
    return [top for top in pack.indicators if part_of(top) == "table"]


def _shape(indicators: list[Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [(top.id, top.name, [(item.id, item.name) for item in top.items]) for top in indicators]


@pytest.mark.parametrize(("variant", "name"), VARIANTS)
def test_each_file_gives_exactly_the_hand_written_packs_table_indicators(drafts: Any, variant: str,
                                                                         name: str) -> None:
    target, report = drafts(variant, name)
    imported, written = load_pack(target), load_pack(PACKS[name])
    assert _shape(imported.indicators) == _shape(table_part(written))
    assert "草稿已通过 ecoplan rules lint" in report


def test_the_drafts_lint_clean(drafts: Any, plans: dict[str, Path]) -> None:
    targets = [drafts(variant, name)[0] for variant, name in (key.split("/") for key in plans)]
    lint = run_cli("rules", "lint", *targets)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert f"已检查 {len(targets)} 个文件，没有问题" in lint.stderr


@pytest.mark.parametrize("name", NAMES)
def test_every_format_gives_the_same_draft(plans: dict[str, Path], drafts: Any, name: str) -> None:
    """The pack read from the Word file is the one read from the annex and from LibreOffice's copies: merged
    cells, a page split and the container change nothing of what is read."""
    packs = {}
    for variant in ("docx", "split", "xlsx", "lo-docx", "lo-split", "xls", "ods"):
        if f"{variant}/{name}" in plans:
            target, _ = drafts(variant, name)
            data = yaml.safe_load(target.read_text(encoding="utf-8"))
            packs[variant] = {k: v for k, v in data.items() if k != "source"}
    first = packs.pop("docx")
    assert packs and all(pack == first for pack in packs.values()), [v for v, p in packs.items() if p != first]


# ----------------------------------------------------------------------------------------- verdict agreement
DOCS = ROOT / "docs" / "rule-packs.md"


def _documented_differences() -> set[tuple[str, str]]:
    """(pack, indicator id) of each difference docs/rule-packs.md lists (its table under "From your plan's
    table": | pack | id | …)."""
    found = set()
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] in PACKS.values() and re.fullmatch(r"[\w.-]+", cells[1]):
            found.add((cells[0], cells[1]))
    return found


def _workbooks(pack_id: str) -> list[Path]:
    """The shipped workbooks whose 区县信息 names the pack."""
    import ecoplan

    return [path for path in sorted(DATA.glob("*.xlsx")) if ecoplan.load_district(path).profile.pack == pack_id]


def _table_rows_only(source: Path, keep: set[str], target: Path) -> Path:
    """A copy of a workbook with only the rows of the table's indicators (its text targets' rows would be unknown
    indicators to a pack of the table alone)."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book["指标数据"]
    column = [c.value for c in sheet[1]].index("指标编号") + 1
    for row in range(sheet.max_row, 1, -1):
        if str(sheet.cell(row, column).value) not in keep:
            sheet.delete_rows(row)
    book.save(target)
    return target


def _statuses(path: Path, pack: str | Path) -> dict[str, str]:
    proc = run_cli("assess", path, "--pack", pack, "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    return {ident: result["status"] for ident, result in by_id(json.loads(proc.stdout)).items()}


@pytest.mark.parametrize("name", NAMES)
def test_the_drafts_verdicts_agree_with_the_hand_written_packs(drafts: Any, name: str, tmp_path: Path) -> None:
    pack_id = PACKS[name]
    target, _ = drafts("docx", name)
    written = load_pack(pack_id)
    leaves = [leaf.id for top in table_part(written) for leaf in top.walk() if not leaf.items]
    keep = {node.id for top in table_part(written) for node in top.walk()}
    workbooks = _workbooks(pack_id)
    assert workbooks, f"no shipped workbook names {pack_id}"
    differing: set[str] = set()
    for workbook in workbooks:
        copy = _table_rows_only(workbook, keep, tmp_path / workbook.name)
        by_hand, drafted = _statuses(copy, pack_id), _statuses(copy, target)
        here = sorted(i for i in leaves if by_hand[i] != drafted[i])
        assert 1 - len(here) / len(leaves) >= 0.9, (workbook.name, here)
        differing |= set(here)
    documented = {ident for pack, ident in _documented_differences() if pack == pack_id}
    assert differing == documented, "docs/rule-packs.md should list exactly these differences"
