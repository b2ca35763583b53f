"""What a container check learns about a sheet that its cell values cannot show (hidden rows and columns,
formulas without a saved value, cells in a percentage format, error values such as #DIV/0!): found by
workbook/zipped.py for .xlsx and .ods and by workbook/ole2.py for .xls, used by the reader."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SheetFacts:
    """One sheet's facts, found without parsing it."""

    rows: int = 0  # <row> elements (xlsx) or table rows holding a value (ods)
    hidden_rows: list[int] = field(default_factory=list)  # 1-based numbers of rows marked hidden
    hidden_columns: list[int] = field(default_factory=list)  # 0-based indexes of columns marked hidden
    dimension_columns: int | None = None  # width of the <dimension ref="A1:H40"> the sheet declares
    uncached_formulas: list[str] = field(default_factory=list)  # A1 refs of formulas with no saved value
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, col), 0-based, in a % number format
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → #DIV/0!, which the
    # parser gives as an empty cell (.xlsx)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row0, col0, row1, col1), when the
    # parser gives no merged ranges itself (.ods)
