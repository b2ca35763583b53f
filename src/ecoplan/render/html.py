"""The HTML report: one self-contained page (no network, no JavaScript) that tells one story — the verdict against
the standard, and apart from it the progress toward the district's own 2025/2030 targets, each said in words.

Sections: the verdict in a sentence and in counts; counts by 领域; progress counts; the table (a row per indicator
and sub-item; on a phone each row becomes a card); one chart per indicator with a numeric target or a history,
worst progress first. A verdict is never shown as a bare glyph: "标准要求：未达标" and "2025 规划目标 37.69：已达成，
按现趋势 2025 年约 35.88" stand side by side, each with its words. Charts: render/html_charts.py. Every piece of
submitted or pack text goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from ecoplan.evaluate.progress import summarize_progress
from ecoplan.quantity import format_number
from ecoplan.render.html_charts import TaskMark, count_bars, indicator_svg
from ecoplan.render.labels import (
    PROGRESS_ARROWS,
    PROGRESS_COLOUR,
    PROGRESS_LABELS,
    PROGRESS_ORDER,
    STATUS_COLOUR,
    STATUS_ORDER,
    attribute_text,
    status_text,
)
from ecoplan.render.text import counts_sentence, gap_text, shown_value
from ecoplan.report.assessment import Assessment, Result

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
# Charts first where action is needed: the order a planner reads them in.
_URGENCY = {"reverse": 0, "accelerate": 1, "on_track": 2, "insufficient_data": 3, "achieved": 4}
SHORT_TARGET = 12
"""A plan target longer than this many characters is left out of the table's progress cell (the chart says it)."""

Series = Mapping[str, Sequence[tuple[int, float]]]
Tasks = Mapping[str, Sequence[TaskMark]]

PAGE_CSS = """
* { box-sizing: border-box; }
body { font-family: FONT; margin: 0; color: #1f2933; background: #f5f7fa; line-height: 1.5; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
.card { background: #fff; border-radius: 8px; padding: 12px 18px; box-shadow: 0 1px 3px rgba(0,0,0,.12);
        min-width: 130px; flex: 1 1 130px; }
.card .n { font-size: 28px; font-weight: 700; }
.card .l { color: #52606d; font-size: 13px; }
@media (max-width: 700px) { main { padding: 16px 12px 32px; } h1 { font-size: 21px; } }
@media print { body { background: #fff; } .card { box-shadow: none; border: 1px solid #d9e2ec; } }
""".replace("FONT", FONT)
"""What every ecoplan page starts with (the assessment report and the batch overview): font, page width, title,
count cards, phone and print basics."""
PAGE_END = "</main></body></html>"

