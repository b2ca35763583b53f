"""docs/ci.md followed word for word on a clean machine (issue 23 item 6): its recipes are read out of the page and
run — the install command in a fresh virtual environment (from this repository at its HEAD commit, standing for
the ECOPLAN_GIT and ECOPLAN_REV the page asks for), every `run:` step of the GitHub workflow and every script line
of the GitLab job in a sample data repository, the pre-commit hooks as pre-commit calls them — and the path
filters are matched against the files a district submits, every suffix ecoplan reads in any case."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.cells import cell_len

from conftest import DATA, ROOT

FIXTURES = ROOT / "tests" / "fixtures"
DOC = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
SUBMITTED = ["submissions/渝北区/2023.XLSX", "submissions/高新区-2020.ODS", "submissions/shapingba-2020.xlsm",
             "submissions/测试区/2023.xls"]
NOT_READ = ["submissions/渝北区/~$2023.XLSX", "submissions/说明.txt"]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC, flags=re.S)


def _recipe(name: str) -> dict[str, Any]:
    """The YAML block of the page whose first line names the file (`# .gitlab-ci.yml`)."""
    block = next(b for b in _blocks("yaml") if b.startswith(f"# {name}\n"))
    return yaml.safe_load(block)


WORKFLOW = _recipe(".github/workflows/submissions.yml")
GITLAB = _recipe(".gitlab-ci.yml")["ecoplan-check"]
PRE_COMMIT = _recipe(".pre-commit-config.yaml")


# --- what can be read without running anything -----------------------------------------------------------------------
def test_ecoplan_is_installed_from_its_repository_never_from_an_index_it_is_not_on() -> None:
    install = next(line for b in _blocks("sh") for line in b.splitlines() if line.startswith("pip install"))
    assert install == 'pip install "git+${ECOPLAN_GIT}@${ECOPLAN_REV}"'
    steps = [s.get("run", "") for s in WORKFLOW["jobs"]["ecoplan"]["steps"]]
    assert install in steps and install in GITLAB["before_script"]
    assert not re.search(r"pip install ecoplan\b", DOC)
    for variables in (WORKFLOW["env"], GITLAB["variables"]):
        assert variables["ECOPLAN_GIT"] == PRE_COMMIT["repos"][0]["repo"]  # one repository named everywhere
        assert re.fullmatch(r"[0-9a-f]{40}", variables["ECOPLAN_REV"])  # a commit, as pre-commit's rev


def test_the_pre_commit_recipe_names_hooks_that_exist_and_says_how_to_pin_rev() -> None:
    entry = PRE_COMMIT["repos"][0]
    assert [h["id"] for h in entry["hooks"]] == [h["id"] for h in HOOKS]
    assert re.fullmatch(r"[0-9a-f]{40}", str(entry["rev"]))
    assert "pre-commit autoupdate --freeze" in DOC and "rev-parse HEAD" in DOC  # how to get a rev that exists
    assert "v0.1.0" not in DOC and "v0.1.0" not in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")


def _github_glob(pattern: str) -> re.Pattern[str]:
    """A GitHub Actions path filter as a regular expression (`*` within a folder, `**` across folders)."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


@pytest.mark.parametrize("path", [*SUBMITTED, *NOT_READ, "submissions/a.xlsx", "submissions/b.Xlsx", "rules/x.yaml"])
def test_the_path_filters_fire_for_every_file_a_district_submits(path: str) -> None:
    github = WORKFLOW[True]["pull_request"]["paths"]  # YAML reads the key `on` as True
    gitlab = GITLAB["rules"][0]["changes"]
    assert any(_github_glob(p).fullmatch(path) for p in github), (path, github)
    assert any(_github_glob(p).fullmatch(path) for p in gitlab), (path, gitlab)
    assert not any(_github_glob(p).fullmatch("README.md") for p in github + gitlab)


@pytest.mark.parametrize("suffix", ["xlsx", "xlsm", "xls", "ods", "XLSX", "Xls", "ODS", "XLSM"])
def test_the_check_hook_takes_every_suffix_ecoplan_reads_in_any_case(suffix: str) -> None:
    from ecoplan.workbook.reader import SUPPORTED_SUFFIXES

    assert f".{suffix.lower()}" in SUPPORTED_SUFFIXES
    assert _hook_takes("ecoplan-check", f"submissions/渝北区/2024.{suffix}")
    assert not _hook_takes("ecoplan-check", f"submissions/渝北区/~$2024.{suffix}")  # an Office lock file
    assert not _hook_takes("ecoplan-check", f"submissions/2024.{suffix}.bak")


def _hook_takes(hook_id: str, path: str) -> bool:
    """Whether pre-commit hands `path` to the hook: its `files` pattern searched, its `exclude` not."""
    hook = next(h for h in HOOKS if h["id"] == hook_id)
    return bool(re.search(hook["files"], path)) and not re.search(hook.get("exclude", "^$"), path)


