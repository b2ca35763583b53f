"""The district workbook contract as pydantic models: what `ecoplan.load_district` returns and validates.

`District.model_json_schema()` describes the workbook a district submits: the 区县信息 keys and the 指标数据
columns, with their Chinese labels. The models validate what the reader loaded (a year within 1900–2100, a
region among 东部/中部/西部/东北, a row naming its indicator by id or name, …); a validation error is reported with
the cell it came from (`指标数据!D7`), as every other problem.

Why a second set of classes beside workbook/district.py's dataclasses: the command line must start fast, and
importing pydantic and building these models costs ~100–300 ms, more than a whole `ecoplan assess` without them
(reference/deps-perf.md). The command line therefore loads with the dataclasses, which check every cell as they
read it; this module is imported only by the Python API, where it validates the same loaded values again.
tests/test_workbook_model.py holds the two to the same contract: every workbook the loader accepts validates
here, and assessing the validated model gives the very JSON of `ecoplan assess --format json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ecoplan.report.problems import Problem
from ecoplan.workbook import district as loaded
from ecoplan.workbook.profile import FIRST_YEAR, LAST_YEAR
from ecoplan.workbook.reader import read_workbook

Region = Literal["东部", "中部", "西部", "东北"]
_FROZEN = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Profile(BaseModel):
    """区县信息: who the district is. region, admin_type and city_size choose the thresholds of some criteria."""

    model_config = _FROZEN

    name: str = Field(min_length=1, title="区县名称", description="区县的名称，如 渝北区")
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, title="评估年度",
                      description="评估的年度；指标数据中没有年度的行以它为年度")
    code: str | None = Field(None, title="行政区划代码", description="6 位行政区划代码，用来识别同一区县的多份工作簿")
    pack: str | None = Field(None, title="指标体系", description="指标体系的编号或标题；不填时用 --pack 指定")
    region: Region | None = Field(None, title="地区类型")
    admin_type: str | None = Field(None, title="行政级别", description="如 市辖区、县、县级市")
    city_size: str | None = Field(None, title="城市规模")
    extra: dict[str, str] = Field(default_factory=dict, title="其他信息", description="区县信息中的其他项，原样保留")


class IndicatorRow(BaseModel):
    """One row of 指标数据 (one value of one indicator in one year), as the cell holds it."""

    model_config = _FROZEN

    id: str | None = Field(None, title="指标编号", description="指标体系中的编号，如 4.1")
    name: str | None = Field(None, title="指标名称", description="指标的名称；与编号至少填一项")
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, title="年度")
    value: str | float | None = Field(None, title="指标值",
                                      description="数字，或文字：≥25、不涉及、未考核、完成、上级规定的考核任务…")
    superior_target: str | None = Field(None, title="上级任务", description="上级规定的考核任务（有这一列时）")
    unit: str | None = Field(None, title="单位")
    note: str | None = Field(None, title="备注")
    source: str | None = Field(None, title="数据来源")
    cell: str = Field(title="单元格", description="指标值所在的单元格，如 指标数据!D7")

    @model_validator(mode="after")
    def _names_its_indicator(self) -> IndicatorRow:
        if not self.id and not self.name:
            raise ValueError("指标名称和指标编号都是空的")
        return self


class District(BaseModel):
    """A district workbook, loaded and validated: profile, rows, and every problem found while reading it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    path: str | None = Field(None, title="文件")
    profile: Profile | None = Field(None, title="区县信息", description="缺少区县名称或评估年度时为空（见 problems）")
    rows: list[IndicatorRow] = Field(default_factory=list, title="指标数据")
    problems: list[Problem] = Field(default_factory=list, title="问题",
                                    description="读取时发现的问题，每个带代码、级别和单元格")

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity error (the workbook cannot be assessed while there are any)."""
        return [p for p in self.problems if p.severity == "error"]

    def to_loaded(self) -> loaded.District:
        """The dataclasses the assessment runs on, with every value parsed again from the validated rows (so a
        row changed in a notebook is assessed as changed)."""
        problems = list(self.problems)
        rows = [loaded.make_row(r.id, r.name, r.year, r.value, r.superior_target or "", r.cell, r.unit, r.note,
                                r.source, problems) for r in self.rows]
        profile = None
        if self.profile is not None:
            profile = loaded.Profile(**self.profile.model_dump())
        return loaded.District(path=Path(self.path or ""), profile=profile, rows=rows, problems=problems)


def validate(district: loaded.District) -> District:
    """The pydantic model of a loaded district. A value that fails validation becomes an error at its cell (and
    the row or profile is left out), so nothing invalid reaches the model and nothing is silently dropped."""
    problems = list(district.problems)
    profile = None
    if district.profile is not None:
        fields = {k: getattr(district.profile, k) for k in Profile.model_fields}
        profile = _validated(Profile, fields, "区县信息!A1", problems)
    rows = []
    for row in district.rows:
        fields = {"id": row.id, "name": row.name, "year": row.year, "value": row.cell_value,
                  "superior_target": row.task_text, "unit": row.unit, "note": row.note, "source": row.source,
                  "cell": row.cell}
        checked = _validated(IndicatorRow, fields, row.cell, problems)
        if checked is not None:
            rows.append(checked)
    return District(path=str(district.path), profile=profile, rows=rows, problems=problems)


def _validated(model: type[Profile] | type[IndicatorRow], fields: dict[str, Any], cell: str,
               problems: list[Problem]) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        for error in exc.errors():
            label = model.model_fields[str(error["loc"][0])].title if error["loc"] else model.__name__
            problems.append(Problem("value-type", f"{label}不符合要求：{error['msg']}", cell))
        return None


def load(path: str | Path) -> District:
    """Read a workbook (.xlsx, .xlsm, .xls, .ods) and validate it; see `ecoplan.load_district`."""
    return validate(loaded.load_district(read_workbook(Path(path))))
