"""Generate the corpus of broken and hostile district workbooks, each with the outcome ecoplan must give.

    python tests/corpus/make_corpus.py OUT_DIR      # write every case into OUT_DIR and list them

Nothing here is committed as a binary: every workbook is built from scratch by a tiny SpreadsheetML writer
(below), so each case controls exactly the bytes that matter (a cached formula value, a DOCTYPE, a lying zip
header) and the corpus stays reproducible. `build(directory)` returns the `Case`s that tests/test_corpus.py
runs through the real command line; tests/corpus/README.md says what each case proves.

Decisions recorded here (and in docs/limits.md):
- Exit code 2 for everything that cannot be used as it is: not an .xlsx, over a limit, a hostile XML construct,
  a workbook whose contents have errors (unknown indicator, duplicate row, text where a number is due …).
- Exit code 0, with the value used, for forms a person writes on purpose: numbers stored as text, full-width
  digits and ％, thousands separators, units after the number, "2023年", "≥25", cached formula values, hidden
  rows (hidden is formatting, not deletion: the value is used), and a symlink to a valid workbook (the link is
  the user's own choice of path, and the target is read, never written).
"""

from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from ecoplan.workbook.reader import column_letter

PACK = "national-demo-county-2024"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


# --- a minimal SpreadsheetML writer ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Formula:
    """A formula cell; `cached` is the saved result Excel would write (None: no <v>, as openpyxl writes)."""

    text: str
    cached: float | str | None = None


@dataclass(frozen=True)
class CellError:
    """A formula whose saved result is an error value (t="e"), as Excel and LibreOffice write =1/0."""

    shown: str  # #DIV/0!, #N/A, #VALUE!
    formula: str = "1/0"


@dataclass(frozen=True)
class Date:
    """A number cell styled as a date (Excel's serial day number)."""

    serial: float


@dataclass(frozen=True)
class RawNumber:
    """A number cell whose <v> text is written verbatim (e.g. "1e400", "NaN")."""

    text: str


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    merged: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)  # 1-based
    dimension: str | None = None  # None: computed from the rows
    prolog: str = ""  # text between the XML declaration and <worksheet> (for DOCTYPE cases)
    formatted_to: int = 0  # rows below the data that carry only a format, down to this row (a bordered table)


def _sheet_xml(sheet: Sheet, strings: dict[str, int]) -> bytes:
    width = max((len(r) for r in sheet.rows), default=1) or 1
    dimension = sheet.dimension or f"A1:{column_letter(width - 1)}{max(len(sheet.rows), 1)}"
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{sheet.prolog}')
    out.write('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')
    out.write(f'<dimension ref="{dimension}"/><sheetData>')
    for r, row in enumerate(sheet.rows, start=1):
        hidden = ' hidden="1"' if r in sheet.hidden_rows else ""
        out.write(f'<row r="{r}"{hidden}>')
        for c, value in enumerate(row):
            if value is None:
                continue
            ref = f"{column_letter(c)}{r}"
            if isinstance(value, Formula):
                cached = "" if value.cached is None else f"<v>{escape(str(value.cached))}</v>"
                kind = ' t="str"' if isinstance(value.cached, str) else ""
                out.write(f'<c r="{ref}"{kind}><f>{escape(value.text)}</f>{cached}</c>')
            elif isinstance(value, CellError):
                out.write(f'<c r="{ref}" t="e"><f>{escape(value.formula)}</f><v>{escape(value.shown)}</v></c>')
            elif isinstance(value, Date):
                out.write(f'<c r="{ref}" s="1"><v>{value.serial}</v></c>')
            elif isinstance(value, RawNumber):
                out.write(f'<c r="{ref}"><v>{value.text}</v></c>')
            elif isinstance(value, bool):
                out.write(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                out.write(f'<c r="{ref}"><v>{value!r}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                out.write(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        out.write("</row>")
    for r in range(len(sheet.rows) + 1, sheet.formatted_to + 1):
        out.write(f'<row r="{r}"><c r="A{r}" s="0"/><c r="B{r}" s="0"/></row>')
    out.write("</sheetData>")
    if sheet.merged:
        out.write(f'<mergeCells count="{len(sheet.merged)}">'
                  + "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merged) + "</mergeCells>")
    out.write("</worksheet>")
    return out.getvalue().encode("utf-8")


_STYLES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
           b'<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
           b'<borders count="1"><border/></borders>'
           b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
           b'<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
           b'<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
           b'</styleSheet>')


def xlsx_parts(sheets: list[Sheet], shared_prolog: str = "") -> dict[str, bytes]:
    """The parts of an .xlsx package holding `sheets` (strings go to sharedStrings.xml)."""
    strings: dict[str, int] = {}
    sheet_parts = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(s, strings) for i, s in enumerate(sheets, start=1)}
    sst = "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in strings)
    overrides = "".join(f'<Override PartName="/{p}" ContentType="application/vnd.openxmlformats-officedocument.'
                        'spreadsheetml.worksheet+xml"/>' for p in sheet_parts)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'spreadsheetml.sharedStrings+xml"/>{overrides}</Types>').encode(),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
            + "</sheets></workbook>").encode(),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/styles" Target="styles.xml"/>'
            + f'<Relationship Id="rId{len(sheets) + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
              'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>').encode(),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{shared_prolog}'
            f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">{sst}</sst>').encode(),
    }
    parts.update(sheet_parts)
    return parts


