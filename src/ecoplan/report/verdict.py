"""`ecoplan check` as data: one `Checked` per submitted file, the verdict, and the exit code of a set of files.

The verdicts, worst last, and the exit code each gives (the exit code of several files is the worst one):

- ``pass``     (0): readable, no error, and the `--fail-on` gate passed;
- ``fail``     (1): readable and without errors, but an indicator the gate names is unmet;
- ``error``    (1): the submission has errors (malformed rows, a 约束性 indicator without a value, nothing
  evaluated …) — it must be corrected before it can be judged;
- ``unusable`` (2): the file or its rule pack cannot be used at all (not a workbook, unknown pack, invalid
  rule file).

Every file is listed in every format, the unusable ones with their one error, so a CI log shows all of them.
The renderers (table, JSON, JUnit, GitHub, Markdown) only read these objects; `ecoplan.run.check` makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ecoplan.report.assessment import selects
from ecoplan.report.problems import Problem, errors_in
from ecoplan.vocabulary import PART_LABELS

if TYPE_CHECKING:
    from ecoplan.report.assessment import Assessment, Result

Verdict = Literal["pass", "fail", "error", "unusable"]
EXIT_CODES: dict[str, int] = {"pass": 0, "fail": 1, "error": 1, "unusable": 2}
VERDICT_LABELS: dict[str, str] = {"pass": "通过", "fail": "未通过", "error": "有错误", "unusable": "无法读取"}



def gated(status: str, attribute: str | None, fail_on: object) -> bool:
    """The one `--fail-on` gate, for one top-level indicator: whether its status fails the gate.

    An unmet indicator of the kind named fails it, and so does one without a value for the assessed year (a row
    missing or a blank cell alike): an absent value must never pass where a present one could fail. `never` fails
    nothing; `not_met` names every indicator; `constraint` only 约束性 ones."""
    name = getattr(fail_on, "value", fail_on)
    if name == "never" or status not in ("not_met", "missing"):
        return False
    return name == "not_met" or attribute == "constraint"


def gate_failed(assessment: Assessment, fail_on: object, part: str = "table") -> bool:
    """Whether an assessment fails the `--fail-on` gate: an indicator of the part `--part` names (the table by
    default: the headline) that `gated` names, or an error in the workbook (a cell it cannot read may hide an
    unmet indicator; no value at all for the assessed year is one) — under any gate but `never`, which fails
    nothing: `assess` then exits 0 with every problem listed in its report."""
    if getattr(fail_on, "value", fail_on) == "never":
        return False
    return bool(errors_in(assessment.problems)) or any(gated(r.status, r.attribute, fail_on)
                                                        for r in assessment.selected(part))


def part_absent(assessment: Assessment, part: str) -> Problem | None:
    """The problem of a `--part` that names a part the pack does not have (`--part text` on a pack with no text
    targets): the gate would judge nothing and pass in silence, so it is an error the report lists."""
    if part in ("table", "all") or assessment.selected(part):
        return None
    present = "、".join(f"{PART_LABELS[p.name]}（{p.name}）" for p in assessment.parts)
    return Problem("part-absent", f"--part {part}：指标体系 {assessment.pack.get('id')} 没有{PART_LABELS[part]}，"
                                  f"--fail-on 无从判定；它有：{present}")


@dataclass(frozen=True)
class IndicatorKeys:
    """A top-level indicator of the pack, with every id and name a problem's row key may use for it."""

    id: str
    name: str
    attribute: str | None
    keys: frozenset[str]




@dataclass
class Checked:
    """One submitted file after `ecoplan check`: its problems, its assessment (if one could be made) and verdict."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    assessment: Assessment | None = None
    pack_id: str | None = None
    pack_title: str | None = None
    indicators: list[IndicatorKeys] = field(default_factory=list)  # the pack's top-level indicators, in table order
    district: dict[str, Any] | None = None
    fail_on: str = "constraint"
    unusable: bool = False
    part: str = "table"  # the part of the pack the gate judges (--part)

    @property
    def errors(self) -> list[Problem]:
        return errors_in(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def gated(self, result: Result) -> bool:
        """Whether this top-level result makes the `--fail-on` gate fail (see `gated`): only a result of the part
        the gate judges (--part) can."""
        judged = self.assessment is None or selects(self.part, result.part, self.assessment.has_table)
        return judged and gated(result.status, result.attribute, self.fail_on)

    @property
    def failing(self) -> list[Result]:
        """Top-level results that fail the gate."""
        if self.assessment is None:
            return []
        return [r for r in self.assessment.selected(self.part) if self.gated(r)]

    @property
    def verdict(self) -> Verdict:
        if self.unusable:
            return "unusable"
        if self.errors or self.assessment is None:
            return "error"
        return "fail" if self.failing else "pass"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]

    def problems_for(self, entry: IndicatorKeys) -> list[Problem]:
        """Problems whose row key is this indicator or one of its sub-items."""
        return [p for p in self.problems if p.indicator is not None and p.indicator in entry.keys]

    def unattached(self) -> list[Problem]:
        """Problems that belong to no indicator of the pack (sheets, profile, unknown rows)."""
        keys = set().union(*(e.keys for e in self.indicators)) if self.indicators else set()
        return [p for p in self.problems if p.indicator is None or p.indicator not in keys]

    def verdict_line(self) -> str:
        """The file's verdict in one line: which file, district and pack, the verdict and the counts."""
        district = (self.assessment.district if self.assessment else self.district) or {}
        who = " ".join(str(x) for x in (district.get("name"), district.get("year")) if x)
        pack = f" · {self.pack_id}" if self.pack_id else ""
        counts = f"错误 {len(self.errors)} 个，警告 {len(self.warnings)} 个"
        summary = f"；{self.assessment.summary.line()}" if self.assessment else ""
        return f"{self.path}{(' ' + who) if who else ''}{pack}：{VERDICT_LABELS[self.verdict]}（{counts}{summary}）"

    def as_dict(self) -> dict[str, Any]:
        """DESIGN.md's JSON object plus `problems`, and what the gate decided (`file`, `verdict`, `gate`)."""
        if self.assessment is not None:
            data = self.assessment.as_dict()
        else:
            data = {"district": self.district,
                    "pack": {"id": self.pack_id, "title": self.pack_title} if self.pack_id else None,
                    "summary": None, "results": []}
        data["problems"] = [p.as_dict() for p in self.problems]
        data["file"] = self.path
        data["verdict"] = self.verdict
        data["gate"] = {"fail_on": self.fail_on, "part": self.part,
                        "failed": [f"{self.pack_id}.{r.id}" for r in self.failing]}
        return data


def exit_code(checks: list[Checked]) -> int:
    """The worst exit code of the files: 2 if any is unusable, else 1 if any has errors or fails, else 0."""
    if not checks:
        return 2
    return max(c.exit_code for c in checks)


def location(problem: Problem) -> str:
    """Where to look, as Excel shows it; a missing row is reported against its sheet."""
    if problem.cell:
        return problem.cell
    if problem.code == "missing-constraint-value":
        return "指标数据"
    return ""


def row_key(problem: Problem) -> str:
    """The row's key as a clerk finds it: indicator and year."""
    if not problem.indicator:
        return ""
    return f"{problem.indicator} {problem.year}" if problem.year else problem.indicator
