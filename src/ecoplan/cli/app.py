"""The typer application object that every command module registers on (see ecoplan.cli)."""

from __future__ import annotations

import enum

import typer

app = typer.Typer(
    name="ecoplan",
    help="Assess a district's eco-environment indicator values (生态文明建设示范区 / 生态环境保护规划指标) against a rule pack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="List, show, lint rule packs; print the rule-pack JSON Schema.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


class ReportFormat(str, enum.Enum):
    """Formats of an attainment report (assess, batch)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"


class FailOn(str, enum.Enum):
    """Which unmet indicators make the command exit 1."""

    never = "never"
    not_met = "not_met"
    constraint = "constraint"
