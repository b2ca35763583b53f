"""The command line. Only typer and the standard library are imported here; each command imports what it needs
when it runs, so `ecoplan --help` and a single `assess` stay fast (reference/deps-perf.md)."""

from __future__ import annotations

import os
import sys

from ecoplan.errors import InputError


def _typer_app():  # type: ignore[no-untyped-def]
    from ecoplan.cli import assess as _assess  # noqa: F401  (registers the command)
    from ecoplan.cli import batch as _batch  # noqa: F401
    from ecoplan.cli import check as _check  # noqa: F401
    from ecoplan.cli import report as _report  # noqa: F401
    from ecoplan.cli import rules as _rules  # noqa: F401
    from ecoplan.cli import template as _template  # noqa: F401
    from ecoplan.cli.app import app

    return app


def main() -> None:
    """Entry point: run the app; input errors become one paragraph on stderr and exit code 2, never a traceback."""
    try:
        if len(sys.argv) > 2 and sys.argv[1] in ("assess", "batch") and not os.environ.get("ECOPLAN_NO_FASTPATH"):
            _fast_path(sys.argv[1], sys.argv[2:])  # exits when the call is plain
        _typer_app()()
    except InputError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", code=130)
    except BrokenPipeError:
        os._exit(0)
    except MemoryError:
        _fail("out of memory while reading the input; it is larger than ecoplan can handle")
    except Exception as exc:  # a bug: say so in one paragraph; ECOPLAN_DEBUG=1 shows the traceback
        if os.environ.get("ECOPLAN_DEBUG"):
            raise
        _fail(f"internal error ({type(exc).__name__}: {exc}); please report it with the input that caused it "
              "(set ECOPLAN_DEBUG=1 for details)")


def _fast_path(command: str, argv: list[str]) -> None:
    """Run a plain `assess` or `batch` call without typer (see `ecoplan.cli.fastpath`); return if it is not plain."""
    from ecoplan.cli import fastpath

    options = fastpath.parse_simple(argv, fastpath.ASSESS if command == "assess" else fastpath.BATCH)
    if options is None:
        return
    files = options.pop("files")
    if command == "assess":
        from ecoplan.cli.assessing import run_assess

        _exit(run_assess(files, **options))
    from ecoplan.cli.batching import run_batch

    _exit(run_batch(files, **options))


def _exit(code: int) -> None:
    """Exit once the output is out, without tearing the interpreter down object by object: that took ~14 ms
    after a batch of 1,000 workbooks (and ~10 % of a single `assess`), for nothing a finished command needs.
    Every file the command wrote is closed by then; only stdout and stderr may hold buffered text."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _fail(message: str, code: int = 2) -> None:
    sys.stdout.flush()
    print(f"ecoplan: error: {message}", file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
