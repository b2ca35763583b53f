"""Every message a person reads is Chinese (issue 23 item 3): the output of every command in every format — the
terminal tables, stderr, Markdown, GitHub annotations, JUnit's messages, the human fields of JSON and CSV, the text
of the xlsx, Word and HTML files — is scanned for English words. What may stay: problem codes and ids (pack,
indicator, cell), paths and file suffixes, option names and values, the document's own words (PM2.5, GDP, EQI,
μg/m3, read from the pack and the workbook), and the names of programs and formats (Excel, JSON, JUnit …)."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from ecoplan.cli.options import CheckFormat, FailOn
from ecoplan.report.problems import CATALOGUE
from ecoplan.rules.loader import available_packs, load_pack

DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures"

# Names of programs, formats and encodings, and the program's own name: proper nouns, not English sentences.
PROPER_NOUNS = frozenset({"ecoplan", "Excel", "WPS", "LibreOffice", "UTF-8", "GBK", "zip", "XML", "YAML", "JSON",
                          "CSV", "HTML", "Markdown", "JUnit", "GitHub", "GitLab", "Office", "OLE2", "ODF", "Schema", "Tab"})
# A token that is a path, a file suffix, an option, an environment variable, a cell or a URL; text in quotes (the
# input's own words).
_NOT_WORDS = re.compile(r"'[^'\n]*'|“[^”\n]*”|\S*[/\\]\S*|\S+\.(?:xlsx|xlsm|xls|ods|yaml|yml|json|csv|md|html|docx|xml|txt)\b|"
                        r"\.[A-Za-z]{2,5}\b|--[a-z-]+|\bECOPLAN_[A-Z_]+|\b[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?\b|"
                        r"https?://\S+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'-]*")


def _document_words() -> set[str]:
    """The ASCII words of every pack's text — names, units, targets, titles, sources, ids — as the documents write
    them (PM2.5, GDP, EQI, Ⅲ written III, μg/m3), and every pack and indicator id."""
    words: set[str] = set()
    for pack_id, path in available_packs().items():
        pack = load_pack(path)
        texts = [pack_id, pack.title or "", pack.extends or ""]
        if pack.source is not None:
            texts += [pack.source.document or "", pack.source.table or ""]
        for top in pack.indicators:
            for node in top.walk():
                texts += [node.id, node.seq or "", node.label, node.unit or "", node.criterion_text(),
                          node.text or "", node.task or "", node.domain or "", *node.aliases]
                texts += [target.text or target.criterion.describe() for target in node.targets.values()]
        for text in texts:
            words.update(_WORD.findall(_NOT_WORDS.sub(" ", text)))
    return words


def _schema_words() -> set[str]:
    """The keys and the words of the rule files' format (rules/schema.json): lint quotes them (criterion, kind)."""
    words: set[str] = set()

    def visit(node: object) -> None:
        if isinstance(node, dict):
            words.update(k for k in node.get("properties", {}) if isinstance(k, str))
            words.update(v for key in ("enum", "const") for v in (node.get(key) if isinstance(node.get(key), list)
                                                                  else [node.get(key)]) if isinstance(v, str))
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(json.loads((ROOT / "rules" / "schema.json").read_text(encoding="utf-8")))
    return {w for text in words for w in _WORD.findall(text)}


COMMANDS = frozenset({"assess", "check", "batch", "report", "template", "rules", "list", "show", "lint", "schema"})
"""Command names, as typed (ecoplan rules show …)."""
ALLOWED = (_document_words() | set(CATALOGUE) | PROPER_NOUNS | COMMANDS | {f.value for f in FailOn}
           | {f.value for f in CheckFormat})


PACK_IDS = tuple(available_packs())


