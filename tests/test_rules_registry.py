"""The criterion kinds have one registry (the `Criterion` union) and one vocabulary; the models stay plain,
picklable dataclasses that deciding needs no pydantic for."""

from __future__ import annotations

import pickle
import subprocess
import sys
from typing import Any

import pytest
from pydantic import TypeAdapter

from ecoplan.rules.criteria import CRITERION_KINDS, KIND_MODELS, SHORTHAND_KINDS, Criterion
from ecoplan.rules.shorthand import ShorthandError, expand
from ecoplan.vocabulary import OPERATOR_WORDS, TREND_TARGET_WORDS

CRITERION: TypeAdapter[Any] = TypeAdapter(Criterion)


def test_the_kinds_are_the_unions_members() -> None:
    assert set(CRITERION_KINDS) == {"threshold", "superior_task", "trend", "delta", "state", "water_class",
                                    "approximate", "cumulative", "by_profile", "all_of", "any_of", "manual"}
    for kind, model in KIND_MODELS.items():
        assert model.__dataclass_fields__["kind"].default == kind
    # The short forms are tried in a fixed order, the state words last (they take any words).
    assert SHORTHAND_KINDS[-1].__name__ == "State"


@pytest.mark.parametrize("word", sorted(OPERATOR_WORDS))
def test_every_operator_word_reads_alike_in_values_and_criteria(word: str) -> None:
    from ecoplan.workbook.values import Bound, parse_value

    data = expand(f"{word}90", "higher", None)
    assert data == {"kind": "threshold", "op": OPERATOR_WORDS[word], "value": 90.0}
    reported = parse_value(f"{word}90").value
    assert isinstance(reported, Bound) and reported.interval.op == OPERATOR_WORDS[word]


@pytest.mark.parametrize("word", sorted(TREND_TARGET_WORDS))
def test_every_trend_word_is_a_criterion(word: str) -> None:
    assert expand(word, "higher", None)["kind"] == "trend"


def test_a_mapping_is_filled_from_the_indicator_and_the_pack() -> None:
    data = expand({"all_of": [{"cumulative": {"total": 19.4}}, "≥90"]}, "lower", (2016, 2020))
    assert data["of"][0] == {"kind": "cumulative", "total": 19.4, "op": "<=", "period": [2016, 2020]}
    assert data["of"][1] == {"kind": "threshold", "op": ">=", "value": 90.0}
    with pytest.raises(ShorthandError):
        expand("57左右", "higher", None)


def test_models_pickle_and_keep_no_instance_dict() -> None:
    model = CRITERION.validate_python(expand({"any_of": ["≥90", "持续提高"]}, "higher", None))
    again = pickle.loads(pickle.dumps(model))
    assert again == model
    assert not hasattr(model, "__dict__")  # slotted: the cache stays small


def test_deciding_with_a_validated_model_needs_no_pydantic() -> None:
    code = ("import pickle, sys; from ecoplan.rules.criteria.context import Context; "
            "from ecoplan.rules.defaults import Defaults; from ecoplan.workbook.values import parse_value; "
            "c = pickle.loads(sys.stdin.buffer.read()); "
            "ctx = Context(year=2023, name='x', unit='%', direction='higher', defaults=Defaults(), "
            "history={2023: parse_value(91)}); "
            "print(c.decide(ctx).status, 'pydantic' in sys.modules)")
    model = CRITERION.validate_python(expand("≥90", "higher", None))
    proc = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(model), capture_output=True, check=True)
    assert proc.stdout.decode().split() == ["met", "False"]
