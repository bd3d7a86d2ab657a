"""Legacy AFCARS records: mapped to cases; rules AFCARS cannot inform are not evaluable, not flagged."""

from __future__ import annotations

from datetime import date

from permanency_rules.caseload import check_caseload
from tests.conftest import ROOT

SAMPLE = ROOT / "fixtures" / "afcars" / "sample_fc.csv"


def test_afcars_sample() -> None:
    r = check_caseload(SAMPLE, date(2026, 11, 1))
    assert r.totals == {"cases_in": 3, "cases_checked": 2, "cases_rejected": 1, "findings": 4}
    got = sorted(zip(r.findings["case_id"], r.findings["rule_id"], strict=True))
    # A1: 14-year-old with long-term foster care as the goal; A2: reunification after both TPRs
    assert got == [("A1", "PR-LT-001"), ("A1", "PR-OT-002"), ("A2", "PR-OT-002"), ("A2", "PR-UG-001")]
    # CURPLSET 9 is not an AFCARS code: that record is rejected, naming the field
    rejected = r.cases.set_index("case_id").loc["A3"]
    assert rejected["status"] == "rejected" and "placements[0].setting" in rejected["errors"]
    blind = {x["rule_id"] for x in r.run_not_evaluable}
    assert {"PR-OT-001", "PR-OT-003", "PR-SG-001", "PR-EN-001"} <= blind  # no plans, hearings, services
    assert "PR-LT-001" not in blind and "PR-UG-001" not in blind
