"""Every text parser against 1 MB texts, within a budget of work: run by tests/test_values.py in a child process.

    python tests/text_budget.py SIZE      # one JSON line per (parser, shape): its time and the reference time

Each parser gets texts of SIZE characters in shapes that make a backtracking pattern slow: a long run without the
character a pattern looks for, runs of digits, spaces or backslashes after a marker. The budget is counted in
passes over the text: the time of one plain pass (`_reference`, a linear regex substitution) measured beside it.
A linear parser makes a few hundred at most (NFKC folding, a few dozen patterns); a quadratic one on 1 MB makes
hundreds of thousands (`_MEASURE` once took 25 s on 32,000 characters), so the budget tells them apart
however busy the machine is, and no wall-clock figure is asserted. A "start" line precedes each run, so a parser
that never ends is named by the last one.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ecoplan import normalize, quantity
from ecoplan.errors import InputError
from ecoplan.rules import shorthand
from ecoplan.workbook import layout, profile, values
from ecoplan.workbook.district import load_district
from ecoplan.workbook.reader import RawSheet, RawWorkbook

BUDGET = 5000  # passes over the text a parser may take: linear ones take up to ~600, a quadratic one ~500,000


def _uncached(function: Callable[..., Any]) -> Callable[..., Any]:
    return getattr(function, "__wrapped__", function)


def _criterion(text: str) -> Any:
    try:
        return shorthand.expand(text, "higher", None)
    except (InputError, ValueError):  # ShorthandError: the text is no criterion, which is an answer too
        return None


def _district(text: str) -> Any:
    """A workbook whose name, value, task, unit and 区县名称 cells hold `text` (past the reader's cell limit)."""
    info = RawSheet("区县信息", [["项目", "内容"], ["区县名称", text], ["评估年度", 2023], ["指标体系", text]])
    data = RawSheet("指标数据", [["指标编号", "指标名称", "年度", "指标值", "上级任务", "单位"],
                                 ["6.1", text, 2023, text, text, text]])
    return load_district(RawWorkbook(Path("x.xlsx"), {"区县信息": info, "指标数据": data}))


PARSERS: dict[str, Callable[[str], Any]] = {
    "parse_value": values.parse_value, "parse_task": _uncached(values.parse_task),
    "parse_quantity": values.parse_quantity, "parse_class": values.parse_class,
    "fold": normalize.fold, "compact": _uncached(normalize.compact), "name_key": _uncached(normalize.name_key),
    "strip_footnotes": normalize.strip_footnotes, "unit_key": _uncached(normalize.unit_key),
    "odd_digits": normalize.odd_digits, "to_float": quantity.to_float, "parse_year": profile.parse_year,
    "split_id_and_name": layout.split_id_and_name, "footer_label": lambda t: layout.footer_label([t]),
    "header_like": lambda t: layout.header_like([t, t]), "criterion": _criterion, "load_district": _district,
}
# (start, filler, end): the filler repeated to the size asked for. Each once made some pattern quadratic or worse.
SHAPES = [("71.1", "中", ""), ("≥", "1", ":"), ("上级任务：", "\\", ":"), ("PM", " ", "x"), ("2类区:", "1%", ""),
          ("上级规定的考核任务：1", "中1", "当年指标值：1"), ("^[", "1", ""), ("", "a:", "1"), ("比2015年下降", "1", "%)"),
          ("1.", " ", "中"), ("【", " ", "")]


def _reference(text: str) -> Any:
    return re.sub(r"\s", "", text)


def _seconds(function: Callable[[str], Any], text: str) -> float:
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


def main(size: int) -> None:
    for name, function in PARSERS.items():
        for start, filler, end in SHAPES:
            text = start + filler * (size // len(filler)) + end
            print(json.dumps({"start": name, "shape": [start, filler, end]}, ensure_ascii=False), flush=True)
            took = _seconds(function, text)
            reference = min(_seconds(_reference, text) for _ in range(3))
            print(json.dumps({"parser": name, "shape": [start, filler, end], "seconds": took,
                              "passes": took / reference}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
