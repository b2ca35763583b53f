"""`ecoplan template PACK -o FILE`: a fill-in workbook for a rule pack (see ecoplan.workbook.template)."""

from __future__ import annotations

from pathlib import Path

import typer

from ecoplan.cli.app import app


@app.command()
def template(
    pack: str = typer.Argument(..., help="Rule pack id (see ecoplan rules list) or a rule file."),
    output: Path = typer.Option(Path("template.xlsx"), "--output", "-o", help="The workbook to write."),
    year: int | None = typer.Option(None, "--year", "-y", help="Pre-fill 评估年度 and the rows' 年度."),
    history: int = typer.Option(1, "--history", min=0, max=10,
                                help="With --year: also add rows for this many earlier years (trend criteria "
                                "compare with them)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a workbook to fill in: every indicator and sub-item of PACK, dropdowns, input cells unlocked."""
    from ecoplan.errors import InputError
    from ecoplan.files import write_atomic
    from ecoplan.run.pipeline import cached_pack
    from ecoplan.workbook.template import build_template

    if year is not None and not 1900 <= year <= 2100:
        raise InputError(f"--year must be a year such as 2023, got {year}", "--year")
    if output.exists() and not force:
        # a template over a filled submission would erase a district's year of work
        raise InputError("exists; choose another -o path or give --force to overwrite it", str(output))
    if output.suffix.lower() != ".xlsx":
        raise InputError("the template is an .xlsx workbook; give a file name ending in .xlsx", str(output))
    write_atomic(output, build_template(cached_pack(pack), year, history if year else 0))
    typer.echo(f"wrote {output}: fill 区县信息 and the yellow cells of 指标数据, then run: ecoplan check {output}",
               err=True)
