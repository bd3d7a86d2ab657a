"""The synthetic caseload: valid, seeded, and its planted problems show up in the findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.model.io import parse_and_check
from permanency_rules.synth import PLANTED, synth_afcars, synth_cases

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


def test_synthetic_afcars_file_plants_are_all_found(tmp_path: Path) -> None:
    out = tmp_path / "FC2026v1.tab"
    res = CliRunner().invoke(app, ["synth", "--format", "afcars", "--cases", "1500", "--out", str(out)])
    assert res.exit_code == 0, res.output
    records, plants = synth_afcars(1500, AS_OF, seed=0)
    assert len(plants) > 50
    r = check_caseload(out, AS_OF)
    assert r.totals["cases_in"] == 1500 == r.totals["cases_checked"] + r.totals["cases_rejected"]
    assert r.cases["findings"].sum() == len(r.findings)
    dq = r.findings[r.findings["rule_id"] == "DQ-AFCARS"]
    found = set(zip(dq["case_id"], dq["message"].str.extract(r"element (\w+) ")[0], strict=True))
    assert set(zip(plants["RECNUMBR"], plants["element"], strict=True)) == found
    open_ = set(records.loc[records["DODFCDT"] == "", "RECNUMBR"])
    goals_99 = set(plants.loc[plants["element"] == "CASEGOAL", "RECNUMBR"]) & open_
    flagged = set(r.findings.loc[r.findings["rule_id"] == "PR-MG-001", "case_id"])
    assert goals_99 and goals_99 <= flagged  # a missing goal on an open case is still a missing goal
