"""What `ecoplan assess` does once its options are known; shared by the typer command and the fast path."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Sequence


def run_assess(files: Sequence[Path], pack: str | None, year: int | None, fmt: str, output: Path | None,
               fail_on: str, strict: bool) -> int:
    """Assess, render, and return the exit code (0, or 1 when the `fail_on` gate fails). Raises InputError."""
    from ecoplan.gate import gate_failed
    from ecoplan.pipeline import evaluate_files, require_assessment
    from ecoplan.render.emit import emit

    if output is not None:
        from ecoplan.output import guard_output

        guard_output(output, list(files))
    assessment = require_assessment(evaluate_files(list(files), pack, year, strict=strict))
    emit([assessment], fmt, output, single=True)
    sys.stdout.flush()
    return 1 if gate_failed(assessment.summary, fail_on) else 0


_FORMATS = {"table", "json", "csv", "markdown", "xlsx"}
_FAIL_ON = {"never", "not_met", "constraint"}


def parse_simple_assess(argv: Sequence[str]) -> dict | None:
    """Options of a plain `assess` call, or None when anything is unusual (help, an unknown or malformed option):
    then the full command-line parser handles it, with its messages. Skipping typer's import and its option
    coercion saves ~100 ms per call, most of a single assessment's time."""
    options: dict = {"files": [], "pack": None, "year": None, "fmt": "table", "output": None, "fail_on": "never",
                     "strict": False}
    names = {"--pack": "pack", "-p": "pack", "--year": "year", "-y": "year", "--format": "fmt", "-f": "fmt",
             "--output": "output", "-o": "output", "--fail-on": "fail_on"}
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--strict":
            options["strict"] = True
        elif arg.startswith("-") and arg != "-":
            key, _, inline = arg.partition("=")
            if key not in names or (not inline and i + 1 >= len(args)):
                return None
            value = inline if inline else args[i + 1]
            i += 0 if inline else 1
            options[names[key]] = value
        else:
            options["files"].append(Path(arg))
        i += 1
    if not options["files"] or options["fmt"] not in _FORMATS or options["fail_on"] not in _FAIL_ON:
        return None
    if options["year"] is not None:
        if not str(options["year"]).isdigit():
            return None
        options["year"] = int(options["year"])
    if options["output"] is not None:
        options["output"] = Path(options["output"])
    return options
