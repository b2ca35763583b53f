"""Mutation run over the verdict core: does `pytest -m core` notice a one-token change to the criteria and the
evaluator?

Each mutant changes one thing in one file of src/ecoplan/rules/criteria/ or src/ecoplan/evaluate/ — a comparison
flipped (< ↔ <=, > ↔ >=, == ↔ !=, in ↔ not in, is ↔ is not), `and` ↔ `or`, one operand of an `and` / `or` dropped,
min ↔ max, any ↔ all, + ↔ -, * ↔ /, += ↔ -=, a unary minus or `not` dropped, a number ±1, True ↔ False (returns
included), the branches of a conditional expression swapped — and `pytest -m core -x -q` runs against it. A
mutant the tests fail on is killed; one they pass is a survivor: a change no test notices.

The tree is copied once per worker into a temporary folder and mutated there (src/ is never touched); each worker
runs one mutant at a time, at most two in parallel. Prints every survivor as `file:line: change`, the score per
file and the total, and exits 1 when the score is below --fail-under.

    python benchmarks/mutate.py                  # everything (about half an hour on two cores)
    python benchmarks/mutate.py --only trend.py  # one file
    python benchmarks/mutate.py --list           # the mutants, without running them
    python benchmarks/mutate.py --from FILE      # only the mutants FILE lists (file:line: change, as printed)

Mutants excluded as equivalent (no test could tell them apart, because no behaviour differs) are listed in
EQUIVALENT below, each with the reason.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("src/ecoplan/rules/criteria", "src/ecoplan/evaluate")
PYTEST = ["-m", "pytest", "-m", "core", "-x", "-q", "-p", "no:cacheprovider"]
# The core test file that most often kills a mutant of each source file. It runs alone first (most mutants die there,
# in a few seconds); a mutant it does not kill then meets the whole core suite, that file first. A survivor has
# therefore passed the very `pytest -m core -x -q`. Each worker then learns: the file that killed the last mutant of
# a source file comes first for the next one (most kills of one function come from one file).
FIRST: dict[str, str] = {"evaluate/progress.py": "test_progress.py", "evaluate/evaluator.py": "test_rules_verdicts.py",
                         "evaluate/provisional.py": "test_rules_verdicts.py"}
FIRST_DEFAULT = "test_criteria.py"
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".cache*", "*.egg-info", ".mypy_cache",
                                     ".ruff_cache", ".pytest_cache", "build", "dist")

# (file under src/ecoplan, the mutated line as written, the change) → why no test can tell the mutant apart.
_RANK = "ranks only order the kinds' short forms (10, 20, … 90): a step of one keeps every kind in its place"
_RANKS = {"approximate": (70, 43), "cumulative": (40, 43), "delta": (30, 43), "state": (90, 43),
          "superior_task": (10, 43), "threshold": (50, 43), "trend": (20, 43), "water_class": (60, 43)}
EQUIVALENT: dict[tuple[str, str, str], str] = {
    **{(f"rules/criteria/{kind}.py", f"shorthand_rank: ClassVar[int | None] = {rank}"
        + ("  # the last resort: words that are no other kind's" if kind == "state" else ""),
        f"`{rank}` → `{rank + step}` (col {col})"): _RANK
       for kind, (rank, col) in _RANKS.items() for step in (1, -1)},
    **{("rules/criteria/approximate.py",
        'better = (ctx.direction == "higher" and off > 0) or (ctx.direction == "lower" and off < 0)', change):
       "off = 0 is the target itself, always within the band, so `better` is never asked about it"
       for change in ("`off > 0` → `off >= 0`", "`off < 0` → `off <= 0`")},
    ("rules/criteria/context.py", "if not (self.foreign(number) and number.unit and self.unit):",
     "`self.foreign(number) and number.unit and self.unit` → `self.foreign(number) and number.unit`"):
        "foreign() holds only when both units are given; the two tests only narrow the types for convert()",
    ("rules/criteria/superior_task.py",
     "if unit_key(unit) != unit_key(wanted) and ctx.convert(1.0, wanted, unit) is None:", "`1.0` → `2.0` (col 58)"):
        "converting 1 only asks whether the pack relates the two units; any number asks the same",
    ("rules/criteria/superior_task.py", 'unit = value.unit or ctx.unit or ""',
     "`value.unit or ctx.unit or ''` → `value.unit or ctx.unit`"):
        'unit_key reads None as ""; the `or ""` only gives convert() the str it is typed for',
    ("rules/criteria/water_class.py", "if m is None or rank is None:", "`m is None or rank is None` → `rank is None`"):
        "no match gives no rank; `m is None` only narrows m's type for the line after",
    ("rules/criteria/superior_task.py", "if task.number is None or task.not_issued or _not_a_share(ctx, task.number, "
     "task.unit):", "`task.number is None or task.not_issued or _not_a_share(ct...` → `task.number is None or "
     "_not_a_share(ctx, task.number, tas...`"): "a task read as not issued (未下达, 未逐年下达(1.9)) has no number",
    ("rules/criteria/superior_task.py", 'return unit if unit and unit_key(unit) else ""',
     "`unit and unit_key(unit)` → `unit_key(unit)`"): 'unit_key(None) is ""; the `unit and` narrows the type only',
    **{("rules/criteria/threshold.py", 'stated = [op for op in (OPERATOR_WORDS.get(word or ""), '
        'parse_op(symbol or ""), _SUFFIX_OPS.get(suffix or ""))', f"`{name} or ''` → `{name}`"):
       "a dict's get finds nothing for None as for \"\"; the `or \"\"` gives get() the str it is typed for"
       for name in ("word", "suffix")},
}


# -- the mutants -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mutant:
    """One change to one file: where (1-based line), what, and the file's text with the change made."""

    path: Path
    line: int
    change: str
    source: str

    @property
    def name(self) -> str:
        return str(self.path.relative_to(ROOT / "src" / "ecoplan"))

    def key(self, original: str) -> tuple[str, str, str]:
        return self.name, original.splitlines()[self.line - 1].strip(), self.change


