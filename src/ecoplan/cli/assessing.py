"""What `ecoplan assess` does once its options are known; shared by the typer command and the fast path."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path


def run_assess(files: Sequence[Path], pack: str | None, year: int | None, fmt: str, output: Path | None,
               fail_on: str, strict: bool) -> int:
    """Assess, render, and return the exit code (0, or 1 when the `fail_on` gate fails). Raises InputError."""
    from ecoplan.render.emit import emit
    from ecoplan.report.verdict import gate_failed
    from ecoplan.run.pipeline import evaluate_files, require_assessment

    if output is not None:
        from ecoplan.files import guard_output

        guard_output(output, list(files))
    assessment = require_assessment(evaluate_files(list(files), pack, year, strict=strict))
    emit([assessment], fmt, output, single=True)
    sys.stdout.flush()
    return 1 if gate_failed(assessment.summary, fail_on) else 0
