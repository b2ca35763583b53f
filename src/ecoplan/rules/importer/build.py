"""A found table made into a draft pack: one indicator per row, sub-rows as items, every target cell read as a
criterion (or `manual`), the notes attached, and each decision the reading took written down for the comments.

Nothing is added that the table does not print: an attribute only from a 属性 column, a unit only from the unit
column or the name's parentheses (or the values the table reports, see `evidence`), `provisional` only where a note
or a 备注 says the superior sets the final target. What is read rather than printed — a direction from the name, a
sub-row without a 序号, a cell that stays `manual` — is listed as a decision on its row, so a reviewer knows where
to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ecoplan.normalize import unit_key
from ecoplan.rules.defaults import Defaults
from ecoplan.rules.importer.cells import Reading, is_empty, read_cell, take_marks
from ecoplan.rules.importer.direction import Direction, direction_from_name
from ecoplan.rules.importer.evidence import Conventions, printed_direction, reduction_unit, shown_conventions
from ecoplan.rules.importer.notes import Named, Note, plan_span, provisional_words, rows_named, split_notes
from ecoplan.rules.importer.rows import Entry, Line, read_entries
from ecoplan.rules.importer.tables import FoundTable
from ecoplan.vocabulary import ATTRIBUTE_LABELS, PLAN_PERIODS

_ENUMERATOR = re.compile(r"^\s*(?:其中\s*[:：]?|\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_TRAILING_PARENS = re.compile(r"\s*[（(]([^（()）]+)[)）]\s*$")
_UNIT_PART = (r"(?:%|‰|万|亿|千|百|亩|公顷|平方公里|平方千米|平方米|立方米|公里|千米|吨标准煤|吨标煤|标煤|吨|千克|"
              r"公斤|克|天|个|座|家|处|类|元|人|户|辆|次|年|小时|千瓦时|kWh|t|kg|mg|μg|µg|ug|g|km|m|L|dB|㎡|³|²|\d)")
_UNIT = re.compile(rf"^{_UNIT_PART}+(?:\s*/\s*{_UNIT_PART}+)*$")
_CAPTION_LABEL = re.compile(r"^\s*(?:续?表|专栏|附表|附件)\s*[\d一二三四五六七八九十A-Za-z][\d.\-－—]*\s*")
_BASELINE_WORDS = ("现状", "基准", "基期")
_MEASURED_KINDS = {"threshold", "superior_task", "trend", "cumulative", "delta", "approximate", "by_profile"}
_CONVENTION_WORDS = {"when_expected": "填报为预计值", "when_task_not_issued": "上级未下达任务",
                     "when_not_assessed": "未考核", "when_task_absent": "有数值而没有上级任务值"}
# A draft counts nothing 达标 that the document has not shown it counts so: a number with no task to compare it
# with is 待核实 unless the table's own verdicts show otherwise (ecoplan's other defaults stand).
DRAFT_DEFAULTS = {"when_task_absent": "review"}


@dataclass
class Counts:
    """What the import read, for its report."""

    rows: int = 0  # body rows read
    indicators: int = 0
    items: int = 0
    cells: int = 0  # target cells read (the criterion and each target year)
    parsed: int = 0  # of those, read as criteria
    manual_rows: list[str] = field(default_factory=list)  # ids of the leaves whose criterion is manual
    provisional_rows: list[str] = field(default_factory=list)


@dataclass
class Imported:
    """The draft pack as data (in the order it is written), its comments, its notes and what was counted."""

    pack: dict[str, Any]
    comments: dict[str, list[str]]  # top-level indicator id → the decisions taken on it and its items
    pack_comments: list[str]  # decisions about the whole pack (its defaults)
    notes: list[Note]
    counts: Counts
    table: FoundTable
    unknown_columns: list[str] = field(default_factory=list)


def build_pack(table: FoundTable, source: Path, pack_id: str) -> Imported:
    """The draft pack of `table` from the file `source`, with id `pack_id`."""
    entries = read_entries(table)
    notes = split_notes(table.notes)
    header = table.header
    target_years = header.years("target")
    period = _plan_period(table, notes, source, target_years)
    builder = _Builder(table, period, bool(header.where("criterion")), target_years, notes)
    indicators = builder.indicators(entries)
    pack: dict[str, Any] = {"id": pack_id, "title": _title(table, source)}
    pack["source"] = {"document": source.name, "table": table.title or table.where.rsplit(": ", 1)[-1]}
    if period:
        pack["plan_period"] = list(period)
    if target_years:
        pack["target_years"] = target_years
    pack_comments: list[str] = []
    pack["defaults"] = _defaults(table, builder.conventions, pack_comments)
    pack["indicators"] = indicators
    builder.counts.rows = len(table.rows)
    return Imported(pack, builder.comments, pack_comments, notes, builder.counts, table, header.unknown)


def _title(table: FoundTable, source: Path) -> str:
    if table.title:
        return _CAPTION_LABEL.sub("", table.title).strip() or table.title
    return source.stem


def _plan_period(table: FoundTable, notes: list[Note], source: Path,
                 target_years: list[int]) -> tuple[int, int] | None:
    """The period a bracketed total covers: the span a note gives ([  ]内为5年累计数) ending at the (first) target
    year, else the 十四五-style period the title, the file name or the notes name."""
    span = plan_span(notes)
    if span and target_years:
        return (target_years[0] - span + 1, target_years[0])
    words = " ".join([table.title or "", source.stem, *table.notes])
    return next((period for word, period in PLAN_PERIODS.items() if word in words), None)


def _defaults(table: FoundTable, conventions: Conventions, comments: list[str]) -> dict[str, Any]:
    """ecoplan's defaults, written out so a reviewer sees them, a draft's caution on an absent task, and what the
    table's own verdicts show; the baseline year from a 现状 column."""
    defaults = Defaults()
    data: dict[str, Any] = {f.name: getattr(defaults, f.name) for f in fields(defaults)}
    data.update(DRAFT_DEFAULTS)
    data = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in data.items()}
    for key, rows in conventions.met.items():
        against = conventions.not_met.get(key)
        if against:
            comments.append(f"{key}：表中 {'、'.join(rows)} 行{_CONVENTION_WORDS[key]}而判达标，{'、'.join(against)} "
                            "行却判未达标：保留 review")
            data[key] = "review"
        else:
            data[key] = "met"
            comments.append(f"{key}: met：表中 {'、'.join(rows)} 行{_CONVENTION_WORDS[key]}，文件判为达标")
    if data["when_task_absent"] == "review" and "when_task_absent" not in conventions.met:
        comments.append("when_task_absent: review：表中没有印出上级任务值；没有任务值可比的数值，草稿不算作达标")
    baselines = sorted({c.year for c in table.header.columns.values()
                        if c.role == "value" and c.year and any(w in c.label for w in _BASELINE_WORDS)})
    if len(baselines) == 1:
        data["baseline_year"] = baselines[0]
    return data


