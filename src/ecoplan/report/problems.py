"""Problems found in a submission: a stable code, a severity, where (as Excel shows it) and what to do.

`CATALOGUE` is the one list of problem codes: each code's severity, what it means in Chinese (and English) and
what the submitter does about it. docs/ci.md shows it as a table (`catalogue_table()`, kept in step by
tests/test_workbook_catalogue.py), and a problem made with a code that is not here fails the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
# How a severity reads inside a message (the JSON keeps the English value).
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a workbook. `cell` is ``指标数据!D7``; `indicator`/`year` name the row's key.

    Its severity is its code's, from `CATALOGUE`: one problem reads the same in every command and format."""

    code: str
    message: str
    cell: str | None = None
    indicator: str | None = None
    year: int | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise ValueError(f"问题代码 {self.code!r} 不在 CATALOGUE 中")

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    def __str__(self) -> str:
        where = f"{self.cell}: " if self.cell else ""
        key = f" [{self.indicator}{' ' + str(self.year) if self.year else ''}]" if self.indicator else ""
        return f"{where}{SEVERITY_LABELS[self.severity]} {self.code}：{self.message}{key}"

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message, "cell": self.cell,
                "indicator": self.indicator, "year": self.year}


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    """The problems of severity error, in order."""
    return [p for p in problems if p.severity == "error"]


@dataclass(frozen=True)
class Kind:
    """What one problem code means: its severity (as `assess` reports it), the Chinese and English text, and what
    the submitter should do."""

    severity: Severity
    zh: str
    en: str
    help: str


