"""Why-not agrees with the engines: over every rule example, for every rule in force, the
matches it finds walking the typed rule form are exactly the engines' matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from permanency_rules.evaluation import case_facts, plan_for
from permanency_rules.language.catalogue import load_catalogue
from permanency_rules.model.io import load_case_document, parse_and_check
from permanency_rules.whynot import explain_rule, why_not
from tests.conftest import PER_CASE_ENGINES, ROOT, load_yaml

CATALOGUE = load_catalogue()
EXAMPLES = [(r.id, p) for r in CATALOGUE.rules for p in r.examples]


@pytest.mark.parametrize(("rule_id", "path"), EXAMPLES, ids=[f"{r}/{Path(p).stem}" for r, p in EXAMPLES])
def test_why_not_finds_the_engines_matches(rule_id: str, path: Path) -> None:
    doc = load_yaml(path)
    cat = CATALOGUE.with_profile(doc.get("profile"))
    plan = plan_for(cat, doc["as_of"])
    case = parse_and_check(doc["case"], doc["as_of"])
    facts = case_facts(case, plan)
    missing = {n.rule_id: n.missing for n in plan.not_evaluable(facts[-1])}
    engine_matches = {
        name: {(m.rule_id, m.binding) for m in plan.engine(name).match_case(facts)}  # type: ignore[arg-type]
        for name in (*PER_CASE_ENGINES, "pandas")
    }
    for rule in plan.rules:
        trace = explain_rule(rule, facts, case.case_id, doc["as_of"], plan.params, missing.get(rule.id, []))
        if rule.id in missing:
            assert not trace.flags
            continue
        mine = {(rule.id, b) for b in trace.matches}
        for name, got in engine_matches.items():
            theirs = {m for m in got if m[0] == rule.id}
            assert mine == theirs, f"{rule.id} on {path.name} ({name}): why-not {mine} engine {theirs}"
    trace = why_not(rule_id, doc["case"], doc["as_of"], profile=doc.get("profile"))
    assert trace.flags == (doc["expect"] == "flag")


def test_failed_test_shows_the_values_compared() -> None:
    ex = ROOT / "rules" / "unrealistic_goal" / "PR-UG-003" / "examples" / "no_flag_eleven_months.yaml"
    doc = load_yaml(ex)
    trace = why_not("PR-UG-003", doc["case"], doc["as_of"])
    assert not trace.flags
    failed = [t for t in trace.case_tests if not t.held]
    assert [(t.field, t.actual, t.expected) for t in failed] == [("months_since_defc", 11, 12)]
    assert "FAILED months_since_defc >= 12  (months_since_defc = 11)" in trace.text()


def test_absence_names_the_fact_that_prevented_the_flag() -> None:
    ex = ROOT / "rules" / "service_gap" / "PR-SG-001" / "examples"
    path = next(p for p in sorted(ex.glob("no_flag*.yaml")) if load_yaml(p)["case"].get("services"))
    doc = load_yaml(path)
    trace = why_not("PR-SG-001", doc["case"], doc["as_of"])
    assert not trace.flags
    absent = [tr for tr in trace.clauses if tr.absent and tr.passing]
    assert absent, trace.text()
    assert "PREVENTS the flag" in trace.text()


def test_exception_is_named_when_it_excuses_the_case() -> None:
    case, doc = load_case_document(ROOT / "fixtures" / "cases" / "08_tpr_exception_relative_care.yaml")
    trace = why_not("PR-OT-005", case, doc["as_of"])
    assert not trace.flags
    assert any(e.test.held for e in trace.exceptions)
    assert "APPLIES — prevents the flag" in trace.text()


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures" / "cases").glob("*.yaml")), ids=lambda p: p.stem)
def test_why_not_on_every_fixture_agrees_with_its_findings(path: Path) -> None:
    case, doc = load_case_document(path)
    flagged = set(doc["expect"]["findings"])
    cat = CATALOGUE.with_profile(doc.get("profile"))
    for rule in cat.in_force(doc["as_of"]):
        trace = why_not(rule.id, case, doc["as_of"], rules=cat)
        assert trace.flags == (rule.id in flagged), trace.text()
        assert trace.text().startswith(rule.id)


def test_why_not_says_which_rule_speaks_for_a_suppressed_match() -> None:
    from permanency_rules import evaluate

    doc = load_yaml(
        ROOT / "rules" / "service_gap" / "PR-SG-004" / "examples" / "no_flag_no_service_at_all.yaml"
    )
    w = why_not("PR-SG-004", doc["case"], doc["as_of"])
    assert not w.flags and w.finding_ids == []
    assert [by for _, by in w.suppressed] == [("PR-SG-001",)]
    assert "PR-SG-001 already reports the same record" in w.verdict()
    assert "suppressed: the match on" in w.text()
    rules = [f.rule_id for f in evaluate(doc["case"], doc["as_of"]).findings]
    assert "PR-SG-001" in rules and "PR-SG-004" not in rules
