"""The entry point: the typer app (cli/app.py) with every command module declared on it. Input errors become one
paragraph on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import sys
from typing import Any

from ecoplan.cli.options import print_version
from ecoplan.errors import InputError

# The modules that declare the commands on the app, in the order `ecoplan --help` lists them.
COMMANDS = ("assess", "check", "batch", "report", "template", "rules")


def typer_app(argv: list[str] | None = None) -> Any:
    """The typer application with the command `argv` names declared on it — only that one, as a call runs only one
    command (~10 ms less to import and build than all six) — or, for anything else (help, a mistyped command), all."""
    named = argv[0] if argv and argv[0] in COMMANDS else None
    for name in [named] if named else COMMANDS:
        importlib.import_module(f"ecoplan.cli.{name}")
    # lazy: typer and the app (~75 ms) are not needed by --version
    from ecoplan.cli.app import app

    return app


def main() -> None:
    """Run the command line; the exit code is the command's (see DESIGN.md)."""
    # Importing the program and scoring workbooks allocate many objects that live to the end or die young without
    # forming cycles: collecting generation 0 every 700 allocations found nothing to free, and cost 2 % of one
    # `assess` (13 M of 613 M instructions, callgrind) and ~3 % of a batch. Forked batch workers inherit this.
    gc.set_threshold(20_000, 20, 20)
    # A lone surrogate (a byte of a file name that is not UTF-8) is printed as its escape, never the end of the
    # output; render.escape shows such bytes as \xff wherever a name is printed on purpose.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        _main(sys.argv[1:])
    finally:
        # Everything still alive is left to the exit: moving it to the permanent generation spares the interpreter's
        # final collections a walk over every object (~100 ms after one `assess` on the 2-core machine, measured
        # against os._exit's ~10 ms), while atexit handlers, coverage among them, still run.
        gc.freeze()


def _main(argv: list[str]) -> None:
    try:
        if argv == ["--version"]:
            print_version()
            return
        typer_app(argv)(argv, prog_name="ecoplan")
    except InputError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("已中断", code=130)
    except BrokenPipeError:
        # The reader of our output went away (`ecoplan … | head`): stop quietly. Point stdout at /dev/null so the
        # interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except MemoryError:
        _fail("读取输入时内存不足：输入超出 ecoplan 能处理的大小")
    except Exception as exc:  # a bug: say so in one paragraph; ECOPLAN_DEBUG=1 shows the traceback
        if os.environ.get("ECOPLAN_DEBUG"):
            raise
        _fail(f"内部错误（{type(exc).__name__}: {exc}）；请连同引发它的输入一起报告此问题"
              "（设置 ECOPLAN_DEBUG=1 可看到详细信息）")


def _fail(message: str, code: int = 2) -> None:
    with contextlib.suppress(BrokenPipeError):
        sys.stdout.flush()
    # lazy: the escaping of untrusted text (names, file names, cells) only when a message is printed
    from ecoplan.render.escape import terminal_text

    print(f"ecoplan: 错误：{terminal_text(message)}", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
