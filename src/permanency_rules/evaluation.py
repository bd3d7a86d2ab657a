"""Evaluate one case: validate, run the clocks, build facts, match rules, explain findings.

The same steps serve the batch path (``caseload``); only the matching engine differs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ._version import __version__
from .clocks import Clocks, compute_clocks
from .engines.base import CompiledRule, Engine, Fact, Match
from .engines.choice import EngineName as EngineName
from .engines.choice import make_engine, resolve_engine
from .facts.build import build_facts
from .facts.schema import FACT_TYPES
from .language import precedence
from .language.catalogue import Catalogue, load_catalogue, needs, with_extra_rules
from .language.ir import CASE_ALIAS, Test, holds
from .language.parameters import Profile
from .language.rule import Rule
from .model.case import Case
from .model.errors import CaseError, CaseValidationError
from .model.io import parse_at
from .outputs.findings import (
    DeadlineOut,
    Finding,
    NotEvaluable,
    Report,
    build_finding,
    finding_row,
    sort_findings,
)

RulesArg = Catalogue | str | Path | Iterable[str] | None
ProfileArg = Profile | str | Path | None


def resolve_catalogue(
    rules: RulesArg = None, profile: ProfileArg = None, *, extra: str | Path | None = None
) -> Catalogue:
    """A catalogue from ``None`` (bundled), a folder, a Catalogue, or rule ids to select;
    ``extra`` layers a folder of local rules on top (an id clash is an error)."""
    cat = _base_catalogue(rules)
    if extra is not None:
        cat = with_extra_rules(cat, Path(extra))
    return cat.with_profile(profile)


def _base_catalogue(rules: RulesArg) -> Catalogue:
    if rules is None:
        cat = load_catalogue()
    elif isinstance(rules, Catalogue):
        cat = rules
    elif isinstance(rules, (str, Path)) and Path(rules).is_dir():
        root = Path(rules).resolve()
        for name in ("parameters.yaml", "catalogue.yaml"):
            if not (root / name).is_file():
                raise ValueError(
                    f"{rules}: not a rules catalogue (no {name}); to add local rules to the bundled "
                    "catalogue use --extra-rules"
                )
        cat = load_catalogue(root)
    elif isinstance(rules, Path):
        raise FileNotFoundError(2, "rules folder not found", str(rules))
    elif isinstance(rules, str):
        cat = load_catalogue().select([rules])
    else:
        cat = load_catalogue().select([str(r) for r in rules])
    return cat


@dataclass(frozen=True)
class Plan:
    """Everything fixed by (catalogue, profile, as_of): rules in force, bound and compiled."""

    catalogue: Catalogue
    as_of: date
    params: Mapping[str, int]
    rules: tuple[Rule, ...]
    compiled: tuple[CompiledRule, ...]
    needs: Mapping[str, tuple[str, ...]]
    applicability: Mapping[str, tuple[Test, ...]]
    suppressed_by: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    engines: dict[str, Engine] = field(default_factory=dict, compare=False, repr=False)

    def engine(self, name: EngineName) -> Engine:
        """The engine ``name`` (``auto`` resolved) for these rules; its ``name`` says which."""
        concrete = resolve_engine(name)
        hit = self.engines.get(concrete)
        if hit is None:
            hit = self.engines[concrete] = _engine(concrete, self.compiled)
        return hit

    def not_evaluable(self, case_fact: Fact) -> list[NotEvaluable]:
        """Rules that apply to this case but lack data to be judged."""
        out = []
        for r in self.rules:
            missing = [f for f in self.needs[r.id] if f not in case_fact]
            if missing and self._applies(r.id, case_fact):
                out.append(NotEvaluable(rule_id=r.id, rule_version=r.spec.version, missing=missing))
        return out

    def _applies(self, rule_id: str, case_fact: Fact) -> bool:
        """False when a case test on an always-present field already fails."""
        return all(holds(t, case_fact) for t in self.applicability[rule_id])

    def visible(self, matches: Iterable[Match], skip: set[str]) -> list[Match]:
        """One case's matches less the rules it cannot judge (``skip``) and those another
        rule's match makes redundant (``suppressed_by``, ``language.precedence``)."""
        kept = [m for m in matches if m.rule_id not in skip]
        if not self.suppressed_by or not kept:
            return kept
        keyed: dict[str, list[precedence.Keyed]] = {}
        for m in kept:
            ids = tuple(fid for alias, fid in m.binding if alias != CASE_ALIAS)
            keyed.setdefault(m.rule_id, []).append((0, ids))
        drop = precedence.hidden(self.suppressed_by, keyed)
        if not drop:
            return kept
        seen: dict[str, int] = {}
        out = []
        for m in kept:
            pos = seen[m.rule_id] = seen.get(m.rule_id, -1) + 1
            if pos not in drop.get(m.rule_id, ()):
                out.append(m)
        return out

    def finding_rows(
        self, matches: Iterable[Match], facts: list[Fact], case_id: str, skip: set[str]
    ) -> list[dict[str, Any]]:
        """Findings as table rows (same ids and messages as ``findings``), for caseloads."""
        by_id = {f["id"]: f for f in facts}
        rows = []
        for m in self.visible(matches, skip):
            row = finding_row(self.catalogue.rule(m.rule_id), m.binding, by_id, case_id, self.params)
            del row["_bound"]
            rows.append(row)
        return rows

    def findings(
        self, matches: Iterable[Match], facts: list[Fact], case_id: str, skip: set[str]
    ) -> list[Finding]:
        by_id = {f["id"]: f for f in facts}
        cat = self.catalogue
        return sort_findings(
            [
                build_finding(cat.rule(m.rule_id), m.binding, by_id, case_id, self.params)
                for m in self.visible(matches, skip)
            ]
        )


