"""`ecoplan rules lint` points at every mistake of a rule file (file:line:col: code: message) and fails on it;
`rules/schema.json` is the committed output of `ecoplan rules schema` and accepts every shipped pack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from test_check import ROOT

RULES = ROOT / "rules"
SHIPPED = sorted(RULES.glob("*.yaml"))

BROKEN = {
    # file name: (text, expected "line:col: code" prefixes)
    "wrong-name.yaml": ("id: other-name\ntitle: x\nlevel: city\nindicators:\n  - id: '1'\n    name: a\n"
                        "    criterion: {kind: nonsense}\n    colour: red\n",
                        ["1:5: id-mismatch", "3:8: bad-value", "7:16: unknown-criterion", "8:13: unknown-key"]),
    "empty-list.yaml": ("id: empty-list\ntitle: 空\nlevel: county\nindicators: []\n",
                        ["4:13: no-indicators"]),
    "no-list.yaml": ("id: no-list\ntitle: 空\nlevel: county\n", ["1:1: no-indicators"]),
    "syntax.yaml": ("id: syntax\nindicators: [\n", ["3:1: yaml-syntax"]),
    # Every problem in one run: the repeated key does not hide the missing title and indicators.
    "dup-key.yaml": ("id: dup-key\nid: dup-key\n", ["1:1: invalid", "1:1: no-indicators", "2:1: duplicate-key"]),
    "blank.yaml": ("", ["1:1: empty"]),
    "bad-extends.yaml": ("id: bad-extends\ntitle: x\nlevel: county\nextends: no-such-pack\n",
                         ["4:10: extends-missing"]),
}


@pytest.fixture()
def broken(tmp_path: Path) -> Path:
    for name, (text, _) in BROKEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_pack_is_reported_at_its_line_with_a_stable_code(broken: Path, name: str) -> None:
    proc = run_cli("rules", "lint", name, cwd=broken)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split(": ", 2)[0].removeprefix(f"{name}:") + ": " + line.split(": ", 2)[1] for line in lines] \
        == BROKEN[name][1]
    assert "Traceback" not in proc.stderr


def test_a_pack_with_no_indicators_is_an_error_that_says_what_to_do(broken: Path) -> None:
    out = run_cli("rules", "lint", "empty-list.yaml", cwd=broken).stdout
    assert out.strip() == "empty-list.yaml:4:13: no-indicators: 指标体系没有指标；请在 indicators: 下列出指标" \
                          "（或用 extends: 扩展一个有指标的体系）"


def test_output_is_stable_and_in_file_then_line_order(broken: Path) -> None:
    names = sorted(BROKEN)
    first = run_cli("rules", "lint", *names, cwd=broken)
    assert first.returncode == 1
    assert run_cli("rules", "lint", *names, cwd=broken).stdout == first.stdout
    seen = [line.split(":")[0] for line in first.stdout.splitlines()]
    assert [n for i, n in enumerate(seen) if i == 0 or seen[i - 1] != n] == names  # grouped, in argument order
    for name in names:
        positions = [tuple(map(int, line.split(":")[1:3])) for line in first.stdout.splitlines()
                     if line.startswith(name + ":")]
        assert positions == sorted(positions)
    assert f"{len(names)} 个文件中有" in first.stderr


def test_a_missing_file_is_listed_and_exits_2(broken: Path) -> None:
    proc = run_cli("rules", "lint", "absent.yaml", "empty-list.yaml", cwd=broken)
    assert proc.returncode == 2
    assert proc.stdout.startswith("absent.yaml:1:1: unreadable:") and "empty-list.yaml:4:13" in proc.stdout


def test_a_folder_stands_for_its_rule_files(broken: Path) -> None:
    proc = run_cli("rules", "lint", ".", cwd=broken)
    assert proc.returncode == 1
    assert f"{len(BROKEN)} 个文件中有" in proc.stderr
    assert {line.split(":")[0] for line in proc.stdout.splitlines()} == set(BROKEN)
    clean = run_cli("rules", "lint", str(RULES))
    assert clean.returncode == 0 and f"已检查 {len(SHIPPED)} 个文件，没有问题" in clean.stderr


def test_shipped_packs_lint_clean() -> None:
    proc = run_cli("rules", "lint")
    assert proc.returncode == 0, proc.stdout
    assert f"已检查 {len(SHIPPED)} 个文件，没有问题" in proc.stderr


# ------------------------------------------------------------------------------------------------------- schema
def test_committed_schema_is_the_commands_output() -> None:
    proc = run_cli("rules", "schema")
    assert proc.returncode == 0
    assert (RULES / "schema.json").read_text(encoding="utf-8") == proc.stdout, \
        "rules/schema.json is stale: run `ecoplan rules schema -o rules/schema.json`"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_pack_points_editors_at_the_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema.json"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_schema_accepts_every_shipped_pack(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed (editors use the schema; "
                                     "the loader does not need it)")
    import yaml

    validator = jsonschema.Draft202012Validator(json.loads((RULES / "schema.json").read_text(encoding="utf-8")))
    errors = [f"{list(e.path)}: {e.message[:200]}" for e in validator.iter_errors(yaml.safe_load(path.read_text(
        encoding="utf-8")))]
    assert errors == []


def test_the_schema_rejects_what_lint_rejects() -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is not installed")
    import yaml

    validator = jsonschema.Draft202012Validator(json.loads((RULES / "schema.json").read_text(encoding="utf-8")))
    pack = yaml.safe_load(BROKEN["wrong-name.yaml"][0])
    assert not validator.is_valid(pack)


# ------------------------------------------------------------------------------------------------ pre-commit
def hooks() -> dict[str, dict]:
    import yaml

    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}


def staged(hook: dict, paths: list[str]) -> list[str]:
    """The files pre-commit would pass to `hook` out of `paths` (its files / exclude regexes)."""
    import re

    return [p for p in paths if re.search(hook["files"], p) and not re.search(hook.get("exclude", "^$"), p)]


def test_lint_hook_runs_on_the_shipped_packs_and_passes() -> None:
    hook = hooks()["ecoplan-lint-rules"]
    files = staged(hook, [str(p.relative_to(ROOT)) for p in sorted(ROOT.rglob("*.y*ml"))] + ["rules/schema.json"])
    assert files == [f"rules/{p.name}" for p in SHIPPED]
    proc = run_cli(*hook["entry"].split()[1:], *files)
    assert proc.returncode == 0, proc.stdout


def test_check_hook_selects_workbooks_not_lock_files_and_gates(tmp_path: Path) -> None:
    hook = hooks()["ecoplan-check"]
    assert staged(hook, ["data/a.xlsx", "data/~$a.xlsx", "rules/x.yaml", "a.xlsx.bak"]) == ["data/a.xlsx"]
    assert hook["require_serial"] is True and hook["language"] == "python"
    proc = run_cli(*hook["entry"].split()[1:], "data/yubei-2023.xlsx")
    assert proc.returncode == 1 and "未通过" in proc.stdout  # 3 约束性 indicators unmet: the commit is refused
