"""Why (not)? Walk one rule's typed condition over one case's facts and record every test.

Trainers ask why a rule did not fire, or how close it came. This module answers from the same
typed rule form (``language.ir``) and the same facts the engines match, with the engines'
semantics (a comparison with a missing field is false; a positive clause binds one fact; an
``absent`` clause holds when no fact passes its tests; exceptions excuse the case). The matches
it finds are the engines' matches: ``tests/test_whynot.py`` checks finding ids over every rule
example, on both engines.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .engines.base import Binding, Fact
from .evaluation import ProfileArg, RulesArg, case_facts, plan_for, resolve_catalogue
from .language import precedence
from .language.ir import CASE_ALIAS, Clause, Literal, Param, Ref, Test, holds
from .language.rule import Rule
from .model.case import Case
from .model.io import parse_and_check
from .outputs.findings import finding_id, render_value

#: How many candidate facts per clause the text shows (the JSON keeps them all).
SHOWN = 8


@dataclass(frozen=True)
class TestResult:
    text: str  # the test as written in the rule, parameters bound
    field: str
    actual: Any  # the fact's value, or None when the fact lacks the field
    expected: Any  # the value compared with (a parameter's value, a joined fact's value)
    held: bool
    present: bool = True  # the fact has the field

    def line(self, fact_type: str) -> str:
        mark = "held  " if self.held else "FAILED"
        shown = render_value(fact_type, self.field, self.actual) if self.present else "missing"
        return f"{mark} {self.text}  ({self.field} = {shown})"


@dataclass(frozen=True)
class FactCheck:
    fact_id: str
    tests: tuple[TestResult, ...]

    @property
    def passed(self) -> bool:
        return all(t.held for t in self.tests)


@dataclass(frozen=True)
class ClauseTrace:
    """One clause, tried under one binding of the clauses before it."""

    index: int
    fact: str
    alias: str | None
    absent: bool
    context: Binding  # the aliases bound before this clause (fact ids)
    candidates: tuple[FactCheck, ...]

    @property
    def passing(self) -> tuple[FactCheck, ...]:
        return tuple(c for c in self.candidates if c.passed)


@dataclass(frozen=True)
class ExceptionCheck:
    id: str
    description: str
    test: TestResult  # the exception applies (excuses the case) when this holds


@dataclass
class WhyNot:
    rule_id: str
    title: str
    case_id: str
    as_of: date
    in_force: bool
    missing: list[str] = field(default_factory=list)  # not evaluable without these case fields
    case_tests: list[TestResult] = field(default_factory=list)
    exceptions: list[ExceptionCheck] = field(default_factory=list)
    clauses: list[ClauseTrace] = field(default_factory=list)
    matches: list[Binding] = field(default_factory=list)
    finding_ids: list[str] = field(default_factory=list)
    #: Matches dropped because another rule already reports the same record (``suppressed_by``),
    #: with the rules that did: one underlying fact, one finding.
    suppressed: list[tuple[Binding, tuple[str, ...]]] = field(default_factory=list)

    @property
    def flags(self) -> bool:
        return bool(self.matches)

    def verdict(self) -> str:
        if not self.in_force:
            return "not in force on this date (draft, retired, or outside its effective dates)"
        if self.missing:
            return f"not evaluable: the case lacks {', '.join(self.missing)}"
        if self.flags:
            return f"flags ({len(self.matches)} finding{'s' if len(self.matches) != 1 else ''})"
        if self.suppressed:
            by = sorted({r for _, rs in self.suppressed for r in rs})
            return f"does not flag: it would, but {', '.join(by)} already reports the same record"
        return "does not flag"

    def text(self) -> str:
        """The trace as a trainer reads it."""
        out = [f"{self.rule_id} — {self.title}", f"case {self.case_id} as of {self.as_of}: {self.verdict()}"]
        if not self.in_force:
            return "\n".join(out)
        out.append("the case:")
        out += [f"  {t.line('case')}" for t in self.case_tests] or ["  (no case tests)"]
        for e in self.exceptions:
            state = "APPLIES — prevents the flag" if e.test.held else "does not apply"
            shown = render_value("case", e.test.field, e.test.actual) if e.test.present else "missing"
            out.append(f"exception {e.id} {state}: {e.test.text}  ({e.test.field} = {shown})")
        if not all(t.held for t in self.case_tests) or any(e.test.held for e in self.exceptions):
            if self.clauses:
                out.append("(the fact clauses were not needed: the case itself does not qualify)")
            return "\n".join(out)
        for tr in self.clauses:
            ctx = ", ".join(f"{a} = {fid}" for a, fid in tr.context)
            head = f"clause {tr.index + 1}: " + (
                f"no {tr.fact} that passes its tests" if tr.absent else f"a {tr.fact} bound as {tr.alias}"
            )
            out.append(head + (f", given {ctx}" if ctx else ""))
            if not tr.candidates:
                out.append(f"  the case has no {tr.fact} facts")
            for c in tr.candidates[:SHOWN]:
                if tr.absent and c.passed:
                    verdict = "PREVENTS the flag (passes every test)"
                elif tr.absent:
                    verdict = "does not count"
                else:
                    verdict = "matches" if c.passed else "does not match"
                out.append(f"  {c.fact_id}: {verdict}")
                out += [f"      {t.line(tr.fact)}" for t in c.tests]
            if len(tr.candidates) > SHOWN:
                out.append(f"  ... and {len(tr.candidates) - SHOWN} more {tr.fact} facts")
        for binding, by in self.suppressed:
            shown = ", ".join(f"{a} = {fid}" for a, fid in binding) or "the case"
            out.append(f"suppressed: the match on {shown} is left to {', '.join(by)} (one fact, one finding)")
        return "\n".join(out)


def _operand_value(t: Test, bound: Mapping[str, Fact], params: Mapping[str, int]) -> tuple[Any, bool]:
    """The value a test compares with, and whether it is known."""
    o = t.operand
    if isinstance(o, Param):
        return params[o.name], True
    if isinstance(o, Ref):
        other = bound.get(o.alias)
        if other is None or o.field not in other:
            return None, False
        return other[o.field], True
    if isinstance(o, Literal):
        return o.value, True
    return None, True


def check_test(t: Test, fact: Fact, bound: Mapping[str, Fact], params: Mapping[str, int]) -> TestResult:
    """One test on one fact, with the engines' semantics, and the values it compared."""
    expected, known = _operand_value(t, bound, params)
    literal = t if t.operand is None else Test(t.field, t.op, Literal(expected), t.line)
    held = known and holds(literal, fact)
    text = literal.text() if isinstance(t.operand, Param) else t.text()
    return TestResult(text, t.field, fact.get(t.field), expected, held, t.field in fact)