_SWAP_COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
                 ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
_SWAP_BINARY = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}
_SWAP_CALL = {"min": "max", "max": "min", "any": "all", "all": "any"}


def _skipped(tree: ast.Module) -> set[int]:
    """Ids of nodes never mutated: annotations, decorators (frozen, kw_only, slots shape a class, not a verdict;
    tests/test_rules_registry.py checks them), f-strings (reason text), docstrings, `__all__`, zip's `strict=`, and
    the bodies of functions marked `# pragma: no cover` (the abstract `raise NotImplementedError`)."""
    skip: set[int] = set()

    def cover(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            cover(node.annotation)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                cover(decorator)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            cover(node.returns)
        elif isinstance(node, ast.AnnAssign):
            cover(node.annotation)
        elif isinstance(node, ast.JoinedStr) or _is_all(node):
            cover(node)
        elif isinstance(node, ast.keyword) and node.arg == "strict":
            cover(node)  # zip(..., strict=True) only guards lengths that are equal by construction
    return skip


def _is_all(node: ast.AST) -> bool:
    return isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)


def _mutations(node: ast.AST) -> Iterator[ast.AST]:
    """Each replacement this node can be mutated into."""
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            other = _SWAP_COMPARE.get(type(op))
            if other in _STRICTNESS and _tolerant(node):
                continue  # see _tolerant
            if other is not None:
                yield ast.Compare(node.left, [*node.ops[:i], other(), *node.ops[i + 1:]], node.comparators)
    elif isinstance(node, ast.BoolOp):
        yield ast.BoolOp(ast.Or() if isinstance(node.op, ast.And) else ast.And(), node.values)
        for i in range(len(node.values)):  # one condition dropped
            rest = node.values[:i] + node.values[i + 1:]
            yield rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest)
    elif isinstance(node, ast.BinOp) and type(node.op) in _SWAP_BINARY:
        yield ast.BinOp(node.left, _SWAP_BINARY[type(node.op)](), node.right)
    elif isinstance(node, ast.AugAssign) and type(node.op) in (ast.Add, ast.Sub):
        yield ast.AugAssign(node.target, _SWAP_BINARY[type(node.op)](), node.value)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not)):
        yield node.operand
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _SWAP_CALL:
        yield ast.Call(ast.Name(_SWAP_CALL[node.func.id], ast.Load()), node.args, node.keywords)
    elif isinstance(node, ast.IfExp):
        yield ast.IfExp(node.test, node.orelse, node.body)
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield ast.Constant(not node.value)
    elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        yield ast.Constant(node.value + 1)
        yield ast.Constant(node.value - 1)