class _Builder:
    """Turns entries into indicator mappings, keeping the comments and counts."""

    def __init__(self, table: FoundTable, period: tuple[int, int] | None, has_criterion: bool,
                 target_years: list[int], notes: list[Note]) -> None:
        self.table = table
        self.period = period
        self.has_criterion = has_criterion
        self.target_years = target_years
        self.notes = notes
        self.counts = Counts()
        self.comments: dict[str, list[str]] = {}
        self.conventions = Conventions()
        self.star_explained = any(note.marker in ("*", "※") for note in notes)
        self.named: list[Named] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        self.top_of: dict[str, str] = {}

    # -- the indicators ----------------------------------------------------------------------------------------
    def indicators(self, entries: list[Entry]) -> list[dict[str, Any]]:
        result = []
        for entry, ident, id_note in zip(entries, *_ids(entries), strict=True):
            self.comments[ident] = list(entry.decisions) + ([id_note] if id_note else [])
            result.append(self._top(entry, ident))
        self._attach_notes()
        self.counts.indicators = len(entries)
        self.counts.items = sum(len(e.items) for e in entries)
        return result

    def _say(self, ident: str, text: str) -> None:
        """A decision on indicator `ident`, kept for the comment above its top-level indicator."""
        top = self.top_of.get(ident, ident)
        self.comments.setdefault(top, []).append(text if top == ident else f"{ident}：{text}")

    def _top(self, entry: Entry, ident: str) -> dict[str, Any]:
        self.top_of[ident] = ident
        name, unit, aliases, marks = _clean_name(entry.name)
        data: dict[str, Any] = {"id": ident}
        if entry.seq and entry.seq != ident:
            data["seq"] = entry.seq
        data["name"] = name or f"指标{ident}"
        if not name:
            self._say(ident, "表中没有该指标的名称：请补上 name")
        if aliases:
            data["aliases"] = aliases
        if entry.domain:
            data["domain"] = entry.domain
        if entry.task:
            data["task"] = entry.task
        own_attribute = entry.line is not None and entry.line.attribute.strip()
        attribute = self._attribute(entry.line if own_attribute or not entry.items else entry.items[0], ident)
        if attribute:
            data["attribute"] = attribute
        self.by_id[ident] = data
        if not entry.items:
            assert entry.line is not None
            self._leaf(data, entry.line, name, unit, marks, None, ident)
            self.named.append(Named(ident, name, entry.domain, entry.line.cells))
            return data
        if entry.line is not None:
            own = [t for t in [entry.line.criterion, *entry.line.targets.values()] if t and not is_empty(t)]
            if own:
                self._say(ident, f"本行自身的指标值“{own[0]}”未写入：有分项的指标由分项判定")
            self._remark(data, entry.line, ident)
        if entry.line is not None and unit_key(entry.line.unit):
            unit = entry.line.unit.strip()  # the parent's own unit cell, for sub-items that print none
        cells = " ".join(line.cells for line in ([entry.line] if entry.line else []) + entry.items)
        self.named.append(Named(ident, name, entry.domain, cells))
        items = []
        for index, line in enumerate(entry.items, start=1):
            item_id = f"{ident}.{index}"
            self.top_of[item_id] = ident
            item_name, item_unit, item_aliases, item_marks = _clean_name(line.name)
            item: dict[str, Any] = {"id": item_id, "name": item_name or f"分项{item_id}"}
            if item_aliases:
                item["aliases"] = item_aliases
            item_attribute = self._attribute(line, item_id)
            if item_attribute and item_attribute != attribute:
                item["attribute"] = item_attribute
            self.by_id[item_id] = item
            self._leaf(item, line, item_name, item_unit or unit, item_marks, name, item_id,
                       "名称" if item_unit else "所属指标")
            self.named.append(Named(item_id, item_name, entry.domain, line.cells))
            items.append(item)
        data["items"] = items
        return data

    def _leaf(self, data: dict[str, Any], line: Line, name: str, unit: str | None, marks: list[str],
              parent: str | None, ident: str, unit_from: str = "名称") -> None:
        """The fields of an indicator judged by its own criterion: unit, direction, the criterion, targets.
        `unit`: the one its name's parentheses give, or (`unit_from` 所属指标) its parent's."""
        unit = self._unit(line, unit, ident, unit_from)
        hint, why = self._direction_hint(line, name, parent)
        reduction = reduction_unit(line, unit)
        if reduction is not None:
            self._say(ident, f"单位栏为“{unit}”，但{reduction.why}是下降百分比：按下降率（%）判定，越高越好")
            unit, hint, why = "%", "higher", None
        if unit:
            data["unit"] = unit
        primary, targets = self._readings(line, hint, unit, ident)
        kinds = primary.kinds | {k for r in targets.values() for k in r.kinds}
        if "*" in marks or "※" in marks:
            if self.star_explained:
                self._say(ident, "名称带 *，见表注")
            else:
                data["may_be_na"] = True
                self._say(ident, "名称带 *：读作可填“不涉及”（示范区指标表的写法）")
        if kinds and kinds <= {"state", "water_class", "manual"} and kinds != {"manual"}:
            data["direction"] = "none"
        elif primary.direction:
            data["direction"] = primary.direction
            if not primary.stated and why and kinds & _MEASURED_KINDS:
                self._say(ident, why)
        elif kinds & _MEASURED_KINDS:
            self._say(ident, "名称看不出越高越好还是越低越好：未写 direction，请补上")
        if unit and unit_key(unit) == "%" and "天数比" in name:
            data["days_share"] = True
            self._say(ident, "优良天数比例（%）是全年天数的占比：写 days_share（任务给天数时换算）")
        data["text"] = primary.text
        data["criterion"] = primary.criterion
        if primary.manual:
            self.counts.manual_rows.append(ident)
        if targets:
            data["targets"] = {year: {"text": r.text, "criterion": r.criterion} for year, r in targets.items()}
        self._remark(data, line, ident)
        shown_conventions(line, ident, kinds, self.conventions)

    def _unit(self, line: Line, unit: str | None, ident: str, unit_from: str) -> str | None:
        """The unit column's unit, else the one the name (or the parent) gives (said in a comment)."""
        column = line.unit.strip()
        if column and unit_key(column):
            if unit and unit_key(unit) != unit_key(column):
                self._say(ident, f"单位栏“{column}”与{unit_from}的“{unit}”不同：取单位栏")
            return column
        if unit:
            self._say(ident, f"单位“{unit}”取自{unit_from}" + ("中的括号" if unit_from == "名称" else ""))
        return unit

    def _direction_hint(self, line: Line, name: str, parent: str | None) -> tuple[Direction | None, str | None]:
        """The direction a bare number or a task takes: printed in the row's reported tasks (≤40), else the
        head word of the name (or of the parent's name), with the words that say why."""
        printed = printed_direction(line)
        guess = direction_from_name(name) or (direction_from_name(parent) if parent else None)
        if printed is not None:
            sense = "越高越好" if printed.value == "higher" else "越低越好"
            if guess is not None and guess.direction != printed.value:
                return printed.value, f"方向取{sense}：{printed.why}（名称中的“{guess.word}”说的是另一方向）"  # type: ignore[return-value]
            return printed.value, f"方向取{sense}：{printed.why}"  # type: ignore[return-value]
        if guess is None:
            return None, None
        sense = "越高越好" if guess.direction == "higher" else "越低越好"
        whose = "名称" if direction_from_name(name) else "所属指标的名称"
        return guess.direction, f"方向取{sense}（{whose}中的“{guess.word}”）"

    def _readings(self, line: Line, hint: Direction | None, unit: str | None,
                  ident: str) -> tuple[Reading, dict[int, Reading]]:
        """The criterion (the 指标值 column, else the first target year's) and each target year's reading."""
        cache: dict[str, Reading] = {}

        def read(text: str) -> Reading:
            if text not in cache:
                reading = cache[text] = read_cell(text, hint, unit, self.period)
                self.counts.cells += 1
                self.counts.parsed += 0 if reading.manual else 1
                for decision in reading.decisions:
                    self._say(ident, decision)
            return cache[text]

        targets: dict[int, Reading] = {}
        for year in self.target_years:
            text = line.targets.get(year, "")
            if not is_empty(take_marks(text)[0]):
                targets[year] = read(text)
        if self.has_criterion:
            primary = read(line.criterion or "")
        elif self.target_years and self.target_years[0] in targets:
            primary = targets[self.target_years[0]]
        else:
            primary = read(line.targets.get(self.target_years[0], "") if self.target_years else "")
        return primary, targets

    def _attribute(self, line: Line | None, ident: str) -> str | None:
        text = (line.attribute if line else "").strip()
        if not text:
            return None
        word = next((w for w in ATTRIBUTE_LABELS.values() if w in text), None)
        if word is None:
            self._say(ident, f"属性栏为“{text}”，不是约束性、预期性或参考性：未写 attribute")
        return word

    def _remark(self, data: dict[str, Any], line: Line, ident: str) -> None:
        """The 备注 and 适用范围 cells: a provisional target where the 备注 says so, otherwise a source note."""
        notes = []
        remark = line.remark.strip()
        if remark:
            words = provisional_words(remark)
            if words and "items" not in data:
                data["provisional"] = words
                self.counts.provisional_rows.append(ident)
                self._say(ident, f"备注“{remark}”：目标以上级最终下达为准，写 provisional")
            else:
                notes.append(f"备注：{remark}")
        scope = line.scope.strip()
        if scope:
            notes.append(f"适用范围：{scope}")
            self._say(ident, f"适用范围“{scope}”只记入 source.note：请核对判据是否因地区而异")
        if notes:
            _add_note(data, "；".join(notes))

    # -- the notes under the table -----------------------------------------------------------------------------
    def _attach_notes(self) -> None:
        for note in self.notes:
            if note.use is not None:
                continue
            named_by: dict[str, list[str]] = {}
            for sentence in note.sentences() or [note.text]:
                named = rows_named(sentence, note.marker, self.named)
                # a sub-item named is more precise than its indicator (whose cells hold the sub-item's)
                named = [i for i in named if not any(self.top_of.get(o) == i and o != i for o in named)]
                for ident in named:
                    named_by.setdefault(ident, []).append(sentence)
                words = provisional_words(sentence)
                if words:
                    for ident in named:
                        self._provisional(ident, words, note.label)
            for ident, sentences in named_by.items():
                _add_note(self.by_id[ident], f"{note.label}：{''.join(sentences)}")
                self._say(ident, f"{note.label}关联到本行")
            note.rows = list(named_by)

    def _provisional(self, ident: str, words: str, label: str) -> None:
        data = self.by_id[ident]
        for leaf in data.get("items") or [data]:
            if "provisional" not in leaf:
                leaf["provisional"] = words
                self.counts.provisional_rows.append(str(leaf["id"]))
        self._say(ident, f"{label}说目标以上级最终下达为准：写 provisional")


