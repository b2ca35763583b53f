"""The batch overview as one self-contained HTML page a bureau can share (`ecoplan batch -o overview.html`):
for each pack its ranking (one row per district, its earlier years beside it), the districts × indicators matrix as
a heat map, the indicators unmet most often and, apart, those most often without data; then every input with its
status (a duplicate and an unusable file say why) and the files that were skipped.

No script, no font, no image from the network: the page is one file that opens anywhere, prints, and reads on a
phone (390 px) as on a desk (1280 px). Wide tables scroll inside their own box, never the page; the heat map keeps
the district column in view while it scrolls. Every colour comes with a glyph or a word, so the page still reads
printed in black and white or by someone who does not tell red from green.
"""

from __future__ import annotations

from html import escape

from ecoplan.render.batch_rows import (
    COUNTED,
    ENTRY_STATUS_TEXT,
    ENTRY_STATUS_TONE,
    FILES_HEADER,
    Counted,
    Ranked,
    column_headers,
    district_label,
    headline,
    history_text,
    indicator_label,
    listed,
    most_often,
    other_parts,
    pack_blocks,
    parts_note,
    percent,
    ranking,
    skipped_text,
)
from ecoplan.render.html import PAGE_END, count_cards, page_head
from ecoplan.render.labels import STATUS_COLOUR, STATUS_FILL, STATUS_FONT, STATUS_GLYPH, STATUS_ORDER, status_text
from ecoplan.run.batch_aggregate import BatchAggregate, PackBlock
from ecoplan.version import __version__

MOST_OFTEN = 10  # indicators listed under "未达标最多的指标" (and under "缺数据最多的指标") per pack

_STATUS_CSS = "\n".join(f".s-{s} {{ background: #{STATUS_FILL[s]}; color: #{STATUS_FONT[s]}; }}\n"
                        f".bar .b-{s} {{ background: {STATUS_COLOUR[s]}; }}" for s in STATUS_ORDER)
CSS = f"""
h2 {{ font-size: 19px; margin: 36px 0 4px; padding-bottom: 6px; border-bottom: 2px solid #d9e2ec; }}
h3 {{ font-size: 16px; margin: 22px 0 8px; }}
.sub {{ color: #52606d; margin: 0; font-size: 14px; }}
.scroll {{ overflow-x: auto; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }}
table {{ border-collapse: collapse; font-size: 13px; }}
th, td {{ padding: 5px 8px; border-bottom: 1px solid #e4e7eb; text-align: left; white-space: nowrap; }}
th {{ background: #eef2f7; font-weight: 600; }}
td.num, th.num {{ text-align: right; }}
table.rank {{ width: 100%; }}
.share {{ display: inline-block; width: 80px; height: 8px; background: #e4e7eb; border-radius: 4px;
          vertical-align: middle; margin-left: 6px; overflow: hidden; }}
.share i {{ display: block; height: 100%; background: {STATUS_COLOUR["met"]}; }}
table.heat th, table.heat td {{ padding: 0; border: 1px solid #fff; text-align: center; min-width: 24px;
                                height: 24px; font-size: 12px; }}
table.heat th {{ font-weight: 600; color: #3e4c59; }}
table.heat th.who, table.heat td.who {{ position: sticky; left: 0; z-index: 1; background: #fff;
                                        text-align: left; padding: 0 8px; min-width: 0; }}
table.heat thead th.who {{ background: #eef2f7; }}
.legend {{ font-size: 13px; color: #3e4c59; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 6px 14px; }}
.legend span b {{ display: inline-block; width: 18px; text-align: center; border-radius: 3px; margin-right: 4px; }}
ol.failed {{ list-style: none; padding: 0; margin: 0; }}
ol.failed li {{ background: #fff; border-radius: 8px; padding: 8px 12px; margin-bottom: 8px;
                box-shadow: 0 1px 3px rgba(0,0,0,.12); }}
.name {{ font-weight: 600; }}
.attr {{ color: #52606d; font-size: 12px; margin-left: 6px; }}
.bar {{ display: flex; height: 12px; border-radius: 6px; overflow: hidden; background: #e4e7eb; margin: 6px 0 4px; }}
.counts {{ font-size: 12.5px; color: #3e4c59; }}
.counts span {{ margin-right: 12px; white-space: nowrap; }}
details {{ margin-top: 10px; font-size: 13.5px; }}
details ol {{ padding-left: 2.6em; margin: 6px 0; }}
.errors li {{ overflow-wrap: anywhere; margin-bottom: 4px; }}
.history {{ display: block; color: #52606d; font-size: 12px; white-space: normal; }}
table.files {{ width: 100%; }}
table.files td.note {{ white-space: normal; min-width: 16em; }}
table.files td.path {{ white-space: normal; overflow-wrap: anywhere; min-width: 10em; }}
ul.toc {{ margin: 0; padding-left: 1.4em; font-size: 14px; }}
a {{ color: #1f5fa8; }}
code {{ font-size: 12.5px; overflow-wrap: anywhere; }}
footer {{ margin-top: 36px; color: #7b8794; font-size: 12px; }}
{_STATUS_CSS}
@media (max-width: 600px) {{
  .card {{ min-width: 0; flex: 1 1 40%; padding: 8px 12px; }}
  th, td {{ padding: 4px 6px; }}
  .share, .rank .file {{ display: none; }}  /* a phone shows the ranking whole; the file paths are on a desk */
  table.rank th, table.rank td {{ padding: 4px 4px; font-size: 12px; }}
  table.rank td.district {{ white-space: normal; }}  /* a long name wraps rather than widen the table */
}}
@media print {{
  .scroll, ol.failed li {{ box-shadow: none; border: 1px solid #d9e2ec; }}
  .scroll {{ overflow: visible; }}
  h2, h3 {{ break-after: avoid; }}
  tr, ol.failed li {{ break-inside: avoid; }}
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
}}
"""


