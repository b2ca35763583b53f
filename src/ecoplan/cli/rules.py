"""`ecoplan rules list | show ID | lint [FILE...] | schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ecoplan.cli.app import rules_app
from ecoplan.cli.options import choose_format, output_option
from ecoplan.run.discover import discover
from ecoplan.vocabulary import PART_LABELS


@rules_app.command("list")
def list_packs() -> None:
    """列出每个指标体系及其指标数（约束性 / 预期性 / 参考性）和来源。"""
    # lazy: typer loads all command modules (--help, rules); rich (~55 ms) and the loader only when rules list runs
    from rich.table import Table

    from ecoplan.render.console import stdout_console
    from ecoplan.rules.loader import available_packs, load_pack

    table = Table(title="ecoplan 指标体系", header_style="bold")
    for column in ("id", "名称", "指标", "约束性", "预期性", "参考性", "另计", "来源"):
        table.add_column(column, overflow="fold")
    for path in available_packs().values():
        pack = load_pack(path)
        # The table's count, as the document counts it; the text and project targets apart (a document without
        # a table: "—" and its targets under 另计).
        counts = pack.counts("table")
        others = "、".join(f"{PART_LABELS[part]} {pack.counts(part)['total']}" for part in pack.parts()
                          if part != "table")
        source = pack.source
        where = " ".join(x for x in ((source.document if source else None), (source.table if source else None)) if x)
        extends = f"（扩展 {pack.extends}）" if pack.extends else ""
        numbers = [str(counts[k]) for k in ("total", "constraint", "expected", "reference")] if counts["total"] \
            else ["—"] * 4
        table.add_row(pack.id, (pack.title or "") + extends, *numbers, others, where)
    stdout_console().print(table)


@rules_app.command("show")
def show(pack_id: str = typer.Argument(..., metavar="指标体系", show_default=False,
                                       help="指标体系的 id（见 ecoplan rules list）或规则文件。")) -> None:
    """以表格显示一个指标体系：编号（工作簿的指标编号填这个）、序号、名称、单位、指标值、属性（及规划目标）。"""
    # lazy: typer loads all command modules (--help, rules); rich (~55 ms) and the loader only when rules show runs
    from rich.table import Table
    from rich.text import Text

    from ecoplan.render.console import stdout_console
    from ecoplan.report.assessment import ATTRIBUTE_LABELS, part_heading
    from ecoplan.rules.loader import load_pack
    from ecoplan.rules.pack import part_of

    pack = load_pack(pack_id)
    target_years = sorted({y for _, leaf in pack.leaves() for y in leaf.targets} | set(pack.target_years))
    table = Table(title=f"{pack.id} · {pack.title}", header_style="bold")
    # 编号 is what a workbook's 指标编号 takes (4.1, R1); 序号 is the number the document prints (1…27, then 1…5).
    columns = ("编号", "序号", "名称", "单位", "指标值", "属性", *[f"{y}年目标" for y in target_years])
    for column in columns:
        table.add_column(column, overflow="fold")
    inferred: list[str] = []
    for part in pack.parts():
        tops = [top for top in pack.indicators if part_of(top) == part]
        table.add_section()
        heading = part_heading(part, [top.attribute for top in tops], pack.source.table if pack.source else None,
                               "table" in pack.parts())
        table.add_row("", "", Text(heading, style="bold cyan"), *[""] * (len(columns) - 3))
        for top in tops:
            for node in top.walk():
                sub = node is not top
                targets = [(node.targets[y].text or node.targets[y].criterion.describe()) if y in node.targets
                           else "" for y in target_years]
                attribute = "" if sub else ATTRIBUTE_LABELS.get(node.attribute or "", "")
                mark = " ※" if node.inferred else ""  # not printed in the document: the reason is listed below
                if node.inferred and (not sub or node.inferred != top.inferred):  # an item's own reason, once
                    inferred.append(f"※ {node.id} {node.label}：{node.inferred}")
                table.add_row(node.id, "" if sub else (node.seq or node.id), ("  └ " if sub else "") + node.label
                              + mark, node.unit or "", node.criterion_text(), attribute, *targets)
            for support in top.support:  # a sentence restating the target: shown with it, not counted again
                table.add_row("", "", Text(f"  ↳ 文中重申（第 {support.line} 行）：{support.text}", style="dim"),
                              *[""] * (len(columns) - 3))
    console = stdout_console()
    console.print(table)
    if inferred:
        console.print("※ 推定（文件未印出，由指标体系推定；判定理由中注明）：", style="bold")
        for line in inferred:
            console.print(line)



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


@rules_app.command("import")
def import_plan(
    plan: Path = typer.Argument(..., metavar="规划文件", show_default=False,
                                help="Word 文档（.docx）或工作簿附件（.xlsx、.xls、.ods）。"),
    table: int | None = typer.Option(None, "--table", metavar="N",
                                     help="文件中有多个指标表时，导入第 N 个（不给则列出它们）。"),
    pack_id: str | None = typer.Option(None, "--id", metavar="id", help="指标体系的 id（默认取 -o 的文件名）。"),
    output: Path | None = output_option("写出规则文件（.yaml）；不给或为 - 表示标准输出。"),
    force: bool = typer.Option(False, "--force", help="覆盖已有的文件。"),
) -> None:
    """把规划文件中的指标表导入为指标体系草稿：每行一个指标，判据读自表中的文字，读不出的写成 manual。"""
    # lazy: typer loads all command modules (--help, rules); the importer (python-docx, pydantic) only when it runs
    from ecoplan.errors import InputError
    from ecoplan.rules.importer.plan import PACK_ID, SeveralTables
    from ecoplan.rules.importer.plan import import_plan as run_import
    from ecoplan.rules.importer.summary import report

    target = output
    if target is not None:
        # lazy: ecoplan.files pulls in tempfile; only -o needs it
        from ecoplan.files import guard_output

        guard_output(target, [plan])  # a folder, or the plan itself
        if target.exists() and not target.is_file():
            raise InputError("不是普通文件（设备、管道或套接字）；-o 需要一个 .yaml 文件的路径", str(target))
        if target.suffix.lower() not in (".yaml", ".yml"):
            raise InputError("规则文件以 .yaml 结尾；请给出以 .yaml 结尾的文件名", str(target))
        if pack_id is None:
            pack_id = target.stem
        elif pack_id != target.stem:
            raise InputError(f"--id {pack_id} 与文件名 {target.name} 不一致；指标体系按文件名查找，两者应相同",
                             str(target))
        if target.exists() and not force:
            # a draft over a reviewed pack would undo the review
            raise InputError("文件已存在；请用 -o 换一个路径，或加 --force 覆盖它", str(target))
    pack_id = pack_id or _slug(plan.stem)
    if not PACK_ID.match(pack_id):
        raise InputError(f"“{pack_id}”不能作指标体系 id（只能用小写字母、数字和 -）；请用 --id 给出，"
                         "例如 --id my-county-2025", "--id" if output is None else str(output))
    try:
        draft = run_import(plan, pack_id, table)
    except SeveralTables as several:
        print("\n".join(several.listing), file=sys.stderr)
        raise typer.Exit(2) from None
    if target is None:
        sys.stdout.write(draft.text)
        sys.stdout.flush()
        written = "草稿已输出到标准输出"
    else:
        # lazy: ecoplan.files pulls in tempfile; only -o needs it
        from ecoplan.files import write_atomic

        write_atomic(target, draft.text)
        written = f"已写出 {target}"
    print("\n".join(report(draft.imported, written)), file=sys.stderr)


def _slug(stem: str) -> str:
    """A pack id from a file name (Plan_2025 → plan-2025); 'imported-plan' when the name has no ASCII word."""
    words = "".join(ch.lower() if ch.isascii() and ch.isalnum() else "-" for ch in stem).strip("-")
    return "-".join(w for w in words.split("-") if w) or "imported-plan"
