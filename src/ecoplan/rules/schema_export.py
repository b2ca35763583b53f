"""The JSON Schema of a rule pack, as editors use it (criteria may also be written as short strings)."""

from __future__ import annotations

from typing import Any


def pack_schema() -> dict[str, Any]:
    """Pydantic's schema of `Pack`, with every criterion position also accepting a short string (≥90, 建立)."""
    from ecoplan.rules.pack import Pack

    schema = Pack.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ecoplan rule pack"

    def widen(node: Any) -> Any:
        if isinstance(node, dict):
            if "discriminator" in node and "oneOf" in node:
                return {"anyOf": [{"type": "string", "description": "a short criterion: ≥90, 100, 建立, 持续提高, Ⅱ类, "
                                   "完成上级规定的考核任务, [19.4], △EQI>-1"},
                                  {"type": "object", "properties": {"all_of": {"type": "array"}}, "required": ["all_of"]},
                                  {"type": "object", "properties": {"any_of": {"type": "array"}}, "required": ["any_of"]},
                                  {k: widen(v) for k, v in node.items()}]}
            return {k: widen(v) for k, v in node.items()}
        if isinstance(node, list):
            return [widen(v) for v in node]
        return node

    return widen(schema)
