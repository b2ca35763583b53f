"""A short criterion string is read whole or refused: it never loses a word.

Each short form matches the whole text; a joining word (且, 或, 并, ，, ；) or a kind of district (东部地区：) is never
taken for a unit or a measure's name. A refused text gets a Chinese message saying how to write it (all_of /
any_of / by_profile), at its YAML line. The property at the end holds for every short form the shipped packs and
the seed documents use: what a text says — its numbers, its comparison, its trend, task, state and district
words — is what the criterion tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter, ValidationError

from conftest import ROOT
from ecoplan.normalize import compact
from ecoplan.quantity import NUMBER, OP_SYMBOL, format_number, to_float
from ecoplan.rules.criteria import (
    Approximate,
    Criterion,
    Cumulative,
    Delta,
    State,
    SuperiorTask,
    Threshold,
    Trend,
    WaterClassCriterion,
)
from ecoplan.rules.criteria.superior_task import SUPERIOR_TASK_WORDS
from ecoplan.rules.loader import check_file, load_pack
from ecoplan.rules.shorthand import ShorthandError, expand
from ecoplan.vocabulary import CITY_SIZES, OPERATOR_WORDS, REGIONS, STATE_WORDS, TREND_TARGET_WORDS

CRITERION: TypeAdapter[Any] = TypeAdapter(Criterion)
SHARED = ROOT.parent / "shared" / "reference"


def _refusal(text: str, direction: str | None = "higher") -> str:
    with pytest.raises(ShorthandError) as caught:
        expand(text, direction, (2021, 2025))
    return str(caught.value)


# -- the lossy readings, one by one ------------------------------------------------------------------------------
def test_a_task_joined_to_a_bound_and_a_trend_is_refused_with_the_all_of_to_write() -> None:
    """It was read as a plain superior task: the task's words matched a part of the text, ≥90 and 持续提高 lost."""
    message = _refusal("完成上级规定的考核任务，且≥90或持续提高")
    assert '{all_of: [完成上级规定的考核任务, {any_of: ["≥90", 持续提高]}]}' in message


def test_a_bound_or_a_trend_is_refused_with_the_any_of_to_write() -> None:
    """It was read as ≥25: the unit after 25 took 或持续提高."""
    assert '{any_of: ["≥25", 持续提高]}' in _refusal("≥25或持续提高")


@pytest.mark.parametrize("text", ["东部地区：≥60", "东部地区≥60"])
def test_a_bound_for_one_kind_of_district_is_refused_with_the_by_profile_to_write(text: str) -> None:
    """It was read as a threshold on a measure named 东部地区：, which no workbook reports."""
    message = _refusal(text)
    assert "{kind: by_profile, cases: [{when: {region: [东部]}, criterion: \"≥60\"}]}" in message
    assert "otherwise" in message


def test_bounds_per_kind_of_district_are_refused_with_every_case() -> None:
    message = _refusal("东部地区：≥60；中西部、东北地区：≥30")
    assert '{when: {region: [中部, 西部, 东北]}, criterion: "≥30"}' in message


@pytest.mark.parametrize("text", ["≥25持续提高", "持续提高≥90", "≥25且持续提高", "≥90，完成上级规定的考核任务",
                                  "2类区: 100% 4a类区: 0", "完成上级规定的考核任务且≥35"])
def test_words_that_are_no_unit_and_no_measure_are_refused(text: str) -> None:
    assert text in _refusal(text)


@pytest.mark.parametrize(("text", "hint"), [
    ("建立或实施", '{any_of: [建立, 实施]}'),
    ("完成上级规定的考核任务；保持稳定或持续改善", "{all_of: [完成上级规定的考核任务, 保持稳定或持续改善]}"),
    ("东部地区：建立", "by_profile"),
    ("完成上级规定的考核任务，建立", "all_of")])
def test_a_state_list_holds_states_only(text: str, hint: str) -> None:
    """A state's clauses were any words without a digit: 建立或实施 required the words 建立或实施."""
    assert hint in _refusal(text, "none")


def test_an_operator_word_and_a_suffix_that_disagree_are_refused() -> None:
    """大于25以上 was ≥25: the strict 大于 was dropped for the suffix's 以上."""
    assert "“大于”、“以上”" in _refusal("大于25以上")
    assert expand("不低于90%以上", "higher", None) == {"kind": "threshold", "op": ">=", "value": 90.0}


def test_a_measure_may_stand_before_an_operator_word() -> None:
    """The measure was 案件结案率不低于 and the bound bare (≤75 for an indicator whose direction is lower)."""
    assert expand("案件结案率不低于75%", "lower", None) == {"kind": "threshold", "op": ">=", "value": 75.0,
                                                       "measure": "案件结案率"}


