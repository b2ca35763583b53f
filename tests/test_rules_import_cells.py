"""How `ecoplan rules import` reads a table's cells, names and notes: with the packs' own criterion parser, writing
out only the structure the words print, and `manual` with the cell's words for anything else."""

from __future__ import annotations

from typing import Any

import pytest

from ecoplan.rules.importer.cells import by_profile, read_cell, take_marks
from ecoplan.rules.importer.direction import direction_from_name
from ecoplan.rules.importer.headers import classify
from ecoplan.rules.importer.notes import Named, plan_span, provisional_words, rows_named, split_notes
from ecoplan.rules.shorthand import expand

PERIOD = (2021, 2025)


def _expanded(text: str, direction: str | None = None, period: tuple[int, int] | None = PERIOD) -> Any:
    reading = read_cell(text, direction, "%", period)  # type: ignore[arg-type]
    assert not reading.manual, reading.decisions
    return expand(reading.criterion, reading.direction, period)


@pytest.mark.parametrize(("cell", "op", "value"), [
    ("≥90", ">=", 90), ("≤25", "<=", 25), ("＜75000", "<", 75000), (">-1", ">", -1), ("达到320天及以上", ">=", 320),
    ("20%以上", ">=", 20), ("不低于15.4", ">=", 15.4)])
def test_a_bound_keeps_its_operator(cell: str, op: str, value: float) -> None:
    criterion = _expanded(cell)
    assert (criterion["kind"], criterion["op"], criterion["value"]) == ("threshold", op, value)


@pytest.mark.parametrize(("cell", "direction", "op"), [("35", "lower", "<="), ("97.3*", "higher", ">="),
                                                        ("100", "higher", ">=")])
def test_a_bare_number_takes_the_direction_given(cell: str, direction: str, op: str) -> None:
    reading = read_cell(cell, direction, "%", PERIOD)  # type: ignore[arg-type]
    assert expand(reading.criterion, reading.direction, PERIOD)["op"] == op
    assert not reading.stated


def test_a_bare_number_without_a_direction_stays_manual_with_its_words() -> None:
    reading = read_cell("27.5", None, "平方公里", PERIOD)
    assert reading.manual and reading.criterion == {"kind": "manual", "reason": "27.5"}
    assert any("direction" in d for d in reading.decisions)


@pytest.mark.parametrize(("cell", "direction"), [("≤45.6", "lower"), ("持续下降", "lower"), ("逐年下降", "lower"),
                                               ("≥25或持续提高", "higher"), ("20%以上", "higher")])
def test_the_cells_own_words_state_the_direction_over_the_names(cell: str, direction: str) -> None:
    opposite = "higher" if direction == "lower" else "lower"
    reading = read_cell(cell, opposite, "%", PERIOD)  # type: ignore[arg-type]
    assert (reading.direction, reading.stated) == (direction, True)


@pytest.mark.parametrize(("cell", "total", "op", "period"), [
    ("[19.4]", 19.4, ">=", [2021, 2025]), ("＜[75000]", 75000, "<", [2021, 2025])])
def test_a_bracketed_total_spans_the_plan_period(cell: str, total: float, op: str, period: list[int]) -> None:
    criterion = _expanded(cell, "higher")
    assert (criterion["kind"], criterion["total"], criterion["op"], criterion["period"]) == ("cumulative", total,
                                                                                          op, period)


def test_a_bracketed_total_without_a_plan_period_is_manual() -> None:
    reading = read_cell("[16]", "higher", "%", None)
    assert reading.manual and "plan_period" in " ".join(reading.decisions)


@pytest.mark.parametrize(("cell", "kind"), [
    ("由国家下达", "superior_task"), ("完成上级规定的考核任务", "superior_task"), ("达到市总量控制要求", "superior_task"),
    ("持续提高", "trend"), ("保持稳定或持续改善", "trend"), ("逐年下降", "trend"), ("建立", "state"),
    ("面积不减少,性质不改变,功能不降低", "state"), ("Ⅲ", "water_class"), ("优于V类水域功能", "water_class"),
    ("△EQI>-1", "delta")])
