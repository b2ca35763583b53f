"""GitHub Actions workflow commands: one annotation per problem and per unmet indicator, grouped per file.

``::error file=…,title=…::message`` for errors and for indicators that fail the ``--fail-on`` gate,
``::warning`` for warnings and for unmet indicators the gate does not name, ``::notice`` for the verdict of
each file. Annotations on an .xlsx cannot point at a line, so the title carries the cell (``指标数据!D7``) and
the code. Values are escaped as the runner requires (%, CR, LF; and : , in properties) so a submitted text
cannot inject a workflow command of its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from ecoplan.render.check_report import totals_line
from ecoplan.render.labels import attribute_text, status_text
from ecoplan.report.verdict import Checked, location, row_key


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props: str) -> str:
    shown = ",".join(f"{k}={_prop(v)}" for k, v in props.items() if v)
    return f"::{kind} {shown}::{_data(message)}" if shown else f"::{kind}::{_data(message)}"


def render_github(checks: Sequence[Checked]) -> str:
    """Workflow commands for every file, then a line with the overall counts."""
    lines: list[str] = []
    for checked in checks:
        # The verdict first: GitHub shows only the first 10 annotations of each kind per step.
        kind = "notice" if checked.verdict == "pass" else "error"
        lines.append(_command(kind, checked.verdict_line(), file=checked.path, title="ecoplan check"))
        lines.append(f"::group::{_data(checked.path)}")
        for problem in checked.problems:
            where = location(problem)
            key = row_key(problem)
            title = " ".join(x for x in (problem.code, where) if x)
            message = problem.message + (f" [{key}]" if key else "")
            lines.append(_command(problem.severity, message, file=checked.path, title=title))
        if checked.assessment is not None:
            for result in checked.assessment.results:
                if result.status != "not_met":
                    continue
                kind = "error" if checked.gated(result) else "warning"
                where = f" {result.cell}" if result.cell else ""
                unmet = status_text("not_met")
                title = f"{unmet} {checked.pack_id}.{result.id}{where}"
                message = f"{result.name}（{attribute_text(result.attribute) or '无属性'}）{unmet}：{result.reason}"
                lines.append(_command(kind, message, file=checked.path, title=title))
        lines.append("::endgroup::")
    lines.append(f"ecoplan check：{totals_line(checks)}")
    return "\n".join(lines) + "\n"