def render_batch_html(aggregate: BatchAggregate) -> str:
    """The batch overview as one self-contained HTML page (see the module docstring)."""
    blocks = pack_blocks(aggregate)
    title = f"批量评估总览：{aggregate.total} 个工作簿"
    cards = [(aggregate.total, "工作簿", None), *[(aggregate.count(s), text, STATUS_COLOUR[ENTRY_STATUS_TONE[s]])
                                                  for s, text in ENTRY_STATUS_TEXT.items()],
             (aggregate.districts(), "区县参与排名", None), (len(blocks), "指标体系", None)]
    parts = [
        page_head(title, CSS),
        '<p class="sub">各区县按各自的指标体系评估；不同指标体系的区县分别排名，互不比较。每个区县以最新年度排名，'
        "往年列在其后，不单独排名；重复提交的工作簿不参与排名。</p>",
        count_cards(cards),
    ]
    if len(blocks) > 1:  # several systems: a contents line, since each is a section of its own
        links = "".join(f'<li><a href="#{_anchor(b.id)}">{escape(b.title)}</a>（{len(b.standings)} 个区县）</li>'
                        for b in blocks)
        parts.append(f'<nav><h3>指标体系</h3><ul class="toc">{links}</ul></nav>')
    for block in blocks:
        parts += _pack_section(block)
    parts += _files(aggregate)
    parts.append(f"<footer>由 ecoplan {escape(__version__)} 生成。图中颜色均配有符号与文字："
                 f"{escape(_legend_text())}。</footer>{PAGE_END}")
    return "\n".join(parts) + "\n"


def _legend_text() -> str:
    return "，".join(f"{STATUS_GLYPH[s]} {status_text(s)}" for s in STATUS_ORDER)


def _pack_section(block: PackBlock) -> list[str]:
    ranked = ranking(block)
    districts = len(block.standings)
    parts = [f'<section id="{_anchor(block.id)}"><h2>{escape(block.title)}</h2>',
             f'<p class="sub">指标体系 {escape(block.id)} · {districts} 个区县 · {escape(parts_note(block))}</p>',
             "<h3>排名</h3>", *_ranking_table(ranked),
             *(f'<p class="sub">{escape(line)}</p>' for line in other_parts(block.entries)),
             "<h3>指标矩阵（各区县最新年度）</h3>", *_heat_map(block, ranked),
             "<h3>未达标最多的指标</h3>", *_most_often(block, "not_met", districts),
             "<h3>缺数据最多的指标</h3>", *_most_often(block, "missing", districts),
             "</section>"]
    return parts


def _files(aggregate: BatchAggregate) -> list[str]:
    """Every input in input order with its status; then the files the folders held that are not workbooks."""
    head = "".join(f"<th{' class=num' if h == '序号' else ''}>{h}</th>" for h in FILES_HEADER)
    rows = []
    for row in listed(aggregate):
        tone = ENTRY_STATUS_TONE[row.entry.status]
        rows.append(f'<tr><td class=num>{row.number}</td><td class="s-{tone}">{escape(row.status)}</td>'
                    f"<td>{escape(row.name)}</td><td>{escape(row.year)}</td>"
                    f'<td class="path"><code>{escape(row.entry.path)}</code></td>'
                    f'<td class="note">{escape(row.note)}</td></tr>')
    parts = [f'<h2 id="files">全部工作簿（按输入顺序，共 {aggregate.total} 个）</h2>',
             f'<p class="sub">{escape(headline(aggregate))}</p>',
             f'<div class="scroll"><table class="files"><thead><tr>{head}</tr></thead><tbody>', *rows,
             "</tbody></table></div>"]
    if aggregate.skipped:
        parts.append(f'<h2 id="skipped">{escape(skipped_text(aggregate))}</h2><ul class="errors">')
        parts += [f"<li><code>{escape(path)}</code></li>" for path in aggregate.skipped]
        parts.append("</ul>")
    return parts


