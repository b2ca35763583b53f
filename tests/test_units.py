"""The one unit rule, output by output: 优良天数比率 2024 = "328天" (task 327天; 2023 82.2 %) is 89.62 % of 2024's 366
days in the verdict, the gap, the progress toward 2025/2030, the HTML report's text and charts, Word and xlsx —
never 328 %, never "按现趋势 2025 年约 408.03%". Each output is produced by the real command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import by_id, run_cli, yubei_2024

SHARE = 328 / 366 * 100  # 89.617…
FELL = 320 / 366 * 100   # 87.431…, below 2021's 87.9


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return yubei_2024(tmp_path_factory.mktemp("units"), "328天")


@pytest.fixture(scope="module")
def short(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return yubei_2024(tmp_path_factory.mktemp("units-short"), "320天")


def test_json_verdict_gap_and_progress(book: Path) -> None:
    proc = run_cli("assess", book, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    leaf = by_id(json.loads(proc.stdout))["4.1"]
    assert leaf["status"] == "met" and "328天（按全年366天折合为 89.62%）" in leaf["reason"]
    assert leaf["gap"] == round(SHARE - 82.2, 2) == 7.42  # 持续提高 on 2023's 82.2 %, in %, to the reason's decimals
    for entry in leaf["progress"]:
        assert entry["latest"] == pytest.approx(SHARE, abs=1e-6)
        assert 90 < entry["projected"] < 100


def test_html_report_text_and_charts(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    proc = run_cli("report", book, "-o", out)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    card = html[html.index("<h3>4.1 "):].split("<h3>", 2)[1]
    assert "408" not in card and "808" not in card and "328%" not in card
    assert "按现趋势 2025 年约 90.19%" in card and "按现趋势 2030 年约 93.05%" in card
    assert "<title>2024 年 89.62%</title>" in card  # the history point, where the verdict puts it
    assert "<title>2024 年任务 327天</title>" in card  # the task, drawn at 327 / 366
    ticks = [float(t) for t in re.findall(r'fill="#7b8794">([\d.]+)</text>', card) if "." in t or len(t) <= 3]
    assert ticks and max(ticks) <= 100  # an axis of %, not to 1000


def test_html_chart_inputs_are_in_the_indicators_unit(book: Path) -> None:
    from ecoplan.cli.report import chart_inputs
    from ecoplan.run.pipeline import evaluate_file

    points, tasks = chart_inputs(evaluate_file(book))
    assert dict(points["4.1"])[2024] == pytest.approx(SHARE)
    marks = {m.year: (m.number, m.text) for m in tasks["4.1"]}
    assert marks[2024] == (pytest.approx(327 / 366 * 100), "任务 327天")
    assert marks[2023] == (pytest.approx(327 / 365 * 100), "任务 327天")  # 2023 had 365 days


def test_word_shows_the_days_and_the_share_they_were_judged_as(book: Path, short: Path, tmp_path: Path) -> None:
    """The plan's table shows the value as written (328天, as the document's own table does), never as a share it
    is not; an unmet indicator's paragraph gives the share it was judged as and the gap in days."""
    docx = pytest.importorskip("docx")

    def texts(path: Path) -> list[str]:
        out = tmp_path / f"{path.stem}.docx"
        assert run_cli("assess", path, "-o", out).returncode == 0
        document = docx.Document(str(out))
        return [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows
                                                        for c in r.cells]

    met = texts(book)
    assert "328天" in met and not any("328%" in t or "408" in t for t in met)
    fell = texts(short)
    assert any("指标值为320天（任务 327天），折合 87.43%" in t and "差距−7天" in t for t in fell)


def test_xlsx_value_gap_and_progress(book: Path, short: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    def row_of(path: Path) -> tuple[dict[str, object], str]:
        """The row of 优良天数比率 on 达标情况, and its gap's number format."""
        out = tmp_path / f"{path.stem}.xlsx"
        assert run_cli("assess", path, "-o", out).returncode == 0
        rows = list(load_workbook(out)["达标情况"].iter_rows())
        header = next([c.value for c in r] for r in rows if any(c.value == "指标值" for c in r))
        [row] = [r for r in rows if r[2].value == "优良天数比率"]
        return dict(zip(header, (c.value for c in row), strict=True)), row[header.index("差距")].number_format

    met, _ = row_of(book)
    assert met["指标值"] == "328天（任务 327天），折合 89.62%" and met["单位"] == "%"
    assert met["2025 年规划目标进度"] == "✓已达成"
    fell, fell_format = row_of(short)
    assert fell["差距"] == -7 and fell_format == '+0 "天";"−"0 "天";0 "天"'  # shown as −7 天, not −7 个百分点
    # 87.43 % in 2024 after 87.9 % in 2021: falling — never the +77 points a year that 320 read as % would show.
    assert fell["2025 年规划目标进度"] == "↓需扭转" and fell["2030 年规划目标进度"] == "↓需扭转"
