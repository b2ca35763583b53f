"""Build the shipped district workbooks (data/*.xlsx) from their text sources (data/src/*.yaml).

    python data/build.py            # rebuild every workbook, print what was written
    python data/build.py --check    # exit 1 if any workbook is missing or differs from its source
    python data/build.py data/src/yubei-2023.yaml ...   # only these sources

The text source format is described in docs/data-sources.md. Each source becomes one workbook with two
sheets: 区县信息 (项目 / 内容, one key per row) and 指标数据 (指标编号, 指标名称, 年度, 指标值, 上级任务, 单位,
备注, 数据来源; one row per indicator or sub-item per year). Plain numbers are written as number cells,
everything else as text cells with the text number format "@", so that Excel keeps "≥25", "87.9%" or
"2类区: 100% 4a类区: 0" exactly as the document prints them.

The output is deterministic: fixed document properties and fixed zip entry timestamps, so rebuilding an
unchanged source gives the same bytes (and a clean `git diff`).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import io
import os
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import yaml

# openpyxl serialises with lxml when it is installed (python-docx brings it) and with the standard library
# otherwise; the two write the same workbook with different bytes. Always the standard library: the same
# source gives the same bytes on every machine, so `--check` means "the source changed".
os.environ.setdefault("OPENPYXL_LXML", "False")

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"

DISTRICT_SHEET = "区县信息"
DISTRICT_HEADER = ("项目", "内容")
ROWS_SHEET = "指标数据"
# (header, row key in the text source, max column width, wrap text)
COLUMNS = (
    ("指标编号", "id", 10, False),
    ("指标名称", "name", 40, False),
    ("年度", "year", 8, False),
    ("指标值", "value", 60, True),
    ("上级任务", "superior_target", 30, True),
    ("单位", "unit", 12, False),
    ("备注", "note", 60, True),
    ("数据来源", "source", 40, False),
)
# `inferred`: why a value is not read from the document (a cell lost in extraction, a value implied by a
# sentence). It is written into 备注 first, prefixed, so a reader of the workbook and of the report sees it.
ROW_KEYS = {key for _, key, _, _ in COLUMNS} | {"line", "inferred"}
INFERRED_PREFIX = "推定值（非文件原文）："
SOURCE_KEYS = {"workbook", "seed", "district", "rows"}

FIXED_TIME = _dt.datetime(2024, 4, 1, 0, 0, 0)      # document properties created / modified
ZIP_TIME = (1980, 1, 1, 0, 0, 0)                     # zip entry timestamps (earliest zip allows)
TEXT_FORMAT = "@"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?")


class SourceError(Exception):
    """A text source that cannot be turned into a workbook."""


def plain_number(value):
    """The number a value stands for if it is a plain number (96.4, 0, 12666, "72.02"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return None


def display_width(text: str) -> int:
    """Approximate column width of a text: East Asian wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def set_cell(ws, row: int, col: int, value, *, numbers: bool, where: str):
    """Write one value: a number cell for plain numbers (if `numbers`), a text cell ("@") otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise SourceError(f"{where}: {value!r} is a YAML {type(value).__name__}; quote it to keep it as text")
    number = plain_number(value) if numbers else (value if not isinstance(value, str) else None)
    cell = ws.cell(row=row, column=col)
    if number is not None:
        cell.value = number
    else:
        cell.value = str(value)
        cell.number_format = TEXT_FORMAT
    return cell


def load_source(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SourceError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SourceError(f"{path}: expected a mapping with keys workbook, seed, district, rows")
    unknown = set(data) - SOURCE_KEYS
    if unknown:
        raise SourceError(f"{path}: unknown top-level keys {sorted(unknown)} (expected {sorted(SOURCE_KEYS)})")
    workbook = data.get("workbook")
    if not isinstance(workbook, str) or not workbook.endswith(".xlsx") or "/" in workbook or "\\" in workbook:
        raise SourceError(f"{path}: `workbook` must be a file name ending in .xlsx, got {workbook!r}")
    if not isinstance(data.get("district"), dict) or not data["district"]:
        raise SourceError(f"{path}: `district` must be a mapping of key: value (区县名称, 评估年度, ...)")
    rows = data.get("rows")
    if not isinstance(rows, list) or not rows:
        raise SourceError(f"{path}: `rows` must be a non-empty list")
    for index, row in enumerate(rows, start=1):
        where = f"{path}: rows[{index}]"
        if not isinstance(row, dict):
            raise SourceError(f"{where}: expected a mapping, got {row!r}")
        unknown = set(row) - ROW_KEYS
        if unknown:
            raise SourceError(f"{where}: unknown keys {sorted(unknown)} (expected {sorted(ROW_KEYS)})")
        if not row.get("id") and not row.get("name"):
            raise SourceError(f"{where}: needs `id` or `name`")
        if "inferred" in row and not (isinstance(row["inferred"], str) and row["inferred"].strip()):
            raise SourceError(f"{where}: `inferred` says why the value is not read from the document (text)")
        for key in ("year", "line"):
            if key in row and (isinstance(row[key], bool) or not isinstance(row[key], int)):
                raise SourceError(f"{where}: `{key}` must be an integer, got {row[key]!r}")
    return data


def build_workbook(data: dict, path: Path) -> Workbook:
    wb = Workbook()
    wb.properties.creator = "ecoplan data/build.py"
    wb.properties.lastModifiedBy = "ecoplan data/build.py"
    wb.properties.title = f"{data['district'].get('区县名称', '')} {data['district'].get('评估年度', '')}".strip()
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME

    # Sheet 区县信息: key in column A, value in column B.
    info = wb.active
    info.title = DISTRICT_SHEET
    for col, header in enumerate(DISTRICT_HEADER, start=1):
        cell = info.cell(row=1, column=col, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    widths = [display_width(h) for h in DISTRICT_HEADER]
    for r, (key, value) in enumerate(data["district"].items(), start=2):
        where = f"{path}: district.{key}"
        set_cell(info, r, 1, str(key), numbers=False, where=where)
        # District values keep their YAML type: a quoted code ("500112") stays text, 2023 is a number.
        set_cell(info, r, 2, value, numbers=False, where=where)
        widths[0] = max(widths[0], display_width(str(key)))
        widths[1] = max(widths[1], display_width(str(value)))
    for col, width in enumerate(widths, start=1):
        info.column_dimensions[get_column_letter(col)].width = min(width + 2, 60)
    info.freeze_panes = "A2"

    # Sheet 指标数据: one row per indicator or sub-item per year.
    ws = wb.create_sheet(ROWS_SHEET)
    for col, (header, _, _, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    widths = [display_width(header) for header, _, _, _ in COLUMNS]
    seed = data.get("seed")
    for r, row in enumerate(data["rows"], start=2):
        where = f"{path}: rows[{r - 1}]"
        values = dict(row)
        if values.get("inferred"):
            values["note"] = "；".join(x for x in (INFERRED_PREFIX + str(values["inferred"]), values.get("note")) if x)
        if not values.get("source") and values.get("line") is not None:
            values["source"] = f"seeds/{seed}:{values['line']}" if seed else f"line {values['line']}"
        for col, (_, key, _, wrap) in enumerate(COLUMNS, start=1):
            value = values.get(key)
            numbers = key in ("value", "superior_target", "year")
            if key == "id" and value is not None:
                value = str(value)          # ids are labels ("4.1", "17"), never numbers
                numbers = False
            cell = set_cell(ws, r, col, value, numbers=numbers, where=f"{where}.{key}")
            if cell is None:
                continue
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[col - 1] = max(widths[col - 1], display_width(str(cell.value)))
    for col, (_, _, cap, _) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(widths[col - 1] + 2, cap)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(data['rows']) + 1}"
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise like openpyxl.save_workbook, but with fixed properties and zip timestamps."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        # save_workbook() would stamp properties.modified with the current time; ExcelWriter does not.
        ExcelWriter(wb, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="text sources (default: data/src/*.yaml)")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if a workbook is out of date")
    args = parser.parse_args(argv)

    sources = args.sources or sorted(SRC.glob("*.yaml"))
    if not sources:
        print(f"no text sources in {SRC}", file=sys.stderr)
        return 2
    stale = []
    try:
        for src in sources:
            data = load_source(src)
            target = HERE / data["workbook"]
            blob = workbook_bytes(build_workbook(data, src))
            rel = target.relative_to(HERE.parent) if target.is_relative_to(HERE.parent) else target
            if args.check:
                if not target.exists() or target.read_bytes() != blob:
                    stale.append(str(rel))
                    print(f"out of date: {rel} (from {src.name})")
                continue
            unchanged = target.exists() and target.read_bytes() == blob
            if not unchanged:
                target.write_bytes(blob)
            print(f"{'unchanged' if unchanged else 'wrote'} {rel}: {DISTRICT_SHEET} {len(data['district'])} keys, "
                  f"{ROWS_SHEET} {len(data['rows'])} rows (from {src.name})")
    except (SourceError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if stale:
            print(f"{len(stale)} workbook(s) out of date; run: python data/build.py", file=sys.stderr)
            return 1
        print(f"{len(sources)} workbook(s) up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
