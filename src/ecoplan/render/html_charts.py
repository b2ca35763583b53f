"""The HTML report's charts: count bars (HTML and CSS, so their text keeps its size on a phone) and one inline SVG
per indicator (history, the superior's tasks, the plan's targets, the line to them, the projection at the pace).

No chart text is ever cut off: every label is placed inside the drawing by `fit_label`, whatever its length and
wherever its point lies (a "2030" at the right edge was clipped to "203"). No two labels overlap: `Labels` places
them in order of importance — the years under the axis, the plan's targets, the superior's tasks, the reported
values, the projection, the value axis — each at its own spot or, if that is taken, at the nearest free one
above or below it; a label with no free spot is left out (its mark still names it when pointed at, in its
<title>). Every piece of submitted or pack text goes through `html.escape`.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from ecoplan.quantity import format_number
from ecoplan.render.labels import PROGRESS_COLOUR

CHART_WIDTH, CHART_HEIGHT = 440, 250
FONT_SIZE = 14.0
HISTORY_COLOUR = "#1f4e79"
TASK_COLOUR = "#6b4f9e"
AXIS_COLOUR = "#7b8794"


@dataclass(frozen=True)
class TaskMark:
    """A task the superior set (上级任务) for one year, or for a whole plan period (“十四五” 2021–2025)."""

    year: int
    number: float
    text: str
    period: tuple[int, int] | None = None


# -- count bars ------------------------------------------------------------------------------------------------
def count_bars(rows: Sequence[tuple[str, Mapping[str, int]]], order: Sequence[str], colours: Mapping[str, str],
               labels: Mapping[str, str], noun: str) -> str:
    """Horizontal stacked bars drawn with HTML: one row per label, one segment per status with its count written
    in, "共 n {noun}" after; the longest row spans the width. A legend names the statuses shown."""
    longest = max((sum(r.values()) for _, r in rows), default=1) or 1
    shown = [s for s in order if any(r.get(s) for _, r in rows)]
    legend = "".join(f'<span><i style="background:{colours[s]}"></i>{escape(labels[s])}</span>' for s in shown)
    out = [f'<div class="bars"><div class="bar-legend">{legend}</div>']
    for name, row in rows:
        total = sum(row.values())
        segments = "".join(
            f'<span style="flex-grow:{row[s]};background:{colours[s]}" title="{escape(name)} '
            f'{escape(labels[s])}：{row[s]}">{row[s]}</span>' for s in order if row.get(s))
        out.append(f'<div class="bar-row"><div class="bar-label">{escape(name)}</div><div class="bar-track">'
                   f'<div class="bar" style="width:{100 * total / longest:.1f}%">{segments}</div>'
                   f'<div class="bar-total">共 {total} {escape(noun)}</div></div></div>')
    out.append("</div>")
    return "".join(out)


# -- one indicator ---------------------------------------------------------------------------------------------
def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The drawn width of a text: a Chinese character about one em, other characters about 0.58 em."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else 0.58 * size for ch in text)


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _fitted(x: float, y: float, text: str, anchor: str, size: float) -> tuple[float, float, Box]:
    """Where a text goes so that its whole extent lies inside the chart (x and the baseline y moved in as far as it
    needs), and the box it then covers."""
    width, pad = text_width(text, size), 2.0
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    left = min(max(left, pad), CHART_WIDTH - pad - width)
    x = {"start": left, "middle": left + width / 2, "end": left + width}[anchor]
    y = min(max(y, 1.2 * size), CHART_HEIGHT - 0.35 * size)  # baseline: room for the ascent and descent
    return x, y, (left - 1, y - 1.16 * size, left + width + 1, y + 0.3 * size)  # as a browser boxes a CJK font


def _text(x: float, y: float, text: str, colour: str, anchor: str, size: float, halo: bool) -> str:
    # A white halo keeps numbers legible where they cross a line.
    extra = ' stroke="#fff" stroke-width="3" paint-order="stroke"' if halo else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}"{extra}>'
            f"{escape(text)}</text>")


def fit_label(x: float, y: float, text: str, colour: str, anchor: str = "middle", size: float = FONT_SIZE,
              *, halo: bool = True) -> str:
    """An SVG text whose whole extent lies inside the chart: x is moved in as far as the text needs."""
    x, y, _ = _fitted(x, y, text, anchor, size)
    return _text(x, y, text, colour, anchor, size, halo)


class Labels:
    """The labels of one chart, none overlapping another (see the module docstring): `place` them in order of
    importance; `texts` are drawn last, above the lines and marks."""

    def __init__(self) -> None:
        self.boxes: list[Box] = []
        self.texts: list[str] = []

    def place(self, x: float, y: float, text: str, colour: str, anchor: str = "middle", size: float = FONT_SIZE,
              *, halo: bool = True, moves: Sequence[float] = (0.0,)) -> bool:
        """Put the label at the first of its baselines `y + move` where it overlaps no label placed before;
        False (and nothing drawn) when every one is taken."""
        for move in moves:
            fx, fy, box = _fitted(x, y + move, text, anchor, size)
            if not any(_overlap(box, other) for other in self.boxes):
                self.boxes.append(box)
                self.texts.append(_text(fx, fy, text, colour, anchor, size, halo))
                return True
        return False


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _around(first: float, step: float, other: float) -> tuple[float, ...]:
    """Baseline moves for a label beside a mark: its own spot (`first`), the other side of the mark (`other`),
    then further out on each side by `step`."""
    return (first, other, first - step if first < other else first + step,
            other + step if first < other else other - step)


def indicator_svg(title: str, unit: str, points: Sequence[tuple[int, float]], targets: Sequence[Mapping[str, Any]],
                  tasks: Sequence[TaskMark] = ()) -> str:
    """The chart: history (solid, with values), the superior's tasks (◻ per year, or a dashed level over a plan
    period), each numeric plan target (◆), the line from the baseline to the last target (dashed grey), and the
    projection at the observed pace (dotted, coloured by progress status)."""
    width, height = CHART_WIDTH, CHART_HEIGHT
    left, right, top, bottom = 48, 18, 22, 32
    years = [y for y, _ in points] + [int(e["target_year"]) for e in targets] + [t.year for t in tasks]
    years += [y for t in tasks if t.period for y in t.period]
    values = [v for _, v in points] + [t.number for t in tasks]
    for e in targets:
        values += [float(v) for v in (e.get("target_value"), e.get("projected"), e.get("baseline")) if v is not None]
    if not years or not values:
        return ""
    x0, x1 = min(years), max(years)
    if x1 == x0:
        x0, x1 = x0 - 1, x1 + 1
    lo, hi, ticks = nice_scale(min(values), max(values))
    if unit == "%" and hi > 100 and max(values) <= 100:
        hi = 100.0
        ticks = [t for t in ticks if t <= 100]

    def sx(year: float) -> float:
        return left + (year - x0) / (x1 - x0) * (width - left - right)

    def sy(value: float) -> float:
        return top + (hi - value) / (hi - lo) * (height - top - bottom) if hi > lo else (height - bottom + top) / 2

    svg = [f'<svg role="img" viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">']
    labels = Labels()
    step = max(1, math.ceil((x1 - x0) / 6))
    # counted back from the last year, so the target year (2030) always has its label
    for year in range(x1, x0 - 1, -step):
        labels.place(sx(year), height - bottom + 18, str(year), AXIS_COLOUR, "middle", 13, halo=False)
    svg.extend(f'<line x1="{left}" x2="{width - right}" y1="{sy(t):.1f}" y2="{sy(t):.1f}" stroke="#e4e7eb"/>'
               for t in ticks)  # the grid
    svg.append(f'<line x1="{left}" x2="{width - right}" y1="{height - bottom}" y2="{height - bottom}" '
               'stroke="#9aa5b1"/>')
    last_target = max(targets, key=lambda e: e["target_year"]) if targets else None
    for e in targets:
        svg += _target_marks(e, e is last_target, sx, sy, labels)
    svg += _task_marks(tasks, sx, sy, labels)
    if points:
        path = " ".join(f"{'M' if i == 0 else 'L'}{sx(y):.1f} {sy(v):.1f}" for i, (y, v) in enumerate(points))
        svg.append(f'<path d="{path}" fill="none" stroke="{HISTORY_COLOUR}" stroke-width="2.5"/>')
        for y, v in points:
            svg.append(f'<circle cx="{sx(y):.1f}" cy="{sy(v):.1f}" r="4" fill="{HISTORY_COLOUR}"><title>{y} 年 '
                       f"{_num(v)}{escape(unit)}</title></circle>")
            labels.place(sx(y), sy(v) - 9, _num(v), HISTORY_COLOUR, moves=_around(0, FONT_SIZE + 2, 29))
    for e in targets:
        _projection_label(e, sx, sy, labels)
    for t in ticks:  # the value axis last: a tick whose label has no room keeps its grid line
        labels.place(left - 5, sy(t) + 4, _num(t), AXIS_COLOUR, "end", 13, halo=False)
    svg += labels.texts
    svg.append("</svg>")
    return "".join(svg)


def _task_marks(tasks: Sequence[TaskMark], sx: Any, sy: Any, labels: Labels) -> list[str]:
    out = []
    for task in tasks:
        y = sy(task.number)
        if task.period:
            a, b = sx(task.period[0]), sx(task.period[1])
            out.append(f'<line x1="{a:.1f}" x2="{b:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{TASK_COLOUR}" '
                       f'stroke-width="2" stroke-dasharray="8 4"><title>{escape(task.text)}</title></line>')
            labels.place(b, y - 6, task.text, TASK_COLOUR, "end", 13, moves=_around(0, 15, 20))
            continue
        x = sx(task.year)
        out.append(f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="#fff" '
                   f'stroke="{TASK_COLOUR}" stroke-width="2"><title>{task.year} 年{escape(task.text)}</title></rect>')
        labels.place(x, y + 20, task.text, TASK_COLOUR, "middle", 13, moves=_around(0, 15, -27))
    return out


def _target_marks(e: Mapping[str, Any], last: bool, sx: Any, sy: Any, labels: Labels) -> list[str]:
    colour = PROGRESS_COLOUR.get(e["status"], "#616e7c")
    ty, tv = int(e["target_year"]), float(e["target_value"])
    out = []
    if e.get("baseline") is not None and last:
        out.append(f'<line x1="{sx(e["baseline_year"]):.1f}" y1="{sy(e["baseline"]):.1f}" x2="{sx(ty):.1f}" '
                   f'y2="{sy(tv):.1f}" stroke="#9aa5b1" stroke-width="1.5" stroke-dasharray="6 4"/>')
    if _projects(e):
        out.append(f'<line x1="{sx(e["latest_year"]):.1f}" y1="{sy(e["latest"]):.1f}" x2="{sx(ty):.1f}" '
                   f'y2="{sy(e["projected"]):.1f}" stroke="{colour}" stroke-width="2" stroke-dasharray="2 4"/>'
                   f'<circle cx="{sx(ty):.1f}" cy="{sy(e["projected"]):.1f}" r="3.5" fill="#fff" '
                   f'stroke="{colour}" stroke-width="2"><title>按现速 {ty} 年约 {_num(e["projected"])}'
                   "</title></circle>")
    x, y = sx(ty), sy(tv)
    out.append(f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y:.1f} L{x:.1f} {y + 7:.1f} L{x - 7:.1f} {y:.1f} Z" '
               f'fill="{colour}"><title>{ty} 年规划目标 {escape(str(e["target"]))}</title></path>')
    labels.place(x - 10, y - 6, f"{ty}目标 {_num(tv)}", "#243b53", "end", moves=_around(0, FONT_SIZE + 2, 22))
    return out


def _projects(e: Mapping[str, Any]) -> bool:
    return e.get("projected") is not None and e.get("latest_year") is not None and e.get("current_rate") is not None


def _projection_label(e: Mapping[str, Any], sx: Any, sy: Any, labels: Labels) -> None:
    if _projects(e):
        colour = PROGRESS_COLOUR.get(e["status"], "#616e7c")
        labels.place(sx(int(e["target_year"])) - 7, sy(e["projected"]) + 16, f"按现速 {_num(e['projected'])}",
                     colour, "end", moves=_around(0, FONT_SIZE + 2, -26))


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
    ticks = [round(start + i * step, 10) for i in range(round((end - start) / step) + 1)]
    return start, end, ticks


def _num(value: float) -> str:
    return format_number(round(float(value), 2))


__all__ = ["Labels", "TaskMark", "count_bars", "fit_label", "indicator_svg", "nice_scale", "text_width"]
