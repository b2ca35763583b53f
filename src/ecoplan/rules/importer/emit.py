"""The draft pack as YAML a person reviews: the pack's keys in the order docs/rule-packs.md shows them, one
indicator after another, and above each the decisions its rows needed as comments. Criteria and targets are
written in flow style on one line, as the shipped packs write them.
"""

from __future__ import annotations

from typing import Any

import yaml

from ecoplan.rules.importer.build import Imported

_INDENT = "  "


def to_yaml(imported: Imported, origin: str) -> str:
    """The YAML text of an imported pack; `origin` says where the table was found (file and table)."""
    pack = imported.pack
    out = ["# yaml-language-server: $schema=schema.json", "#",
           f"# 由 ecoplan rules import 生成的草稿：{origin}",
           f"# 表题：{imported.table.title or '（表格上方没有表题）'}",
           "# 每条判据都读自表中的文字；读不出的写成 manual（原文在 reason 中）。带注释的指标是读取时做了判断的，",
           "# 请对照原文逐条核对，再运行：ecoplan rules lint 本文件；ecoplan rules show 本文件"]
    if imported.notes:
        out += ["#", "# 表注："]
        for note in imported.notes:
            where = (f"关联到 {'、'.join(note.rows)}" if note.rows else note.use or "未关联到任何指标，请人工核对")
            out.append(f"#   {note.label}：{note.text}（{where}）")
    if imported.unknown_columns:
        out += ["#", f"# 未读取的列：{'、'.join(imported.unknown_columns)}"]
    out += ["#", "# defaults 是 ecoplan 的默认做法（不是表中所写），请按文件的说法核对："]
    out += [f"#   {comment}" for comment in imported.pack_comments]
    for key, value in pack.items():
        if key == "indicators":
            continue
        if isinstance(value, dict):
            out.append(f"{key}:")
            out.extend(f"{_INDENT}{k}: {_flow(v)}" for k, v in value.items())
        else:
            out.append(f"{key}: {_flow(value)}")
    out.append("indicators:")
    for indicator in pack["indicators"]:
        for comment in imported.comments.get(str(indicator["id"]), []):
            out.append(f"{_INDENT}# {comment}")
        out.extend(_mapping(indicator, 1))
    return "\n".join(out) + "\n"


def _mapping(data: dict[str, Any], depth: int) -> list[str]:
    """An indicator as a list item at `depth`: scalars and criteria on their line, items and targets nested."""
    pad = _INDENT * depth
    lines: list[str] = []
    for index, (key, value) in enumerate(data.items()):
        lead = f"{pad}- " if index == 0 else f"{pad}  "
        if key == "items":
            lines.append(f"{lead}items:")
            for item in value:
                lines.extend(_mapping(item, depth + 2))
        elif key == "targets":
            lines.append(f"{lead}targets:")
            lines.extend(f"{pad}    {year}: {_flow(target)}" for year, target in value.items())
        elif key == "source":
            lines.append(f"{lead}source: {_flow(value)}")
        else:
            lines.append(f"{lead}{key}: {_flow(value)}")
    return lines


def _flow(value: Any) -> str:
    """A value in YAML flow style on one line (strings quoted where YAML needs it: "100", "[16]")."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000, sort_keys=False)
    return text.removesuffix("\n").removesuffix("\n...").strip()


__all__ = ["to_yaml"]
