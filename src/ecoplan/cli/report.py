"""`ecoplan report FILE... -o report.html`: the attainment report as one self-contained HTML page with charts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ecoplan.cli.app import app
from ecoplan.cli.options import choose_format, output_option, pack_option, strict_option, year_option
from ecoplan.errors import InputError
from ecoplan.files import guard_output, path_text

if TYPE_CHECKING:
    from ecoplan.render.html_charts import TaskMark
    from ecoplan.run.pipeline import Evaluation
    from ecoplan.workbook.values import Reported


@app.command()
def report(
    files: list[Path] = typer.Argument(..., metavar="工作簿", show_default=False,
                                       help="区县工作簿；同一区县的更多工作簿按其年度作为历史数据"
                                       "（报告最新的评估年度）。"),
    pack: str | None = pack_option(),
    year: int | None = year_option(),
    output: Path | None = output_option("把页面写入此文件（.html）；- 表示标准输出（不是终端时）。"),
    strict: bool = strict_option(),
) -> None:
    """写出 HTML 报告：一个离线可打开、适合打印的页面。

    页面上有达标情况表、按领域的汇总图，以及每个指标的历史数据、2025/2030 年目标和按当前速度的预测图。"""
    # lazy: typer loads all command modules (--help, rules); the pipeline (~95 ms) and HTML only when report runs
    from ecoplan.render.emit import deliver
    from ecoplan.render.html import render_html
    from ecoplan.run.pipeline import evaluate_files, require_assessment

    if output is None and sys.stdout.isatty():
        # A page of HTML (~135 KB) is no use in a terminal: say how to get the file instead.
        raise InputError("report 生成一个 HTML 页面：请用 -o report.html 指定文件（或重定向：> report.html）",
                         "--output")
    if output is not None:
        guard_output(output, files)
    choose_format(None, output, ("html",), default="html")
    outcome = evaluate_files(files, pack, year, strict=strict)
    assessment = require_assessment(outcome)
    points, tasks = chart_inputs(outcome)
    page = render_html(assessment, points, [path_text(p.name) for p in files], tasks)
    deliver(page, output)


def chart_inputs(outcome: Evaluation) -> tuple[dict[str, list[tuple[int, float]]], dict[str, list[TaskMark]]]:
    """Leaf id → the numbers on record up to the assessed year, and leaf id → the superior's tasks on record: what
    each chart draws beside the plan's targets.

    The one place the report reads history: the assessment carries each leaf's progress but not the series it was
    computed from, nor the tasks (report/assessment.py could carry both; see the render notes). It reads the
    history exactly as the evaluator does (leaf_history, numeric_series), so the chart shows what was judged."""
    # lazy: typer loads all command modules (--help, rules); the evaluator and progress only when report runs
    from ecoplan.evaluate.evaluator import context_for, leaf_history
    from ecoplan.evaluate.progress import numeric_series, numeric_target, target_criteria

    assessment, pack, district, matched = outcome.assessment, outcome.pack, outcome.district, outcome.matched
    if assessment is None or pack is None or district is None or district.profile is None or matched is None:
        return {}, {}
    points: dict[str, list[tuple[int, float]]] = {}
    tasks: dict[str, list[TaskMark]] = {}
    for _, leaf in pack.leaves():
        rows = matched.values.get(leaf.id, {})
        # The same history the evaluator sees: the pack's record of earlier years, overridden by the workbooks.
        history = leaf_history(leaf, rows)
        ctx = context_for(leaf, pack, district.profile, history, assessment.year)
        # A target on a named measure (案件结案率) charts that measure; otherwise the indicator's own number.
        measures = [n.measure for _, _, c in target_criteria(leaf, pack, assessment.year)
                    if (n := numeric_target(c, ctx.profile)) is not None and n.measure]
        found = numeric_series(ctx, history, measures[0] if measures else None, up_to=assessment.year)
        if found:
            points[leaf.id] = found
        marks = [] if measures else task_marks(history, leaf.unit, assessment.year)
        if marks:
            tasks[leaf.id] = marks
    return points, tasks


def task_marks(history: dict[int, Reported], unit: str | None, up_to: int) -> list[TaskMark]:
    """The numeric tasks on record, one per year (a whole-period task once, over its period), in the unit the
    chart draws: a task in another unit (天 beside a %) is left out rather than drawn on the wrong scale."""
    # lazy: typer loads all command modules (--help, rules); these only when report runs
    from ecoplan.quantity import format_number
    from ecoplan.render.html_charts import TaskMark
    from ecoplan.workbook.values import Number

    marks: dict[tuple[object, ...], TaskMark] = {}
    for year, reported in sorted(history.items()):
        task = reported.task
        if year > up_to or task is None or task.number is None or task.not_issued:
            continue
        value_unit = reported.value.unit if isinstance(reported.value, Number) else None
        if task.unit and task.unit not in (unit, value_unit):
            continue
        if value_unit and unit and value_unit != unit:
            continue
        op = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}.get(task.op or "", "")
        number = f"{op}{format_number(task.number)}{task.unit or ''}"
        if task.period:
            key: tuple[object, ...] = ("period", task.period, task.number)
            text = f"{task.period[0]}—{task.period[1]} 任务 {number}"
            marks[key] = TaskMark(year=task.period[1], number=task.number, text=text, period=task.period)
        else:
            marks[("year", year)] = TaskMark(year=year, number=task.number, text=f"任务 {number}")
    return list(marks.values())
