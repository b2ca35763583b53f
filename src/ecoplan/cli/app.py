"""The typer application every command module declares itself on (cli/main.py imports them all)."""

from __future__ import annotations

from typing import Any

import typer

from ecoplan.cli.help import Command, Group
from ecoplan.cli.options import print_version


class App(typer.Typer):
    """A typer app whose commands and groups explain themselves in Chinese (cli/help.py), a command added later
    included."""

    def __init__(self, **settings: Any) -> None:
        super().__init__(cls=Group, options_metavar="[选项]", subcommand_metavar="命令 [参数]...",
                         no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                         rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                         **settings)

    def command(self, name: str | None = None, *, cls: Any = None, **settings: Any) -> Any:
        """typer's `command`, with ecoplan's command class."""
        return super().command(name, cls=cls or Command, **settings)


app = App(name="ecoplan", help="""\b
按指标体系评估区县填报的生态环境指标：达标、未达标、差距和规划目标进度。
从这里开始：ecoplan assess 工作簿.xlsx（没有工作簿时：ecoplan template）""")
rules_app = App(help="列出、查看、检查指标体系的规则文件；从规划的指标表导入草稿；输出规则文件的 JSON Schema。")
app.add_typer(rules_app, name="rules")


def _version(value: bool) -> None:
    if value:
        print_version()
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                       help="显示版本号并退出。")) -> None:
    pass  # the commands do the work; this only declares --version (main.py answers it before typer loads)
