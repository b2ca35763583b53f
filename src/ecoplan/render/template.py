"""A fill-in workbook for a rule pack (`ecoplan template PACK -o FILE`), following the workbook contract: a pack
rendered as the form a clerk fills in (the cells written by the one cell rule, ecoplan.render.cells).

Sheets:

- 说明 — what to fill, how values are written, and how to check the result;
- 区县信息 — 项目 / 内容, one key per row; 指标体系 is filled in, 地区类型 / 行政级别 / 城市规模 / 评估年度 have
  dropdowns;
- 指标数据 — the contract's 8 columns (指标编号, 指标名称, 年度, 指标值, 上级任务, 单位, 备注, 数据来源), one row
  per leaf indicator and sub-item (and per earlier year with ``history``), then spare rows for more history.
  Three more columns on the right — 属性, 指标要求, 可填不涉及 — tell the clerk what is asked; their headers
  are not contract columns, so the loader ignores them;
- 选项 (hidden) — the lists the dropdowns take when a list is too long to write inline.

Input cells (values, tasks, notes, sources, profile values, spare rows) are unlocked; everything else is
protected without a password (against accidents, not against people). 指标值 and 上级任务 are formatted as
text ("@") so that Excel keeps "87.9%", "≥25" or "Ⅱ类" as typed instead of turning them into numbers or dates.
"""

from __future__ import annotations

import io
from math import ceil
from typing import TYPE_CHECKING, Any
from unicodedata import east_asian_width

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ecoplan.render.cells import put
from ecoplan.rules.criteria import Delta, State, SuperiorTask, Trend, WaterClassCriterion
from ecoplan.rules.pack import walk_criteria
from ecoplan.vocabulary import ADMIN_TYPES, ATTRIBUTE_LABELS, CITY_SIZES, REGIONS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from ecoplan.rules.pack import Indicator, Pack

CONTRACT_COLUMNS = ("指标编号", "指标名称", "年度", "指标值", "上级任务", "单位", "备注", "数据来源")
GUIDE_COLUMNS = ("属性", "指标要求", "可填不涉及")
WIDTHS = (9, 30, 7, 24, 20, 10, 20, 16, 7, 36, 9)  # ~190 characters: A4 landscape at ~70 %
INPUT_COLUMNS = {4, 5, 7, 8}  # 指标值, 上级任务, 备注, 数据来源 (1-based)
SPARE_ROWS = 200
WATER_CLASSES = ("Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类")
NOT_APPLICABLE = "不涉及"
NOT_ISSUED = "未下达"
PROFILE_ROWS = (("区县名称", "name"), ("行政区划代码", "code"), ("评估年度", "year"), ("指标体系", "pack"),
                ("地区类型", "region"), ("行政级别", "admin_type"), ("城市规模", "city_size"))


def _criteria(leaf: Indicator) -> list[Any]:
    return list(walk_criteria(leaf.criterion))


def value_choices(leaf: Indicator) -> tuple[list[str], bool]:
    """The dropdown for a leaf's 指标值 and whether only those choices make sense (states, water classes)."""
    choices: list[str] = []
    closed = False
    for node in _criteria(leaf):
        if isinstance(node, State):
            closed = True
            whole = "、".join(node.required)
            for option in [whole, *node.required]:
                if option not in choices:
                    choices.append(option)
        elif isinstance(node, WaterClassCriterion):
            closed = True
            choices.extend(c for c in WATER_CLASSES if c not in choices)
    if leaf.may_be_na:
        choices.append(NOT_APPLICABLE)
    return choices, closed


def needs_task(leaf: Indicator) -> bool:
    """Whether the leaf is judged against a task the superior assigns (the 上级任务 column matters)."""
    return any(isinstance(node, SuperiorTask) for node in _criteria(leaf))


def years_needed(pack: Pack, leaf: Indicator, year: int) -> dict[int, str]:
    """The earlier years whose value the leaf's criterion compares with when `year` is assessed, each with the
    words that need it (持续提高 → the year before; 保持稳定或持续改善 against the baseline → the baseline year).
    Years the pack itself records (`history`) are left out: the document already gives them."""
    needed: dict[int, str] = {}
    for node in _criteria(leaf):
        if isinstance(node, Trend):
            if node.want == "strictly_yearly":
                start = pack.plan_period[0] if pack.plan_period else year - 1
                for each in range(min(start, year - 1), year):
                    needed.setdefault(each, node.describe())
                continue
            reference: str | int = pack.defaults.trend_reference if node.reference == "default" else node.reference
        elif isinstance(node, Delta) and node.reported == "level":
            reference = node.reference
        else:
            continue
        compared = _reference_year(pack, reference, year)
        if compared is not None and compared < year:
            needed.setdefault(compared, node.describe())
    return {y: words for y, words in sorted(needed.items(), reverse=True) if y not in leaf.history}


