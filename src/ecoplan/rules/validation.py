"""pydantic metadata for the rule models that costs nothing until a pack is validated.

The rule models (`criteria`, `pack`) are plain frozen dataclasses: `assess` reads an already validated pack from
the cache and never needs pydantic, whose import and model machinery cost ~130 ms — half of a whole `assess` run.
pydantic validates the same dataclasses when a pack is read from YAML: it reads their fields and
`__pydantic_config__`, and the markers below inside `Annotated[...]`, each resolved only then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

# Every rule model rejects unknown keys (a misspelt key is an error with its line, never silently ignored).
STRICT: dict[str, Any] = {"extra": "forbid"}


class Tagged:
    """A union told apart by one key (`kind`): pydantic's discriminated union, with its precise errors."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        # lazy: pydantic (~50 ms) only when a pack's schema is built (read from YAML); cached packs need none
        from pydantic import Discriminator

        return Discriminator(self.key).__get_pydantic_core_schema__(source, handler)


class Constrained:
    """Field constraints as pydantic's `Field` takes them (ge=0, min_length=1, pattern=…)."""

    def __init__(self, **constraints: Any) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        # lazy: pydantic (~50 ms) only when a pack's schema is built (read from YAML); cached packs need none
        from pydantic import Field

        return handler(Annotated[source, Field(**self.constraints)])


class Before:
    """A function that turns what the YAML says into what the field takes (words → codes, shorthand → mapping).

    It is called as `function(raw, info)`: `info.data` holds the fields validated so far, `info.context` what the
    loader passed (the plan period, whether the pack is partial)."""

    def __init__(self, function: Callable[[Any, Any], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        # lazy: pydantic (~50 ms) only when a pack's schema is built (read from YAML); cached packs need none
        from pydantic_core import core_schema

        return core_schema.with_info_before_validator_function(self.function, handler(source))


class After:
    """A check of the validated value, `function(value, info) -> value`; a ValueError becomes a rule problem."""

    def __init__(self, function: Callable[[Any, Any], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        # lazy: pydantic (~50 ms) only when a pack's schema is built (read from YAML); cached packs need none
        from pydantic_core import core_schema

        return core_schema.with_info_after_validator_function(self.function, handler(source))
