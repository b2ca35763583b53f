"""JSON: DESIGN.md's object for one assessment, a list for several."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ecoplan.report.assessment import Assessment


def render_json(assessments: Assessment | Sequence[Assessment], with_problems: bool = False) -> str:
    """One object for one assessment, a list for a sequence; UTF-8 text, Chinese kept readable."""
    if isinstance(assessments, Assessment):
        data: object = assessments.as_dict(with_problems)
    else:
        data = [a.as_dict(with_problems) for a in assessments]
    return json.dumps(data, ensure_ascii=False, indent=2)
