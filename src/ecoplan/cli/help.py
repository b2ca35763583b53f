"""How the command line reads and explains itself: typer's command and group classes with Chinese help that fits
the terminal, and short options that take `=` as their long forms do.

Help goes through click's own hooks: the context's formatter class (a HelpFormatter that measures Chinese as two
columns and breaks lines only where a reader would), each command's `format_options`, `format_commands` and usage
pieces (Chinese headings, defaults and placeholders in place of typer's English and its `<list[Path]>`), and the
help option's text. Every command of the app gets these classes from `App` (cli/app.py), so a command added later
has them too; tests/test_cli_help.py checks every command's help at 80 and 120 columns in a pty.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ecoplan.errors import InputError
from ecoplan.render.wrap import break_points, line_spans
from ecoplan.render.wrap import width as columns

# click's usage errors, as typer ships it (typer.core reaches click through this attribute).
_errors: Any = typer.core._click.exceptions

# typer's Context and HelpFormatter: `typer.Context` is the context class every command makes.
HelpFormatterBase: Any = typer.Context.formatter_class

HELP_TEXT = "显示此帮助并退出。"
USAGE = "用法："
# Placeholders for values by their type, when a parameter names none of its own (`metavar=`).
PLACEHOLDERS: dict[Any, str] = {int: "整数", float: "数值", str: "文本", Path: "路径", bool: "是或否"}

# Lines break by the one rule of render/wrap.py (Chinese as two columns, never inside an option, a path or a number
# with its unit, never before closing or after opening punctuation), and help adds one thing: a bracket that fits
# on a line ("[默认：table]", "（.json .csv .md）") is kept whole.
_OPENING = {"(": ")", "[": "]", "{": "}", "<": ">", "（": "）", "「": "」", "【": "】", "《": "》", "`": "`"}


def _brackets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost bracketed group of `text`, brackets included."""
    groups: list[tuple[int, int]] = []
    closing: list[str] = []
    opened = 0
    for index, char in enumerate(text):
        if closing and char == closing[-1]:
            closing.pop()
            if not closing:
                groups.append((opened, index + 1))
        elif char in _OPENING:
            if not closing:
                opened = index
            closing.append(_OPENING[char])
    return groups


def wrap(text: str, size: int) -> list[str]:
    """`text` (one paragraph; its line breaks are joined) in lines of at most `size` columns, broken by the rule
    and never inside a bracket that fits on a line; a word longer than a line (a very long path) is cut as the
    rule cuts it."""
    text = _one_line(text)
    allowed = break_points(text)
    for start, end in _brackets(text):
        if columns(text[start:end]) <= size:
            allowed[start + 1:end] = [False] * (end - start - 1)
    return [text[a:b] for a, b in line_spans(text, size, allowed=allowed) if b > a]


def _one_line(text: str) -> str:
    """A paragraph's lines joined: with a space between words, without one where Chinese meets the line break."""
    joined = ""
    for line in (part.strip() for part in text.splitlines()):
        if not line:
            continue
        if joined and not (columns(joined[-1]) == 2 or columns(line[0]) == 2):
            joined += " "
        joined += line
    return re.sub(r" {2,}", " ", joined)


