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
import sys
import termios
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**env, "TERM": "xterm-256color", **(extra or {})}


def _window(columns: int) -> tuple[int, int]:
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    return leader, follower


def on_terminal(columns: int, *args: str | Path, exit_codes: tuple[int, ...] = (0, 1), cwd: Path = ROOT,
                env: dict[str, str] | None = None, stderr_too: bool = False) -> list[str]:
    """`ecoplan ARGS` with stdout (and, `stderr_too`, stderr) on a pty of `columns` × 50 (a real window size, not
    COLUMNS): the lines shown."""
    leader, follower = _window(columns)
    proc = subprocess.Popen([sys.executable, "-m", "ecoplan", *map(str, args)], stdout=follower,
                            stderr=follower if stderr_too else subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=cwd,
                            env=_clean_env(env))
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
        done = subprocess.run([sys.executable, "-m", "ecoplan", *map(str, args)], stdout=subprocess.PIPE,
                              stderr=follower, stdin=subprocess.DEVNULL, cwd=cwd, env=_clean_env(), timeout=120,
                              check=False)
    finally:
        os.close(follower)
        os.close(leader)
    return done.stdout.decode().splitlines()


def piped(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> list[str]:
    """`ecoplan ARGS` with stdout and stderr pipes, as pre-commit and a CI runner run it: the lines written."""
    done = subprocess.run([sys.executable, "-m", "ecoplan", *map(str, args)], capture_output=True, cwd=cwd,
                          stdin=subprocess.DEVNULL, env=_clean_env(env), timeout=120, check=False)
    return done.stdout.decode().splitlines()
