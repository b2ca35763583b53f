"""The assessment report: one object that every output format (table, JSON, CSV, Markdown, xlsx, JUnit) renders.

A pack has parts (DESIGN.md, "Parts of a pack"): the plan's indicator table, the quantified targets of its text and
the quantities of its major projects. The report keeps them apart here, once, so that every renderer shows the
same thing: the table first, as the document counts it (the headline `summary`), then each other part under its
own heading with its own tally (`Assessment.parts`). A document without a table is counted whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecoplan.report.problems import Problem
from ecoplan.vocabulary import ATTRIBUTE_LABELS, PART_LABELS, PARTS, STATUS_LABELS, Status

if TYPE_CHECKING:  # a report without progress (a table batch) never imports the progress calculation
    from ecoplan.evaluate.progress import Progress

__all__ = ["ATTRIBUTE_LABELS", "PART_CHOICES", "PART_LABELS", "STATUS_LABELS", "Assessment", "PartReport", "Result",
           "Summary", "composition", "part_heading", "selects"]

PART_CHOICES = ("table", "text", "project", "all")
"""What `--part` may name: the part the gate and the ranking judge (`table`: the headline, i.e. the indicator table,
or the whole pack where the document has none)."""


def selects(choice: str, part: str, has_table: bool) -> bool:
    """Whether a top-level indicator of `part` is judged under `--part choice` (see PART_CHOICES)."""
    if choice == "all":
        return True
    if choice == "table":
        return part == "table" or not has_table
    return part == choice



@dataclass
class Result:
    """One indicator (or sub-item) in one year: status, the value as reported, the target, the gap, the reason."""

    id: str
    name: str
    attribute: str | None
    status: Status
    value: Any
    target: str
    gap: float | None
    reason: str
    unit: str | None = None
    domain: str | None = None
    task: str | None = None
    seq: str | None = None
    cell: str | None = None
    brief: str | None = None  # the value shortened for tables (the task-and-actual cells are long)
    items: list[Result] = field(default_factory=list)
    progress: Sequence[Progress] | None = None  # toward later-year targets; each also reads as a mapping
    gap_unit: str | None = None  # the gap's unit when it is not the indicator's (a task in 天 for a rate in %)
    part: str = "table"  # the part of the plan (table, text, project); sub-items share their indicator's
    # sentences of the document that restate this target (line, text): shown with it, never counted again
    support: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md."""
        data: dict[str, Any] = {"id": self.id, "name": self.name, "attribute": self.attribute, "status": self.status,
                                "value": self.value, "target": self.target, "gap": self.gap, "reason": self.reason,
                                "part": self.part, "items": [i.as_dict() for i in self.items]}
        if self.gap_unit is not None:
            data["gap_unit"] = self.gap_unit
        if self.support:
            data["support"] = self.support
        if self.progress is not None:
            data["progress"] = [entry.as_dict() for entry in self.progress]
        return data

    def walk(self) -> list[Result]:
        return [self, *[r for i in self.items for r in i.walk()]]


@dataclass
class Summary:
    """Counts over top-level indicators, as the documents count them."""

    total: int = 0
    met: int = 0
    not_met: int = 0
    not_applicable: int = 0
    missing: int = 0
    review: int = 0
    constraint_not_met: int = 0
    not_applicable_counts_as_met: bool = True
    noun: str = "指标"  # what is counted: 指标 (the table), 正文目标, 重大工程

    @classmethod
    def count(cls, results: Sequence[Result], na_counts_as_met: bool, noun: str = "指标") -> Summary:
        """Counts over top-level results; 不涉及 is added to 达标 when the pack counts it so (as the documents do)."""
        summary = cls(total=len(results), not_applicable_counts_as_met=na_counts_as_met, noun=noun)
        for result in results:
            if result.status == "met":
                summary.met += 1
            elif result.status == "not_applicable":
                summary.not_applicable += 1
                if na_counts_as_met:
                    summary.met += 1
            elif result.status == "not_met":
                summary.not_met += 1
                if result.attribute == "constraint":
                    summary.constraint_not_met += 1
            elif result.status == "missing":
                summary.missing += 1
            else:
                summary.review += 1
        return summary

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "met": self.met, "not_met": self.not_met, "not_applicable": self.not_applicable,
                "missing": self.missing, "review": self.review, "constraint_not_met": self.constraint_not_met}

    def line(self) -> str:
        """The one-line summary: "32 项指标：达标 29，未达标 3（约束性 3）" (or "34 项正文目标：…")."""
        text = f"{self.total} 项{self.noun}：达标 {self.met}"
        if self.not_applicable and self.not_applicable_counts_as_met:
            text += f"（含不涉及 {self.not_applicable}）"
        text += f"，未达标 {self.not_met}"
        if self.noun == "指标":  # only a table prints 指标属性; text and project targets have none
            text += f"（约束性 {self.constraint_not_met}）"
        if self.not_applicable and not self.not_applicable_counts_as_met:
            text += f"，不涉及 {self.not_applicable}"
        if self.missing:
            text += f"，缺数据 {self.missing}"
        if self.review:
            text += f"，待核实 {self.review}"
        return text


