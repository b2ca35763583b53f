"""`ecoplan template PACK -o FILE`: a fill-in workbook for a rule pack (see ecoplan.render.template)."""

from __future__ import annotations

from pathlib import Path

import typer

from ecoplan.cli.app import app
from ecoplan.cli.options import choose_format, output_option, year_option
from ecoplan.errors import InputError


@app.command()
def template(
    pack: str = typer.Argument(..., metavar="指标体系", show_default=False,
                               help="指标体系的 id（见 ecoplan rules list）或规则文件。"),
    output: Path | None = output_option("要写出的工作簿（.xlsx）；- 表示标准输出（不是终端时）。",
                                        default=Path("template.xlsx")),
    year: int | None = year_option("预先填好评估年度和各行的年度。"),
    history: int = typer.Option(1, "--history", min=0, max=10, metavar="年数",
                                help="与 --year 一起使用：再为之前这么多年各加一组行（趋势判据要与之比较）。"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的文件。"),
) -> None:
    """写出待填报的工作簿：指标体系的每个指标和分项、下拉选项，填报单元格不锁定。"""
    # lazy: typer loads all command modules (--help, rules); the template builder and openpyxl only when template runs
    from ecoplan.files import guard_output, write_atomic
    from ecoplan.render.emit import deliver
    from ecoplan.render.template import build_template
    from ecoplan.run.pipeline import cached_pack

    choose_format(None, output, ("xlsx",), default="xlsx")
    if output is not None:
        guard_output(output, [])  # the same rules as every -o: only a regular file is ever replaced
    if output is not None and output.exists() and not force:
        # a template over a filled submission would erase a district's year of work
        raise InputError("文件已存在；请用 -o 换一个路径，或加 --force 覆盖它", str(output))
    data = build_template(cached_pack(pack), year, history if year else 0)
    if output is None:
        deliver(data, None)
        return
    write_atomic(output, data)
    typer.echo(f"已写出 {output}：请填写区县信息和指标数据的黄色单元格，然后运行：ecoplan check {output}",
               err=True)
