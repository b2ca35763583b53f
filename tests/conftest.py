"""Shared helpers: run the real command line (`run_cli`, `start_cli`: the one way tests run it), and edit a copy of
a shipped workbook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"
"""The source documents and their transcription (seeds/, reference/), beside a checkout in CI, not in a clone."""
NEEDS_SHARED = "需要 ../shared（源文件）"
"""How a test that needs SHARED says so when it skips; the run's summary counts them in one line."""


def shared_file(*parts: str) -> Path:
    """A file of ../shared, or the test is skipped (saying so in the run's summary) — failed instead where
    ECOPLAN_REQUIRE_SHARED=1 (CI, which has them, must run these tests)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{NEEDS_SHARED}：{path} 不存在"
        if os.environ.get("ECOPLAN_REQUIRE_SHARED") == "1":
            pytest.fail(message + "（ECOPLAN_REQUIRE_SHARED=1）")
        pytest.skip(message)
    return path


@pytest.hookimpl(wrapper=True, tryfirst=True)  # around pytest's own summary: the line comes after its list of skips
def pytest_terminal_summary(terminalreporter: Any) -> Iterator[None]:
    """One line at the end of the run for the tests that skipped because ../shared is not beside this checkout."""
    yield
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if NEEDS_SHARED in str(getattr(r, "longrepr", "") or "")]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} 个测试{NEEDS_SHARED}，已跳过（把 shared/ 放在仓库旁边即可运行）",
                                    yellow=True)


# The runner's own settings that would change what a command does: its ecoplan settings (the session's private
# pack cache excepted), its terminal's size and colour wishes, a CI job's step summary.
_RUNNERS_OWN = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "GITHUB_STEP_SUMMARY")


def cli_env(changes: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """The environment a command runs in: this test session's (with its private pack cache) without the runner's
    own settings (ecoplan's, the terminal size, colour, a CI step summary), `changes` on top (None removes one)."""
    env = {key: value for key, value in os.environ.items()
           if key not in _RUNNERS_OWN and (not key.startswith("ECOPLAN_") or key == "ECOPLAN_CACHE_DIR")}
    for key, value in (changes or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def cli_command(*args: str | Path) -> list[str]:
    """The command line that runs `ecoplan ARGS` with this interpreter."""
    return [sys.executable, "-m", "ecoplan", *map(str, args)]


def run_cli(*args: str | Path, cwd: Path | None = None, env: Mapping[str, str | None] | None = None,
            timeout: float = 120, text: bool = True, **kwargs: Any) -> subprocess.CompletedProcess[Any]:
    """Run `python -m ecoplan ARGS` as a user would (the one way tests run the command line); the completed
    process, its output captured as text (`text=False`: bytes). `env` changes the environment (see `cli_env`);
    other keywords go to subprocess.run (stdin, stdout, stderr, preexec_fn …)."""
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run(cli_command(*args), cwd=cwd or ROOT, env=cli_env(env), timeout=timeout, text=text,
                          **kwargs)


def start_cli(*args: str | Path, cwd: Path | None = None, env: Mapping[str, str | None] | None = None,
              **kwargs: Any) -> subprocess.Popen[Any]:
    """Start `python -m ecoplan ARGS` without waiting (a test that reads it through a pseudo-terminal); the same
    environment as `run_cli`; keywords go to subprocess.Popen."""
    return subprocess.Popen(cli_command(*args), cwd=cwd or ROOT, env=cli_env(env), **kwargs)


def assess_json(path: Path, *extra: str) -> dict[str, Any]:
    """`ecoplan assess PATH --format json` parsed; fails the test with stderr if the command failed."""
    proc = run_cli("assess", path, "--format", "json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every result and sub-item of a JSON report, by id."""
    found: dict[str, dict[str, Any]] = {}

    def visit(result: dict[str, Any]) -> None:
        found[result["id"]] = result
        for item in result["items"]:
            visit(item)

    for result in report["results"]:
        visit(result)
    return found


def edited_copy(source: Path, target: Path, values: dict[tuple[str, int], Any] | None = None,
                profile: dict[str, Any] | None = None) -> Path:
    """Copy a workbook, changing 指标值 of the rows keyed (指标编号, 年度) and keys of 区县信息."""
    from openpyxl import load_workbook

    book = load_workbook(source)
    sheet = book["指标数据"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) + 1 for name in ("指标编号", "年度", "指标值")}
    pending = dict(values or {})
    for row in range(2, sheet.max_row + 1):
        key = (str(sheet.cell(row, col["指标编号"]).value), int(sheet.cell(row, col["年度"]).value))
        if key in pending:
            sheet.cell(row, col["指标值"]).value = pending.pop(key)
    assert not pending, f"rows not found: {pending}"
    info = book["区县信息"]
    for key, value in (profile or {}).items():
        for row in range(1, info.max_row + 1):
            if info.cell(row, 1).value == key:
                info.cell(row, 2).value = value
                break
        else:
            info.append([key, value])
    book.save(target)
    return target


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test, and every command a test runs, caches in a folder of this session, never in the user's cache."""
    folder = tmp_path_factory.mktemp("ecoplan-cache")
    before = os.environ.get("ECOPLAN_CACHE_DIR")
    os.environ["ECOPLAN_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("ECOPLAN_CACHE_DIR", None)
    else:
        os.environ["ECOPLAN_CACHE_DIR"] = before
