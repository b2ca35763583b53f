"""Plain command lines without typer: importing typer and building its parser costs ~100–180 ms, most of a single
`ecoplan assess`. The options are written once, in each command's typer declaration (`register` in
cli/assess.py …); this module derives a plain description of them from those declarations (`derive`), keeps it in
the cache keyed on the package's source (ecoplan.cache: any edit of a declaration misses), and parses ordinary
calls with it, calling the command's `run` with exactly the values the typer command would pass.

Anything unusual — help, an unknown, repeated-short or malformed option, a value outside its choices, `--` — makes
`parse` return None, and typer handles the call with its own messages. Without a cached description (the first
run, or caching off) typer handles the call and the description is stored for the next one.
tests/test_fast_path.py proves the fast path is taken (typer never imported) and prints what typer prints.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import ecoplan.cache as cache

CACHE_KIND = "cli"
SUBJECT = "command-line"

# A command: {"module": "ecoplan.cli.assess", "argument": name, "options": {spelling: (name, kind, choices)},
#             "defaults": {name: value}}; kind is "str", "int", "path", "choice" or "flag".
Spec = dict[str, dict[str, Any]]


def cached_spec() -> Spec | None:
    """The derived description of the commands, or None (not derived yet for this source, or caching off)."""
    if not cache.enabled():
        return None
    spec = cache.load(CACHE_KIND, SUBJECT, cache.environment_stamp())
    return spec if isinstance(spec, dict) else None


def store_spec(app: Any) -> None:
    """Derive the description from the typer app's commands and keep it for the next run."""
    if cache.enabled():
        cache.store(CACHE_KIND, SUBJECT, cache.environment_stamp(), derive(app))


def derive(app: Any) -> Spec:
    """The commands whose module has a `run` with the same parameters as the typer command, and whose parameters
    are all of a kind the plain parser reads exactly as typer does (one list argument; str, int, Path, enum and
    on/off options without callbacks, ranges or environment variables)."""
    # lazy: typer (~55 ms) only to derive the description from the typer app (first run, cache miss)
    from typer.models import ArgumentInfo, OptionInfo

    spec: Spec = {}
    for info in app.registered_commands:
        callback = info.callback
        module = importlib.import_module(callback.__module__)
        run = getattr(module, "run", None)
        parameters = inspect.signature(callback).parameters
        if run is None or list(inspect.signature(run).parameters) != list(parameters):
            continue
        hints = typing.get_type_hints(callback)
        command: dict[str, Any] = {"module": callback.__module__, "argument": None, "options": {}, "defaults": {}}
        plain = True
        for name, parameter in parameters.items():
            declared = parameter.default
            if any(getattr(declared, attr, None) not in (None, False) for attr in
                   ("callback", "min", "max", "envvar", "is_eager", "parser", "click_type", "prompt")):
                plain = False
                break
            kind, choices = _kind(hints[name], enum)
            if isinstance(declared, ArgumentInfo):
                if kind != "paths" or command["argument"] is not None:
                    plain = False
                    break
                command["argument"] = name
                continue
            if not isinstance(declared, OptionInfo) or kind is None or kind == "paths":
                plain = False
                break
            default = declared.default
            command["defaults"][name] = default.value if isinstance(default, enum.Enum) else default
            declarations = list(declared.param_decls or ())
            spellings = [s for decl in declarations for s in decl.split("/")]
            if kind == "flag" and any("/" in decl for decl in declarations):
                plain = False  # --x/--no-x pairs: not needed by any command yet
                break
            for spelling in spellings:
                command["options"][spelling] = (name, kind, choices)
        if plain and command["argument"] is not None:
            spec[info.name or callback.__name__.replace("_", "-")] = command
    return spec


def _kind(hint: Any, enum: Any) -> tuple[str | None, tuple[str, ...]]:
    """The parser kind of a parameter's type hint, and its choices (for enums)."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if len(args) != 1:
            return None, ()
        hint = args[0]
    if typing.get_origin(hint) is list and typing.get_args(hint) == (Path,):
        return "paths", ()
    if hint is bool:
        return "flag", ()
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members: Any = hint  # an Enum class iterates over its members
        return "choice", tuple(str(member.value) for member in members)
    return {str: "str", int: "int", Path: "path"}.get(hint), ()


def parse(spec: Spec, argv: Sequence[str]) -> Callable[[], int] | None:
    """The command's `run` bound to the values of a plain call, or None when the call is not plain."""
    if not argv or argv[0] not in spec:
        return None
    command = spec[argv[0]]
    options: dict[str, tuple[str, str, tuple[str, ...]]] = command["options"]
    values: dict[str, Any] = dict(command["defaults"])
    positional: list[Path] = []
    args = list(argv[1:])
    i = 0
    while i < len(args):
        arg = args[i]
        if arg.startswith("-") and arg != "-":
            key, equals, inline = arg.partition("=")
            if key not in options:
                return None
            name, kind, choices = options[key]
            if kind == "flag":
                if equals:
                    return None
                values[name] = True
            else:
                if not equals:
                    if i + 1 >= len(args) or args[i + 1].startswith("-"):
                        return None  # a value that looks like an option: typer decides what it means
                    i += 1
                    inline = args[i]
                value = _value(kind, choices, inline) if inline else None
                if value is None:
                    return None
                values[name] = value
        else:
            positional.append(Path(arg))
        i += 1
    if not positional:
        return None
    values[command["argument"]] = positional
    run = importlib.import_module(command["module"]).run
    return lambda: int(run(**values))


def _value(kind: str, choices: tuple[str, ...], text: str) -> Any:
    """An option's value as typer would pass it, or None when typer should judge it."""
    if kind == "choice":
        return text if text in choices else None
    if kind == "int":
        return int(text) if text.isascii() and text.isdigit() else None
    if kind == "path":
        return Path(text) if text else None
    return text