CSS = """
h2 { font-size: 19px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 2px solid #d9e2ec; }
.sub { color: #52606d; margin: 0; overflow-wrap: anywhere; }
.story { font-size: 15px; margin: 16px 0 0; }
.panel { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
.bar-legend { font-size: 13px; color: #3e4c59; margin-bottom: 8px; }
.bar-legend span { margin-right: 14px; white-space: nowrap; display: inline-block; }
.bar-legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px;
                vertical-align: -1px; }
.bar-row { display: grid; grid-template-columns: 8em 1fr; gap: 8px; align-items: center; margin: 6px 0; }
.bar-label { text-align: right; font-size: 14px; color: #243b53; }
.bar-track { display: flex; align-items: center; gap: 6px; }
.bar { display: flex; height: 24px; border-radius: 3px; overflow: hidden; }
.bar span { color: #fff; font-size: 13px; font-weight: 700; text-align: center; line-height: 24px;
            min-width: 1.6em; }
.bar-total { font-size: 13px; color: #52606d; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; position: sticky; top: 0; white-space: nowrap; }
tr.domain td { background: #f0f4f8; font-weight: 700; color: #243b53; }
tr.sub td.name { padding-left: 26px; }
td.num, td.nw { white-space: nowrap; }
td.progress { min-width: 15em; }
td.num { text-align: right; }
.chip { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px;
        white-space: nowrap; }
.prog { display: block; font-weight: 700; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 360px), 1fr)); gap: 16px; }
.chart { background: #fff; border-radius: 8px; padding: 12px 14px; box-shadow: 0 1px 3px rgba(0,0,0,.12);
         break-inside: avoid; min-width: 0; }
.chart h3 { font-size: 15px; margin: 0 0 4px; }
.chart p { margin: 2px 0; font-size: 13px; color: #3e4c59; }
.chart p.verdict, .chart p.plan { font-weight: 700; }
.legend { font-size: 12px; color: #52606d; margin-top: 6px; }
.legend span { margin-right: 14px; white-space: nowrap; display: inline-block; }
.method { font-size: 13px; color: #3e4c59; }
svg text { font-family: FONT; }
@media (max-width: 700px) {
  .bar-row { grid-template-columns: 1fr; gap: 2px; }
  .bar-label { text-align: left; }
  .table-wrap { background: transparent !important; box-shadow: none !important; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { background: #fff; border-radius: 8px; margin-bottom: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12);
       padding: 6px 0; }
  tr.domain { background: transparent; box-shadow: none; padding: 0; margin: 16px 0 6px; }
  tr.domain td { background: transparent; font-size: 16px; }
  td { border: 0; padding: 2px 12px; white-space: normal !important; text-align: left !important; }
  td:empty { display: none; }
  td[data-label]::before { content: attr(data-label) "："; color: #7b8794; font-weight: 400; }
  tr.sub td.name { padding-left: 12px; }
  tr td:nth-child(1), tr td:nth-child(2) { display: inline-block; width: auto; font-weight: 700; font-size: 15px;
                                           padding-right: 0; }
  tr.domain td:nth-child(1) { display: block; }
}
@media print {
  .panel, .chart { box-shadow: none; border: 1px solid #d9e2ec; }
  th { position: static; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
""".replace("FONT", FONT)


def render_html(assessment: Assessment, series: Series | None = None, sources: Sequence[str] = (),
                tasks: Tasks | None = None) -> str:
    """The whole page. `series`: leaf id → (year, value) numbers on record (the charts' history); `tasks`: leaf id →
    the superior's tasks on record (drawn beside the values); `sources`: the workbooks it was made from."""
    series, tasks = series or {}, tasks or {}
    district = assessment.district
    title = f"{district.get('name') or ''} {assessment.year} 年生态环境指标评估报告"
    pack = assessment.pack.get("title") or assessment.pack.get("id") or ""
    parts = [
        page_head(title, CSS),
        f'<p class="sub">指标体系：{escape(pack)}（{escape(str(assessment.pack.get("id") or ""))}）</p>',
    ]
    if sources:
        parts.append(f'<p class="sub">数据：{escape("、".join(sources))}</p>')
    progress = [e for _, r in assessment.rows() for e in (r.progress or [])]
    parts.append(f'<p class="story">{story(assessment)}</p>')
    parts.append(_cards(assessment))
    parts.append("<h2>各领域达标情况（对照标准）</h2>")
    parts.append(f'<div class="panel">{domain_chart(assessment)}</div>')
    if progress:
        parts.append("<h2>规划目标进度（对照本区 2025、2030 年目标）</h2>")
        parts.append(f'<div class="panel">{progress_chart(summarize_progress(progress))}</div>')
    for part in assessment.parts:  # the table first, as the document counts it; then each other part apart
        parts.append(f"<h2>{escape(part.heading)}</h2>")
        if not part.headline:
            parts.append(f'<p class="sub">{escape(part.summary.line())}</p>')
        parts.append(_table(assessment, part.rows()))
    charts = _indicator_charts(assessment, series, tasks)
    if charts:
        parts.append("<h2>各指标变化与目标（未达标、需扭转、需加快的在前）</h2>")
        parts.append(f'<div class="grid">{"".join(charts)}</div>')
    parts.append(_method_note(bool(progress)))
    parts.append(PAGE_END)
    return "\n".join(parts) + "\n"


def page_head(title: str, css: str) -> str:
    """A page up to its <h1>: the document head (UTF-8, phone viewport, `title`, PAGE_CSS then `css`), <main> open
    and the title as its heading. Close it with PAGE_END."""
    return "\n".join(["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{escape(title)}</title><style>{PAGE_CSS}{css}</style></head><body><main>",
                      f"<h1>{escape(title)}</h1>"])