_STRICTNESS = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_TOLERANCE = 1e-9


def _tolerant(node: ast.Compare) -> bool:
    """Whether a comparison already allows for float error (`step <= 1e-9`, `moving >= 0.95 * needed - _EPS`): then
    `<` and `<=` differ only at exactly the tolerance, which no reported figures produce, so flipping its strictness
    makes an equivalent mutant, and none is made. Flipping `==`, dropping the tolerance etc. still are."""
    return any((isinstance(n, ast.Name) and n.id == "_EPS") or (isinstance(n, ast.Constant) and n.value == _TOLERANCE)
               for n in ast.walk(node))


def _change(node: ast.AST, new: ast.AST) -> str:
    """The change in words: `a < b` → `a <= b` (a lone number also says its column, to tell it apart)."""
    where = f" (col {node.col_offset})" if isinstance(node, ast.Constant) else ""
    return f"`{_short(node)}` → `{_short(new)}`{where}"


def _short(node: ast.AST) -> str:
    text = ast.unparse(node).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def _replace(source: str, lines: list[int], node: ast.expr | ast.stmt, new: ast.AST) -> str:
    """The source with `node`'s text replaced by `new` (an expression in parentheses, so precedence holds)."""
    end_line = node.end_lineno or node.lineno
    start = lines[node.lineno - 1] + _col(source, lines, node.lineno, node.col_offset)
    end = lines[end_line - 1] + _col(source, lines, end_line, node.end_col_offset)
    text = ast.unparse(new)
    if isinstance(node, ast.expr):
        text = f"({text})"
    return source[:start] + text + source[end:]


def _col(source: str, lines: list[int], line: int, byte_col: int | None) -> int:
    """A column as ast gives it (UTF-8 bytes) as a count of characters on its line."""
    start = lines[line - 1]
    end = source.find("\n", start)
    line_text = source[start:end if end >= 0 else len(source)]
    return len(line_text.encode("utf-8")[:byte_col].decode("utf-8"))


def mutants(path: Path) -> Iterator[Mutant]:
    """Every mutant of one file, in source order."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    skip = _skipped(tree) | docstrings
    lines = [0]
    for text in source.splitlines(keepends=True):
        lines.append(lines[-1] + len(text))
    no_cover = {i + 1 for i, text in enumerate(source.splitlines()) if "pragma: no cover" in text}
    covered: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno in no_cover:
            covered.update(id(n) for n in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if id(node) in skip or id(node) in covered or not isinstance(node, (ast.expr, ast.stmt)):
            continue
        for new in _mutations(node):
            change = _change(node, new)
            mutated = _replace(source, lines, node, new)
            try:
                compile(mutated, str(path), "exec")
            except SyntaxError:
                continue
            found.append(Mutant(path, node.lineno, change, mutated))
    yield from sorted(found, key=lambda m: (m.line, m.change))


# -- running them -------------------------------------------------------------------------------------------------
def _copy_tree(folder: Path) -> Path:
    """A copy of the repository to mutate, with ../shared beside it when the real one has it."""
    copy = folder / ROOT.name
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORE)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (folder / "shared").symlink_to(shared)
    return copy


def core_files() -> list[str]:
    """The test files `pytest -m core` selects (asked of pytest, so the marker stays the one definition)."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "-m", "core", "--collect-only", "-q", "-p",
                           "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, check=True)
    return sorted({line.split("::")[0] for line in proc.stdout.splitlines() if "::" in line})


def _first(files: list[str], mutant: Mutant, learnt: str | None = None) -> list[str]:
    """The core file likeliest to kill this mutant: the one that killed the last mutant of its file, else FIRST's."""
    name = FIRST.get(mutant.name, FIRST_DEFAULT)
    return [learnt] if learnt in files else [f for f in files if f.endswith("/" + name)]


# Third-party modules a test run imports: each worker imports them once and forks a child per run, which then
# imports only ecoplan (from the worker's copy, mutated) and the tests. On a busy machine this is most of a run.
_WARM = ("pytest", "hypothesis", "hypothesis.strategies", "pydantic", "openpyxl", "yaml", "docx", "typer", "rich",
         "python_calamine", "jsonschema", "defusedxml")


