"""The command line: one module per command (options → run → render → exit code)."""