def count_cards(cards: Iterable[tuple[object, str, str | None]]) -> str:
    """Count cards: (number, label, colour of the number or None)."""
    body = "".join('<div class="card"><div class="n"' + (f' style="color:{c}"' if c else "")
                   + f'>{n}</div><div class="l">{escape(label)}</div></div>' for n, label, c in cards)
    return f'<div class="cards">{body}</div>'


# -- words -----------------------------------------------------------------------------------------------------
def story(assessment: Assessment) -> str:
    """The page's first sentence: the verdict against the standard, then the progress toward the plan's targets,
    each count saying what it counts (indicators, or the sub-items that carry targets)."""
    text = f"对照标准，{counts_sentence(assessment.summary)}。"
    counts = summarize_progress(e for _, r in assessment.rows() for e in (r.progress or []))
    for year, row in counts.items():
        done = "、".join(f"{PROGRESS_LABELS[k]} {n}" for k, n in row.items() if n)
        text += f"对照 {year} 年规划目标，{sum(row.values())} 个分项中{done}。"
    return escape(text)


def verdict_words(result: Result) -> str:
    """"标准要求：未达标" — the verdict against the pack's standard, in words."""
    return f"标准要求：{status_text(result.status)}"


def progress_words(entry: Mapping[str, Any], unit: str = "", *, short: bool = False) -> str:
    """"2025 规划目标 37.69：已达成，按现趋势 2025 年约 35.88" — one plan target in words. `short` leaves out a long
    target text (the table); the projection is said whenever there is one, since "已达成" alone can hide a fall."""
    year, target = entry["target_year"], str(entry.get("target") or "")
    label = PROGRESS_LABELS.get(entry["status"], entry["status"])
    head = f"{year} 规划目标" + (f" {target}" if target and not (short and len(target) > SHORT_TARGET) else "")
    text = f"{head}：{label}"
    if entry.get("projected") is not None and entry.get("current_rate") is not None:
        text += f"，按现趋势 {year} 年约 {_num(entry['projected'])}{unit}"
    return text


def _unit(result: Result) -> str:
    return result.unit if result.unit and result.unit not in ("-", "—") else ""


# -- header: the story in counts -------------------------------------------------------------------------------
def _cards(assessment: Assessment) -> str:
    s = assessment.summary
    cards = [(s.total, "项指标（对照标准）", "#243b53"),
             (s.met, "项达标" + ("（含不涉及）" if s.not_applicable else ""), STATUS_COLOUR["met"]),
             (s.not_met, f"项未达标（约束性 {s.constraint_not_met}）", STATUS_COLOUR["not_met"])]
    if s.missing:
        cards.append((s.missing, "项缺数据", STATUS_COLOUR["missing"]))
    if s.review:
        cards.append((s.review, "项待核实", STATUS_COLOUR["review"]))
    counts = summarize_progress(e for _, r in assessment.rows() for e in (r.progress or []))
    for target_year, row in counts.items():
        late = row.get("accelerate", 0) + row.get("reverse", 0)
        cards.append((late, f"个分项 {target_year} 年规划目标需加快或扭转（共 {sum(row.values())} 个分项）",
                      PROGRESS_COLOUR["reverse" if late else "achieved"]))
    return count_cards(cards)


def domain_chart(assessment: Assessment) -> str:
    """Top-level indicators of each 领域 by status, the counts written in."""
    domains: dict[str, dict[str, int]] = {}
    for result in assessment.selected("table"):  # the headline's indicators, as the counts above them
        row = domains.setdefault(result.domain or "（未分领域）", dict.fromkeys(STATUS_ORDER, 0))
        row[result.status] = row.get(result.status, 0) + 1
    labels: dict[str, str] = {s: status_text(s) for s in STATUS_ORDER}
    return count_bars(list(domains.items()), STATUS_ORDER, STATUS_COLOUR, labels, "项指标")


def progress_chart(counts: Mapping[int, Mapping[str, int]]) -> str:
    """The sub-items' progress toward each target year, the counts written in."""
    rows = [(f"{year} 年规划目标", dict(row)) for year, row in counts.items()]
    labels = {s: f"{PROGRESS_ARROWS[s]} {PROGRESS_LABELS[s]}" for s in PROGRESS_ORDER}
    return count_bars(rows, PROGRESS_ORDER, PROGRESS_COLOUR, labels, "个分项")


