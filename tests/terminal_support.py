"""Run ecoplan as a person sees it: on a pseudo-terminal of a given size, piped into a pager on one, or piped
into a program (pre-commit, a CI log); the lines shown, colours removed."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
from pathlib import Path

from conftest import ROOT, run_cli, start_cli

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _clean_env(extra: dict[str, str] | None = None) -> dict[str, str | None]:
    """conftest.cli_env's changes: a colour terminal's TERM (the runner's COLUMNS and LINES are already gone)."""
    return {"TERM": "xterm-256color", **(extra or {})}


def _window(columns: int) -> tuple[int, int]:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    return leader, follower


def on_terminal(columns: int, *args: str | Path, exit_codes: tuple[int, ...] = (0, 1), cwd: Path = ROOT,
                env: dict[str, str] | None = None, stderr_too: bool = False) -> list[str]:
    """`ecoplan ARGS` with stdout (and, `stderr_too`, stderr) on a pty of `columns` × 50 (a real window size, not
    COLUMNS): the lines shown."""
    leader, follower = _window(columns)
    proc = start_cli(*args, stdout=follower, stderr=follower if stderr_too else subprocess.PIPE,
                     stdin=subprocess.DEVNULL, cwd=cwd, env=_clean_env(env))
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            proc.kill()
            raise AssertionError("no output within 120 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the pty (EIO on Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait(timeout=120) in exit_codes, stderr
    text = _ANSI.sub("", b"".join(chunks).decode()).replace("\r\n", "\n")
    return text.rstrip("\n").split("\n")


def piped_to_terminal(columns: int, *args: str | Path, cwd: Path = ROOT) -> list[str]:
    """`ecoplan ARGS | less` as a person types it: stdout a pipe, stderr their terminal of `columns` × 50."""
    leader, follower = _window(columns)
    try:
        done = run_cli(*args, stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL, cwd=cwd,
                       env=_clean_env(), text=False)
    finally:
        os.close(follower)
        os.close(leader)
    return done.stdout.decode().splitlines()


def piped(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> list[str]:
    """`ecoplan ARGS` with stdout and stderr pipes, as pre-commit and a CI runner run it: the lines written."""
    done = run_cli(*args, stdin=subprocess.DEVNULL, cwd=cwd, env=_clean_env(env), text=False)
    return done.stdout.decode().splitlines()
