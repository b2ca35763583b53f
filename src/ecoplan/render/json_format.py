"""JSON: DESIGN.md's object for one assessment, a list for several; a batch's elements and lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ecoplan.report.assessment import Assessment

# Made once and reused: json.dumps builds a new encoder on every call, ~25 % of the time of one batch line.
_INDENTED = json.JSONEncoder(ensure_ascii=False, indent=2)  # Chinese kept readable
_ONE_LINE = json.JSONEncoder(ensure_ascii=False)


def render_json(assessments: Assessment | Sequence[Assessment]) -> str:
    """One object for one assessment, a list for a sequence; UTF-8 text, Chinese kept readable."""
    if isinstance(assessments, Assessment):
        data: object = assessments.as_dict()
    else:
        data = [a.as_dict() for a in assessments]
    return _INDENTED.encode(data)


# --- a batch's entries (DESIGN.md: "file", "status", then the assessment's fields or the problems) ----------------
def assessment_indented(path: str, assessment: Assessment) -> str:
    """The assessment's object as `assess --format json` prints it (encoded in the worker that scored it; the entry's
    own fields are put before it by `batch_entry` when the batch is done)."""
    return _INDENTED.encode(assessment.as_dict())


def assessment_line(path: str, assessment: Assessment) -> str:
    """The assessment's object on one line (for JSON Lines)."""
    return _ONE_LINE.encode(assessment.as_dict())


def batch_entry(head: dict[str, Any], body: str | None, *, indented: bool) -> str:
    """One batch entry: `head` ("file", "status", and "duplicate_of" or "problems") followed by the fields of
    `body`, an assessment's object encoded the same way (`assessment_indented` or `assessment_line`), as one object.

    Joined as text — dropping the head's closing brace and the body's opening one — rather than decoded and encoded
    again: the result equals encoding {**head, **assessment} (tests/test_batch_formats.py checks it)."""
    text = (_INDENTED if indented else _ONE_LINE).encode(head)
    if body is None:
        return text
    if indented:  # '{\n  "file": …\n}' + '{\n  "district": …}'
        return text[:-2] + ",\n" + body[2:]
    return text[:-1] + ", " + body[1:]


def list_element(text: str) -> str:
    """An indented object as one element of an indented list (the whole then equals json.dumps(list, indent=2):
    JSON strings hold no raw newline, so indenting lines is safe)."""
    return "  " + text.replace("\n", "\n  ")
