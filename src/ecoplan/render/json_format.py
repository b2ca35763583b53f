"""JSON: DESIGN.md's object for one assessment, a list for several; a batch's elements and lines."""

from __future__ import annotations

import json
from collections.abc import Sequence

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


# --- one workbook of a batch, encoded in the worker that scored it (see ecoplan.run.batch) ------------------------
def json_element(path: str, assessment: Assessment) -> str:
    """DESIGN.md's object with "file", indented as one element of the list (the whole then equals
    json.dumps(list, indent=2): JSON strings hold no raw newline, so indenting lines is safe)."""
    text = _INDENTED.encode({"file": path, **assessment.as_dict()})
    return "  " + text.replace("\n", "\n  ")


def json_line(path: str, assessment: Assessment) -> str:
    """DESIGN.md's object with "file", on one line."""
    return _ONE_LINE.encode({"file": path, **assessment.as_dict()}) + "\n"
