"""CSV and Markdown: the attainment table as flat rows, one per indicator and sub-item.

A CSV that becomes a file starts with a UTF-8 byte order mark: Excel and WPS on Chinese Windows read a CSV without
one in the local code page (GBK) and garble every Chinese cell. That holds for `-o out.csv` and for
`--format csv > out.csv` alike (render.console.stdout_is_file tells them apart from a pipe); a pipe gets none, since
the program reading it would take the mark for part of the first column's name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ecoplan.quantity import format_number
from ecoplan.render.cells import csv_text
from ecoplan.render.escape import markdown_text
from ecoplan.render.labels import STATUS_MARK, attribute_text, status_text
from ecoplan.render.text import gap_text, shown_value, value_text
from ecoplan.report.assessment import Assessment, Result

BOM = "\ufeff"
CSV_COLUMNS = ["district", "code", "year", "pack", "id", "parent", "name", "attribute", "status", "status_zh", "value",
               "target", "gap", "gap_unit", "unit", "reason", "cell", "part"]


def flat_rows(assessment: Assessment) -> list[dict[str, object]]:
    """Every result as one flat record (the same facts as the JSON)."""
    rows = []
    parents: dict[str, str] = {}
    for top in assessment.results:
        for item in top.items:
            parents[item.id] = top.id
    for depth, result in assessment.rows():
        rows.append({
            "district": assessment.district["name"], "code": assessment.district.get("code") or "",
            "year": assessment.year, "pack": assessment.pack["id"], "id": result.id,
            "parent": parents.get(result.id, "") if depth else "", "name": result.name,
            "attribute": result.attribute or "", "status": result.status, "status_zh": status_text(result.status),
            "value": value_text(result), "target": result.target,
            "gap": "" if result.gap is None else format_number(result.gap),
            "gap_unit": "" if result.gap is None else (result.gap_unit or result.unit or ""), "unit": result.unit or "",
            "reason": result.reason, "cell": result.cell or "", "part": result.part,
        })
    return rows


def csv_header(*, bom: bool) -> str:
    """The CSV's first line, with the byte order mark when it goes to a file (for writers that stream rows)."""
    return (BOM if bom else "") + ",".join(CSV_COLUMNS) + "\n"


def render_csv(assessments: Assessment | Sequence[Assessment], *, bom: bool = False) -> str:
    """CSV with a header (after a byte order mark when `bom`: the text is going to a file); text a spreadsheet
    would run as a formula is kept as text."""
    items = [assessments] if isinstance(assessments, Assessment) else list(assessments)
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for assessment in items:
        for row in flat_rows(assessment):
            writer.writerow({k: csv_text(v) for k, v in row.items()})
    return out.getvalue()


MARKDOWN_HEADER = ["| 序号 | 指标 | 属性 | 状态 | 指标值 | 目标 | 差距 | 说明 |", "|---|---|---|---|---|---|---|---|"]


def markdown_row(depth: int, r: Result, status: str) -> str:
    """One result as a Markdown table row (sub-items marked ↳); `status` is the already decorated status cell."""
    return (f"| {'' if depth else markdown_text(r.seq or r.id)} | {('↳ ' if depth else '') + markdown_text(r.name)} | "
            f"{'' if depth else attribute_text(r.attribute)} | {status} | {markdown_text(shown_value(r))} | "
            f"{markdown_text(r.target)} | {markdown_text(gap_text(r))} | {markdown_text(r.reason)} |")


def render_markdown(assessments: Assessment | Sequence[Assessment]) -> str:
    """A Markdown report (for a pull-request comment): summary line, then each part of the pack (the table first)
    under its heading, a part outside the headline with its own tally."""
    items = [assessments] if isinstance(assessments, Assessment) else list(assessments)
    parts = []
    for a in items:
        pack = markdown_text(a.pack['title'] or a.pack['id'])
        parts.append(f"### {markdown_text(a.district['name'])} {a.year} 年 · {pack}\n")
        parts.append(f"**{a.summary.line()}**\n")
        for part in a.parts:
            parts.append(f"#### {markdown_text(part.heading)}\n")
            if not part.headline:
                parts.append(f"{part.summary.line()}\n")
            parts.extend(MARKDOWN_HEADER)
            parts.extend(markdown_row(depth, r, f"{STATUS_MARK[r.status]} {status_text(r.status)}")
                         for depth, r in part.rows())
            parts.append("")
    return "\n".join(parts)
