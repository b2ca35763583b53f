"""Issue 22 item 2: every quantified target in the text and 专栏 of seeds 001-004 is in its pack's text or project
part with its seed line, restates an indicator the pack has (its support), or is left out with the reason listed in
docs/rule-packs.md — no silent gaps.

docs/seed-targets.yaml is the inventory. It is held against the packs always (every text and project indicator is
listed at its line, every listed id exists in its part, every support is recorded, every omission documented), and
against the seeds where ../shared is beside the checkout (every quote is verbatim, every pack text quotes its line,
and every line a plain detector flags as target-like is in the inventory)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
import yaml

from conftest import ROOT
from ecoplan.rules.loader import load_pack
from ecoplan.rules.pack import Indicator, Pack, part_of

INVENTORY = ROOT / "docs" / "seed-targets.yaml"
RULE_PACKS_DOC = ROOT / "docs" / "rule-packs.md"
SEEDS = ROOT.parent / "shared" / "seeds"
CANDIDATE = re.compile(r"\d|全覆盖|清零|零填埋|零事故|只减不增|不降低|不减少|稳中有升|持续下降|持续提高|持续减少|全收集|全处理|"
                       r"全达标|负增长")
"""What makes a paragraph target-like: a figure, or one of the words the plans state zero, full or directional
targets with. A paragraph (over 40 characters, bookmarks removed) that has one must be in the inventory."""
BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")


@cache
def inventory() -> list[dict[str, Any]]:
    return list(yaml.safe_load(INVENTORY.read_text(encoding="utf-8"))["seeds"])


def _targets(seed: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(entry["line"], target) for entry in seed["lines"] for target in entry.get("targets", [])]


def _seed_ids() -> list[str]:
    return [seed["seed"] for seed in inventory()]


def _seed(seed_id: str) -> dict[str, Any]:
    return next(seed for seed in inventory() if seed["seed"] == seed_id)


def _lines_of(node: Indicator, top: Indicator) -> set[int]:
    """The seed lines an indicator stands on: its own line, or its indicator's."""
    return {s.line for s in (node.source, top.source) if s is not None and s.line is not None}


def _apart(pack: Pack) -> list[Indicator]:
    return [top for top in pack.indicators if part_of(top) != "table"]


# ------------------------------------------------------------------------------------------- against the packs
def test_every_line_is_classified_once() -> None:
    for seed in inventory():
        lines = [entry["line"] for entry in seed["lines"]]
        assert lines == sorted(set(lines)), (seed["seed"], "lines listed twice or out of order")
        for entry in seed["lines"]:
            assert bool(entry.get("targets")) != bool(entry.get("none")), (seed["seed"], entry["line"])
            for target in entry.get("targets", []):
                kinds = [k for k in ("ids", "supports", "left_out") if target.get(k)]
                assert len(kinds) == 1 and target.get("quote"), (seed["seed"], entry["line"], target)


@pytest.mark.parametrize("seed_id", _seed_ids())
def test_every_text_and_project_target_of_the_pack_is_listed_at_its_line(seed_id: str) -> None:
    seed = _seed(seed_id)
    pack = load_pack(seed["pack"])
    listed: dict[str, int] = {}
    for line, target in _targets(seed):
        for ident in target.get("ids", []):
            node = pack.find(ident)
            assert node is not None, (seed_id, line, ident)
            top = next(t for t in pack.indicators if any(n is node for n in t.walk()))
            assert part_of(top) in ("text", "project"), (ident, "a listed target belongs to the text or project part")
            assert line in _lines_of(node, top), (ident, line, _lines_of(node, top))
            listed[ident] = line
    for top in _apart(pack):  # no pack target the inventory does not know
        assert top.id in listed or any(item.id in listed for item in top.walk()), (seed["pack"], top.id)


@pytest.mark.parametrize("seed_id", _seed_ids())
def test_every_restatement_is_recorded_as_support(seed_id: str) -> None:
    seed = _seed(seed_id)
    pack = load_pack(seed["pack"])
    for line, target in _targets(seed):
        supported = target.get("supports")
        for ident in [supported] if isinstance(supported, str) else supported or []:
            node = pack.find(ident)
            assert node is not None, (seed_id, line, ident)
            assert line in {s.line for s in node.support}, (seed_id, ident, line, "missing from its support")
    # and every support the pack records is in the inventory
    recorded = {(str(i), line) for line, t in _targets(seed) for i in
                ([t["supports"]] if isinstance(t.get("supports"), str) else t.get("supports") or [])}
    for top in pack.indicators:
        for node in top.walk():
            for support in node.support:
                assert (node.id, support.line) in recorded, (seed["pack"], node.id, support.line)


def test_every_target_left_out_is_documented_with_its_line() -> None:
    doc = RULE_PACKS_DOC.read_text(encoding="utf-8")
    for seed in inventory():
        for line, target in _targets(seed):
            if target.get("left_out"):
                assert f"{seed['seed']}:L{line}" in doc, (seed["seed"], line, "not listed in docs/rule-packs.md")


# ------------------------------------------------------------------------------------------- against the seeds
def _seed_text(seed_id: str) -> list[str]:
    matches = sorted(SEEDS.glob(f"{seed_id}_*.txt"))
    if not matches:
        pytest.skip("the seed documents (../shared/seeds) are not beside this checkout")
    return matches[0].read_text(encoding="utf-8").split("\n")


def _squeezed(text: str) -> str:
    return "".join(BOOKMARK.sub("", text).split())


@pytest.mark.parametrize("seed_id", _seed_ids())
def test_every_quote_is_verbatim_on_its_line(seed_id: str) -> None:
    lines = _seed_text(seed_id)
    for line, target in _targets(_seed(seed_id)):
        assert _squeezed(target["quote"]) in _squeezed(lines[line - 1]), (seed_id, line, target["quote"])


@pytest.mark.parametrize("seed_id", _seed_ids())
def test_every_target_like_line_of_the_seed_is_in_the_inventory(seed_id: str) -> None:
    lines = _seed_text(seed_id)
    flagged = {n for n, text in enumerate(lines, 1)
               if len(BOOKMARK.sub("", text)) > 40 and CANDIDATE.search(BOOKMARK.sub("", text))}
    listed = {entry["line"] for entry in _seed(seed_id)["lines"]}
    assert sorted(flagged - listed) == [], "target-like lines that the inventory does not classify"


@pytest.mark.parametrize("seed_id", _seed_ids())
def test_every_pack_text_quotes_its_line(seed_id: str) -> None:
    lines = _seed_text(seed_id)
    pack = load_pack(_seed(seed_id)["pack"])
    for top in pack.indicators:
        for node in top.walk():
            for support in node.support:
                assert _squeezed(support.text) in _squeezed(lines[support.line - 1]), (node.id, support.line)
            if part_of(top) == "table" or node.text is None:
                continue
            own = node.source if node.source is not None and node.source.line is not None else top.source
            assert own is not None and own.line is not None, node.id
            line = own.line
            for piece in node.text.split("……"):  # an elision marks words left out of a long sentence
                assert _squeezed(piece).rstrip("。") in _squeezed(lines[line - 1]), (node.id, line, piece)
            assert node.attribute is None, node.id  # the text states no 约束性/预期性
