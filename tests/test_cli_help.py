"""Every command's --help, as a person reads it in a terminal: it fits 80 (and 120) columns with Chinese counted as
two, breaks lines only between words or Chinese characters, and is Chinese throughout. The commands are enumerated
from the app, so a command added later is checked too."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import termios
from typing import Any

import pytest
from rich.cells import cell_len

from conftest import start_cli

# English that typer and click print unless told otherwise.
ENGLISH = ("Usage", "Options", "Arguments", "Commands", "default", "required", "Show this message", "[OPTIONS]",
           "COMMAND", "ARGS", "<", "list[", "Path", "Try ", "Error")


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    """(path of words after `ecoplan`, click command) of the app, groups included, the app itself first."""
    import typer.main

    from ecoplan.cli.main import typer_app

    found: list[tuple[tuple[str, ...], Any]] = []

    def visit(path: tuple[str, ...], command: Any) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            visit((*path, name), sub)

    visit((), typer.main.get_command(typer_app()))
    return found


COMMANDS = _commands()
PATHS = [path for path, _ in COMMANDS]


def run_in_pty(args: list[str], columns: int) -> tuple[int, str]:
    """Run `ecoplan ARGS` with a terminal of `columns` columns as its stdin, stdout and stderr; (exit code, output)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = start_cli(*args, stdin=slave, stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=120)
    return code, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_the_app_has_every_command_and_group() -> None:
    assert {" ".join(p) for p in PATHS} >= {"", "assess", "check", "batch", "report", "template", "rules",
                                            "rules list", "rules show", "rules lint", "rules schema"}


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "ecoplan" for p in PATHS])
def test_help_fits_the_terminal_breaks_only_where_a_reader_would_and_is_chinese(
        path: tuple[str, ...], command: Any, columns: int) -> None:
    code, text = run_in_pty([*path, "--help"], columns)
    assert code == 0, text
    lines = text.rstrip("\n").split("\n")
    too_wide = [f"{cell_len(line)}: {line}" for line in lines if cell_len(line) > columns]
    assert too_wide == [], "\n".join(too_wide)
    assert lines[0].startswith(f"用法：{' '.join(('ecoplan', *path))} ")
    assert "选项：" in lines and "-h, --help" in text
    assert "显示此帮助并退出。" in text
    for word in ENGLISH:
        assert word not in text, f"{word!r} in the help of {path}:\n{text}"
    # Never inside an option name or a bracket: every option is whole on a line, every bracket closes on its line.
    for param in command.params:
        for name in (*param.opts, *param.secondary_opts):
            if name.startswith("-"):
                assert re.search(rf"(^|[ ,，（]){re.escape(name)}($|[ ,，。；）])", text, re.M), (name, text)
    for line in lines:
        for opening, closing in ("[]", "（）", "()"):
            assert line.count(opening) == line.count(closing), f"a bracket broken across lines: {line!r}"
        assert not re.match(r"\s*[，。、；：）」！？]", line), f"a line starting with closing punctuation: {line!r}"


def test_the_app_says_what_it_does_in_two_lines_and_the_command_to_start_with() -> None:
    code, text = run_in_pty(["--help"], 80)
    assert code == 0
    paragraphs = text.split("\n\n")
    about = paragraphs[1].strip().split("\n")
    assert len(about) == 2, paragraphs[1]
    assert "评估" in about[0]
    assert "ecoplan assess " in about[1]


def test_a_path_in_the_help_text_is_never_broken() -> None:
    code, text = run_in_pty(["assess", "--help"], 80)
    assert code == 0
    assert "ecoplan assess yubei-2022.xlsx yubei-2023.xlsx" in text
    assert ".xlsx .xlsm .xls .ods" in text


def test_no_arguments_prints_the_help() -> None:
    code, text = run_in_pty([], 80)
    assert code == 2 and text.startswith("用法：ecoplan ")


def test_every_command_has_a_help_line_in_its_group() -> None:
    for path, command in COMMANDS:
        if path:
            assert command.help, f"ecoplan {' '.join(path)} has no help"


SAMPLE = ("把报告写入此文件，格式按扩展名（.json .csv .md）；例如 ecoplan assess data/yubei-2023.xlsx "
          "-o=out.json --fail-on constraint，或 [默认：never；范围：0 到 10] 之后继续写很长的中文说明文字直到换行。")


@pytest.mark.parametrize("width", range(24, 81, 4))
def test_wrap_breaks_between_words_and_chinese_characters_only(width: int) -> None:
    from ecoplan.cli.help import wrap

    lines = wrap(SAMPLE, width)
    assert all(cell_len(line) <= width for line in lines), lines
    assert "".join(lines).replace(" ", "") == SAMPLE.replace(" ", "")  # nothing lost, nothing added
    # every word of ASCII (an option, a path, a number) whole on one line
    for word in re.findall(r"[A-Za-z0-9=_./-]+", SAMPLE):
        assert any(re.search(rf"(?<![A-Za-z0-9=_./-]){re.escape(word)}(?![A-Za-z0-9=_./-])", line)
                   for line in lines), (word, lines)
    # a bracket that fits on a line is never broken
    for group in re.findall(r"\[[^]]*\]|（[^）]*）", SAMPLE):
        if cell_len(group) <= width:
            assert any(group in line for line in lines), (group, lines)
    assert not any(re.match(r"[，。；：）]", line) for line in lines), lines


def test_wrap_measures_chinese_as_two_columns() -> None:
    from ecoplan.cli.help import wrap

    assert wrap("评估区县工作簿", 8) == ["评估区县", "工作簿"]
    # longer than a line: cut where the one rule cuts a word (render/wrap.py), after its last "-" that fits
    assert wrap("assess yubei-2023.xlsx", 10) == ["assess", "yubei-", "2023.xlsx"]
