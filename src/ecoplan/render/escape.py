"""Untrusted text made harmless where it goes: one function per destination, used wherever text reaches it.

Submitted workbooks and file names carry any text: a 区县名称 ``_x001B_]0;PWNED_x0007_`` (Excel's escape, which
calamine decodes into ESC … BEL) retitles a terminal window, ``ESC[2J`` clears it, a carriage return overwrites a
line; ``<script>`` and ``[l](javascript:…)`` are live in Markdown that a forge renders. Reports keep such text as
it was (JSON, CSV and the xlsx carry it, each escaped its own way: render/cells.py, the json module); only where
it would act is it neutralised:

- `terminal_text`: tables and messages on a terminal — control characters (C0 but tab and, inside tables, the
  newline; DEL; the C1 range), bidirectional overrides and lone surrogates are shown as ``\\x1b``, ``\\u202e``,
  ``\\xff``; a very long text is cut.
- `markdown_text`: every Markdown output — HTML, link, emphasis and table syntax is escaped, lines are joined,
  control characters shown as on a terminal (Markdown is also printed to terminals); `markdown_code` the same
  for a code span (a cell's place, a file name), whose fence no backtick inside can close.

HTML (escaped by html.escape / the templates), JUnit (xml.etree and render/junit.py), GitHub annotations
(render/github.py) and the xlsx and CSV cells (render/cells.py) have their own rules, which stay.
"""

from __future__ import annotations

import re

# C0 but tab and newline, DEL, C1; bidirectional embeddings, overrides and isolates; surrogates (a file name's bytes
# that are not UTF-8 reach Python as U+DC80–U+DCFF, "surrogateescape").
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_OR_NEWLINE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|\r|\n")
_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
DISPLAY_LIMIT = 2000  # characters of one text on a terminal (the cell limit is 10,000; nobody reads more)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    named = _NAMED.get(match.group())
    if named:
        return named
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8: shown as the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: object, *, newlines: bool = False, limit: int | None = DISPLAY_LIMIT) -> str:
    """`text` safe to print on a terminal: every character that could move the cursor, recolour, retitle or
    reorder the screen shown visibly (``\\x1b``); newlines kept only when `newlines` (a cell of a table that wraps
    anyway; a one-paragraph message never has one). Longer than `limit` characters: cut, with the length said."""
    shown = str(text)
    if limit is not None and len(shown) > limit:
        shown = f"{shown[:limit]}…（共 {len(shown)} 个字符）"
    if shown.isprintable():  # nearly every text: nothing to show differently
        return shown
    return (_CONTROL if newlines else _CONTROL_OR_NEWLINE).sub(_visible, shown)


def markdown_text(text: object) -> str:
    """`text` as literal Markdown inside a table cell, heading or list item: no HTML, no link, image, emphasis,
    code span or table syntax it could start, one line, control characters shown visibly."""
    flat = _LINE_BREAK.sub(" ", str(text))
    escaped = _MARKDOWN.sub(r"\\\1", flat)
    escaped = "".join(_HTML.get(ch, ch) for ch in escaped) if any(ch in escaped for ch in "&<>") else escaped
    return terminal_text(escaped, limit=None)


def markdown_code(text: object) -> str:
    """`text` as a Markdown code span inside a table cell or list item: literal (no HTML, link or emphasis is
    read inside a code span), fenced by more backticks than any run in it, one line, `|` escaped for the table."""
    flat = terminal_text(_LINE_BREAK.sub(" ", str(text)), limit=None).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") else flat
    return f"{fence}{padded}{fence}"


__all__ = ["DISPLAY_LIMIT", "markdown_code", "markdown_text", "terminal_text"]