CATALOGUE: dict[str, Kind] = {
    # The file itself
    "file-unreadable": Kind("error", "文件无法读取：不是工作簿、为空、已损坏、已加密或超出限制",
                            "the file cannot be read: not a workbook, empty, damaged, encrypted or over a limit",
                            "按消息所说另存为 .xlsx、.xls 或 .ods 后重新提交"),
    "internal-error": Kind("error", "处理该文件时 ecoplan 出错（程序缺陷）", "ecoplan failed on this file (a bug)",
                           "连同该文件报告此问题；其他文件照常处理"),
    "pack-unknown": Kind("error", "指标体系不存在", "the pack named is unknown",
                         "核对区县信息中的指标体系，或用 --pack 指定"),
    "rule-invalid": Kind("error", "指标体系的规则文件有错误", "the pack's rule file is invalid",
                         "运行 ecoplan rules lint 查看规则文件的问题"),
    "part-absent": Kind("error", "--part 指定的部分在指标体系中没有，--fail-on 无从判定",
                        "the pack has no part --part names: the gate would judge nothing",
                        "改用指标体系有的部分（ecoplan rules show 列出），或 --part all"),
    # Sheets and header
    "sheet-missing": Kind("error", "缺少工作表“区县信息”或“指标数据”", "no 区县信息 / 指标数据 sheet",
                          "按模板命名工作表（消息中列出了现有的工作表）"),
    "header-missing": Kind("error", "找不到表头行（指标名称/指标编号 和 指标值/年度列）",
                           "no header row with 指标名称/指标编号 and 指标值 or year columns",
                           "在前 10 行中放一行表头，或使用 ecoplan template 生成的模板"),
    "header-merged": Kind("warning", "一个表头单元格覆盖编号和名称两列，已按内容分辨",
                          "one header cell spans the id and name columns; read by their contents",
                          "核对读取结果；最好给每列单独的表头"),
    "no-rows": Kind("error", "有表头但没有指标行", "a header but no indicator rows", "在表头下逐行填写指标"),
    "no-indicators": Kind("error", "没有一行对应指标体系中的指标", "no row matches an indicator of the pack",
                          "核对指标体系是否选对、指标名称或编号是否照模板填写"),
    "nothing-evaluated": Kind("error", "评估年度没有任何指标有值", "no indicator has a value for the assessed year",
                              "填写评估年度的指标值，或核对 --year"),
    # 区县信息
    "profile-missing": Kind("error", "区县信息缺少区县名称、评估年度或某些指标需要的项（地区类型等）",
                            "区县名称, 评估年度 or a profile field a criterion needs is missing",
                            "在区县信息中补上消息所说的项"),
    "pack-missing": Kind("error", "没有指定指标体系", "neither 指标体系 nor --pack names the rule pack",
                         "在区县信息中填写指标体系，或用 --pack 指定"),
    "duplicate-key": Kind("error", "区县信息中同一项填了两次", "a profile key is given twice", "删去重复的一行"),
    # Rows
    "indicator-missing": Kind("error", "有值的行没有指标名称或指标编号", "a row with values but no name or id",
                              "补上指标名称或编号，或删去这一行"),
    "year-missing": Kind("error", "行没有年度，区县信息中也没有评估年度", "rows without 年度 and no 评估年度",
                         "填写区县信息的评估年度（或每行的年度）"),
    "row-ignored": Kind("warning", "合计、备注或落款行，不是指标行，未读取",
                        "a total, note or signature row below the table; not read", "无需处理；确认它不是指标行"),
    "unknown-indicator": Kind("error", "指标名称或编号不在指标体系中", "the row names no indicator of the pack",
                              "照模板核对名称和编号（消息中列出了相近的编号）"),
    "ambiguous-indicator": Kind("error", "指标名称对应多个指标", "the name matches several indicators",
                                "填写指标编号加以区分"),
    "id-name-mismatch": Kind("warning", "指标编号与指标名称不一致，按编号读取",
                             "the id and the name denote different indicators; the id is used",
                             "核对编号和名称，改正错的一个"),
    "composite-value": Kind("warning", "综合指标由分项判定，其本身的值未使用",
                            "a composite indicator is decided by its sub-items; its own row is ignored",
                            "填写各分项的值"),
    "duplicate-row": Kind("error", "同一指标同一年度填了两行", "the same indicator and year twice",
                          "只保留一行（消息中给出了两处单元格）"),
    "duplicate-submission": Kind("error", "同一区县同一年度、同一指标体系在两份文件中提交",
                                 "the same district, year and pack in two files",
                                 "只保留一份（消息中给出了另一份文件）"),
    "district-mismatch": Kind("error", "多份工作簿不属于同一区县", "the workbooks are of different districts",
                              "只把同一区县的工作簿放在一起评估"),
    "history-conflict": Kind("error", "多份工作簿中同一指标同一年度的值不同",
                             "two workbooks give different values for one indicator and year",
                             "改正其中一份工作簿"),
    # Values
    "value-type": Kind("error", "值的类型不对：该填数字或年份的地方是文字、日期等",
                       "a number or year is due and the cell holds text, a date, …",
                       "按消息所说改正单元格"),
    "value-asserted": Kind("warning", "标准是数值，填的是“达标”“完成”之类的文字：按指标体系的约定判定",
                           "the standard is a number and the cell asserts it in words; the pack's convention decides",
                           "填写实际数值"),
    "unit-mismatch": Kind("error", "单位与指标体系不同", "the unit differs from the pack's",
                          "换算为指标体系的单位，或改正单位"),
    "missing-constraint-value": Kind("error", "约束性指标在评估年度没有填报值",
                                     "a 约束性 indicator has no value for the assessed year",
                                     "填写该指标评估年度的值"),
    "not-applicable-unexpected": Kind("warning", "填报为不涉及，但指标体系没有标明它可以不涉及",
                                      "reported 不涉及 though the pack does not mark it as possibly not applicable",
                                      "核对该指标是否确实不涉及"),
    "task-conflict": Kind("warning", "上级任务列与指标值单元格中的任务不一致，以上级任务列为准",
                          "the 上级任务 column and the value cell give different tasks; the column is used",
                          "改正其中一处"),
    # Cells
    "merged-cells": Kind("error", "读取的列中有跨行合并的单元格", "cells merged across rows in a column that is read",
                         "取消合并，逐行填写"),
    "formula-no-value": Kind("error", "公式没有保存计算结果", "a formula without a saved result",
                             "在 Excel 或 WPS 中打开后保存，或直接填写数值"),
    "hidden-rows": Kind("warning", "有隐藏的行，其中的值照常读取", "hidden rows; their values are read",
                        "确认隐藏行中的值应当上报，否则删去这些行"),
    "hidden-columns": Kind("warning", "读取的列被隐藏，其中的值照常读取", "hidden columns that are read",
                           "确认隐藏列中的值应当上报"),
}


def catalogue_table() -> str:
    """The catalogue as the Markdown table docs/ci.md shows (one row per code, in catalogue order)."""
    lines = ["| code | severity | 含义 | 怎么办 |", "|---|---|---|---|"]
    lines += [f"| `{code}` | {kind.severity} | {kind.zh} | {kind.help} |" for code, kind in CATALOGUE.items()]
    return "\n".join(lines)
