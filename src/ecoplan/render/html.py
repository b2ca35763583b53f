"""The HTML report: one self-contained page (no network, no JavaScript) with the attainment table, a summary chart
by 领域, and one chart per indicator (history, targets, the line to the targets, the projection at the current pace).

Charts are hand-written inline SVG: no dependency, nothing to fetch or inline, text in the charts is real text (it
can be searched, copied and translated), and the page prints as sharply as it shows. Every piece of submitted or
pack text goes through `html.escape`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from ecoplan.evaluate.progress import PROGRESS_ARROWS, PROGRESS_LABELS, PROGRESS_ORDER, summarize_progress
from ecoplan.quantity import format_number
from ecoplan.render.text import attribute_text, gap_text, status_text, value_text
from ecoplan.report.assessment import Assessment, Result

FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
STATUS_COLOUR = {"met": "#2e7d32", "not_met": "#c62828", "not_applicable": "#9e9e9e", "missing": "#f9a825",
                 "review": "#7b1fa2"}
STATUS_ORDER = ["met", "not_met", "not_applicable", "missing", "review"]
PROGRESS_COLOUR = {"achieved": "#2e7d32", "on_track": "#43a047", "accelerate": "#ef8f00", "reverse": "#c62828",
                   "insufficient_data": "#9e9e9e"}
# Charts first where action is needed: the order a planner reads them in.
_URGENCY = {"reverse": 0, "accelerate": 1, "on_track": 2, "insufficient_data": 3, "achieved": 4}

Series = Mapping[str, Sequence[tuple[int, float]]]

CSS = """
* { box-sizing: border-box; }
body { font-family: %(font)s; margin: 0; color: #1f2933; background: #f5f7fa; line-height: 1.5; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 2px solid #d9e2ec; }
.sub { color: #52606d; margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 18px; }
.card { background: #fff; border-radius: 8px; padding: 12px 18px; box-shadow: 0 1px 3px rgba(0,0,0,.12);
        min-width: 130px; }
.card .n { font-size: 28px; font-weight: 700; }
.card .l { color: #52606d; font-size: 13px; }
.panel { background: #fff; border-radius: 8px; padding: 16px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
table { border-collapse: collapse; width: 100%%; background: #fff; font-size: 13px; }
th, td { border-bottom: 1px solid #e4e7eb; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; position: sticky; top: 0; }
tr.domain td { background: #f0f4f8; font-weight: 700; color: #243b53; }
tr.sub td.name { padding-left: 26px; }
td.num { text-align: right; white-space: nowrap; }
td.nw, th { white-space: nowrap; }
.chip { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px;
        white-space: nowrap; }
.prog { white-space: nowrap; font-weight: 700; margin-right: 6px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
.chart { background: #fff; border-radius: 8px; padding: 12px 14px; box-shadow: 0 1px 3px rgba(0,0,0,.12);
         break-inside: avoid; }
.chart h3 { font-size: 15px; margin: 0 0 4px; }
.chart p { margin: 2px 0; font-size: 12.5px; color: #3e4c59; }
.legend { font-size: 12px; color: #52606d; margin-top: 6px; }
.legend span { margin-right: 14px; white-space: nowrap; }
.method { font-size: 13px; color: #3e4c59; }
svg text { font-family: %(font)s; }
@media print {
  body { background: #fff; }
  .card, .panel, .chart { box-shadow: none; border: 1px solid #d9e2ec; }
  th { position: static; }
  h2 { break-after: avoid; }
  tr { break-inside: avoid; }
}
""" % {"font": FONT}


def render_html(assessment: Assessment, series: Series | None = None, sources: Sequence[str] = ()) -> str:
    """The whole page. `series`: leaf id → (year, value) numbers on record (the charts' history); `sources`: the
    workbooks the assessment was made from (shown in the header)."""
    series = series or {}
    district = assessment.district
    title = f"{district.get('name') or ''} {assessment.year} 年生态环境指标评估报告"
    pack = assessment.pack.get("title") or assessment.pack.get("id") or ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="sub">指标体系：{escape(pack)}（{escape(str(assessment.pack.get("id") or ""))}）</p>',
    ]
    if sources:
        parts.append(f'<p class="sub">数据：{escape("、".join(sources))}</p>')
    parts.append(_cards(assessment))
    parts.append("<h2>各领域达标情况</h2>")
    parts.append(f'<div class="panel">{domain_chart(assessment)}</div>')
    progress = [e for _, r in assessment.rows() for e in (r.progress or [])]
    if progress:
        parts.append("<h2>规划目标进度</h2>")
        parts.append(f'<div class="panel">{progress_chart(summarize_progress(progress))}</div>')
    parts.append("<h2>指标达标情况</h2>")
    parts.append(_table(assessment))
    charts = _indicator_charts(assessment, series)
    if charts:
        parts.append("<h2>各指标变化与目标（需扭转、需加快的在前）</h2>")
        parts.append(f'<div class="grid">{"".join(charts)}</div>')
    parts.append(_method_note(bool(progress)))
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


# -- header cards ----------------------------------------------------------------------------------------------
def _cards(assessment: Assessment) -> str:
    s = assessment.summary
    cards = [(s.total, "指标总数", "#243b53"), (s.met, "达标" + ("（含不涉及）" if s.not_applicable else ""),
                                              STATUS_COLOUR["met"]),
             (s.not_met, f"未达标（约束性 {s.constraint_not_met}）", STATUS_COLOUR["not_met"])]
    if s.missing:
        cards.append((s.missing, "缺数据", STATUS_COLOUR["missing"]))
    if s.review:
        cards.append((s.review, "待核实", STATUS_COLOUR["review"]))
    counts = summarize_progress(e for _, r in assessment.rows() for e in (r.progress or []))
    for target_year, row in counts.items():
        late = row.get("accelerate", 0) + row.get("reverse", 0)
        cards.append((late, f"{target_year} 年目标需加快或扭转", PROGRESS_COLOUR["reverse" if late else "achieved"]))
    body = "".join(f'<div class="card"><div class="n" style="color:{c}">{n}</div><div class="l">{escape(label)}'
                   "</div></div>" for n, label, c in cards)
    return f'<div class="cards">{body}</div>'


# -- summary charts --------------------------------------------------------------------------------------------
def domain_chart(assessment: Assessment) -> str:
    """Horizontal stacked bars: top-level indicators of each 领域 by status, with the counts written in."""
    domains: dict[str, dict[str, int]] = {}
    for result in assessment.results:
        row = domains.setdefault(result.domain or "（未分领域）", dict.fromkeys(STATUS_ORDER, 0))
        row[result.status] = row.get(result.status, 0) + 1
    labels = {s: status_text(s) for s in STATUS_ORDER}
    return _stacked_bars([(name, row) for name, row in domains.items()], STATUS_ORDER, STATUS_COLOUR, labels)


def progress_chart(counts: Mapping[int, Mapping[str, int]]) -> str:
    """Horizontal stacked bars: the indicators' progress status toward each target year."""
    rows = [(f"{year} 年目标", dict(row)) for year, row in counts.items()]
    labels = {s: f"{PROGRESS_ARROWS[s]} {PROGRESS_LABELS[s]}" for s in PROGRESS_ORDER}
    return _stacked_bars(rows, PROGRESS_ORDER, PROGRESS_COLOUR, labels)


def _stacked_bars(rows: Sequence[tuple[str, Mapping[str, int]]], order: Sequence[str], colours: Mapping[str, str],
                  labels: Mapping[str, str]) -> str:
    label_w, bar_w, row_h, top = 150, 760, 30, 34
    total_max = max((sum(r.values()) for _, r in rows), default=1) or 1
    height = top + row_h * len(rows) + 10
    out = [f'<svg role="img" viewBox="0 0 {label_w + bar_w + 60} {height}" width="100%" '
           f'style="max-width:{label_w + bar_w + 60}px">']
    # legend on top
    x = label_w
    for status in order:
        if not any(r.get(status) for _, r in rows):
            continue
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colours[status]}" rx="2"/>'
                   f'<text x="{x + 16}" y="16" font-size="12" fill="#3e4c59">{escape(labels[status])}</text>')
        x += 24 + 13 * len(labels[status])
    for i, (name, row) in enumerate(rows):
        y = top + i * row_h
        out.append(f'<text x="{label_w - 8}" y="{y + 17}" font-size="13" text-anchor="end" fill="#243b53">'
                   f"{escape(name)}</text>")
        x = float(label_w)
        for status in order:
            count = row.get(status, 0)
            if not count:
                continue
            w = bar_w * count / total_max
            out.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{colours[status]}">'
                       f"<title>{escape(name)} {escape(labels[status])}：{count}</title></rect>")
            if w >= 16:
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + 18}" font-size="12" fill="#fff" '
                           f'text-anchor="middle" font-weight="700">{count}</text>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + 18}" font-size="12" fill="#52606d">共 {sum(row.values())}</text>')
    out.append("</svg>")
    return "".join(out)


# -- the table -------------------------------------------------------------------------------------------------
def _chip(status: str) -> str:
    return f'<span class="chip" style="background:{STATUS_COLOUR.get(status, "#616e7c")}">' \
           f"{escape(status_text(status))}</span>"


def progress_cells(entries: Iterable[Mapping[str, Any]] | None) -> str:
    """Arrows per target year, coloured, with the reason as a tooltip."""
    return "".join(f'<span class="prog" style="color:{PROGRESS_COLOUR.get(e["status"], "#616e7c")}" '
                   f'title="{escape(str(e.get("reason") or ""))}">{PROGRESS_ARROWS.get(e["status"], "?")}'
                   f'{e["target_year"]} {escape(PROGRESS_LABELS.get(e["status"], e["status"]))}</span>'
                   for e in entries or [])


def _table(assessment: Assessment) -> str:
    with_progress = any(r.progress for _, r in assessment.rows())
    heads = ["序号", "指标", "属性", "状态", "指标值", "目标", "差距", "说明"] + (["目标进度"] if with_progress else [])
    out = ['<div class="panel" style="padding:0;overflow-x:auto"><table><thead><tr>',
           "".join(f"<th>{h}</th>" for h in heads), "</tr></thead><tbody>"]
    domain = None
    for depth, result in assessment.rows():
        if depth == 0 and result.domain and result.domain != domain:
            domain = result.domain
            out.append(f'<tr class="domain"><td colspan="{len(heads)}">{escape(domain)}</td></tr>')
        cells = [escape(result.seq or result.id) if depth == 0 else "",
                 escape(result.name), escape(attribute_text(result.attribute)) if depth == 0 else "",
                 _chip(result.status), escape(value_text(result)), escape(result.target),
                 escape(gap_text(result)), escape(result.reason)]
        if with_progress:
            cells.append(progress_cells(result.progress))
        classes = ["nw", "name", "nw", "", "", "", "num", "", ""]
        out.append(f'<tr class="{"sub" if depth else "top"}">' + "".join(
            f'<td class="{classes[i]}">{c}</td>' if classes[i] else f"<td>{c}</td>" for i, c in enumerate(cells))
            + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


# -- one chart per indicator -----------------------------------------------------------------------------------
def _indicator_charts(assessment: Assessment, series: Series) -> list[str]:
    """A chart for every leaf with a numeric target (history, targets, projection), or with two or more years
    of numbers (history only)."""
    found: list[tuple[int, int, str]] = []
    for index, (_, result) in enumerate(assessment.rows()):
        if result.items:
            continue
        points = list(series.get(result.id, ()))
        numeric = [e for e in (result.progress or []) if e.get("target_value") is not None]
        if not numeric and len(points) < 2:
            continue
        if not points and not numeric:
            continue
        urgency = min((_URGENCY.get(e["status"], 5) for e in numeric), default=5)
        found.append((urgency, index, indicator_chart(result, points, numeric)))
    return [chart for _, _, chart in sorted(found)]


def indicator_chart(result: Result, points: Sequence[tuple[int, float]],
                    targets: Sequence[Mapping[str, Any]]) -> str:
    """One card: the indicator's history (solid, with values), each numeric target (◆), the line from the
    baseline to the last target (dashed grey: where the plan expects the value), and the projection at the
    observed pace to the last target year (dotted, coloured by status)."""
    unit = result.unit if result.unit and result.unit not in ("-", "—") else ""
    title = f"{result.seq or result.id} {result.name}" + (f"（{unit}）" if unit else "")
    if not points and targets:
        points = [(int(e["latest_year"]), float(e["latest"])) for e in targets[:1] if e.get("latest") is not None]
    width, height = 560, 250
    left, right, top, bottom = 54, 86, 18, 34
    years = [y for y, _ in points] + [int(e["target_year"]) for e in targets]
    values = [v for _, v in points]
    for e in targets:
        values += [float(v) for v in (e.get("target_value"), e.get("projected"), e.get("baseline")) if v is not None]
    if not years or not values:
        return ""
    x0, x1 = min(years), max(years)
    if x1 == x0:
        x1 = x0 + 1
    lo, hi, ticks = nice_scale(min(values), max(values))
    if unit == "%" and hi > 100 and max(values) <= 100:
        hi = 100.0
        ticks = [t for t in ticks if t <= 100]

    def sx(year: float) -> float:
        return left + (year - x0) / (x1 - x0) * (width - left - right)

    def sy(value: float) -> float:
        return top + (hi - value) / (hi - lo) * (height - top - bottom) if hi > lo else (height - bottom + top) / 2

    svg = [f'<svg role="img" viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">']
    for t in ticks:  # grid and y labels
        svg.append(f'<line x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#e4e7eb"/>'
                   f'<text x="{left - 6}" y="{sy(t) + 4:.1f}" font-size="11" text-anchor="end" fill="#7b8794">'
                   f"{_num(t)}</text>")
    step = max(1, math.ceil((x1 - x0) / 8))
    for year in range(x0, x1 + 1, step):
        svg.append(f'<text x="{sx(year):.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle" '
                   f'fill="#7b8794">{year}</text>')
    svg.append(f'<line x1="{left}" x2="{width - right}" y1="{height - bottom}" y2="{height - bottom}" '
               'stroke="#9aa5b1"/>')
    notes: list[str] = []
    last_target = max(targets, key=lambda e: e["target_year"]) if targets else None
    for e in targets:
        colour = PROGRESS_COLOUR.get(e["status"], "#616e7c")
        ty, tv = int(e["target_year"]), float(e["target_value"])
        if e.get("baseline") is not None and e is last_target:
            svg.append(f'<line x1="{sx(e["baseline_year"]):.1f}" y1="{sy(e["baseline"]):.1f}" x2="{sx(ty):.1f}" '
                       f'y2="{sy(tv):.1f}" stroke="#9aa5b1" stroke-width="1.5" stroke-dasharray="6 4"/>')
        if e.get("projected") is not None and e.get("latest_year") is not None and e.get("current_rate") is not None:
            svg.append(f'<line x1="{sx(e["latest_year"]):.1f}" y1="{sy(e["latest"]):.1f}" x2="{sx(ty):.1f}" '
                       f'y2="{sy(e["projected"]):.1f}" stroke="{colour}" stroke-width="2" stroke-dasharray="2 4"/>'
                       f'<circle cx="{sx(ty):.1f}" cy="{sy(e["projected"]):.1f}" r="3.5" fill="#fff" '
                       f'stroke="{colour}" stroke-width="2"/>')
            svg.append(_label(sx(ty) + 7, sy(e["projected"]) + 14, f"按现速 {_num(e['projected'])}", colour, "start"))
        x, y = sx(ty), sy(tv)
        svg.append(f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y:.1f} L{x:.1f} {y + 7:.1f} L{x - 7:.1f} {y:.1f} Z" '
                   f'fill="{colour}"><title>{ty} 年目标 {escape(str(e["target"]))}</title></path>')
        svg.append(_label(x + 10, y - 4, f"{ty}目标 {_num(tv)}", "#243b53", "start"))
        notes.append(_target_note(e, unit))
    if points:
        path = " ".join(f"{'M' if i == 0 else 'L'}{sx(y):.1f} {sy(v):.1f}" for i, (y, v) in enumerate(points))
        svg.append(f'<path d="{path}" fill="none" stroke="#1f4e79" stroke-width="2.5"/>')
        for y, v in points:
            svg.append(f'<circle cx="{sx(y):.1f}" cy="{sy(v):.1f}" r="4" fill="#1f4e79"><title>{y} 年 {_num(v)}'
                       f"{escape(unit)}</title></circle>")
            svg.append(_label(sx(y), sy(v) - 9, _num(v), "#1f4e79", "middle"))
    svg.append("</svg>")
    chips = progress_cells(targets)
    legend = ('<div class="legend"><span style="color:#1f4e79">● 实际值</span><span>◆ 目标</span>'
              + ('<span style="color:#7b8794">- - 基期至目标的直线</span><span>··· 按当前年均变化推算</span>'
                 if targets else "") + "</div>")
    return (f'<div class="chart"><h3>{escape(title)}</h3><div>{chips}</div>{"".join(svg)}{legend}'
            + "".join(f"<p>{n}</p>" for n in notes) + "</div>")


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


def _label(x: float, y: float, text: str, colour: str, anchor: str) -> str:
    # A white halo keeps numbers legible where they cross a line.
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="11.5" text-anchor="{anchor}" fill="{colour}" '
            f'stroke="#fff" stroke-width="3" paint-order="stroke">{escape(text)}</text>')


def nice_scale(lo: float, hi: float, count: int = 5) -> tuple[float, float, list[float]]:
    """An axis from below `lo` to above `hi` with round ticks (1, 2, 2.5, 5 × 10ⁿ)."""
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(lo / step) * step
    end = math.ceil(hi / step) * step
    if end - hi < step * 0.15:  # room for the labels above the highest point
        end += step
    if lo - start < step * 0.15 and (lo < 0 or start - step >= 0):  # and below the lowest (not past 0)
        start -= step
    ticks = [round(start + i * step, 10) for i in range(int(round((end - start) / step)) + 1)]
    return start, end, ticks


def _num(value: float) -> str:
    return format_number(round(float(value), 2))


def _signed(value: float) -> str:
    text = format_number(round(float(value), 3))
    return text if text.startswith("-") or text == "0" else "+" + text


def _method_note(with_progress: bool) -> str:
    if not with_progress:
        return ""
    return ('<h2>方法说明</h2><div class="method panel">'
            "<p>进度按直线计算（指标自身单位，每年变化量）：基期取指标体系的基准年（无该年数据时取最早年份）；"
            "年均变化 =（最新值 − 基期值）÷ 年数；所需速度 =（目标值 − 基期值）÷（目标年 − 基期年）；"
            "今后所需速度 =（目标值 − 最新值）÷ 剩余年数；今年应达值为基期至目标直线上的当年值。</p>"
            "<p>✓ 已达成：按目标本身的判定条件当前已满足；↑ 按进度：年均变化不低于所需速度的 95%；"
            "↗ 需加快：朝目标方向变化但不足 95%（含停滞）；↓ 需扭转：背离目标；· 数据不足：不足两年数值，"
            "或目标不是单一数值（状态、水质类别、趋势词）且当前未满足。</p></div>")


__all__ = ["domain_chart", "indicator_chart", "nice_scale", "progress_cells", "progress_chart", "render_html"]
