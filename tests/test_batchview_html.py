"""`ecoplan batch -o overview.html`: one self-contained page with each pack's ranking, the districts × indicators
heat map and the most-failed indicators; rendered in headless Chromium at 1280 and 390 px (skipped without it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from batchview_support import aggregate_of, sample_folder
from ecoplan.render.batch_html import render_batch_html
from ecoplan.run.batch_aggregate import BatchAggregate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return render_batch_html(aggregate_of(sample_folder(tmp_path_factory.mktemp("in"))))


def test_the_page_is_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # nothing fetched from a network
    assert "@import" not in page and "<script" not in page


def test_ranking_heat_map_and_most_failed(page: str) -> None:
    # The packs by id (one district each); 渝北区's ranks with 2023 (29/32), its 2022 (27/32) beside it as history.
    yubei = page.index('<section id="pack-yubei-2023-2030">')
    assert page.index('<section id="pack-gaoxin-14th-fyp">') < yubei
    section = page[yubei:page.index("</section>", yubei)]
    ranking = section[section.index('<table class="rank">'):section.index("</table>")]
    assert ranking.count("<tr>") == 2 and "渝北区 2023" in ranking and "90.6%" in ranking
    assert "往年：2022年 84.4%" in ranking
    # The heat map: one coloured cell per district (its latest year) and indicator (1 × 32), each named.
    heat = section[section.index('<table class="heat">'):section.index("</table>", section.index('class="heat"'))]
    cells = re.findall(r'<td class="s-(\w+)" title="([^"]+)">', heat)
    assert len(cells) == 32
    assert ("not_met", "渝北区 2023 · 4 环境空气质量：未达标") in cells
    # "未达标最多的指标" lists only unmet indicators, "缺数据最多的指标" only those without data (issue 23.7).
    unmet = section[section.index("<h3>未达标最多的指标</h3>"):section.index("<h3>缺数据最多的指标</h3>")]
    named = re.findall(r'<span class="name">([^<]+)</span>', unmet)
    assert named[:1] == ["4 环境空气质量"] and len(named) == 3  # 渝北区 2023: 3 unmet, as 表4 says
    missing = section[section.index("<h3>缺数据最多的指标</h3>"):]
    assert "各区县均无缺数据的指标" in missing and 'class="name"' not in missing
    gaoxin = page[page.index('<section id="pack-gaoxin-14th-fyp">'):yubei]
    no_data = re.findall(r"<li>.*?</li>", gaoxin[gaoxin.index("<h3>缺数据最多的指标</h3>"):])
    assert len(no_data) == 10 and all("? 缺数据 1" in item for item in no_data)  # 13 without data, 10 shown
    assert "broken.xlsx" in page and "无法评估" in page
    # Two packs: a contents list links each pack's section.
    assert '<a href="#pack-gaoxin-14th-fyp">' in page and '<section id="pack-gaoxin-14th-fyp">' in page


def test_text_from_workbooks_is_escaped() -> None:
    columns = [("A", "1", "<b>指标</b>", "constraint")]
    aggregate = BatchAggregate()
    summary = {"total": 1, "met": 1, "not_met": 0, "not_applicable": 0, "missing": 0, "review": 0,
               "constraint_not_met": 0}
    aggregate.add({"p": ("<script>alert(1)</script>", columns)},
                  {"path": "/x/\"q\".xlsx", "name": "<img src=x>区", "code": None, "year": 2023,
                   "pack": "p", "summary": summary, "statuses": ["met"]})
    aggregate.settle()
    html = render_batch_html(aggregate)
    assert "<script>" not in html and "<img" not in html and "<b>指标" not in html
    assert "&lt;img src=x&gt;区" in html


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           "--allow-file-access-from-files", f"--user-data-dir={profile}", "--hide-scrollbars",
                           *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
@pytest.mark.parametrize("width", [1280, 390])
def test_chromium_renders_it_without_page_overflow(page: str, tmp_path: Path, width: int) -> None:
    # Headless Chromium does not make a window narrower than 500 px: the page is laid out in a frame of the width
    # asked for, as a phone's viewport would be.
    (tmp_path / "overview.html").write_text(page, encoding="utf-8")
    frame = tmp_path / "frame.html"
    frame.write_text(f"""<!DOCTYPE html><html><body style="margin:0">
      <iframe id="f" src="overview.html" style="border:0;width:{width}px;height:1600px"></iframe><script>
      document.getElementById('f').onload = () => {{
        const d = document.getElementById('f').contentDocument;
        const cell = d.querySelector('table.heat td').getBoundingClientRect();
        const hidden = [...d.querySelectorAll('table.rank')].map(
          t => t.parentElement.scrollWidth - t.parentElement.clientWidth);
        document.title = [d.documentElement.scrollWidth, d.documentElement.clientWidth, Math.round(cell.width),
                          Math.round(cell.height), Math.max(...hidden)].join(' ');
      }};</script></body></html>""", encoding="utf-8")
    window = f"--window-size={max(width, 500) + 20},1600"
    shot = tmp_path / f"overview-{width}.png"
    _chromium([window, f"--screenshot={shot}", frame.as_uri()], tmp_path / "shot")
    assert shot.exists() and shot.stat().st_size > 10_000
    dom = _chromium([window, "--virtual-time-budget=5000", "--dump-dom", frame.as_uri()], tmp_path / "dom").stdout
    found = re.search(r"<title>(\d+) (\d+) (\d+) (\d+) (\d+)</title>", dom)
    assert found, dom[:300]
    scroll_width, client_width, cell_width, cell_height, ranking_hidden = map(int, found.groups())
    assert scroll_width <= client_width  # the page never scrolls sideways: wide tables scroll in their own box
    assert ranking_hidden == 0  # every ranking is read whole, without scrolling its box, even on a phone
    assert cell_width >= 20 and cell_height >= 20  # heat-map cells big enough to read and to tap