def _check(fact: Fact, clause: Clause, bound: Mapping[str, Fact], params: Mapping[str, int]) -> FactCheck:
    return FactCheck(str(fact["id"]), tuple(check_test(t, fact, bound, params) for t in clause.tests))


def explain_rule(
    rule: Rule, facts: list[Fact], case_id: str, as_of: date, params: Mapping[str, int], missing: list[str]
) -> WhyNot:
    """The full trace of ``rule`` over one case's ``facts`` (the case fact is the last)."""
    case_fact = facts[-1]
    out = WhyNot(rule.id, rule.spec.title, case_id, as_of, rule.in_force(as_of), list(missing))
    if not out.in_force:
        return out
    bound_case = {CASE_ALIAS: case_fact}
    out.case_tests = [check_test(t, case_fact, bound_case, params) for t in rule.condition.case_tests]
    out.exceptions = [
        ExceptionCheck(
            e.spec.id, " ".join(e.spec.description.split()), check_test(e.test, case_fact, {}, params)
        )
        for e in rule.exceptions
    ]
    by_type: dict[str, list[Fact]] = {}
    for f in facts[:-1]:
        by_type.setdefault(str(f["t"]), []).append(f)
    clauses = rule.condition.clauses

    def search(i: int, bound: dict[str, Fact]) -> Iterator[dict[str, Fact]]:
        if i == len(clauses):
            yield bound
            return
        c = clauses[i]
        context = tuple((a, str(f["id"])) for a, f in bound.items() if a != CASE_ALIAS)
        checks = tuple(_check(f, c, bound, params) for f in by_type.get(c.fact, []))
        out.clauses.append(ClauseTrace(i, c.fact, c.alias, c.absent, context, checks))
        if c.absent:
            if not any(ch.passed for ch in checks):
                yield from search(i + 1, bound)
            return
        for f, ch in zip(by_type.get(c.fact, []), checks, strict=True):
            if ch.passed and c.alias:
                yield from search(i + 1, {**bound, c.alias: f})

    qualifies = all(t.held for t in out.case_tests) and not any(e.test.held for e in out.exceptions)
    if qualifies and not missing:
        aliases = [c.alias for c in clauses if c.alias]
        seen: dict[Binding, None] = {}
        for b in search(0, dict(bound_case)):
            seen.setdefault(tuple((a, str(b[a]["id"])) for a in aliases), None)
        out.matches = list(seen)
        out.finding_ids = sorted(finding_id(rule.id, rule.spec.version, case_id, m) for m in out.matches)
    return out


