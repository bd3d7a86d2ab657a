"""The built-in matcher must agree with the pandas engine everywhere and with durable-rules
wherever durable-rules imports: on every rule example, every fixture, and generated cases,
match by match (the same rule, the same bound facts)."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanency_rules import evaluate
from permanency_rules.engines.base import CompiledRule
from permanency_rules.engines.builtin import BuiltinEngine
from permanency_rules.engines.choice import durable_available, resolve_engine
from permanency_rules.evaluation import case_facts, plan_for, resolve_catalogue
from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.language.ir import Clause, Condition, Literal, Op, Ref
from permanency_rules.language.ir import Test as IrTest
from permanency_rules.model.errors import CaseValidationError
from permanency_rules.model.io import load_case_document, parse_and_check
from permanency_rules.synth import synth_case
from tests.conftest import ROOT, load_yaml

AS_OF = date(2026, 11, 1)
CATALOGUE = load_catalogue()
EXAMPLES = [p for r in CATALOGUE.rules for p in r.examples]
FIXTURES = sorted((ROOT / "fixtures" / "cases").glob("*.yaml"))
#: The engines the built-in one is held to here: pandas always, durable-rules where it imports.
OTHERS = ("pandas", "durable") if durable_available() else ("pandas",)


def _matches(case: object, as_of: date, profile: str | None = None) -> dict[str, list]:
    plan = plan_for(resolve_catalogue(None, profile), as_of)
    facts = case_facts(parse_and_check(case, as_of), plan)  # type: ignore[arg-type]
    return {e: plan.engine(e).match_case(facts) for e in ("builtin", *OTHERS)}  # type: ignore[arg-type]


def _agree(got: dict[str, list]) -> int:
    for other in OTHERS:
        assert got["builtin"] == got[other], f"builtin differs from {other}"
    return len(got["builtin"])


def test_auto_picks_durable_where_it_imports() -> None:
    assert resolve_engine("auto") == ("durable" if durable_available() else "builtin")
    case, doc = load_case_document(FIXTURES[1])
    assert evaluate(case, doc["as_of"]).engine == resolve_engine("auto")
    assert evaluate(case, doc["as_of"], engine="builtin").engine == "builtin"


@pytest.mark.parametrize("path", EXAMPLES, ids=[f"{p.parent.parent.name}/{p.stem}" for p in EXAMPLES])
def test_rule_examples_agree(path: Path) -> None:
    doc = load_yaml(path)
    _agree(_matches(doc["case"], doc["as_of"], doc.get("profile")))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixtures_agree_finding_for_finding(path: Path) -> None:
    case, doc = load_case_document(path)
    reports = {
        e: evaluate(case, doc["as_of"], engine=e, profile=doc.get("profile"))  # type: ignore[arg-type]
        for e in ("builtin", *OTHERS)
    }
    for other in OTHERS:
        assert [f.model_dump() for f in reports["builtin"].findings] == [
            f.model_dump() for f in reports[other].findings
        ]


def test_generated_cases_agree() -> None:
    total = checked = 0
    for seed in range(600):
        as_of = date.fromordinal(AS_OF.toordinal() + (seed * 37) % 500 - 100)
        try:
            total += _agree(_matches(synth_case(random.Random(seed), seed, AS_OF), as_of))
        except CaseValidationError:
            continue  # an earlier as_of makes some generated dates the future
        checked += 1
    assert checked > 400 and total > 1000


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), days=st.integers(0, 400))
def test_hypothesis_cases_agree(seed: int, days: int) -> None:
    as_of = date.fromordinal(AS_OF.toordinal() + days)
    _agree(_matches(synth_case(random.Random(seed), seed, AS_OF), as_of))


def _rule(*clauses: Clause, case_tests: tuple[IrTest, ...] = ()) -> list[CompiledRule]:
    return [CompiledRule("R", Condition(case_tests, clauses))]


CASE = {"id": "case", "t": "case", "age": 5}


def test_missing_fields_fail_every_comparison() -> None:
    facts = [{"id": "g:1", "t": "goal"}, {"id": "g:2", "t": "goal", "kind": "x"}, CASE]
    for op in (Op.EQ, Op.NE, Op.NOT_IN, Op.LT):
        value: object = ("y",) if op == Op.NOT_IN else (9 if op == Op.LT else "y")
        eng = BuiltinEngine(_rule(Clause("goal", (IrTest("kind", op, Literal(value)),), alias="g")))  # type: ignore[arg-type]
        got = {b for m in eng.match_case(facts) for _a, b in m.binding}
        assert "g:1" not in got, op


def test_joins_and_absence() -> None:
    facts = [
        {"id": "n:1", "t": "need", "who": "mother"},
        {"id": "n:2", "t": "need", "who": "father"},
        {"id": "n:3", "t": "need"},
        {"id": "s:1", "t": "service", "need": "n:1"},
        {"id": "s:2", "t": "service", "need": "n:1"},
        CASE,
    ]
    no_service = Clause("service", (IrTest("need", Op.EQ, Ref("n", "id")),), absent=True)
    eng = BuiltinEngine(_rule(Clause("need", (), alias="n"), no_service))
    assert [m.binding for m in eng.match_case(facts)] == [(("n", "n:2"),), (("n", "n:3"),)]
    # a join on a missing bound value holds for no fact: the row is dropped, even under absence
    by_who = Clause("service", (IrTest("need", Op.EQ, Ref("n", "who")),), absent=True)
    eng = BuiltinEngine(_rule(Clause("need", (), alias="n"), by_who))
    assert [m.binding for m in eng.match_case(facts)] == [(("n", "n:1"),), (("n", "n:2"),)]
    both = Clause("service", (IrTest("need", Op.EQ, Ref("n", "id")),), alias="s")
    eng = BuiltinEngine(_rule(Clause("need", (), alias="n"), both))
    assert [m.binding for m in eng.match_case(facts)] == [
        (("n", "n:1"), ("s", "s:1")),
        (("n", "n:1"), ("s", "s:2")),
    ]
    case_gate = BuiltinEngine(_rule(case_tests=(IrTest("age", Op.GE, Literal(6)),)))
    assert case_gate.match_case(facts) == []
    assert [
        m.rule_id
        for m in BuiltinEngine(_rule(case_tests=(IrTest("age", Op.LT, Literal(6)),))).match_case(facts)
    ] == ["R"]


def test_case_fact_must_come_last() -> None:
    with pytest.raises(ValueError, match="last"):
        BuiltinEngine(_rule()).match_case([CASE, {"id": "g:1", "t": "goal"}])