def test_an_approximate_value_is_named_only_when_it_is_the_whole_text() -> None:
    assert "approximate" in _refusal("57左右")
    message = _refusal("≥25或57左右")
    assert "approximate" not in message and "any_of" in message


def test_a_class_reached_or_bettered_is_at_least_that_class() -> None:
    """达到或优于Ⅲ类 read as a state (the 达到 prefix left 或优于Ⅲ类, no class)."""
    assert expand("达到或优于Ⅲ类", "none", None) == {"kind": "water_class", "op": "at_least", "class": 3}
    assert expand("优于V类水域功能", "none", None) == {"kind": "water_class", "op": "better_than", "class": 5}


@pytest.mark.parametrize(("text", "value"), [("达到320天及以上", 320), ("控制在1起/万枚以下", 1),
                                             ("不少于18.06平方公里", 18.06), ("≤35μg/m3", 35), ("20%以上", 20)])
def test_a_unit_after_the_number_is_read(text: str, value: float) -> None:
    assert expand(text, "higher", None)["value"] == value


def test_a_refused_short_form_is_reported_at_its_yaml_line(tmp_path: Path) -> None:
    path = tmp_path / "joined.yaml"
    path.write_text("id: joined\ntitle: 连写的判据\nindicators:\n"
                    "  - id: '1'\n    name: 空气质量优良天数比率\n    unit: '%'\n    direction: higher\n"
                    "    criterion: 完成上级规定的考核任务，且≥90或持续提高\n", encoding="utf-8")
    problems = check_file(path)
    assert [(p.line, p.code) for p in problems] == [(8, "invalid")]
    assert "all_of" in problems[0].message and "any_of" in problems[0].message


# -- the property: every short form in use keeps what it says -----------------------------------------------------
_OPERATORS = {**{w: OP_SYMBOL[op] for w, op in OPERATOR_WORDS.items()}, "及以上": "≥", "以上": "≥",
              "及以下": "≤", "以下": "≤", ">=": "≥", "<=": "≤", "≥": "≥", "≤": "≤", ">": ">", "<": "<"}
_NUMERIC = (Threshold, Cumulative, Delta, Approximate)
_DISTRICT_WORDS = (*REGIONS, *CITY_SIZES, "中西部")  # not 县 or 市辖区: a measure may name them (县城…)


def _words(text: str, vocabulary: Any) -> list[str]:
    """The vocabulary's words in the text, longest first and not overlapping (保持稳定或持续改善 is one)."""
    found, rest = [], text
    for word in sorted(vocabulary, key=len, reverse=True):
        if word in rest:
            found.append(word)
            rest = rest.replace(word, "\0")
    return found


def _lost(text: str, criterion: Any) -> list[str]:
    """What the text says that the criterion does not test (empty when it keeps everything)."""
    t = compact(text).rstrip("。")
    described = criterion.describe()
    lost: list[str] = []
    numbers = [format_number(to_float(n) or 0.0) for n in re.findall(NUMBER, t)]
    if numbers and not isinstance(criterion, _NUMERIC):
        lost.append(f"numbers {numbers} in a {type(criterion).__name__}")
    lost += [n for n in numbers if n not in described]
    if numbers:
        lost += [f"{w}→{op}" for w, op in ((w, _OPERATORS[w]) for w in _words(t, _OPERATORS)) if op not in described]
    for word in _words(t, TREND_TARGET_WORDS):
        kept_as_state = isinstance(criterion, State) and any(word in w and w in t for w in STATE_WORDS)
        if not (isinstance(criterion, Trend) and word in described) and not kept_as_state:
            lost.append(f"trend {word}")
    lost += [f"task {w}" for w in _words(t, SUPERIOR_TASK_WORDS) if not isinstance(criterion, SuperiorTask)]
    if isinstance(criterion, State):
        lost += [f"state {c}" for c in criterion.required if not any(c.endswith(w) for w in STATE_WORDS)]
    lost += [f"district {w}" for w in _words(t, _DISTRICT_WORDS)]  # no short form tests a kind of district
    lost += [f"joined by {w}" for w in ("且", "或", "；", ";") if w in t.replace("或持续改善", "").replace(
        "或有所改善", "")]
    if isinstance(criterion, WaterClassCriterion) and not re.search(r"[IVⅠⅡⅢⅣⅤ一二三四五]", t):
        lost.append("no class in the text")
    return lost


