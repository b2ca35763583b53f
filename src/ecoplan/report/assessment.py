"""The assessment report: one object that every output format (table, JSON, CSV, Markdown, xlsx, JUnit) renders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecoplan.report.problems import Problem
from ecoplan.vocabulary import ATTRIBUTE_LABELS, STATUS_LABELS, Status

if TYPE_CHECKING:  # a report without progress (a table batch) never imports the progress calculation
    from ecoplan.evaluate.progress import Progress

__all__ = ["ATTRIBUTE_LABELS", "STATUS_LABELS", "Assessment", "Result", "Summary"]


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

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md."""
        data: dict[str, Any] = {"id": self.id, "name": self.name, "attribute": self.attribute, "status": self.status,
                                "value": self.value, "target": self.target, "gap": self.gap, "reason": self.reason,
                                "items": [i.as_dict() for i in self.items]}
        if self.gap_unit is not None:
            data["gap_unit"] = self.gap_unit
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

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, "met": self.met, "not_met": self.not_met, "not_applicable": self.not_applicable,
                "missing": self.missing, "review": self.review, "constraint_not_met": self.constraint_not_met}

    def line(self) -> str:
        """The one-line summary: "32 项指标：达标 29，未达标 3（约束性 3）"."""
        text = f"{self.total} 项指标：达标 {self.met}"
        if self.not_applicable and self.not_applicable_counts_as_met:
            text += f"（含不涉及 {self.not_applicable}）"
        text += f"，未达标 {self.not_met}（约束性 {self.constraint_not_met}）"
        if self.not_applicable and not self.not_applicable_counts_as_met:
            text += f"，不涉及 {self.not_applicable}"
        if self.missing:
            text += f"，缺数据 {self.missing}"
        if self.review:
            text += f"，待核实 {self.review}"
        return text


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

    def as_dict(self) -> dict[str, Any]:
        """DESIGN.md's JSON object, with the workbook's `problems` (an empty list when it has none)."""
        return {"district": self.district, "pack": self.pack, "summary": self.summary.as_dict(),
                "results": [r.as_dict() for r in self.results], "problems": [p.as_dict() for p in self.problems]}

    def rows(self) -> list[tuple[int, Result]]:
        """Every result with its depth (0 = indicator, 1 = sub-item), in table order."""
        out: list[tuple[int, Result]] = []

        def visit(result: Result, depth: int) -> None:
            out.append((depth, result))
            for item in result.items:
                visit(item, depth + 1)

        for result in self.results:
            visit(result, 0)
        return out
