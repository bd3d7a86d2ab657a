"""The durable-rules engine used safely: no crash, no state left, order-independent, thread-safe."""

from __future__ import annotations

import random
import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from permanency_rules import evaluate
from permanency_rules.evaluation import case_facts, plan_for, resolve_catalogue
from permanency_rules.model.io import parse_and_check
from permanency_rules.synth import synth_case
from tests.conftest import PER_CASE_ENGINES, reorder

AS_OF = date(2026, 11, 1)


def _case(seed: int) -> dict:
    return synth_case(random.Random(seed), seed, AS_OF)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), shuffle=st.integers(0, 1000), days=st.integers(0, 400))
def test_fuzz_generated_cases(seed: int, shuffle: int, days: int) -> None:
    """Thousands of generated cases: no crash, and list order never changes a finding."""
    case = _case(seed)
    as_of = date.fromordinal(AS_OF.toordinal() + days)
    first = evaluate(case, as_of)
    again = evaluate(reorder(case, "shuffle", shuffle), as_of)
    assert [f.finding_id for f in first.findings] == [f.finding_id for f in again.findings]
    assert first.deadlines == again.deadlines


@pytest.mark.parametrize("name", PER_CASE_ENGINES)
def test_no_engine_state_left_behind(name: str) -> None:
    """The engine allows 1,024 live states per ruleset; 1,500 evaluations must all succeed."""
    plan = plan_for(resolve_catalogue(), AS_OF)
    engine = plan.engine(name)  # type: ignore[arg-type]
    facts = case_facts(parse_and_check(_case(1), AS_OF), plan)
    results = {tuple(engine.match_case(facts)) for _ in range(1500)}
    assert len(results) == 1


def test_case_with_no_findings_does_not_crash() -> None:
    """delete_state on a case with no activations crashes unless a sentinel rule fires."""
    case = {
        "case_id": "quiet",
        "child": {"birth_date": "2020-01-01"},
        "episode": {"removal_date": "2026-10-25"},
    }
    for _ in range(50):
        report = evaluate(case, AS_OF, rules=["PR-SG-001"])
        assert report.findings == []


def test_threads_give_the_same_answers() -> None:
    cases = [_case(s) for s in range(120)]
    expected = [[f.finding_id for f in evaluate(c, AS_OF).findings] for c in cases]
    got: dict[int, list[list[str]]] = {}

    def work(k: int) -> None:
        got[k] = [[f.finding_id for f in evaluate(c, AS_OF).findings] for c in cases]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(got[k] == expected for k in range(4))
    assert sum(len(x) for x in expected) > 0
