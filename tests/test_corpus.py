"""The broken-workbook corpus through the real command line: nothing crashes, nothing is lost, nothing executes.

Every case of tests/corpus/make_corpus.py is run as `python -m ecoplan assess FILE --format json` in a child
process with a 2 GB address-space limit and a 30 s timeout, and must give its documented exit code, a
one-paragraph message naming the fault and its place, no traceback, and leave the file byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))
from make_corpus import Case, build  # noqa: E402

MEMORY_LIMIT = 2 * 1024**3
TIME_LIMIT = 30.0


def _limit_memory() -> None:  # runs in the child before exec: bounded memory for every case
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_assess(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`ecoplan assess PATH --format json` as a user runs it, with bounded memory and time."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECOPLAN_")}
    return subprocess.run([sys.executable, "-m", "ecoplan", "assess", str(path), "--format", "json", *extra],
                          capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_limit_memory, env=env,
                          stdin=subprocess.DEVNULL)


def fingerprint(path: Path) -> str | None:
    """The file's content hash (None for what has no content to change: missing, directory, fifo)."""
    try:
        if not path.is_file():
            return None
        with path.open("rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:  # unreadable on purpose: compare the metadata instead
        info = path.lstat()
        return f"{info.st_size}:{info.st_mtime_ns}:{info.st_mode}"


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    return {case.name: case for case in build(tmp_path_factory.mktemp("corpus"))}


CASE_NAMES = [case.name for case in build(Path("unused"), write=False)]  # ids without building


def test_corpus_is_big_enough() -> None:
    """The issue asks for at least 30 broken workbooks."""
    assert len([n for n in CASE_NAMES if not n.startswith("valid")]) >= 30


@pytest.mark.parametrize("name", CASE_NAMES)
def test_corpus_case(corpus: dict[str, Case], name: str) -> None:
    case = corpus[name]
    if case.skip:
        pytest.skip(case.skip)
    before = fingerprint(case.path)
    started = time.monotonic()
    proc = run_assess(case.path)
    elapsed = time.monotonic() - started
    assert fingerprint(case.path) == before, "the input file was changed"
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert elapsed < TIME_LIMIT
    assert proc.returncode == case.code, f"exit {proc.returncode}, expected {case.code}; stderr: {proc.stderr}"
    if case.code == 2:
        message = proc.stderr.strip()
        assert message.startswith("ecoplan: error: "), message
        assert "\n" not in message, f"not one paragraph: {message}"
        assert "internal error" not in message, message
        assert str(case.path) in message, f"the message does not name the file: {message}"
        for fragment in case.fragments:
            assert fragment in message, f"{fragment!r} not in {message!r}"
        assert proc.stdout == "", "nothing is printed on stdout when the input cannot be used"
        return
    report = json.loads(proc.stdout)  # strict JSON: no NaN/Infinity
    by_id = {r["id"]: r for top in report["results"] for r in [top, *top["items"]]}
    for ident, (status, value) in case.results.items():
        assert by_id[ident]["status"] == status, by_id[ident]
        if value is not None:
            assert by_id[ident]["value"] == pytest.approx(value), by_id[ident]
