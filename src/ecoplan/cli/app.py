"""The typer application that every command module registers on (the option choices are in cli/options.py)."""

from __future__ import annotations

import typer

from ecoplan.cli.options import print_version

app = typer.Typer(
    name="ecoplan",
    help="按指标体系评估区县的生态环境指标数值（生态文明建设示范区 / 生态环境保护规划指标）。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="列出、查看、检查指标体系规则文件；输出规则文件的 JSON Schema。", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def _version(value: bool) -> None:
    if value:
        print_version()
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                       help="显示版本号并退出。")) -> None:
    pass  # the commands do the work; this only declares --version (main.py answers it before typer loads)
