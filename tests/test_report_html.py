"""`ecoplan report`: one self-contained HTML page, checked as text and rendered in real headless Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import DATA, edited_copy, run_cli

Y22, Y23 = DATA / "yubei-2022.xlsx", DATA / "yubei-2023.xlsx"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    proc = run_cli("report", Y22, Y23, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_page_is_self_contained(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    # Nothing to fetch: no scripts, no external stylesheets, images or fonts.
    assert "<script" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "url(" not in html and "@import" not in html
    assert '"Noto Sans CJK SC"' in html and "Microsoft YaHei" in html
    assert '<meta charset="utf-8">' in html


def test_page_has_table_summary_and_charts(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    assert "渝北区 2023 年生态环境指标评估报告" in html
    assert "<table>" in html and "城市生活污水集中收集率" in html
    assert "各领域达标情况" in html and "生态安全" in html
    # One chart per indicator with a numeric target, worst first: 4.1 (需扭转) before 21 (按进度).
    charts = re.findall(r'<div class="chart"><h3>([^<]*)</h3>', html)
    assert any("优良天数比率" in c for c in charts) and any("人均公园绿地面积" in c for c in charts)
    names = [c.split(" ", 1)[1] for c in charts]
    assert names.index("优良天数比率（%）") < names.index("公众对生态环境质量满意程度（%）")
    # The numbers are on the chart: history, target, projection at the current pace (12.15 + 0.15 × 7 = 13.2).
    assert ">12.15<" in html and "2030目标 14.9" in html and "按现速 13.2" in html
    assert "2025 规划目标 72：需扭转" in html and "2025 规划目标 14.8：需加快" in html


def test_verdict_and_plan_progress_are_told_apart_in_words(page: Path) -> None:
    """Issue 15: 森林覆盖率 was a red 未达标 beside a green "✓2025 已达成" while its chart projected 35.88 < 37.69."""
    html = page.read_text(encoding="utf-8")
    card = html[html.index("<h3>8.1 森林覆盖率"):].split('<div class="chart">')[0]
    assert "标准要求：未达标" in card
    assert "2025 规划目标 37.69：已达成，按现趋势 2025 年约 35.88%" in card
    # Every plan line of every chart says its target year, "规划目标" and its state in words, never a bare glyph.
    plans = re.findall(r'<p class="plan"[^>]*>([^<]*)</p>', html)
    assert plans and all(re.match(r"^. 20\d\d 规划目标.*：(已达成|按进度|需加快|需扭转|数据不足)", p) for p in plans)
    # Counts say what they count: 32 indicators against the standard, 42 sub-items toward the plan.
    assert "对照标准，32 项指标中，已达标 29 项" in html and "对照 2025 年规划目标，42 个分项中已达成 35" in html


def test_task_indicators_draw_their_tasks(page: Path) -> None:
    """17.1 fell from 1998.6 t to 782 t while its task fell from 1977.7 to 766.1: met both years, not a collapse."""
    html = page.read_text(encoding="utf-8")
    card = html[html.index("<h3>17.1 "):].split('<div class="chart">')[0]
    assert "任务 1977.7" in card and "任务 766.1" in card and ">1998.6<" in card and ">782<" in card
    energy = html[html.index("<h3>14 "):].split('<div class="chart">')[0]
    assert "2021—2025 任务 14%" in energy  # a whole-plan-period task drawn once, over its period
    air = html[html.index("<h3>4.1 "):].split('<div class="chart">')[0]
    # A task in 天 is drawn on the chart of % where the verdict reads it (days_share): 327 天 of 2023 at 89.59 %.
    assert "<title>2023 年任务 327天</title>" in air


def test_submitted_text_is_escaped(tmp_path: Path) -> None:
    hostile = edited_copy(Y23, tmp_path / "hostile.xlsx", {("2", 2023): "<script>alert(1)</script>建立"},
                          profile={"区县名称": "渝北<b>区</b>"})
    out = tmp_path / "r.html"
    proc = run_cli("report", hostile, "-o", out)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>区</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    copy = tmp_path / "y.xlsx"
    shutil.copy(Y23, copy)
    before = copy.read_bytes()
    proc = run_cli("report", copy, "-o", copy)
    assert proc.returncode == 2 and "拒绝覆盖" in proc.stderr
    assert copy.read_bytes() == before


def test_without_output_prints_the_page_into_a_pipe_but_not_into_a_terminal() -> None:
    proc = run_cli("report", DATA / "chongqing-2020.xlsx")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("<!DOCTYPE html>") and "重庆市" in proc.stdout
    import os
    import pty

    leader, follower = pty.openpty()
    child = run_cli("report", DATA / "chongqing-2020.xlsx", stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    shown = os.read(leader, 65536).decode(errors="replace") if child.returncode != 2 else ""
    os.close(leader)
    assert child.returncode == 2 and "-o report.html" in child.stderr and "<!DOCTYPE" not in shown


# -- real browser ----------------------------------------------------------------------------------------------
def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _png_pixels(data: bytes) -> tuple[int, int, bytes, int]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) with the standard library: width, height, raw rows
    (filters undone), bytes per pixel."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out += line
        prev = line
    return width, height, bytes(out), bpp


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(_browser()), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True, text=True, timeout=120)


# Measures the laid-out page from inside (on a copy: the report itself has no script): how wide the document is,
# any SVG text that reaches outside its drawing, and the smallest chart text as shown on the screen. The page is
# laid out in an iframe of the width under test (a headless window is never narrower than 500 px) and reports
# to the frame around it, whose DOM Chromium prints.
_MEASURE = """<script>
addEventListener("load", () => {
  const out = {width: document.documentElement.scrollWidth, clipped: [], smallest: 99, overlapping: []};
  for (const svg of document.querySelectorAll("svg")) {
    const box = svg.viewBox.baseVal, scale = svg.getBoundingClientRect().width / box.width;
    const texts = [...svg.querySelectorAll("text")];
    for (const t of texts) {
      const b = t.getBBox();
      if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > box.width + 0.5 || b.y + b.height > box.height + 0.5)
        out.clipped.push(t.textContent);
      out.smallest = Math.min(out.smallest, parseFloat(t.getAttribute("font-size")) * scale);
    }
    const boxes = texts.map(t => t.getBoundingClientRect());
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          out.overlapping.push([texts[i].textContent, texts[j].textContent]);
      }
  }
  for (const s of document.querySelectorAll(".bar span, .bar-label"))
    out.smallest_bar = Math.min(out.smallest_bar || 99, parseFloat(getComputedStyle(s).fontSize));
  parent.document.body.setAttribute("data-measure", JSON.stringify(out));
});
</script>"""


@pytest.mark.skipif(_browser() is None, reason="no Chromium installed (apt-get install chromium fonts-noto-cjk "
                    "to run the real-browser check)")
@pytest.mark.parametrize("width", [1280, 390])
def test_page_fits_and_reads_at_desktop_and_phone_width(page: Path, tmp_path: Path, width: int) -> None:
    import html as html_module
    import json

    inner = page.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>")
    probe = tmp_path / "probe.html"
    probe.write_text(f'<!DOCTYPE html><html><body style="margin:0"><iframe style="width:{width}px;height:900px;'
                     f'border:0" srcdoc="{html_module.escape(inner)}"></iframe></body></html>', encoding="utf-8")
    dom = _chromium("--window-size=1400,1000", "--dump-dom", probe.as_uri(), profile=tmp_path / "p").stdout
    found = re.search(r'data-measure="([^"]*)"', dom)
    assert found, dom[-500:]
    measure = json.loads(html_module.unescape(found.group(1)))
    assert measure["width"] <= width, measure  # nothing runs off the side of the page
    assert measure["clipped"] == [], measure["clipped"]  # no chart label cut at the drawing's edge ("203")
    # No chart label over another, as the browser lays them out ("100 100 2025目标100 100", "任务 245.8 / 任务 250").
    assert measure["overlapping"] == [], measure["overlapping"]
    assert measure["smallest"] >= 9.5, measure  # chart text readable on the screen (was ~4 px at 390)
    assert measure["smallest_bar"] >= 12, measure  # the count bars are HTML: their text keeps its size
    shot = tmp_path / f"shot-{width}.png"
    _chromium(f"--window-size={width},1600", f"--screenshot={shot}", page.as_uri(), profile=tmp_path / "p2")
    w, h, pixels, bpp = _png_pixels(shot.read_bytes())
    assert (w, h) == (width, 1600)
    colours = {pixels[i:i + 3] for i in range(0, len(pixels), bpp * 7)}
    assert any(r < 80 and 100 < g < 150 and b < 80 for r, g, b in colours), "no green (达标) bars drawn"
    assert any(r > 170 and g < 70 and b < 70 for r, g, b in colours), "no red (未达标) drawn"


@pytest.mark.skipif(_browser() is None, reason="no Chromium installed (apt-get install chromium fonts-noto-cjk "
                    "to run the real-browser check)")
def test_page_renders_in_headless_chromium(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    proc = subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000, proc.stderr[-2000:]
    assert "Uncaught" not in proc.stderr and "ERROR:CONSOLE" not in proc.stderr, proc.stderr[-2000:]
    width, height, pixels, bpp = _png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    # Not blank: many distinct colours, and the status colours of the charts (green bars, red bars) are there.
    colours = {pixels[i:i + 3] for i in range(0, len(pixels), bpp * 7)}
    assert len(colours) > 200
    assert any(r < 80 and 100 < g < 150 and b < 80 for r, g, b in colours), "no green (达标) bars drawn"
    assert any(r > 170 and g < 70 and b < 70 for r, g, b in colours), "no red (未达标 / 需扭转) drawn"
    # Text is there as text: the DOM Chromium built has the table and the charts.
    dom = subprocess.run(
        [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'p2'}",
         "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert "<table>" in dom.stdout and "城市生活污水集中收集率" in dom.stdout and dom.stdout.count("<svg") >= 5


def test_chart_labels_move_aside_or_step_back_rather_than_overlap() -> None:
    from ecoplan.render.html_charts import Labels

    labels = Labels()
    assert labels.place(200, 100, "2025目标 100", "#000", "end")
    # The same spot is taken: the value goes to its other side of the mark; with no side left, it is left out.
    assert labels.place(190, 100, "100", "#000", moves=(0, 30))
    assert 'y="130.0"' in labels.texts[-1]
    assert not labels.place(190, 100, "100", "#000", moves=(0, 30))
    assert len(labels.texts) == 2
    assert labels.place(400, 100, "100", "#000")  # far enough to the right: its own spot is free
