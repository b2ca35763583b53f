"""Issue 13 items 2 and 9: packs mark what the documents say about a target — provisional, inferred — and
the words they quote are the documents' own."""

from __future__ import annotations

import pytest

from conftest import run_cli, shared_file
from ecoplan.rules.loader import available_packs, load_pack


def _seed_text(name_prefix: str) -> str:
    """One seed document with the extraction's line breaks and spaces removed (a note may span lines)."""
    matches = sorted(shared_file("seeds").glob(f"{name_prefix}_*.txt"))
    if not matches:
        shared_file("seeds", f"{name_prefix}_….txt")
    return "".join(matches[0].read_text(encoding="utf-8").split())


PROVISIONAL = {
    # pack: (seed, the ids the notes name)
    "shapingba-14th-fyp": ("003", {"1", "3", "5", "6", "7", "12", "13", "14", "15"}),  # 3: 以优化调整后为准 (L464)
    "gaoxin-14th-fyp": ("004", {"1", "2", "3", "5", "8", "9", "10", "11", "12", "13"}),
}


@pytest.mark.parametrize("pack_id", sorted(PROVISIONAL))
def test_provisional_targets_are_marked_with_the_documents_words(pack_id: str) -> None:
    seed, expected = PROVISIONAL[pack_id]
    pack = load_pack(pack_id)
    marked = {leaf.id: leaf.provisional for _, leaf in pack.leaves() if leaf.provisional}
    assert set(marked) == expected
    text = _seed_text(seed)
    for words in marked.values():
        assert words is not None and "".join(words.split()) in text, words


def test_the_other_packs_mark_nothing_provisional() -> None:
    for pack_id in ("national-demo-county-2024", "yubei-2023-2030", "chongqing-14th-fyp", "jiulongpo-15th-fyp"):
        assert not [leaf.id for _, leaf in load_pack(pack_id).leaves() if leaf.provisional], pack_id


@pytest.mark.parametrize("pack_id", ["shapingba-13th-fyp", "jiulongpo-15th-fyp", "chongqing-13th-fyp"])
def test_no_attribute_where_the_document_prints_none(pack_id: str) -> None:
    """003 专栏1 and 002 print no 属性 column: no indicator claims 约束性/预期性 for them."""
    pack = load_pack(pack_id)
    assert [leaf.id for top in pack.indicators for leaf in top.walk() if leaf.attribute] == []
    assert pack.counts()["expected"] == pack.counts()["constraint"] == 0


def test_inferred_targets_are_marked() -> None:
    assert "46%为全市平均水平" in (load_pack("shapingba-13th-fyp").find("3").inferred or "")
    assert "Ⅴ" in (load_pack("shapingba-14th-fyp").find("10.2").inferred or "")
    assert "L829" in (load_pack("shapingba-14th-fyp").find("10.2").inferred or "")


# Issue 22 item 5: what a pack reconstructs — an attribute, a tolerance, a target — is marked where it is, with why.
RECONSTRUCTED = {
    ("national-demo-2019", "6"): "属性",            # the 属性 cell lost in extraction (000:L130)
    ("national-demo-2019", "15.1"): "面积不减少",   # the clause not tested (000:L146)
    ("gaoxin-14th-fyp", "14"): "容差",              # 57左右: the ±1 is the pack's
    ("chongqing-14th-fyp", "TXT-15"): "容差",       # 93%左右
    ("jiulongpo-15th-fyp", "TXT-19.1"): "Ⅱ类",      # the class the sentence does not print
    ("jiulongpo-15th-fyp", "TXT-19.2"): "2025",     # no 2025 value in the document
    ("jiulongpo-15th-fyp", "TXT-07.1"): "哪一量",   # the measure the sentence does not name (inherited from TXT-07)
    ("chongqing-14th-fyp", "PRJ-05"): "区间下限",   # 3—4个: the floor
}


@pytest.mark.parametrize(("pack_id", "ident"), sorted(RECONSTRUCTED))
def test_reconstructions_are_marked_with_the_reason(pack_id: str, ident: str) -> None:
    node = load_pack(pack_id).find(ident)
    assert node is not None and RECONSTRUCTED[(pack_id, ident)] in (node.inferred or ""), (pack_id, ident)


@pytest.mark.parametrize("pack_id", sorted(available_packs()))
def test_rules_show_marks_every_inferred_indicator(pack_id: str) -> None:
    """`ecoplan rules show` puts ※ after the name of every indicator whose attribute, tolerance or target is not the
    document's, and lists the reasons under the table."""
    shown = run_cli("rules", "show", pack_id, env={"COLUMNS": "400"})
    assert shown.returncode == 0, shown.stderr
    pack = load_pack(pack_id)
    for top in pack.indicators:
        for node in top.walk():
            if node.inferred:
                assert f"{node.label} ※" in shown.stdout, node.id
                assert f"※ {node.id} " in shown.stdout or node.inferred == top.inferred, node.id
    if any(node.inferred for top in pack.indicators for node in top.walk()):
        assert "※ 推定" in shown.stdout


INFERRED_VALUES = {
    # shipped workbook: the (指标编号, 年度) rows whose value is not read from the document
    "yubei-2023.xlsx": {("16", 2023), ("16", 2022), ("22", 2023)},
    "yubei-2022.xlsx": {("16", 2022)},
    "jiulongpo-2025.xlsx": {("TXT-09.1", 2025), ("TXT-09.2", 2025), ("TXT-10", 2025), ("TXT-11", 2025)},
}


@pytest.mark.parametrize("workbook", sorted(INFERRED_VALUES))
def test_inferred_values_say_so_in_the_workbook(workbook: str) -> None:
    """data/build.py writes a data/src row's `inferred` into 备注, so a reader sees the value is not the document's."""
    from openpyxl import load_workbook

    from conftest import DATA

    sheet = load_workbook(DATA / workbook, read_only=True)["指标数据"]
    rows = sheet.iter_rows(values_only=True)
    header = list(next(rows))
    ident, year, note = (header.index(h) for h in ("指标编号", "年度", "备注"))
    marked = {(str(r[ident]), int(r[year])) for r in rows if str(r[note] or "").startswith("推定值")}
    assert marked == INFERRED_VALUES[workbook]