_plans: dict[tuple[int, str | None, date], Plan] = {}
_engines: dict[tuple[str, tuple[CompiledRule, ...]], Engine] = {}
_lock = threading.Lock()


def plan_for(catalogue: Catalogue, as_of: date) -> Plan:
    prof = catalogue.parameters.profile
    key = (id(catalogue.rules), prof.model_dump_json() if prof else None, as_of)
    with _lock:
        hit = _plans.get(key)
    if hit is not None and hit.catalogue.rules is catalogue.rules:
        return hit
    params = catalogue.parameters.resolve(as_of)
    rules = catalogue.in_force(as_of)
    compiled = tuple(CompiledRule(r.id, r.effective_condition().bind(params)) for r in rules)
    plan = Plan(
        catalogue,
        as_of,
        params,
        rules,
        compiled,
        {r.id: needs(r, r.effective_condition()) for r in rules},
        {c.rule_id: tuple(t for t in c.condition.case_tests if _always(t.field)) for c in compiled},
        precedence.precedence(rules),
    )
    with _lock:
        if len(_plans) > 256:
            _plans.clear()
        _plans[key] = plan
    return plan


def _always(field_name: str) -> bool:
    return FACT_TYPES["case"][field_name].required


def _engine(name: EngineName, compiled: tuple[CompiledRule, ...]) -> Engine:
    key = (name, compiled)
    with _lock:
        eng = _engines.get(key)
        if eng is None:
            eng = make_engine(name, compiled)
            if len(_engines) > 32:
                _engines.clear()
            _engines[key] = eng
    return eng


def case_facts(case: Case, plan: Plan) -> list[Fact]:
    return clocks_and_facts(case, plan.as_of, plan.params)[1]


#: Why a valid case can still not be computed: dates so near year 1 or 9999 that a deadline
#: would fall outside the calendar.
CALENDAR_EDGE = "a date is so near year 1 or 9999 that its deadlines fall outside the calendar"


def clocks_and_facts(case: Case, as_of: date, params: Mapping[str, int]) -> tuple[Clocks, list[Fact]]:
    """The clocks and facts of a checked case; calendar overflow is the case's error, not a crash."""
    try:
        clocks = compute_clocks(case, as_of, params)
        return clocks, build_facts(case, clocks)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, CaseValidationError) or not (
            isinstance(exc, OverflowError) or "out of range" in str(exc)
        ):
            raise
        raise CaseValidationError(case.case_id, [CaseError("", CALENDAR_EDGE)]) from None


def evaluate(
    case: Case | Mapping[str, Any] | str | bytes,
    as_of: date,
    *,
    rules: RulesArg = None,
    profile: ProfileArg = None,
    engine: EngineName = "auto",
) -> Report:
    """Evaluate one case on ``as_of``; raises ``CaseValidationError`` listing every problem."""
    if isinstance(as_of, datetime) or not isinstance(as_of, date):
        raise TypeError("as_of must be a datetime.date (for a datetime, pass its .date())")
    resolve_engine(engine)  # an unknown or unavailable engine is refused before any work
    catalogue = resolve_catalogue(rules, profile)
    plan = plan_for(catalogue, as_of)
    parsed, later = parse_at(case, as_of)
    prof = catalogue.parameters.profile
    if parsed.episode.removal_date > as_of:  # not in care yet as of as_of: nothing to check (R19)
        return Report(
            case_id=parsed.case_id,
            as_of=as_of,
            package_version=__version__,
            ruleset_version=catalogue.version,
            engine=engine,
            profile=prof.name if prof else None,
            findings=[],
            not_evaluable=[],
            deadlines=[],
            records_after_as_of=later,
        )
    clocks, facts = clocks_and_facts(parsed, as_of, plan.params)
    not_eval = plan.not_evaluable(facts[-1])
    matcher = plan.engine(engine)
    matches = matcher.match_case(facts)
    return Report(
        case_id=parsed.case_id,
        as_of=as_of,
        package_version=__version__,
        ruleset_version=catalogue.version,
        engine=matcher.name,
        profile=prof.name if prof else None,
        findings=plan.findings(matches, facts, parsed.case_id, {n.rule_id for n in not_eval}),
        not_evaluable=not_eval,
        deadlines=[DeadlineOut.of(d) for d in clocks.deadlines],
        records_after_as_of=later,
    )


def evaluate_json(
    case_json: str | bytes,
    as_of: date | str,
    *,
    rules: RulesArg = None,
    profile: ProfileArg = None,
    engine: EngineName = "auto",
) -> str:
    """JSON in, JSON out, for hosts that must never see an exception from bad case data.

    Returns ``{"ok": true, "report": {...}}`` or ``{"ok": false, "case_id": ..., "errors":
    [{"path": ..., "reason": ...}]}``. Errors in the rule catalogue itself still raise: they are
    a deployment fault, not a property of the case. ``as_of`` is a ``date`` or an ISO date string.
    """
    day = parse_as_of(as_of)
    try:
        report = evaluate(case_json, day, rules=rules, profile=profile, engine=engine)
    except CaseValidationError as exc:
        return json.dumps(
            {
                "ok": False,
                "case_id": exc.case_id,
                "errors": [{"path": e.path, "reason": e.reason} for e in exc.errors],
            }
        )
    return '{"ok":true,"report":' + report.model_dump_json() + "}"


def parse_as_of(value: date | str) -> date:
    """A ``date`` from a ``date`` or a ``YYYY-MM-DD`` string (a datetime is refused: it hides a time)."""
    if isinstance(value, datetime):
        raise TypeError("as_of must be a date, not a datetime")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError("as_of must be a datetime.date or an ISO date string YYYY-MM-DD")
    if len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("as_of must be an ISO date YYYY-MM-DD")