def why_not(
    rule_id: str,
    case: Case | Mapping[str, Any] | str | bytes,
    as_of: date,
    *,
    rules: RulesArg = None,
    profile: ProfileArg = None,
) -> WhyNot:
    """Which tests of ``rule_id`` held and failed for ``case`` on ``as_of``, and why."""
    cat = resolve_catalogue(rules, profile)
    rule = cat.rule(rule_id)
    plan = plan_for(cat, as_of)
    parsed = parse_and_check(case, as_of)
    facts = case_facts(parsed, plan)
    blocked = {n.rule_id: list(n.missing) for n in plan.not_evaluable(facts[-1])}
    out = explain_rule(rule, facts, parsed.case_id, as_of, plan.params, blocked.get(rule_id, []))
    suppressors = plan.suppressed_by.get(rule_id, ())
    if out.matches and suppressors:
        _suppress(out, rule, suppressors, cat, facts, plan.params, blocked)
    return out


def _suppress(
    out: WhyNot,
    rule: Rule,
    suppressors: tuple[str, ...],
    cat: Any,
    facts: list[Fact],
    params: Mapping[str, int],
    blocked: Mapping[str, list[str]],
) -> None:
    """Move the matches another rule makes redundant to ``out.suppressed``, as ``Plan.visible``
    does for the engines (``language.precedence``: their matches as found, before suppression)."""

    def keyed(matches: list[Binding]) -> list[precedence.Keyed]:
        return [(0, tuple(fid for _, fid in m)) for m in matches]

    theirs = {
        s: explain_rule(cat.rule(s), facts, out.case_id, out.as_of, params, blocked.get(s, [])).matches
        for s in suppressors
    }
    mine = keyed(out.matches)
    drop = precedence.hidden(
        {rule.id: suppressors}, {rule.id: mine, **{s: keyed(m) for s, m in theirs.items()}}
    )
    if not drop:
        return
    for pos in drop[rule.id]:
        by = tuple(
            s
            for s, ms in theirs.items()
            if precedence.hidden({rule.id: (s,)}, {rule.id: [mine[pos]], s: keyed(ms)})
        )
        out.suppressed.append((out.matches[pos], by))
    drop_set = set(drop[rule.id])
    out.matches = [m for i, m in enumerate(out.matches) if i not in drop_set]
    out.finding_ids = sorted(finding_id(rule.id, rule.spec.version, out.case_id, m) for m in out.matches)
