"""Problems found in a submission: a stable code, a severity, where (as Excel shows it) and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook. `cell` is ``指标数据!D7``; `indicator`/`year` name the row's key."""

    code: str
    severity: Severity
    message: str
    cell: str | None = None
    indicator: str | None = None
    year: int | None = None

    def __str__(self) -> str:
        where = f"{self.cell}: " if self.cell else ""
        key = f" [{self.indicator}{' ' + str(self.year) if self.year else ''}]" if self.indicator else ""
        return f"{where}{self.severity} {self.code}: {self.message}{key}"

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message, "cell": self.cell,
                "indicator": self.indicator, "year": self.year}