def english_words(text: str, allowed: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The English words of `text` that are none of the allowed kinds (a pack id cut short, as a sheet name may
    cut it, is an id too: whether names are cut is tests/test_batchview_xlsx.py's question, not this one's)."""
    return {w for w in _WORD.findall(_NOT_WORDS.sub(" ", text))
            if len(w) > 1 and w not in ALLOWED and w not in allowed and w.strip("-_") not in ALLOWED
            and not (len(w) >= 8 and any(pack_id.startswith(w) for pack_id in PACK_IDS))}


# --- what a person reads in each format ----------------------------------------------------------------------------
def _markdown_texts(text: str) -> list[str]:
    """Markdown as it reads rendered: its entities (render/escape.markdown_text writes ">" as &gt;) as characters."""
    return [html.unescape(text)]


def _json_texts(data: object) -> Iterator[str]:
    """The fields of the JSON a person reads: reasons, messages, targets, names, labels and titles."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("reason", "message", "target", "name", "label", "title") and isinstance(value, str):
                yield value
            else:
                yield from _json_texts(value)
    elif isinstance(data, list):
        for item in data:
            yield from _json_texts(item)


def _junit_texts(xml: str) -> Iterator[str]:
    for element in ET.fromstring(xml).iter():
        if element.tag in ("failure", "error", "skipped"):
            yield element.get("message", "")
        if element.tag in ("failure", "error", "system-out") and element.text:
            yield element.text


def _github_texts(text: str) -> Iterator[str]:
    """The messages and titles of the workflow commands, and any other line (the closing counts)."""
    for line in text.splitlines():
        match = re.match(r"::(\w+)(?: ([^:]*))?::(.*)", line)
        if match is None:
            yield line
            continue
        yield match.group(3)
        yield from (prop.partition("=")[2] for prop in (match.group(2) or "").split(",") if prop.startswith("title="))


def _csv_texts(text: str) -> Iterator[str]:
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        yield from (row[key] for key in ("name", "status_zh", "target", "reason") if row.get(key))


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")
        self.parts += [value for name, value in attrs if name in ("title", "aria-label", "alt") and value]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _html_texts(path: Path) -> list[str]:
    parser = _HtmlText()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.parts


def _xlsx_texts(path: Path) -> Iterator[str]:
    from openpyxl import load_workbook

    book = load_workbook(path)
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":  # the template's lists behind its dropdowns
            continue
        yield sheet.title
        yield from (cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str))
        yield sheet.oddHeader.center.text or ""
        yield sheet.oddFooter.center.text or ""


def _docx_texts(path: Path) -> Iterator[str]:
    from docx import Document

    document = Document(str(path))
    yield from (p.text for p in document.paragraphs)
    for table in document.tables:
        yield from (cell.text for row in table.rows for cell in row.cells)


