"""The words, colours and glyphs every renderer shows for a status, an attribute and a progress state.

One place for them: the terminal table, Markdown, CSV, xlsx, Word, HTML and the batch views all read these
tables, so a status never has two names or two colours. The Chinese words themselves come from the report
model (STATUS_LABELS, ATTRIBUTE_LABELS, used by its summary line), the status order from the vocabulary
(STATUS_ORDER) and from the progress model (PROGRESS_LABELS, PROGRESS_ARROWS, part of the JSON); they are
re-exported here so renderers import from one module.
"""

from __future__ import annotations

from ecoplan.evaluate.progress import PROGRESS_ARROWS, PROGRESS_LABELS, PROGRESS_ORDER
from ecoplan.report.problems import SEVERITY_LABELS  # a problem's severity in words (Problem.__str__ too)
from ecoplan.vocabulary import ATTRIBUTE_LABELS, STATUS_LABELS, STATUS_ORDER

STATUS_STYLE: dict[str, str] = {"met": "green", "not_met": "bold red", "not_applicable": "dim", "missing": "yellow",
                                "review": "magenta"}
"""rich styles for the terminal."""

STATUS_GLYPH: dict[str, str] = {"met": "✓", "not_met": "✗", "not_applicable": "–", "missing": "?", "review": "!"}
"""One character per status, for matrices and narrow layouts (always beside the word or a legend)."""

STATUS_MARK: dict[str, str] = {"met": "✅", "not_met": "❌", "not_applicable": "➖", "missing": "❔", "review": "⚠️"}
"""Emoji for Markdown, where colour is not available."""

STATUS_COLOUR: dict[str, str] = {"met": "#2e7d32", "not_met": "#c62828", "not_applicable": "#9e9e9e",
                                 "missing": "#f9a825", "review": "#7b1fa2"}
"""Strong colours (HTML chips and charts)."""

STATUS_FILL: dict[str, str] = {"met": "C6EFCE", "not_met": "FFC7CE", "not_applicable": "EDEDED", "missing": "FFEB9C",
                               "review": "E4DFEC"}
"""Cell fills for spreadsheets and Word tables, as Excel's good / bad / neutral presets colour them."""

STATUS_FONT: dict[str, str] = {"met": "006100", "not_met": "9C0006", "not_applicable": "595959", "missing": "9C5700",
                               "review": "5B2C6F"}
"""Text colour on those fills."""

VERDICT_STYLE: dict[str, str] = {"pass": "bold green", "fail": "bold red", "error": "bold red",
                                 "unusable": "bold red"}
VERDICT_MARK: dict[str, str] = {"pass": "✅", "fail": "❌", "error": "⛔", "unusable": "⛔"}
"""`check`'s per-file verdicts (words: report.verdict.VERDICT_LABELS): rich style and Markdown mark."""

PROGRESS_STYLE: dict[str, str] = {"achieved": "green", "on_track": "green", "accelerate": "yellow",
                                  "reverse": "bold red", "insufficient_data": "dim"}
PROGRESS_COLOUR: dict[str, str] = {"achieved": "#2e7d32", "on_track": "#43a047", "accelerate": "#ef8f00",
                                   "reverse": "#c62828", "insufficient_data": "#9e9e9e"}


def status_text(status: str) -> str:
    """The Chinese word for a status code ("not_met" → "未达标"); an unknown code as it is."""
    return STATUS_LABELS.get(status, status)


def attribute_text(attribute: str | None) -> str:
    """The Chinese word for an attribute ("constraint" → "约束性"); empty for none."""
    return ATTRIBUTE_LABELS.get(attribute or "", attribute or "")


def progress_text(status: str) -> str:
    """A progress state as glyph and word: "↗需加快"."""
    return f"{PROGRESS_ARROWS.get(status, '?')}{PROGRESS_LABELS.get(status, status)}"


__all__ = ["ATTRIBUTE_LABELS", "PROGRESS_ARROWS", "PROGRESS_COLOUR", "PROGRESS_LABELS", "PROGRESS_ORDER",
           "PROGRESS_STYLE", "SEVERITY_LABELS", "STATUS_COLOUR", "STATUS_FILL", "STATUS_FONT", "STATUS_GLYPH",
           "STATUS_LABELS", "STATUS_MARK", "STATUS_ORDER", "STATUS_STYLE", "VERDICT_MARK", "VERDICT_STYLE",
           "attribute_text", "progress_text", "status_text"]