class Worker:
    """One process with one copy of the tree: it runs the mutants it is given one at a time, each test run in a
    forked child, and writes the mutated file back after each."""

    def __init__(self, folder: Path, tests: list[str]) -> None:
        self.tests = tests
        self.copy = _copy_tree(folder)
        self.stamp = 1_000_000_000  # every write gets its own mtime, so no stale .pyc is ever imported
        self.killer = folder / "killer"  # a child writes there the test file of its first failure
        self.learnt: dict[str, str] = {}  # source file → the test file that killed its last mutant
        os.chdir(self.copy)
        sys.path.insert(0, str(self.copy / "src"))
        os.environ["PYTHONPATH"] = str(self.copy / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")
        os.environ["ECOPLAN_CACHE_DIR"] = str(folder / "cache")
        os.environ.pop("PYTEST_ADDOPTS", None)
        for name in _WARM:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        assert "ecoplan" not in sys.modules  # the children import it from the copy, mutated
        started = time.monotonic()
        passed = self._pytest(tests, timeout=3600) == "survived"
        self.baseline: float | None = time.monotonic() - started if passed else None

    def _write(self, target: Path, text: str) -> None:
        target.write_text(text, encoding="utf-8")
        self.stamp += 1
        os.utime(target, (self.stamp, self.stamp))

    def _pytest(self, files: list[str], timeout: float) -> str:
        """`pytest -m core -x -q FILES` in a forked child: 'killed', 'survived' or 'timeout'."""
        with contextlib.suppress(FileNotFoundError):
            self.killer.unlink()
        pid = os.fork()
        if pid == 0:  # the child: its own process group, so a timeout ends the commands it runs too
            code = 3
            try:
                os.setsid()
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.dup2(null, 2)
                import pytest

                code = int(pytest.main([*PYTEST[2:], *files], plugins=[_Killer(self.killer)]))
            finally:
                os._exit(code)
        deadline = time.monotonic() + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return "timeout"
            time.sleep(0.05)

    def run(self, mutant: Mutant, timeout: float) -> tuple[str, float]:
        """The mutant's outcome and seconds: its likeliest killer alone, then, if it lives, the whole core suite."""
        target = self.copy / mutant.path.relative_to(ROOT)
        original = target.read_text(encoding="utf-8")
        started = time.monotonic()
        self._write(target, mutant.source)
        try:
            first = _first(self.tests, mutant, self.learnt.get(mutant.name))
            outcome = self._pytest(first, timeout)
            if outcome == "survived":
                outcome = self._pytest(first + [f for f in self.tests if f not in first], timeout)
            if outcome == "killed" and self.killer.exists():
                self.learnt[mutant.name] = self.killer.read_text(encoding="utf-8")
            return outcome, time.monotonic() - started
        finally:
            self._write(target, original)


class _Killer:
    """A pytest plugin: writes the test file of the first failing test to `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def pytest_runtest_logreport(self, report: object) -> None:
        if getattr(report, "failed", False) and not self.path.exists():
            self.path.write_text(str(getattr(report, "nodeid", "")).split("::")[0], encoding="utf-8")


_WORKER: Worker | None = None


def _start(root: str, tests: list[str]) -> None:
    """A pool process's start: its own copy of the tree, warm imports, the unmutated suite run once."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process stops the pool
    folder = Path(tempfile.mkdtemp(prefix="w", dir=root))
    _WORKER = Worker(folder, tests)


def _baseline(_: int) -> float | None:
    """The unmutated suite's seconds in this worker (None: it failed)."""
    assert _WORKER is not None
    return _WORKER.baseline


def _one(job: tuple[int, Mutant, float]) -> tuple[int, str, float]:
    assert _WORKER is not None
    index, mutant, timeout = job
    outcome, seconds = _WORKER.run(mutant, timeout)
    return index, outcome, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=[], help="only files whose path ends with one of these")
    parser.add_argument("--jobs", type=int, default=2, choices=(1, 2), help="mutants run at once (at most 2)")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--from", dest="listed", type=Path,
                        help="only the mutants this file lists as the run prints them (file:line: change), e.g. "
                             "the survivors of a run, to see whether new tests kill them")
    parser.add_argument("--verbose", action="store_true", help="print every mutant's outcome and time")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="a random sample of N mutants (seeded: the same N mutants each time), for a score "
                             "within hours on a loaded machine; the report says it is a sample")
    parser.add_argument("--seed", type=int, default=2026, help="the sample's seed")
    parser.add_argument("--fail-under", type=float, default=85.0, help="exit 1 below this score (%%)")
    args = parser.parse_args()

    files = sorted(p for folder in TARGETS for p in (ROOT / folder).glob("*.py")
                   if not args.only or any(str(p).endswith(o) for o in args.only))
    originals = {p: p.read_text(encoding="utf-8") for p in files}
    every = [m for p in files for m in mutants(p)]
    excluded = [(m, EQUIVALENT[m.key(originals[m.path])]) for m in every if m.key(originals[m.path]) in EQUIVALENT]
    todo = [m for m in every if m.key(originals[m.path]) not in EQUIVALENT]
    if args.listed:
        wanted = {line.strip() for line in args.listed.read_text(encoding="utf-8").splitlines()}
        todo = [m for m in todo if f"{m.name}:{m.line}: {m.change}" in wanted]
    if args.sample is not None and args.sample < len(todo):
        population = len(todo)
        todo = sorted(random.Random(args.seed).sample(todo, args.sample), key=todo.index)
        print(f"a random sample of {len(todo)} of the {population} mutants (seed {args.seed})")
    if args.list:
        for m in todo:
            print(f"{m.name}:{m.line}: {m.change}")
        for m, why in excluded:
            print(f"{m.name}:{m.line}: {m.change}  [excluded: {why}]")
        print(f"{len(todo)} mutants, {len(excluded)} excluded as equivalent")
        return 0

    tests = core_files()
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="ecoplan-mutate-") as tmp, \
            context.Pool(args.jobs, _start, (tmp, tests)) as pool:
        baselines = pool.map(_baseline, range(args.jobs), chunksize=1)
        if None in baselines:
            print("the unmutated core suite fails in a copy of the tree: fix it first", file=sys.stderr)
            return 2
        baseline = max(b for b in baselines if b is not None)
        timeout = max(120.0, 4 * baseline)
        print(f"pytest -m core: {baseline:.0f} s unmutated; {len(todo)} mutants over {len(files)} files "
              f"({len(excluded)} excluded as equivalent), {args.jobs} at a time, {timeout:.0f} s limit each",
              flush=True)
        started = time.monotonic()
        outcomes: dict[int, str] = {}
        for index, outcome, seconds in pool.imap_unordered(_one, [(i, m, timeout) for i, m in enumerate(todo)]):
            outcomes[index] = outcome
            mutant = todo[index]
            if outcome == "survived" or args.verbose:
                print(f"  {outcome:8} {seconds:4.0f} s  {mutant.name}:{mutant.line}: {mutant.change}", flush=True)
            if len(outcomes) % 50 == 0:
                survived = sum(o == "survived" for o in outcomes.values())
                print(f"  … {len(outcomes)} / {len(todo)} run, {survived} survived", flush=True)
        minutes = (time.monotonic() - started) / 60
    results = [(m, outcomes[i]) for i, m in enumerate(todo)]

    by_file: dict[str, list[str]] = {}
    for mutant, outcome in results:
        by_file.setdefault(mutant.name, []).append(outcome)
    print("\nsurvivors:")
    for mutant, outcome in results:
        if outcome == "survived":
            print(f"  {mutant.name}:{mutant.line}: {mutant.change}")
    print("\nkilled / total by file:")
    for name, kinds in sorted(by_file.items()):
        killed = sum(o != "survived" for o in kinds)
        print(f"  {name:36} {killed:4} / {len(kinds):<4} {100 * killed / len(kinds):5.1f} %")
    killed = sum(o != "survived" for _, o in results)
    timeouts = sum(o == "timeout" for _, o in results)
    score = 100 * killed / len(results) if results else 100.0
    print(f"\nscore: {killed} / {len(results)} killed = {score:.1f} % ({timeouts} by timeout; "
          f"{len(excluded)} equivalent mutants excluded) in {minutes:.0f} min")
    return 0 if score >= args.fail_under else 1


if __name__ == "__main__":
    sys.exit(main())