def zip_bytes(parts: dict[str, bytes], stored: frozenset[str] = frozenset()) -> bytes:
    """A deterministic zip of `parts` (deflated, except the names in `stored`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


# --- the valid base workbook and its variations ----------------------------------------------------------------
PROFILE = [["项目", "内容"], ["区县名称", "测试区"], ["评估年度", 2023], ["指标体系", PACK], ["地区类型", "西部"],
           ["行政级别", "市辖区"], ["城市规模", "超大城市"]]
HEADER = ["指标编号", "指标名称", "年度", "指标值", "上级任务", "单位", "备注"]
# Row 3 of 指标数据 (D3) is the cell most cases vary: 6.1 城市生活污水集中收集率, criterion ≥70.
BASE_ROWS = [
    ["1", "生态文明建设工作占党政实绩考核的比例", 2023, 25, None, "%"],
    ["6.1", "城市生活污水集中收集率", 2023, 71.1, None, "%"],
    ["2", "党政领导干部生态环境损害责任追究制度", 2023, "建立"],
    ["4.1", "优良天数比率", 2023, "上级规定的考核任务：325 天 当年指标值：326 天"],
]


def workbook(rows: list[list[Any]] | None = None, *, profile: list[list[Any]] | None = None,
             info_name: str = "区县信息", data_name: str = "指标数据", header: list[Any] | None = None,
             **sheet_options: Any) -> dict[str, bytes]:
    """The parts of a district workbook: the base one, with the given rows/profile/sheet names/options."""
    data = [header or HEADER, *(BASE_ROWS if rows is None else rows)]
    return xlsx_parts([Sheet(info_name, profile or PROFILE), Sheet(data_name, data, **sheet_options)])


def with_value(value: Any, **kwargs: Any) -> dict[str, bytes]:
    """The base workbook with 指标数据!D3 (城市生活污水集中收集率 2023) set to `value`."""
    rows = [list(r) for r in BASE_ROWS]
    rows[1][3] = value
    return workbook(rows, **kwargs)


# --- OLE2 compound files (old .xls, encrypted .xlsx) ------------------------------------------------------------
def ole2(streams: dict[str, bytes]) -> bytes:
    """A minimal, structurally valid compound file (version 3, 512-byte sectors) holding `streams`.

    Streams are padded to 4096 bytes (and declared so, as Excel does for its Workbook stream) so that none goes
    to the mini stream; that is all old Excel files and Office's encrypted packages need to be recognised
    (header magic, directory entry names, the first BIFF records).
    """
    free, end, fat_sect = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    datas = [data.ljust(max(4096, -(-len(data) // 512) * 512), b"\0") for data in streams.values()]
    fat = [fat_sect, end]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for data in datas:
        count = len(data) // 512
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end)
    assert len(fat) <= 128, "one FAT sector holds 128 entries"
    fat_sector = struct.pack("<128I", *(fat + [free] * (128 - len(fat))))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", free, right, child) + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16
                + struct.pack("<IQ", start, size))

    names = list(streams)
    entries = [entry("Root Entry", 5, 1, free, end, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else free
        entries.append(entry(name, 2, free, right, starts[i], len(datas[i])))  # as Excel: ≥ 4096, never mini
    directory = b"".join(entries).ljust(512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *([free] * 108)))
    assert len(header) == 512
    return header + fat_sector + directory + b"".join(datas)


# A BIFF8 BOF record (workbook globals), then EOF: the first bytes of every Excel 97–2003 Workbook stream.
_BIFF8 = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06) + struct.pack("<HH", 0x000A, 0)


# The same with a FILEPASS record after BOF: an .xls saved with a password to open (the rest is then encrypted).
_BIFF8_FILEPASS = (struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)
                   + struct.pack("<HHH", 0x002F, 2, 1) + struct.pack("<HH", 0x000A, 0))


# --- the cases -------------------------------------------------------------------------------------------------
@dataclass
class Case:
    """One corpus file and what `ecoplan assess FILE --format json` must do with it.

    `code`: the exit code. `fragments`: text stderr must contain (exit 2), or the JSON's `problems` (an
    assessed workbook with problems: the indicators they touch are 待核实). `results`: for an assessed workbook,
    indicator id → (status, value) the JSON must report (value None: not checked).
    """

    name: str
    path: Path
    code: int
    fragments: tuple[str, ...] = ()
    results: dict[str, tuple[str, Any]] = field(default_factory=dict)
    skip: str | None = None  # why the case cannot run here (e.g. chmod 000 as root)
    note: str = ""


def _zip_bomb(path: Path, megabytes: int = 300) -> None:
    """A valid workbook whose sheet1.xml is `megabytes` of spaces: ~300 KB on disk, 300 MB inflated."""
    parts = workbook()
    sheet = parts.pop("xl/worksheets/sheet2.xml")
    head, tail = sheet.split(b"<sheetData>", 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
        info = zipfile.ZipInfo("xl/worksheets/sheet2.xml", ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as handle:
            handle.write(head + b"<sheetData>")
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                handle.write(chunk)
            handle.write(tail)


def _lying_zip_bomb(path: Path) -> None:
    """A zip bomb whose headers lie: they declare sheet2.xml inflates to its real small size, not 100 MB.

    Checks on declared sizes alone cannot see it; only counting the bytes while inflating does.
    """
    parts = workbook()
    real = parts["xl/worksheets/sheet2.xml"]
    bomb = real.replace(b"<sheetData>", b"<sheetData>" + b" " * (100 << 20), 1)
    parts["xl/worksheets/sheet2.xml"] = bomb
    data = bytearray(zip_bytes(parts))
    # Patch the uncompressed size (local header offset 22, central directory offset 24) to the honest size.
    name = b"xl/worksheets/sheet2.xml"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while True:
            local = data.find(signature, start)
            if local < 0:
                break
            name_at = local + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[local + offset:local + offset + 4] = struct.pack("<I", len(real))
            start = local + 4
    path.write_bytes(bytes(data))


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _ods_bomb(path: Path, megabytes: int = 300) -> None:
    """An .ods whose content.xml inflates to `megabytes` of spaces (~300 KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", ZIP_TIME), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        info = zipfile.ZipInfo("content.xml", ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as handle:
            handle.write(b"<office:document-content>")
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                handle.write(chunk)
            handle.write(b"</office:document-content>")


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
           + "]>")


