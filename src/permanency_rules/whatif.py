"""What if the practice changed? Evaluate a case before and after a change, and compare.

A change is a JSON Merge Patch (RFC 7386: a mapping; lists are replaced whole) or a short list
of JSON Patch operations (RFC 6902 ``add`` / ``remove`` / ``replace`` on paths such as
``/goals/-``). Findings are compared by finding id, which hashes the rule and the facts matched,
so a finding that persists keeps its id; deadlines are compared by name and subject.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import jsonpatch
from pydantic import BaseModel, ConfigDict

from .evaluation import EngineName, ProfileArg, RulesArg, evaluate, resolve_catalogue
from .model.case import Case
from .model.io import parse_and_check
from .outputs.findings import DeadlineOut, Finding, Report

#: Operations a what-if may use: it edits the case's parts, it does not test or move them.
ALLOWED_OPS = frozenset({"add", "remove", "replace"})


class DeadlineChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    subject: str | None
    before: str | None  # None: the deadline did not exist before the change
    after: str | None
    before_due: date | None = None
    after_due: date | None = None


class WhatIf(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: str
    as_of: date
    changes: list[str]
    before: Report
    after: Report
    appeared: list[Finding]
    disappeared: list[Finding]
    persisted: list[Finding]
    deadline_changes: list[DeadlineChange]

    def text(self) -> str:
        lines = [f"what if, case {self.case_id} as of {self.as_of}: " + "; ".join(self.changes)]
        for label, items in (
            ("disappears", self.disappeared),
            ("appears", self.appeared),
            ("persists", self.persisted),
        ):
            lines += [f"  {label:<11} {f.rule_id} {f.finding_id}: {f.message}" for f in items]
        for d in self.deadline_changes:
            subject = f" ({d.subject})" if d.subject else ""
            lines.append(f"  deadline    {d.name}{subject}: {d.before or 'absent'} -> {d.after or 'absent'}")
        if not (self.appeared or self.disappeared or self.deadline_changes):
            lines.append("  no finding or deadline changes")
        return "\n".join(lines)


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: mappings merge key by key, ``null`` removes a key, anything else replaces."""
    if not isinstance(patch, Mapping):
        return patch
    out = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _jsonable(value: Any) -> Any:
    """Dates in a YAML patch become ISO strings, as in the case's own JSON form."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if isinstance(v, date) else str(v)))


def describe(changes: Any) -> list[str]:
    if isinstance(changes, Mapping):
        return [f"merge {json.dumps(_jsonable(changes), sort_keys=True)}"]
    return [
        f"{op.get('op')} {op.get('path')}"
        + (f" = {json.dumps(_jsonable(op['value']), sort_keys=True)}" if "value" in op else "")
        for op in changes
    ]


def apply_changes(case: Case, changes: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The case as a JSON-shaped dict with ``changes`` applied (not yet validated)."""
    doc = case.model_dump(mode="json", exclude_none=True)
    patch = _jsonable(changes)
    if isinstance(patch, dict):
        if "case_id" in patch and patch["case_id"] != doc["case_id"]:
            raise ValueError("a what-if cannot change case_id (findings are compared by it)")
        return dict(merge_patch(doc, patch))
    if not isinstance(patch, list) or not all(isinstance(op, dict) for op in patch):
        raise ValueError("a patch is a mapping (merge patch) or a list of operations")
    for i, op in enumerate(patch):
        if op.get("op") not in ALLOWED_OPS:
            raise ValueError(f"patch operation {i}: op must be one of add, remove, replace")
        if str(op.get("path", "")).startswith("/case_id"):
            raise ValueError(f"patch operation {i}: a what-if cannot change case_id")
    try:
        out = jsonpatch.apply_patch(doc, patch)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
        raise ValueError(f"patch does not apply: {exc}") from None
    return dict(out)


def _deadline_key(d: DeadlineOut) -> tuple[str, str]:
    return d.name, d.subject or ""


def deadline_changes(before: Report, after: Report) -> list[DeadlineChange]:
    """Deadlines whose status (or existence) differs, matched by name, subject and order."""
    groups: dict[tuple[str, str], tuple[list[DeadlineOut], list[DeadlineOut]]] = {}
    for d in before.deadlines:
        groups.setdefault(_deadline_key(d), ([], []))[0].append(d)
    for d in after.deadlines:
        groups.setdefault(_deadline_key(d), ([], []))[1].append(d)
    out = []
    for (name, subject), (bs, as_) in groups.items():
        for i in range(max(len(bs), len(as_))):
            b = bs[i] if i < len(bs) else None
            a = as_[i] if i < len(as_) else None
            if (b.status if b else None) != (a.status if a else None):
                out.append(
                    DeadlineChange(
                        name=name,
                        subject=subject or None,
                        before=b.status if b else None,
                        after=a.status if a else None,
                        before_due=b.due_date if b else None,
                        after_due=a.due_date if a else None,
                    )
                )
    return out


def what_if(
    case: Case | Mapping[str, Any] | str | bytes,
    changes: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    as_of: date,
    *,
    rules: RulesArg = None,
    profile: ProfileArg = None,
    engine: EngineName = "auto",
) -> WhatIf:
    """Findings that appear, disappear and persist, and deadlines that change, after ``changes``.

    The changed case is validated like any case; a change that breaks it raises
    ``CaseValidationError`` naming the field paths."""
    cat = resolve_catalogue(rules, profile)
    parsed = parse_and_check(case, as_of)
    before = evaluate(parsed, as_of, rules=cat, engine=engine)
    after = evaluate(apply_changes(parsed, changes), as_of, rules=cat, engine=engine)
    after_ids = {f.finding_id for f in after.findings}
    before_ids = {f.finding_id for f in before.findings}
    return WhatIf(
        case_id=parsed.case_id,
        as_of=as_of,
        changes=describe(changes),
        before=before,
        after=after,
        appeared=[f for f in after.findings if f.finding_id not in before_ids],
        disappeared=[f for f in before.findings if f.finding_id not in after_ids],
        persisted=[f for f in after.findings if f.finding_id in before_ids],
        deadline_changes=deadline_changes(before, after),
    )


def load_patch(path: str | Path) -> Mapping[str, Any] | list[Mapping[str, Any]]:
    """A patch file (.yaml or .json), read with the same safe loader as case files."""
    from .model.io import read_document

    doc = read_document(path)
    if isinstance(doc, dict):
        return doc
    if isinstance(doc, list) and all(isinstance(op, dict) for op in doc):
        return doc
    raise ValueError(f"{path}: a patch is a mapping (merge patch) or a list of operations")