def _reference_year(pack: Pack, reference: str | int, year: int) -> int | None:
    """The year a trend compares with: the year before, the pack's baseline year, or a year named."""
    if reference == "previous":
        return year - 1
    if reference == "baseline":
        return pack.defaults.baseline_year
    return int(reference)


def task_prompt(leaf: Indicator, year: int | None) -> str:
    """The 上级任务 cell's input message: the year, the unit and the documents' notation."""
    when = f"{year}年" if year else "当年"
    unit = f"本指标单位为“{leaf.unit}”；" if leaf.unit else ""
    return (f"上级下达的{when}任务值，连同单位照文件写法填写，如“327天”“33”“下降14%”；{unit}"
            f"任务单位与指标值不同时必须写明单位。未下达的填“{NOT_ISSUED}”。")


def _years(pack: Pack, year: int | None) -> list[int]:
    marks = [y for y in (year, *(pack.plan_period or ()), *pack.target_years) if y]
    return list(range(min([2015, *[y - 5 for y in marks]]), max([2035, *marks]) + 1))


def build_template(pack: Pack, year: int | None = None, history: int = 0) -> bytes:
    """The .xlsx bytes of a fill-in workbook for `pack`; `year` pre-fills 评估年度 and 年度, and `history`
    adds rows for that many earlier years (trend criteria compare with them)."""
    wb = Workbook()
    guide = wb.active
    guide.title = "说明"
    info = wb.create_sheet("区县信息")
    data = wb.create_sheet("指标数据")
    options = wb.create_sheet("选项")
    options.sheet_state = "hidden"
    years = _years(pack, year)
    ranges = _fill_options(options, pack, years)
    _fill_info(info, pack, year, ranges)
    rows = _fill_data(data, pack, year, history, ranges)
    _fill_guide(guide, pack, year, history, rows)
    for ws in (guide, info, data):
        _print_setup(ws, f"{pack.title or pack.id} · {ws.title}")
    for ws in (guide, info, data, options):
        ws.protection.sheet = True
        # resizing rows and columns is harmless; everything else on a locked cell is refused
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    wb.active = 2  # open on 指标数据
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _fill_options(ws: Worksheet, pack: Pack, years: list[int]) -> dict[str, str]:
    """Write the long lists to the hidden sheet; return list name → absolute range for data validation."""
    lists = {"years": [str(y) for y in years], "ids": [leaf.id for _, leaf in pack.leaves()],
             "regions": list(REGIONS), "admin_types": list(ADMIN_TYPES), "city_sizes": list(CITY_SIZES)}
    ranges = {}
    for c, (name, values) in enumerate(lists.items(), start=1):
        _put(ws, 1, c, name)
        for r, value in enumerate(values, start=2):
            _put(ws, r, c, value)
        letter = get_column_letter(c)
        ranges[name] = f"'选项'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _put(ws: Worksheet, row: int, column: int, value: Any, *, text: bool = False) -> Any:
    cell = put(ws, row, column, value)
    if text:
        cell.number_format = "@"
    return cell


def _validation(ws: Worksheet, formula: str, cells: str, *, strict: bool, prompt: str | None = None) -> None:
    """A dropdown on `cells`; when not strict, other text is still accepted (the list is a hint)."""
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False,
                        showErrorMessage=strict, errorStyle="warning" if strict else "stop",
                        error="不在下拉选项中；确需填写其他内容请选“是”", errorTitle="ecoplan",
                        showInputMessage=prompt is not None, prompt=prompt, promptTitle="填写说明" if prompt else None)
    dv.add(cells)
    ws.add_data_validation(dv)


def _inline(values: list[str]) -> str | None:
    """An inline list formula ("a,b,c"), or None when Excel's 255-character limit or a comma forbids it."""
    if any("," in v or '"' in v for v in values):
        return None
    text = ",".join(values)
    return f'"{text}"' if len(text) <= 250 else None


def _header(ws: Worksheet, labels: tuple[str, ...], widths: tuple[int, ...]) -> None:
    fill, guide_fill = PatternFill("solid", fgColor="DDEBF7"), PatternFill("solid", fgColor="EDEDED")
    for c, label in enumerate(labels, start=1):
        cell = _put(ws, 1, c, label)
        cell.font = Font(bold=True)
        cell.fill = fill if c <= len(CONTRACT_COLUMNS) or len(labels) <= 2 else guide_fill
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    ws.freeze_panes = "A2"


def _unlock(cell: Any) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = PatternFill("solid", fgColor="FFF9E5")  # the cells to fill stand out