class HelpFormatter(HelpFormatterBase):  # type: ignore[misc]
    """click's help formatter, measuring Chinese as two columns and breaking lines between words or characters."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        """`用法：ecoplan assess [选项] 文件...`, continued under the arguments when it is long."""
        start = f"{' ' * self.current_indent}{USAGE if prefix is None else prefix}{prog} "
        room = self.width - columns(start)
        if room < 20:  # a long command path: the arguments go on the lines below
            self.write(start.rstrip() + "\n")
            start, room = " " * (self.current_indent + 4), self.width - self.current_indent - 4
        lines = wrap(args, room) or [""]
        self.write(start + lines[0] + "\n")
        for line in lines[1:]:
            self.write(" " * columns(start) + line + "\n")

    def write_heading(self, heading: str) -> None:
        """`选项：`."""
        self.write(f"{' ' * self.current_indent}{heading}：\n")

    def write_text(self, text: str) -> None:
        """Paragraphs (separated by blank lines) wrapped at the width; a paragraph whose first line is `\\b` is
        printed as written (an example command)."""
        indent = " " * self.current_indent
        out: list[str] = []
        for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
            lines = paragraph.splitlines()
            if lines and lines[0].strip() == "\b":
                out.append("\n".join(indent + line.rstrip() for line in lines[1:]))
            else:
                out.append("\n".join(indent + line for line in wrap(paragraph, self.width - self.current_indent)))
        self.write("\n\n".join(out) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """Two columns: the term, and its text wrapped beside it (under it when the term is wider than col_max)."""
        rows = list(rows)
        if not rows:
            return
        first = min(max(columns(term) for term, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        for term, text in rows:
            lines = wrap(text, max(self.width - self.current_indent - first, 10)) if text else []
            if columns(term) > first - col_spacing:
                self.write(f"{indent}{term}\n")
            elif lines:
                self.write(f"{indent}{term}{' ' * (first - columns(term))}{lines.pop(0)}\n")
            else:
                self.write(f"{indent}{term}\n")
            for line in lines:
                self.write(f"{indent}{' ' * first}{line}\n")


class Context(typer.Context):
    """The context of every ecoplan command: its help is written with HelpFormatter."""

    formatter_class = HelpFormatter


def placeholder(param: Any) -> str:
    """What a parameter's value is called in help: its `metavar`, else its choices (`table|json`), else its type in
    Chinese; `...` after one that takes several values."""
    descriptor = param.type_descriptor
    annotation = descriptor.annotation
    many = descriptor.is_list or param.nargs == -1
    if many:
        annotation = typing_args(annotation)
    if param.metavar:
        name = str(param.metavar)
    elif descriptor.is_choice:
        name = "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
    elif descriptor.is_path:
        name = PLACEHOLDERS[Path]
    else:
        name = PLACEHOLDERS.get(annotation, "值")
    return name + ("..." if many else "")


def typing_args(annotation: Any) -> Any:
    """The element type of `list[X]`."""
    args = getattr(annotation, "__args__", ())
    return args[0] if args else str


def _default_text(param: Any) -> str | None:
    """The default a help line states, or None (no default worth stating: none, off, empty)."""
    if not param.show_default:
        return None
    default = param.default
    if callable(default) or default in (None, False, "") or default == [] or default == ():
        return None
    if isinstance(default, enum.Enum):
        default = default.value
    return str(default)


def help_record(param: Any) -> tuple[str, str]:
    """(term, text) of one parameter's line: `-o, --output 文件` and its help with 默认, 范围 and 必填 in brackets."""
    if param.param_type_name == "argument":
        term = placeholder(param)
    else:
        term = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
        if param.secondary_opts:
            term += " / " + ", ".join(param.secondary_opts)
        if not param.is_flag and not param.count:
            term += " " + placeholder(param)
    extra = []
    default = _default_text(param)
    if default is not None:
        extra.append(f"默认：{default}")
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None or high is not None:
        extra.append(f"范围：{'' if low is None else low} 到 {'' if high is None else high}".strip())
    if param.required:
        extra.append("必填")
    text = inspect.cleandoc(param.help or "")
    if extra:
        text = f"{text} [{'；'.join(extra)}]".strip()
    return term, text


