"""Issue 13 item 11: a rule author's own pack is found without reinstalling (`--pack file.yaml`, $ECOPLAN_RULES),
`rules lint` reports every problem of a file in one run, and an unknown pack is named in Chinese."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import DATA, ROOT, by_id, edited_copy, run_cli

OWN_PACK = """\
id: my-county-2024
title: 某区自定的示范区指标
extends: national-demo-county-2024
indicators:
  - id: "24"
    text: "≥13"
    criterion: "≥13"
"""


def _ecoplan(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line with extra environment variables (the on-disk pack cache off)."""
    return run_cli(*args, env={"ECOPLAN_NO_CACHE": "1", **(env or {})})


def _own_pack(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "my-county-2024.yaml"
    path.write_text(OWN_PACK, encoding="utf-8")
    return path


def _status_of_24(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode in (0, 1), proc.stderr
    return str(by_id(json.loads(proc.stdout))["24"]["status"])


def test_pack_given_as_a_file_path_is_used(tmp_path: Path) -> None:
    pack = _own_pack(tmp_path / "my packs")  # a space in the folder name, as on a desktop
    proc = _ecoplan("assess", DATA / "yubei-2023.xlsx", "--pack", pack, "--format", "json")
    assert _status_of_24(proc) == "not_met"  # 12.15 against the author's ≥13 (the national ≥12 would pass)


def test_a_packs_folder_in_ecoplan_rules_is_searched_first(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    _own_pack(folder)
    env = {"ECOPLAN_RULES": str(folder)}
    by_option = _ecoplan("assess", DATA / "yubei-2023.xlsx", "--pack", "my-county-2024", "--format", "json", env=env)
    assert _status_of_24(by_option) == "not_met"
    # A workbook naming the pack in its 指标体系 finds it too.
    workbook = edited_copy(DATA / "yubei-2023.xlsx", tmp_path / "own.xlsx", profile={"指标体系": "my-county-2024"})
    assert _status_of_24(_ecoplan("assess", workbook, "--format", "json", env=env)) == "not_met"
    listed = _ecoplan("rules", "list", env={**env, "COLUMNS": "200"})
    assert listed.returncode == 0 and "my-county-2024" in listed.stdout
    # Without the setting the pack is unknown, and the message names it at the workbook's cell.
    unknown = _ecoplan("assess", workbook, "--format", "json")
    assert unknown.returncode == 2 and "区县信息!B5: 指标体系“my-county-2024”不存在" in unknown.stderr


def test_rules_show_names_an_unknown_pack() -> None:
    proc = _ecoplan("rules", "show", "nosuch")
    assert proc.returncode == 2 and "未知的指标体系 nosuch" in proc.stderr and "Traceback" not in proc.stderr
    assert "yubei-2023-2030" in proc.stderr  # the packs there are


def test_lint_reports_every_problem_of_a_file_in_one_run(tmp_path: Path) -> None:
    """A repeated id no longer hides the schema errors behind it, nor a repeated key the rest of the file."""
    path = tmp_path / "many.yaml"
    path.write_text("id: many\nid: many\ntitle: x\nlevel: city\nindicators:\n"
                    "  - id: '1'\n    name: a\n    criterion: '≥1'\n"
                    "  - id: '1'\n    name: b\n    criterion: {kind: nonsense}\n    colour: red\n", encoding="utf-8")
    proc = _ecoplan("rules", "lint", path)
    assert proc.returncode == 1
    found = [line.removeprefix(f"{path}:").split(":", 3)[:3] for line in proc.stdout.splitlines()]
    assert [(int(line), code.strip()) for line, _, code in found] == [
        (2, "duplicate-key"), (4, "bad-value"), (9, "duplicate-id"), (11, "unknown-criterion"), (12, "unknown-key")]


def test_the_documented_settings_are_in_the_authors_guide() -> None:
    guide = (ROOT / "docs" / "rule-packs.md").read_text(encoding="utf-8")
    assert "ECOPLAN_RULES" in guide and "--pack" in guide


def test_rules_show_gives_the_ids_a_workbook_takes() -> None:
    """指标编号 takes the pack's ids (4.1, R1), not the printed 序号 (参考性 restarts at 1): show them."""
    proc = _ecoplan("rules", "show", "national-demo-county-2024", env={"COLUMNS": "200"})
    rows = [line.split("│") for line in proc.stdout.splitlines() if line.startswith("│")]
    assert proc.returncode == 0 and "编号" in proc.stdout
    assert any(row[1].strip() == "R1" and "农村生活污水治理" in row[3] for row in rows)
    assert any(row[1].strip() == "4.1" and "优良天数比率" in row[3] for row in rows)
