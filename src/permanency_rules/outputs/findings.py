"""Findings and reports: what a caseworker, an analyst and a trainer each act on.

Shaped like a CDS Hooks card: a short summary, a message rendered with the case's own values,
the evidence behind it, citations, the principle it teaches and what to do next. The finding id
hashes the rule, its version, the case and the facts matched, so it stays the same from day to
day while the problem persists (a host can record acknowledgements against it).

This module renders one case's findings; ``findings_columns`` renders a whole caseload's at
once, column-wise, from the same pieces defined here (the id hash, the template fields, the
status of a deadline, the words values render as). ``tests/outputs`` holds the two equal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..clocks.deadline import Deadline
from ..conventions import SEVERITIES, from_day
from ..engines.base import Binding, Fact
from ..facts.schema import FACT_TYPES
from ..language.ir import CASE_ALIAS, Ref
from ..language.parameters import Citation
from ..language.rule import PLACEHOLDER, Rule
from ..language.severity import severity as severity_of

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Evidence(_Out):
    """One fact a finding rests on, with the values the rule read."""

    alias: str = Field(description="The name the rule binds the fact to (``case`` for the case fact).")
    fact_type: str = Field(description="The fact type (see docs/facts.md).")
    fact_id: str = Field(description="The fact's id, prefixed by its type.")
    values: dict[str, Any] = Field(description="Fields the rule read: dates as ISO dates, codes as codes.")


class Finding(_Out):
    """One problem in one case, from one rule and one combination of facts."""

    finding_id: str = Field(
        description="Stable id: hashes rule id and version, case id and the facts matched; store "
        "acknowledgements against it."
    )
    case_id: str = Field(description="The case.")
    rule_id: str = Field(description="The rule that flagged, e.g. PR-UG-003.")
    rule_version: int = Field(description="The rule's version; a new version gives new finding ids.")
    family: str = Field(description="The rule family (missing goal, service gap, overdue timeline, ...).")
    severity: Literal["info", "warning", "critical"] = Field(description="Severity, by the written policy.")
    title: str = Field(description="The rule's title.")
    summary: str = Field(description="One line on the problem, the same for every case.")
    message: str = Field(description="The problem in this case's own values.")
    status: Literal["flagged", "overdue", "due_soon", "scheduled", "missed"] = Field(
        description="flagged, or for a deadline rule its deadline's status: overdue, due soon, "
        "scheduled (a qualifying event is calendared in time) or missed (can no longer be done)."
    )
    deadline: str | None = Field(None, description="The deadline a timeline rule is about.")
    due_date: date | None = Field(None, description="That deadline's due date.")
    evidence: list[Evidence] = Field(description="The facts the finding rests on.")
    citations: list[Citation] = Field(description="The law or policy the rule rests on.")
    principle: str = Field(description="The practice principle the rule teaches.")
    remediation: str = Field(description="What to do next.")


class NotEvaluable(_Out):
    """A rule that applies to the case but could not be judged for missing data."""

    rule_id: str = Field(description="The rule.")
    rule_version: int = Field(description="The rule's version.")
    missing: list[str] = Field(description="Case facts the rule needs that the case does not give.")


class DeadlineOut(_Out):
    """One legal clock, for a tickler."""

    name: str = Field(description="The deadline, e.g. permanency_hearing.")
    status: str = Field(
        description="pending, due_soon, scheduled, overdue, met, met_late, missed, excepted, "
        "not_applicable or not_evaluable (docs/clocks.md)."
    )
    due_date: date | None = Field(description="When it falls due; null when not applicable.")
    basis: str = Field(description="How the due date was computed.")
    citation: str = Field(description="The law that sets the deadline.")
    last_event: date | None = Field(None, description="The last event that met or reset the clock.")
    subject: str | None = Field(None, description="The item the clock is about, e.g. a placement id.")
    scheduled_date: date | None = Field(None, description="scheduled: the calendared hearing or review.")
    exception: str | None = Field(None, description="excepted: the legal exception that applies.")
    exception_date: date | None = Field(
        None, description="excepted: when the exception was documented or arose."
    )
    exception_ended: date | None = Field(
        None, description="excepted: the day the exception's basis ended (it still applies: once)."
    )
    applies_from: date | None = Field(
        None, description="not_applicable: the day it starts to apply, if known."
    )

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
                "scheduled_date": d.scheduled_date,
                "exception": d.exception,
                "exception_date": d.exception_date,
                "exception_ended": d.exception_ended,
                "applies_from": d.applies_from,
            },
        )


class Report(_Out):
    """Everything one evaluation found, and what produced it (so a stored report can be traced)."""

    case_id: str = Field(description="The case evaluated.")
    as_of: date = Field(description="The evaluation date; the library never reads today's date.")
    package_version: str = Field(description="Version of the permanency_rules package that ran.")
    ruleset_version: str = Field(description="Version of the rule catalogue (changes when any rule does).")
    engine: str = Field(description="The matching engine that ran: durable, builtin or pandas.")
    profile: str | None = Field(None, description="Jurisdiction profile applied; null for the federal floor.")
    findings: list[Finding] = Field(description="Problems found, most severe first.")
    not_evaluable: list[NotEvaluable] = Field(
        description="Rules that apply to the case but lack the data to be judged."
    )
    deadlines: list[DeadlineOut] = Field(description="Every legal clock with its due date and status.")
    records_after_as_of: int = Field(
        0,
        description="Records dated after as_of, left out of this evaluation (the future as of that date, "
        "not errors).",
    )

    def rule_ids(self) -> list[str]:
        return sorted({f.rule_id for f in self.findings})


def id_payload(rule_id: str, version: int, case_id: str, binding: Binding) -> str:
    """What a finding id hashes: compact JSON ``[rule, version, case, [[alias, fact id], ...]]``
    with the aliases sorted (``findings_columns.finding_ids`` spells the same JSON by columns)."""
    return json.dumps([rule_id, version, case_id, sorted(binding)], separators=(",", ":"))


def hash_id(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def finding_id(rule_id: str, version: int, case_id: str, binding: Binding) -> str:
    return hash_id(id_payload(rule_id, version, case_id, binding))


#: How values read in messages: a missing one, booleans, and codes (``_`` read as a space).
UNKNOWN, YES, NO, CODE_SPACE = "unknown", "yes", "no", ("_", " ")


def render_value(fact_type: str, field: str, value: Any) -> str:
    if value is None:
        return UNKNOWN
    if field == "id":
        return str(value).split(":", 1)[-1]  # fact ids carry their type as a prefix
    spec = FACT_TYPES[fact_type].get(field)
    if spec is not None and spec.kind == "day":
        return from_day(int(value)).isoformat()
    if isinstance(value, bool):
        return YES if value else NO
    if spec is not None and spec.values is not None:
        return str(value).replace(*CODE_SPACE)  # codes read as words in messages
    return str(value)


def plain_value(fact_type: str, field: str, value: Any) -> Any:
    """A fact value as evidence shows it: day numbers become ISO dates, the rest stays as is."""
    spec = FACT_TYPES[fact_type].get(field)
    if value is not None and spec is not None and spec.kind == "day":
        return from_day(int(value)).isoformat()
    return value


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
    for alias, f in template_fields(rule):
        out.setdefault(alias, []).append(f)
    return {a: list(dict.fromkeys(fs)) for a, fs in out.items()}


def template_fields(rule: Rule) -> list[tuple[str, str]]:
    """The (alias, field) placeholders of the rule's messages, in order (parameters aside)."""
    spec = rule.spec
    texts = (spec.message, spec.message_due_soon, spec.message_scheduled, spec.message_missed)
    found = [pair for text in texts for pair in PLACEHOLDER.findall(text or "")]
    return list(dict.fromkeys((a, f) for a, f in found if a != "param"))


Status = Literal["flagged", "overdue", "due_soon", "scheduled", "missed"]
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
    if deadline_alias:
        d = bound[deadline_alias]
        deadline = d["name"]
        due = from_day(d["due_day"]) if "due_day" in d else None
        status = rule.finding_status(d["status"])  # type: ignore[assignment]
    severity: SeverityName = severity_of(spec.duty, status)  # type: ignore[assignment]
    template = rule.template(status)

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
                "values": {f: plain_value(aliases[alias], f, bound[alias].get(f)) for f in fields},
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
