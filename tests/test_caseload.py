"""Caseload checking: broken rows are reported, the rest still runs, totals reconcile."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from permanency_rules.caseload import check_caseload
from permanency_rules.synth import synth_cases, write_caseload

AS_OF = date(2026, 11, 1)


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    cases = list(synth_cases(300, AS_OF, seed=5))
    write_caseload(cases, folder, "csv")
    placements = pd.read_csv(folder / "placements.csv", dtype=str)
    placements.loc[placements["case_id"] == "C0000001", "start_date"] = "2025-13-45"
    placements.to_csv(folder / "placements.csv", index=False)
    goals = pd.read_csv(folder / "goals.csv", dtype=str)
    goals.loc[goals["case_id"] == "C0000010", "type"] = "forever_family"
    goals.to_csv(folder / "goals.csv", index=False)
    services = pd.read_csv(folder / "services.csv", dtype=str)
    services.loc[services.index[services["case_id"] == "C0000020"][0], "need"] = "no-such-need"
    services = services.drop(columns=["trauma_informed"])
    services.to_csv(folder / "services.csv", index=False)
    needs = pd.read_csv(folder / "needs.csv", dtype=str)
    dup = needs[needs["case_id"] == "C0000030"].iloc[[0]].copy()
    needs = pd.concat([needs, dup])
    needs.to_csv(folder / "needs.csv", index=False)
    cases_df = pd.read_csv(folder / "cases.csv", dtype=str)
    cases_df.loc[cases_df.index[3], "removal_date"] = ""
    cases_df.to_csv(folder / "cases.csv", index=False)
    return folder


def test_nothing_is_lost(broken: Path) -> None:
    result = check_caseload(broken, AS_OF)
    t = result.totals
    assert t["cases_in"] == 300
    assert t["cases_in"] == t["cases_checked"] + t["cases_rejected"]
    assert result.cases["case_id"].is_unique
    rejected = result.cases[result.cases["status"] == "rejected"].set_index("case_id")
    assert {"C0000001", "C0000010", "C0000020", "C0000030", "C0000003"} <= set(rejected.index)
    assert "needs[" in " | ".join(rejected["errors"])
    errors = " | ".join(rejected["errors"])
    assert "placements[" in errors and "start_date" in errors
    assert "goals[" in errors and "type" in errors
    assert "services[" in errors and ".need" in errors
    assert "episode.removal_date" in errors
    assert "forever_family" not in errors  # errors name paths, not values
    checked = result.cases[result.cases["status"] == "checked"]
    assert checked["findings"].sum() == len(result.findings)
    assert set(result.findings["case_id"]) <= set(checked["case_id"])


def test_missing_column_makes_rules_not_evaluable_for_the_run(broken: Path) -> None:
    result = check_caseload(broken, AS_OF)
    blind = {r["rule_id"]: r["missing"] for r in result.run_not_evaluable}
    assert blind.get("PR-SG-004") == "services.trauma_informed"
    assert "PR-SG-004" not in set(result.findings["rule_id"])
    assert any("services.trauma_informed" in n for n in result.notes)


def test_jsonl_and_tables_agree(tmp_path: Path) -> None:
    cases = list(synth_cases(150, AS_OF, seed=9))
    write_caseload(cases, tmp_path / "t", "parquet")
    write_caseload(cases, tmp_path / "c.jsonl", "jsonl")
    a = check_caseload(tmp_path / "t", AS_OF)
    b = check_caseload(tmp_path / "c.jsonl", AS_OF)
    c = check_caseload(cases, AS_OF)
    ids = [sorted(r.findings["finding_id"]) for r in (a, b, c)]
    assert ids[0] == ids[1] == ids[2]
    assert len(ids[0]) > 0


def test_summary_groups_by_a_case_column(tmp_path: Path) -> None:
    cases = list(synth_cases(200, AS_OF, seed=3))
    r = check_caseload(cases, AS_OF, group_by="office")
    assert set(r.summary["office"].dropna()) <= {"north", "south", "east", "west", "central"}
    assert r.summary["findings"].sum() == len(r.findings)
    plain = check_caseload(cases, AS_OF).summary
    assert plain["rule_id"].is_unique
    assert plain["findings"].sum() == len(r.findings)


def test_bad_jsonl_lines_are_rejected_not_fatal(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    good = list(synth_cases(3, AS_OF, seed=1))
    import json

    p.write_text(json.dumps(good[0]) + "\n{not json\n[1, 2]\n" + json.dumps(good[1]) + "\n", encoding="utf-8")
    r = check_caseload(p, AS_OF)
    assert r.totals["cases_in"] == 4 and r.totals["cases_rejected"] == 2
    assert set(r.cases.loc[r.cases["status"] == "rejected", "case_id"]) == {"line-2", "line-3"}


def test_worker_processes_give_identical_results() -> None:
    cases = list(synth_cases(400, AS_OF, seed=11))
    cases.append(dict(cases[0]))  # a repeated case_id is rejected, not merged
    one = check_caseload(cases, AS_OF, chunk_size=100)
    two = check_caseload(cases, AS_OF, chunk_size=100, workers=2)
    pd.testing.assert_frame_equal(one.findings, two.findings)
    pd.testing.assert_frame_equal(one.cases, two.cases)
    assert one.totals["cases_in"] == 401 and one.totals["cases_rejected"] >= 1
    assert "earlier case" in one.cases["errors"].iloc[-1]


def test_caseload_rows_match_single_case_reports() -> None:
    from permanency_rules import evaluate

    cases = list(synth_cases(80, AS_OF, seed=21))
    batch = check_caseload(cases, AS_OF)
    for case in cases[:80]:
        report = evaluate(case, AS_OF)
        rows = batch.findings[batch.findings["case_id"] == case["case_id"]]
        got = sorted(zip(rows["finding_id"], rows["message"], rows["severity"], strict=True))
        want = sorted((f.finding_id, f.message, f.severity) for f in report.findings)
        assert got == want