def build(directory: Path, write: bool = True) -> list[Case]:
    """Write every corpus file into `directory`; return the cases in a stable order.

    With `write=False` nothing is written (the cases are only listed, e.g. for test ids).
    """
    if write:
        directory.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    rng = random.Random(7)

    def add(name: str, suffix: str, content: bytes | dict[str, bytes] | Callable[[Path], None] | None, code: int,
            *fragments: str, results: dict[str, tuple[str, Any]] | None = None, skip: str | None = None,
            note: str = "") -> Path:
        path = directory / f"{name}{suffix}"
        if not write:
            pass
        elif isinstance(content, dict):
            path.write_bytes(zip_bytes(content))
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            content(path)
        cases.append(Case(name, path, code, fragments, results or {}, skip, note))
        return path

    met_61 = {"6.1": ("met", 71.1), "1": ("met", 25)}
    base = add("valid-base", ".xlsx", workbook(), 0, results=met_61, note="the control: everything else varies it")

    # Not a workbook at all.
    add("empty-file", ".xlsx", b"", 2, "空的（0 字节）")
    add("random-bytes", ".xlsx", bytes(rng.randrange(256) for _ in range(4096)), 2, "不是工作簿", "二进制")
    add("text-named-xlsx", ".xlsx", "这不是表格 just some notes\n".encode() * 20, 2, "不是工作簿", "纯文本", "UTF-8")
    add("html-named-xlsx", ".xlsx", b"<html><body><table><tr><td>1</td></tr></table></body></html>", 2,
        "不是工作簿", "HTML")
    add("pdf-named-xlsx", ".xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", 2, "PDF")
    csv_text = "指标名称,年度,指标值\n城市生活污水集中收集率,2023,71.1\n".encode()
    add("csv-file", ".csv", csv_text, 2, "CSV", "UTF-8", "区县信息", ".xlsx")
    add("csv-utf8-bom", ".csv", b"\xef\xbb\xbf" + csv_text, 2, "CSV", "UTF-8（带 BOM）")
    add("csv-gb18030", ".csv", csv_text.decode().encode("gb18030"), 2, "CSV", "GB18030",
        note="what Excel and WPS on Chinese Windows save as CSV")
    add("csv-named-xlsx", ".xlsx", csv_text, 2, "CSV")
    add("old-xls-biff8-no-sheets", ".xls", ole2({"Workbook": _BIFF8}), 2, "区县信息", "指标数据")
    add("old-xls-named-xlsx", ".xlsx", ole2({"Workbook": _BIFF8}), 2, "区县信息", "指标数据",
        note="the container is recognised by its first bytes, not the suffix")
    add("encrypted-xls", ".xls", ole2({"Workbook": _BIFF8_FILEPASS}), 2, "打开密码", "加密")
    add("ole2-word-document", ".xls", ole2({"WordDocument": b"\xec\xa5" + b"\0" * 100}), 2, "不是 Excel 工作簿",
        "WordDocument")
    add("ole2-truncated", ".xls", ole2({"Workbook": _BIFF8})[:700], 2, "损坏")
    add("encrypted-xlsx", ".xlsx", ole2({"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\0" * 64,
                                         "EncryptedPackage": bytes(rng.randrange(256) for _ in range(4096))}),
        2, "打开密码")
    add("zip-not-xlsx", ".xlsx", zip_bytes({"word/document.xml": b"<w:document/>", "readme.txt": b"hi"}), 2,
        "不是工作簿", "xl/workbook.xml")
    add("odt-not-ods", ".ods", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text",
                                          "content.xml": b"<office:document-content/>"}), 2, "不是工作簿")
    add("ods-entity", ".ods", zip_bytes({"mimetype": ODS_MIMETYPE, "content.xml": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><office:document-content/>'
    )}), 2, "content.xml", "DOCTYPE")
    add("ods-zip-bomb", ".ods", _ods_bomb, 2, "content.xml")
    add("truncated-xlsx", ".xlsx", zip_bytes(workbook())[:1500], 2, "损坏")
    add("zip-magic-garbage", ".xlsx", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2000)), 2, "损坏")

    # Workbooks with the wrong shape.
    add("no-known-sheet", ".xlsx", xlsx_parts([Sheet("Sheet1", [["a", "b"], [1, 2]])]), 2,
        "没有工作表“区县信息”", "没有工作表“指标数据”", "Sheet1")
    add("wrong-sheet-names", ".xlsx", workbook(info_name="基本信息", data_name="数据"), 2,
        "没有工作表“指标数据”", "基本信息、数据")
    add("sheet-names-padded", ".xlsx", workbook(info_name=" 区县信息 ", data_name="INDICATORS"), 0, results=met_61,
        note="names are matched ignoring spaces and case")
    add("headers-only", ".xlsx", workbook([]), 2, "指标数据!A2", "没有指标行")
    add("empty-data-sheet", ".xlsx", xlsx_parts([Sheet("区县信息", PROFILE), Sheet("指标数据", [])]), 2,
        "指标数据!A1", "没有表头行")
    add("profile-no-year", ".xlsx", workbook(profile=[r for r in PROFILE if r[0] != "评估年度"]), 2,
        "评估年度")
    add("merged-value-rows", ".xlsx", workbook(merged=["D2:D3"]), 0, "指标数据!D2", "合并",
        results={"1": ("review", None), "6.1": ("met", 71.1)})
    add("formula-no-cached-value", ".xlsx", with_value(Formula("70+1.1")), 0, "指标数据!D3", "没有保存计算结果",
        results={"6.1": ("review", None)})
    uncomputed = [[*row[:3], Formula(f"{i}+1"), *row[4:]] for i, row in enumerate(BASE_ROWS)]
    add("formulas-no-cached-values", ".xlsx", workbook(uncomputed), 0, "指标数据!D2",
        "没有保存计算结果（共 4 个单元格：D2、D3、D4、D5）", results={"1": ("review", None)},
        note="one cause (the writing tool): one problem")
    add("formula-cached-value", ".xlsx", with_value(Formula("70+1.1", 71.1)), 0, results=met_61,
        note="the cached result is the value Excel shows; it is used")
    add("formula-cached-text", ".xlsx", with_value(Formula('"71.1%"', "71.1%")), 0,
        results={"6.1": ("met", 71.1)})
    add("formula-error-value", ".xlsx", with_value(CellError("#DIV/0!")), 0, "指标数据!D3", "#DIV/0!", "应填数字",
        results={"6.1": ("review", None)})
    add("formula-error-value-na", ".xlsx", with_value(CellError("#N/A", "NA()")), 0, "指标数据!D3", "#N/A",
        results={"6.1": ("review", None)})
    error_year = [list(r) for r in BASE_ROWS]
    error_year[1][2] = CellError("#VALUE!", "A1+1")
    add("formula-error-year", ".xlsx", workbook(error_year), 0, "指标数据!C3", "年度应为年份", "#VALUE!",
        results={"6.1": ("missing", None), "1": ("met", 25)})
    add("formula-injection-text", ".xlsx", with_value("=HYPERLINK(\"http://x.test\",\"71\")"), 0,
        "指标数据!D3", "应填数字", results={"6.1": ("review", None)})
    rows = [list(r) for r in BASE_ROWS] + [["6.4", "城市生活垃圾回收利用率", 2023, 41, None, "%"]]
    add("hidden-rows", ".xlsx", workbook(rows, hidden_rows={3, 6}), 0,
        results={"6.1": ("met", 71.1), "6.4": ("met", 41)},
        note="a hidden row is formatting, not deletion: its value is used")

    # Values in the forms people type.
    add("numbers-as-text", ".xlsx", with_value("71.1"), 0, results=met_61)
    add("percent-text", ".xlsx", with_value("71.1%"), 0, results=met_61)
    add("fullwidth-digits-percent", ".xlsx", with_value("７１．１％"), 0, results=met_61)
    add("thousands-separator", ".xlsx", with_value("1,071.1"), 0, results={"6.1": ("met", 1071.1)})
    add("value-with-unit", ".xlsx", workbook([BASE_ROWS[0], ["4.1", "优良天数比率", 2023, "321天", "325天"]]), 0,
        results={"1": ("met", 25)}, note="321天 against the task 325天 is judged, not refused")
    add("bound-as-value", ".xlsx", with_value("≥75"), 0, results={"6.1": ("met", None)})
    add("year-as-text", ".xlsx", workbook([["6.1", "城市生活污水集中收集率", "2023年", 71.1]]), 0,
        results={"6.1": ("met", 71.1)})
    add("year-fullwidth", ".xlsx", workbook([["6.1", "城市生活污水集中收集率", "２０２３", 71.1]]), 0,
        results={"6.1": ("met", 71.1)})
    add("date-in-year-column", ".xlsx", workbook([["6.1", "城市生活污水集中收集率", Date(44927), 71.1]]), 2,
        "指标数据!C2", "日期")
    dated = [[*row[:2], Date(44927), *row[3:]] for row in BASE_ROWS]
    add("dates-in-year-column", ".xlsx", workbook(dated), 2, "指标数据!C2", "这一列共 4 个年度是日期",
        note="one cause (the column's date format): one problem, not one per row")
    add("date-as-value", ".xlsx", with_value(Date(44927)), 0, "指标数据!D3", "日期", results={"6.1": ("review", None)})
    add("nan-string", ".xlsx", with_value("NaN"), 0, "指标数据!D3", "应填数字", "'NaN'", results={"6.1": ("review", None)})
    add("inf-string", ".xlsx", with_value("-inf"), 0, "指标数据!D3", "应填数字", results={"6.1": ("review", None)})
    add("huge-number", ".xlsx", with_value(1e308), 0, results={"6.1": ("met", 1e308)})
    add("huge-negative-number", ".xlsx", with_value(-1e308), 0, results={"6.1": ("not_met", -1e308)})
    add("overflow-text-1e400", ".xlsx", with_value("1e400"), 0, "指标数据!D3", "应填数字", results={"6.1": ("review", None)})
    add("overflow-number-cell-1e400", ".xlsx", with_value(RawNumber("1e400")), 0, "指标数据!D3", results={"6.1": ("review", None)})
    add("nan-number-cell", ".xlsx", with_value(RawNumber("NaN")), 0, "指标数据!D3", results={"6.1": ("review", None)})
    add("excel-error-value", ".xlsx", with_value("#DIV/0!"), 0, "指标数据!D3", "应填数字", results={"6.1": ("review", None)})
    add("boolean-value", ".xlsx", with_value(True), 0, "指标数据!D3", "应填数字", "'TRUE'", results={"6.1": ("review", None)})
    add("unknown-indicator", ".xlsx", workbook([*BASE_ROWS, [None, "不存在的指标", 2023, 5]]), 0,
        "指标数据!D6", "不存在的指标", "不是指标体系中的指标", results=met_61)
    add("unknown-indicator-id", ".xlsx", workbook([["99.9", None, 2023, 5]]), 2, "指标数据!D2", "99.9")
    add("duplicated-rows", ".xlsx", workbook([*BASE_ROWS, BASE_ROWS[1]]), 0, "指标数据!D6", "填了两次",
        "指标数据!D3", results={"6.1": ("review", None), "1": ("met", 25)})
    add("unit-mismatch", ".xlsx", workbook([["6.1", "城市生活污水集中收集率", 2023, 71.1, None, "吨"]]), 0,
        "指标数据!D2", "单位", results={"6.1": ("review", None)})
    add("value-unit-mismatch", ".xlsx", with_value("71.1吨"), 0, "指标数据!D3", "的单位是 吨", "以 % 计", results={"6.1": ("review", None)},
        note="a unit typed into the value must agree with the pack's (it was silently read as %)")
    add("row-without-name", ".xlsx", workbook([[None, None, 2023, 5]]), 2, "指标数据!B2", "没有指标名称")

    # Numbers only as people write them: digits no one types as a number are refused like "71,1" (NFKC would make
    # "⑦①" 71, and float() reads "٧١.١"); full-width digits, which input methods type, are read (above).
    doubtful = {"6.1": ("review", None)}  # the cell's problem makes 6.1 待核实, naming the cell
    add("comma-decimal", ".xlsx", with_value("71,1"), 0, "指标数据!D3", "应填数字", "'71,1'", results=doubtful)
    add("circled-digits", ".xlsx", with_value("⑦①"), 0, "指标数据!D3", "应填数字", "'⑦①'", results=doubtful)
    add("superscript-digits", ".xlsx", with_value("⁷¹"), 0, "指标数据!D3", "应填数字", results=doubtful)
    add("arabic-indic-digits", ".xlsx", with_value("٧١.١"), 0, "指标数据!D3", "应填数字", results=doubtful)
    add("devanagari-digits", ".xlsx", with_value("७१.१"), 0, "指标数据!D3", "应填数字", results=doubtful)
    add("digits-split-by-space", ".xlsx", with_value("7 1.1"), 0, "指标数据!D3", "应填数字", "'7 1.1'",
        results=doubtful)
    add("footnote-circle-after-number", ".xlsx", with_value("71.1①"), 0, "指标数据!D3", "应填数字", results=doubtful,
        note="NFKC made it 71.11: a marker glued to a number is refused, not read as a digit")
    other_year = [list(r) for r in BASE_ROWS]
    other_year[1][2] = "٢٠٢٣"
    add("year-in-other-digits", ".xlsx", workbook(other_year), 0, "指标数据!C3", "年度应为年份",
        results={"6.1": ("missing", None), "1": ("met", 25)})

    # Units as people type them, read against the pack's unit (normalize.UNIT_SPELLINGS).
    green = ["24", "人均公园绿地面积", 2023]
    for name, typed in (("unit-square-metre-sign", "12.3㎡/人"), ("unit-superscript-two", "12.3m²/人"),
                        ("unit-chinese", "12.3平方米/人")):
        add(name, ".xlsx", workbook([BASE_ROWS[0], [*green, typed, None, "平方米/人"]]), 0,
            results={"24": ("met", 12.3)})
    add("unit-micrograms", ".xlsx", workbook([["4.2", "PM2.5浓度", 2023, "24μg/m³", "≤30"]]), 0,
        results={"4.2": ("met", None)}, note="μg/m³, typed with the micro sign or the Greek mu")
    add("unit-of-another-quantity", ".xlsx", workbook([BASE_ROWS[0], [*green, "12.3公顷", None, "平方米/人"]]), 0,
        "指标数据!D3", "的单位是 公顷", results={"24": ("review", None)},
        note="a spelling table, not a converter: 公顷 is no 平方米/人")
    add("task-bare-number", ".xlsx", workbook([BASE_ROWS[0], ["4.1", "优良天数比率", 2023, 90.4, 327, "%"]]), 0,
        "指标数据!E3", "对任务 327：", results={"1": ("met", 25)},
        note="the task 327 has no unit: the problem is at the task's cell and shows no % never typed")

    # Cells beyond any real one (ECOPLAN_MAX_CELL_CHARS): refused at their cell, before any parser sees them.
    rng_han = random.Random(3)
    long_name = "".join(chr(rng_han.randrange(0x4E00, 0x9FA5)) for _ in range(1 << 20))  # random: no zip bomb
    profile_long = [list(r) for r in PROFILE]
    profile_long[1][1] = long_name
    add("name-1m-characters", ".xlsx", workbook(profile=profile_long), 2, "区县信息!B2", "1048576 个字符",
        "ECOPLAN_MAX_CELL_CHARS", note="a 1 MB 区县名称: refused at its cell, never printed or multiplied")
    add("value-20000-characters", ".xlsx", with_value("71.1" + "中" * 20_000), 2, "指标数据!D3", "20004 个字符")
    add("value-9000-characters-no-colon", ".xlsx", with_value("71.1" + "中" * 9_000), 0,
        results={"1": ("met", 25)}, note="within the limit: parsed in linear time (2.8 s at 10,000 before)")

    # Text that would act where it is shown: kept in the JSON, neutralised on terminals and in Markdown.
    hostile = "_x001B_]0;PWNED_x0007__x001B_[31mRED_x009B_2J<script>alert(1)</script>[l](javascript:alert(1))"
    profile_hostile = [list(r) for r in PROFILE]
    profile_hostile[1][1] = hostile
    add("name-with-terminal-escapes", ".xlsx", workbook(profile=profile_hostile), 0, results=met_61,
        note="Excel's _x001B_ escape: calamine reads ESC, BEL and a C1 CSI (see test_corpus's escaping tests)")
    add("unknown-name-with-escapes", ".xlsx", workbook([[None, "指标_x001B_[2J名称", 2023, 5]]), 2,
        "指标数据!D2", "\\x1b[2J", note="an exit-2 message shows the ESC it quotes as \\x1b, never sends it")

    # Sizes and limits.
    many = [["6.1", "城市生活污水集中收集率", 2000 + i % 100, 71.1] for i in range(10_000)]
    add("rows-10000", ".xlsx", workbook(many), 2, "指标数据", "10001 行", "ECOPLAN_MAX_ROWS")
    add("formatted-down-to-row-6000", ".xlsx", workbook(formatted_to=6000), 0, results=met_61,
        note="a table bordered down to row 6000: rows with only a format are no data rows")
    add("columns-1000", ".xlsx", workbook([*BASE_ROWS], header=HEADER + [f"列{i}" for i in range(993)]), 2,
        "指标数据", "1000 列", "ECOPLAN_MAX_COLUMNS")

    def big(path: Path) -> None:
        parts = workbook()
        parts["xl/media/padding.bin"] = os.urandom(30 * 1024 * 1024)
        path.write_bytes(zip_bytes(parts, stored=frozenset({"xl/media/padding.bin"})))

    add("workbook-30mb", ".xlsx", big, 2, "30.0 MB", "ECOPLAN_MAX_FILE_MB")
    add("zip-bomb", ".xlsx", _zip_bomb, 2, "xl/worksheets/sheet2.xml", "zip 炸弹", "超过上限 200 倍（ECOPLAN_MAX_RATIO")
    add("zip-bomb-lying-header", ".xlsx", _lying_zip_bomb, 2, "xl/worksheets/sheet2.xml")
    members = workbook()
    members.update({f"xl/media/m{i}.bin": b"x" for i in range(2100)})
    add("too-many-members", ".xlsx", members, 2, "个成员")

    # Hostile XML.
    add("billion-laughs", ".xlsx", xlsx_parts([Sheet("区县信息", PROFILE), Sheet("指标数据", [HEADER, *BASE_ROWS])],
                                              shared_prolog=_LAUGHS), 2, "xl/sharedStrings.xml", "DOCTYPE")
    xxe = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    rows = [list(r) for r in BASE_ROWS]
    add("external-entity", ".xlsx", workbook(rows, prolog=xxe), 2, "xl/worksheets/sheet2.xml", "DOCTYPE")
    add("doctype-after-padding", ".xlsx", workbook(prolog="<!--" + "x" * 8192 + "-->" + xxe), 2,
        "xl/worksheets/sheet2.xml", "DOCTYPE", note="a DOCTYPE pushed past the first bytes is still found")

    # Paths that are not plain files.
    add("symlink-to-valid", ".xlsx", lambda path: path.symlink_to(base.name), 0, results=met_61,
        note="accepted: a link is the user's own choice of path; the target is only read")
    add("symlink-dangling", ".xlsx", lambda path: path.symlink_to("does-not-exist.xlsx"), 2, "找不到文件")
    add("a-directory", ".xlsx", lambda path: path.mkdir(), 2, "文件夹")
    add("missing-file", ".xlsx", None, 2, "找不到文件")
    add("fifo", ".xlsx", os.mkfifo, 2, "不是普通文件")
    locked = add("unreadable-file", ".xlsx", workbook(), 2, "没有读取权限")
    if write:
        locked.chmod(0)
        if os.access(locked, os.R_OK):  # root reads through chmod 000
            cases[-1].skip = "running as root: chmod 000 does not stop reads"
    return cases


def main(argv: list[str]) -> int:
    """Write the corpus into argv[1] and list it."""
    if len(argv) != 2:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    for case in build(Path(argv[1])):
        print(f"{case.code}  {case.name:32} {case.path.name}  {' | '.join(case.fragments)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
