"""The JSON Schema of a rule pack, as editors use it (criteria may also be written as short strings)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from ecoplan.rules.pack import _ATTRIBUTE_WORDS, _DIRECTION_WORDS, Pack


def pack_schema() -> dict[str, Any]:
    """Pydantic's schema of `Pack`, with every criterion position also accepting a short string (≥90, 建立)."""
    schema = TypeAdapter(Pack).json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ecoplan rule pack"

    def widen(node: Any) -> Any:
        if isinstance(node, dict):
            if "discriminator" in node and "oneOf" in node:
                short = {"type": "string", "description": "a short criterion: ≥90, 100, 建立, 持续提高, Ⅱ类, "
                         "完成上级规定的考核任务, [19.4], △EQI>-1"}
                written = [{"type": "object", "properties": {key: {"type": "array"}}, "required": [key]}
                           for key in ("all_of", "any_of")]
                return {"anyOf": [short, *written, {k: widen(v) for k, v in node.items()}]}
            return {k: widen(v) for k, v in node.items()}
        if isinstance(node, list):
            return [widen(v) for v in node]
        return node

    return _accept_words(widen(schema))


def _accept_words(schema: dict[str, Any]) -> dict[str, Any]:
    """Accept in the schema what the loader's before-validators accept, so editors do not flag valid packs:
    约束性/预期性/参考性, 越高越好/越低越好, numeric ids, water classes written Ⅲ or III, and plan targets written
    as a short criterion ("≥60") instead of {text, criterion}."""
    defs = schema.get("$defs", {})
    indicator = defs.get("Indicator", {}).get("properties", {})
    for field, words in (("attribute", _ATTRIBUTE_WORDS), ("direction", _DIRECTION_WORDS)):
        for option in indicator.get(field, {}).get("anyOf", []):
            if "enum" in option:
                option["enum"] = [*option["enum"], *sorted(w for w in words if w not in option["enum"])]
    for field in ("id", "seq"):
        if field in indicator:
            indicator[field] = {"anyOf": [indicator[field], {"type": "number"}], "title": field.title()}
    water = defs.get("WaterClassCriterion", {}).get("properties", {})
    if "class" in water:
        named = {"type": "string", "description": "Ⅰ Ⅱ Ⅲ Ⅳ Ⅴ 劣Ⅴ (or I II III IV V)"}
        water["class"] = {"anyOf": [water["class"], named], "title": "Class"}
    targets = indicator.get("targets")
    target = defs.get("Target", {}).get("properties", {})
    if targets is not None and "criterion" in target:
        targets["additionalProperties"] = {"anyOf": [{"$ref": "#/$defs/Target"}, {"type": "number"},
                                                     target["criterion"]]}
        targets["propertyNames"] = {"pattern": "^(19|20)[0-9][0-9]$"}
    return schema
