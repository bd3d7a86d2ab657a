"""The durable-rules backend: compile the rule IR to rulesets and evaluate one case safely.

durable-rules 2.0.28 has engine bugs that ordinary rules reach (see docs/engines.md). This module
is the only code that talks to the engine, and every rule passes through ``_compile`` which
applies the known-safe shape:

* every rule opens with a gate clause on the case fact, and the case fact is asserted last, so
  absence (``$not``) does not depend on fact order;
* every clause tests the type field ``t`` (the engine asserts a state fact of its own);
* ``$or`` (from ``in``) comes last in a clause, and a clause has at most one; joins are
  equalities only (the loader rejects the rest);
* each ruleset has a sentinel rule that fires for every case, because ``delete_state`` on a
  case with no activations frees uninitialised memory;
* rulesets hold at most ``PARTITION`` rules, below the 64-rules-per-fact stack limit;
* one case per engine state, asserted in one batch, deleted in ``finally``; the JSON payload is
  kept alive until then (the engine keeps pointers into it); calls are serialised by a lock.
"""

from __future__ import annotations

import itertools
import json
import threading
import weakref
from collections.abc import Sequence
from typing import Any

import durable_rules_engine as dre

from ..language.ir import CASE_ALIAS, Clause, Literal, Op, Ref, Test
from .base import CompiledRule, Fact, Match

PARTITION = 50
SENTINEL = "_sentinel"
_GATE = "_k"
_names = itertools.count()

_INEQ = {Op.NE: "$neq", Op.LT: "$lt", Op.LE: "$lte", Op.GT: "$gt", Op.GE: "$gte"}


def _test(t: Test) -> list[dict[str, Any]]:
    o = t.operand
    if t.op == Op.EXISTS:
        return [{"$ex": {t.field: 1}}]
    if t.op == Op.MISSING:
        return [{"$nex": {t.field: 1}}]
    if isinstance(o, Ref):
        return [{t.field: {o.alias: o.field}}]
    assert isinstance(o, Literal), "parameters must be bound before compiling"
    v = o.value
    if t.op == Op.EQ:
        return [{t.field: v}]
    if t.op in _INEQ:
        return [{_INEQ[t.op]: {t.field: v}}]
    values = v if isinstance(v, tuple) else (v,)
    if t.op == Op.IN:
        if len(values) == 1:
            return [{t.field: values[0]}]
        return [{"$or": [{t.field: x} for x in values]}]
    # NOT_IN: every value differs (false when the field is missing, like every comparison)
    return [{"$neq": {t.field: x}} for x in values]


def _expr(fact_type: str, tests: Sequence[Test]) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [{"t": fact_type}]
    ors: list[dict[str, Any]] = []
    for t in tests:
        for e in _test(t):
            (ors if "$or" in e else parts).append(e)
    if len(ors) > 1:
        raise ValueError("at most one multi-value 'in' test per clause (engine skips later $or groups)")
    parts.extend(ors)
    return parts[0] if len(parts) == 1 else {"$and": parts}


def _alias(c: Clause, i: int) -> str:
    return f"{c.alias}" if c.alias else f"x{i}$not"


def _compile(rule: CompiledRule) -> dict[str, Any]:
    cond = rule.condition
    clauses: list[dict[str, Any]] = [{CASE_ALIAS: _expr("case", cond.case_tests)}]
    for i, c in enumerate(cond.clauses):
        clauses.append({_alias(c, i): _expr(c.fact, c.tests)})
    return {"all": clauses}


def compile_rulesets(rules: Sequence[CompiledRule]) -> list[dict[str, Any]]:
    """Engine definitions, partitioned, each with its sentinel."""
    out = []
    for start in range(0, max(len(rules), 1), PARTITION):
        part = {r.rule_id: _compile(r) for r in rules[start : start + PARTITION]}
        part[SENTINEL] = {"all": [{_GATE: {"t": "case"}}]}
        out.append(part)
    return out


