"""One pass over a bad case: field errors and cross-field errors reported together.

Cross-field checks need a typed case, and a case with a bad field is not one. So when pydantic
rejects a case we set its bad parts aside (an optional field is dropped to its default; a list
item with a bad required field is left out), type what remains, run the cross-field and date
checks on it, and map their paths back to the input's positions. Errors that setting aside
could have caused are not reported: any error inside an object that lost a field, and any
reference to an item that was left out. When the bad part is a whole top-level part, or a
required one, nothing sound remains, and only the field errors are reported (as before).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .case import Case
from .errors import CaseError

Loc = tuple[int | str, ...]
_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_TOP_LIST = re.compile(r"\b([a-z_]+)\[(\d+)\]")


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for a in get_args(annotation):
        hit = _submodel(a)
        if hit is not None:
            return hit
    return None


def _is_part(name: int | str) -> bool:
    """A top-level field holding parts or a list (other checks may refer into it)."""
    field = Case.model_fields.get(str(name))
    return field is not None and (
        _submodel(field.annotation) is not None or get_origin(field.annotation) is list
    )


def _target(raw: Any, loc: Loc) -> tuple[str, Loc] | None:
    """What to set aside for one error: ("key", path) or ("item", path), deepest first."""
    best: tuple[str, Loc] | None = None
    node: Any = raw
    model: type[BaseModel] | None = Case
    path: Loc = ()
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            path = (*path, part)
            best = ("item", path)
            node = node[part]
            continue
        if not (isinstance(part, str) and isinstance(node, dict)):
            break
        path = (*path, part)
        field = model.model_fields.get(part) if model is not None else None
        if field is None or not field.is_required():
            best = ("key", path)  # an unknown key, or an optional field: drop it
        if part not in node:
            break
        node = node[part]
        model = _submodel(field.annotation) if field is not None else None
    return best


def _at(raw: Any, path: Loc) -> Any:
    for part in path:
        raw = raw[part]
    return raw


def salvage(
    raw: dict[str, Any], locs: list[Loc], checks: Callable[[Case], list[CaseError]]
) -> list[CaseError]:
    """Cross-field errors of ``raw`` (which failed validation at ``locs``), in input positions."""
    data = copy.deepcopy(raw)
    keys: set[Loc] = set()
    items: dict[Loc, set[int]] = {}
    for loc in locs:
        hit = _target(data, loc)
        if hit is None:
            return []
        kind, path = hit
        if len(path) == 1 and _is_part(path[0]):
            return []  # a whole top-level part or list is unusable: too little is left to check
        if kind == "key":
            keys.add(path)
        else:
            items.setdefault(path[:-1], set()).add(int(path[-1]))
    dropped_ids: set[str] = set()
    for path, idx in sorted(items.items(), key=lambda kv: -len(kv[0])):
        seq = _at(data, path)
        for i in idx:
            item = seq[i]
            if isinstance(item, dict):
                ident = item.get("id") or (item.get("role") if path == ("parents",) else None)
                if isinstance(ident, str):
                    dropped_ids.add(ident)
    for path in sorted(keys, key=len, reverse=True):  # before any item moves
        parent = _value(data, path[:-1])
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    kept: dict[Loc, list[int]] = {}
    for path, idx in sorted(items.items(), key=lambda kv: -len(kv[0])):
        seq = _at(data, path)
        kept[path] = [i for i in range(len(seq)) if i not in idx]
        seq[:] = [seq[i] for i in kept[path]]
    try:
        case = Case.model_validate(data)
    except ValidationError:
        return []
    touched = {p[:-1] for p in keys}
    out = []
    for e in checks(case):
        where = _parse(e.path)
        value = _value(data, where)
        orig = _remap(where, kept)
        if any(orig[: len(t)] == t for t in touched if t):
            continue  # inside an object that lost a field
        if isinstance(value, str) and value in dropped_ids:
            continue  # refers to an item that was set aside
        reason = _TOP_LIST.sub(lambda m: _top(m, kept), e.reason)
        out.append(CaseError(_format(orig), reason))
    return out


def _parse(path: str) -> Loc:
    return tuple(int(i) if i else name for name, i in _PART.findall(path))


def _value(data: Any, path: Loc) -> Any:
    try:
        return _at(data, path)
    except (KeyError, IndexError, TypeError):
        return None


def _remap(path: Loc, kept: dict[Loc, list[int]]) -> Loc:
    out: Loc = ()
    for part in path:
        if isinstance(part, int) and out in kept:
            part = kept[out][part]
        out = (*out, part)
    return out


def _top(m: re.Match[str], kept: dict[Loc, list[int]]) -> str:
    name, i = m.group(1), int(m.group(2))
    table = kept.get((name,))
    return f"{name}[{table[i] if table else i}]"


def _format(path: Loc) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
