"""Plain command lines without typer: `assess` and `batch` called with ordinary options skip typer's import and
its option handling (~180 ms with typer 0.29, which imports pydantic at dispatch; most of a single assessment).

Anything unusual — help, an unknown or malformed option, a value outside its choices — returns None, and the full
command-line parser handles the call with its own messages. tests/test_fast_path.py runs both ways and compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Spec:
    """The options of one command: option spelling → parameter name, flags, choices and integer parameters."""

    options: dict[str, str]
    flags: dict[str, str]
    defaults: dict[str, Any]
    choices: dict[str, frozenset[str]] = field(default_factory=dict)
    integers: frozenset[str] = frozenset()
    paths: frozenset[str] = frozenset()


_FORMATS = frozenset({"table", "json", "csv", "markdown", "xlsx"})
_FAIL_ON = frozenset({"never", "not_met", "constraint"})

ASSESS = Spec(
    options={"--pack": "pack", "-p": "pack", "--year": "year", "-y": "year", "--format": "fmt", "-f": "fmt",
             "--output": "output", "-o": "output", "--fail-on": "fail_on"},
    flags={"--strict": "strict"},
    defaults={"pack": None, "year": None, "fmt": "table", "output": None, "fail_on": "never", "strict": False},
    choices={"fmt": _FORMATS, "fail_on": _FAIL_ON}, integers=frozenset({"year"}), paths=frozenset({"output"}))

BATCH = Spec(
    options={"--pack": "pack", "-p": "pack", "--format": "fmt", "-f": "fmt", "--output": "output", "-o": "output",
             "--jobs": "jobs", "-j": "jobs", "--fail-on": "fail_on"},
    flags={"--strict": "strict"},
    defaults={"pack": None, "fmt": None, "output": None, "jobs": None, "fail_on": "never", "strict": False},
    choices={"fmt": _FORMATS, "fail_on": _FAIL_ON}, integers=frozenset({"jobs"}), paths=frozenset({"output"}))


def parse_simple(argv: Sequence[str], spec: Spec) -> dict[str, Any] | None:
    """The parameters of a plain call (positional arguments as `files`, Paths), or None when anything is unusual."""
    options: dict[str, Any] = {"files": [], **spec.defaults}
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in spec.flags:
            options[spec.flags[arg]] = True
        elif arg.startswith("-") and arg != "-":
            key, _, inline = arg.partition("=")
            if key not in spec.options or (not inline and i + 1 >= len(args)):
                return None
            value = inline if inline else args[i + 1]
            i += 0 if inline else 1
            options[spec.options[key]] = value
        else:
            options["files"].append(Path(arg))
        i += 1
    if not options["files"]:
        return None
    for name, allowed in spec.choices.items():
        if options[name] is not None and options[name] not in allowed:
            return None
    for name in spec.integers:
        if options[name] is not None:
            if not str(options[name]).isdigit():
                return None
            options[name] = int(options[name])
    for name in spec.paths:
        if options[name] is not None:
            options[name] = Path(options[name])
    return options