def _read(text: str, direction: str | None, period: tuple[int, int] | None) -> Any:
    """The criterion a short form stands for; None when it is refused (at expansion or at validation)."""
    try:
        return CRITERION.validate_python(expand(text, direction, period))
    except (ShorthandError, ValidationError):
        return None


def _short_forms(node: Any) -> Iterator[str]:
    """Every short string at a criterion's place in a raw YAML criterion (inside all_of, any_of, by_profile)."""
    if isinstance(node, (str, int, float)) and not isinstance(node, bool):
        yield str(node)
    elif isinstance(node, list):
        for part in node:
            yield from _short_forms(part)
    elif isinstance(node, dict):
        for key in ("all_of", "any_of", "of", "otherwise", "criterion"):
            if key in node:
                yield from _short_forms(node[key])
        for case in node.get("cases") or []:
            yield from _short_forms(case.get("criterion"))


def _pack_forms() -> list[tuple[str, str, str | None, tuple[int, int] | None]]:
    forms = []
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        pack = load_pack(path)
        stack = list(yaml.safe_load(path.read_text(encoding="utf-8")).get("indicators") or [])
        while stack:
            raw = stack.pop()
            stack += raw.get("items") or []
            indicator = pack.find(str(raw["id"]))
            assert indicator is not None
            targets = [t.get("criterion") if isinstance(t, dict) else t for t in (raw.get("targets") or {}).values()]
            written = [raw.get("criterion"), *[t for t in targets if str(t).strip() not in ("-", "—", "")]]
            forms += [(path.stem, text, indicator.direction, pack.plan_period) for text in _short_forms(written)]
    return forms


PACK_FORMS = _pack_forms()


def test_the_shipped_packs_use_short_forms() -> None:
    assert len(PACK_FORMS) > 300 and len({text for _, text, _, _ in PACK_FORMS}) > 100


@pytest.mark.parametrize(("pack", "text", "direction", "period"), sorted(set(PACK_FORMS), key=str))
def test_every_short_form_of_a_shipped_pack_keeps_what_it_says(pack: str, text: str, direction: str | None,
                                                                period: tuple[int, int] | None) -> None:
    criterion = _read(text, direction, period)
    assert criterion is not None, f"{pack}: “{text}” no longer loads"
    assert _lost(text, criterion) == [], f"{pack}: “{text}” → {criterion.describe()}"


def _seed_texts() -> list[str]:
    if not SHARED.is_dir():
        return []
    texts = re.findall(r"`([^`\n]+)`", (SHARED / "seed-criteria.md").read_text(encoding="utf-8"))
    seeds = yaml.safe_load((SHARED / "seed-indicators.yaml").read_text(encoding="utf-8"))

    def visit(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("criterion", "targets") and isinstance(value, (str, int, float)):
                    yield str(value)
                elif key == "targets" and isinstance(value, dict):
                    yield from (str(v) for v in value.values() if isinstance(v, (str, int, float)))
                else:
                    yield from visit(value)
        elif isinstance(node, list):
            for item in node:
                yield from visit(item)

    return sorted(set(texts) | set(visit(seeds)))


SEED_TEXTS = _seed_texts()


@pytest.mark.skipif(not SEED_TEXTS, reason="needs ../shared/reference (seed-criteria.md, seed-indicators.yaml) "
                                           "beside the checkout")
def test_every_short_form_of_the_seed_documents_is_read_whole_or_refused() -> None:
    """Each text the seed documents print as a target, read with either direction: refused, or kept whole."""
    assert len(SEED_TEXTS) > 300
    read, lossy = 0, []
    for text in SEED_TEXTS:
        for direction in ("higher", "lower", "none"):
            criterion = _read(text, direction, (2021, 2025))
            if criterion is not None:
                read += 1
                lost = _lost(text, criterion)
                if lost:
                    lossy.append(f"“{text}” ({direction}) → {criterion.describe()}: {lost}")
    assert lossy == []
    assert read > 200  # most of them are short forms, not only refusals


@pytest.mark.parametrize("text", ["完成上级规定的考核任务，且≥90或持续提高", "≥25或持续提高", "东部地区：≥60"])
def test_the_property_catches_the_old_readings(text: str) -> None:
    """What the parser used to make of these texts loses words by the property's own measure."""
    old = {"完成上级规定的考核任务，且≥90或持续提高": SuperiorTask(text=text),
           "≥25或持续提高": Threshold(op=">=", value=25.0),
           "东部地区：≥60": Threshold(op=">=", value=60.0, measure="东部地区：")}[text]
    assert _lost(text, old)
