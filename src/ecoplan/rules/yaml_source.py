"""Reading a rule file: safe YAML with a line and column for every key, and the limits that keep a hostile file
from exhausting the machine. Problems are `RuleProblem`s at file:line:col with a stable code.

YAML is read with the C SafeLoader when available (8–11× faster than the pure-Python one, see
reference/deps-perf.md); tags such as ``!!python/object`` are refused by the safe loader, and duplicate keys,
which PyYAML would silently overwrite, are errors.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecoplan.errors import InputError

MAX_RULE_FILE_BYTES = 2 * 1024 * 1024
# A pack is a few hundred mappings a handful deep. Deeper nesting crashes the C composer (it recurses: 50,000
# nested "[" is a segfault), and aliases can make a small file stand for billions of values ("billion laughs").
MAX_YAML_DEPTH = 64
MAX_YAML_VALUES = 200_000

@dataclass(frozen=True)
class RuleProblem:
    """One thing wrong with a rule file, at file:line:col, with a stable code."""

    path: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code}: {self.message}"

class RuleError(InputError):
    """A rule file that cannot be used; carries every problem found."""

    def __init__(self, problems: list[RuleProblem]) -> None:
        self.problems = problems
        first = problems[0]
        more = f"（另有 {len(problems) - 1} 个问题）" if len(problems) > 1 else ""
        super().__init__(f"{first.code}: {first.message}{more}", f"{first.path}:{first.line}:{first.column}")

def read_yaml(path: Path) -> tuple[Any, dict[tuple, tuple[int, int]]]:
    """Parse a YAML file safely; return the data and a map from key path to (line, column), 1-based."""
    data, lines, duplicates = read_yaml_lenient(path)
    if duplicates:
        raise RuleError(duplicates)
    return data, lines


# PyYAML's (English) account of a syntax error, said in Chinese: (what its message contains, what to tell the author).
_YAML_REASONS: tuple[tuple[str, str], ...] = (
    ("cannot start any token", "这里的字符不能开始一个值：用了制表符（Tab）缩进（YAML 只能用空格），或 @ ` 等字符开头"
                               "的文字没有加引号"),
    ("unhashable key", "键不能是列表或映射（冒号前不能是 {…} 或 […]）"),
    ("flow sequence", "方括号 [ 没有闭合，或列表项之间缺少逗号"),
    ("flow mapping", "花括号 { 没有闭合，或键值之间缺少逗号"),
    ("expected '-' indicator", "列表项（以 - 开头）的缩进不一致"),
    ("expected <block end>", "缩进不一致：这一行没有与同级的键对齐"),
    ("mapping values are not allowed", "这里不能有冒号：值中含“: ”时请给整个值加引号"),
    ("could not find expected ':'", "缺少冒号（键: 值），或多行文字没有加引号"),
    ("quoted scalar", "引号没有闭合"),
    ("undefined alias", "别名 *… 没有对应的锚点 &…"),
    ("duplicate anchor", "锚点 &… 重复定义"),
)


def yaml_reason(english: str) -> str:
    """PyYAML's message for a syntax error, in Chinese: what is wrong where it points, and the usual fix."""
    for fragment, said in _YAML_REASONS:
        if fragment in english:
            return said
    return "这里不符合 YAML 语法（常见原因：缩进不一致、括号或引号没有闭合、用了制表符）"


def read_yaml_lenient(path: Path) -> tuple[dict, dict[tuple, tuple[int, int]], list[RuleProblem]]:
    """`read_yaml` that returns duplicate keys as problems beside the data (the later value wins in `data`)
    instead of raising, so the rest of the file can still be checked."""
    # lazy: yaml (~20 ms) only when a rule file is read; a cached pack needs none
    import yaml

    text = read_rule_text(path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_depth(yaml.parse(text, Loader=loader), path)  # events are streamed: safe at any depth
        node = yaml.compose(text, Loader=loader)
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if isinstance(exc, yaml.constructor.ConstructorError) and "constructor for the tag" in str(exc.problem):
            # !!python/object and kin: the safe loader refuses them (nothing is constructed or run); say so.
            raise RuleError([RuleProblem(str(path), line, col, "unsafe-tag", f"{reason}；规则文件不得使用 "
                                         "!!python/… 这类语言专用标签")]) from None
        raise RuleError([RuleProblem(str(path), line, col, "yaml-syntax",
                                     f"YAML 语法错误：{yaml_reason(reason)}")]) from None
    except yaml.YAMLError as exc:
        raise RuleError([RuleProblem(str(path), 1, 1, "yaml-syntax", f"YAML 语法错误：{yaml_reason(str(exc))}")]) \
            from None
    if data is None:
        raise RuleError([RuleProblem(str(path), 1, 1, "empty", "规则文件是空的")])
    if not isinstance(data, dict):
        raise RuleError([RuleProblem(str(path), 1, 1, "wrong-type", "规则文件应为映射（id:、title:、…）")])
    lines: dict[tuple, tuple[int, int]] = {}
    duplicates: list[RuleProblem] = []
    _walk_nodes(node, (), lines, duplicates, str(path), [MAX_YAML_VALUES])
    return data, lines, duplicates


def read_rule_text(path: Path, limit: int = MAX_RULE_FILE_BYTES) -> str:
    """A rule file's text: a regular file (a FIFO or a device is refused, never waited on or read without end) of
    at most `limit` bytes, counted while reading, in UTF-8. Raises InputError naming the file."""
    # lazy: ecoplan.files only when a rule file is read; a cached pack needs none
    from ecoplan.files import path_text, read_regular

    data = read_regular(path, limit, "规则文件")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"规则文件不是 UTF-8 文本（第 {exc.start} 字节：{exc.reason}）", path_text(path)) from None


def _check_depth(events: Iterable[Any], path: Path) -> None:
    """Refuse nesting deeper than MAX_YAML_DEPTH before anything recursive sees the document."""
    # lazy: yaml (~20 ms) only when a rule file is read; a cached pack needs none
    import yaml

    depth = 0
    for event in events:
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                line, column = (event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else (1, 1)
                raise RuleError([RuleProblem(str(path), line, column, "too-deep",
                                             f"嵌套超过 {MAX_YAML_DEPTH} 层；指标体系不会这么深")])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _walk_nodes(node: Any, path: tuple, lines: dict, duplicates: list, filename: str, budget: list[int]) -> None:
    """Record each key path's line, find duplicate keys; `budget` counts values with aliases expanded."""
    # lazy: yaml (~20 ms) only when a rule file is read; a cached pack needs none
    import yaml

    budget[0] -= 1
    if budget[0] < 0:
        raise RuleError([RuleProblem(filename, node.start_mark.line + 1, node.start_mark.column + 1, "too-large",
                                     f"展开别名（*name）后文件超过 {MAX_YAML_VALUES} 个值；"
                                     "拒绝读取")])
    lines[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                duplicates.append(RuleProblem(filename, key_node.start_mark.line + 1, key_node.start_mark.column + 1,
                                              "duplicate-key", f"键 {key!r} 与第 {seen[key]} 行的重复"))
            seen[key] = key_node.start_mark.line + 1
            for k in _key_variants(key):
                _walk_nodes(value_node, (*path, k), lines, duplicates, filename, budget)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_nodes(item, (*path, index), lines, duplicates, filename, budget)


def _key_variants(key: str) -> Iterable[Any]:
    yield key
    if key.lstrip("-").isdigit():
        yield int(key)