# -- the table -------------------------------------------------------------------------------------------------
def _chip(status: str) -> str:
    return f'<span class="chip" style="background:{STATUS_COLOUR.get(status, "#616e7c")}">' \
           f"{escape(status_text(status))}</span>"


def progress_cells(entries: Iterable[Mapping[str, Any]] | None, unit: str = "") -> str:
    """Each target year in words, coloured by its state, the reason as a tooltip."""
    return "".join(f'<span class="prog" style="color:{PROGRESS_COLOUR.get(e["status"], "#616e7c")}" '
                   f'title="{escape(str(e.get("reason") or ""))}">{PROGRESS_ARROWS.get(e["status"], "?")} '
                   f"{escape(progress_words(e, unit, short=True))}</span>"
                   for e in entries or [])


def _table(assessment: Assessment, rows: Sequence[tuple[int, Result]]) -> str:
    with_progress = any(r.progress for _, r in assessment.rows())
    heads = ["序号", "指标", "属性", "标准要求", "指标值", "目标", "差距", "说明"]
    heads += ["规划目标进度"] if with_progress else []
    classes = ["nw", "name", "nw", "nw", "", "", "num", "", "progress"]
    out = ['<div class="panel table-wrap" style="padding:0;overflow-x:auto"><table><thead><tr>',
           "".join(f"<th>{h}</th>" for h in heads), "</tr></thead><tbody>"]
    domain = None
    for depth, result in rows:
        if depth == 0 and result.domain and result.domain != domain:
            domain = result.domain
            out.append(f'<tr class="domain"><td colspan="{len(heads)}">{escape(domain)}</td></tr>')
        cells = [escape(result.seq or result.id) if depth == 0 else "", escape(result.name),
                 escape(attribute_text(result.attribute)) if depth == 0 else "", _chip(result.status),
                 escape(shown_value(result)), escape(result.target), escape(gap_text(result)), escape(result.reason)]
        if with_progress:
            cells.append(progress_cells(result.progress, _unit(result)))
        row = []
        for i, cell in enumerate(cells):
            label = f' data-label="{heads[i]}"' if i not in (0, 1) else ""
            row.append(f'<td class="{classes[i]}"{label}>{cell}</td>' if classes[i] else f"<td{label}>{cell}</td>")
        out.append(f'<tr class="{"sub" if depth else "top"}">{"".join(row)}</tr>')
    out.append("</tbody></table></div>")
    return "".join(out)


# -- one chart per indicator -----------------------------------------------------------------------------------
def _indicator_charts(assessment: Assessment, series: Series, tasks: Tasks) -> list[str]:
    """A chart for every leaf with a numeric plan target, with tasks on record, or with two or more years of
    numbers; the ones to act on first."""
    found: list[tuple[int, int, str]] = []
    for index, (_, result) in enumerate(assessment.rows()):
        if result.items:
            continue
        points = list(series.get(result.id, ()))
        marks = list(tasks.get(result.id, ()))
        numeric = [e for e in (result.progress or []) if e.get("target_value") is not None]
        if not numeric and not marks and len(points) < 2:
            continue
        urgency = min((_URGENCY.get(e["status"], 5) for e in numeric), default=5)
        if result.status == "not_met":  # unmet against the standard: among the first, whatever its plan progress
            urgency = min(urgency, 1)
        card = indicator_chart(result, points, numeric, marks)
        if card:
            found.append((urgency, index, card))
    return [chart for _, _, chart in sorted(found)]


