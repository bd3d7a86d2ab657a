"""The synthetic caseload: valid, seeded, and its planted problems show up in the findings."""

from __future__ import annotations

from datetime import date

from permanency_rules.caseload import check_caseload
from permanency_rules.model.io import parse_and_check
from permanency_rules.synth import PLANTED, synth_cases

AS_OF = date(2026, 11, 1)


def test_generated_cases_are_valid_and_seeded() -> None:
    a = list(synth_cases(2000, AS_OF, seed=8))
    for case in a:
        parse_and_check(case, AS_OF)
    assert a == list(synth_cases(2000, AS_OF, seed=8))
    assert a != list(synth_cases(2000, AS_OF, seed=9))


def test_planted_problems_are_found_at_least_at_their_rates() -> None:
    n = 3000
    result = check_caseload(list(synth_cases(n, AS_OF, seed=13)), AS_OF)
    flagged = result.findings.groupby("rule_id")["case_id"].nunique()
    # a planted problem may also arise on its own, so the found share is at least ~ the rate
    for rule_id, plant in [
        ("PR-LT-001", "ltfc_under_16"),
        ("PR-UG-001", "reunification_after_tpr"),
        ("PR-SG-001", "need_without_service"),
        ("PR-OT-006", "no_caseworker_visit"),
    ]:
        share = flagged.get(rule_id, 0) / n
        assert share >= 0.5 * PLANTED[plant], (rule_id, share, PLANTED[plant])
