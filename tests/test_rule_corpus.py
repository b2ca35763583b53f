"""Broken rule packs: each is refused with file:line, a stable code and the reason — and never loaded unsafely.

The hand-written packs live in tests/corpus/rules/; the first line of each says what lint must report
(``# expect: LINE CODE | fragment``, or ``# expect: ok`` for the control). Packs that cannot be written as
readable text (empty, not UTF-8, oversized, code-executing tags that name a temporary marker) are made here.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from conftest import run_cli

RULE_CORPUS = Path(__file__).resolve().parent / "corpus" / "rules"
ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "data" / "yubei-2023.xlsx"
_EXPECT = re.compile(r"^# expect: (?:(?P<ok>ok)|(?P<line>\d+) (?P<code>[\w-]+) \| (?P<fragment>.+))$")


def expectation(path: Path) -> re.Match[str]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = _EXPECT.match(first)
    assert match, f"{path.name}: first line must be '# expect: LINE CODE | fragment'"
    return match


STATIC = sorted(p.name for p in RULE_CORPUS.glob("*.yaml"))


def test_the_corpus_has_at_least_20_broken_packs() -> None:
    assert len([n for n in STATIC if not expectation(RULE_CORPUS / n).group("ok")]) >= 20


@pytest.mark.parametrize("name", STATIC)
def test_lint_refuses_each_broken_pack_at_its_line(name: str) -> None:
    path = RULE_CORPUS / name
    want = expectation(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    proc = run_cli("rules", "lint", name, cwd=RULE_CORPUS)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    if want.group("ok"):
        assert proc.returncode == 0 and proc.stdout == "", proc.stdout
        return
    assert proc.returncode == 1, proc.stdout + proc.stderr
    first = proc.stdout.splitlines()[0]
    # file:line:col: code: message — the file is this one, or (for a cycle) the pack where the cycle closes.
    m = re.match(r"^(?P<file>[\w.-]+\.yaml):(?P<line>\d+):\d+: (?P<code>[\w-]+): (?P<message>.+)$", first)
    assert m, first
    assert (m["line"], m["code"]) == (want["line"], want["code"]), first
    assert want["fragment"] in m["message"], first
    assert m["file"] == name or m["code"] == "extends-cycle", first


@pytest.mark.parametrize("name", ["unknown-criterion-kind.yaml", "duplicate-ids.yaml", "syntax-tab-indent.yaml",
                                  "cycle-a.yaml", "yaml-alias-bomb.yaml", "deep-nesting.yaml"])
def test_assess_refuses_a_broken_pack_given_by_path(name: str) -> None:
    want = expectation(RULE_CORPUS / name)
    proc = run_cli("assess", WORKBOOK, "--pack", RULE_CORPUS / name, "--format", "json")
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    message = proc.stderr.strip()
    assert "\n" not in message
    assert re.search(rf"\.yaml:{want['line']}:\d+: {want['code']}: ", message), message


# ------------------------------------------------------------------------------------------- generated packs
_VALID = "id: {id}\ntitle: 测试指标\nlevel: county\nindicators:\n  - id: \"1\"\n    name: 城市生活污水集中收集率\n" \
         "    direction: higher\n    criterion: \"≥70\"\n"


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/object/apply:subprocess.check_call",
                                 "!!python/object/new:os.system"])
def test_a_python_tag_is_refused_and_never_runs(tmp_path: Path, tag: str) -> None:
    marker = tmp_path / "pwned"
    pack = tmp_path / "evil.yaml"
    argument = f'["touch {marker}"]' if "os.system" in tag else f'[["touch", "{marker}"]]'
    pack.write_text(_VALID.format(id="evil") + f"notes: {tag} {argument}\n", encoding="utf-8")
    lint = run_cli("rules", "lint", pack)
    assess = run_cli("assess", WORKBOOK, "--pack", pack, "--format", "json")
    assert not marker.exists(), "the tag was executed"
    assert lint.returncode == 1 and f"{pack}:9:8: unsafe-tag: " in lint.stdout, lint.stdout
    assert assess.returncode == 2 and ":9:8: unsafe-tag: " in assess.stderr and "Traceback" not in assess.stderr


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.yaml").write_bytes(b"")
    proc = run_cli("rules", "lint", "empty.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.startswith("empty.yaml:1:1: empty: "), proc.stdout


def test_non_utf8_bytes_are_refused_with_the_byte(tmp_path: Path) -> None:
    # A pack saved as GBK by a Windows editor: readable to its author, not to ecoplan.
    (tmp_path / "gbk.yaml").write_bytes(_VALID.format(id="gbk").encode("gbk"))
    proc = run_cli("rules", "lint", "gbk.yaml", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout.startswith("gbk.yaml:1:1: unreadable: ") and "不是 UTF-8 文本" in proc.stdout and "字节" in proc.stdout


def test_a_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text(_VALID.format(id="huge") + "# padding\n" * 300_000, encoding="utf-8")
    proc = run_cli("rules", "lint", "huge.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout.startswith("huge.yaml:1:1: unreadable: ") \
        and "超过上限" in proc.stdout, proc.stdout
    assess = run_cli("assess", WORKBOOK, "--pack", huge)
    assert assess.returncode == 2 and "超过上限" in assess.stderr


def test_a_missing_pack_file_is_an_input_error(tmp_path: Path) -> None:
    proc = run_cli("rules", "lint", "nowhere.yaml", cwd=tmp_path)
    assert proc.returncode == 2 and "nowhere.yaml" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
