"""The shape of ecoplan's imports: no cycle between its modules (function-local imports count), and every
function-local import says why it is there — `# lazy: <reason>` on the line directly above it, or above the first
import of its run of consecutive imports. A local import is for loading a heavy library or module only on the paths
that need it; anything else belongs at the top of the module."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "ecoplan"
LAZY = "# lazy: "


def _modules() -> dict[str, Path]:
    """Every ecoplan module by its dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("ecoplan", *path.relative_to(PACKAGE).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _runtime_imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool, list[ast.stmt]]]:
    """(import, whether it is inside a function, the statement list it stands in); `if TYPE_CHECKING:` is skipped."""
    def visit(body: list[ast.stmt], local: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool, list[ast.stmt]]]:
        for node in body:
            if _type_checking(node):
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, local, body
            inner = local or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            blocks = [getattr(node, name, None) for name in ("body", "orelse", "finalbody")]
            blocks += [part.body for part in getattr(node, "handlers", []) + getattr(node, "cases", [])]
            for block in blocks:
                if isinstance(block, list):  # a lambda's or an expression's body is no statement list
                    yield from visit(block, inner)

    yield from visit(tree.body, False)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, modules: dict[str, Path]) -> set[str]:
    """The ecoplan modules an import statement loads (`from a import b` is a.b when that is a module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module if is_package else module.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
    return {name for name in names if name in modules}


def _graph() -> dict[str, set[str]]:
    """Module → the ecoplan modules it imports by name. A submodule's implicit import of its own package is left
    out: rules/criteria/__init__.py gathering its kinds is no cycle with the kinds it gathers."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = set()
        for node, _, _ in _runtime_imports(tree):
            graph[module] |= _targets(node, module, path.name == "__init__.py", modules) - {module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycle_between_modules_counting_function_local_imports() -> None:
    graph = _graph()
    assert len(graph) > 50 and graph["ecoplan.cli.main"]  # the walk found the package and its imports
    assert _cycles(graph) == []


def test_every_function_local_import_gives_its_reason() -> None:
    missing = []
    local_count = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node, local, body in _runtime_imports(ast.parse("\n".join(lines))):
            if not local:
                continue
            local_count += 1
            position = body.index(node)
            while position > 0 and isinstance(body[position - 1], ast.Import | ast.ImportFrom):
                position -= 1  # the first import of the run the reason may be written above
            first_line = body[position].lineno
            above = lines[first_line - 2].strip() if first_line > 1 else ""
            if not above.startswith(LAZY) or len(above) <= len(LAZY):
                missing.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {ast.unparse(node)}")
    assert local_count > 0  # the walk does see function-local imports
    assert missing == [], "function-local imports without a `# lazy: <reason>` line above them:\n" + "\n".join(missing)


def test_the_walk_sees_local_and_type_checking_imports_as_they_are() -> None:
    source = """
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from ecoplan.rules.pack import Pack
def f():
    try:
        import json
    except ImportError:
        import csv
    # lazy: heavy
    import yaml
    from ecoplan import errors
class C:
    def m(self):
        if True:
            from ecoplan.files import write_atomic
"""
    found = [(ast.unparse(node), local) for node, local, _ in _runtime_imports(ast.parse(source))]
    assert found == [("from typing import TYPE_CHECKING", False), ("import json", True), ("import csv", True),
                     ("import yaml", True), ("from ecoplan import errors", True),
                     ("from ecoplan.files import write_atomic", True)]
