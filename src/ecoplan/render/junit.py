"""JUnit XML for CI test reports (GitLab merge requests, Jenkins, GitHub test-report actions).

Layout — stable across builds, so a CI server can track an indicator from one submission to the next
(conftest #695/#775: names that embed the message, or repeat, break that):

- one ``<testsuite>`` per submitted file, named by the file path, with the district, pack, year, gate and
  verdict as ``<properties>``;
- one ``<testcase>`` per top-level indicator of the pack, ``classname`` = the pack id and
  ``name`` = ``{pack id}.{indicator id}`` (never the message; sub-items are reported inside their indicator);
- one more ``<testcase>`` named ``{pack id}.workbook`` for problems that belong to no indicator (a missing
  sheet, the profile, a row naming no indicator of the pack) — always present, passing when there are none;
- an unusable file (unreadable, unknown pack) is a suite with one testcase ``ecoplan.file`` in error.

Mapping of a testcase's outcome — a testcase fails exactly when it makes the ``--fail-on`` gate fail, so the
JUnit report and the exit code always agree:

===========================================  ===============================================================
indicator                                    JUnit
===========================================  ===============================================================
an error-severity problem in its rows        ``<error type="{code}">`` (e.g. a 约束性 value missing)
unmet and named by ``--fail-on``             ``<failure type="not_met">`` (by default: unmet 约束性)
unmet, not gated (预期性/参考性 by default)    ``<skipped message="未达标（预期性，不在 --fail-on constraint 内）…">``
缺数据 / 待核实                              ``<skipped message="缺数据 …">`` / ``<skipped message="待核实 …">``
not evaluated (the submission has errors)    ``<skipped message="未评估：提交有 N 个错误，请先改正">``
达标 / 不涉及                                passed; ``<system-out>`` says which, with value, target and gap
===========================================  ===============================================================

Skipped is the one JUnit state that CI servers count and show without turning the build red, so unmet
indicators the gate does not name stay visible to a reviewer. Warnings go to ``<system-out>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ecoplan.render.labels import SEVERITY_LABELS, attribute_text, status_text
from ecoplan.render.text import gap_text, value_text
from ecoplan.report.assessment import Result
from ecoplan.report.problems import Problem
from ecoplan.report.verdict import Checked, IndicatorKeys, location, row_key

# XML 1.0 cannot carry most C0 control characters; a hostile workbook may contain them.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: object) -> str:
    return _XML_ILLEGAL.sub("\ufffd", "" if text is None else str(text))


def _problem_line(problem: Problem) -> str:
    parts = [location(problem), f"{SEVERITY_LABELS[problem.severity]} {problem.code}", problem.message]
    key = row_key(problem)
    if key:
        parts.append(f"[{key}]")
    return " ".join(p for p in parts[:2] if p) + ": " + " ".join(parts[2:])


def _result_lines(result: Result) -> list[str]:
    lines = []
    for depth, r in [(0, result), *[(1, i) for i in result.items]]:
        lead = "  └ " if depth else ""
        facts = [f"{lead}{r.id} {r.name}: {status_text(r.status)}"]
        if value_text(r):
            facts.append(f"指标值 {value_text(r)}")
        if r.target:
            facts.append(f"目标 {r.target}")
        if gap_text(r):
            facts.append(f"差距 {gap_text(r)}")
        if r.cell:
            facts.append(r.cell)
        lines.append("；".join(facts) + (f" — {r.reason}" if r.reason else ""))
    return lines


def _testcase(suite: ET.Element, checked: Checked, name: str, classname: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", {"classname": _clean(classname), "name": _clean(name),
                                             "file": _clean(checked.path), "time": "0"})


def _add(case: ET.Element, tag: str, message: str, kind: str | None = None, text: str | None = None) -> None:
    attrs = {"message": _clean(message)}
    if kind:
        attrs["type"] = _clean(kind)
    element = ET.SubElement(case, tag, attrs)
    if text:
        element.text = _clean(text)


def _indicator_case(suite: ET.Element, checked: Checked, entry: IndicatorKeys, result: Result | None) -> str:
    """Add one indicator's testcase; return its outcome: passed, failure, error or skipped."""
    pack = checked.pack_id or "ecoplan"
    case = _testcase(suite, checked, f"{pack}.{entry.id}", pack)
    problems = checked.problems_for(entry)
    errors = [p for p in problems if p.severity == "error"]
    out = _result_lines(result) if result is not None else []
    out += [_problem_line(p) for p in problems]
    outcome = "passed"
    if errors:
        more = f"（另有 {len(errors) - 1} 个）" if len(errors) > 1 else ""
        _add(case, "error", f"{location(errors[0])} {errors[0].code}: {errors[0].message}{more}".strip(),
             errors[0].code, "\n".join(_problem_line(p) for p in errors))
        outcome = "error"
    elif result is None:
        _add(case, "skipped", f"未评估：提交有 {len(checked.errors)} 个错误，请先改正")
        outcome = "skipped"
    elif checked.gated(result):
        _add(case, "failure", f"{entry.name} 未达标（{attribute_text(result.attribute)}）：{result.reason}",
             "not_met", "\n".join(_result_lines(result)))
        outcome = "failure"
    elif result.status == "not_met":
        _add(case, "skipped", f"未达标（{attribute_text(result.attribute) or '无属性'}，不在 --fail-on "
             f"{checked.fail_on} 内）：{result.reason}")
        outcome = "skipped"
    elif result.status in ("missing", "review"):
        _add(case, "skipped", f"{status_text(result.status)}：{result.reason}")
        outcome = "skipped"
    if out:
        ET.SubElement(case, "system-out").text = _clean("\n".join(out))
    return outcome


