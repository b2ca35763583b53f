"""Generate N realistic synthetic district workbooks for the batch benchmark.

    python benchmarks/generate.py 1000                # → benchmarks/out/workbooks-1000/d0000.xlsx …
    python benchmarks/generate.py 100 --out DIR --seed 7

Each workbook is one district × one shipped pack: the pack's leaf indicators, the assessed year and the two years
before it (about 50 rows; packs with many indicators carry the earlier years only for part of them), with
values in the notations the documents use. Where a shipped district source (data/src/*.yaml) reports the
indicator, its notation is the template and its numbers are varied (±10 %); otherwise the value is made from
the criterion (a number around the threshold, a state word, a water class, the task-and-actual form …). About
10 % of the cells use the other spellings (87.9%, full-width digits, footnote markers ^[2], ≥25, blank = missing),
some workbooks use the English sheet names and headers, and some the wide layout (one column per year).

Generation is deterministic for (N, seed) and is skipped when the folder already holds that set (a stamp file
keyed on N, the seed, this script and the data/src sources it draws from), so `benchmarks/run.py` only pays for it
once. Workbooks are written with openpyxl in two processes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
GENERATOR_VERSION = "3"

DISTRICTS = ["渝中区", "大渡口区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "渝北区", "巴南区", "万州区",
             "涪陵区", "黔江区", "长寿区", "江津区", "合川区", "永川区", "南川区", "綦江区", "大足区", "璧山区",
             "铜梁区", "潼南区", "荣昌区", "开州区", "梁平区", "武隆区", "城口县", "丰都县", "垫江县", "忠县",
             "云阳县", "奉节县", "巫山县", "巫溪县", "石柱县", "秀山县", "酉阳县", "彭水县", "两江新区", "重庆高新区"]
# The assessed year of each pack (the year its shipped workbook reports) and how often it is drawn.
PACK_YEARS = {"yubei-2023-2030": 2023, "national-demo-county-2024": 2024, "national-demo-2019": 2022,
              "chongqing-14th-fyp": 2020, "chongqing-13th-fyp": 2020, "shapingba-14th-fyp": 2020,
              "shapingba-13th-fyp": 2020, "gaoxin-14th-fyp": 2020, "jiulongpo-15th-fyp": 2025}
PACK_WEIGHTS = {"yubei-2023-2030": 3, "national-demo-county-2024": 3, "national-demo-2019": 2}
TARGET_ROWS = 50
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]*年)")


def _vary_numbers(text: str, rng: random.Random) -> str:
    """Vary every number in a notation by up to ±10 %, keeping its decimals (years are left alone)."""

    def swap(m: re.Match[str]) -> str:
        raw = m.group(1)
        number = float(raw)
        if 1900 <= number <= 2100 and "." not in raw:
            return raw
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        varied = max(0.0, number * rng.uniform(0.9, 1.1))
        return f"{varied:.{decimals}f}"

    return _NUMBER.sub(swap, text)


def _source_values() -> dict[str, list[Any]]:
    """Name key → every value the shipped district sources report for it (the documents' notations)."""
    import yaml

    from ecoplan.normalize import name_key

    found: dict[str, list[Any]] = {}
    for source in sorted((ROOT / "data" / "src").glob("*.yaml")):
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        for row in data.get("rows", []):
            if row.get("value") not in (None, "") and row.get("name"):
                found.setdefault(name_key(str(row["name"])), []).append(row["value"])
    return found


def _from_criterion(criterion: Any, leaf: Any, rng: random.Random) -> Any:
    """A plausible value for a criterion kind when no source reports the indicator."""
    kind = getattr(criterion, "kind", None)
    if kind in ("all_of", "any_of"):
        return _from_criterion(criterion.of[-1], leaf, rng)
    if kind == "by_profile":
        return _from_criterion(criterion.cases[0].criterion, leaf, rng)
    if kind == "threshold":
        return round(criterion.value * rng.uniform(0.85, 1.2), 1)
    if kind == "approximate":
        return round(criterion.target * rng.uniform(0.9, 1.1), 1)
    if kind == "cumulative":
        return round(criterion.total * rng.uniform(0.5, 1.3), 2)
    if kind == "superior_task":
        task = rng.choice([80, 90, 92.5, 95, 100, 325, 33])
        actual = round(task * rng.uniform(0.9, 1.1), 1)
        return rng.choice([f"上级规定的考核任务：{task} 当年指标值：{actual}", actual, "未下达", f"完成（{actual}）"])
    if kind == "state":
        return rng.choice([*criterion.required, "有效开展", "建立", "未建立"])
    if kind == "water_class":
        return rng.choice(["Ⅱ类", "II类", "Ⅲ类", "III", "Ⅳ类", "优于Ⅲ类"])
    if kind == "trend":
        return round(rng.uniform(20, 100), 2)
    if kind == "delta":
        return rng.choice([">-1", "-0.5", "0.3", "-1.5"])
    if kind == "manual":
        return rng.choice(["完成", "基本完成", "持续推进"])
    return round(rng.uniform(10, 100), 1)


def _spelling(value: Any, rng: random.Random, unit: str | None) -> Any:
    """Occasionally write a number the other ways the documents do."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return value
    roll = rng.random()
    if roll < 0.04 and unit == "%":
        return f"{value}%"
    if roll < 0.06:
        return str(value).translate(str.maketrans("0123456789.", "０１２３４５６７８９."))
    if roll < 0.08:
        return f"{value} ^[{rng.randint(1, 5)}]"
    if roll < 0.10:
        return f"≥{value}"
    return value


def _packs() -> dict[str, Any]:
    from ecoplan.rules.loader import load_pack

    return {pack_id: load_pack(pack_id) for pack_id in PACK_YEARS}


def plan(count: int, seed: int) -> list[dict[str, Any]]:
    """The content of every workbook (profile and rows), deterministic for (count, seed)."""
    from ecoplan.normalize import name_key

    rng = random.Random(seed)
    packs = _packs()
    sources = _source_values()
    ids = list(PACK_YEARS)
    weights = [PACK_WEIGHTS.get(p, 1) for p in ids]
    books = []
    for index in range(count):
        pack_id = rng.choices(ids, weights)[0]
        pack = packs[pack_id]
        year = PACK_YEARS[pack_id]
        leaves = [leaf for _, leaf in pack.leaves()]
        history = max(0, (TARGET_ROWS - len(leaves)) // 2)  # leaves that also get the two earlier years
        with_history = set(rng.sample(range(len(leaves)), min(len(leaves), history)))
        rows = []
        for position, leaf in enumerate(leaves):
            templates = sources.get(name_key(leaf.label))
            years = [year - 2, year - 1, year] if position in with_history else [year]
            for y in years:
                if rng.random() < 0.03:
                    value: Any = ""  # a blank cell: missing
                elif leaf.may_be_na and rng.random() < 0.2:
                    value = "不涉及"
                elif templates:
                    template = rng.choice(templates)
                    value = (round(template * rng.uniform(0.9, 1.1), 2) if isinstance(template, (int, float))
                             else _vary_numbers(str(template), rng))
                else:
                    value = _from_criterion(leaf.criterion, leaf, rng)
                rows.append({"id": leaf.id, "name": leaf.label, "year": y, "value": _spelling(value, rng, leaf.unit),
                             "unit": leaf.unit or "", "note": rng.choice(["", "", "", "统计年鉴", "=部门报送"]),
                             "source": rng.choice(["区生态环境局", "区统计局", "区林业局", ""])})
        name = DISTRICTS[index % len(DISTRICTS)]
        books.append({
            "file": f"d{index:05d}.xlsx",
            "profile": {"区县名称": f"{name}{index // len(DISTRICTS) or ''}", "行政区划代码": str(500100 + index),
                        "评估年度": year, "指标体系": pack_id, "地区类型": "西部",
                        "行政级别": "县" if name.endswith("县") else "市辖区", "城市规模": "超大城市"},
            "english": rng.random() < 0.15,
            "wide": rng.random() < 0.1,
            "rows": rows,
        })
    return books


def write_book(book: dict[str, Any], folder: str) -> None:
    """Write one workbook as Excel/WPS users fill them: text cells formatted "@", numbers as numbers."""
    from openpyxl import Workbook

    english = book["english"]
    wb = Workbook()
    info = wb.active
    info.title = "district" if english else "区县信息"
    info.append(["key", "value"] if english else ["项目", "内容"])
    for key, value in book["profile"].items():
        info.append([key, value])
    data = wb.create_sheet("indicators" if english else "指标数据")
    rows = book["rows"]
    if book["wide"]:
        years = sorted({r["year"] for r in rows})
        data.append(["指标编号", "指标名称", "单位", *[f"{y}年" for y in years]])
        by_leaf: dict[str, dict[int, Any]] = {}
        meta: dict[str, dict[str, Any]] = {}
        for r in rows:
            by_leaf.setdefault(r["id"], {})[r["year"]] = r["value"]
            meta[r["id"]] = r
        for leaf_id, values in by_leaf.items():
            data.append([leaf_id, meta[leaf_id]["name"], meta[leaf_id]["unit"], *[values.get(y, "") for y in years]])
    else:
        header = (["id", "name", "year", "value", "unit", "note", "source"] if english
                  else ["指标编号", "指标名称", "年度", "指标值", "单位", "备注", "数据来源"])
        data.append(header)
        for r in rows:
            data.append([r["id"], r["name"], r["year"], r["value"], r["unit"], r["note"], r["source"]])
    for sheet in (info, data):
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # "=部门报送" is a note, not a formula
                    cell.number_format = "@"
    wb.save(Path(folder) / book["file"])


def _write_many(args: tuple[list[dict[str, Any]], str]) -> int:
    books, folder = args
    for book in books:
        write_book(book, folder)
    return len(books)


def generate(count: int, out: Path | None = None, seed: int = 2024) -> Path:
    """Make `count` workbooks in `out` (default benchmarks/out/workbooks-COUNT); return the folder."""
    folder = out or OUT / f"workbooks-{count}"
    stamp = folder / ".stamp"
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for source in sorted((ROOT / "data" / "src").glob("*.yaml")):  # plan() draws values from them
        digest.update(source.read_bytes())
    source_hash = digest.hexdigest()[:12]
    expected = f"{GENERATOR_VERSION} {count} {seed} {source_hash}"
    if stamp.is_file() and stamp.read_text() == expected:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.xlsx"):
        old.unlink()
    books = plan(count, seed)
    parts = [(books[i::2], str(folder)) for i in range(2)]
    with ProcessPoolExecutor(2) as pool:
        written = sum(pool.map(_write_many, parts))
    stamp.write_text(expected)
    print(f"generated {written} workbooks in {folder}", file=sys.stderr)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=100)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    print(generate(args.count, args.out, args.seed))


if __name__ == "__main__":
    main()
