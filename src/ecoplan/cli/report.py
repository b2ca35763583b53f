"""`ecoplan report FILE... -o report.html`: the attainment report as one self-contained HTML page with charts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ecoplan.cli.app import app

if TYPE_CHECKING:
    from ecoplan.run.pipeline import Outcome


@app.command()
def report(
    files: list[Path] = typer.Argument(..., metavar="FILE",
                                       help="The district workbook (.xlsx); more workbooks of the same district "
                                       "add their years as history (the latest 评估年度 is reported)."),
    pack: str | None = typer.Option(None, "--pack", "-p", help="Rule pack id (default: the workbook's 指标体系)."),
    year: int | None = typer.Option(None, "--year", "-y", help="Year to assess (default: the workbook's 评估年度)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the page to this file "
                                          "(default: standard output)."),
    strict: bool = typer.Option(False, "--strict", help="Report 未下达/未考核/assertions/estimates as 待核实 "
                                "instead of the pack's convention."),
) -> None:
    """Write an HTML report: attainment table, a summary chart by 领域, and for each indicator a chart of its
    history, its 2025/2030 targets and the projection at the current pace. Opens offline; prints well."""
    from ecoplan.render.html import render_html
    from ecoplan.run.pipeline import evaluate_files, require_assessment

    if output is not None:
        from ecoplan.files import guard_output

        guard_output(output, files)
    outcome = evaluate_files(files, pack, year, strict=strict)
    assessment = require_assessment(outcome)
    page = render_html(assessment, numeric_history(outcome), [p.name for p in files])
    if output is None:
        sys.stdout.write(page)
        return
    from ecoplan.files import write_atomic

    write_atomic(output, page)
    print(f"wrote {output}", file=sys.stderr)


def numeric_history(outcome: Outcome) -> dict[str, list[tuple[int, float]]]:
    """Leaf id → the numbers on record up to the assessed year (what each chart draws as history)."""
    from ecoplan.evaluate.evaluator import context_for, leaf_history
    from ecoplan.evaluate.progress import numeric_series, numeric_target, target_criteria

    assessment, pack, district, matched = outcome.assessment, outcome.pack, outcome.district, outcome.matched
    if assessment is None or pack is None or district is None or district.profile is None or matched is None:
        return {}
    out: dict[str, list[tuple[int, float]]] = {}
    for _, leaf in pack.leaves():
        rows = matched.values.get(leaf.id, {})
        # The same history the evaluator sees: the pack's record of earlier years, overridden by the workbooks.
        history = leaf_history(leaf, rows)
        ctx = context_for(leaf, pack, district.profile, history, assessment.year)
        # A target on a named measure (案件结案率) charts that measure; otherwise the indicator's own number.
        measures = [n.measure for _, _, c in target_criteria(leaf, pack, assessment.year)
                    if (n := numeric_target(c, ctx.profile)) is not None and n.measure]
        points = numeric_series(ctx, history, measures[0] if measures else None, up_to=assessment.year)
        if points:
            out[leaf.id] = points
    return out
