"""Findings and reports: what a caseworker, an analyst and a trainer each act on.

Shaped like a CDS Hooks card: a short summary, a message rendered with the case's own values,
the evidence behind it, citations, the principle it teaches and what to do next. The finding id
hashes the rule, its version, the case and the facts matched, so it stays the same from day to
day while the problem persists (a host can record acknowledgements against it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from ..clocks.deadline import Deadline
from ..conventions import from_day
from ..engines.base import Binding, Fact
from ..facts.schema import FACT_TYPES
from ..language.ir import CASE_ALIAS, Ref
from ..language.parameters import Citation
from ..language.rule import PLACEHOLDER, Rule

SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Evidence(_Out):
    alias: str
    fact_type: str
    fact_id: str
    values: dict[str, Any]


class Finding(_Out):
    finding_id: str
    case_id: str
    rule_id: str
    rule_version: int
    family: str
    severity: Literal["info", "warning", "critical"]
    title: str
    summary: str
    message: str
    status: Literal["flagged", "overdue", "due_soon"]
    deadline: str | None = None
    due_date: date | None = None
    evidence: list[Evidence]
    citations: list[Citation]
    principle: str
    remediation: str


class NotEvaluable(_Out):
    rule_id: str
    rule_version: int
    missing: list[str]


class DeadlineOut(_Out):
    name: str
    status: str
    due_date: date | None
    basis: str
    citation: str
    last_event: date | None = None
    subject: str | None = None

    @classmethod
    def of(cls, d: Deadline) -> DeadlineOut:
        return _trusted(
            cls,
            {
                "name": d.name.value,
                "status": d.status.value,
                "due_date": d.due_date,
                "basis": d.basis,
                "citation": d.citation,
                "last_event": d.last_event,
                "subject": d.subject,
            },
        )


class Report(_Out):
    case_id: str
    as_of: date
    ruleset_version: str
    engine: str
    profile: str | None = None
    findings: list[Finding]
    not_evaluable: list[NotEvaluable]
    deadlines: list[DeadlineOut]

    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings})


def finding_id(rule_id: str, version: int, case_id: str, binding: Binding) -> str:
    payload = json.dumps([rule_id, version, case_id, sorted(binding)], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def render_value(fact_type: str, field: str, value: Any) -> str:
    if value is None:
        return "unknown"
    if field == "id":
        return str(value).split(":", 1)[-1]  # fact ids carry their type as a prefix
    spec = FACT_TYPES[fact_type].get(field)
    if spec is not None and spec.kind == "day":
        return from_day(int(value)).isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if spec is not None and spec.values is not None:
        return str(value).replace("_", " ")  # codes read as words in messages
    return str(value)


_FIELDS: dict[tuple[int, str, int], dict[str, list[str]]] = {}


def _fields_by_alias(rule: Rule) -> dict[str, list[str]]:
    """The fields each alias's evidence shows (memoised per loaded rule)."""
    key = (id(rule), rule.id, rule.spec.version)
    hit = _FIELDS.get(key)
    if hit is None:
        hit = _FIELDS[key] = _compute_fields(rule)
    return hit


def _compute_fields(rule: Rule) -> dict[str, list[str]]:
    cond = rule.condition
    out: dict[str, list[str]] = {CASE_ALIAS: [t.field for t in cond.case_tests]}
    out[CASE_ALIAS] += [e.test.field for e in rule.exceptions]
    for c in cond.clauses:
        for t in c.tests:
            if c.alias:
                out.setdefault(c.alias, []).append(t.field)
            if isinstance(t.operand, Ref):
                out.setdefault(t.operand.alias, []).append(t.operand.field)
    for key in ("message", "message_due_soon"):
        for alias, f in PLACEHOLDER.findall(getattr(rule.spec, key) or ""):
            if alias != "param":
                out.setdefault(alias, []).append(f)
    return {a: list(dict.fromkeys(fs)) for a, fs in out.items()}


Status = Literal["flagged", "overdue", "due_soon"]
SeverityName = Literal["info", "warning", "critical"]


def finding_row(
    rule: Rule,
    binding: Binding,
    facts_by_id: Mapping[str, Fact],
    case_id: str,
    params: Mapping[str, int],
) -> dict[str, Any]:
    """The table columns of a finding (the batch path needs no evidence objects)."""
    spec = rule.spec
    bound: dict[str, Fact] = {CASE_ALIAS: facts_by_id["case"]}
    bound.update({alias: facts_by_id[fid] for alias, fid in binding})
    aliases = rule.condition.aliases()

    deadline_alias = rule.deadline_alias()
    status: Status = "flagged"
    deadline = due = None
    severity: SeverityName = spec.severity.value
    template = spec.message
    if deadline_alias:
        d = bound[deadline_alias]
        deadline = d["name"]
        due = from_day(d["due_day"]) if "due_day" in d else None
        if d["status"] == "due_soon":
            status, severity = "due_soon", spec.due_soon_severity.value
            template = spec.message_due_soon or spec.message
        elif d["status"] == "overdue":
            status = "overdue"

    def sub(m: Any) -> str:
        alias, f = m.group(1), m.group(2)
        if alias == "param":
            return str(params[f])
        return render_value(aliases[alias], f, bound[alias].get(f))

    return {
        "case_id": case_id,
        "rule_id": spec.id,
        "rule_version": spec.version,
        "family": spec.family.value,
        "severity": severity,
        "deadline": deadline,
        "due_date": due,
        "status": status,
        "message": " ".join(PLACEHOLDER.sub(sub, template).split()),
        "finding_id": finding_id(spec.id, spec.version, case_id, binding),
        "_bound": bound,
    }


def build_finding(
    rule: Rule,
    binding: Binding,
    facts_by_id: Mapping[str, Fact],
    case_id: str,
    params: Mapping[str, int],
) -> Finding:
    """One finding from one match; used by both engines, so ids and text always agree."""
    row = finding_row(rule, binding, facts_by_id, case_id, params)
    bound: dict[str, Fact] = row.pop("_bound")
    aliases = rule.condition.aliases()
    spec = rule.spec
    evidence = [
        _trusted(
            Evidence,
            {
                "alias": alias,
                "fact_type": aliases[alias],
                "fact_id": bound[alias]["id"],
                "values": {f: bound[alias].get(f) for f in fields},
            },
        )
        for alias, fields in _fields_by_alias(rule).items()
        if alias in bound
    ]
    row.update(
        title=spec.title,
        summary=spec.summary,
        evidence=evidence,
        citations=list(spec.citations),
        principle=spec.principle,
        remediation=spec.remediation,
    )
    return _trusted(Finding, row)


M = TypeVar("M", bound=BaseModel)


def _trusted(cls: type[M], values: dict[str, Any]) -> M:
    """A model from values we built ourselves, every field given, without validation.

    What ``model_construct`` does, minus its per-field default handling, which costs more than
    the rest of a finding; ``tests/test_evaluate_api.py`` checks the result against validation."""
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", {k: values[k] for k in cls.model_fields})  # field order
    object.__setattr__(model, "__pydantic_fields_set__", set(values))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_RANK[f.severity], f.rule_id, f.finding_id))
