"""How the command line reads what a user types — one parser (typer), the same answer on every run:

* a short option written with `=` (`-o=out.json`, `-y=2022`, `-f=json`) means what `--output=out.json` means, on the
  first run (a cold cache) as on every later one;
* `-o` names a format by its extension: one that no format has, or one the command cannot write, is a usage error
  (exit 2, a Chinese message, nothing written) for every command that takes -o; `-o -` is standard output, where a
  binary format (xlsx, docx) is refused when it is a terminal;
* an impossible --year is a usage error for every command that takes it;
* click's usage errors are said in Chinese, in one line, exit 2.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, ROOT, run_cli
from test_cli_help import COMMANDS, run_in_pty

YUBEI = DATA / "yubei-2023.xlsx"


def _with_option(name: str) -> dict[str, Any]:
    """Command path → click command, for every command that declares the option `name`."""
    return {" ".join(path): command for path, command in COMMANDS
            if any(name in param.opts for param in command.params)}


# The arguments each command needs to reach its output (the test fails for a command added later until it is here).
ARGS = {"assess": [YUBEI], "check": [YUBEI], "batch": [YUBEI], "report": [YUBEI],
        "template": ["yubei-2023-2030"], "rules schema": [],
        "rules import": [ROOT / "tests" / "fixtures" / "plan_tables" / "gaoxin-plan.docx"]}


def _usage_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stderr.startswith("ecoplan: 错误："), proc.stderr
    assert "Traceback" not in proc.stderr and "Error:" not in proc.stderr and "Usage" not in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr  # one line
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_the_commands_that_take_o_are_the_ones_listed_here() -> None:
    assert set(_with_option("-o")) == set(ARGS)


# --- a short option with "=" ----------------------------------------------------------------------------------
def test_short_options_with_equals_mean_their_value_on_the_first_run_and_every_later_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"  # empty: the first run is a cold start
    spaced = run_cli("assess", DATA / "yubei-2022.xlsx", "-y", "2022", "-f", "json",
                     env={"ECOPLAN_CACHE_DIR": str(cache)})
    assert spaced.returncode == 0, spaced.stderr
    assert json.loads(spaced.stdout)["district"]["year"] == 2022
    for run in (1, 2):
        out = tmp_path / f"run{run}"
        out.mkdir()
        proc = run_cli("assess", DATA / "yubei-2022.xlsx", "-y=2022", "-f=json", "-o=out.json", cwd=out,
                       env={"ECOPLAN_CACHE_DIR": str(cache)})
        assert proc.returncode == 0, proc.stderr
        assert sorted(p.name for p in out.iterdir()) == ["out.json"]  # not "=out.json"
        assert (out / "out.json").read_text(encoding="utf-8") == spaced.stdout


def test_an_equals_value_that_is_wrong_is_refused_like_the_spaced_one() -> None:
    _usage_error(run_cli("assess", YUBEI, "-f=pdf"), "--format", "table、json")
    _usage_error(run_cli("assess", YUBEI, "-y=twenty"), "--year", "整数")


# --- -o: extensions --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", sorted(ARGS))
def test_an_extension_no_format_has_is_a_usage_error_for_every_command(tmp_path: Path, command: str) -> None:
    out = tmp_path / "out.pdf"
    _usage_error(run_cli(*command.split(), *ARGS[command], "-o", out), "out.pdf", ".pdf")
    assert not out.exists()


@pytest.mark.parametrize(("command", "name"), [("assess", "x.html"), ("assess", "x.jsonl"), ("check", "x.xlsx"),
                                               ("report", "x.json"), ("template", "x.json"),
                                               ("rules schema", "x.xlsx")])
def test_an_extension_of_a_format_the_command_cannot_write_is_a_usage_error(tmp_path: Path, command: str,
                                                                            name: str) -> None:
    _usage_error(run_cli(*command.split(), *ARGS[command], "-o", tmp_path / name), name, "此命令不能写")
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command", ["report", "batch"])
def test_htm_is_html(tmp_path: Path, command: str) -> None:
    out = tmp_path / "page.HTM"
    proc = run_cli(command, YUBEI, "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_a_text_file_takes_any_text_format_but_not_a_binary_one(tmp_path: Path) -> None:
    assert run_cli("assess", YUBEI, "-f", "json", "-o", tmp_path / "r.txt").returncode == 0
    assert json.loads((tmp_path / "r.txt").read_text(encoding="utf-8"))["summary"]["met"] == 29
    _usage_error(run_cli("assess", YUBEI, "-f", "xlsx", "-o", tmp_path / "r2.txt"), "矛盾")


def test_a_path_without_an_extension_takes_the_format_given(tmp_path: Path) -> None:
    assert run_cli("assess", YUBEI, "-f", "json", "-o", tmp_path / "report").returncode == 0
    assert json.loads((tmp_path / "report").read_text(encoding="utf-8"))["summary"]["met"] == 29


# --- -o - ------------------------------------------------------------------------------------------------------
def test_dash_is_standard_output_for_text_formats(tmp_path: Path) -> None:
    as_file = tmp_path / "r.json"
    assert run_cli("assess", YUBEI, "-o", as_file).returncode == 0
    proc = run_cli("assess", YUBEI, "-f", "json", "-o", "-", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == as_file.read_text(encoding="utf-8")
    assert not (tmp_path / "-").exists()
    schema = run_cli("rules", "schema", "-o", "-", cwd=tmp_path)
    assert schema.returncode == 0 and json.loads(schema.stdout)["title"]
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("args", [["assess", str(YUBEI), "-f", "xlsx"], ["batch", str(YUBEI), "-f", "docx"],
                                  ["template", "yubei-2023-2030"]])
def test_dash_sends_a_binary_format_into_a_pipe_but_never_to_a_terminal(tmp_path: Path, args: list[str]) -> None:
    piped = run_cli(*args, "-o", "-", cwd=tmp_path, text=False)
    assert piped.returncode == 0, piped.stderr.decode()
    assert piped.stdout.startswith(b"PK\x03\x04")  # a zip container: xlsx and docx
    code, text = run_in_pty([*args, "-o", "-"], 80)
    assert code == 2 and "不能写到终端" in text and "PK" not in text
    assert not (tmp_path / "-").exists()


# --- --year ----------------------------------------------------------------------------------------------------
YEAR_ARGS = {"assess": [YUBEI], "check": [YUBEI], "report": [YUBEI, "-o", "r.html"], "template": ["yubei-2023-2030"]}


def test_the_commands_that_take_year_are_the_ones_listed_here() -> None:
    assert set(_with_option("--year")) == set(YEAR_ARGS)


@pytest.mark.parametrize("command", sorted(YEAR_ARGS))
@pytest.mark.parametrize("year", ["0", "-5", "1899", "2101", "99999"])
def test_an_impossible_year_is_a_usage_error(tmp_path: Path, command: str, year: str) -> None:
    proc = run_cli(command, *YEAR_ARGS[command], "--year", year, cwd=tmp_path)
    _usage_error(proc, "--year", "1900", "2100", year)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("year", ["1900", "2100"])
def test_the_first_and_last_possible_years_are_accepted(year: str) -> None:
    proc = run_cli("assess", YUBEI, "--year", year, "--format", "json")
    # A possible year: past the range check, refused only because the workbook has no data for it (as the API
    # raises for year= without data).
    assert "应为 1900 到 2100 之间" not in proc.stderr
    assert proc.returncode == 2 and f"中没有 {year} 年的数据（有数据的年度：2021、2022、2023）" in proc.stderr


# --- click's errors in Chinese ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "fragments"), [
    (["assess"], ["缺少参数 工作簿", "ecoplan assess --help"]),
    (["assess", str(YUBEI), "--bogus"], ["没有选项 --bogus"]),
    (["assess", str(YUBEI), "--forma", "json"], ["没有选项 --forma", "--format"]),
    (["assess", str(YUBEI), "-o"], ["-o 后面要跟一个值"]),
    (["assess", str(YUBEI), "--strict=yes"], ["--strict 不带值"]),
    (["template", "yubei-2023-2030", "--history", "11"], ["--history", "0 到 10"]),
    (["rules", "show", "a", "b"], ["多余的参数：b"]),
    (["asess", str(YUBEI)], ["没有命令 asess", "assess"]),
])
def test_usage_errors_are_one_chinese_line(args: list[str], fragments: list[str]) -> None:
    _usage_error(run_cli(*args), *fragments)
