"""The import as one call: the plan's tables, the one chosen, the draft pack as YAML, checked by the linter."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ecoplan.errors import InputError
from ecoplan.rules.importer.build import Imported, build_pack
from ecoplan.rules.importer.document import read_blocks
from ecoplan.rules.importer.emit import to_yaml
from ecoplan.rules.importer.summary import table_list
from ecoplan.rules.importer.tables import FoundTable, find_tables
from ecoplan.rules.loader import check_file

PACK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class SeveralTables(InputError):
    """The file holds several indicator tables and none was chosen; `listing` numbers them for --table."""

    def __init__(self, path: Path, tables: list[FoundTable]) -> None:
        self.listing = table_list(tables, str(path))
        super().__init__(f"有 {len(tables)} 个指标表，请用 --table N 选择其中一个", str(path))


@dataclass
class Draft:
    """An imported pack and its YAML text."""

    imported: Imported
    text: str


def import_plan(path: Path, pack_id: str, number: int | None = None) -> Draft:
    """The draft pack of the indicator table `number` (1-based) of the plan at `path`, or of its only one.
    Raises InputError when the file has none, several and no number, or fewer than `number`."""
    if not PACK_ID.match(pack_id):
        raise InputError(f"指标体系 id 只能由小写字母、数字和 - 组成（例如 shapingba-14th-fyp），实际为 {pack_id!r}",
                         "--id")
    tables = find_tables(read_blocks(path))
    if not tables:
        raise InputError("没有找到指标表：需要一个表头含“指标”或“指标名称”、并含“指标值”“目标值”或年份（2025年）"
                         "的表格", str(path))
    if number is None and len(tables) > 1:
        raise SeveralTables(path, tables)
    if number is not None and not 1 <= number <= len(tables):
        raise InputError(f"--table {number} 超出范围：文件中有 {len(tables)} 个指标表", str(path))
    table = tables[(number or 1) - 1]
    imported = build_pack(table, path, pack_id)
    text = to_yaml(imported, table.where)
    problems = lint_text(text, pack_id)
    if problems:  # a draft that does not load is a bug of the importer, never the user's to fix
        raise InputError("导入生成的草稿未通过检查（这是 ecoplan 的问题，请报告）：" + "；".join(problems), str(path))
    return Draft(imported, text)


def lint_text(text: str, pack_id: str) -> list[str]:
    """The problems `ecoplan rules lint` finds in the pack `text` (as if saved as <pack_id>.yaml)."""
    with tempfile.TemporaryDirectory(prefix="ecoplan-import-") as folder:
        path = Path(folder) / f"{pack_id}.yaml"
        path.write_text(text, encoding="utf-8")
        return [f"{p.line}:{p.column}: {p.code}: {p.message}" for p in check_file(path)]


__all__ = ["PACK_ID", "Draft", "SeveralTables", "import_plan", "lint_text"]
