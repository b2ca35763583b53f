"""Issue 13 items 2 and 9: packs mark what the documents say about a target — provisional, inferred — and
the words they quote are the documents' own."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecoplan.rules.loader import load_pack

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _seed_text(name_prefix: str) -> str:
    """One seed document with the extraction's line breaks and spaces removed (a note may span lines)."""
    matches = sorted(SEEDS.glob(f"{name_prefix}_*.txt"))
    if not matches:
        pytest.skip("the seed documents are not beside this checkout")
    return "".join(matches[0].read_text(encoding="utf-8").split())


PROVISIONAL = {
    # pack: (seed, the ids the notes name)
    "shapingba-14th-fyp": ("003", {"1", "5", "6", "7", "12", "13", "14", "15"}),
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