def _referenced_fields(rules: Sequence[CompiledRule]) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = {}
    for r in rules:
        out.setdefault("case", set()).update(t.field for t in r.condition.case_tests)
        aliases = r.condition.aliases()
        for c in r.condition.clauses:
            out.setdefault(c.fact, set()).update(t.field for t in c.tests)
            for t in c.tests:
                if isinstance(t.operand, Ref):
                    out.setdefault(aliases[t.operand.alias], set()).add(t.operand.field)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _admission(rules: Sequence[CompiledRule]) -> dict[str, tuple[tuple[str, frozenset[Any]], ...]]:
    """Per fact type: (field, values) where every clause on the type tests field == or in
    some of these values (the union over clauses)."""
    clauses: dict[str, list[Clause]] = {}
    for r in rules:
        for c in r.condition.clauses:
            clauses.setdefault(c.fact, []).append(c)
    out: dict[str, tuple[tuple[str, frozenset[Any]], ...]] = {}
    for fact_type, cs in clauses.items():
        by_field: dict[str, set[Any]] = {}
        for i, c in enumerate(cs):
            here: dict[str, set[Any]] = {}
            for t in c.tests:
                if t.op in (Op.EQ, Op.IN) and isinstance(t.operand, Literal):
                    v = t.operand.value
                    here.setdefault(t.field, set()).update(v if isinstance(v, tuple) else (v,))
            by_field = here if i == 0 else {f: by_field[f] | here[f] for f in by_field.keys() & here.keys()}
        out[fact_type] = tuple((f, frozenset(v)) for f, v in sorted(by_field.items()))
    return out


class DurableEngine:
    """Evaluates one case at a time; thread-safe; leaves no engine state behind."""

    name = "durable"

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.definitions = compile_rulesets(rules)
        self._aliases = {r.rule_id: [c.alias for c in r.condition.clauses if c.alias] for r in rules}
        # the engine only sees the fields some rule tests: smaller payloads, same answers
        self._keep = _referenced_fields(rules)
        self._admit = _admission(rules)
        self._handles = []
        for d in self.definitions:
            h = dre.create_ruleset(f"permanency_{next(_names)}", json.dumps(d))
            self._handles.append(h)
            weakref.finalize(self, dre.delete_ruleset, h)
        self._lock = threading.Lock()
        self._sids = itertools.count(1)

    def _admits(self, fact: Fact) -> bool:
        """False for a fact no clause can see: a field every clause on its type requires to be
        one of a few values holds none of them. Such a fact can neither be bound nor break an
        absence, so leaving it out changes no match; it spares the engine most deadlines."""
        return all(fact.get(field) in allowed for field, allowed in self._admit.get(fact["t"], ()))

    def _slim(self, fact: Fact, sid: str) -> Fact:
        keep = self._keep.get(fact["t"], ())
        out = {k: fact[k] for k in keep if k in fact}
        out.update(id=fact["id"], t=fact["t"], sid=sid)
        return out

    def match_case(self, facts: Sequence[Fact]) -> list[Match]:
        ids = [f["id"] for f in facts]
        if len(set(ids)) != len(ids):
            raise ValueError("fact ids must be unique within a case")
        if not facts or facts[-1].get("t") != "case":
            raise ValueError("the case fact must come last")
        found: set[Match] = set()
        with self._lock:
            for handle in self._handles:
                sid = str(next(self._sids))
                payload = json.dumps([self._slim(f, sid) for f in facts if self._admits(f)])
                _code, state = dre.assert_facts(handle, payload)
                try:
                    r = dre.start_action_for_state(handle, state)
                    msg = r[1] if r else None
                    while msg:
                        for rule_id, frames in json.loads(msg).items():
                            if rule_id == SENTINEL:
                                continue
                            for frame in frames if isinstance(frames, list) else [frames]:
                                binding = tuple((a, frame[a]["id"]) for a in self._aliases[rule_id])
                                found.add(Match(rule_id, binding))
                        msg = dre.complete_and_start_action(handle, state)
                finally:
                    dre.delete_state(handle, sid)
                del payload
        return sorted(found)