# --- the commands ----------------------------------------------------------------------------------------------------
def _ecoplan(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A failing, a passing, an erroneous and an unusable submission (and a folder holding them)."""
    folder = tmp_path_factory.mktemp("submissions")
    (folder / "不是工作簿.xlsx").write_text("这不是工作簿\n", encoding="utf-8")
    files = {"fail": DATA / "yubei-2023.xlsx", "pass": DATA / "jiulongpo-2025.xlsx",
             "error": FIXTURES / "merged-value-rows.xls", "unusable": folder / "不是工作簿.xlsx"}
    for key in ("fail", "pass", "error"):
        (folder / files[key].name).write_bytes(files[key].read_bytes())
    return {**files, "folder": folder}


CORPUS = ROOT / "tests" / "corpus" / "rules"


def _outputs(inputs: dict[str, Path], out: Path) -> Iterator[tuple[str, list[str]]]:
    """(command, the texts a person reads in its output) for every command and format."""
    checked = [inputs[k] for k in ("fail", "pass", "error", "unusable")]
    for fmt in ("table", "markdown", "json", "junit", "github"):
        proc = _ecoplan("check", *checked, "--format", fmt, cwd=out)
        texts = {"json": lambda t: list(_json_texts(json.loads(t))), "junit": lambda t: list(_junit_texts(t)),
                 "github": lambda t: list(_github_texts(t)), "markdown": _markdown_texts}.get(fmt, lambda t: [t])(
            proc.stdout)
        yield f"check --format {fmt}", [*texts, proc.stderr]
    proc = _ecoplan("check", *checked, "-o", out / "check.xml", cwd=out)
    yield "check -o check.xml (stderr)", [proc.stderr, *_junit_texts((out / "check.xml").read_text("utf-8"))]
    for fmt in ("table", "markdown", "json", "csv"):
        proc = _ecoplan("assess", inputs["fail"], "--format", fmt, cwd=out)
        texts = {"json": lambda t: list(_json_texts(json.loads(t))), "csv": lambda t: list(_csv_texts(t)),
                 "markdown": _markdown_texts}.get(fmt, lambda t: [t])(proc.stdout)
        yield f"assess --format {fmt}", [*texts, proc.stderr]
    for path in (inputs["error"], inputs["unusable"]):
        proc = _ecoplan("assess", path, cwd=out)
        yield f"assess {path.name}", [proc.stdout, proc.stderr]
    for name in ("达标情况.xlsx", "达标情况.docx"):
        proc = _ecoplan("assess", inputs["fail"], "-o", out / name, cwd=out)
        read = _xlsx_texts if name.endswith("xlsx") else _docx_texts
        yield f"assess -o {name}", [proc.stderr, *read(out / name)]
    for fmt in ("table", "markdown", "csv"):
        proc = _ecoplan("batch", inputs["folder"], "--format", fmt, cwd=out)
        texts = {"csv": lambda t: list(_csv_texts(t)), "markdown": _markdown_texts}.get(fmt, lambda t: [t])(
            proc.stdout)
        yield f"batch --format {fmt}", [*texts, proc.stderr]
    for name in ("汇总.xlsx", "汇总.docx", "overview.html"):
        proc = _ecoplan("batch", inputs["folder"], "-o", out / name, cwd=out)
        read = {"xlsx": _xlsx_texts, "docx": _docx_texts, "html": _html_texts}[name.rpartition(".")[2]]
        yield f"batch -o {name}", [proc.stderr, *read(out / name)]
    proc = _ecoplan("report", inputs["fail"], "-o", out / "report.html", cwd=out)
    yield "report -o report.html", [proc.stderr, *_html_texts(out / "report.html")]
    proc = _ecoplan("template", "yubei-2023-2030", "-o", out / "模板.xlsx", cwd=out)
    yield "template -o 模板.xlsx", [proc.stderr, *_xlsx_texts(out / "模板.xlsx")]
    for args in (("rules", "list"), ("rules", "show", "yubei-2023-2030")):
        proc = _ecoplan(*args, cwd=out)
        yield " ".join(args), [proc.stdout, proc.stderr]
    # lint: after each "file:line:col: code:", the message; it quotes the rule files' keys and words
    proc = _ecoplan("rules", "lint", CORPUS, cwd=out)
    yield "rules lint", [re.sub(r"(?m)^\S+:\d+:\d+: [a-z-]+: ", "", proc.stdout), proc.stderr]


def test_every_output_a_person_reads_is_chinese(inputs: dict[str, Path], tmp_path: Path) -> None:
    # the workbooks' own words (a district's name, a value's text) are theirs, not ecoplan's
    workbook_words = {w for path in (inputs["fail"], inputs["pass"], inputs["error"])
                      for text in _json_texts(json.loads(run_cli("assess", path, "-f", "json").stdout or "{}"))
                      for w in _WORD.findall(text)}
    # the rule files lint reads: their keys and words are quoted in its messages
    rule_words = _schema_words() | {w for path in CORPUS.glob("*.yaml") for w in _WORD.findall(path.read_text("utf-8"))}
    found = {}
    seen = 0
    for command, texts in _outputs(inputs, tmp_path):
        seen += 1
        allowed = workbook_words | (rule_words if command == "rules lint" else set())
        english = set().union(*(english_words(text, allowed) for text in texts))
        if english:
            found[command] = sorted(english)
    assert seen >= 25
    assert not found, "English words in output:\n" + "\n".join(f"{c}: {w}" for c, w in found.items())


def test_the_scan_finds_english_and_passes_codes_ids_paths_and_units() -> None:
    assert english_words("未评估：the submission has 2 error(s); correct them first") >= {"the", "submission",
                                                                                         "correct"}
    assert english_words("ecoplan check: 2 file(s): 1 pass, 0 fail") >= {"file", "pass"}
    assert not english_words("错误 指标数据!D5 unit-mismatch：PM2.5浓度 34.1μg/m³，见 data/yubei-2023.xlsx 和 --fail-on "
                             "constraint；national-demo-county-2024 的 4.1；请提交 .xlsx 或 .ods")
