"""`ecoplan rules list | show ID | lint [FILE...] | schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ecoplan.cli.app import rules_app
from ecoplan.cli.options import choose_format, output_option
from ecoplan.run.discover import discover


@rules_app.command("list")
def list_packs() -> None:
    """列出每个指标体系及其指标数（约束性 / 预期性 / 参考性）和来源。"""
    # lazy: typer loads all command modules (--help, rules); rich (~55 ms) and the loader only when rules list runs
    from rich.table import Table

    from ecoplan.render.console import stdout_console
    from ecoplan.rules.loader import available_packs, load_pack

    table = Table(title="ecoplan 指标体系", header_style="bold")
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
def show(pack_id: str = typer.Argument(..., metavar="指标体系", show_default=False,
                                       help="指标体系的 id（见 ecoplan rules list）或规则文件。")) -> None:
    """以表格显示一个指标体系：编号（工作簿的指标编号填这个）、序号、名称、单位、指标值、属性（及规划目标）。"""
    # lazy: typer loads all command modules (--help, rules); rich (~55 ms) and the loader only when rules show runs
    from rich.table import Table

    from ecoplan.render.console import stdout_console
    from ecoplan.report.assessment import ATTRIBUTE_LABELS
    from ecoplan.rules.loader import load_pack

    pack = load_pack(pack_id)
    target_years = sorted({y for _, leaf in pack.leaves() for y in leaf.targets} | set(pack.target_years))
    table = Table(title=f"{pack.id} · {pack.title}", header_style="bold")
    # 编号 is what a workbook's 指标编号 takes (4.1, R1); 序号 is the number the document prints (1…27, then 1…5).
    for column in ("编号", "序号", "名称", "单位", "指标值", "属性", *[f"{y}年目标" for y in target_years]):
        table.add_column(column, overflow="fold")
    for top in pack.indicators:
        for node in top.walk():
            sub = node is not top
            targets = [(node.targets[y].text or node.targets[y].criterion.describe()) if y in node.targets else ""
                       for y in target_years]
            attribute = "" if sub else ATTRIBUTE_LABELS.get(node.attribute or "", "")
            table.add_row(node.id, "" if sub else (node.seq or node.id), ("  └ " if sub else "") + node.label,
                          node.unit or "", node.criterion_text(), attribute, *targets)
    stdout_console().print(table)


@rules_app.command("lint")
def lint(files: list[Path] | None = typer.Argument(None, metavar="规则文件或文件夹", show_default=False,
                                                  help="规则文件或存放规则文件的文件夹（默认：随附的全部指标体系）。"
                                                  )) -> None:
    """检查规则文件：每个问题一行（文件:行:列: 代码: 说明），按文件和行的顺序。

    文件夹代表其中的 *.yaml 和 *.yml 文件（像 batch 和 check 一样递归查找；其他文件列为已跳过）。有文件存在问题时
    退出码为 1；有文件完全无法读取时为 2（它仍会列出）。"""
    # lazy: typer loads all command modules (--help, rules); the loader only when rules lint runs
    from ecoplan.rules.loader import available_packs, check_file

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
        print(f"{len(paths)} 个文件中有 {count} 个问题", file=sys.stderr)
        raise typer.Exit(2 if unreadable else 1)
    print(f"已检查 {len(paths)} 个文件，没有问题", file=sys.stderr)


@rules_app.command("schema")
def schema(output: Path | None = output_option("把 Schema 写入此文件（.json）；- 表示标准输出。")) -> None:
    """输出规则文件格式的 JSON Schema（rules/schema.json），供编辑器使用。"""
    # lazy: typer loads all command modules (--help, rules); the schema export only when rules schema runs
    from ecoplan.rules.schema_export import pack_schema

    choose_format(None, output, ("json",), default="json")
    text = json.dumps(pack_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is not None:
        # lazy: ecoplan.files pulls in tempfile (~8 ms); only rules schema -o needs it
        from ecoplan.files import write_atomic

        write_atomic(output, text)
    else:
        sys.stdout.write(text)
