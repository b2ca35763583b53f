"""Loading rule packs from YAML: safe parsing, line numbers for every error, `extends`, and the shipped packs.

YAML is read with the C SafeLoader when available (8–11× faster than the pure-Python one, see
reference/deps-perf.md); tags such as ``!!python/object`` are refused by the safe loader, and duplicate keys,
which PyYAML would silently overwrite, are errors.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.errors import InputError
from ecoplan.normalize import name_key
from ecoplan.rules.criteria import CRITERION_KINDS
from ecoplan.rules.pack import Indicator, ValidatedPack
from ecoplan.rules.yaml_source import RuleError, RuleProblem, read_rule_text, read_yaml_lenient

if TYPE_CHECKING:
    from ecoplan.rules.pack import Pack

_PACKAGE_PACKS = Path(__file__).resolve().parent.parent / "packs"
_REPO_PACKS = Path(__file__).resolve().parents[3] / "rules"


class UnknownPackError(InputError):
    """A pack id (from --pack, a workbook's 指标体系 or `rules show`) that names no pack; the message names it."""

    def __init__(self, pack_id: str, known: list[str], where: str = "--pack", message: str | None = None) -> None:
        self.pack_id = pack_id
        self.known = known
        listing = "、".join(known) or "无"
        super().__init__(message or f"未知的指标体系 {pack_id}；已有的指标体系：{listing}", where)

    def in_workbook(self, path: Path, cell: str | None) -> UnknownPackError:
        """The same error for a pack the workbook names in its 区县信息 (not --pack): placed at that cell."""
        listing = "、".join(self.known) or "无"
        return UnknownPackError(self.pack_id, self.known, f"{path}: {cell or '区县信息'}",
                                f"指标体系“{self.pack_id}”不存在；已有的指标体系：{listing}；请改正区县信息中的"
                                "指标体系，或用 --pack ID 指定")


def pack_dirs() -> list[Path]:
    """Where packs are looked up: $ECOPLAN_RULES (os.pathsep-separated), then the shipped packs."""
    dirs = [Path(p) for p in os.environ.get("ECOPLAN_RULES", "").split(os.pathsep) if p]
    for shipped in (_PACKAGE_PACKS, _REPO_PACKS):
        if shipped.is_dir() and any(shipped.glob("*.yaml")):
            dirs.append(shipped)
            break
    return dirs


def available_packs() -> dict[str, Path]:
    """Pack id → file, for every pack in `pack_dirs()` (earlier directories win)."""
    found: dict[str, Path] = {}
    for directory in pack_dirs():
        for path in sorted(directory.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def find_pack(pack_id: str) -> Path:
    """The file of a pack id, or an InputError listing the packs there are."""
    packs = available_packs()
    if pack_id in packs:
        return packs[pack_id]
    candidate = Path(pack_id)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate
    by_title = _pack_by_title(pack_id, packs)
    if by_title is not None:
        return by_title
    raise UnknownPackError(pack_id, sorted(packs))


def _pack_by_title(text: str, packs: dict[str, Path]) -> Path | None:
    """A workbook may name its 指标体系 by the pack's title (生态文明建设示范区（县）建设指标) or with other
    case and width (National-Demo-County-2024): match those exactly after folding, never by similarity."""
    key = name_key(text)
    for pack_id, path in packs.items():
        if name_key(pack_id) == key:
            return path
    for path in packs.values():
        try:
            head = read_rule_text(path)[:4096]
        except InputError:
            continue
        for line in head.splitlines():
            if line.startswith("title:") and name_key(line[6:].strip().strip("'\"")) == key:
                return path
    return None


def load_pack(pack_id_or_path: str | Path, *, strict: bool = False) -> Pack:
    """Load, validate and resolve (extends, inheritance) a pack by id or path. Raises RuleError / InputError."""
    is_file = str(pack_id_or_path).endswith((".yaml", ".yml"))
    path = Path(pack_id_or_path) if is_file else find_pack(str(pack_id_or_path))
    pack = _load_resolved(path, ())
    if strict:
        pack = replace(pack, defaults=pack.defaults.strict())
    return pack


def check_file(path: Path) -> list[RuleProblem]:
    """Every problem of one rule file (for `ecoplan rules lint`), in line order; an empty list when it is sound."""
    try:
        pack = _load_resolved(path, ())
    except RuleError as exc:
        return sorted(set(exc.problems + _id_problems(path, None) + _no_indicators(path, None)), key=_order)
    except InputError as exc:
        return [RuleProblem(str(path), 1, 1, "unreadable", exc.message)]
    return sorted(_id_problems(path, pack.id) + _no_indicators(path, pack), key=_order)


def _order(problem: RuleProblem) -> tuple[int, int, str, str]:
    return (problem.line, problem.column, problem.code, problem.message)


def _id_problems(path: Path, pack_id: str | None) -> list[RuleProblem]:
    """The pack id must equal the file name (packs are found by it); checked even when the rest is invalid."""
    try:
        data, lines, _ = read_yaml_lenient(path)
    except InputError:
        return []
    if pack_id is None and isinstance(data.get("id"), str):
        pack_id = data["id"]
    if pack_id is None or path.stem == pack_id:
        return []
    line, column = lines.get(("id",), (1, 1))
    return [RuleProblem(str(path), line, column, "id-mismatch",
                        f"指标体系 id {pack_id!r} 与文件名 {path.stem!r} 不同；两者应一致（指标体系按文件名查找）")]


def _no_indicators(path: Path, pack: Pack | None) -> list[RuleProblem]:
    """A pack with no indicators would make every assessment vacuous: an error, never a pass. Without a loaded
    `pack` the file itself is looked at: no indicators and nothing to extend."""
    if pack is not None and pack.indicators:
        return []
    try:
        data, lines, _ = read_yaml_lenient(path)
    except InputError:
        return []
    if pack is None and (data.get("indicators") or data.get("extends")):
        return []
    line, column = lines.get(("indicators",), (1, 1))
    return [RuleProblem(str(path), line, column, "no-indicators",
                        "指标体系没有指标；请在 indicators: 下列出指标（或用 extends: 扩展一个有指标的体系）")]


# ---------------------------------------------------------------------------------------------------------------
def _load_resolved(path: Path, chain: tuple[str, ...]) -> Pack:
    """Read, validate and resolve one pack file. Every problem of the file is gathered before raising (duplicate
    keys, a bad `extends`, repeated ids, schema errors), so `rules lint` shows them all in one run."""
    data, lines, problems = read_yaml_lenient(path)
    parent: Pack | None = None
    unresolved = False
    try:
        parent = _parent(path, data, lines, chain)
    except RuleError as exc:
        problems += exc.problems
        unresolved = True
    duplicates = _duplicate_ids(path, data, lines)
    problems += duplicates
    pack: Pack | None = None
    try:
        pack = _validate(path, data, lines, parent, partial=unresolved)
    except RuleError as exc:
        # The model's own uniqueness check has no line; the repeat is already reported at its line.
        problems += [p for p in exc.problems if not (duplicates and "出现了两次" in p.message)]
    if problems or pack is None:
        raise RuleError(sorted(problems, key=_order))
    if parent is not None:
        pack = _merge(parent, pack, data, path, lines)
    return _inherit(pack)


def _parent(path: Path, data: dict, lines: dict, chain: tuple[str, ...]) -> Pack | None:
    """The resolved pack that `data` extends (looked up beside the file first), or None."""
    extends = data.get("extends")
    if not extends:
        return None
    if not isinstance(extends, str):
        raise _error(path, lines, ("extends",), "wrong-type", "extends 应为一个指标体系 id")
    if extends in chain or extends == data.get("id"):
        cycle = " → ".join((*chain, str(data.get("id")), extends))
        raise _error(path, lines, ("extends",), "extends-cycle", f"extends 循环引用：{cycle}")
    beside = path.parent / f"{extends}.yaml"
    try:
        parent_path = beside if beside.is_file() else find_pack(extends)
    except InputError:
        raise _error(path, lines, ("extends",), "extends-missing",
                     f"extends 指向 {extends!r}，但没有这个指标体系") from None
    return _load_resolved(parent_path, (*chain, str(data.get("id"))))


def _where(lines: dict[tuple, tuple[int, int]], loc: tuple) -> tuple[int, int]:
    """The line of the deepest key path in `loc` that the YAML has (pydantic adds union tags to paths)."""
    best = lines.get((), (1, 1))
    path: tuple = ()
    for part in loc:
        candidate = (*path, part)
        if candidate in lines:
            path = candidate
            best = lines[path]
        elif isinstance(part, str) and part in ("criterion", "of", "otherwise") and (*path, part) not in lines:
            continue
    return best


def _error(path: Path, lines: dict, loc: tuple, code: str, message: str) -> RuleError:
    line, col = _where(lines, loc)
    return RuleError([RuleProblem(str(path), line, col, code, message)])


_CODES = {"extra_forbidden": "unknown-key", "missing": "missing-key", "union_tag_invalid": "unknown-criterion",
          "union_tag_not_found": "criterion-kind-missing", "literal_error": "bad-value", "value_error": "invalid",
          "float_parsing": "not-a-number", "int_parsing": "not-a-number", "string_type": "wrong-type",
          "list_type": "wrong-type", "dict_type": "wrong-type", "model_type": "wrong-type",
          "dataclass_type": "wrong-type", "dataclass_args_type": "wrong-type",
          "unexpected_keyword_argument": "unknown-key", "missing_argument": "missing-key",
          "string_pattern_mismatch": "bad-id", "float_type": "not-a-number", "too_short": "too-short"}


# pydantic's own messages are English: the ones a rule file can meet, said in Chinese (ctx fills the braces).
_MESSAGES_ZH = {"missing": "缺少这个键", "missing_argument": "缺少这个键",
                "union_tag_not_found": "判据缺少 kind:（判据类型）",
                "literal_error": "取值应为 {expected}", "float_parsing": "应为数字", "float_type": "应为数字",
                "int_parsing": "应为整数", "int_type": "应为整数", "int_from_float": "应为整数",
                "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
                "string_type": "应为文本", "list_type": "应为列表", "tuple_type": "应为列表",
                "dict_type": "应为映射（键: 值）", "model_type": "应为映射（键: 值）",
                "dataclass_type": "应为映射（键: 值）", "dataclass_args_type": "应为映射（键: 值）",
                "string_pattern_mismatch": "不符合格式 {pattern}", "too_short": "至少需要 {min_length} 项",
                "too_long": "最多 {max_length} 项", "string_too_short": "至少需要 {min_length} 个字符",
                "greater_than_equal": "应不小于 {ge}", "greater_than": "应大于 {gt}",
                "less_than_equal": "应不大于 {le}", "less_than": "应小于 {lt}",
                "finite_number": "应为有限的数字", "enum": "取值应为 {expected}"}


def _message_zh(err: Any) -> str:
    """The Chinese message of one pydantic error: our validators' own text (already Chinese), or the catalogue's
    wording of pydantic's type; an unforeseen type keeps pydantic's text behind a Chinese lead."""
    if err["type"] == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    template = _MESSAGES_ZH.get(err["type"])
    if template is None:
        return f"取值不符合要求（{err['msg']}）"
    try:
        return template.format(**(err.get("ctx") or {})).replace(" or ", " 或 ")
    except (KeyError, IndexError):
        return template.split(" {")[0]


def _duplicate_ids(path: Path, data: dict, lines: dict) -> list[RuleProblem]:
    """Indicator ids repeated within one file, reported at the repeat (the model's own check has no line)."""
    seen: dict[str, int] = {}
    problems: list[RuleProblem] = []

    def visit(items: Any, loc: tuple) -> None:
        if not isinstance(items, list):
            return
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            here = (*loc, index)
            ident = item.get("id")
            if isinstance(ident, (str, int, float)) and not isinstance(ident, bool):
                key = str(ident)
                line, col = _where(lines, (*here, "id"))
                if key in seen:
                    problems.append(RuleProblem(str(path), line, col, "duplicate-id",
                                                f"指标 id {key!r} 已在第 {seen[key]} 行使用"))
                else:
                    seen[key] = line
            visit(item.get("items"), (*here, "items"))

    visit(data.get("indicators"), ("indicators",))
    return problems


@lru_cache(maxsize=1)
def _pack_validator() -> Any:
    """pydantic's validator of a pack document (built once per process, only when a YAML file is read)."""
    # lazy: pydantic (~50 ms) only when a pack is read from YAML (cache miss)
    from pydantic import TypeAdapter

    return TypeAdapter(ValidatedPack)


def _validate(path: Path, data: dict, lines: dict, parent: Pack | None, *, partial: bool = False) -> Pack:
    """The pack document validated by the model; `partial` for a pack that extends another (it may leave
    names and criteria to the parent, also when the parent could not be loaded)."""
    # lazy: pydantic (~50 ms) only when a pack is read from YAML (cache miss)
    from pydantic import ValidationError

    context: dict[str, Any] = {"plan_period": _plan_period(data, parent), "partial": partial or parent is not None}
    if parent is not None:
        context["directions"] = {leaf.id: leaf.direction for top in parent.indicators for leaf in top.walk()}
    try:
        return _pack_validator().validate_python(data, context=context)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"])
            line, col = _where(lines, loc)
            where = ".".join(str(p) for p in loc if not (isinstance(p, str) and p in CRITERION_KINDS))
            message = _message_zh(err)
            if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
                message = f"未知的键 {loc[-1]!r}"
            elif err["type"] == "union_tag_invalid":
                kind = err.get("input", {}).get("kind")
                message = f"未知的判据类型 {kind!r}；可用：{'、'.join(CRITERION_KINDS)}"
            problems.append(RuleProblem(str(path), line, col, _CODES.get(err["type"], err["type"]),
                                        f"{where}: {message}" if where else message))
        problems.sort(key=lambda p: (p.line, p.column))
        raise RuleError(problems) from None




def _plan_period(data: dict, parent: Pack | None) -> tuple[int, int] | None:
    raw = data.get("plan_period")
    if isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, int) for x in raw):
        return (raw[0], raw[1])
    return parent.plan_period if parent is not None else None