def indicator_chart(result: Result, points: Sequence[tuple[int, float]], targets: Sequence[Mapping[str, Any]],
                    tasks: Sequence[TaskMark] = ()) -> str:
    """One card: the verdict and each plan target in words, then the chart, its legend and the numbers."""
    unit = _unit(result)
    title = f"{result.seq or result.id} {result.name}" + (f"（{unit}）" if unit else "")
    if not points and targets:
        points = [(int(e["latest_year"]), float(e["latest"])) for e in targets[:1] if e.get("latest") is not None]
    svg = indicator_svg(title, unit, points, targets, tasks)
    if not svg:
        return ""
    colour = STATUS_COLOUR.get(result.status, "#616e7c")
    words = [f'<p class="verdict" style="color:{colour}">{escape(verdict_words(result))}'
             f'<span style="color:#3e4c59;font-weight:400">（{escape(result.target)}）</span></p>']
    words += [f'<p class="plan" style="color:{PROGRESS_COLOUR.get(e["status"], "#616e7c")}">'
              f'{PROGRESS_ARROWS.get(e["status"], "?")} {escape(progress_words(e, unit))}</p>'
              for e in (result.progress or [])]
    legend = ['<span style="color:#1f4e79">● 实际值</span>']
    if tasks:
        legend.append('<span style="color:#6b4f9e">◻ 上级任务（- - 整个规划期）</span>')
    if targets:
        legend += ["<span>◆ 规划目标</span>", '<span style="color:#7b8794">- - 基期至目标的直线</span>',
                   "<span>··· 按当前年均变化推算</span>"]
    notes = [_target_note(e, unit) for e in targets]
    return (f'<div class="chart"><h3>{escape(title)}</h3>{"".join(words)}{svg}'
            f'<div class="legend">{"".join(legend)}</div>' + "".join(f"<p>{n}</p>" for n in notes) + "</div>")


def _target_note(entry: Mapping[str, Any], unit: str) -> str:
    """The numbers behind a chart, in one line: rates, expected value now, what is still needed."""
    bits = [f"<b>{entry['target_year']} 年目标 {escape(str(entry['target']))}</b>"]
    if entry.get("current_rate") is not None:
        bits.append(f"年均变化 {_signed(entry['current_rate'])}")
    if entry.get("required_rate_from_base") is not None and entry.get("baseline_year") is not None:
        bits.append(f"自{entry['baseline_year']}年需 {_signed(entry['required_rate_from_base'])}/年")
    if entry.get("required_rate_from_now") is not None and entry["status"] != "achieved":
        bits.append(f"今后需 {_signed(entry['required_rate_from_now'])}/年")
    if entry.get("expected_now") is not None and entry["status"] != "achieved":
        bits.append(f"按计划今年应为 {_num(entry['expected_now'])}{escape(unit)}")
    if entry.get("ratio") is not None and entry["status"] in ("on_track", "accelerate"):
        bits.append(f"速度比 {entry['ratio']:.0%}")
    return "；".join(bits)


def _num(value: float) -> str:
    return format_number(round(float(value), 2))


def _signed(value: float) -> str:
    text = format_number(round(float(value), 3))
    return text if text.startswith("-") or text == "0" else "+" + text


def _method_note(with_progress: bool) -> str:
    if not with_progress:
        return ""
    return ('<h2>方法说明</h2><div class="method panel">'
            "<p>“标准要求”是对照指标体系的达标判定；“规划目标”是本区规划的 2025、2030 年目标，两者分开判断、分开显示。"
            "目标进度按分项计（有子项的指标按其子项），故分项数多于指标数。</p>"
            "<p>进度按直线计算（指标自身单位，每年变化量）：基期取指标体系的基准年（无该年数据时取最早年份）；"
            "年均变化 =（最新值 − 基期值）÷ 年数；所需速度 =（目标值 − 基期值）÷（目标年 − 基期年）；"
            "今后所需速度 =（目标值 − 最新值）÷ 剩余年数；今年应达值为基期至目标直线上的当年值；"
            "按现趋势 = 最新值按年均变化延至目标年。</p>"
            "<p>✓ 已达成：按目标本身的判定条件当前已满足（按现趋势的推算值另行给出）；"
            "↑ 按进度：年均变化不低于所需速度的 95%；↗ 需加快：朝目标方向变化但不足 95%（含停滞）；"
            "↓ 需扭转：背离目标；· 数据不足：不足两年数值，"
            "或目标不是单一数值（状态、水质类别、趋势词）且当前未满足。</p></div>")


__all__ = ["PAGE_CSS", "PAGE_END", "count_cards", "domain_chart", "indicator_chart", "page_head", "progress_cells",
           "progress_chart", "progress_words", "render_html", "story", "verdict_words"]