def test_the_short_forms_of_every_kind(cell: str, kind: str) -> None:
    assert _expanded(cell, "higher")["kind"] == kind


def test_a_class_reached_or_bettered_is_at_least_that_class() -> None:
    criterion = _expanded("达到或优于Ⅲ类")
    assert (criterion["kind"], criterion["op"], criterion["class"]) == ("water_class", "at_least", 3)


def test_and_then_or_is_written_out_as_all_of_any_of() -> None:
    reading = read_cell("完成上级规定的考核任务，且≥90或持续提高", "higher", "%", PERIOD)
    assert reading.criterion == {"all_of": ["完成上级规定的考核任务", {"any_of": ["≥90", "持续提高"]}]}
    assert any("读作" in d for d in reading.decisions)


def test_a_full_width_semicolon_joins_like_and() -> None:
    reading = read_cell("完成上级规定的考核任务；保持稳定或持续改善", "higher", "%", PERIOD)
    assert reading.criterion == {"all_of": ["完成上级规定的考核任务", "保持稳定或持续改善"]}


def test_an_or_inside_a_trend_word_is_not_split() -> None:
    assert read_cell("保持稳定或有所改善", "higher", "%", PERIOD).criterion == "保持稳定或有所改善"


@pytest.mark.parametrize("cell", ["57左右", "", "—", "/", "全市前列", "2类区: 100% 4a类区: 0"])
def test_what_the_parser_does_not_take_is_manual_holding_the_cells_words(cell: str) -> None:
    reading = read_cell(cell, "higher", "%", PERIOD)
    assert reading.manual
    assert reading.criterion == {"kind": "manual", "reason": cell.strip() or "（空）"}
    assert any("manual" in d for d in reading.decisions)


def test_a_bound_per_kind_of_city_is_by_profile() -> None:
    assert by_profile("超、特大城市 ≥70 大城市 ≥60 中小城市 ≥50") == {"kind": "by_profile", "cases": [
        {"when": {"city_size": ["超大城市", "特大城市"]}, "criterion": "≥70"},
        {"when": {"city_size": ["大城市"]}, "criterion": "≥60"},
        {"when": {"city_size": ["中小城市"]}, "criterion": "≥50"}]}
    assert by_profile("东部地区：≥60；中西部、东北地区：≥30")["cases"][1]["when"] == {"region": ["中部", "西部", "东北"]}


def test_a_kind_of_district_the_workbook_cannot_state_is_not_read() -> None:
    assert by_profile("中西部地级及以上城市市辖区、东部地区：≥60；中西部其他地区、东北地区：≥30") is None
    assert read_cell("中西部地级及以上城市市辖区、东部地区：≥60；中西部其他地区、东北地区：≥30", "higher", "%",
                     PERIOD).manual


@pytest.mark.parametrize(("cell", "words", "marks"), [
    ("97.3*", "97.3", ["*"]), ("未达标^[1]", "未达标", ["[1]"]), ("42.3【2】", "42.3", ["【2】"]), ("[19.4]", "[19.4]", []),
    ("＜[75000]", "＜[75000]", [])])
def test_footnote_marks_come_off_the_words_but_a_bracketed_total_keeps_its_brackets(cell: str, words: str,
                                                                                      marks: list[str]) -> None:
    assert take_marks(cell) == (words, marks)


@pytest.mark.parametrize(("name", "direction"), [
    ("细颗粒物（PM2.5）年平均浓度", "lower"), ("单位GDP二氧化碳排放量下降率", "higher"), ("单位地区生产总值能耗", "lower"),
    ("单位地区生产总值能耗降低", "higher"), ("一次性消费品人均使用量", "lower"), ("净增建设用地总量", "lower"),
    ("生态环境状况指数(湿润地区)", "higher"), ("黑臭水体消除比例", "higher"), ("森林覆盖率", "higher")])
