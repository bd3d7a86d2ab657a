"""The built-in backend: the rule IR matched in plain Python, for one case at a time.

It needs no C extension, so it runs wherever Python does (durable-rules 2.0.28 does not import
on Python 3.13). Each rule compiles to a list of steps over the IR, never to code: the case
tests, then per clause a filter on its literal tests, its equality joins to facts bound earlier,
and whether it binds a fact or requires that none passes. Semantics are those of the other two
engines (``language/ir.py``): a comparison with a missing field is false, a join whose bound
value is missing holds for no fact (so an ``absent`` clause on it fails, as in pandas), and a
rule flags once per distinct combination of bound facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..language.ir import CASE_ALIAS, Clause, Ref, Test, holds
from .base import Binding, CompiledRule, Fact, Match


@dataclass(frozen=True)
class _Step:
    fact_type: str
    tests: tuple[Test, ...]  # literal tests (parameters are bound before compiling)
    joins: tuple[tuple[str, str, str], ...]  # (own field, bound alias, its field)
    alias: str | None  # None for an absent clause

    @classmethod
    def of(cls, c: Clause) -> _Step:
        joins = tuple(
            (t.field, t.operand.alias, t.operand.field) for t in c.tests if isinstance(t.operand, Ref)
        )
        tests = tuple(t for t in c.tests if not isinstance(t.operand, Ref))
        return cls(c.fact, tests, joins, None if c.absent else c.alias)


@dataclass(frozen=True)
class _Rule:
    rule_id: str
    case_tests: tuple[Test, ...]
    steps: tuple[_Step, ...]


class BuiltinEngine:
    """Evaluates one case at a time in pure Python; stateless, so safe from any thread."""

    name = "builtin"

    def __init__(self, rules: Sequence[CompiledRule]) -> None:
        self.rules = tuple(
            _Rule(
                r.rule_id,
                tuple(t for t in r.condition.case_tests if not isinstance(t.operand, Ref)),
                tuple(_Step.of(c) for c in r.condition.clauses),
            )
            for r in rules
        )

    def match_case(self, facts: Sequence[Fact]) -> list[Match]:
        if not facts or facts[-1].get("t") != "case":
            raise ValueError("the case fact must come last")
        case = facts[-1]
        by_type: dict[str, list[Fact]] = {}
        for f in facts[:-1]:
            by_type.setdefault(f["t"], []).append(f)
        passing: dict[tuple[str, tuple[Test, ...]], list[Fact]] = {}  # clauses shared across rules

        def candidates(step: _Step) -> list[Fact]:
            key = (step.fact_type, step.tests)
            hit = passing.get(key)
            if hit is None:
                pool = by_type.get(step.fact_type, [])
                hit = passing[key] = [f for f in pool if all(holds(t, f) for t in step.tests)]
            return hit

        found: set[Match] = set()
        for rule in self.rules:
            if not all(holds(t, case) for t in rule.case_tests):
                continue
            rows: list[dict[str, Fact]] = [{CASE_ALIAS: case}]
            for step in rule.steps:
                rows = _advance(rows, step, candidates(step))
                if not rows:
                    break
            for row in rows:
                binding: Binding = tuple((a, f["id"]) for a, f in row.items() if a != CASE_ALIAS)
                found.add(Match(rule.rule_id, binding))
        return sorted(found)


def _advance(rows: list[dict[str, Fact]], step: _Step, pool: list[Fact]) -> list[dict[str, Fact]]:
    out: list[dict[str, Fact]] = []
    for row in rows:
        wanted = [(own, row[alias].get(field)) for own, alias, field in step.joins]
        if any(v is None for _own, v in wanted):
            continue  # a join on a missing value holds for no fact, and the row is dropped
        hits = [f for f in pool if all(own in f and f[own] == v for own, v in wanted)]
        if step.alias is None:
            if not hits:
                out.append(row)
        else:
            out.extend({**row, step.alias: f} for f in hits)
    return out
