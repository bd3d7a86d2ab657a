"""The synthetic caseload: valid, seeded, and its planted problems show up in the findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from permanency_rules.caseload import check_caseload
from permanency_rules.cli import app
from permanency_rules.model.io import parse_and_check
from permanency_rules.synth import PLANT_RULES, PLANTS, synth_afcars, synth_caseload, synth_cases

AS_OF = date(2026, 11, 1)


def test_generated_cases_are_valid_and_seeded() -> None:
    a = list(synth_cases(2000, AS_OF, seed=8))
    for case in a:
        parse_and_check(case, AS_OF)
    assert a == list(synth_cases(2000, AS_OF, seed=8))
    assert a != list(synth_cases(2000, AS_OF, seed=9))


def test_every_plant_is_found_by_its_rule_and_clean_cases_raise_nothing_loud(tmp_path: Path) -> None:
    """The ground truth: per-rule recall on the planted problems (printed; every plant type
    found in nearly every case it was planted in), and no warning or critical finding at all on
    a case with nothing planted: a compliant case must look compliant."""
    n = 2500
    cases, planted = synth_caseload(n, AS_OF, seed=13)
    assert set(planted["problem"]) == set(PLANTS), "every kind of problem is planted somewhere"
    result = check_caseload(cases, AS_OF)
    found = set(zip(result.findings["case_id"], result.findings["rule_id"], strict=True))
    print("\nplant                          rule       found/planted")
    for problem, rows in planted.groupby("problem"):
        rule_id = PLANT_RULES[str(problem)]
        hits = sum((cid, rule_id) in found for cid in rows["case_id"])
        print(f"{problem:30} {rule_id:10} {hits}/{len(rows)}")
        assert hits >= 0.95 * len(rows), (problem, rule_id, hits, len(rows))
    clean = set(result.cases["case_id"]) - set(planted["case_id"])
    assert len(clean) > n / 3
    loud = result.findings[
        result.findings["case_id"].isin(clean) & result.findings["severity"].isin(["critical", "warning"])
    ]
    assert loud.empty, loud[["case_id", "rule_id", "message"]].head(10).to_string()


def test_the_ground_truth_is_written_beside_the_tables(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["synth", "--cases", "300", "--out", str(tmp_path / "c"), "--seed", "4"])
    assert res.exit_code == 0, res.output
    written = pd.read_csv(tmp_path / "c" / "planted.csv", dtype="string")
    _cases, planted = synth_caseload(300, AS_OF, seed=4)
    assert written.equals(planted.reset_index(drop=True))
    assert set(written["case_id"]) <= set(
        pd.read_csv(tmp_path / "c" / "cases.csv", dtype="string")["case_id"]
    )
    assert check_caseload(tmp_path / "c", AS_OF).notes == []  # planted.csv is not mistaken for a table


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