def test_the_head_word_of_a_name_says_which_way_is_better(name: str, direction: str) -> None:
    found = direction_from_name(name)
    assert found is not None and found.direction == direction


def test_a_name_without_such_a_word_has_no_direction() -> None:
    assert direction_from_name("河长制") is None


@pytest.mark.parametrize(("header", "role", "year"), [
    ("指        标", "name", None), ("指标名称", "name", None), ("2020年\n现状值", "value", 2020),
    ("2025年\n目标值", "target", 2025), ("目标2030年", "target", 2030), ("2022 年", "year", 2022),
    ("2023年指标值", "year", 2023), ("指标\n属性", "attribute", None), ("类型", "attribute", None),
    ("指标类别", "attribute", None), ("类别", "domain", None), ("领域", "domain", None), ("达标情况", "attainment", None),
    ("指标值", "criterion", None), ("备注", "remark", None), ("适用范围", "scope", None)])
def test_headers_as_the_seeds_print_them(header: str, role: str, year: int | None) -> None:
    column = classify(header)
    assert column is not None and (column.role, column.year) == (role, year)


def test_notes_split_by_number_and_by_mark() -> None:
    notes = split_notes(["注：1．[  ]内为5年累计数。", "2．*表示“十四五”期间，纳入国家考核的地表水国控断面为74个。",
                         "【1】2022年未完成。【2】来源于一张图数据。"])
    assert [(n.label, n.marker) for n in notes] == [("注1", None), ("注2", "*"), ("注【1】", "[1]"),
                                                   ("注【2】", "[2]")]
    assert notes[2].text == "2022年未完成。"
    assert plan_span(notes) == 5 and notes[0].use


def test_a_note_names_rows_by_the_terms_it_lists_and_by_their_domain() -> None:
    rows = [Named("1", "单位GDP二氧化碳排放量下降率", "绿色发展", ""), Named("2", "单位GDP能耗下降率", "绿色发展", ""),
            Named("5", "细颗粒物（PM2.5）年平均浓度", "环境质量改善", ""), Named("6", "梁滩河水体水质", "环境质量改善", ""),
            Named("8", "氮氧化物排放量下降率", "污染物排放总量减少", ""), Named("12", "生态保护红线面积", "生态保护修复", "")]
    sentence = "单位GDP二氧化碳排放量、能耗、水耗和污染物排放总量减少、细颗粒物（PM2.5）年均浓度等由市级考核的约束性指标最终以市级下达目标为准。"
    assert rows_named(sentence, None, rows) == ["1", "2", "5", "8"]
    assert rows_named("梁滩河目前有市级考核断面一个。", None, rows) == ["6"]
    assert rows_named("2020年空气质量指标值受新冠肺炎疫情等因素影响。", None, rows) == []


def test_a_marked_note_names_the_rows_that_carry_its_mark() -> None:
    rows = [Named("4", "地表水国控断面水质优良比例", None, "4 地表水… 100 97.3* 约束性"), Named("5", "森林覆盖率", None, "5 57")]
    assert rows_named("*表示纳入国家考核的断面为74个", "*", rows) == ["4"]


@pytest.mark.parametrize(("text", "words"), [
    ("以最终市级下达为准", "以最终市级下达为准"),
    ("3. 单位GDP能耗等最终以重庆市下达数为准。", "3. 单位GDP能耗等最终以重庆市下达数为准"),
    ("生态保护红线面积等指标最终以国家审批数据为准。", "生态保护红线面积等指标最终以国家审批数据为准"),
    ("以优化调整后为准", None), ("2020年最终数据以市统计局发布为准", None)])
def test_which_words_make_a_target_provisional(text: str, words: str | None) -> None:
    assert provisional_words(text) == words
