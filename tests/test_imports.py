"""The shape of ecoplan's imports: no cycle between its modules (function-local imports count), the layers import one
way, and every function-local import says why it is there — `# lazy: <reason>` on the line directly above it, or
above the first import of its run of consecutive imports. A local import is for loading a heavy library or module
only on the paths that need it; anything else belongs at the top of the module."""

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


# -- layers ------------------------------------------------------------------------------------------------------
LAYERS: tuple[tuple[str, ...], ...] = (
    ("ecoplan.cli", "ecoplan.__main__", "ecoplan"),  # the command line and the Python API over it
    ("ecoplan.run",),
    ("ecoplan.workbook", "ecoplan.rules"),
    ("ecoplan.evaluate",),
    ("ecoplan.report",),
    ("ecoplan.render",),
)
"""cli → run → workbook/rules → evaluate → report → render: a module imports its own layer and those after it
(cli anything). Imports under `if TYPE_CHECKING:` are no import at run time and are not counted."""
FOUNDATION = frozenset({"ecoplan.errors", "ecoplan.files", "ecoplan.normalize", "ecoplan.quantity",
                        "ecoplan.vocabulary", "ecoplan.cache", "ecoplan.settings", "ecoplan.version"})
"""What every layer may import, and which imports no layer: errors, files, text and number rules, word tables, the
pack cache, the settings from the environment, the version."""

READS = "reads the data the layer before it made and hands on (it builds none of it)"
LAYER_EXCEPTIONS: dict[tuple[str, str], str] = {
    # (importing module or package, imported module): why
    ("ecoplan.evaluate", "ecoplan.rules.pack"): "the evaluator " + READS + ": the pack's indicators",
    ("ecoplan.evaluate", "ecoplan.rules.criteria"): "the evaluator " + READS + ": the criteria it asks to decide",
    ("ecoplan.evaluate", "ecoplan.rules.criteria.context"):
        "the evaluator " + READS + ": what a criterion sees and answers (Context, Decision), the criteria's own",
    ("ecoplan.evaluate", "ecoplan.workbook.values"): "the evaluator " + READS + ": the reported values",
    ("ecoplan.evaluate", "ecoplan.workbook.district"): "the evaluator " + READS + ": the district's rows",
    ("ecoplan.evaluate.evaluator", "ecoplan.rules.criteria.superior_task"):
        "code, not data: the evaluator reuses the task's unit check (task_unit_conflict) before deciding a row",
    ("ecoplan.render", "ecoplan.report.assessment"): "a renderer " + READS + ": the Assessment",
    ("ecoplan.render", "ecoplan.report.problems"): "a renderer " + READS + ": problems and their severity words",
    ("ecoplan.render", "ecoplan.report.verdict"): "check's renderers " + READS + ": Checked and its verdict words",
    ("ecoplan.render.template", "ecoplan.rules.pack"): "the template renders a pack (its criteria, walked)",
    ("ecoplan.render.template", "ecoplan.rules.criteria"): "the template renders a pack (a criterion's kind sets "
                                                           "a row's dropdown)",
    ("ecoplan.render", "ecoplan.evaluate.progress"):
        "code, not data: the HTML and terminal reports summarise progress while rendering; labels takes its words",
    ("ecoplan.render", "ecoplan.run.batch_aggregate"):
        "the batch views " + READS + ": the batch aggregate, which run/batch_aggregate.py defines",
}
"""Every import against the layer order, with its reason; the test fails on a new one and on one no longer made."""


def _layer(module: str) -> int | None:
    """The index of the module's layer in LAYERS; None for the foundation."""
    if module in FOUNDATION:
        return None
    best = max(((len(prefix), index) for index, layer in enumerate(LAYERS) for prefix in layer
                if module == prefix or module.startswith(prefix + ".")), default=None)
    assert best is not None, f"{module} is in no layer: add it to LAYERS or FOUNDATION"
    return best[1]


def _excepted(module: str, target: str) -> tuple[str, str] | None:
    return next((key for key in LAYER_EXCEPTIONS
                 if (module == key[0] or module.startswith(key[0] + ".")) and target == key[1]), None)


def _against_the_layers(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(module, imported module) pairs where a module imports a layer before its own, or the foundation a layer."""
    found = []
    for module in sorted(graph):
        own = _layer(module)
        for target in sorted(graph[module]):
            theirs = _layer(target)
            if own == 0 or theirs is None:
                continue
            if own is None or theirs < own:
                found.append((module, target))
    return found


def test_the_layers_import_one_way() -> None:
    against = _against_the_layers(_graph())
    unexplained = [f"{module} imports {target}" for module, target in against if _excepted(module, target) is None]
    assert unexplained == [], ("imports against cli → run → workbook/rules → evaluate → report → render (move the "
                               "code, or add an exception with its reason):\n" + "\n".join(unexplained))
    used = {_excepted(module, target) for module, target in against}
    stale = [f"{key}: {reason}" for key, reason in LAYER_EXCEPTIONS.items() if key not in used]
    assert stale == [], "exceptions no longer needed (remove them):\n" + "\n".join(stale)


def test_the_layer_check_sees_a_backward_import() -> None:
    """The check itself: report running the pipeline (as report/verdict.py did) and the foundation importing a layer
    are caught; importing the foundation, a later layer or, for cli, anything is not."""
    graph = {"ecoplan.report.verdict": {"ecoplan.run.pipeline", "ecoplan.errors", "ecoplan.render.labels"},
             "ecoplan.cli.check": {"ecoplan.run.check", "ecoplan.render.emit"},
             "ecoplan.run.check": {"ecoplan.report.verdict", "ecoplan.run.pipeline"},
             "ecoplan.errors": {"ecoplan.report.problems"}}
    assert _against_the_layers(graph) == [("ecoplan.errors", "ecoplan.report.problems"),
                                          ("ecoplan.report.verdict", "ecoplan.run.pipeline")]