def _suite(root: ET.Element, checked: Checked) -> dict[str, int]:
    suite = ET.SubElement(root, "testsuite", {"name": _clean(checked.path)})
    props = ET.SubElement(suite, "properties")
    district = (checked.assessment.district if checked.assessment else checked.district) or {}
    for key, value in (("district", district.get("name")), ("code", district.get("code")),
                       ("year", district.get("year")), ("pack", checked.pack_id), ("fail_on", checked.fail_on),
                       ("verdict", checked.verdict)):
        if value is not None:
            ET.SubElement(props, "property", {"name": key, "value": _clean(value)})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def count(outcome: str) -> None:
        counts["tests"] += 1
        if outcome == "failure":
            counts["failures"] += 1
        elif outcome in ("error", "skipped"):
            counts["errors" if outcome == "error" else "skipped"] += 1

    if checked.unusable:
        case = _testcase(suite, checked, "ecoplan.file", "ecoplan")
        problem = checked.problems[0]
        _add(case, "error", f"{problem.code}: {problem.message}", problem.code, _problem_line(problem))
        count("error")
    else:
        results = {r.id: r for r in checked.assessment.results} if checked.assessment else {}
        for entry in checked.indicators:
            count(_indicator_case(suite, checked, entry, results.get(entry.id)))
        pack = checked.pack_id or "ecoplan"
        case = _testcase(suite, checked, f"{pack}.workbook", pack)
        loose = checked.unattached()
        loose_errors = [p for p in loose if p.severity == "error"]
        if loose_errors:
            first = loose_errors[0]
            more = f"（另有 {len(loose_errors) - 1} 个）" if len(loose_errors) > 1 else ""
            _add(case, "error", f"{location(first)} {first.code}: {first.message}{more}".strip(), first.code,
                 "\n".join(_problem_line(p) for p in loose_errors))
        if loose:
            ET.SubElement(case, "system-out").text = _clean("\n".join(_problem_line(p) for p in loose))
        elif checked.assessment is not None:
            ET.SubElement(case, "system-out").text = _clean(checked.assessment.summary.line())
        count("error" if loose_errors else "passed")
    for key, value in counts.items():
        suite.set(key, str(value))
    return counts


def render_junit(checks: Sequence[Checked]) -> str:
    """The JUnit XML document for the checked files (UTF-8 text with an XML declaration)."""
    root = ET.Element("testsuites", {"name": "ecoplan check"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for checked in checks:
        for key, value in _suite(root, checked).items():
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