def _fill_info(ws: Worksheet, pack: Pack, year: int | None, ranges: dict[str, str]) -> None:
    _header(ws, ("项目", "内容"), (16, 40))
    needed = pack.profile_fields()
    lists = {"region": ranges["regions"], "admin_type": ranges["admin_types"], "city_size": ranges["city_sizes"],
             "year": ranges["years"]}
    for r, (label, key) in enumerate(PROFILE_ROWS, start=2):
        _put(ws, r, 1, label)
        value = pack.id if key == "pack" else (year if key == "year" else None)
        cell = _put(ws, r, 2, value, text=key in ("code", "name"))
        _unlock(cell)
        if key in lists:
            prompt = "必填：本指标体系有按此项区分的指标" if key in needed else None
            _validation(ws, lists[key], f"B{r}", strict=key in ("region", "year", "city_size"), prompt=prompt)


def template_rows(pack: Pack, year: int | None, history: int) -> list[tuple[Indicator, Indicator, int | None, str]]:
    """(top, leaf, 年度, 指标要求 text) of every pre-filled row: each leaf for the assessed year, then the earlier
    years the criteria compare with (`years_needed`), then `history` more earlier years for every leaf."""
    rows: list[tuple[Indicator, Indicator, int | None, str]] = []
    seen: set[tuple[str, int | None]] = set()

    def add(top: Indicator, leaf: Indicator, row_year: int | None, wanted: str) -> None:
        if (leaf.id, row_year) not in seen:
            seen.add((leaf.id, row_year))
            rows.append((top, leaf, row_year, wanted))

    for top, leaf in pack.leaves():
        add(top, leaf, year, leaf.criterion_text())
    if year is None:
        return rows
    comparisons = [(top, leaf, earlier, f"供比较：{year}年的“{words}”要与{earlier}年的值比较")
                   for top, leaf in pack.leaves() for earlier, words in years_needed(pack, leaf, year).items()]
    for top, leaf, earlier, wanted in sorted(comparisons, key=lambda row: -row[2]):
        add(top, leaf, earlier, wanted)
    for back in range(1, history + 1):
        for top, leaf in pack.leaves():
            add(top, leaf, year - back, f"往年值（{leaf.criterion_text()}）")
    return rows


def _fill_data(ws: Worksheet, pack: Pack, year: int | None, history: int, ranges: dict[str, str]) -> int:
    """The indicator rows; returns how many were pre-filled."""
    _header(ws, (*CONTRACT_COLUMNS, *GUIDE_COLUMNS), WIDTHS)
    grey = Font(color="595959")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")  # a row grown for a wrapped name keeps its cells level
    r = 1
    for parent, leaf, row_year, wanted in template_rows(pack, year, history):
        r += 1
        name = leaf.label if leaf is parent else f"{parent.label}/{leaf.label}"
        attribute = leaf.attribute or parent.attribute
        for c, value in enumerate((leaf.id, name, row_year, None, None, leaf.unit, None, None,
                                   ATTRIBUTE_LABELS.get(attribute or "", ""), wanted,
                                   "可" if leaf.may_be_na else ""), start=1):
            cell = _put(ws, r, c, value, text=c in (1, 4, 5))
            if c in INPUT_COLUMNS:
                _unlock(cell)
            elif c > len(CONTRACT_COLUMNS):
                cell.font = grey
            cell.alignment = wrap if c in (2, 10) else top
        lines = max(_text_rows(name, WIDTHS[1]), _text_rows(wanted, WIDTHS[9]))
        if lines > 1:  # wrapped names and requirements shown whole, on screen and in print
            ws.row_dimensions[r].height = 15 * lines
        choices, closed = value_choices(leaf)
        formula = _inline(choices) if choices else None
        if formula:
            _validation(ws, formula, f"D{r}", strict=closed)
        if needs_task(leaf):
            _validation(ws, f'"{NOT_ISSUED}"', f"E{r}", strict=False, prompt=task_prompt(leaf, row_year))
    filled = r - 1
    first_spare = r + 1
    for r in range(first_spare, first_spare + SPARE_ROWS):
        for c in range(1, len(CONTRACT_COLUMNS) + 1):
            cell = _put(ws, r, c, None, text=c in (1, 4, 5))
            _unlock(cell)
    last = first_spare + SPARE_ROWS - 1
    _validation(ws, ranges["years"], f"C2:C{last}", strict=True)
    _validation(ws, ranges["ids"], f"A{first_spare}:A{last}", strict=True,
                prompt="更多年份的数据（如趋势指标的上一年）：选指标编号，填年度和指标值")
    ws.auto_filter.ref = f"A1:{chr(64 + len(CONTRACT_COLUMNS) + len(GUIDE_COLUMNS))}{filled + 1}"
    return filled


