"""The options the commands share: their typer declarations (written once here), the format choices, `-o` by
extension (or `-` for standard output), the year range of --year."""

from __future__ import annotations

import enum
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from ecoplan.errors import InputError
from ecoplan.version import __version__


class AssessFormat(enum.StrEnum):
    """Formats of one attainment report (assess)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"
    docx = "docx"


class BatchFormat(enum.StrEnum):
    """Formats of a batch report."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    markdown = "markdown"
    xlsx = "xlsx"
    docx = "docx"
    html = "html"


class CheckFormat(enum.StrEnum):
    """Formats of a `check` report."""

    table = "table"
    json = "json"
    junit = "junit"
    markdown = "markdown"
    github = "github"


class FailOn(enum.StrEnum):
    """Which unmet indicators make the command exit 1."""

    never = "never"
    not_met = "not_met"
    constraint = "constraint"


class PartChoice(enum.StrEnum):
    """Which part of a pack the gate (--fail-on) and the batch ranking judge (ecoplan.report.assessment.selects)."""

    table = "table"
    text = "text"
    project = "project"
    all = "all"


# What `-o FILE` means when --format is not given: the format its extension names (DESIGN.md, "Command line").
FORMAT_OF_SUFFIX = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
                    ".xlsx": "xlsx", ".docx": "docx", ".html": "html", ".htm": "html", ".xml": "junit",
                    ".txt": "table"}
BINARY = frozenset({"xlsx", "docx"})  # formats that are files, not text: never sent to a terminal
STDOUT = "-"  # `-o -`: standard output, as if -o were not given


def choose_format(given: enum.Enum | str | None, output: Path | None, allowed: type[enum.Enum] | Sequence[str],
                  default: str = "table") -> str:
    """The format to write: --format if given, else the one -o's extension names, else `default`.

    Usage errors (InputError, exit 2): an -o extension that no format has (`-o out.pdf`), or one this command cannot
    write; a contradiction (--format json -o report.xlsx; a .txt file holds any text format); and a binary format
    (xlsx, docx) sent to a terminal. An -o path without an extension takes --format or the default."""
    names = [str(getattr(member, "value", member)) for member in allowed]
    chosen = str(getattr(given, "value", given)) if given is not None else None
    implied = None
    if output is not None and output.suffix:
        implied = FORMAT_OF_SUFFIX.get(output.suffix.lower())
        if implied is None:
            raise InputError(f"{output.name}：{output.suffix} 不是任何一种输出格式的扩展名；此命令可写的扩展名："
                             f"{_suffixes(names)}", "--output")
        if chosen is not None and chosen != implied and not (implied == "table" and chosen not in BINARY):
            raise InputError(f"--format {chosen} 与 -o {output.name} 的扩展名（{implied}）矛盾；去掉其中一个，"
                             "或让扩展名与格式一致", "--format")
        if chosen is None and implied not in names:
            raise InputError(f"{output.name}：此命令不能写 {implied} 格式；可写的扩展名：{_suffixes(names)}",
                             "--output")
    result = chosen or implied or default
    if result in BINARY and output is None and sys.stdout.isatty():
        raise InputError(f"{result} 是二进制文件，不能写到终端：请用 -o 给出文件名（例如 -o 报告.{result}），"
                         f"或重定向到文件（> 报告.{result}）", "--format")
    return result


def _suffixes(formats: Sequence[str]) -> str:
    """The -o extensions that name one of `formats` (.txt for the terminal table), or a note that none does."""
    found = [suffix for suffix, fmt in FORMAT_OF_SUFFIX.items() if fmt in formats]
    return " ".join(found) if found else "（无；请用 --format 选择格式）"


def stdout_dash(output: Path | None) -> Path | None:
    """`-o -` is standard output: the same as no -o (a typer callback on every -o)."""
    return None if output is not None and str(output) == STDOUT else output


def check_year(year: int | None) -> int | None:
    """--year must be a year a workbook can hold (a typer callback on every --year): an impossible one is a usage
    error, not a year with no data."""
    # lazy: the workbook contract's module only when --year is given (the command reads workbooks next anyway)
    from ecoplan.workbook.profile import FIRST_YEAR, LAST_YEAR

    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"应为 {FIRST_YEAR} 到 {LAST_YEAR} 之间的年份（例如 2023），收到 {year}", "--year")
    return year


# The options several commands share, declared once (typer reads each from the command function's defaults).
def pack_option(help: str = "指标体系的 id 或规则文件（默认：工作簿填写的指标体系）。") -> Any:
    """--pack / -p."""
    return typer.Option(None, "--pack", "-p", metavar="指标体系", help=help)


def year_option(help: str = "评估的年度（默认：工作簿填写的评估年度）。") -> Any:
    """--year / -y, a usage error outside the years a workbook may name."""
    return typer.Option(None, "--year", "-y", metavar="年度", callback=check_year, help=help)


def format_option(formats: type[enum.Enum]) -> Any:
    """--format / -f, with the command's formats listed in its help."""
    names = "、".join(str(member.value) for member in formats)
    return typer.Option(None, "--format", "-f", metavar="格式", show_choices=False,
                        help=f"输出格式：{names}（默认：按 -o 的扩展名，否则 table）。")


def output_option(help: str = "把报告写入此文件，格式按扩展名；- 表示标准输出。", default: Path | None = None) -> Any:
    """--output / -o: `-` is standard output."""
    return typer.Option(default, "--output", "-o", metavar="文件", callback=stdout_dash, help=help)


def fail_on_option(default: FailOn, help: str = "此类指标未达标或没有数值时，退出码为 1") -> Any:
    """--fail-on, with its choices in its help."""
    names = "、".join(member.value for member in FailOn)
    return typer.Option(default, "--fail-on", metavar="条件", show_choices=False, help=f"{help}：{names}。")


def part_option() -> Any:
    """--part: the part of each pack the gate and the ranking judge (the table by default)."""
    return typer.Option(PartChoice.table, "--part", metavar="部分", show_choices=False,
                        help="--fail-on 和排名所依据的部分：table 指标表（没有指标表的文件：全部目标）、text 正文目标、"
                             "project 重大工程、all 全部。")


def strict_option() -> Any:
    """--strict."""
    return typer.Option(False, "--strict", help="把未下达、未考核、文字声明和估算值报告为待核实，"
                        "而不按指标体系的约定处理。")


def print_version() -> None:
    """`ecoplan --version`: answered before typer loads (cli/main.py) and declared for `--help` (cli/app.py)."""
    print(f"ecoplan {__version__}")