def _rows(results: Sequence[Result]) -> list[tuple[int, Result]]:
    out: list[tuple[int, Result]] = []

    def visit(result: Result, depth: int) -> None:
        out.append((depth, result))
        for item in result.items:
            visit(item, depth + 1)

    for result in results:
        visit(result, 0)
    return out


@dataclass
class PartReport:
    """One part of the pack in an assessment: its top-level results, their tally and the heading it is shown
    under ("指标表（表4）：32 项（约束性 27，参考性 5）", "正文目标（不计入指标表）：34 项")."""

    name: str  # table | text | project
    results: list[Result]
    summary: Summary
    heading: str
    headline: bool  # counted in the assessment's summary (the table, or the whole of a pack without one)

    @property
    def label(self) -> str:
        return PART_LABELS[self.name]

    def rows(self) -> list[tuple[int, Result]]:
        """The part's results with their depth, in table order."""
        return _rows(self.results)


def composition(attributes: Sequence[str | None]) -> str:
    """A table's count as the documents write it, from its indicators' attributes: "32 项（约束性 27，参考性 5）",
    "7 项，均为约束性", or "12 项" where the table prints no attributes."""
    counts = {label: sum(1 for a in attributes if a == key) for key, label in ATTRIBUTE_LABELS.items()}
    shown = {label: n for label, n in counts.items() if n}
    total = len(attributes)
    if len(shown) == 1 and next(iter(shown.values())) == total:
        return f"{total} 项，均为{next(iter(shown))}"
    words = "，".join(f"{label} {n}" for label, n in shown.items())
    return f"{total} 项" + (f"（{words}）" if words else "")


def part_heading(name: str, attributes: Sequence[str | None], table: str | None, has_table: bool) -> str:
    """The heading a part is shown under: "指标表（专栏2 …）：7 项，均为约束性" (the document's own count),
    "正文目标（不计入指标表）：34 项", or for a document without a table "正文目标（本文件没有指标表）：21 项"."""
    if name == "table":
        return f"{PART_LABELS[name]}{f'（{table}）' if table else ''}：{composition(attributes)}"
    apart = "不计入指标表" if has_table else "本文件没有指标表"
    return f"{PART_LABELS[name]}（{apart}）：{len(attributes)} 项"


@dataclass
class Assessment:
    """One workbook × one pack × one year."""

    district: dict[str, Any]
    pack: dict[str, Any]
    year: int
    results: list[Result]
    summary: Summary
    source: str | None = None
    problems: list[Problem] = field(default_factory=list)
    table: str | None = None  # the indicator table's name as the document prints it (专栏2 …, 表4 …)

    @classmethod
    def build(cls, district: dict[str, Any], pack: dict[str, Any], year: int, results: list[Result],
              na_counts_as_met: bool, table: str | None = None) -> Assessment:
        """The assessment of `results`, its summary counting the headline part (the table, or the whole pack where
        it has none)."""
        has_table = any(r.part == "table" for r in results)
        headline = [r for r in results if selects("table", r.part, has_table)]
        nouns = {r.part for r in headline}
        noun = "指标" if nouns == {"table"} else (PART_LABELS[nouns.pop()] if len(nouns) == 1 else "目标")
        return cls(district=district, pack=pack, year=year, results=results, table=table,
                   summary=Summary.count(headline, na_counts_as_met, noun))

    @property
    def has_table(self) -> bool:
        return any(r.part == "table" for r in self.results)

    @property
    def parts(self) -> list[PartReport]:
        """The parts present, in their order (table, text, project), each with its tally and heading."""
        na = self.summary.not_applicable_counts_as_met
        reports = []
        for name in PARTS:
            results = [r for r in self.results if r.part == name]
            if not results:
                continue
            noun = "指标" if name == "table" else PART_LABELS[name]
            heading = part_heading(name, [r.attribute for r in results], self.table, self.has_table)
            reports.append(PartReport(name, results, Summary.count(results, na, noun), heading,
                                      selects("table", name, self.has_table)))
        return reports

    def selected(self, choice: str) -> list[Result]:
        """The top-level results `--part choice` judges (the gate, the ranking)."""
        has_table = self.has_table
        return [r for r in self.results if selects(choice, r.part, has_table)]

    def summary_for(self, choice: str) -> Summary:
        """The tally of the part(s) `--part choice` names (the headline summary for `table`)."""
        if choice == "table":
            return self.summary
        nouns = {"text": PART_LABELS["text"], "project": PART_LABELS["project"]}
        return Summary.count(self.selected(choice), self.summary.not_applicable_counts_as_met,
                             nouns.get(choice, "目标"))

    def as_dict(self) -> dict[str, Any]:
        """DESIGN.md's JSON object, with the workbook's `problems` (an empty list when it has none)."""
        return {"district": self.district, "pack": self.pack, "summary": self.summary.as_dict(),
                "parts": {p.name: p.summary.as_dict() for p in self.parts},
                "results": [r.as_dict() for r in self.results], "problems": [p.as_dict() for p in self.problems]}

    def rows(self) -> list[tuple[int, Result]]:
        """Every result with its depth (0 = indicator, 1 = sub-item), in table order."""
        return _rows(self.results)