GUIDE_TEXT = (
    "填报说明",
    "",
    "1. 在“区县信息”表填写区县名称、行政区划代码、评估年度；指标体系已填好，请勿修改。{profile}",
    "2. 在“指标数据”表逐行填写“指标值”（浅黄色单元格）。指标编号、名称、单位已按指标体系填好，请勿修改。",
    "3. 指标值的写法：数字（87.9 或 87.9%）；状态词（建立、开展、有效开展……，可从下拉框选择）；水质类别（Ⅱ类）；"
    "不适用的指标填“不涉及”（仅“可填不涉及”列为“可”的指标）；当年未考核填“未考核”；不写单位也可以。",
    "4. “上级任务”列：指标要求为“完成上级规定的考核任务”等的，填上级下达的当年任务值，连同单位照文件写法填写"
    "（如“327天”“33”）；任务单位与指标值不同时必须写明单位；未下达的填“未下达”。",
    "5. 趋势类指标（持续提高、持续下降、保持稳定或持续改善……）要与往年比较：{history}",
    "6. “属性”“指标要求”“可填不涉及”三列只作提示，ecoplan 读取时忽略；请不要增删、改名前八列。",
    "7. 填完后检查：ecoplan check 本文件.xlsx（列出每个问题的单元格，如 指标数据!D7）；"
    "查看达标情况：ecoplan assess 本文件.xlsx。",
    "",
    "指标体系：{pack_id} · {title}",
    "来源：{source}",
    "指标 {count} 项（约束性 {constraint}，预期性 {expected}，参考性 {reference}），需填报的分项 {leaves} 行。",
    "工作表受保护（无密码），只为防止误改；如确需调整，可在“审阅 → 撤销工作表保护”中解除。",
)


GUIDE_WIDTH = 100  # characters: fits an A4 landscape page at the default font, so nothing is cut off in print


def _print_setup(ws: Worksheet, title: str) -> None:
    """Landscape A4, one page wide (as many pages long as needed), the header row on every page, the title and
    page number in the page header and footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if ws.title != "说明":
        ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = title.replace("&", "&&")
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _text_rows(text: str, width: int) -> int:
    """How many lines `text` wraps to in a column `width` characters wide. A CJK character takes about 1.6
    widths of the default font (measured in LibreOffice with Noto Sans CJK: 62 to a line of width 100)."""
    if not text:
        return 1
    chars = sum(1.6 if east_asian_width(ch) in "WF" else 1.0 for ch in text)
    return max(1, ceil(chars / max(1, width - 1)))


def _fill_guide(ws: Worksheet, pack: Pack, year: int | None, history: int, rows: int) -> None:
    counts = pack.counts()
    source = pack.source
    where = " ".join(x for x in ((source.document if source else None), (source.table if source else None)) if x)
    needed = pack.profile_fields()
    labels = {"region": "地区类型", "admin_type": "行政级别", "city_size": "城市规模"}
    profile = (f"本指标体系的部分指标按{'、'.join(labels[f] for f in sorted(needed))}区分，这些项必填。"
               if needed else "")
    if year:
        recorded = sorted({y for _, leaf in pack.leaves() for y in leaf.history})
        known = (f"指标体系已记载{'、'.join(f'{y}年' for y in recorded)}的部分数值（来自规划文件），这些不必再填。"
                 if recorded else "")
        earlier = (f"比较所需的往年行已列出（年度已填，“指标要求”列写明与哪一年比较），请一并填写；{known}"
                   f"{f'另为前 {history} 年的每项指标预留了行。' if history else ''}"
                   "如有更多年份的数据，可在表末空白行中选择指标编号、填写年度和指标值。")
    else:
        earlier = ("生成模板时加 --year 评估年度，模板会列出比较所需的往年行；也可在表末空白行中选择指标编号、"
                   "填写年度和指标值。")
    values = {"profile": profile, "history": earlier, "pack_id": pack.id, "title": pack.title or "",
              "source": where or "—", "count": counts["total"], "constraint": counts["constraint"],
              "expected": counts["expected"], "reference": counts["reference"], "leaves": rows}
    ws.column_dimensions["A"].width = GUIDE_WIDTH
    for r, line in enumerate(GUIDE_TEXT, start=1):
        text = line.format(**values)
        cell = _put(ws, r, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # An explicit height: Excel does not grow a row for wrapped text it did not lay out itself.
        ws.row_dimensions[r].height = 22 if r == 1 else 15 * _text_rows(text, GUIDE_WIDTH)
        if r == 1:
            cell.font = Font(bold=True, size=14)
