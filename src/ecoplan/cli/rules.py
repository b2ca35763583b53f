"""`ecoplan rules list | show ID | lint [FILE...] | schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ecoplan.cli.app import rules_app


@rules_app.command("list")
def list_packs() -> None:
    """Every rule pack with its counts (indicators; 约束性 / 预期性 / 参考性) and its source."""
    from rich.table import Table

    from ecoplan.render.console import stdout_console
    from ecoplan.rules.loader import available_packs, load_pack

    table = Table(title="ecoplan rule packs", header_style="bold")
    for column in ("id", "名称", "指标", "约束性", "预期性", "参考性", "来源"):
        table.add_column(column, overflow="fold")
    for path in available_packs().values():
        pack = load_pack(path)
        counts = pack.counts()
        source = pack.source
        where = " ".join(x for x in ((source.document if source else None), (source.table if source else None)) if x)
        extends = f"（扩展 {pack.extends}）" if pack.extends else ""
        table.add_row(pack.id, (pack.title or "") + extends, str(counts["total"]), str(counts["constraint"]),
                      str(counts["expected"]), str(counts["reference"]), where)
    stdout_console().print(table)


@rules_app.command("show")
def show(pack_id: str = typer.Argument(..., help="Pack id (see ecoplan rules list).")) -> None:
    """A pack as a readable table: 序号, 名称, 单位, 指标值, 属性 (and plan targets)."""
    from rich.table import Table

    from ecoplan.render.console import stdout_console
    from ecoplan.report.assessment import ATTRIBUTE_LABELS
    from ecoplan.rules.loader import load_pack

    pack = load_pack(pack_id)
    target_years = sorted({y for _, leaf in pack.leaves() for y in leaf.targets} | set(pack.target_years))
    table = Table(title=f"{pack.id} · {pack.title}", header_style="bold")
    for column in ("序号", "名称", "单位", "指标值", "属性", *[f"{y}年目标" for y in target_years]):
        table.add_column(column, overflow="fold")
    for top in pack.indicators:
        for node in top.walk():
            sub = node is not top
            targets = [(node.targets[y].text or node.targets[y].criterion.describe()) if y in node.targets else ""
                       for y in target_years]
            attribute = "" if sub else ATTRIBUTE_LABELS.get(node.attribute or "", "")
            table.add_row("" if sub else (node.seq or node.id), ("  └ " if sub else "") + node.label,
                          node.unit or "", node.criterion_text(), attribute, *targets)
    stdout_console().print(table)


@rules_app.command("lint")
def lint(files: list[Path] | None = typer.Argument(None, help="Rule files or folders of them (default: every "
                                                      "shipped pack).")) -> None:
    """Check rule files: file:line:col: code: message for every problem, in file and line order.

    A folder stands for its *.yaml and *.yml files (searched recursively, as batch and check search theirs; other
    files are named as skipped). Exit 1 if any file has a problem; 2 if a file cannot be read at all (it is still
    listed)."""
    from ecoplan.rules.loader import available_packs, check_file
    from ecoplan.run.discover import discover

    paths: list[Path] = []
    for path in files or []:
        # One argument at a time: the files are listed in the order they were named, a missing one included.
        found = discover([path], (".yaml", ".yml"))
        paths.extend(found.files if path.exists() else [path])
        note = found.skipped_note()
        if note:
            print(f"ecoplan rules lint: {note}", file=sys.stderr)
    if not files:
        paths = list(available_packs().values())
    count = 0
    unreadable = False
    for path in paths:
        for problem in check_file(path):
            count += 1
            unreadable = unreadable or problem.code == "unreadable"
            print(problem)
    if count:
        print(f"{count} problem(s) in {len(paths)} file(s)", file=sys.stderr)
        raise typer.Exit(2 if unreadable else 1)
    print(f"{len(paths)} file(s) checked, no problems", file=sys.stderr)


@rules_app.command("schema")
def schema(output: Path | None = typer.Option(None, "--output", "-o", help="Write the schema to this file.")) -> None:
    """The JSON Schema of the rule-pack format (rules/schema.json), for editors."""
    from ecoplan.rules.schema_export import pack_schema

    text = json.dumps(pack_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is not None:
        from ecoplan.files import write_atomic

        write_atomic(output, text)
    else:
        sys.stdout.write(text)