def _add_note(data: dict[str, Any], text: str) -> None:
    source = data.setdefault("source", {})
    source["note"] = f"{source['note']}；{text}" if source.get("note") else text


def _clean_name(printed: str) -> tuple[str, str | None, list[str], list[str]]:
    """A name as printed → (name, unit from its trailing parentheses, aliases, footnote marks):
    "1．森林增长" → 森林增长; "林地面积总量（万亩）" → 林地面积总量 in 万亩; "森林覆盖率*" → 森林覆盖率, marks [*]."""
    words, marks = take_marks(printed)
    name = _ENUMERATOR.sub("", words).strip()
    unit = None
    match = _TRAILING_PARENS.search(name)
    if match and _UNIT.match(match.group(1).strip()) and not match.group(1).strip().isdigit():
        unit = match.group(1).strip()
        name = name[:match.start()].strip()
    printed = printed.strip()
    aliases = [printed] if printed and printed != name else []
    return name, unit, aliases, marks


def _ids(entries: list[Entry]) -> tuple[list[str], list[str | None]]:
    """Each indicator's id: its 序号; where numbering starts again (参考性指标 1…5 after 1…27) the later run gets
    a prefix (R for 参考性, else B, C, …); where there is none, the indicator's place in the table."""
    ids: list[str] = []
    notes: list[str | None] = []
    seen: set[str] = set()
    prefix = ""
    runs = 0
    for index, entry in enumerate(entries, start=1):
        seq = entry.seq.strip()
        note = None
        if not seq:
            seq = str(index)
            note = f"表中没有序号：按在表中的位置编为 {seq}"
        elif prefix + seq in seen:
            runs += 1
            prefix = "R" if "参考" in (entry.domain or "") else chr(ord("A") + runs)
            note = f"序号 {seq} 重新开始编号：编为 {prefix}{seq}（id 须唯一）"
        ident = base = prefix + seq
        while ident in seen:
            ident = f"{base}-{len(seen)}"
        seen.add(ident)
        ids.append(ident)
        notes.append(note)
    return ids, notes


__all__ = ["DRAFT_DEFAULTS", "Counts", "Imported", "build_pack"]
