"""`ecoplan rules list | show ID | lint [FILE...] | schema`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ecoplan.cli.app import rules_app
from ecoplan.cli.options import choose_format, output_option
from ecoplan.run.discover import discover
from ecoplan.vocabulary import PART_LABELS

if TYPE_CHECKING:
    from ecoplan.rules.yaml_source import RuleProblem


@rules_app.command("list")
def list_packs() -> None:
    """列出每个指标体系及其指标数（约束性 / 预期性 / 参考性）和来源。"""
    # lazy: typer loads all command modules (--help, rules); rich (~55 ms) and the loader only when rules list runs
    from rich.table import Table
    from rich.text import Text

    from ecoplan.render.console import stdout_console
    from ecoplan.render.terminal import READABLE, Cell, fits, print_wrapped, whole
    from ecoplan.rules.loader import available_packs, load_pack

    rows = []  # id, name, the table's counts (— for a document without a table), the other parts, the source
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
        rows.append((pack.id, (pack.title or "") + extends, numbers, others, where))
    console = stdout_console()
    title = f"ecoplan 指标体系（{len(rows)} 个）"
    table = Table(header_style="bold")
    for column in ("id", "名称", "指标", "约束性", "预期性", "参考性", "另计", "来源"):
        table.add_column(column, no_wrap=column not in ("名称", "另计", "来源"))
    for pack_id, name, numbers, others, where in rows:
        table.add_row(whole(pack_id), Cell(name, READABLE), *(whole(n) for n in numbers), Cell(others),
                      Cell(where, READABLE))
    print_wrapped(console, Text(title, style="bold"), hanging=2)
    if rows:  # the command on a line of its own: copied whole
        print_wrapped(console, Text(f"查看一个指标体系的指标：ecoplan rules show {rows[0][0]}", style="dim"), hanging=2)
    if fits(console, table):
        console.print(table)
        return
    for pack_id, name, numbers, others, where in rows:  # one block per pack: its id first, whole, as it is typed
        console.print()
        print_wrapped(console, Text.assemble((pack_id, "bold"), "  ", name), hanging=4)
        total, constraint, expected, reference = numbers
        counted = (f"指标表 {total} 项：约束性 {constraint}，预期性 {expected}，参考性 {reference}" if total != "—"
                   else "没有指标表")
        print_wrapped(console, counted + (f"；另计 {others}" if others else ""), indent=4, hanging=6)
        if where:
            print_wrapped(console, Text(f"来源：{where}", style="dim"), indent=4, hanging=6)


@rules_app.command("show")
def show(pack_id: str = typer.Argument(..., metavar="指标体系", show_default=False,
                                       help="指标体系的 id（见 ecoplan rules list）或规则文件。")) -> None:
    """以表格显示一个指标体系：编号（工作簿的指标编号填这个）、序号、名称、单位、指标值、属性（及规划目标）。"""
    # lazy: typer loads all command modules (--help, rules); rich (~55 ms) and the loader only when rules show runs
    from rich.table import Table
    from rich.text import Text

    from ecoplan.render.console import stdout_console
    from ecoplan.render.table import print_details
    from ecoplan.render.terminal import READABLE, Cell, fits, print_wrapped, whole
    from ecoplan.report.assessment import ATTRIBUTE_LABELS, part_heading
    from ecoplan.rules.loader import load_pack
    from ecoplan.rules.pack import part_of

    pack = load_pack(pack_id)
    target_years = sorted({y for _, leaf in pack.leaves() for y in leaf.targets} | set(pack.target_years))
    years = [f"{y}年目标" for y in target_years]
    parts = []  # per part: its heading, and its rows: 编号, 序号, 名称 (└ a sub-item, ※ inferred), 单位, 指标值,
    inferred: list[str] = []  # 属性, the plan's targets by year — or a sentence of the text restating a target
    for part in pack.parts():
        tops = [top for top in pack.indicators if part_of(top) == part]
        heading = part_heading(part, [top.attribute for top in tops], pack.source.table if pack.source else None,
                               "table" in pack.parts())
        rows: list[tuple[str, str, str, str, str, str, list[str]]] = []
        for top in tops:
            for node in top.walk():
                sub = node is not top
                targets = [(node.targets[y].text or node.targets[y].criterion.describe()) if y in node.targets
                           else "" for y in target_years]
                attribute = "" if sub else ATTRIBUTE_LABELS.get(node.attribute or "", "")
                mark = " ※" if node.inferred else ""  # not printed in the document: the reason is listed below
                if node.inferred and (not sub or node.inferred != top.inferred):  # an item's own reason, once
                    inferred.append(f"※ {node.id} {node.label}：{node.inferred}")
                rows.append((node.id, "" if sub else (node.seq or node.id), ("  └ " if sub else "") + node.label
                             + mark, node.unit or "", node.criterion_text(), attribute, targets))
            # a sentence restating the target: shown with it, not counted again
            rows.extend(("", "", f"  ↳ 文中重申（第 {s.line} 行）", "", s.text, "", []) for s in top.support)
        parts.append((heading, rows))
    console = stdout_console()
    print_wrapped(console, Text(f"{pack.id} · {pack.title}", style="bold"), hanging=2)
    tables = []
    for _, rows in parts:
        table = Table(header_style="bold")
        # 编号 is what a workbook's 指标编号 takes (4.1, R1); 序号 is the number the document prints (1…27, 1…5).
        for column in ("编号", "序号", "名称", "单位", "指标值", "属性", *years):
            table.add_column(column, no_wrap=column in ("编号", "序号", "名称", "单位", "属性"))
        for number, seq, name, unit, criterion, attribute, targets in rows:
            table.add_row(whole(number), whole(seq), whole(name), whole(unit), Cell(criterion, READABLE),
                          whole(attribute), *(Cell(t, READABLE) for t in targets or [""] * len(years)))
        tables.append(table)
    wide = all(fits(console, table) for table in tables)  # one layout for every part
    if not wide:  # one block per indicator: 编号 (what the workbook takes) and the name, the rest below it
        print_wrapped(console, Text("每项：编号（工作簿的指标编号）、名称、属性；其下：单位、指标值、规划目标",
                                    style="dim"), hanging=2)
    for (heading, rows), table in zip(parts, tables, strict=True):
        console.print()
        print_wrapped(console, Text(heading, style="bold cyan"), hanging=2)
        if wide:
            console.print(table)
            continue
        id_width = max([len(row[0]) for row in rows] + [1]) + 2
        for number, seq, name, unit, criterion, attribute, targets in rows:
            if not number:  # a sentence of the text restating the target above
                print_wrapped(console, Text(f"{name.strip()}：{criterion}", style="dim"), indent=id_width,
                              hanging=id_width + 2)
                continue
            sub = name.startswith(" ")
            head = Text(number.ljust(id_width), style="bold")
            head.append(name.strip(), style="" if sub else "bold")
            if seq and seq != number:
                head.append(f"（序号 {seq}）")
            if attribute:
                head.append(f"  {attribute}", style="dim")
            segments = [Text(f"{label} {value}") for label, value in (("单位", unit.strip("-—")), ("指标值", criterion),
                                                                      *zip(years, targets, strict=True)) if value]
            print_details(console, head, segments)
    if inferred:
        console.print()
        print_wrapped(console, Text("※ 推定（文件未印出，由指标体系推定；判定理由中注明）：", style="bold"), hanging=2)
        for line in inferred:
            print_wrapped(console, line, hanging=4)


@rules_app.command("lint")
def lint(files: list[Path] | None = typer.Argument(None, metavar="规则文件或文件夹", show_default=False,
                                                  help="规则文件或存放规则文件的文件夹（默认：随附的全部指标体系）。"
                                                  )) -> None:
    """检查规则文件：每个问题一行（文件:行:列: 代码: 说明），按文件和行的顺序（在终端上按宽度折行）。

    文件夹代表其中的 *.yaml 和 *.yml 文件（像 batch 和 check 一样递归查找；其他文件列为已跳过）。有文件存在问题时
    退出码为 1；有文件完全无法读取时为 2（它仍会列出）。"""
    # lazy: typer loads all command modules (--help, rules); the loader only when rules lint runs
    from ecoplan.render.console import page_width, read_on_terminal
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
    # One line per problem for editors and CI problem matchers; wrapped where a person reads it as it is written.
    size = page_width(sys.stdout) if read_on_terminal(sys.stdout) else None
    for path in paths:
        for problem in check_file(path):
            count += 1
            unreadable = unreadable or problem.code == "unreadable"
            print("\n".join(problem_lines(problem, size)) if size else problem)
    if count:
        print(f"{len(paths)} 个文件中有 {count} 个问题", file=sys.stderr)
        raise typer.Exit(2 if unreadable else 1)
    print(f"已检查 {len(paths)} 个文件，没有问题", file=sys.stderr)


def problem_lines(problem: RuleProblem, size: int) -> list[str]:
    """A lint problem, "file:line:col: code: message", for a person at a terminal: wrapped to `size` columns by
    the rule of render/wrap.py (never inside the path or the code), its further lines indented."""
    # lazy: the wrapping rule only when rules lint prints a problem on a terminal
    from ecoplan.render.wrap import wrap

    return wrap(str(problem), size, " " * LINT_INDENT)


LINT_INDENT = 4


@rules_app.command("schema")
def schema(output: Path | None = output_option("把 Schema 写入此文件（.json）；- 表示标准输出。")) -> None:
    """输出规则文件格式的 JSON Schema（rules/schema.json），供编辑器使用。"""
    # lazy: typer loads all command modules (--help, rules); the schema export only when rules schema runs
    from ecoplan.rules.schema_export import pack_schema

    choose_format(None, output, ("json",), default="json")
    text = json.dumps(pack_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is not None:
        # lazy: the output checks only for rules schema -o
        from ecoplan.files import guard_output, write_atomic

        guard_output(output, [])
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
        # lazy: the output checks only for -o
        from ecoplan.files import guard_output

        guard_output(target, [plan])  # the plan itself, or anything but a regular file (files.check_target)
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
        # lazy: the writer only for -o
        from ecoplan.files import write_atomic

        write_atomic(target, draft.text)
        written = f"已写出 {target}"
    print("\n".join(report(draft.imported, written)), file=sys.stderr)


def _slug(stem: str) -> str:
    """A pack id from a file name (Plan_2025 → plan-2025); 'imported-plan' when the name has no ASCII word."""
    words = "".join(ch.lower() if ch.isascii() and ch.isalnum() else "-" for ch in stem).strip("-")
    return "-".join(w for w in words.split("-") if w) or "imported-plan"