def _merge(parent: Pack, child: Pack, data: dict, path: Path, lines: dict) -> Pack:
    """Layer `child` on `parent`: same ids update the inherited indicator (at any depth), new ids are appended.

    Only the keys the child's YAML writes override (`data` is that YAML): a field left at its default does not."""
    overrides: dict[str, Indicator] = {}
    for top in child.indicators:
        for item in top.walk():
            overrides[item.id] = item
    written = _written_keys(data.get("indicators"))

    def apply(indicator: Indicator) -> Indicator:
        update: dict[str, Any] = {}
        own = overrides.pop(indicator.id, None)
        if own is not None:
            update = {f: getattr(own, f) for f in written.get(own.id, ()) if f not in ("id", "items")}
        items = [apply(i) for i in indicator.items]
        return replace(indicator, **{**update, "items": items})

    indicators = [apply(top) for top in parent.indicators]
    new_tops = [top for top in child.indicators if top.id in overrides]
    for index, top in enumerate(child.indicators):
        if top.id in overrides and top in new_tops:
            if not top.name or (top.criterion is None and not top.items):
                raise _error(path, lines, ("indicators", index), "incomplete",
                             f"指标 {top.id} 不在 {parent.id} 中，需要 name 和 criterion")
            indicators.append(top)
            for item in top.walk():
                overrides.pop(item.id, None)
    if overrides:
        orphan = next(iter(overrides))
        raise _error(path, lines, ("indicators",), "unknown-id",
                     f"分项 {orphan} 不在 {parent.id} 中；新分项应写在所属指标的 items 下")
    fields = set(data) - {"indicators", "extends", "defaults"}
    update = {f: getattr(child, f) for f in fields}
    raw_defaults = data.get("defaults")
    written_defaults: dict[str, Any] = raw_defaults if isinstance(raw_defaults, dict) else {}
    defaults = replace(parent.defaults, **{f: getattr(child.defaults, f) for f in written_defaults})
    return replace(parent, **{**update, "indicators": indicators, "defaults": defaults, "extends": child.extends})


def _written_keys(items: Any) -> dict[str, set[str]]:
    """Indicator id → the keys its YAML mapping writes, at every depth (ids as the model keeps them: text)."""
    found: dict[str, set[str]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and "id" in item:
            found[str(item["id"])] = set(item)
            found.update(_written_keys(item.get("items")))
    return found


def _inherit(pack: Pack) -> Pack:
    """Sub-items take domain, task, attribute, may_be_na and part from their indicator unless they set their own."""

    def fill(indicator: Any, parent: Any | None) -> Any:
        update: dict[str, Any] = {}
        if parent is not None:
            for f in ("domain", "task", "attribute", "may_be_na", "part", "inferred"):
                if getattr(indicator, f) is None and getattr(parent, f) is not None:
                    update[f] = getattr(parent, f)
        current = replace(indicator, **update) if update else indicator
        items = [fill(i, current) for i in current.items]
        return replace(current, items=items) if items else current

    return replace(pack, indicators=[fill(top, None) for top in pack.indicators])