def _anchor(pack_id: str) -> str:
    return escape(f"pack-{pack_id}", quote=True)


def _ranking_table(ranked: list[Ranked]) -> list[str]:
    head = ("<tr><th class=num>名次</th><th>区县 年度</th><th>达标率</th><th class=num>达标/总数"
            "</th><th class=num>未达标<br>（约束性）</th><th class=num>缺数据</th><th class=num>待核实</th>"
            '<th class="file">文件</th></tr>')
    rows = []
    for row in ranked:
        share = f'{percent(row.share)}<span class="share"><i style="width:{row.share * 100:.1f}%"></i></span>'
        history = (f'<span class="history">往年：{escape(history_text(row.history))}</span>'
                   if row.history else "")
        rows.append(f'<tr><td class=num>{row.rank}</td><td class="district">{escape(district_label(row.entry))}'
                    f"{history}</td>"
                    f"<td>{share}</td><td class=num>{row.met}/{row.total}</td>"
                    f"<td class=num>{row.not_met}（{row.constraint_not_met}）</td><td class=num>{row.missing}</td>"
                    f"<td class=num>{row.review}</td><td class=file><code>{escape(row.entry.path)}</code></td></tr>")
    return ['<div class="scroll"><table class="rank"><thead>', head, "</thead><tbody>", *rows, "</tbody></table></div>"]


def _heat_map(block: PackBlock, ranked: list[Ranked]) -> list[str]:
    """Rows: districts in ranking order; columns: the pack's indicators in table order, headed by their position
    (the list under the map names them; hovering a cell names district, indicator and status)."""
    headers = column_headers(block)
    legend = "".join(f'<span><b class="s-{s}">{STATUS_GLYPH[s]}</b>{status_text(s)}</span>' for s in STATUS_ORDER)
    head = ['<tr><th class="who">区县 年度</th>']
    head += [f'<th title="{escape(h, quote=True)}">{i}</th>' for i, h in enumerate(headers, 1)]
    head.append("</tr>")
    rows = []
    for row in ranked:
        label = district_label(row.entry)
        cells = [f'<tr><th class="who" scope="row">{escape(label)}</th>']
        for header, status in zip(headers, row.entry.statuses, strict=False):
            tip = escape(f"{label} · {header}：{status_text(status)}", quote=True)
            cells.append(f'<td class="s-{escape(status, quote=True)}" title="{tip}">{STATUS_GLYPH.get(status, "?")}'
                         "</td>")
        cells.append("</tr>")
        rows.append("".join(cells))
    index = "".join(f"<li>{escape(h)}</li>" for h in headers)
    return [f'<div class="legend">{legend}</div>',
            '<div class="scroll"><table class="heat"><thead>', "".join(head), "</thead><tbody>", *rows,
            "</tbody></table></div>",
            f"<details><summary>列号对应的指标（共 {len(headers)} 项）</summary><ol>{index}</ol></details>"]


def _most_often(block: PackBlock, status: str, districts: int) -> list[str]:
    """The indicators most districts are in `status` for — only those, so the heading says what the list holds —
    each with a bar of all its status counts."""
    shown = most_often(block, status)
    if not shown:
        return [f'<p class="sub">各区县均无{status_text(status)}的指标。</p>']
    items = [_failed_item(row, districts) for row in shown[:MOST_OFTEN]]
    more = len(shown) - MOST_OFTEN
    note = [f'<p class="sub">另有 {more} 项指标有区县{status_text(status)}，见上方矩阵。</p>'] if more > 0 else []
    return ['<ol class="failed">', *items, "</ol>", *note]


def _failed_item(row: Counted, districts: int) -> str:
    segments = "".join(f'<i class="b-{s}" style="width:{row.counts[s] / districts * 100:.2f}%"></i>'
                       for s in COUNTED if row.counts[s] and districts)
    counts = "".join(f'<span>{STATUS_GLYPH[s]} {status_text(s)} {row.counts[s]}</span>'
                     for s in COUNTED if row.counts[s])
    attribute = f'<span class="attr">{escape(row.attribute)}</span>' if row.attribute else ""
    return (f'<li><span class="name">{escape(indicator_label(row))}</span>{attribute}'
            f'<span class="attr">矩阵第 {row.column} 列</span>'
            f'<div class="bar" role="img" aria-label="{escape(_counts_words(row, districts), quote=True)}">'
            f'{segments}</div><div class="counts">{counts}<span>共 {districts} 个区县</span></div></li>')


def _counts_words(row: Counted, districts: int) -> str:
    counts = "，".join(f"{status_text(s)} {row.counts[s]}" for s in COUNTED if row.counts[s])
    return f"{counts}（共 {districts} 个区县）"