class _Chinese:
    """What the command and the group share: the context, the help option, the usage line and the options."""

    context_class: Any = Context

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []  # type: ignore[attr-defined]
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if param.param_type_name == "argument":
                name = placeholder(param)
                pieces.append(name if param.required else f"[{name.removesuffix('...')}]"
                              + ("..." if name.endswith("...") else ""))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        records = [(p.param_type_name, help_record(p)) for p in self.get_params(ctx)  # type: ignore[attr-defined]
                   if not p.hidden]
        for kind, heading in (("argument", "参数"), ("option", "选项")):
            rows = [record for k, record in records if k == kind]
            if rows:
                with formatter.section(heading):
                    formatter.write_dl(rows)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """click's parsing, its usage errors said in Chinese (InputError: one line, exit 2, as every usage error)."""
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc,no-any-return]
        except _errors.NoArgsIsHelpError:
            raise
        except _errors.UsageError as exc:
            raise InputError(usage_error(exc, ctx.command_path)) from None

    def make_parser(self, ctx: Any) -> Any:
        """click's parser, with every short option also matched the way long ones are: `-o=out.json` means
        `-o out.json`, as `--output=out.json` does (click alone would read the value as "=out.json")."""
        parser = super().make_parser(ctx)  # type: ignore[misc]
        parser._long_opt.update(parser._short_opt)
        return parser


class Command(_Chinese, TyperCommand):
    """An ecoplan command (see the module docstring)."""


class Group(_Chinese, TyperGroup):
    """The ecoplan app and its `rules` group: the commands listed with the first sentence of their help."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [*super().collect_usage_pieces(ctx), self.subcommand_metavar]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The command `args` name; an unknown one is a usage error that names the commands it may have meant."""
        if args and self.get_command(ctx, args[0]) is None and not args[0].startswith("-"):
            # lazy: difflib only for a mistyped command
            from difflib import get_close_matches

            close = get_close_matches(args[0], list(self.commands))
            hint = f"（是不是 {'、'.join(close)}？）" if close else f"；命令见 {ctx.command_path} --help"
            raise InputError(f"没有命令 {args[0]}{hint}")
        return super().resolve_command(ctx, args)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, summary(command)))
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


def usage_error(exc: Any, command: str) -> str:
    """click's usage error `exc` in `command` said in Chinese, with where to read the usage."""
    param = getattr(exc, "param", None)
    if isinstance(exc, _errors.NoSuchOption):
        text = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            text += f"（是不是 {'、'.join(sorted(exc.possibilities))}？）"
    elif isinstance(exc, _errors.MissingParameter) and param is not None:
        text = f"缺少{'参数' if param.param_type_name == 'argument' else '选项'} {param_name(param)}"
    elif isinstance(exc, _errors.BadParameter) and param is not None:
        text = f"{param_name(param)} 的值无效：应为{expected(param)}"
    elif isinstance(exc, _errors.BadOptionUsage):
        takes_none = "does not take" in exc.message  # click's other cause: the option's value is missing
        text = f"选项 {exc.option_name} {'不带值' if takes_none else '后面要跟一个值'}"
    elif (extra := re.fullmatch(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", exc.message)) is not None:
        text = f"多余的参数：{extra.group(1)}"
    else:
        text = f"用法不对（{exc.message}）"
    return f"{text}；用法见 {command} --help"


def param_name(param: Any) -> str:
    """How a usage error names a parameter: an option by its long name, an argument by its placeholder."""
    if param.param_type_name == "argument":
        return placeholder(param).removesuffix("...")
    return max(param.opts, key=len) if param.opts else str(param.name)


def expected(param: Any) -> str:
    """What a parameter's value must be, in words."""
    descriptor = param.type_descriptor
    annotation = typing_args(descriptor.annotation) if descriptor.is_list else descriptor.annotation
    if descriptor.is_choice:
        return "以下之一：" + "、".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if annotation is int and low is not None and high is not None:
        return f" {low} 到 {high} 之间的整数"
    return {int: "整数", float: "数值"}.get(annotation, "有效的" + PLACEHOLDERS.get(annotation, "值"))


def summary(command: Any) -> str:
    """A command's line in its group's list: its short help, else the first sentence of its help."""
    text = inspect.cleandoc(command.short_help or command.help or "")
    first = text.split("\n\n")[0]
    end = first.find("。")
    return " ".join((first[:end + 1] if end >= 0 else first).split())
