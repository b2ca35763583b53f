"""The typer application that every command module registers on (the option choices are in cli/options.py)."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="ecoplan",
    help="Assess a district's eco-environment indicator values (生态文明建设示范区 / 生态环境保护规划指标) "
         "against a rule pack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="List, show, lint rule packs; print the rule-pack JSON Schema.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def _version(value: bool) -> None:
    if value:
        from ecoplan.cli.options import print_version

        print_version()
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                       help="Print the version and exit.")) -> None:
    pass  # the commands do the work; this only declares --version (main.py answers it before typer loads)