# --- running it ------------------------------------------------------------------------------------------------------
def _commit() -> str | None:
    if shutil.which("git") is None:
        return None
    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else None


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A clean machine's environment: a fresh virtual environment with only what the page installs, and the
    page's ECOPLAN_GIT / ECOPLAN_REV pointing at this repository's HEAD commit."""
    commit = _commit()
    if commit is None:
        pytest.skip("not a git checkout: the page installs ecoplan from its Git repository")
    home = tmp_path_factory.mktemp("machine")
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "ECOPLAN_RULES"))}
    env.update(PATH=f"{home / 'venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(home / "venv"),
               ECOPLAN_CACHE_DIR=str(home / "cache"))
    return {**env, **WORKFLOW["env"], "ECOPLAN_GIT": f"file://{ROOT}", "ECOPLAN_REV": commit}


@pytest.fixture
def data_repository(tmp_path: Path) -> Path:
    """A repository of district submissions: four workbooks of four districts in the four formats (suffixes in
    any case; 测试区's with errors), a lock file and a note, and one pack of its own in rules/."""
    sources = [DATA / "yubei-2023.xlsx", FIXTURES / "gaoxin-2020.ods", DATA / "shapingba-2020.xlsx",
               FIXTURES / "merged-value-rows.xls"]
    for path, source in zip(SUBMITTED, sources, strict=True):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, tmp_path / path)
    for path in NOT_READ:
        (tmp_path / path).write_bytes(b"not a workbook")
    (tmp_path / "rules").mkdir()
    shutil.copy(ROOT / "rules" / "gaoxin-14th-fyp.yaml", tmp_path / "rules" / "gaoxin-14th-fyp.yaml")
    return tmp_path


def _bash(line: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """One `run:` or script line as the runner runs it (bash -e)."""
    return subprocess.run(["bash", "-e", "-c", line], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_the_github_workflow_runs_as_written(machine: dict[str, str], data_repository: Path) -> None:
    codes = {}
    for step in WORKFLOW["jobs"]["ecoplan"]["steps"]:
        if "run" in step:
            done = _bash(step["run"], machine, data_repository)
            codes[step.get("name", step["run"])] = done.returncode
            assert done.returncode in (0, 1), (step, done.stdout[-2000:], done.stderr[-2000:])
            if step.get("name") == "Check submissions (annotations + job summary; this step is the gate)":
                # 渝北区 2023 misses three 约束性 indicators: the gate fails, every file is annotated
                assert done.returncode == 1
                for path in SUBMITTED:
                    assert f"file={path}" in done.stdout, path
                assert "说明.txt" in done.stderr and "~$" not in done.stdout  # skipped and said so; lock file left out
                assert done.stdout.rstrip().splitlines()[-1].startswith("ecoplan check：4 个文件：")
    assert codes["Install ecoplan"] == 0 and codes["Lint rule packs"] == 0
    assert (data_repository / "reports" / "ecoplan-junit.xml").is_file()
    assert list(codes.values()).count(1) == 1  # only the gate fails; the JUnit step's `|| true` keeps it green


def test_the_gitlab_job_runs_as_written(machine: dict[str, str], data_repository: Path) -> None:
    env = {**machine, **GITLAB["variables"], "ECOPLAN_GIT": machine["ECOPLAN_GIT"],
           "ECOPLAN_REV": machine["ECOPLAN_REV"]}
    for line in GITLAB["before_script"]:
        assert _bash(line, env, data_repository).returncode == 0
    results = [_bash(line, env, data_repository) for line in GITLAB["script"]]
    assert [r.returncode for r in results] == [0, 1]  # the lint passes; the gate fails the job (渝北区 2023)
    assert "ecoplan check: 4 个文件" in results[1].stderr  # the verdicts in the job log
    for line in GITLAB["after_script"]:
        assert _bash(line, env, data_repository).returncode == 0
    for path in GITLAB["artifacts"]["paths"]:
        assert (data_repository / path).is_file(), path


def test_the_pre_commit_hooks_run_as_pre_commit_calls_them(machine: dict[str, str], data_repository: Path) -> None:
    staged = sorted(str(p.relative_to(data_repository)) for p in data_repository.rglob("*") if p.is_file())
    check = [p for p in staged if _hook_takes("ecoplan-check", p)]
    assert sorted(check) == sorted(SUBMITTED)  # every workbook, whatever its suffix's case; not the lock file
    hook = next(h for h in HOOKS if h["id"] == "ecoplan-check")
    done = subprocess.run([*hook["entry"].split(), *hook.get("args", []), *check], capture_output=True, text=True,
                          cwd=data_repository, env=machine, timeout=300)
    assert done.returncode == 1, done.stderr  # the documented gate: 渝北区 2023
    lines = done.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80  # pre-commit's log: 80 columns
    lint = next(h for h in HOOKS if h["id"] == "ecoplan-lint-rules")
    rules = [p for p in staged if re.search(lint["files"], p)]
    assert rules == ["rules/gaoxin-14th-fyp.yaml"]
    done = subprocess.run([*lint["entry"].split(), *rules], capture_output=True, text=True, cwd=data_repository,
                          env=machine, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
