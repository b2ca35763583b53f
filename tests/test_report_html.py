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
    assert "↓2025 需扭转" in html and "↗2025 需加快" in html


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
    assert proc.returncode == 2 and "refusing" in proc.stderr
    assert copy.read_bytes() == before


def test_without_output_prints_the_page() -> None:
    proc = run_cli("report", DATA / "chongqing-2020.xlsx")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("<!DOCTYPE html>") and "重庆市" in proc.stdout


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
