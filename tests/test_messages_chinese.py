"""Every message a person reads is Chinese (issue 14 item 6): the text ecoplan's modules hand to an error, a problem,
a printed line or a command's help holds no English sentence. Problem codes, option names, YAML keys and values
quoted from the input stay as they are. render/ is checked by its own tests (its owner translates it)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "ecoplan"

# The calls whose text reaches a person: errors and problems (InputError, Problem, RuleProblem, ValueError and
# ShorthandError from rule validators become lint messages), printed lines, typer's help and echo.
MESSAGE_CALLS = frozenset({"InputError", "Problem", "RuleProblem", "RuleError", "ValueError", "ShorthandError",
                           "DuplicateYearError", "UnknownPackError", "print", "echo", "_fail", "Option",
                           "Argument", "Typer", "BadParameter", "UsageError", "Exit"})
MESSAGE_NAMES = frozenset({"message", "more", "hint", "detail", "shown"})
# English function words: any one of them between spaces marks an English sentence (codes and keys have none).
ENGLISH = re.compile(r"(?<![\w.:-])(?:the|is|are|has|have|no|not|a|an|of|got|needs|must|cannot|should|please|"
                     r"and|or|for|with|to|when|from|this|that|default|file|files|write|writes)(?![\w.:-])")


def _text(node: ast.expr) -> str | None:
    """The literal text of a string or f-string argument (placeholders as {}), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _messages(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every literal handed to a message call in one module, of every literal assigned to a
    message variable, and of every command's docstring (typer shows it as the command's help)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in MESSAGE_NAMES
                                                for t in node.targets):
            found += [(part.lineno, text) for part in ast.walk(node.value)
                      if isinstance(part, ast.expr) and (text := _text(part)) is not None]
        if isinstance(node, ast.FunctionDef) and any("command" in ast.unparse(d) for d in node.decorator_list):
            found.append((node.lineno, ast.get_docstring(node) or ""))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name not in MESSAGE_CALLS:
            continue
        arguments = list(node.args) + [k.value for k in node.keywords if k.arg in ("help", "message", None)]
        for argument in arguments:
            # a message built from parts: ("…" if x else "…"), "…" + "…"
            for part in ast.walk(argument):
                text = _text(part) if isinstance(part, ast.expr) else None
                if text is not None:
                    found.append((part.lineno, text))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in SOURCE.rglob("*.py") if "render" not in p.relative_to(SOURCE).parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_the_messages_of_each_module_are_chinese(path: Path) -> None:
    english = [f"{path.relative_to(SOURCE)}:{line}: {text!r}" for line, text in _messages(path)
               if ENGLISH.search(re.sub(r"\{[^{}]*\}", "", text))]
    assert not english, "English messages:\n" + "\n".join(english)


def test_the_check_sees_the_messages_it_guards() -> None:
    """The scan finds messages at all (a scan that matches nothing would pass vacuously), and flags English."""
    found = [text for path in _modules() for _, text in _messages(path)]
    assert len(found) > 100
    assert any("指标体系" in text for text in found)
    assert ENGLISH.search("the workbook cannot be assessed") and not ENGLISH.search("工作簿无法评估：--pack ID")
