"""The choices the commands' options take, shared by the typer commands and the fast path (no typer here: the
fast path reads them without importing it)."""

from __future__ import annotations

import enum
from pathlib import Path

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


PART_HELP = ("--fail-on 和排名所依据的部分：table 指标表（没有指标表的文件：全部目标）、text 正文目标、"
             "project 重大工程、all 全部。")


# What `-o FILE` means when --format is not given: the format its extension names (DESIGN.md, "Command line").
FORMAT_OF_SUFFIX = {".json": "json", ".jsonl": "jsonl", ".csv": "csv", ".md": "markdown", ".markdown": "markdown",
                    ".xlsx": "xlsx", ".docx": "docx", ".html": "html", ".htm": "html", ".xml": "junit",
                    ".txt": "table"}
WRITES_A_FILE = frozenset({"xlsx", "docx"})  # binary formats: never sent to a terminal


def choose_format(given: enum.Enum | str | None, output: Path | None, allowed: type[enum.Enum],
                  default: str = "table") -> str:
    """The format to write: --format if given, else the one -o's extension names, else `default`.

    A contradiction (--format json -o report.xlsx) and an extension this command cannot write are usage errors
    (InputError, exit 2); an output path without a known extension takes --format or the default."""
    names = [str(member.value) for member in allowed]
    chosen = getattr(given, "value", given)
    implied = FORMAT_OF_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if output is not None and chosen is not None and implied is not None and implied not in (chosen, "table"):
        raise InputError(f"--format {chosen} 与 -o {output.name} 的扩展名（{implied}）矛盾；去掉其中一个，"
                         "或让扩展名与格式一致", "--format")
    if output is not None and chosen is None and implied is not None and implied not in names:
        raise InputError(f"-o {output.name}：该命令不能写 {implied} 格式（可用：{'、'.join(names)}）；"
                         "换一个扩展名或给出 --format", "--output")
    result = str(chosen or implied or default)
    if result in WRITES_A_FILE and output is None:
        raise InputError(f"--format {result} 写出的是文件：请用 -o 给出文件名，例如 -o report.{result}", "--format")
    return result


def print_version() -> None:
    """`ecoplan --version`: answered before typer loads (cli/main.py) and declared for `--help` (cli/app.py)."""
    print(f"ecoplan {__version__}")
